package interp_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/lang/ast"
	"github.com/walkerhost/walkerhost/lang/interp"
)

// logHost records the order of prints and reports.
type logHost struct {
	*interp.MemHost
	log []string
}

func (h *logHost) Report(v any) error {
	h.log = append(h.log, fmt.Sprint("report ", v))
	return h.MemHost.Report(v)
}

func (h *logHost) Print(s string) {
	h.log = append(h.log, "print "+strings.TrimSuffix(s, "\n"))
	h.MemHost.Print(s)
}

func TestReportsStreamAsMade(t *testing.T) {
	h := &logHost{MemHost: interp.NewMemHost()}
	p := load(t, `walker w { can go with Root entry { print("a"); report 1; print("b"); report {"k": [2]}; } }`, h)
	if err := p.Walker("w", nil, ""); err != nil {
		t.Fatal(err)
	}
	want := []string{"print a", "report 1", "print b", "report map[k:[2]]"}
	if !reflect.DeepEqual(h.log, want) {
		t.Errorf("log = %q, want %q", h.log, want)
	}
}

// TestReportedGeneratorStreams: `report gen()` reports each yielded value
// as it is made, interleaved with what the generator prints, so that the
// host can stream them as separate events.
func TestReportedGeneratorStreams(t *testing.T) {
	h := &logHost{MemHost: interp.NewMemHost()}
	p := load(t, `
def gen(n: int) { for i in range(n) { print(i); yield i * 10; } }
walker w { can go with Root entry { report gen(2); } }`, h)
	if err := p.Walker("w", nil, ""); err != nil {
		t.Fatal(err)
	}
	want := []string{"print 0", "report 0", "print 1", "report 10"}
	if !reflect.DeepEqual(h.log, want) {
		t.Errorf("log = %q, want %q", h.log, want)
	}
}

func TestServicesGoThroughHost(t *testing.T) {
	h := interp.NewMemHost()
	p := load(t, `
node Doc { has title: str; }
glob storage = store(base_path="./uploads");
walker share {
    can go with Root entry {
        d = here ++> Doc(title="x");
        perm_grant(d[0], READ);
        allow_root(d[0], "root2", WRITE);
        perm_revoke(d[0]);
        storage.exists("a/b.txt");
        db = kvstore(db_name="app", db_type="redis");
        db.set("k", {"v": 1});
        report db.get("k");
        report jid(d[0]);
    }
}`, h)
	if err := p.Walker("share", nil, ""); err != nil {
		t.Fatal(err)
	}
	want := []string{"perm_grant[{n1} READ]", "allow_root[{n1} root2 WRITE]", "perm_revoke[{n1}]",
		"store.exists[a/b.txt]", "kv.set[app redis k map[v:1]]", "kv.get[app redis k]"}
	if !reflect.DeepEqual(h.Calls, want) {
		t.Errorf("calls = %q\nwant    %q", h.Calls, want)
	}
	if want := []any{map[string]any{"v": int64(1)}, "n1"}; !reflect.DeepEqual(h.Reports, want) {
		t.Errorf("reports = %#v, want %#v", h.Reports, want)
	}
}

func TestGraphWritesBack(t *testing.T) {
	h := interp.NewMemHost()
	p := load(t, `
node Doc { has title: str, meta: dict = {}; }
edge Link { has weight: int = 1; }
walker build { can go with Root entry { a = here ++> Doc(title="a"); a[0] +>:Link(weight=2):+> Doc(title="b"); } }
walker edit {
    can go with Root entry { visit [-->]; }
    can doc with Doc entry {
        here.meta["seen"] = True;
        for e in [edge here -->] { e.weight += 10; }
        visit [-->];
    }
}
walker weights { can go with Root entry { report [e.weight for e in [edge [-->] -->]]; } }
walker drop { can go with Root entry { for d in [-->] { del d; } } }
`, h)
	for _, w := range []string{"build", "edit", "weights"} {
		if err := p.Walker(w, nil, ""); err != nil {
			t.Fatalf("%s: %v", w, err)
		}
	}
	if got := h.Fields("n1")["meta"]; !reflect.DeepEqual(got, map[string]any{"seen": true}) {
		t.Errorf("meta = %#v", got)
	}
	if want := []any{[]any{int64(12)}}; !reflect.DeepEqual(h.Reports, want) {
		t.Errorf("edge weights = %#v, want %#v", h.Reports, want)
	}
	if err := p.Walker("drop", nil, ""); err != nil {
		t.Fatal(err)
	}
	if n := h.NodeCount(); n != 2 {
		t.Errorf("nodes after del = %d, want 2 (root and b)", n)
	}
}

// Reported objects look as jaclang's API serializer shows them.
func TestReportedObjects(t *testing.T) {
	h := interp.NewMemHost()
	p := load(t, `
obj Pt { has x: int, y: str = "a"; }
enum Color { RED = "red" }
walker w { has k: int = 1; can go with Root entry { report Pt(x=1); report Color.RED; report (1, 2); report self; } }`, h)
	if err := p.Walker("w", nil, ""); err != nil {
		t.Fatal(err)
	}
	pt, _ := h.Reports[0].(map[string]any)
	if id, _ := pt["_jac_id"].(string); len(id) != 32 {
		t.Errorf("_jac_id = %v", pt["_jac_id"])
	}
	delete(pt, "_jac_id")
	if want := map[string]any{"x": int64(1), "y": "a", "_jac_type": "Pt", "_jac_archetype": "archetype"}; !reflect.DeepEqual(pt, want) {
		t.Errorf("obj report = %#v, want %#v", pt, want)
	}
	if h.Reports[1] != "red" || !reflect.DeepEqual(h.Reports[2], []any{int64(1), int64(2)}) {
		t.Errorf("reports = %#v", h.Reports)
	}
	if wk, _ := h.Reports[3].(map[string]any); wk["_jac_archetype"] != "walker" || wk["k"] != int64(1) {
		t.Errorf("walker report = %#v", h.Reports[3])
	}
}

// panicHost fails inside the interpreter's call to it with a Go panic.
type panicHost struct{ *interp.MemHost }

func (panicHost) Edges(interp.NodeID, ast.Dir, string) ([]interp.EdgeInfo, error) {
	var m map[string]int
	m["x"]++ // a Go runtime panic
	return nil, nil
}

func TestGoPanicsBecomeErrors(t *testing.T) {
	p := load(t, `walker w { can go with Root entry { print("before"); x = [-->]; } }`, panicHost{interp.NewMemHost()})
	err := p.Walker("w", nil, "")
	var e *interp.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *interp.Error", err, err)
	}
	if e.Type != "InternalError" || e.Pos.Line != 1 || strings.Contains(e.Msg, "goroutine") {
		t.Errorf("error = %+v", e)
	}
}

// Objs and enums kept in node fields come back as themselves in the next call.
func TestObjFieldsRoundTrip(t *testing.T) {
	h := interp.NewMemHost()
	p := load(t, `
obj Addr { has city: str, zip: int = 0; }
enum Kind { HOME, WORK }
node Person { has name: str, addr: Addr = Addr(city="?"), kind: Kind = Kind.HOME, tags: set = set(); }
walker add { can go with Root entry { here ++> Person(name="a", addr=Addr(city="Oslo", zip=1), kind=Kind.WORK); } }
walker show { can go with Root entry { for p in [-->] { report f"{p.addr} {p.addr.city} {p.kind} {p.kind == Kind.WORK}"; } } }
`, h)
	for _, w := range []string{"add", "show"} {
		if err := p.Walker(w, nil, ""); err != nil {
			t.Fatalf("%s: %v", w, err)
		}
	}
	want := []any{"Addr(city='Oslo', zip=1) Oslo Kind.WORK True"}
	if !reflect.DeepEqual(h.Reports, want) {
		t.Errorf("reports = %#v, want %#v", h.Reports, want)
	}
}

// clockHost gives a fixed time.
type clockHost struct{ *interp.MemHost }

func (clockHost) Now() time.Time { return time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC) }

func TestHostClock(t *testing.T) {
	h := clockHost{interp.NewMemHost()}
	p := load(t, `import time; import from datetime { datetime }
def now() -> list { return [time.time(), datetime.now().isoformat()]; }`, h)
	v, err := p.Function("now", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{1904281689.0, "2030-05-06T07:08:09"}; !reflect.DeepEqual(v, want) {
		t.Errorf("now() = %#v, want %#v", v, want)
	}
}

// TestUploadFile: a walker field of type UploadFile is jac-scale's
// UploadFile object (filename, content_type, size, file, read(), also
// awaited), and store().upload takes it, or its file, unread as the
// host's *Upload, which the host stores without the bytes passing
// through the program.
func TestUploadFile(t *testing.T) {
	src := `
import from http { UploadFile }
glob storage = store(base_path="./uploads");
walker info {
    has file: UploadFile;
    can go with Root entry {
        f = self.file;
        report [f.filename, f.content_type, f.size, isinstance(f, UploadFile)];
        report await f.read(5);
        report f.file.read();
        f.file.seek(0);
        report [f.read(), f.read()];
        report f;
    }
}
walker put {
    has file: UploadFile;
    has whole: bool = True;
    can go with Root entry {
        if self.whole { storage.upload(self.file.file, "a.dat"); }
        else { self.file.read(6); storage.upload(self.file, "b.dat"); }
        report storage.download("a.dat" if self.whole else "b.dat");
    }
}`
	tests := []struct {
		walker string
		fields map[string]any
		want   []any
		calls  []string
	}{
		{"info", nil, []any{
			[]any{"a.txt", "text/plain", int64(11), true},
			[]byte("hello"), []byte(" world"),
			[]any{[]byte("hello world"), []byte{}},
			map[string]any{"filename": "a.txt", "content_type": "text/plain", "size": int64(11)},
		}, nil},
		{"put", nil, []any{[]byte("hello world")}, []string{"store.upload[UPLOAD a.dat]", "store.download[a.dat]"}},
		{"put", map[string]any{"whole": false}, []any{[]byte("world")}, []string{"store.upload[[119 111 114 108 100] b.dat]", "store.download[b.dat]"}},
	}
	for _, tc := range tests {
		t.Run(tc.walker, func(t *testing.T) {
			h := interp.NewMemHost()
			p := load(t, src, h)
			reads := 0
			up := &interp.Upload{Name: "a.txt", ContentType: "text/plain", Size: 11,
				Read: func() ([]byte, error) { reads++; return []byte("hello world"), nil }, Ref: "ref"}
			fields := map[string]any{"file": up}
			for k, v := range tc.fields {
				fields[k] = v
			}
			if err := p.Walker(tc.walker, fields, ""); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(h.Reports, tc.want) {
				t.Errorf("reports = %#v\nwant      %#v", h.Reports, tc.want)
			}
			if reads != 1 {
				t.Errorf("the upload was read %d times, want once", reads)
			}
			if tc.calls != nil {
				calls := strings.ReplaceAll(strings.Join(h.Calls, "|"), fmt.Sprintf("%p", up), "UPLOAD")
				if want := strings.Join(tc.calls, "|"); calls != want {
					t.Errorf("calls = %s, want %s", calls, want)
				}
			}
		})
	}
}
