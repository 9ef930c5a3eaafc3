package main

import (
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/lang/interp"
	"github.com/walkerhost/walkerhost/sdk"
)

// register declares the manifest's types, walkers and functions to the SDK.
func register(m *abi.Manifest) {
	for _, n := range m.Nodes {
		host.kinds[n.Name] = sdk.NodeType(n.Name, typeFields(n.Fields)...)
	}
	for _, e := range m.Edges {
		host.ekind[e.Name] = sdk.EdgeType(e.Name, typeFields(e.Fields)...)
	}
	for i := range m.Walkers {
		registerWalker(&m.Walkers[i], m.Nodes)
	}
	for i := range m.Functions {
		registerFunction(&m.Functions[i])
	}
}

// args is a walker value or a function's arguments: the declared fields,
// bound with sdk.Fields.Typed, and files (UploadFile fields) with
// sdk.Fields.File.
type args struct {
	decl  []abi.Field
	vals  []any
	files []sdk.File
}

func newArgs(decl []abi.Field) *args {
	return &args{decl: decl, vals: make([]any, len(decl)), files: make([]sdk.File, len(decl))}
}

func (a *args) Fields(f *sdk.Fields) {
	for i, fd := range a.decl {
		if fd.Type == abi.TypeFile {
			if b := f.File(fd.Name, &a.files[i]); fd.Required {
				b.Required()
			}
			continue
		}
		b := f.Typed(fd.Name, sdk.Type(fd.Type), &a.vals[i])
		if fd.Required {
			b.Required()
		}
		if fd.Default != nil {
			b.Default(fd.Default)
		}
	}
}

// values are the fields the request gave or defaulted; the program fills
// in the others.
func (a *args) values() map[string]any {
	m := make(map[string]any, len(a.vals))
	for i, v := range a.vals {
		if v != nil {
			m[a.decl[i].Name] = v
		}
		if f := &a.files[i]; f.Given() {
			m[a.decl[i].Name] = &interp.Upload{Name: f.Name, ContentType: f.ContentType, Size: f.Size, Read: f.Bytes, Ref: f}
		}
	}
	return m
}

func registerWalker(w *abi.Entry, nodes []abi.TypeDecl) {
	d := sdk.Walker(w.Name, func() *args { return newArgs(w.Fields) }).
		Access(sdk.Access(w.Access)).Method(w.Method)
	if w.Path != "" {
		d.Path(w.Path)
	}
	if w.Webhook {
		d.Webhook()
	}
	name := w.Name
	run := func(a *args, v *sdk.Visit) error {
		if name == MainWalker {
			return v.Report(runMain())
		}
		host.begin()
		here := host.keep(v.Here())
		if v.Here().ID() == sdk.Root().ID() {
			here = ""
		}
		return jacError(prog.Walker(name, a.values(), here))
	}
	d.OnRoot(run)
	for _, n := range nodes {
		d.OnEntry(n.Name, run)
	}
}

func registerFunction(f *abi.Entry) {
	name := f.Name
	d := sdk.Function(f.Name, func() *args { return newArgs(f.Fields) }, func(a *args) (any, error) {
		host.begin()
		res, err := prog.Function(name, a.values())
		if err != nil {
			return nil, jacError(err)
		}
		return host.sdkValue(res), nil
	}).Access(sdk.Access(f.Access)).Method(f.Method).Returns(sdk.Type(f.Returns))
	if f.Path != "" {
		d.Path(f.Path)
	}
	if f.Webhook {
		d.Webhook()
	}
}

// typeFields turns declared node or edge fields into the SDK's.
func typeFields(fs []abi.Field) []sdk.FieldDecl {
	out := make([]sdk.FieldDecl, 0, len(fs))
	for _, f := range fs {
		out = append(out, typeField(f))
	}
	return out
}

func typeField(f abi.Field) sdk.FieldDecl {
	switch f.Type {
	case abi.TypeString:
		return withDefault(sdk.StringField(f.Name), f)
	case abi.TypeInt:
		return withDefault(sdk.IntField(f.Name), f)
	case abi.TypeFloat:
		d := sdk.FloatField(f.Name)
		if i, ok := f.Default.(int64); ok {
			f.Default = float64(i)
		}
		return withDefault(d, f)
	case abi.TypeBool:
		return withDefault(sdk.BoolField(f.Name), f)
	case abi.TypeList:
		return withDefault(sdk.ListField(f.Name), f)
	case abi.TypeObject:
		return withDefault(sdk.ObjectField(f.Name), f)
	}
	return withDefault(sdk.AnyField(f.Name), f)
}

func withDefault[T any](d sdk.Decl[T], f abi.Field) sdk.FieldDecl {
	if f.Required {
		d = d.Required()
	}
	if v, ok := f.Default.(T); ok {
		d = d.Default(v)
	}
	return d
}

var _ interp.Host = (*sdkHost)(nil)
