package wasmrewrite

import (
	"bytes"
	"testing"
)

// TestDataImage: a module rewritten by DataImage, started on a memory that
// already holds the image, ends up as the original after instantiation,
// as wazero runs both. Modules it cannot rewrite are
// returned unchanged.
func TestDataImage(t *testing.T) {
	for _, tc := range []struct {
		name string
		sp   spec
		ok   bool
	}{
		{"const segments", spec{segs: []seg{active(16, "abc"), active(100, "hello"), active(101, "XY")}}, true},
		{"overlap, later wins", spec{segs: []seg{active(10, "aaaaaa"), active(8, "bbb")}}, true},
		{"passive kept", spec{segs: []seg{active(0, "a"), passive("passive!")}, dataCount: true}, true},
		{"memory.init", spec{segs: []seg{active(0, "a"), passive("passive!")}, dataCount: true, initSeg: 2, initLen: 8}, false},
		{"other memory kept", spec{segs: []seg{active(4, "x"), activeMem(0, 70000, "second page")}, pages: 2}, true},
		{"global offset", spec{segs: []seg{active(4, "x"), globalSeg(0, "y")}, importGlobal: true}, false},
		{"past the minimum", spec{segs: []seg{active(4, "x"), active(65534, "abc")}}, false},
		{"imported memory", spec{segs: []seg{active(4, "x")}, importMemory: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.sp.build()
			out, image, ok, err := DataImage(in)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				if !bytes.Equal(out, in) {
					t.Fatal("module changed although not rewritten")
				}
				return
			}
			checkStructure(t, in, out)
			want := runWazero(t, in, 0, tc.sp.pages)
			got := runWazero(t, out, 0, tc.sp.pages)
			if got.instErr != want.instErr {
				t.Fatalf("instantiate error %v, want %v", got.instErr, want.instErr)
			}
			if bytes.ContainsFunc(got.mem, func(r rune) bool { return r != 0 }) {
				t.Fatal("rewritten module still writes data at instantiation")
			}
			copy(got.mem, image)
			if !bytes.Equal(got.mem, want.mem) {
				t.Fatal("image laid on the rewritten module's memory differs from the original's memory")
			}
		})
	}
}

func FuzzDataImage(f *testing.F) {
	f.Add(spec{segs: []seg{active(16, "abc"), passive("p")}, dataCount: true}.build())
	f.Fuzz(func(t *testing.T, wasm []byte) {
		out, image, ok, err := DataImage(wasm)
		if err != nil || !ok {
			return
		}
		if _, err := Sections(out); err != nil {
			t.Fatalf("rewritten module does not parse: %v", err)
		}
		if len(image) > len(wasm) && len(image) > 1<<20 {
			t.Logf("image of %d bytes", len(image))
		}
	})
}
