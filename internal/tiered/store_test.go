package tiered

import (
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/host/store/storetest"
)

func TestConformance(t *testing.T) {
	tests := []struct {
		name  string
		redis bool
	}{
		{"redis and mongodb", true},
		{"mongodb alone", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t testing.TB) *store.DB {
				db, _ := openDB(t, testOptions(t, database(t), tc.redis))
				return db
			})
		})
	}
}
