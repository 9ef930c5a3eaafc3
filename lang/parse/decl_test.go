package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// itemsDump parses a file and dumps its items, one per line, after the
// module docstring (if any) as `doc "…"`.
func itemsDump(t *testing.T, src string) string {
	t.Helper()
	f, err := File("t.jac", []byte(src))
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	var lines []string
	if f.Doc != "" {
		lines = append(lines, "doc "+f.Doc)
	}
	for _, it := range f.Items {
		lines = append(lines, ast.Dump(it))
	}
	return strings.Join(lines, "\n")
}

func TestDeclarations(t *testing.T) {
	tests := []struct{ src, want string }{
		{`import json;`, `(Import Modules=[(ImportName Name="json")])`},
		{`import math as m, os.path;`, `(Import Modules=[(ImportName Name="math" Alias="m") (ImportName Name="os.path")])`},
		{`import from x.y { a, b as c }`, `(Import From="x.y" Names=[(ImportName Name="a") (ImportName Name="b" Alias="c")])`},
		{`import from . { utils };`, `(Import From="." Names=[(ImportName Name="utils")])`},
		{`import from ..pkg.mod { f }`, `(Import From="..pkg.mod" Names=[(ImportName Name="f")])`},
		{`include helpers;`, `(Import Modules=[(ImportName Name="helpers")])`},
		{`glob :pub x = 1, y: int = 2;`, `(Global Access="pub" Vars=[(HasField Name="x" Default=(Lit Value="1") Access="pub") (HasField Name="y" Type=(Name Name="int") Default=(Lit Value="2") Access="pub")])`},
		{"\"\"\"Mod.\"\"\"\n\"\"\"Doc of W.\"\"\"\nwalker :pub W(Base, other.Mixin) { }", "doc Mod.\n" + `(Archetype Kind="walker" Name="W" Access="pub" Bases=[(Name Name="Base") (Attr X=(Name Name="other") Name="Mixin")] Doc="Doc of W.")`},
		{"\"\"\"Only the module's.\"\"\"\nnode N { }", "doc Only the module's.\n" + `(Archetype Kind="node" Name="N")`},
		{`async walker W;`, `(Archetype Kind="walker" Name="W" Async=true)`},
		{`@restspec(method=HTTPMethod.GET) @other walker W { }`, `(Archetype Kind="walker" Name="W" Decorators=[(Call Fn=(Name Name="restspec") Args=[(Arg Name="method" X=(Attr X=(Name Name="HTTPMethod") Name="GET"))]) (Name Name="other")])`},
		{`obj O { has a: int = 1, b: str; static has c: list[int] = []; has d: dict by postinit; has :priv e: int; }`,
			`(Archetype Kind="obj" Name="O" Members=[(HasField Name="a" Type=(Name Name="int") Default=(Lit Value="1")) (HasField Name="b" Type=(Name Name="str")) (HasField Name="c" Type=(Index X=(Name Name="list") Index=(Name Name="int")) Default=(List) Static=true) (HasField Name="d" Type=(Name Name="dict") PostInit=true) (HasField Name="e" Type=(Name Name="int") Access="priv")])`},
		{"node N {\n \"\"\"The x.\"\"\"\n has x: int;\n}", `(Archetype Kind="node" Name="N" Members=[(HasField Name="x" Type=(Name Name="int") Doc="The x.")])`},
		{"walker W { can a with entry { } can b with Root exit; can c with `root entry { } can d with A | B entry { } }",
			`(Archetype Kind="walker" Name="W" Members=[(Ability Name="a" Event="entry" Body=[]) (Ability Name="b" Event="exit" Types=[(Name Name="Root")]) (Ability Name="c" Event="entry" Types=[(ArchRef Name="root")] Body=[]) (Ability Name="d" Event="entry" Types=[(Name Name="A") (Name Name="B")] Body=[])])`},
		{`node N { can :pub greet with Visitor entry { } async can x with entry { } static can y with entry { } }`,
			`(Archetype Kind="node" Name="N" Members=[(Ability Name="greet" Access="pub" Event="entry" Types=[(Name Name="Visitor")] Body=[]) (Ability Name="x" Async=true Event="entry" Body=[]) (Ability Name="y" Event="entry" Body=[] Static=true)])`},
		{`def :pub f(a: int, b: str = "x", *args: int, **kw: any) -> dict { }`,
			`(Func Name="f" Access="pub" Params=[(Param Name="a" Type=(Name Name="int")) (Param Name="b" Type=(Name Name="str") Default=(Lit Kind=2 Value="x")) (Param Name="args" Kind=1 Type=(Name Name="int")) (Param Name="kw" Kind=2 Type=(Name Name="any"))] Return=(Name Name="dict") Body=[])`},
		{`def g(a, *, b=1) { }`, `(Func Name="g" Params=[(Param Name="a") (Param Kind=3) (Param Name="b" Default=(Lit Value="1"))] Body=[])`},
		{`def h -> int;`, `(Func Name="h" Abstract=true Return=(Name Name="int"))`},
		{`obj O { def init(x: int) { } static def s() { } def m() abs; override def o() { } }`,
			`(Archetype Kind="obj" Name="O" Members=[(Func Name="init" Params=[(Param Name="x" Type=(Name Name="int"))] Body=[]) (Func Name="s" Static=true Body=[]) (Func Name="m" Abstract=true) (Func Name="o" Body=[])])`},
		{`@cache def f() { }`, `(Func Name="f" Decorators=[(Name Name="cache")] Body=[])`},
		{`async def f() { await g(); }`, `(Func Name="f" Async=true Body=[(ExprStmt X=(Await X=(Call Fn=(Name Name="g"))))])`},
		{`enum Color { RED = 1, GREEN, BLUE = "b" }`, `(Archetype Kind="enum" Name="Color" Members=[(EnumValue Name="RED" Value=(Lit Value="1")) (EnumValue Name="GREEN") (EnumValue Name="BLUE" Value=(Lit Kind=2 Value="b"))])`},
		{`enum E { static def f() { } }`, `(Archetype Kind="enum" Name="E" Members=[(Func Name="f" Static=true Body=[])])`},
		{`enum E { A, B; def f() { } }`, `(Archetype Kind="enum" Name="E" Members=[(EnumValue Name="A") (EnumValue Name="B") (Func Name="f" Body=[])])`},
		{`with entry { } with entry:main { }`, "(EntryBlock Body=[])\n" + `(EntryBlock Name="main" Body=[])`},
		{`walker W { with entry { } }`, `(Archetype Kind="walker" Name="W" Members=[(EntryBlock Body=[])])`},
		{`with entry { walker Inner { } obj O { } }`, `(EntryBlock Body=[(ArchStmt (Archetype Kind="walker" Name="Inner")) (ArchStmt (Archetype Kind="obj" Name="O"))])`},
		{`impl Foo.bar(x: int) -> int { return x; }`, `(Unsupported What="impl block")`},
		{`test one { assert True; }`, `(Unsupported What="test block")`},
		{`sem Foo.bar = "x";`, `(Unsupported What="sem declaration")`},
		{`def f() -> str by llm();`, `(Func Name="f" Return=(Name Name="str") Body=[(Unsupported What="by llm")])`},
		{`import type from x { Y }`, `(Unsupported What="import type")`},
		{`cl import from react { useState }`, `(Unsupported What="'cl' import")`},
		{`cl { def f() { } }`, `(Unsupported What="client block")`},
		{`type Alias = int | str;`, `(Unsupported What="type alias")`},
	}
	for _, tt := range tests {
		if got := itemsDump(t, tt.src); got != tt.want {
			t.Errorf("%s\n got  %s\n want %s", tt.src, got, tt.want)
		}
	}
}

// TestPositions checks the line and column of a few nodes, columns
// counting code points.
func TestPositions(t *testing.T) {
	f, err := File("t.jac", []byte("walker W {\n  has x: int;\n  can r with entry {\n    y = \"é\" + zz;\n  }\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	w := f.Items[0].(*ast.Archetype)
	h := w.Members[0].(*ast.HasField)
	ab := w.Members[1].(*ast.Ability)
	as := ab.Body[0].(*ast.Assign)
	zz := as.Value.(*ast.Binary).Y
	for _, c := range []struct {
		what string
		got  ast.Pos
		want ast.Pos
	}{
		{"walker", w.Pos, ast.Pos{Line: 1, Col: 1}},
		{"field", h.Pos, ast.Pos{Line: 2, Col: 7}},
		{"ability", ab.Pos, ast.Pos{Line: 3, Col: 3}},
		{"assign", as.Pos, ast.Pos{Line: 4, Col: 5}},
		{"zz", zz.At(), ast.Pos{Line: 4, Col: 15}},
	} {
		if c.got != c.want {
			t.Errorf("%s at %v, want %v", c.what, c.got, c.want)
		}
	}
}

// TestCorpusParses parses every program of the Jac corpus (testdata/jac),
// all of which jaclang runs.
func TestCorpusParses(t *testing.T) {
	progs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "jac", "*.jac"))
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) == 0 {
		t.Skip("no corpus programs in testdata/jac")
	}
	for _, prog := range progs {
		src, err := os.ReadFile(prog)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := File(filepath.Base(prog), src); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// BenchmarkParse parses a small app (testdata/app.jac) repeated to about a
// thousand lines.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile("testdata/app.jac")
	if err != nil {
		b.Fatal(err)
	}
	big := []byte(strings.Repeat(string(src), 1000/strings.Count(string(src), "\n")+1))
	b.SetBytes(int64(len(big)))
	for i := 0; i < b.N; i++ {
		if _, err := File("app.jac", big); err != nil {
			b.Fatal(err)
		}
	}
}
