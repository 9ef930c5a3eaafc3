package sandbox

import (
	"errors"
	"strconv"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// Tx is the graph transaction a call runs in. *graph.Tx implements it; the
// caller commits or rolls it back after the call.
type Tx interface {
	Get(id graph.ID) (*graph.Object, error)
	CreateNode(typ string, fields map[string]any) (*graph.Object, error)
	UpdateChecked(id graph.ID, fields map[string]any, check func(o *graph.Object, fields map[string]any) error) error
	Delete(id graph.ID) error
	Connect(src, dst graph.ID, typ string, fields map[string]any) (*graph.Object, error)
	Disconnect(src, dst graph.ID, typ string) (int, error)
	Edges(node graph.ID, dir graph.Dir, edgeType, nodeType string) ([]graph.Hit, error)
	PermGrant(id graph.ID, l graph.Level) error
	PermRevoke(id graph.ID) error
	AllowRoot(id, root graph.ID, l graph.Level) error
	DisallowRoot(id, root graph.ID) error
	// Denials lists the operations refused so far, in order; every error
	// wrapping graph.ErrDenied has added exactly one.
	Denials() []graph.Denial
}

// session is the state of one call: the handles it issued, what it reported
// and the counters its limits apply to. Each instance owns one and resets it
// per call.
type session struct {
	inst      *instance
	tx        Tx
	walker    string
	requestID string
	app       string
	uploads   []Upload
	deadline  time.Time // the call's time limit, for the servers store calls reach

	handles []graph.ID // handle h names handles[h-1]
	byID    map[graph.ID]uint32
	charged int // handles counted against Limits.MaxHandles (issueHit)

	reports  []byte // concatenated values
	nReports int
	sink     func([]byte) error // Request.Sink; reports go there instead
	sinkBuf  []byte
	output   []byte
	outBytes int

	pending    []byte // variable-size result awaiting result_take
	hasPending bool
	lastErr    string
	hasErr     bool

	// Denials (see warnings.go): the Tx had denialBase of them when the call
	// began; nDenied came from host calls since; lastDenial is 1 + the index,
	// counted from denialBase, of the one behind lastErr (0: lastErr is not a
	// denial); handled lists those the guest took with error_take.
	denialBase int
	nDenied    int
	lastDenial int
	handled    []int

	schema *SchemaError // the last write refused by a declared type

	hostCalls int
	abort     *abort
	log       []byte
	scratch   []byte
	states    capStates // kept from call to call
}

func (s *session) reset(inst *instance, req *Request) {
	*s = session{
		inst: inst, tx: req.Tx, walker: req.Name, app: req.App, uploads: req.Uploads,
		handles: s.handles[:0], byID: s.byID,
		reports: s.reports[:0], output: s.output[:0],
		pending: keep(s.pending), log: s.log[:0], scratch: keep(s.scratch), sinkBuf: s.sinkBuf[:0],
		handled: s.handled[:0], states: s.states,
	}
	s.states.call++
	if req.Tx != nil {
		s.denialBase = len(req.Tx.Denials())
	}
	if s.byID == nil {
		s.byID = make(map[graph.ID]uint32)
	} else {
		clear(s.byID)
	}
}

// maxKeep bounds the result buffers an idle instance keeps: one large
// download should not pin its size for the life of the instance.
const maxKeep = 1 << 20

// keep returns b emptied for reuse, or nil when it grew past maxKeep.
func keep(b []byte) []byte {
	if cap(b) > maxKeep {
		return nil
	}
	return b[:0]
}

func (s *session) limits() *Limits { return &s.inst.m.limits }

// issue returns the handle of id, issuing a new one on first sight.
func (s *session) issue(id graph.ID) uint32 {
	if h, ok := s.byID[id]; ok {
		return h
	}
	s.chargeHandle()
	return s.add(id)
}

// issueHit returns the handles of an edge_query hit's edge and node. The
// two count as one handle against the limit, and only when one of them is
// new: a walker listing n neighbours holds n handles, not 2n, while the
// table still holds at most two entries per handle counted.
func (s *session) issueHit(edge, node graph.ID) (eh, nh uint32) {
	eh, eok := s.byID[edge]
	nh, nok := s.byID[node]
	if eok && nok {
		return eh, nh
	}
	s.chargeHandle()
	if !eok {
		eh = s.add(edge)
	}
	if !nok {
		nh = s.add(node)
	}
	return eh, nh
}

// chargeHandle counts one handle against the limit, ending the call past it.
func (s *session) chargeHandle() {
	if s.charged >= s.limits().MaxHandles {
		s.stop(&LimitError{Limit: "handles", Value: strconv.Itoa(s.limits().MaxHandles)})
	}
	s.charged++
}

func (s *session) add(id graph.ID) uint32 {
	s.handles = append(s.handles, id)
	h := uint32(len(s.handles))
	s.byID[id] = h
	return h
}

// id resolves a handle issued to this call.
func (s *session) id(h uint32) (graph.ID, bool) {
	if h == 0 || int(h) > len(s.handles) {
		return graph.ID{}, false
	}
	return s.handles[h-1], true
}

// stop ends the call: the host function panics, wazero unwinds the guest
// and Call reports err.
func (s *session) stop(err error) {
	a := &abort{err: err}
	s.abort = a
	panic(a)
}

// fail records the message of an errno for error_take and returns the errno
// as a stack value.
func (s *session) fail(e abi.Errno, err error) uint64 {
	s.lastErr, s.hasErr, s.lastDenial = err.Error(), true, 0
	return errnoValue(e)
}

// taken marks the last error as taken by the guest (error_take): it is
// cleared, and a denial behind it no longer appears in the warnings.
func (s *session) taken() {
	s.hasErr = false
	if s.lastDenial > 0 {
		s.handled = append(s.handled, s.lastDenial-1)
		s.lastDenial = 0
	}
}

// errnoValue is an errno as the i32 stack value the guest receives.
func errnoValue(e abi.Errno) uint64 { return uint64(uint32(e)) }

// Fail answers a host call with the errno of err (see errnoOf) and records
// its message for error_take; a graph denial is also counted for the
// warnings.
func (s *session) Fail(err error) uint64 {
	e := s.errnoOf(err)
	v := s.fail(e, err)
	if e == abi.ErrDenied && errors.Is(err, graph.ErrDenied) {
		s.nDenied++
		s.lastDenial = s.nDenied
	}
	return v
}

// errnoOf is the one mapping from the errors host functions meet to
// errnos: the first Errno of the engine's capabilities that err wraps,
// else ErrBadArgument. An Errno naming a limit ends the call with it.
func (s *session) errnoOf(err error) abi.Errno {
	rules := builtinErrnos
	if s.inst != nil {
		rules = s.inst.m.engine.host.errnos
	}
	for _, r := range rules {
		if !errors.Is(err, r.Err) {
			continue
		}
		if r.Limit != "" {
			s.stop(&LimitError{Limit: r.Limit, Value: r.Value(s.Limits())})
		}
		return r.Errno
	}
	return abi.ErrBadArgument
}

func (s *session) appendLog(p []byte) {
	if room := s.limits().MaxLogBytes - len(s.log); room > 0 {
		s.log = append(s.log, p[:min(len(p), room)]...)
	}
}
