package files

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestQuota_Writes runs a sequence of operations on an app with a 100-byte
// quota and checks, after each, what was refused and the bytes counted,
// against a walk of the folder.
func TestQuota_Writes(t *testing.T) {
	sp, _ := newSpace(t, true)
	mustUpload(t, sp, "old.txt", strings.Repeat("o", 35)) // there before the quota
	sp.SetQuota(100)
	steps := []struct {
		name    string
		do      func() error
		refused bool
		used    int64
	}{
		{"a file within the quota", func() error { _, err := sp.Upload("a", make([]byte, 50)); return err }, false, 85},
		{"one that would pass it", func() error { _, err := sp.Upload("b", make([]byte, 16)); return err }, true, 85},
		{"one that fills it exactly", func() error { _, err := sp.Upload("b", make([]byte, 15)); return err }, false, 100},
		{"replacing a file by a smaller one", func() error { _, err := sp.Upload("a", make([]byte, 10)); return err }, false, 60},
		{"a copy that fits", func() error { _, err := sp.Copy("a", "dir/c"); return err }, false, 70},
		{"a copy that does not", func() error { _, err := sp.Copy("old.txt", "dir/d"); return err }, true, 70},
		{"a move onto a file frees it", func() error { _, err := sp.Move("dir/c", "b"); return err }, false, 55},
		{"a move onto itself changes nothing", func() error { _, err := sp.Move("b", "./b"); return err }, false, 55},
		{"deleting a file frees it", func() error { _, err := sp.Delete("old.txt"); return err }, false, 20},
		{"deleting a folder frees what it held", func() error {
			if _, err := sp.Upload("dir/e", make([]byte, 40)); err != nil {
				return err
			}
			_, err := sp.Delete("dir")
			return err
		}, false, 20},
		{"the freed bytes can be used", func() error { _, err := sp.Upload("f", make([]byte, 80)); return err }, false, 100},
	}
	for _, st := range steps {
		err := st.do()
		var qe *QuotaError
		switch {
		case st.refused && (!errors.As(err, &qe) || !errors.Is(err, ErrQuota)):
			t.Fatalf("%s: got %v, want a QuotaError", st.name, err)
		case st.refused && (qe.Quota != 100 || !strings.Contains(err.Error(), "quota exceeded")):
			t.Fatalf("%s: %v", st.name, err)
		case !st.refused && err != nil:
			t.Fatalf("%s: %v", st.name, err)
		}
		used, err := sp.Used()
		if err != nil || used != st.used {
			t.Fatalf("%s: Used() = %d, %v; want %d", st.name, used, err, st.used)
		}
		if walked := walkBytes(t, sp); walked != used {
			t.Fatalf("%s: counted %d bytes, the folder holds %d", st.name, used, walked)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(sp.root.Name(), reservedPrefix+"*")); len(left) != 0 {
		t.Fatalf("refused writes left temporary files: %v", left)
	}
}

// walkBytes sums the regular files under the space's folder afresh.
func walkBytes(t *testing.T, sp *Space) int64 {
	t.Helper()
	var n int64
	err := filepath.Walk(sp.root.Name(), func(_ string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestQuota_Hammer has many writers race for a quota: the files written
// never take more than it, and the count matches the folder.
func TestQuota_Hammer(t *testing.T) {
	sp, _ := newSpace(t, true)
	sp.SetQuota(1000)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				name := string(rune('a'+w)) + "/" + string(rune('a'+i%5))
				if _, err := sp.Upload(name, make([]byte, 10+i)); err != nil && !errors.Is(err, ErrQuota) {
					t.Error(err)
				}
				if i%7 == 0 {
					_, _ = sp.Delete(name)
				}
			}
		}()
	}
	wg.Wait()
	used, err := sp.Used()
	if err != nil {
		t.Fatal(err)
	}
	if walked := walkBytes(t, sp); used != walked || used > 1000 {
		t.Fatalf("counted %d bytes, the folder holds %d, quota 1000", used, walked)
	}
}

// TestQuota_Off checks that without a quota nothing is refused.
func TestQuota_Off(t *testing.T) {
	sp, _ := newSpace(t, true)
	for i := range 3 {
		if _, err := sp.Upload("big"+string(rune('0'+i)), make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
	}
}
