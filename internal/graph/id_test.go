package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestNewID_Ordered(t *testing.T) {
	prev := NewID()
	for range 10000 {
		id := NewID()
		if bytes.Compare(prev[:8], id[:8]) >= 0 || prev.String() >= id.String() {
			t.Fatalf("got %s after %s, want increasing", id, prev)
		}
		prev = id
	}
}

func TestNewID_Hammer(t *testing.T) {
	const workers, each = 16, 2000
	var mu sync.Mutex
	seen := make(map[ID]bool, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			local := make([]ID, each)
			for i := range local {
				local[i] = NewID()
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range local {
				if seen[id] {
					t.Errorf("duplicate id %s", id)
				}
				seen[id] = true
			}
		})
	}
	wg.Wait()
}

func TestParseID(t *testing.T) {
	id := NewID()
	tests := []struct {
		name, in string
		want     ID
	}{
		{"round trip", id.String(), id},
		{"zero", strings.Repeat("0", 32), ID{}},
		{"all digits", "0123456789abcdef0123456789abcdef", ID{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseID(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestParseID_Errors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"short", strings.Repeat("a", 31)},
		{"long", strings.Repeat("a", 33)},
		{"upper case", strings.Repeat("A", 32)},
		{"not hex", strings.Repeat("g", 32)},
		{"dashes", "01234567-89ab-cdef-0123-456789abcd"},
		{"unicode", strings.Repeat("é", 16)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseID(tc.in); !errors.Is(err, ErrBadID) {
				t.Fatalf("got %v, want ErrBadID", err)
			}
		})
	}
}

func TestID_Text(t *testing.T) {
	id := NewID()
	b, err := json.Marshal(map[string]ID{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"` + id.String() + `"}`; string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	var back map[string]ID
	if err := json.Unmarshal(b, &back); err != nil || back["id"] != id {
		t.Fatalf("got %v, %v; want %s", back, err, id)
	}
	if err := json.Unmarshal([]byte(`"XYZ"`), new(ID)); !errors.Is(err, ErrBadID) {
		t.Fatalf("got %v, want ErrBadID", err)
	}
	if !(ID{}).IsZero() || id.IsZero() {
		t.Fatal("IsZero is wrong")
	}
}

func FuzzParseID(f *testing.F) {
	f.Add(NewID().String())
	f.Add(strings.Repeat("F", 32))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if err != nil {
			if !errors.Is(err, ErrBadID) {
				t.Fatalf("got %v, want ErrBadID", err)
			}
			return
		}
		if id.String() != s {
			t.Fatalf("ParseID(%q).String() = %q", s, id.String())
		}
	})
}
