package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
	. "github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// memoryModes are the two ways instances get their memory: copy-on-write
// mappings of a memfd image (Linux), and the portable heap copy, which
// also serves when the memfd or the mapping cannot be made.
var memoryModes = []struct {
	name string
	cow  bool
}{{"cow", true}, {"portable", false}}

var imageLimits = Limits{Timeout: 10 * time.Second, MemoryMB: 32, MaxReportBytes: 1 << 20,
	MaxHostCalls: 1 << 20, MaxHandles: 1 << 16, MaxLogBytes: 1 << 16, PoolSize: 4}

// loadImaged loads a guest into an engine of its own, mapping images
// copy-on-write or not, with a graph and a root to call it on.
func loadImaged(t testing.TB, guest string, lim Limits, cow bool) (*Module, *graph.Graph, graph.ID) {
	t.Helper()
	ctx := context.Background()
	e, err := NewEngine(ctx, Options{CacheDir: testenv.CacheDir() + "/wazero", Limits: lim,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close(ctx) })
	SetCopyOnWrite(e, cow)
	m, err := e.Load(ctx, guest, testenv.Guest(t, guest))
	if err != nil {
		t.Fatal(err)
	}
	if Snapshot(m) == nil {
		t.Fatalf("%s: no data image or snapshot: instances do not start from one", guest)
	}
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := graph.New(db)
	root, err := g.CreateRoot("u")
	if err != nil {
		t.Fatal(err)
	}
	return m, g, root
}

func callImaged(m *Module, g *graph.Graph, root graph.ID, kind byte, name string) ([]byte, error) {
	enc, _ := abi.AppendMap(nil, map[string]any{})
	tx := g.Begin("u", graph.Caller{Root: root})
	defer tx.Rollback()
	return m.Call(context.Background(), &Request{Kind: kind, Name: name, Tx: tx, Root: root, Fields: enc}, nil)
}

// calls is hello's count of the calls its instance answered.
func calls(t testing.TB, m *Module, g *graph.Graph, root graph.ID) float64 {
	t.Helper()
	out, err := callImaged(m, g, root, abi.KindFunction, "calls")
	if err != nil {
		t.Error(err)
		return 0
	}
	var resp struct{ Result float64 }
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Errorf("%s: %v", out, err)
	}
	return resp.Result
}

func memOf(inst PooledInstance) []byte {
	b, _ := inst.Memory().Read(0, inst.Memory().Size())
	return b
}

const wasmPage = 65536

// TestSnapshotInstances: instances start from the module's snapshot, hold
// its contents, and do not see each other's writes, nor change the
// snapshot; memory grows past the snapshot, with zeros, up to the memory
// limit and no further.
func TestSnapshotInstances(t *testing.T) {
	for _, mode := range memoryModes {
		t.Run(mode.name, func(t *testing.T) {
			m, _, _ := loadImaged(t, "hello", imageLimits, mode.cow)
			snap := bytes.Clone(Snapshot(m))
			a, err := GetInstance(m) // the first instance, made by Load
			if err != nil {
				t.Fatal(err)
			}
			b, err := GetInstance(m) // made from the snapshot
			if err != nil {
				t.Fatal(err)
			}
			// Mapped, the first instance maps the snapshot too once taken.
			cow := mode.cow && CopyOnWriteAvailable
			for i, inst := range []PooledInstance{a, b} {
				if inst.FromSnapshot() != (i == 1 || cow) || inst.Mapped() != cow {
					t.Fatalf("instance %d: from the snapshot %v, mapped %v; want mapped %v", i, inst.FromSnapshot(), inst.Mapped(), cow)
				}
				if !bytes.Equal(memOf(inst), snap) {
					t.Fatal("instance memory differs from the snapshot")
				}
			}
			off := uint32(len(snap) / 2)
			a.Memory().Write(off, []byte("written by a"))
			b.Memory().Write(off+4096, []byte("written by b"))
			if got, _ := b.Memory().Read(off, 12); string(got) == "written by a" {
				t.Fatal("b sees a's write")
			}
			if got, _ := a.Memory().Read(off+4096, 12); string(got) == "written by b" {
				t.Fatal("a sees b's write")
			}
			if !bytes.Equal(Snapshot(m), snap) {
				t.Fatal("the snapshot changed")
			}

			pages := a.Memory().Size() / wasmPage
			limit, _ := a.Memory().Definition().Max()
			if _, ok := a.Memory().Grow(1); !ok {
				t.Fatal("cannot grow past the snapshot")
			}
			if tail, _ := a.Memory().Read(pages*wasmPage, wasmPage); bytes.ContainsFunc(tail, func(r rune) bool { return r != 0 }) {
				t.Fatal("grown page is not zero")
			}
			a.Memory().Write(pages*wasmPage, []byte("x"))
			if _, ok := a.Memory().Grow(limit - pages - 1); !ok {
				t.Fatalf("cannot grow to the limit of %d pages", limit)
			}
			if _, ok := a.Memory().Grow(1); ok {
				t.Fatal("grew past the memory limit")
			}
			if b.Memory().Size() != uint32(len(snap)) {
				t.Fatal("b grew with a")
			}
			a.Discard()
			b.Release()
		})
	}
}

// TestSnapshotMemoryLimit: a walker allocating until memory runs out, on
// an instance started from the snapshot, ends with the memory limit as
// before; the next instance is whole.
func TestSnapshotMemoryLimit(t *testing.T) {
	for _, mode := range memoryModes {
		t.Run(mode.name, func(t *testing.T) {
			m, g, root := loadImaged(t, "hostile", imageLimits, mode.cow)
			_, err := callImaged(m, g, root, abi.KindWalker, "hog")
			var lim *LimitError
			if !errors.As(err, &lim) || lim.Limit != "memory" {
				t.Fatalf("hog: %v, want the memory limit", err)
			}
			inst, err := GetInstance(m)
			if err != nil {
				t.Fatal(err)
			}
			defer inst.Release()
			if !bytes.Equal(memOf(inst), Snapshot(m)) {
				t.Fatal("instance after the hog differs from the snapshot")
			}
		})
	}
}

// TestRestore: under fresh state whatever a call leaves in memory is gone
// by the next call, whether written by the guest (hello's calls counter)
// or anywhere in memory, and the restored memory is the snapshot's.
func TestRestore(t *testing.T) {
	for _, mode := range memoryModes {
		t.Run(mode.name, func(t *testing.T) {
			lim := imageLimits
			lim.PoolSize, lim.FreshState = 1, true
			m, g, root := loadImaged(t, "hello", lim, mode.cow)
			for i := range 3 {
				if n := calls(t, m, g, root); n != 1 {
					t.Fatalf("call %d: calls = %v, want 1", i+1, n)
				}
			}
			inst, err := GetInstance(m)
			if err != nil {
				t.Fatal(err)
			}
			mem := memOf(inst)
			for off := 0; off < len(mem); off += 3 * RestorePage {
				mem[off+17] ^= 0xff
			}
			inst.Release()
			if inst, _ = GetInstance(m); !bytes.Equal(memOf(inst), Snapshot(m)) {
				t.Fatal("restored memory differs from the snapshot")
			}
			inst.Release()
			if n := calls(t, m, g, root); n != 1 {
				t.Fatalf("after restore: calls = %v, want 1", n)
			}
			if s := m.Stats(); s.Created != 1 || s.Discarded != 0 {
				t.Fatalf("pool %+v: want one instance, restored each time", s)
			}
		})
	}
}

// TestSnapshotHammer: many goroutines call through small pools while
// instances are made from the snapshot, restored and dropped: under fresh
// state every call counts 1, pooled every count is positive, and no call
// fails.
func TestSnapshotHammer(t *testing.T) {
	for _, mode := range memoryModes {
		for _, fresh := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/fresh=%v", mode.name, fresh), func(t *testing.T) {
				lim := imageLimits
				lim.FreshState = fresh
				m, g, root := loadImaged(t, "hello", lim, mode.cow)
				var wg sync.WaitGroup
				for w := range 8 {
					wg.Go(func() {
						for i := range 40 {
							if w == 0 && i%10 == 0 {
								if err := m.Probe(context.Background()); err != nil {
									t.Error(err)
								}
							}
							n := calls(t, m, g, root)
							if fresh && n != 1 || n < 1 {
								t.Errorf("calls = %v (fresh %v)", n, fresh)
								return
							}
						}
					})
				}
				wg.Wait()
				t.Logf("pool %+v", m.Stats())
			})
		}
	}
}

// TestPrivateMemory: an instance mapping the snapshot holds private copies
// only of the pages it wrote: after a call, under fresh state and pooled,
// at most 1 MiB (issue 14's budget per warm instance).
func TestPrivateMemory(t *testing.T) {
	if !CopyOnWriteAvailable {
		t.Skip("no copy-on-write mapping on this platform")
	}
	for _, fresh := range []bool{false, true} {
		t.Run(fmt.Sprint("fresh=", fresh), func(t *testing.T) {
			lim := imageLimits
			lim.PoolSize, lim.FreshState = 1, fresh
			m, g, root := loadImaged(t, "todo", lim, true)
			for range 20 {
				if _, err := callImaged(m, g, root, abi.KindWalker, "list_todos"); err != nil {
					t.Fatal(err)
				}
			}
			inst, err := GetInstance(m)
			if err != nil {
				t.Fatal(err)
			}
			defer inst.Release()
			n := inst.PrivateBytes()
			if n < 0 {
				t.Skip("page tables not readable (/proc/self/pagemap)")
			}
			t.Logf("%d KiB private of %d KiB", n>>10, len(Snapshot(m))>>10)
			if n > 1<<20 {
				t.Fatalf("%d KiB private, want at most 1 MiB", n>>10)
			}
		})
	}
}
