package store_test

import (
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/host/store/storetest"
)

func TestEmbedded_Conformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB) *store.DB {
		db, err := store.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
