package sdk

import "github.com/walkerhost/walkerhost/abi"

// record is a decoded request record (ABI.md "Request record").
type record struct {
	kind     byte
	name     []byte // aliases the input; used only before the call runs
	root     uint32
	here     uint32
	hereType uint32
	fields   map[string]any
}

func decodeRecord(b []byte) (record, bool) {
	rd.Reset(b)
	r := record{kind: rd.Byte(), name: rd.StrBytes()}
	r.root, r.here, r.hereType = rd.U32(), rd.U32(), rd.U32()
	fields, ok := readMap(&rd)
	r.fields = fields
	return r, ok && rd.Done() == nil
}

// HandleRecord runs one request record and returns what walker_handle
// returns: the wasip1 export calls it on the input arena, and package
// sdktest calls it natively. A record that does not decode, names an
// unknown walker or function, or lacks a required field is
// StatusBadRequest, a host/guest mismatch; a walker or function that returns
// an error or panics is StatusFailed. Either way the reason is passed to
// output as a string.
func HandleRecord(rec []byte) abi.Status {
	r, ok := decodeRecord(rec)
	if !ok {
		return badRequest("malformed request record")
	}
	h := reg.lookup(r.kind, r.name)
	if h == nil {
		return badRequest("no walker or function named " + quote(string(r.name)))
	}
	cur.begin(r.root, r.here, r.hereType)
	var run func() (any, error)
	err := protect(func() (err error) {
		run, err = h.start(r.fields, Node{ref{r.here}})
		return err
	})
	if err != nil {
		return badRequest(h.endpoint().name + ": " + err.Error())
	}
	return finish(run)
}

// finish runs the call and passes its result, or its failure, to output.
func finish(run func() (any, error)) abi.Status {
	var out any
	err := protect(func() (err error) {
		out, err = run()
		return err
	})
	if err == nil {
		err = output(out)
	}
	if err != nil {
		_ = output(err.Error())
		return abi.StatusFailed
	}
	return abi.StatusOK
}

func badRequest(msg string) abi.Status {
	_ = output("sdk: bad request: " + msg)
	return abi.StatusBadRequest
}
