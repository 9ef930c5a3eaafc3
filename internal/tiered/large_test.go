package tiered

import (
	"bytes"
	"errors"
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
)

// TestLargeValues commits values past Redis's cache limit and past one
// record chunk, and refuses one past MongoDB's document limit.
func TestLargeValues(t *testing.T) {
	name := database(t)
	a, _ := openDB(t, testOptions(t, name, true))
	b, _ := openDB(t, testOptions(t, name, true))
	tests := []struct {
		name string
		size int
		want error
	}{
		{"above the redis limit", 600 << 10, nil},
		{"two record chunks", 10 << 20, nil},
		{"above the document limit", MaxValue + 1, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			val := bytes.Repeat([]byte{byte(tc.size)}, tc.size)
			err := a.Update(func(tx *store.Tx) error { return tx.Bucket("app", "big").Put([]byte(tc.name), val) })
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var got []byte
			if err := b.View(func(tx *store.Tx) error { got = tx.Bucket("app", "big").Get([]byte(tc.name)); return nil }); err != nil {
				t.Fatal(err)
			}
			if want := val; tc.want != nil {
				want = nil
				if got != nil {
					t.Fatalf("a refused value was stored (%d bytes)", len(got))
				}
			} else if !bytes.Equal(got, want) {
				t.Fatalf("read %d bytes, want %d", len(got), len(want))
			}
		})
	}
	// The last commit is the chunked one: opening completes it again,
	// reading it back from its chunks.
	_, c := openDB(t, testOptions(t, name, true))
	if st := c.Stats(); st.Recoveries != 1 {
		t.Fatalf("stats %+v: want the chunked commit completed once", st)
	}
}
