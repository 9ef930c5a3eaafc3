// Package storage is the storage capability: store_call, the app's files
// (abi/ABI.md "Storage").
package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/files"
)

// Storage is the capability. Its zero value, and New(nil), is a host
// without storage: store_call answers ErrUnavailable.
type Storage struct{ files *files.Storage }

// New returns the capability serving fs; nil serves no storage.
func New(fs *files.Storage) *Storage { return &Storage{files: fs} }

// Name is "storage".
func (*Storage) Name() string { return "storage" }

// Funcs is store_call.
func (st *Storage) Funcs() []capability.Func {
	return []capability.Func{{Name: abi.FuncStoreCall, Params: capability.I32(5), Results: capability.I32(1), Fn: st.call}}
}

// Errnos map the errors of package files (abi/ABI.md "Storage", errors).
func (*Storage) Errnos() []capability.Errno {
	return []capability.Errno{
		{Err: files.ErrQuota, Limit: "storage", Value: func(l capability.Limits) string { return fmt.Sprintf("%d MiB", l.StorageBytes>>20) }},
		{Err: files.ErrEscape, Errno: abi.ErrDenied},
		{Err: files.ErrNotFound, Errno: abi.ErrNotFound},
		{Err: files.ErrTooLarge, Errno: abi.ErrTooLarge},
		{Err: files.ErrIO, Errno: abi.ErrUnavailable},
		{Err: files.ErrConfig, Errno: abi.ErrUnavailable},
		// Bad paths and arguments, folders and conflicts: ErrBadArgument.
	}
}

// op is one operation: its name and what it does with its arguments. It
// appends its result value to dst.
type op struct {
	name string
	run  func(o *opCall, dst []byte) ([]byte, error)
}

// opCall is one store_call being served.
type opCall struct {
	c  capability.Call
	sp *files.Space
	a  *capability.Args
}

var ops = map[int32]op{
	abi.StoreUpload:   {"upload", upload},
	abi.StoreDownload: {"download", download},
	abi.StoreDelete: {"delete", func(o *opCall, dst []byte) ([]byte, error) {
		p := o.a.Str()
		return boolResult(dst, o.a, func() (bool, error) { return o.sp.Delete(p) })
	}},
	abi.StoreExists: {"exists", func(o *opCall, dst []byte) ([]byte, error) {
		p := o.a.Str()
		return boolResult(dst, o.a, func() (bool, error) { return o.sp.Exists(p) })
	}},
	abi.StoreList: {"list_files", func(o *opCall, dst []byte) ([]byte, error) {
		prefix, recursive := o.a.Str(), o.a.Bool()
		if err := o.a.Done(); err != nil {
			return dst, err
		}
		l, err := o.sp.List(prefix, recursive)
		if err != nil {
			return dst, err
		}
		return abi.AppendValue(dst, l)
	}},
	abi.StoreMetadata: {"get_metadata", metadata},
	abi.StoreCopy: {"copy", func(o *opCall, dst []byte) ([]byte, error) {
		src, to := o.a.Str(), o.a.Str()
		return pathResult(dst, o.a, func() (string, error) { return o.sp.Copy(src, to) })
	}},
	abi.StoreMove: {"move", func(o *opCall, dst []byte) ([]byte, error) {
		src, to := o.a.Str(), o.a.Str()
		return pathResult(dst, o.a, func() (string, error) { return o.sp.Move(src, to) })
	}},
}

// call is store_call (abi/ABI.md "Storage"): one file operation on the
// app's storage root, (op, args_ptr, args_len, buf, cap) -> len.
func (st *Storage) call(c capability.Call, stack []uint64) {
	o, ok := ops[int32(uint32(stack[0]))]
	if !ok {
		stack[0] = c.FailWith(abi.ErrBadArgument, fmt.Errorf("sandbox: store_call: unknown operation %d", int32(uint32(stack[0]))))
		return
	}
	args := capability.NewArgs(c.Read(abi.FuncStoreCall, uint32(stack[1]), uint32(stack[2])), "store_call "+o.name)
	if st.files == nil || c.App() == "" {
		stack[0] = c.FailWith(abi.ErrUnavailable, errors.New("sandbox: store_call: this host has no storage"))
		return
	}
	sp, err := st.files.App(c.App())
	if err != nil {
		stack[0] = c.Fail(err)
		return
	}
	sp.SetQuota(c.Limits().StorageBytes)
	out, err := o.run(&opCall{c: c, sp: sp, a: args}, c.Scratch()[:0])
	c.SetScratch(out)
	if err != nil {
		stack[0] = c.Fail(err)
		return
	}
	stack[0] = c.Give(abi.FuncStoreCall, uint32(stack[3]), uint32(stack[4]), out)
}

// upload writes the bytes given, or an upload's, to a path.
func upload(o *opCall, dst []byte) ([]byte, error) {
	p := o.a.Str()
	var data []byte
	if tag, _ := o.a.Peek(); tag == abi.TagInt {
		b, err := o.c.Upload(o.a.Int())
		if err != nil {
			return dst, err
		}
		data = b
	} else {
		data = o.a.Bytes()
	}
	return pathResult(dst, o.a, func() (string, error) { return o.sp.Upload(p, data) })
}

// download appends the file as a string value, read straight into the
// result, refusing one larger than the guest's memory.
func download(o *opCall, dst []byte) ([]byte, error) {
	p := o.a.Str()
	if err := o.a.Done(); err != nil {
		return dst, err
	}
	start := len(dst)
	dst = append(dst, abi.TagString, 0, 0, 0, 0)
	dst, err := o.sp.AppendFile(dst, p, o.c.Limits().MaxResult)
	if err != nil {
		return dst[:start], err
	}
	binary.LittleEndian.PutUint32(dst[start+1:], uint32(len(dst)-start-5))
	return dst, nil
}

func metadata(o *opCall, dst []byte) ([]byte, error) {
	p := o.a.Str()
	if err := o.a.Done(); err != nil {
		return dst, err
	}
	m, err := o.sp.Metadata(p)
	if err != nil {
		return dst, err
	}
	return abi.AppendMap(dst, map[string]any{
		"name": m.Name, "path": m.Path, "size": m.Size, "is_dir": m.IsDir,
		"modified": m.Modified.Format(time.RFC3339Nano), "created": m.Created.Format(time.RFC3339Nano),
	})
}

func boolResult(dst []byte, a *capability.Args, do func() (bool, error)) ([]byte, error) {
	if err := a.Done(); err != nil {
		return dst, err
	}
	ok, err := do()
	return abi.AppendBool(dst, ok), err
}

func pathResult(dst []byte, a *capability.Args, do func() (string, error)) ([]byte, error) {
	if err := a.Done(); err != nil {
		return dst, err
	}
	p, err := do()
	return abi.AppendString(dst, p), err
}

var _ capability.Capability = (*Storage)(nil)
