package parse

import (
	"errors"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// stmt parses src as the body of an entry block and dumps its statements.
func stmtDump(t *testing.T, src string) string {
	t.Helper()
	f, err := File("t.jac", []byte("with entry {\n"+src+"\n}\n"))
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	var parts []string
	for _, s := range f.Items[0].(*ast.EntryBlock).Body {
		parts = append(parts, ast.Dump(s))
	}
	return strings.Join(parts, " ")
}

// exprDump parses src as an expression statement and dumps the expression.
func exprDump(t *testing.T, src string) string {
	t.Helper()
	f, err := File("t.jac", []byte("with entry {\n"+src+";\n}\n"))
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	body := f.Items[0].(*ast.EntryBlock).Body
	if len(body) != 1 {
		t.Fatalf("%q: %d statements", src, len(body))
	}
	es, ok := body[0].(*ast.ExprStmt)
	if !ok {
		t.Fatalf("%q: not an expression statement: %s", src, ast.Dump(body[0]))
	}
	return ast.Dump(es.X)
}

func TestExpressions(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a + b * c", `(Binary Op="+" X=(Name Name="a") Y=(Binary Op="*" X=(Name Name="b") Y=(Name Name="c")))`},
		{"-2 ** 2", `(Binary Op="**" X=(Unary Op="-" X=(Lit Value="2")) Y=(Lit Value="2"))`},
		{"2 ** 3 ** 2", `(Binary Op="**" X=(Lit Value="2") Y=(Binary Op="**" X=(Lit Value="3") Y=(Lit Value="2")))`},
		{"a < b <= c", `(Compare X=(Name Name="a") Ops=["<" "<="] Ys=[(Name Name="b") (Name Name="c")])`},
		{"a not in b", `(Compare X=(Name Name="a") Ops=["not in"] Ys=[(Name Name="b")])`},
		{"a is not None", `(Compare X=(Name Name="a") Ops=["is not"] Ys=[(Lit Kind=5 Value="None")])`},
		{"not a == b", `(Unary Op="not" X=(Compare X=(Name Name="a") Ops=["=="] Ys=[(Name Name="b")]))`},
		{"a or b and c", `(BoolOp Op="or" X=(Name Name="a") Y=(BoolOp Op="and" X=(Name Name="b") Y=(Name Name="c")))`},
		{"a | b ^ c & d << 1", `(Binary Op="|" X=(Name Name="a") Y=(Binary Op="^" X=(Name Name="b") Y=(Binary Op="&" X=(Name Name="c") Y=(Binary Op="<<" X=(Name Name="d") Y=(Lit Value="1")))))`},
		{"x if c else y if d else z", `(Cond Cond=(Name Name="c") Then=(Name Name="x") Else=(Cond Cond=(Name Name="d") Then=(Name Name="y") Else=(Name Name="z")))`},
		{"lambda x, y=1: x", `(Lambda Params=[(Param Name="x") (Param Name="y" Default=(Lit Value="1"))] Body=(Name Name="x"))`},
		{"(n := 3)", `(Walrus Name="n" X=(Lit Value="3"))`},
		{"0x1_F + 0o17 + 0b1 + 1_000", `(Binary Op="+" X=(Binary Op="+" X=(Binary Op="+" X=(Lit Value="0x1F") Y=(Lit Value="0o17")) Y=(Lit Value="0b1")) Y=(Lit Value="1000"))`},
		{"1.5e-3 + .5", `(Binary Op="+" X=(Lit Kind=1 Value="1.5e-3") Y=(Lit Kind=1 Value=".5"))`},
		{`"a" 'b' """c"""`, `(Lit Kind=2 Value="abc")`},
		{`r"\n" + "\t\x41"`, `(Binary Op="+" X=(Lit Kind=2 Value="\\n") Y=(Lit Kind=2 Value="\tA"))`},
		{`b"ab"`, `(Lit Kind=3 Value="ab")`},
		{`f"a{x!r:>{w}}b{{"`, `(FString Parts=[(Lit Kind=2 Value="a") (FormatPart X=(Name Name="x") Conv='r' Spec=(FString Parts=[(Lit Kind=2 Value=">") (FormatPart X=(Name Name="w"))])) (Lit Kind=2 Value="b{")])`},
		{`f"{x=}"`, `(FString Parts=[(FormatPart X=(Name Name="x") Debug=true Text="x")])`},
		{`f"{d['k']}" "z"`, `(FString Parts=[(FormatPart X=(Index X=(Name Name="d") Index=(Lit Kind=2 Value="k"))) (Lit Kind=2 Value="z")])`},
		{"a?.b?[0]", `(Index X=(Attr X=(Name Name="a") Name="b" NullSafe=true) Index=(Lit Value="0") NullSafe=true)`},
		{"a[1:2, ::3]", `(Index X=(Name Name="a") Index=(Tuple Elts=[(Slice Lo=(Lit Value="1") Hi=(Lit Value="2")) (Slice Step=(Lit Value="3"))]))`},
		{"f(a, *b, k=1, **c)", `(Call Fn=(Name Name="f") Args=[(Arg X=(Name Name="a")) (Arg Star=1 X=(Name Name="b")) (Arg Name="k" X=(Lit Value="1")) (Arg Star=2 X=(Name Name="c"))])`},
		{"[x for x in y if x]", `(Comp Elt=(Name Name="x") Fors=[(CompFor Target=(Name Name="x") Iter=(Name Name="y") Ifs=[(Name Name="x")])])`},
		{"{k: v for (k, v) in d}", `(Comp Kind=2 Key=(Name Name="k") Elt=(Name Name="v") Fors=[(CompFor Target=(Tuple Elts=[(Name Name="k") (Name Name="v")]) Iter=(Name Name="d"))])`},
		{"{1, *s}", `(Set Elts=[(Lit Value="1") (Starred X=(Name Name="s"))])`},
		{"{'a': 1, **d}", `(Dict Items=[(DictItem Key=(Lit Kind=2 Value="a") Value=(Lit Value="1")) (DictItem Value=(Name Name="d"))])`},
		{"(x for x in y)", `(Comp Kind=3 Elt=(Name Name="x") Fors=[(CompFor Target=(Name Name="x") Iter=(Name Name="y"))])`},
		{"(1,)", `(Tuple Elts=[(Lit Value="1")])`},
		{"[-->]", `(EdgeRef Steps=[(EdgeStep)])`},
		{"[root <--]", `(EdgeRef Origin=(Special Kind="root") Steps=[(EdgeStep Dir=1)])`},
		{"[edge <-->]", `(EdgeRef Steps=[(EdgeStep Dir=2)] Edges=true)`},
		{"[self.x ->:E:w > 1, w < 5:-> <-:F:<-]", `(EdgeRef Origin=(Attr X=(Special Kind="self") Name="x") Steps=[(EdgeStep EdgeType=(Name Name="E") EdgeConds=[(Compare X=(Name Name="w") Ops=[">"] Ys=[(Lit Value="1")]) (Compare X=(Name Name="w") Ops=["<"] Ys=[(Lit Value="5")])]) (EdgeStep Dir=1 EdgeType=(Name Name="F"))])`},
		{"[-->(?:Todo)]", `(EdgeRef Steps=[(EdgeStep Filter=(Filter Types=[(Name Name="Todo")]))])`},
		{"[-->](?:A | B, x == 1)", `(FilterExpr X=(EdgeRef Steps=[(EdgeStep)]) Filter=(Filter Types=[(Name Name="A") (Name Name="B")] Conds=[(Compare X=(Name Name="x") Ops=["=="] Ys=[(Lit Value="1")])]))`},
		{"xs(?done == True)", `(FilterExpr X=(Name Name="xs") Filter=(Filter Conds=[(Compare X=(Name Name="done") Ops=["=="] Ys=[(Lit Kind=4 Value="True")])]))`},
		{"a ++> b", `(Connect X=(Name Name="a") Y=(Name Name="b"))`},
		{"a <++ b", `(Connect X=(Name Name="a") Y=(Name Name="b") Dir=1)`},
		{"a <++> b", `(Connect X=(Name Name="a") Y=(Name Name="b") Dir=2)`},
		{"a +>:E(x=1):+> b", `(Connect X=(Name Name="a") Y=(Name Name="b") Edge=(Call Fn=(Name Name="E") Args=[(Arg Name="x" X=(Lit Value="1"))]))`},
		{"a +>:E:x=1:+> b", `(Connect X=(Name Name="a") Y=(Name Name="b") Edge=(Call Fn=(Name Name="E") Args=[(Arg Name="x" X=(Lit Value="1"))]))`},
		{"a <+:E:<+ b", `(Connect X=(Name Name="a") Y=(Name Name="b") Dir=1 Edge=(Name Name="E"))`},
		{"a del --> b", `(Disconnect X=(Name Name="a") Y=(Name Name="b"))`},
		{"a del ->:E:-> b", `(Disconnect X=(Name Name="a") Y=(Name Name="b") EdgeType=(Name Name="E"))`},
		{"root spawn W()", `(Spawn X=(Special Kind="root") Y=(Call Fn=(Name Name="W")))`},
		{"W() spawn here", `(Spawn X=(Call Fn=(Name Name="W")) Y=(Special Kind="here"))`},
		{"here ++> T() ++> U()", `(Connect X=(Connect X=(Special Kind="here") Y=(Call Fn=(Name Name="T"))) Y=(Call Fn=(Name Name="U")))`},
		{"visitor.x + super.f()", `(Binary Op="+" X=(Attr X=(Special Kind="visitor") Name="x") Y=(Call Fn=(Attr X=(Special Kind="super") Name="f")))`},
		{"await f()", `(Await X=(Call Fn=(Name Name="f")))`},
		{"x.entry", `(Attr X=(Name Name="x") Name="entry")`},
	}
	for _, tt := range tests {
		if got := exprDump(t, tt.src); got != tt.want {
			t.Errorf("%s\n got  %s\n want %s", tt.src, got, tt.want)
		}
	}
}

func TestStatements(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a = b = 1;", `(Assign Targets=[(Name Name="a") (Name Name="b")] Value=(Lit Value="1"))`},
		{"a, b = 1, 2;", `(Assign Targets=[(Tuple Elts=[(Name Name="a") (Name Name="b")])] Value=(Tuple Elts=[(Lit Value="1") (Lit Value="2")]))`},
		{"x: int = 5;", `(Assign Targets=[(Name Name="x")] Type=(Name Name="int") Value=(Lit Value="5"))`},
		{"x //= 2;", `(AugAssign Target=(Name Name="x") Op="//" Value=(Lit Value="2"))`},
		{"if a { b; } elif c { d; } else { e; }", `(If Cond=(Name Name="a") Body=[(ExprStmt X=(Name Name="b"))] Else=[(If Cond=(Name Name="c") Body=[(ExprStmt X=(Name Name="d"))] Else=[(ExprStmt X=(Name Name="e"))])])`},
		{"for k, v in d { continue; } else { break; }", `(For Target=(Tuple Elts=[(Name Name="k") (Name Name="v")]) Iter=(Name Name="d") Body=[(Continue)] Else=[(Break)])`},
		{"for i = 0 to i < 3 by i += 1 { }", `(ForTo Init=(Assign Targets=[(Name Name="i")] Value=(Lit Value="0")) Cond=(Compare X=(Name Name="i") Ops=["<"] Ys=[(Lit Value="3")]) Step=(AugAssign Target=(Name Name="i") Op="+" Value=(Lit Value="1")) Body=[])`},
		{"while x { x -= 1; }", `(While Cond=(Name Name="x") Body=[(AugAssign Target=(Name Name="x") Op="-" Value=(Lit Value="1"))])`},
		{"try { a; } except E as e { b; } except { c; } else { d; } finally { e; }", `(Try Body=[(ExprStmt X=(Name Name="a"))] Handlers=[(Except Type=(Name Name="E") Name="e" Body=[(ExprStmt X=(Name Name="b"))]) (Except Body=[(ExprStmt X=(Name Name="c"))])] Else=[(ExprStmt X=(Name Name="d"))] Finally=[(ExprStmt X=(Name Name="e"))])`},
		{"raise;", `(Raise)`},
		{"raise E() from x;", `(Raise X=(Call Fn=(Name Name="E")) From=(Name Name="x"))`},
		{"return;", `(Return)`},
		{"return a, b;", `(Return X=(Tuple Elts=[(Name Name="a") (Name Name="b")]))`},
		{"report {'a': 1};", `(Report X=(Dict Items=[(DictItem Key=(Lit Kind=2 Value="a") Value=(Lit Value="1"))]))`},
		{"visit [-->];", `(Visit X=(EdgeRef Steps=[(EdgeStep)]))`},
		{"visit [-->] else { disengage; }", `(Visit X=(EdgeRef Steps=[(EdgeStep)]) Else=[(Disengage)])`},
		{"skip;", `(Skip)`},
		{"del a[0], b.c;", `(Delete Targets=[(Index X=(Name Name="a") Index=(Lit Value="0")) (Attr X=(Name Name="b") Name="c")])`},
		{"assert x, 'm';", `(Assert Cond=(Name Name="x") Msg=(Lit Kind=2 Value="m"))`},
		{"global a, b;", `(Names Names=["a" "b"])`},
		{"nonlocal a;", `(Names Nonlocal=true Names=["a"])`},
		{"with open(f) as g, h { }", `(With Items=[(WithItem X=(Call Fn=(Name Name="open") Args=[(Arg X=(Name Name="f"))]) As=(Name Name="g")) (WithItem X=(Name Name="h"))] Body=[])`},
		{"def f(x: int) -> int { return x; }", `(FuncStmt (Func Name="f" Params=[(Param Name="x" Type=(Name Name="int"))] Return=(Name Name="int") Body=[(Return X=(Name Name="x"))]))`},
		{"import math;", `(Import Modules=[(ImportName Name="math")])`},
		{"match x { case 1: y; }", `(Unsupported What="match statement")`},
		{"x = f() by llm();", `(Assign Targets=[(Name Name="x")] Value=(Unsupported What="by llm"))`},
		{"visit :0: [-->];", `(Unsupported What="visit with an insert position (visit :n: …)")`},
		{"t = flow f(x);", `(Assign Targets=[(Name Name="t")] Value=(Unsupported What="'flow' concurrency"))`},
		{"r = wait t;", `(Assign Targets=[(Name Name="r")] Value=(Unsupported What="'wait' concurrency"))`},
		{"flow.x = 1;", `(Assign Targets=[(Attr X=(Name Name="flow") Name="x")] Value=(Lit Value="1"))`},
	}
	for _, tt := range tests {
		if got := stmtDump(t, tt.src); got != tt.want {
			t.Errorf("%s\n got  %s\n want %s", tt.src, got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"with entry {\n  x = 1\n}\n", "app.jac:3:1: expected ';' after the statement, found '}'"},
		{"walker W {\n  has x int;\n}\n", "app.jac:2:9: expected ':' and a type after the field name x, found 'int'"},
		{"with entry { x = \"abc; }\n", "app.jac:1:18: unterminated string"},
		{"with entry { x = (1 + ; }\n", "app.jac:1:23: expected an expression, found ';'"},
		{"with entry { x = 1 +; }", "app.jac:1:21: expected an expression, found ';'"},
		{"node N { can f { } }", "app.jac:1:16: expected 'with' after the ability name (can f with … entry), found '{'"},
		{"with entry { " + strings.Repeat("(", 600) + "1" + strings.Repeat(")", 600) + "; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("{**", 5000) + "; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("(*", 5000) + "; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("-", 5000) + "1; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("not ", 5000) + "1; }", "nesting too deep"},
		{"with entry { x = " + nestedFString(1000) + "; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("[-->(?x == ", 5000) + "; }", "nesting too deep"},
		{"with entry { " + strings.Repeat("if x {", 5000) + " }", "nesting too deep"},
		{strings.Repeat("walker W { def f() { ", 5000), "nesting too deep"},
		{"with entry { x = 2" + strings.Repeat(" ** 2", 5000) + "; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("lambda: ", 5000) + "1; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("1 if 2 else ", 5000) + "1; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("a[", 5000) + "; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("f(", 5000) + "; }", "nesting too deep"},
		{"with entry { x = " + strings.Repeat("await ", 5000) + "1; }", "nesting too deep"},
		{"with entry { x = 1" + strings.Repeat(" + 1", 5000) + "; }", "nesting too deep"},
		{"with entry { x = 1" + strings.Repeat(" or 1", 5000) + "; }", "nesting too deep"},
		{"with entry { x = a" + strings.Repeat(".b", 5000) + "; }", "nesting too deep"},
		{"with entry { x = f" + strings.Repeat("()", 5000) + "; }", "nesting too deep"},
		{"with entry { x = a" + strings.Repeat(" ++> a", 5000) + "; }", "nesting too deep"},
		{"with entry { x = a" + strings.Repeat(" spawn a", 5000) + "; }", "nesting too deep"},
	}
	for _, tt := range tests {
		src := tt.src
		if len(src) > 80 {
			src = src[:80] + "…"
		}
		_, err := File("app.jac", []byte(tt.src))
		if err == nil {
			t.Errorf("%q: no error", src)
			continue
		}
		var el ErrorList
		if !errors.As(err, &el) || len(el) == 0 || len(el) > maxErrors {
			t.Errorf("%q: error %T %.200v", src, err, err)
			continue
		}
		if !strings.Contains(el[0].Error(), tt.want) {
			t.Errorf("%q:\n got  %.200s\n want %s", src, el[0].Error(), tt.want)
		}
	}
}

// nestedFString is f"{f"{…x…}"}" nested n deep.
func nestedFString(n int) string {
	s := "x"
	for i := 0; i < n; i++ {
		s = `f"{` + s + `}"`
	}
	return s
}

// FuzzParse checks that no input makes the parser panic or hang, and that
// an error always names a position.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"with entry { print(1); }",
		"walker :pub W { has x: int = 1; can run with `root entry { visit [-->](?:T, a == 1); report here; } }",
		"node T { has a: list[str] = []; } edge E {} with entry { root +>:E(w=1):+> T(); x = [root ->:E:w>1:->]; }",
		`with entry { s = f"{x!r:>{w}} {{ }} {y=}" "z" b"q"; }`,
		"def f(a: int, *b, **c) -> dict { for i = 0 to i < 3 by i += 1 { try { x; } except E as e { raise; } } return {k: v for (k, v) in d}; }",
		"import from jac_scale.lib { kvstore } enum C { A = 1, B } obj O(Base) { static has z: int = 0; def init() { super.init(); } }",
		"with entry { x = lambda a: a if a else (b := 2); del a --> b; y = a?.b?[0][1:2:3]; }",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := File("f.jac", []byte(src))
		if file == nil {
			t.Fatal("nil file")
		}
		if err != nil {
			el, ok := err.(ErrorList)
			if !ok || len(el) == 0 || len(el) > maxErrors {
				t.Fatalf("bad error %T %v", err, err)
			}
			for _, e := range el {
				if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" {
					t.Fatalf("bad error %q", e.Error())
				}
			}
		}
	})
}
