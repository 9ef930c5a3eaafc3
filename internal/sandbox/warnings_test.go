package sandbox

import (
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// denialTx is a Tx that only knows its denials.
type denialTx struct {
	Tx
	denials []graph.Denial
}

func (t *denialTx) Denials() []graph.Denial { return append([]graph.Denial(nil), t.denials...) }

// deny plays a graph call refused for lack of permission, as Fail sees it.
func (t *denialTx) deny(s *session, op graph.Op, id graph.ID) uint64 {
	t.denials = append(t.denials, graph.Denial{Op: op, Object: id})
	return s.Fail(graph.ErrDenied)
}

func TestWarnings_UnhandledDenialsOnly(t *testing.T) {
	a, b, c := graph.NewID(), graph.NewID(), graph.NewID()
	tx := &denialTx{denials: []graph.Denial{{Op: graph.OpGet, Object: a}}} // before the call: not this call's
	var s session
	s.reset(nil, &Request{Tx: tx, Name: "w"})

	if e := tx.deny(&s, graph.OpConnect, a); e != errnoValue(abi.ErrDenied) {
		t.Fatalf("errno %d", int32(e))
	}
	tx.deny(&s, graph.OpUpdate, b)
	s.taken() // error_take after the update's denial
	tx.deny(&s, graph.OpDelete, c)
	s.fail(abi.ErrNotFound, graph.ErrNotFound) // a later errno replaces the delete's
	s.taken()

	got := string(s.appendWarnings(nil))
	want := `,"warnings":[{"code":"PERMISSION_DENIED","op":"connect","node":"` + a.String() +
		`"},{"code":"PERMISSION_DENIED","op":"delete","node":"` + c.String() + `"}]`
	if got != want {
		t.Fatalf("warnings\n got %s\nwant %s", got, want)
	}
}

func TestWarnings_NoneAllocatesNothing(t *testing.T) {
	tx := &denialTx{}
	var s session
	s.reset(nil, &Request{Tx: tx, Name: "w"})
	dst := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		if out := s.appendWarnings(dst[:0]); len(out) != 0 {
			t.Fatalf("appended %q", out)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations without denials", allocs)
	}

	// All handled: no key either.
	tx.deny(&s, graph.OpGet, graph.NewID())
	s.taken()
	if out := s.appendWarnings(nil); len(out) != 0 {
		t.Fatalf("handled denial listed: %s", out)
	}
}
