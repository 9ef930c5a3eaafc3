package sdktest

import (
	"maps"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/internal/fakehost"
)

// Upload is a file to send with a call, as the value of a field of type
// file in the fields map:
//
//	res := h.Call("save_avatar", map[string]any{
//		"avatar": sdktest.Upload{Name: "me.png", ContentType: "image/png", Data: png},
//	})
type Upload struct {
	Name, ContentType string
	Data              []byte
}

// withUploads starts the fake request's uploads from the Upload values in
// fields, which it returns with each replaced by its upload map (ABI.md
// "Uploads"). fields itself is not changed.
func (h *Host) withUploads(fields map[string]any) map[string]any {
	var out map[string]any
	for k, v := range fields {
		u, ok := v.(Upload)
		if !ok {
			continue
		}
		if out == nil {
			out = maps.Clone(fields)
		}
		h.fake.Uploads = append(h.fake.Uploads, fakehost.Upload{Name: u.Name, ContentType: u.ContentType, Data: u.Data})
		out[k] = map[string]any{abi.UploadName: u.Name, abi.UploadContentType: u.ContentType,
			abi.UploadSize: int64(len(u.Data)), abi.UploadID: int64(len(h.fake.Uploads))}
	}
	if out == nil {
		return fields
	}
	return out
}

// StoredFile returns the bytes of the file at path in the app's storage,
// as the guest's store calls left it.
func (h *Host) StoredFile(path string) ([]byte, bool) { return h.fake.StoredFile(path) }

// AllowKVURI makes the host accept uri in KVStore(..., uri), as an
// operator's kvstore.allowed_uris does; any other URI is refused with
// sdk.ErrDenied.
func (h *Host) AllowKVURI(uri string) { h.fake.KVURIs = append(h.fake.KVURIs, uri) }

// SetClock makes the host's clock (sdk.Now, key expiry, file times) return
// now(), in Unix nanoseconds.
func (h *Host) SetClock(now func() int64) { h.fake.Clock = now }
