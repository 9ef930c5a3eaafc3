package sandbox

import (
	"errors"
	"fmt"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/capability/kvstore"
	"github.com/walkerhost/walkerhost/internal/capability/storage"
	"github.com/walkerhost/walkerhost/internal/files"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/kv"
)

// errnoSession is a session of an engine with the storage and kvstore
// capabilities, outside any call.
func errnoSession(t *testing.T) *session {
	t.Helper()
	hm, err := newHostModule([]capability.Capability{storage.New(nil), kvstore.New(nil)})
	if err != nil {
		t.Fatal(err)
	}
	m := &Module{engine: &Engine{host: hm}, limits: Limits{MemoryMB: 64, StorageBytes: 3 << 20, KVValueBytes: 100}}
	inst := &instance{m: m}
	s := &inst.sess
	s.reset(inst, &Request{Name: "w"})
	return s
}

// TestErrno: the one mapping from the errors host functions meet to the
// errnos of abi/ABI.md "Errors", across every capability.
func TestErrno(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want abi.Errno
	}{
		{"graph not found", graph.ErrNotFound, abi.ErrNotFound},
		{"graph denied", fmt.Errorf("x: %w", graph.ErrDenied), abi.ErrDenied},
		{"no upload", fmt.Errorf("%w: id 3", capability.ErrNoUpload), abi.ErrNotFound},
		{"file escape", files.ErrEscape, abi.ErrDenied},
		{"file not found", files.ErrNotFound, abi.ErrNotFound},
		{"file too large", files.ErrTooLarge, abi.ErrTooLarge},
		{"file io", files.ErrIO, abi.ErrUnavailable},
		{"file config", files.ErrConfig, abi.ErrUnavailable},
		{"kv uri denied", kv.ErrDenied, abi.ErrDenied},
		{"kv unsupported", &kv.UnsupportedError{Method: "incr", Kind: "mongodb"}, abi.ErrUnsupported},
		{"kv unavailable", kv.ErrUnavailable, abi.ErrUnavailable},
		{"kv too large", kv.ErrTooLarge, abi.ErrTooLarge},
		{"kv invalid", kv.ErrInvalid, abi.ErrBadArgument},
		{"anything else", errors.New("bad path"), abi.ErrBadArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := errnoSession(t)
			if got := s.Fail(tc.err); got != errnoValue(tc.want) {
				t.Fatalf("errno %d, want %d", int32(got), tc.want)
			}
			if !s.hasErr || s.lastErr != tc.err.Error() {
				t.Fatalf("error_take would give %q (%v), want %q", s.lastErr, s.hasErr, tc.err)
			}
			if denial := errors.Is(tc.err, graph.ErrDenied); (s.nDenied == 1) != denial {
				t.Fatalf("%d denials counted, want one exactly for a graph denial", s.nDenied)
			}
		})
	}
}

// TestErrno_Limits: the errors of a capability's limit end the call with
// LIMIT_EXCEEDED naming it and its configured value.
func TestErrno_Limits(t *testing.T) {
	tests := []struct {
		err         error
		limit, vale string
	}{
		{fmt.Errorf("upload: %w", files.ErrQuota), "storage", "3 MiB"},
		{kv.ErrValueTooLarge, "kv_value", "100 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.limit, func(t *testing.T) {
			s := errnoSession(t)
			defer func() {
				a, _ := recover().(*abort)
				var lim *LimitError
				if a == nil || !errors.As(a, &lim) || lim.Limit != tc.limit || lim.Value != tc.vale || s.abort != a {
					t.Fatalf("stopped with %v, want the %s limit (%s)", a, tc.limit, tc.vale)
				}
			}()
			s.Fail(tc.err)
		})
	}
}
