// Package ast is the syntax tree of a Jac program: what the parser
// produces, what the compiler checks and what the runtime evaluates. It is
// the one contract between those three, so it carries no behaviour beyond
// positions: every node knows where it starts in its file, for the
// file:line:col of build errors and the line of run-time errors.
package ast

// Pos is a position in a source file; Line and Col count from 1 and Col
// counts Unicode code points.
type Pos struct{ Line, Col int }

// At returns p itself, so that embedding Pos gives a node its position.
func (p Pos) At() Pos { return p }

// Node is any syntax tree node.
type Node interface{ At() Pos }

// File is one parsed source file.
type File struct {
	Name  string // as given to the parser, used in messages
	Doc   string // the module docstring, if the file starts with one
	Items []Item
}

// Item is a top-level declaration.
type Item interface {
	Node
	item()
}

// Stmt is a statement inside a body.
type Stmt interface {
	Node
	stmt()
}

// Expr is an expression. Type annotations are expressions too (Name,
// Attr, Index for list[str], Binary "|" for unions, Lit None).
type Expr interface {
	Node
	expr()
}

// Access is a declared access level: "" (the default, protected), "pub",
// "priv" or "protect".
type Access string

// ---- top-level items ----

// Import is `import json;`, `import math as m, re;` (Modules) or
// `import from datetime { datetime, timedelta as td }` (From and Names).
type Import struct {
	Pos
	From    string       // dotted module of a from-import; "" otherwise
	Names   []ImportName // names taken from From
	Modules []ImportName // modules of a plain import
}

// ImportName is one imported name, with its alias ("" if none).
type ImportName struct {
	Pos
	Name  string // dotted for modules
	Alias string
}

// Global is `glob x = 1, y: int = 2;` at top level.
type Global struct {
	Pos
	Access Access
	Vars   []*HasField // Name, Type and Default of each variable
}

// ArchKind is the kind of an archetype declaration.
type ArchKind string

const (
	KindNode   ArchKind = "node"
	KindEdge   ArchKind = "edge"
	KindWalker ArchKind = "walker"
	KindObj    ArchKind = "obj"
	KindClass  ArchKind = "class"
	KindEnum   ArchKind = "enum"
)

// Archetype declares a node, edge, walker, obj, class or enum type.
type Archetype struct {
	Pos
	Kind       ArchKind
	Name       string
	Access     Access
	Async      bool   // `async walker`
	Bases      []Expr // `node Task(Base)`
	Decorators []Expr // `@restspec(method=HTTPMethod.GET)` as the call expression
	Doc        string
	Members    []Member
}

// Member is what an archetype body holds: *HasField, *Ability, *Func,
// *EnumValue or *EntryBlock (a nested `with entry` is rejected by the
// compiler, but parsed so that it can say so).
type Member interface {
	Node
	member()
}

// HasField is one variable of a `has` declaration (`has a: int = 1, b: str;`
// gives two), a `glob` variable, or a class-level `static has`.
type HasField struct {
	Pos
	Name     string
	Type     Expr // nil if not annotated (glob)
	Default  Expr // nil if none
	Static   bool
	Access   Access
	Doc      string // a docstring just before the declaration
	PostInit bool   // `has x: int by postinit;`
}

// Event is when an ability runs.
type Event string

const (
	Entry Event = "entry"
	Exit  Event = "exit"
)

// Ability is `can name with T entry { … }`. Types is nil for `with entry`
// (any node, or for a node's ability any walker); a type expression list
// otherwise (`with Root entry`, `with Todo | Note entry`, “ with `root entry“).
type Ability struct {
	Pos
	Name   string
	Access Access
	Async  bool
	Event  Event
	Types  []Expr
	Doc    string
	Body   []Stmt
	Static bool
}

// Func is `def name(params) -> T { … }` at top level, in an archetype (a
// method) or in a body (a nested function).
type Func struct {
	Pos
	Name       string
	Access     Access
	Async      bool
	Static     bool
	Abstract   bool // `def f() abs;` or no body
	Decorators []Expr
	Params     []*Param
	Return     Expr // nil if not annotated
	Doc        string
	Body       []Stmt
}

// ParamKind tells ordinary parameters from *args and **kwargs.
type ParamKind int

const (
	ParamNormal ParamKind = iota
	ParamVarArgs
	ParamKwArgs
	ParamKwOnlyMarker // a bare `*` separating keyword-only parameters
)

// Param is one parameter of a function, ability-less method or lambda.
type Param struct {
	Pos
	Name    string
	Kind    ParamKind
	Type    Expr // nil if not annotated
	Default Expr // nil if none
}

// EnumValue is `RED = 1` (or bare `RED`, Value nil) in an enum body.
type EnumValue struct {
	Pos
	Name  string
	Value Expr
}

// EntryBlock is `with entry { … }` (Name "" ) or `with entry:__main__ { … }`.
type EntryBlock struct {
	Pos
	Name string
	Body []Stmt
}

// Unsupported is a construct the parser recognises but the language scope
// leaves out (`impl`, `sem`, `test`, `by llm`…): kept so that the compiler
// reports it at its position with its name instead of a syntax error.
type Unsupported struct {
	Pos
	What string // e.g. "impl block", "by llm"
}

// ---- statements ----

// ExprStmt is an expression evaluated for its effect.
type ExprStmt struct {
	Pos
	X Expr
}

// Assign is `a = b = value;`, `a, b = 1, 2;` or `x: int = 5;` (Type set,
// one target; Value may be nil for a bare annotation).
type Assign struct {
	Pos
	Targets []Expr
	Type    Expr
	Value   Expr
}

// AugAssign is `x += 1;` (Op is the operator without "=": "+", "//", "**"…).
type AugAssign struct {
	Pos
	Target Expr
	Op     string
	Value  Expr
}

// If is `if c { } elif c { } else { }`; elif chains nest in Else as one If.
type If struct {
	Pos
	Cond Expr
	Body []Stmt
	Else []Stmt
}

// For is `for x in xs { } else { }` (Async for `async for`).
type For struct {
	Pos
	Target Expr
	Iter   Expr
	Body   []Stmt
	Else   []Stmt
	Async  bool
}

// ForTo is `for i = 0 to i < n by i += 1 { }`.
type ForTo struct {
	Pos
	Init Stmt
	Cond Expr
	Step Stmt
	Body []Stmt
}

// While is `while c { } else { }`.
type While struct {
	Pos
	Cond Expr
	Body []Stmt
	Else []Stmt
}

type Break struct{ Pos }
type Continue struct{ Pos }

// Return is `return;` (X nil) or `return x;`.
type Return struct {
	Pos
	X Expr
}

// Raise is `raise;`, `raise E("m");` or `raise E from cause;`.
type Raise struct {
	Pos
	X    Expr
	From Expr
}

// Try is `try { } except T as e { } else { } finally { }`.
type Try struct {
	Pos
	Body     []Stmt
	Handlers []*Except
	Else     []Stmt
	Finally  []Stmt
}

// Except is one handler; Type nil catches everything.
type Except struct {
	Pos
	Type Expr
	Name string
	Body []Stmt
}

// Report is `report x;`.
type Report struct {
	Pos
	X Expr
}

// Visit is `visit x;` or `visit x else { }`; X is usually an EdgeRef, a
// node or a list of nodes.
type Visit struct {
	Pos
	X    Expr
	Else []Stmt
}

type Disengage struct{ Pos }
type Skip struct{ Pos }

// Delete is `del x, y[0], z.a;` (and `del node;` destroys a node).
type Delete struct {
	Pos
	Targets []Expr
}

// Assert is `assert cond, "message";`.
type Assert struct {
	Pos
	Cond Expr
	Msg  Expr
}

// Names is `global a, b;` (Nonlocal false) or `nonlocal a;`.
type Names struct {
	Pos
	Nonlocal bool
	Names    []string
}

// With is `with open(x) as f, y { }` (Async for `async with`).
type With struct {
	Pos
	Items []*WithItem
	Body  []Stmt
	Async bool
}

// WithItem is one context manager and its optional target.
type WithItem struct {
	X  Expr
	As Expr
}

// ArchStmt is an archetype declared inside a body; FuncStmt a nested def.
type ArchStmt struct{ *Archetype }
type FuncStmt struct{ *Func }

// ---- expressions ----

// Name is an identifier. The object-spatial keywords are Special, not Name.
type Name struct {
	Pos
	Name string
}

// SpecialKind names the object-spatial references and `super`.
type SpecialKind string

const (
	Here    SpecialKind = "here"
	Self    SpecialKind = "self"
	RootRef SpecialKind = "root" // `root` (also written `` `root ``)
	Visitor SpecialKind = "visitor"
	Super   SpecialKind = "super"
)

// Special is here, self, root, visitor or super.
type Special struct {
	Pos
	Kind SpecialKind
}

// LitKind is the kind of a literal.
type LitKind int

const (
	LitInt LitKind = iota
	LitFloat
	LitString
	LitBytes
	LitBool
	LitNone
	LitEllipsis
)

// Lit is a literal. Value holds the decoded text: the digits of a number
// (underscores removed, any base prefix kept: "0x1f"), the content of a
// string with escapes resolved (adjacent strings already joined),
// "True"/"False" for booleans.
type Lit struct {
	Pos
	Kind  LitKind
	Value string
}

// FString is f"…": Parts alternate literal text (*Lit strings) and
// *FormatPart.
type FString struct {
	Pos
	Parts []Expr
}

// FormatPart is `{x!r:>10}` inside an f-string; Spec may itself hold
// nested parts (`{x:{width}}`), so it is an FString (nil if absent).
// Debug is set for `{x=}`, with Text the source text before the `=`.
type FormatPart struct {
	Pos
	X     Expr
	Conv  byte // 0, 'r', 's' or 'a'
	Spec  *FString
	Debug bool
	Text  string
}

// Unary is `-x`, `+x`, `~x` or `not x` (Op "not").
type Unary struct {
	Pos
	Op string
	X  Expr
}

// Binary is an arithmetic or bitwise operation: + - * / // % ** @ << >> & | ^.
type Binary struct {
	Pos
	Op   string
	X, Y Expr
}

// BoolOp is `x and y` or `x or y` (Op "and" / "or").
type BoolOp struct {
	Pos
	Op   string
	X, Y Expr
}

// Compare is a comparison chain `a < b <= c`: Ops are "==", "!=", "<", "<=",
// ">", ">=", "in", "not in", "is", "is not".
type Compare struct {
	Pos
	X   Expr
	Ops []string
	Ys  []Expr
}

// Cond is `then if cond else otherwise`.
type Cond struct {
	Pos
	Cond, Then, Else Expr
}

// Lambda is `lambda x, y=1: x + y` (typed parameters allowed).
type Lambda struct {
	Pos
	Params []*Param
	Body   Expr
}

// Call is `f(a, *rest, k=v, **kw)`.
type Call struct {
	Pos
	Fn   Expr
	Args []*Arg
}

// Arg is one argument: Name set for a keyword argument; Star 1 for *x, 2 for **x.
type Arg struct {
	Pos
	Name string
	Star int
	X    Expr
}

// Attr is `x.name` (NullSafe for `x?.name`).
type Attr struct {
	Pos
	X        Expr
	Name     string
	NullSafe bool
}

// Index is `x[i]` (NullSafe for `x?[i]`); a slice index is a *Slice, and
// `x[a, b]` indexes with a *Tuple.
type Index struct {
	Pos
	X        Expr
	Index    Expr
	NullSafe bool
}

// Slice is `lo:hi:step` inside an index; absent parts are nil.
type Slice struct {
	Pos
	Lo, Hi, Step Expr
}

// List, Tuple and Set are display literals; an element may be *Starred.
type List struct {
	Pos
	Elts []Expr
}
type Tuple struct {
	Pos
	Elts []Expr
}
type Set struct {
	Pos
	Elts []Expr
}

// Dict is `{k: v, **other}`; an item with Key nil spreads Value.
type Dict struct {
	Pos
	Items []*DictItem
}

// DictItem is one entry of a dict display.
type DictItem struct {
	Key, Value Expr
}

// CompKind is the kind of a comprehension.
type CompKind int

const (
	CompList CompKind = iota
	CompSet
	CompDict
	CompGen
)

// Comp is a comprehension: `[elt for t in it if c]`, `{k: v for …}` (Key
// and Elt as value), a set or a generator expression.
type Comp struct {
	Pos
	Kind CompKind
	Key  Expr // dict comprehensions only
	Elt  Expr
	Fors []*CompFor
}

// CompFor is one `for target in iter if cond…` clause.
type CompFor struct {
	Pos
	Target Expr
	Iter   Expr
	Ifs    []Expr
	Async  bool
}

// Starred is `*x` in a display, a call or an assignment target.
type Starred struct {
	Pos
	X Expr
}

// Walrus is `(name := x)`.
type Walrus struct {
	Pos
	Name string
	X    Expr
}

// Await is `await x`.
type Await struct {
	Pos
	X Expr
}

// Yield is `yield x` / `yield` (X nil) / `yield from x` (From).
type Yield struct {
	Pos
	X    Expr
	From bool
}

// Dir is the direction of an edge step or a connection.
type Dir int

const (
	Out  Dir = iota // -->, ->:E:->, ++>
	In              // <--, <-:E:<-, <++
	Both            // <-->, <-:E:->, <++>
)

// EdgeRef is `[-->]`, `[root -->]`, `[<-:Owns:<-]`, `[-->:E:x > 1:-->]`,
// `[edge -->]` (Edges: the edges, not the nodes they lead to), chained
// `[here -->:A:--> ->:B:->]`, or `[-->(?:Todo)]`. Origin nil means here.
type EdgeRef struct {
	Pos
	Origin Expr
	Steps  []*EdgeStep
	Edges  bool
}

// EdgeStep is one hop: its direction, an optional edge type and edge field
// conditions, and an optional filter on the nodes it reaches.
type EdgeStep struct {
	Pos
	Dir       Dir
	EdgeType  Expr    // nil for any edge
	EdgeConds []Expr  // conditions on the edge's fields (names are fields)
	Filter    *Filter // conditions on the nodes reached, nil if none
}

// Filter is `(?:Todo, done == False)` / `(?done == False)` / `(`?Todo)`:
// keep values of one of Types (if any) for which every condition holds;
// inside a condition a bare name is the value's field.
type Filter struct {
	Pos
	Types []Expr
	Conds []Expr
}

// FilterExpr applies a filter to a collection: `[-->](?:Todo)`,
// `todos(?done == True)`.
type FilterExpr struct {
	Pos
	X      Expr
	Filter *Filter
}

// Connect is `a ++> b`, `a <++ b`, `a <++> b`, `a +>:E(x=1):+> b`
// (Edge the edge expression: a type name or a call building the edge).
type Connect struct {
	Pos
	X, Y Expr
	Dir  Dir
	Edge Expr // nil for the default generic edge
}

// Disconnect is `a del --> b` / `a del ->:E:-> b`.
type Disconnect struct {
	Pos
	X, Y     Expr
	Dir      Dir
	EdgeType Expr
}

// Spawn is `x spawn y`: one side is a walker instance, the other the node
// (or list of nodes) it starts on; which is which is decided at run time.
type Spawn struct {
	Pos
	X, Y Expr
}

// ArchRef is a backtick type reference such as “ `root “ used as a
// type in an ability (“ with `root entry “), or “ `?Todo “.
type ArchRef struct {
	Pos
	Name string
}

// Nodes returned by the parser for every statement and expression kind.
func (*Import) item()      {}
func (*Global) item()      {}
func (*Archetype) item()   {}
func (*Func) item()        {}
func (*EntryBlock) item()  {}
func (*Unsupported) item() {}

func (*HasField) member()    {}
func (*Ability) member()     {}
func (*Func) member()        {}
func (*EnumValue) member()   {}
func (*EntryBlock) member()  {}
func (*Unsupported) member() {}

func (*ExprStmt) stmt()    {}
func (*Assign) stmt()      {}
func (*AugAssign) stmt()   {}
func (*If) stmt()          {}
func (*For) stmt()         {}
func (*ForTo) stmt()       {}
func (*While) stmt()       {}
func (*Break) stmt()       {}
func (*Continue) stmt()    {}
func (*Return) stmt()      {}
func (*Raise) stmt()       {}
func (*Try) stmt()         {}
func (*Report) stmt()      {}
func (*Visit) stmt()       {}
func (*Disengage) stmt()   {}
func (*Skip) stmt()        {}
func (*Delete) stmt()      {}
func (*Assert) stmt()      {}
func (*Names) stmt()       {}
func (*With) stmt()        {}
func (ArchStmt) stmt()     {}
func (FuncStmt) stmt()     {}
func (*Import) stmt()      {}
func (*Unsupported) stmt() {}

func (*Name) expr()        {}
func (*Special) expr()     {}
func (*Lit) expr()         {}
func (*FString) expr()     {}
func (*FormatPart) expr()  {}
func (*Unary) expr()       {}
func (*Binary) expr()      {}
func (*BoolOp) expr()      {}
func (*Compare) expr()     {}
func (*Cond) expr()        {}
func (*Lambda) expr()      {}
func (*Call) expr()        {}
func (*Attr) expr()        {}
func (*Index) expr()       {}
func (*Slice) expr()       {}
func (*List) expr()        {}
func (*Tuple) expr()       {}
func (*Set) expr()         {}
func (*Dict) expr()        {}
func (*Comp) expr()        {}
func (*Starred) expr()     {}
func (*Walrus) expr()      {}
func (*Await) expr()       {}
func (*Yield) expr()       {}
func (*EdgeRef) expr()     {}
func (*FilterExpr) expr()  {}
func (*Connect) expr()     {}
func (*Disconnect) expr()  {}
func (*Spawn) expr()       {}
func (*ArchRef) expr()     {}
func (*Unsupported) expr() {}
