package sandbox

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/files"
)

// store_call (abi/ABI.md "Storage"): one file operation on the app's
// storage root.

// storeOp is one operation: its name and what it does with its arguments.
// It appends its result value to dst.
type storeOp struct {
	name string
	run  func(c *storeCall, dst []byte) ([]byte, error)
}

type storeCall struct {
	s  *session
	sp *files.Space
	a  *opArgs
}

var storeOps = map[int32]storeOp{
	abi.StoreUpload:   {"upload", storeUpload},
	abi.StoreDownload: {"download", storeDownload},
	abi.StoreDelete: {"delete", func(c *storeCall, dst []byte) ([]byte, error) {
		p := c.a.str()
		return boolResult(dst, c.a, func() (bool, error) { return c.sp.Delete(p) })
	}},
	abi.StoreExists: {"exists", func(c *storeCall, dst []byte) ([]byte, error) {
		p := c.a.str()
		return boolResult(dst, c.a, func() (bool, error) { return c.sp.Exists(p) })
	}},
	abi.StoreList: {"list_files", func(c *storeCall, dst []byte) ([]byte, error) {
		prefix, recursive := c.a.str(), c.a.bool()
		if err := c.a.done(); err != nil {
			return dst, err
		}
		l, err := c.sp.List(prefix, recursive)
		if err != nil {
			return dst, err
		}
		return abi.AppendValue(dst, l)
	}},
	abi.StoreMetadata: {"get_metadata", storeMetadata},
	abi.StoreCopy: {"copy", func(c *storeCall, dst []byte) ([]byte, error) {
		src, to := c.a.str(), c.a.str()
		return pathResult(dst, c.a, func() (string, error) { return c.sp.Copy(src, to) })
	}},
	abi.StoreMove: {"move", func(c *storeCall, dst []byte) ([]byte, error) {
		src, to := c.a.str(), c.a.str()
		return pathResult(dst, c.a, func() (string, error) { return c.sp.Move(src, to) })
	}},
}

func storeCallFn(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	op, ok := storeOps[s32(stack[0])]
	if !ok {
		stack[0] = s.fail(abi.ErrBadArgument, fmt.Errorf("sandbox: store_call: unknown operation %d", s32(stack[0])))
		return
	}
	args := newOpArgs(s.read(abi.FuncStoreCall, u32(stack[1]), u32(stack[2])), "store_call "+op.name)
	if s.inst.m.engine.files == nil || s.app == "" {
		stack[0] = s.fail(abi.ErrUnavailable, errors.New("sandbox: store_call: this host has no storage"))
		return
	}
	sp, err := s.inst.m.engine.files.App(s.app)
	if err != nil {
		stack[0] = s.failStore(err)
		return
	}
	sp.SetQuota(s.limits().StorageBytes)
	out, err := op.run(&storeCall{s: s, sp: sp, a: args}, s.scratch[:0])
	s.scratch = out
	if err != nil {
		stack[0] = s.failStore(err)
		return
	}
	stack[0] = s.give(abi.FuncStoreCall, u32(stack[3]), u32(stack[4]), out)
}

// storeUpload writes the bytes given, or an upload's, to a path.
func storeUpload(c *storeCall, dst []byte) ([]byte, error) {
	p := c.a.str()
	var data []byte
	if tag, _ := c.a.peek(); tag == abi.TagInt {
		id := c.a.int()
		up, err := c.s.upload(id)
		if err != nil {
			return dst, err
		}
		data = up.Data
	} else {
		data = c.a.bytes()
	}
	return pathResult(dst, c.a, func() (string, error) { return c.sp.Upload(p, data) })
}

// storeDownload appends the file as a string value, read straight into
// the result, refusing one larger than the guest's memory.
func storeDownload(c *storeCall, dst []byte) ([]byte, error) {
	p := c.a.str()
	if err := c.a.done(); err != nil {
		return dst, err
	}
	start := len(dst)
	dst = append(dst, abi.TagString, 0, 0, 0, 0)
	dst, err := c.sp.AppendFile(dst, p, c.s.maxResult())
	if err != nil {
		return dst[:start], err
	}
	binary.LittleEndian.PutUint32(dst[start+1:], uint32(len(dst)-start-5))
	return dst, nil
}

func storeMetadata(c *storeCall, dst []byte) ([]byte, error) {
	p := c.a.str()
	if err := c.a.done(); err != nil {
		return dst, err
	}
	m, err := c.sp.Metadata(p)
	if err != nil {
		return dst, err
	}
	return abi.AppendMap(dst, map[string]any{
		"name": m.Name, "path": m.Path, "size": m.Size, "is_dir": m.IsDir,
		"modified": m.Modified.Format(time.RFC3339Nano), "created": m.Created.Format(time.RFC3339Nano),
	})
}

func boolResult(dst []byte, a *opArgs, do func() (bool, error)) ([]byte, error) {
	if err := a.done(); err != nil {
		return dst, err
	}
	ok, err := do()
	return abi.AppendBool(dst, ok), err
}

func pathResult(dst []byte, a *opArgs, do func() (string, error)) ([]byte, error) {
	if err := a.done(); err != nil {
		return dst, err
	}
	p, err := do()
	return abi.AppendString(dst, p), err
}

// maxResult is the largest result a call may hand the guest: what its
// memory can hold.
func (s *session) maxResult() int64 { return int64(s.limits().MemoryMB) << 20 }

// failStore maps a storage error to its errno.
func (s *session) failStore(err error) uint64 {
	switch {
	case errors.Is(err, files.ErrQuota):
		s.stop(&LimitError{Limit: "storage", Value: fmt.Sprintf("%d MiB", s.limits().StorageBytes>>20)})
	case errors.Is(err, files.ErrEscape):
		return s.fail(abi.ErrDenied, err)
	case errors.Is(err, files.ErrNotFound), errors.Is(err, errNoUpload):
		return s.fail(abi.ErrNotFound, err)
	case errors.Is(err, files.ErrTooLarge):
		return s.fail(abi.ErrTooLarge, err)
	case errors.Is(err, files.ErrIO), errors.Is(err, files.ErrConfig):
		return s.fail(abi.ErrUnavailable, err)
	}
	return s.fail(abi.ErrBadArgument, err) // bad paths and arguments, folders, conflicts
}
