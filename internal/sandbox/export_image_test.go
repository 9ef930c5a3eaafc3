package sandbox

import (
	"context"
	"time"

	"github.com/tetratelabs/wazero/api"
)

// CopyOnWriteAvailable reports whether this build maps images copy-on-write.
const CopyOnWriteAvailable = cowAvailable

// RestorePage is restore's granularity.
const RestorePage = restorePage

// SetCopyOnWrite makes e map images copy-on-write, or copy them as on
// platforms without memfd; for modules loaded afterwards.
func SetCopyOnWrite(e *Engine, on bool) { e.cow = on && cowAvailable }

// Snapshot returns m's snapshot memory; nil when instances do not start
// from an image.
func Snapshot(m *Module) []byte {
	if m.code.image == nil || m.snap == nil {
		return nil
	}
	return m.snap.img.data
}

// PooledInstance is an instance taken from a module's pool, for tests.
type PooledInstance struct{ inst *instance }

func GetInstance(m *Module) (PooledInstance, error) {
	inst, err := m.pool.get(context.Background(), time.Second)
	return PooledInstance{inst}, err
}

func (p PooledInstance) Memory() api.Memory { return p.inst.mem }

// Mapped reports whether its memory maps the module's snapshot
// copy-on-write; FromSnapshot whether its memory started from it.
func (p PooledInstance) Mapped() bool       { return p.inst.mapped }
func (p PooledInstance) FromSnapshot() bool { return p.inst.img == p.inst.m.snap.img }

// Release returns it as after a clean call (restored under fresh state).
func (p PooledInstance) Release() { p.inst.m.release(p.inst) }
func (p PooledInstance) Discard() { p.inst.m.pool.discard(p.inst) }

// PrivateBytes is how much of its memory it holds a private copy of; -1
// when that cannot be told.
func (p PooledInstance) PrivateBytes() int { return int(p.inst.privateBytes()) }
