//go:build !wasip1

package sdk

import "github.com/walkerhost/walkerhost/sdk/internal/fakehost"

// Outside wasip1 the host functions are the stub twins below: each forwards
// to the active in-memory fake host, so that the SDK and guests built on it
// run and test natively. Package sdktest installs and drives the fake.

func hostNodeCreate(typ uint32, fields []byte) int32 {
	return fakehost.Active().NodeCreate(typ, fields)
}

func hostObjGet(id string) int32 { return fakehost.Active().ObjGet(id) }

func hostObjRead(h uint32, buf []byte) int32 { return fakehost.Active().ObjRead(h, buf) }

func hostObjUpdate(h uint32, fields []byte) int32 {
	return fakehost.Active().ObjUpdate(h, fields)
}

func hostObjDelete(h uint32) int32 { return fakehost.Active().ObjDelete(h) }

func hostEdgeConnect(src, dst, typ uint32, fields []byte) int32 {
	return fakehost.Active().EdgeConnect(src, dst, typ, fields)
}

func hostEdgeDisconnect(src, dst uint32, typ int32) int32 {
	return fakehost.Active().EdgeDisconnect(src, dst, typ)
}

func hostEdgeQuery(h uint32, dir, etype, ntype, flags int32, buf []byte) int32 {
	return fakehost.Active().EdgeQuery(h, dir, etype, ntype, flags, buf)
}

func hostReport(v []byte) int32 { return fakehost.Active().Report(v) }

func hostOutput(v []byte) int32 { return fakehost.Active().Output(v) }

func hostLog(level int32, msg string) { fakehost.Active().Log(level, msg) }

func hostErrorTake(buf []byte) int32 { return fakehost.Active().ErrorTake(buf) }

func hostResultTake(buf []byte) int32 { return fakehost.Active().ResultTake(buf) }

func hostNow() int64 { return fakehost.Active().Now() }

func hostPermGrant(h uint32, level int32) int32 { return fakehost.Active().PermGrant(h, level) }

func hostPermRevoke(h uint32) int32 { return fakehost.Active().PermRevoke(h) }

func hostAllowRoot(h uint32, root string, level int32) int32 {
	return fakehost.Active().AllowRoot(h, root, level)
}

func hostDisallowRoot(h uint32, root string) int32 {
	return fakehost.Active().DisallowRoot(h, root)
}

func hostStoreCall(op int32, args, buf []byte) int32 {
	return fakehost.Active().StoreCall(op, args, buf)
}

func hostKVCall(op int32, args, buf []byte) int32 { return fakehost.Active().KVCall(op, args, buf) }

func hostUploadRead(id uint32, offset int64, buf []byte) int32 {
	return fakehost.Active().UploadRead(id, offset, buf)
}
