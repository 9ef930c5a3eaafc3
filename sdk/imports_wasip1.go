//go:build wasip1

package sdk

import "unsafe"

// This file is the only place where Go slices become wasm (pointer, length)
// pairs for host calls. The Go garbage collector does not move objects and
// cannot run while a host function executes, so a pointer stays valid for
// the duration of the call.

func bytesPtr(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }

func strPtr(s string) unsafe.Pointer { return unsafe.Pointer(unsafe.StringData(s)) }

func hostNodeCreate(typ uint32, fields []byte) int32 {
	return walkerNodeCreate(typ, bytesPtr(fields), uint32(len(fields)))
}

func hostObjGet(id string) int32 { return walkerObjGet(strPtr(id), uint32(len(id))) }

func hostObjRead(h uint32, buf []byte) int32 {
	return walkerObjRead(h, bytesPtr(buf), uint32(len(buf)))
}

func hostObjUpdate(h uint32, fields []byte) int32 {
	return walkerObjUpdate(h, bytesPtr(fields), uint32(len(fields)))
}

func hostObjDelete(h uint32) int32 { return walkerObjDelete(h) }

func hostEdgeConnect(src, dst, typ uint32, fields []byte) int32 {
	return walkerEdgeConnect(src, dst, typ, bytesPtr(fields), uint32(len(fields)))
}

func hostEdgeDisconnect(src, dst uint32, typ int32) int32 {
	return walkerEdgeDisconnect(src, dst, typ)
}

func hostEdgeQuery(h uint32, dir, etype, ntype, flags int32, buf []byte) int32 {
	return walkerEdgeQuery(h, dir, etype, ntype, flags, bytesPtr(buf), uint32(len(buf)))
}

func hostReport(v []byte) int32 { return walkerReport(bytesPtr(v), uint32(len(v))) }

func hostOutput(v []byte) int32 { return walkerOutput(bytesPtr(v), uint32(len(v))) }

func hostLog(level int32, msg string) { walkerLog(level, strPtr(msg), uint32(len(msg))) }

func hostErrorTake(buf []byte) int32 { return walkerErrorTake(bytesPtr(buf), uint32(len(buf))) }

func hostResultTake(buf []byte) int32 { return walkerResultTake(bytesPtr(buf), uint32(len(buf))) }

func hostNow() int64 { return walkerNow() }

func hostPermGrant(h uint32, level int32) int32 { return walkerPermGrant(h, level) }

func hostPermRevoke(h uint32) int32 { return walkerPermRevoke(h) }

func hostAllowRoot(h uint32, root string, level int32) int32 {
	return walkerAllowRoot(h, strPtr(root), uint32(len(root)), level)
}

func hostDisallowRoot(h uint32, root string) int32 {
	return walkerDisallowRoot(h, strPtr(root), uint32(len(root)))
}

func hostStoreCall(op int32, args, buf []byte) int32 {
	return walkerStoreCall(op, bytesPtr(args), uint32(len(args)), bytesPtr(buf), uint32(len(buf)))
}

func hostKVCall(op int32, args, buf []byte) int32 {
	return walkerKVCall(op, bytesPtr(args), uint32(len(args)), bytesPtr(buf), uint32(len(buf)))
}

func hostUploadRead(id uint32, offset int64, buf []byte) int32 {
	return walkerUploadRead(id, offset, bytesPtr(buf), uint32(len(buf)))
}

//go:wasmimport walker node_create
func walkerNodeCreate(typ uint32, ptr unsafe.Pointer, n uint32) int32

//go:wasmimport walker obj_get
func walkerObjGet(ptr unsafe.Pointer, n uint32) int32

//go:wasmimport walker obj_read
func walkerObjRead(h uint32, buf unsafe.Pointer, cap uint32) int32

//go:wasmimport walker obj_update
func walkerObjUpdate(h uint32, ptr unsafe.Pointer, n uint32) int32

//go:wasmimport walker obj_delete
func walkerObjDelete(h uint32) int32

//go:wasmimport walker edge_connect
func walkerEdgeConnect(src, dst, typ uint32, ptr unsafe.Pointer, n uint32) int32

//go:wasmimport walker edge_disconnect
func walkerEdgeDisconnect(src, dst uint32, typ int32) int32

//go:wasmimport walker edge_query
func walkerEdgeQuery(h uint32, dir, etype, ntype, flags int32, buf unsafe.Pointer, cap uint32) int32

//go:wasmimport walker report
func walkerReport(ptr unsafe.Pointer, n uint32) int32

//go:wasmimport walker output
func walkerOutput(ptr unsafe.Pointer, n uint32) int32

//go:wasmimport walker log
func walkerLog(level int32, ptr unsafe.Pointer, n uint32)

//go:wasmimport walker error_take
func walkerErrorTake(buf unsafe.Pointer, cap uint32) int32

//go:wasmimport walker result_take
func walkerResultTake(buf unsafe.Pointer, cap uint32) int32

//go:wasmimport walker now
func walkerNow() int64

//go:wasmimport walker perm_grant
func walkerPermGrant(h uint32, level int32) int32

//go:wasmimport walker perm_revoke
func walkerPermRevoke(h uint32) int32

//go:wasmimport walker allow_root
func walkerAllowRoot(h uint32, ptr unsafe.Pointer, n uint32, level int32) int32

//go:wasmimport walker disallow_root
func walkerDisallowRoot(h uint32, ptr unsafe.Pointer, n uint32) int32

//go:wasmimport walker store_call
func walkerStoreCall(op int32, args unsafe.Pointer, n uint32, buf unsafe.Pointer, cap uint32) int32

//go:wasmimport walker kv_call
func walkerKVCall(op int32, args unsafe.Pointer, n uint32, buf unsafe.Pointer, cap uint32) int32

//go:wasmimport walker upload_read
func walkerUploadRead(id uint32, offset int64, buf unsafe.Pointer, cap uint32) int32
