package sdktest

import (
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk"
)

// Call runs a walker spawned on the caller's root with the given fields;
// an Upload value sends a file for a field of type file.
func (h *Host) Call(walker string, fields map[string]any) Result {
	return h.CallAt(walker, h.root, fields)
}

// CallAt runs a walker spawned on the node with id nodeID.
func (h *Host) CallAt(walker, nodeID string, fields map[string]any) Result {
	h.fake.Begin()
	root := h.fake.Issue(h.root)
	here := h.fake.Issue(nodeID)
	typ := abi.TypeUnknown
	if o := h.fake.Resolve(here); o != nil {
		typ = o.Type
	}
	return h.run(Record(abi.KindWalker, walker, root, here, typ, h.withUploads(fields)))
}

// Func calls a function with the given arguments.
func (h *Host) Func(name string, args map[string]any) Result {
	h.fake.Begin()
	root := h.fake.Issue(h.root)
	return h.run(Record(abi.KindFunction, name, root, root, abi.TypeRoot, h.withUploads(args)))
}

// Run runs a raw request record, as the host would write it into the input
// arena. Handle 1 is the caller's root; other handles are issued as the
// guest asks for objects.
func (h *Host) Run(record []byte) Result {
	h.fake.Begin()
	h.fake.Issue(h.root)
	return h.run(record)
}

func (h *Host) run(record []byte) Result {
	res := Result{Status: sdk.HandleRecord(record), Discarded: h.fake.Discarded}
	res.Output = h.decode(h.fake.Result)
	for _, r := range h.fake.Reports {
		res.Reports = append(res.Reports, h.decode(r))
	}
	res.Logs = h.fake.Logs
	return res
}

// Record encodes a request record (ABI.md "Request record"). It panics if
// fields holds a Go type with no value encoding.
func Record(kind byte, name string, root, here, hereType uint32, fields map[string]any) []byte {
	b := abi.AppendStr([]byte{kind}, name)
	b = abi.AppendU32(abi.AppendU32(abi.AppendU32(b, root), here), hereType)
	b, err := abi.AppendMap(b, fields)
	if err != nil {
		panic("sdktest: record fields: " + err.Error())
	}
	return b
}
