package sandbox

import (
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
)

// Upload is a file sent with a request for a field of type file
// (abi/ABI.md "Uploads"). Its id in the request is its position in
// Request.Uploads plus one.
type Upload struct {
	Name        string // the file name the client sent
	ContentType string
	Data        []byte
}

// upload returns the upload with id.
func (s *session) upload(id int64) (*Upload, error) {
	if id < 1 || id > int64(len(s.uploads)) {
		return nil, fmt.Errorf("%w: id %d was not issued to this request", capability.ErrNoUpload, id)
	}
	return &s.uploads[id-1], nil
}

// uploadRead is upload_read (abi/ABI.md "Uploads").
func uploadRead(s *session, stack []uint64) {
	up, err := s.upload(int64(s32(stack[0])))
	if err != nil {
		stack[0] = s.fail(abi.ErrNotFound, err)
		return
	}
	off := int64(stack[1])
	if off < 0 {
		stack[0] = s.fail(abi.ErrBadArgument, fmt.Errorf("sandbox: upload_read: offset %d is negative", off))
		return
	}
	var n int
	if off < int64(len(up.Data)) {
		n = min(len(up.Data)-int(off), int(u32(stack[3])))
		copy(s.read(abi.FuncUploadRead, u32(stack[2]), uint32(n)), up.Data[off:])
	}
	stack[0] = uint64(n)
}
