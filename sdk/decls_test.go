package sdk_test

import (
	"errors"
	"fmt"

	"github.com/walkerhost/walkerhost/sdk"
)

// The declarations every external test shares; the manifest test lists
// them all.

var (
	Item  = sdk.NodeType("Item", sdk.StringField("name").Required(), sdk.IntField("count").Default(0))
	Tag   = sdk.NodeType("Tag")
	Has   = sdk.EdgeType("Has", sdk.FloatField("weight").Default(1))
	Likes = sdk.EdgeType("Likes")
)

// Empty is a walker or argument value without fields.
type Empty struct{}

func (*Empty) Fields(*sdk.Fields) {}

func newEmpty() *Empty { return new(Empty) }

// Tour visits the items the root has (breadth first), reporting names.
type Tour struct {
	SkipAt, StopAt string
	Seen           int
}

func (w *Tour) Fields(f *sdk.Fields) {
	f.String("skip_at", &w.SkipAt)
	f.String("stop_at", &w.StopAt)
	f.Int("seen", &w.Seen)
}

var _ = sdk.Walker("tour", func() *Tour { return new(Tour) }).
	Method("GET").Public().
	OnRoot(func(w *Tour, v *sdk.Visit) error {
		items, err := v.Here().Out(Has, Item)
		v.Visit(items...)
		if err != nil {
			return err
		}
		return v.Report("root")
	}).
	OnEntry("Item", func(w *Tour, v *sdk.Visit) error {
		switch v.Here().Str("name") {
		case w.SkipAt:
			return v.Skip()
		case w.StopAt:
			return v.Disengage()
		}
		w.Seen++
		return nil
	}).
	OnEntry("Item", func(w *Tour, v *sdk.Visit) error {
		children, err := v.Here().Out(Has)
		v.Visit(children...)
		if err != nil {
			return err
		}
		return v.Report(v.Here().Str("name"))
	})

// Echo declares one field of each kind and reports nothing: its result is
// its fields.
type Echo struct {
	S   string
	I   int
	I64 int64
	F   float64
	B   bool
	L   []any
	O   map[string]any
	A   any
	OS  *string
	OB  *bool
	OI  *int
	OF  *float64
	SL  []string
}

func (w *Echo) Fields(f *sdk.Fields) {
	f.String("s", &w.S).Required()
	f.Int("i", &w.I).Default(7)
	f.Int64("i64", &w.I64)
	f.Float("f", &w.F).Default(1.5)
	f.Bool("b", &w.B).Default(true)
	f.List("l", &w.L).Default([]any{"x"})
	f.Object("o", &w.O)
	f.Any("a", &w.A)
	f.OptString("os", &w.OS)
	f.OptBool("ob", &w.OB)
	f.OptInt("oi", &w.OI)
	f.OptFloat("of", &w.OF)
	f.StringList("sl", &w.SL).Doc("labels")
}

var _ = sdk.Walker("echo", func() *Echo { return new(Echo) }).
	Path("/echo/it").Webhook().Doc("Echoes its fields.").
	OnRoot(func(w *Echo, v *sdk.Visit) error {
		w.L = append(w.L, "walked")
		return nil
	})

// Secret is spawned by call_secret, by name and as a value.
type Secret struct {
	Word  string
	Calls int
}

func (w *Secret) Fields(f *sdk.Fields) {
	f.String("word", &w.Word).Default("psst")
	f.Int("calls", &w.Calls)
}

var secret = sdk.Walker("secret", func() *Secret { return new(Secret) }).
	Private().
	OnRoot(func(w *Secret, v *sdk.Visit) error {
		w.Calls++
		return v.Report(w.Word)
	})

// Caller spawns secret twice and a failing walker once.
type Caller struct{ Heard int }

func (w *Caller) Fields(f *sdk.Fields) { f.Int("heard", &w.Heard) }

var _ = sdk.Walker("call_secret", func() *Caller { return new(Caller) }).
	OnRoot(func(w *Caller, v *sdk.Visit) error {
		if err := v.Spawn("secret", v.Here()); err != nil {
			return err
		}
		s := secret.New()
		s.Word = "hi"
		if err := v.Spawn(s, v.Here()); err != nil {
			return err
		}
		w.Heard = s.Calls
		if err := v.Spawn("panic", v.Here()); err != nil {
			return v.Report(err.Error())
		}
		return nil
	})

var _ = sdk.Walker("fail", newEmpty).
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		if err := v.Report("before"); err != nil {
			return err
		}
		return errors.New("boom")
	})

var _ = sdk.Walker("panic", newEmpty).
	OnRoot(func(*Empty, *sdk.Visit) error {
		var m map[string]int
		m["x"] = 1
		return nil
	})

// Lookup reports what NodeByID says about its id.
type Lookup struct{ ID string }

func (w *Lookup) Fields(f *sdk.Fields) { f.String("id", &w.ID).Required() }

var _ = sdk.Walker("lookup", func() *Lookup { return new(Lookup) }).
	OnRoot(func(w *Lookup, v *sdk.Visit) error {
		n, err := sdk.NodeByID(w.ID)
		if errors.Is(err, sdk.ErrNotFound) {
			return v.Report("not found")
		}
		if err != nil {
			return err
		}
		return v.Report(n)
	})

var _ = sdk.Walker("lookup_raw", func() *Lookup { return new(Lookup) }).
	OnRoot(func(w *Lookup, v *sdk.Visit) error {
		_, err := sdk.NodeByID(w.ID)
		return err
	})

// AddArgs are the arguments of add.
type AddArgs struct{ A, B int }

func (a *AddArgs) Fields(f *sdk.Fields) {
	f.Int("a", &a.A).Required()
	f.Int("b", &a.B).Required()
}

var _ = sdk.Function("add", func() *AddArgs { return new(AddArgs) }, func(a *AddArgs) (any, error) {
	return a.A + a.B, nil
}).Returns(sdk.TypeInt).Public()

var _ = sdk.Function("bad_result", newEmpty, func(*Empty) (any, error) {
	return struct{}{}, nil
})

// crud exercises every graph operation once, reporting what it sees.
var _ = sdk.Walker("crud", newEmpty).
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		item, err := Item.Create(map[string]any{"name": "x"})
		if err != nil {
			return err
		}
		if _, err := v.Here().Connect(item, Has, map[string]any{"weight": 2.5}); err != nil {
			return err
		}
		if err := item.Set(map[string]any{"count": 5, "name": "y"}); err != nil {
			return err
		}
		links, err := v.Here().Links(sdk.DirOut, Has)
		if err != nil || len(links) != 1 {
			return errors.New("want one link")
		}
		l := links[0]
		gone, err := v.Here().Disconnect(item, nil)
		if err != nil {
			return err
		}
		report := map[string]any{
			"id_known": item.ID() != "", "count": item.Int("count"), "name": item.Str("name"),
			"weight": l.Edge.Float("weight"), "src_is_root": l.Edge.Src() == v.Root(),
			"dst_is_item": l.Edge.Dst() == item, "is_item": l.Node.Is(Item), "edge_type": l.Edge.Type().Name(),
			"disconnected": gone, "node": item,
		}
		if err := v.Report(report); err != nil {
			return err
		}
		id := item.ID()
		if err := item.Delete(); err != nil {
			return err
		}
		_, err = sdk.NodeByID(id)
		return v.Report(errors.Is(err, sdk.ErrNotFound))
	})

// Bulk creates n items with long names and lists them in one query, a
// result larger than the SDK's first scratch buffer.
type Bulk struct{ N int }

func (w *Bulk) Fields(f *sdk.Fields) { f.Int("n", &w.N) }

var _ = sdk.Walker("bulk", func() *Bulk { return new(Bulk) }).
	OnRoot(func(w *Bulk, v *sdk.Visit) error {
		if w.N > 1000 {
			return errors.New("n is at most 1000")
		}
		long := string(make([]byte, 100))
		for i := 0; i < w.N; i++ {
			item, err := Item.Create(map[string]any{"name": long, "count": i})
			if err != nil {
				return err
			}
			if _, err := v.Here().Connect(item, Has, nil); err != nil {
				return err
			}
		}
		items, err := v.Here().Out(Has)
		if err != nil {
			return err
		}
		sum := int64(0)
		for _, it := range items {
			sum += it.Int("count")
		}
		return v.Report([]any{len(items), sum})
	})

// lookup_ignored drops NodeByID's error unseen.
var _ = sdk.Walker("lookup_ignored", func() *Lookup { return new(Lookup) }).
	OnRoot(func(w *Lookup, v *sdk.Visit) error {
		_, _ = sdk.NodeByID(w.ID)
		return nil
	})

// Greet is the benchmarks' trivial walker, like the hello guest's: one
// string field, one report of a one-key map.
type Greet struct{ Name string }

func (w *Greet) Fields(f *sdk.Fields) { f.String("name", &w.Name).Default("world") }

var _ = sdk.Walker("greet", func() *Greet { return new(Greet) }).
	Public().Method("GET").
	OnRoot(func(w *Greet, v *sdk.Visit) error {
		return v.Report(map[string]any{"message": "Hello, " + w.Name + "!"})
	})

// list visits the items the root has, from one edge query, and reports
// each, like the todo guest's list_todos.
var _ = sdk.Walker("list", newEmpty).
	Method("GET").
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		items, err := v.Here().Out(Has, Item)
		v.Visit(items...)
		return err
	}).
	OnEntry("Item", func(_ *Empty, v *sdk.Visit) error {
		return v.Report(v.Here())
	})

// spawn_panic returns the error of a spawned walker that panicked, which
// fails the request as a panic; with "wrap" set, wrapped.
type SpawnPanic struct{ Wrap bool }

func (w *SpawnPanic) Fields(f *sdk.Fields) { f.Bool("wrap", &w.Wrap) }

var _ = sdk.Walker("spawn_panic", func() *SpawnPanic { return new(SpawnPanic) }).
	OnRoot(func(w *SpawnPanic, v *sdk.Visit) error {
		err := v.Spawn("panic", v.Here())
		if w.Wrap {
			return fmt.Errorf("spawned: %w", err)
		}
		return err
	})

var _ = sdk.Function("panic_fn", newEmpty, func(*Empty) (any, error) {
	var m map[string]int
	m["x"] = 1
	return nil, nil
})

// BadFields panics while binding when panicInFields is set (never while the
// manifest is built).
type BadFields struct{ S string }

var panicInFields bool

func (w *BadFields) Fields(f *sdk.Fields) {
	if panicInFields {
		panic("no fields today")
	}
	f.String("s", &w.S)
}

var _ = sdk.Walker("bad_fields", func() *BadFields { return new(BadFields) })

// inspect reports what every field accessor says about the items the root
// has, reading each first while the fields are still encoded, then after
// Fields decoded them.
var _ = sdk.Walker("inspect", newEmpty).
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		items, err := v.Here().Out(Has, Item)
		if err != nil {
			return err
		}
		for _, it := range items {
			before := inspect(it)
			fields, err := it.Fields()
			if err != nil {
				return err
			}
			fields["name"] = "changed" // a copy: the cache must not change
			after := inspect(it)
			if err := v.Report([]any{before, after, it.ID() != ""}); err != nil {
				return err
			}
		}
		return nil
	})

func inspect(n sdk.Node) map[string]any {
	return map[string]any{
		"name": n.Get("name"), "count": n.Get("count"), "w": n.Get("w"), "ok": n.Get("ok"),
		"tags": n.Get("tags"), "meta": n.Get("meta"), "absent": n.Get("absent"),
		"str": n.Str("name"), "str_of_int": n.Str("count"), "int": n.Int("count"), "int_of_float": n.Int("w"),
		"float": n.Float("w"), "float_of_int": n.Float("count"), "bool": n.Bool("ok"), "bool_of_str": n.Bool("name"),
	}
}

// Perms creates an item with a Has edge from the root, sets permissions on
// both and on the root, and reports each call's outcome; Undo takes them
// back; Ignore drops the first call's error unseen.
type Perms struct {
	Root         string
	Level        int
	Undo, Ignore bool
}

func (w *Perms) Fields(f *sdk.Fields) {
	f.String("root", &w.Root)
	f.Int("level", &w.Level)
	f.Bool("undo", &w.Undo)
	f.Bool("ignore", &w.Ignore)
}

func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, sdk.ErrDenied):
		return "denied"
	case errors.Is(err, sdk.ErrBadArgument):
		return "bad argument"
	}
	return err.Error()
}

var _ = sdk.Walker("perms", func() *Perms { return new(Perms) }).
	OnRoot(func(w *Perms, v *sdk.Visit) error {
		item, err := Item.Create(map[string]any{"name": "p"})
		if err != nil {
			return err
		}
		edge, err := v.Root().Connect(item, Has, nil)
		if err != nil {
			return err
		}
		level := sdk.PermLevel(w.Level)
		if w.Ignore {
			_ = item.Grant(level)
			return nil
		}
		out := map[string]any{
			"id": item.ID(), "edge": edge.ID(),
			"grant":      outcome(item.Grant(level)),
			"allow":      outcome(item.AllowRoot(w.Root, level)),
			"edge_grant": outcome(edge.Grant(sdk.Read)),
			"root_allow": outcome(v.Root().AllowRoot(w.Root, level)),
		}
		if w.Undo {
			out["revoke"] = outcome(item.Revoke())
			out["disallow"] = outcome(item.DisallowRoot(w.Root))
		}
		return v.Report(out)
	})

// Attach stores its uploaded file and reads it back in three ways.
type Attach struct {
	Doc, Extra sdk.File
	Path       string
}

func (w *Attach) Fields(f *sdk.Fields) {
	f.File("doc", &w.Doc).Required()
	f.File("extra", &w.Extra)
	f.String("path", &w.Path).Default("up/doc.bin")
}

var _ = sdk.Walker("attach", func() *Attach { return new(Attach) }).
	OnRoot(func(w *Attach, v *sdk.Visit) error {
		all, err := w.Doc.Bytes()
		if err != nil {
			return err
		}
		var chunks []any
		buf := make([]byte, 3)
		for {
			n, err := w.Doc.Read(buf)
			if n > 0 {
				chunks = append(chunks, string(buf[:n]))
			}
			if err != nil {
				break
			}
		}
		tail := make([]byte, 2)
		n, _ := w.Doc.ReadAt(tail, w.Doc.Size-2)
		stored, err := sdk.Store().UploadFile(w.Path, w.Doc)
		if err != nil {
			return err
		}
		return v.Report(map[string]any{
			"name": w.Doc.Name, "type": w.Doc.ContentType, "size": w.Doc.Size, "all": string(all),
			"chunks": chunks, "tail": string(tail[:n]), "stored": stored, "extra": w.Extra.Given(),
		})
	})
