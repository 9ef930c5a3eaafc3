package sandbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// pool keeps a module's idle instances, most recently used first, and caps
// how many exist at once (the module's concurrency limit).
type pool struct {
	m     *Module
	slots chan struct{} // one token per live instance

	mu     sync.Mutex
	idle   []*instance
	closed bool

	created, discarded atomic.Int64
	cores              coreCounts
}

// PoolStats is a snapshot of a pool: instances idle and in use (serving
// a call, or being created for one), the most that may exist, and how many
// were created and discarded since the module was loaded; and how many of
// its calls ran long and how often they waited for a core (see cpu.go).
type PoolStats struct {
	Idle, InUse, Capacity int
	Created, Discarded    int64
	LongCalls, CoreWaits  int64
}

func newPool(m *Module, size int) *pool {
	return &pool{m: m, slots: make(chan struct{}, size)}
}

// get returns an idle instance or a new one, waiting up to wait (or ctx's
// deadline, if sooner) for a slot.
func (p *pool) get(ctx context.Context, wait time.Duration) (*instance, error) {
	if err := p.acquire(ctx, wait); err != nil {
		return nil, err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		return nil, fmt.Errorf("%w: module %q", ErrClosed, p.m.Name)
	}
	if n := len(p.idle); n > 0 {
		inst := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return inst, nil
	}
	p.mu.Unlock()
	inst, err := p.m.newInstance(ctx)
	if err != nil {
		<-p.slots
		return nil, err
	}
	p.created.Add(1)
	return inst, nil
}

// acquire takes a slot, failing with the concurrency limit when none frees
// in time.
func (p *pool) acquire(ctx context.Context, wait time.Duration) error {
	select {
	case p.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-t.C:
	case <-ctx.Done():
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return ctx.Err()
		}
	}
	return &LimitError{Limit: "concurrency", Value: fmt.Sprintf("all %d instances busy", cap(p.slots))}
}

// put returns a healthy instance to the pool.
func (p *pool) put(inst *instance) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		inst.close(context.Background())
	} else {
		p.idle = append(p.idle, inst)
		p.mu.Unlock()
	}
	<-p.slots
}

// discard closes an instance that must not be reused: it trapped, hit a
// limit, or its guest runtime is in an unknown state.
func (p *pool) discard(inst *instance) {
	inst.close(context.Background())
	p.discarded.Add(1)
	<-p.slots
}

func (p *pool) stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PoolStats{Idle: len(p.idle), InUse: len(p.slots), Capacity: cap(p.slots),
		Created: p.created.Load(), Discarded: p.discarded.Load(),
		LongCalls: p.cores.long.Load(), CoreWaits: p.cores.waits.Load()}
}

func (p *pool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func (p *pool) close(ctx context.Context) {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, inst := range idle {
		inst.close(ctx)
	}
}

// warm creates instances until n are idle (at most the pool's capacity).
func (p *pool) warm(ctx context.Context, n int) error {
	n = min(n, cap(p.slots))
	var insts []*instance
	defer func() {
		for _, inst := range insts {
			p.put(inst)
		}
	}()
	for p.stats().Idle+len(insts) < n {
		inst, err := p.get(ctx, p.m.limits.Timeout)
		if err != nil {
			return err
		}
		insts = append(insts, inst)
	}
	return nil
}

// PrivateMemory reports the module's idle instances and the bytes of
// linear memory they hold privately: the pages they wrote, copied from the
// snapshot they map (image_linux.go). bytes is -1 when that cannot be told
// (an instance not mapping its image, or no page tables to read).
func (m *Module) PrivateMemory() (instances int, bytes int64) {
	p := m.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, inst := range p.idle {
		n := inst.privateBytes()
		if n < 0 {
			return len(p.idle), -1
		}
		bytes += n
	}
	return len(p.idle), bytes
}

// ImageBytes is the memory the module's instances start from, held once
// for the module: its snapshot, and its data image (shared with Modules of
// the same code). In memfds they count in the system's shared memory, and
// in a process's RSS only as far as mapped and touched.
func (m *Module) ImageBytes() int64 {
	var n int64
	if m.snap != nil {
		n += int64(len(m.snap.img.data))
	}
	if m.code.image != nil {
		n += int64(len(m.code.image.data))
	}
	return n
}
