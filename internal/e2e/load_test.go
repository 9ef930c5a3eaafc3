package e2e

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestLoad_Refused checks that modules breaking the ABI are refused at load
// with a message naming the module and what is wrong.
func TestLoad_Refused(t *testing.T) {
	tests := []struct {
		name string
		wasm func(t *testing.T) []byte
		want string
	}{
		{"not wasm", func(*testing.T) []byte { return []byte("\x00asm garbage") }, "decode: wasmrewrite: unsupported binary version"},
		{"empty", func(*testing.T) []byte { return nil }, "decode: wasmrewrite: not a WebAssembly module"},
		{"invalid code", func(*testing.T) []byte { return invalidCode }, "compile"},
		{"start section", func(*testing.T) []byte { return startSection }, "has a start section"},
		{"no exports", func(t *testing.T) []byte { return testenv.BadGuest(t, "noexports") }, "does not export func[walker_abi_version]"},
		{"bad manifest", func(t *testing.T) []byte { return testenv.BadGuest(t, "badmanifest") }, `walker "w": field "f": unknown type "text"`},
		{"wrong abi", func(t *testing.T) []byte { return testenv.BadGuest(t, "wrongabi") }, "speaks ABI v2, this host speaks v1"},
		{"foreign import", func(t *testing.T) []byte { return testenv.BadGuest(t, "badimport") }, "imports env.steal_secrets"},
		{"reserved import", func(t *testing.T) []byte { return testenv.BadGuest(t, "reserved") }, "imports walker.kv_get: reserved"},
		{"init never returns", func(t *testing.T) []byte { return testenv.BadGuest(t, "initloop") }, "_initialize: sandbox: time limit exceeded"},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testenv.Config(t)
			cfg.RequestTimeout = time.Second
			h, err := host.Open(context.Background(), cfg, "mod_"+strings.ReplaceAll(tc.name, " ", "_"), tc.wasm(t), log)
			if err == nil {
				h.Close()
				t.Fatal("module was accepted")
			}
			if !errors.Is(err, sandbox.ErrModule) {
				t.Fatalf("error does not wrap ErrModule: %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, `module "mod_`) || !strings.Contains(msg, tc.want) {
				t.Fatalf("message %q should name the module and contain %q", msg, tc.want)
			}
		})
	}
}

// invalidCode is a well-formed module whose one function, typed () -> (),
// leaves an i32 on the stack: it decodes but fails validation.
var invalidCode = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
	0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
	0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0b, // code section: no locals, i32.const 0, end
}

// startSection is a module whose start function loops forever: it must be
// refused before anything instantiates it.
var startSection = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
	0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
	0x08, 0x01, 0x00, // start section: function 0
	0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, // code: loop br 0 end end
}
