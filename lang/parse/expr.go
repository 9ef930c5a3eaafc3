package parse

import (
	"strings"
	"unicode/utf8"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// Expressions, from the loosest binding to the tightest. The levels follow
// jaclang 0.16.7: Python's order, except that unary minus binds tighter
// than ** (-2**2 is 4) and that the object-spatial operators (connect,
// then spawn) bind tighter than the unary operators.

// exprList parses `a, b, *c` (a Tuple when there is a comma).
func (p *parser) exprList() ast.Expr {
	pos := p.tok().pos
	first := p.starExpr()
	if !p.is(",") {
		return first
	}
	elts := []ast.Expr{first}
	for p.accept(",") {
		if p.endsList() {
			break
		}
		elts = append(elts, p.starExpr())
	}
	return &ast.Tuple{Pos: pos, Elts: elts}
}

// endsList reports whether the current token closes an expression list
// (so that a trailing comma is allowed).
func (p *parser) endsList() bool {
	t := p.tok()
	if t.kind == tEOF {
		return true
	}
	if t.kind != tOp {
		return t.kind == tName && (t.text == "in" || t.text == "else")
	}
	switch t.text {
	case ";", ")", "]", "}", "=", ":":
		return true
	}
	return false
}

// starExpr is an expression or `*x`.
func (p *parser) starExpr() ast.Expr {
	if t := p.tok(); isTok(t, "*") {
		p.next()
		return &ast.Starred{Pos: t.pos, X: p.bitOr()}
	}
	return p.expr()
}

// expr parses a full expression: lambda, ternary, walrus.
func (p *parser) expr() ast.Expr {
	p.enter()
	defer p.leave()
	t := p.tok()
	switch {
	case isTok(t, "lambda"):
		return p.lambda()
	case isTok(t, "yield"):
		p.next()
		y := &ast.Yield{Pos: t.pos}
		if p.accept("from") {
			y.From = true
			y.X = p.expr()
		} else if !p.endsList() && !p.is(",") {
			y.X = p.exprList()
		}
		return y
	}
	if n := p.peek(1); (isTok(t, "flow") || isTok(t, "wait")) && (isName(n) || n.kind != tOp && n.kind != tEOF || isTok(n, "(")) {
		p.next()
		p.walrus()
		return &ast.Unsupported{Pos: t.pos, What: "'" + t.text + "' concurrency"}
	}
	x := p.walrus()
	if p.is("if") {
		p.next()
		c := &ast.Cond{Pos: x.At(), Then: x, Cond: p.orExpr()}
		p.expect("else", "in the conditional expression (x if c else y)")
		c.Else = p.expr()
		return c
	}
	return x
}

func (p *parser) walrus() ast.Expr {
	x := p.byExpr()
	if t := p.tok(); isTok(t, ":=") {
		n, ok := x.(*ast.Name)
		if !ok {
			p.failf(t.pos, "':=' needs a plain name on its left")
		}
		p.next()
		return &ast.Walrus{Pos: n.Pos, Name: n.Name, X: p.byExpr()}
	}
	return x
}

func (p *parser) byExpr() ast.Expr {
	x := p.orExpr()
	if t := p.tok(); isTok(t, "by") {
		p.next()
		p.byExpr()
		return &ast.Unsupported{Pos: t.pos, What: "by llm"}
	}
	if t := p.tok(); isTok(t, "|>") || isTok(t, "<|") {
		p.failf(t.pos, "the pipe operator '%s' is not supported", t.text)
	}
	return x
}

func (p *parser) orExpr() ast.Expr {
	x := p.andExpr()
	defer p.chain()()
	for p.is("or") {
		p.enter()
		p.next()
		x = &ast.BoolOp{Pos: x.At(), Op: "or", X: x, Y: p.andExpr()}
	}
	return x
}

func (p *parser) andExpr() ast.Expr {
	x := p.notExpr()
	defer p.chain()()
	for p.is("and") {
		p.enter()
		p.next()
		x = &ast.BoolOp{Pos: x.At(), Op: "and", X: x, Y: p.notExpr()}
	}
	return x
}

func (p *parser) notExpr() ast.Expr {
	if t := p.tok(); isTok(t, "not") {
		p.enter()
		defer p.leave()
		p.next()
		return &ast.Unary{Pos: t.pos, Op: "not", X: p.notExpr()}
	}
	return p.compare()
}

// compareOp returns the comparison operator at the cursor and its length
// in tokens, or "".
func (p *parser) compareOp() (string, int) {
	t := p.tok()
	switch {
	case t.kind == tOp:
		switch t.text {
		case "==", "!=", "<", "<=", ">", ">=":
			return t.text, 1
		}
	case isTok(t, "in"):
		return "in", 1
	case isTok(t, "not") && isTok(p.peek(1), "in"):
		return "not in", 2
	case isTok(t, "is"):
		if isTok(p.peek(1), "not") {
			return "is not", 2
		}
		return "is", 1
	}
	return "", 0
}

func (p *parser) compare() ast.Expr {
	x := p.bitOr()
	op, n := p.compareOp()
	if op == "" {
		return x
	}
	c := &ast.Compare{Pos: x.At(), X: x}
	for op != "" {
		p.i += n
		c.Ops = append(c.Ops, op)
		c.Ys = append(c.Ys, p.bitOr())
		op, n = p.compareOp()
	}
	return c
}

// binaryLevel parses a left-associative level of operators.
func (p *parser) binaryLevel(next func() ast.Expr, opset ...string) ast.Expr {
	x := next()
	defer p.chain()()
	for {
		t := p.tok()
		if t.kind != tOp || !contains(opset, t.text) {
			return x
		}
		p.enter()
		p.next()
		x = &ast.Binary{Pos: x.At(), Op: t.text, X: x, Y: next()}
	}
}

// chain makes a loop that nests the tree it builds (a + b + c…, a.b.c…)
// count each step against the nesting bound, as recursion does: the tree
// is walked recursively later. Use as `defer p.chain()()` before the loop,
// with p.enter() per step.
func (p *parser) chain() func() {
	d := p.depth
	return func() { p.depth = d }
}

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

func (p *parser) bitOr() ast.Expr  { return p.binaryLevel(p.bitXor, "|") }
func (p *parser) bitXor() ast.Expr { return p.binaryLevel(p.bitAnd, "^") }
func (p *parser) bitAnd() ast.Expr { return p.binaryLevel(p.shift, "&") }
func (p *parser) shift() ast.Expr  { return p.binaryLevel(p.arith, "<<", ">>") }
func (p *parser) arith() ast.Expr  { return p.binaryLevel(p.term, "+", "-") }
func (p *parser) term() ast.Expr   { return p.binaryLevel(p.power, "*", "/", "//", "%", "@") }

func (p *parser) power() ast.Expr {
	x := p.factor()
	if t := p.tok(); isTok(t, "**") {
		p.enter()
		defer p.leave()
		p.next()
		return &ast.Binary{Pos: x.At(), Op: "**", X: x, Y: p.power()}
	}
	return x
}

func (p *parser) factor() ast.Expr {
	if t := p.tok(); isTok(t, "-") || isTok(t, "+") || isTok(t, "~") {
		p.enter()
		defer p.leave()
		p.next()
		return &ast.Unary{Pos: t.pos, Op: t.text, X: p.factor()}
	}
	return p.connect()
}

// isArrow reports whether t starts an edge step.
func isArrow(t token) bool {
	if t.kind != tOp {
		return false
	}
	switch t.text {
	case "-->", "<--", "<-->", "->:", "<-:":
		return true
	}
	return false
}

// connect parses `a ++> b`, `a +>:E(x=1):+> b`, `a del --> b` chains.
func (p *parser) connect() ast.Expr {
	x := p.spawn()
	defer p.chain()()
	for {
		t := p.tok()
		if isTok(t, "del") && isArrow(p.peek(1)) || isTok(t, "++>") || isTok(t, "<++") || isTok(t, "<++>") || isTok(t, "+>:") || isTok(t, "<+:") {
			p.enter()
		}
		switch {
		case isTok(t, "del") && isArrow(p.peek(1)):
			p.next()
			step := p.edgeStep()
			if step.Filter != nil || len(step.EdgeConds) > 0 {
				p.failf(step.Pos, "a disconnect takes an edge type, not conditions")
			}
			x = &ast.Disconnect{Pos: x.At(), X: x, Dir: step.Dir, EdgeType: step.EdgeType, Y: p.spawn()}
		case isTok(t, "++>") || isTok(t, "<++") || isTok(t, "<++>"):
			p.next()
			dir := map[string]ast.Dir{"++>": ast.Out, "<++": ast.In, "<++>": ast.Both}[t.text]
			x = &ast.Connect{Pos: x.At(), X: x, Dir: dir, Y: p.spawn()}
		case isTok(t, "+>:") || isTok(t, "<+:"):
			p.next()
			edge := p.postfix()
			if p.accept(":") {
				call := &ast.Call{Pos: edge.At(), Fn: edge}
				for !p.is(":+>") && !p.is(":<+") {
					name, pos := p.name("an edge field name")
					p.expect("=", "after the edge field "+name)
					call.Args = append(call.Args, &ast.Arg{Pos: pos, Name: name, X: p.expr()})
					if !p.accept(",") {
						break
					}
				}
				edge = call
			}
			dir := ast.Out
			switch {
			case isTok(t, "+>:"):
				p.expect(":+>", "to close '+>:'")
			case p.accept(":<+"):
				dir = ast.In
			case p.accept(":+>"):
				dir = ast.Both
			default:
				p.failf(p.tok().pos, "expected ':<+' to close '<+:', found %s", describe(p.tok()))
			}
			x = &ast.Connect{Pos: x.At(), X: x, Dir: dir, Edge: edge, Y: p.spawn()}
		default:
			return x
		}
	}
}

func (p *parser) spawn() ast.Expr {
	if t := p.tok(); isTok(t, "spawn") {
		p.failf(t.pos, "'spawn' needs a node on its left (node spawn Walker())")
	}
	x := p.await()
	defer p.chain()()
	for p.is("spawn") {
		p.enter()
		p.next()
		x = &ast.Spawn{Pos: x.At(), X: x, Y: p.await()}
	}
	return x
}

func (p *parser) await() ast.Expr {
	if t := p.tok(); isTok(t, "await") {
		p.enter()
		defer p.leave()
		p.next()
		return &ast.Await{Pos: t.pos, X: p.await()}
	}
	return p.postfix()
}

// postfix parses an atom and its trailers: .name ?.name [i] ?[i] (args) (?filter).
func (p *parser) postfix() ast.Expr {
	x := p.atom()
	defer p.chain()()
	for {
		t := p.tok()
		p.enter()
		switch {
		case isTok(t, "."):
			p.next()
			x = &ast.Attr{Pos: x.At(), X: x, Name: p.attrName()}
		case isTok(t, "?") && isTok(p.peek(1), "."):
			p.next()
			p.next()
			x = &ast.Attr{Pos: x.At(), X: x, Name: p.attrName(), NullSafe: true}
		case isTok(t, "?") && isTok(p.peek(1), "["):
			p.next()
			p.next()
			x = &ast.Index{Pos: x.At(), X: x, Index: p.subscript(), NullSafe: true}
		case isTok(t, "(") && isTok(p.peek(1), "?"):
			p.next()
			p.next()
			x = &ast.FilterExpr{Pos: x.At(), X: x, Filter: p.filter(t.pos, ")")}
		case isTok(t, "[") && isTok(p.peek(1), "?"):
			p.next()
			p.next()
			x = &ast.FilterExpr{Pos: x.At(), X: x, Filter: p.filter(t.pos, "]")}
		case isTok(t, "(") && isTok(p.peek(1), "="):
			p.failf(t.pos, "the assign comprehension '(=…)' is not supported")
		case isTok(t, "("):
			p.next()
			x = &ast.Call{Pos: x.At(), Fn: x, Args: p.args()}
		case isTok(t, "["):
			p.next()
			x = &ast.Index{Pos: x.At(), X: x, Index: p.subscript()}
		default:
			return x
		}
	}
}

// attrName is a name after '.', where keywords are allowed.
func (p *parser) attrName() string {
	t := p.tok()
	if t.kind != tName && t.kind != tEsc {
		p.failf(t.pos, "expected an attribute name after '.', found %s", describe(t))
	}
	p.next()
	return t.text
}

// args parses call arguments after '('.
func (p *parser) args() []*ast.Arg {
	p.enter()
	defer p.leave()
	var args []*ast.Arg
	for !p.is(")") {
		t := p.tok()
		a := &ast.Arg{Pos: t.pos}
		switch {
		case p.accept("**"):
			a.Star = 2
			a.X = p.expr()
		case p.accept("*"):
			a.Star = 1
			a.X = p.expr()
		case (t.kind == tName || t.kind == tEsc) && isTok(p.peek(1), "="):
			p.next()
			p.next()
			a.Name = t.text
			a.X = p.expr()
		default:
			a.X = p.expr()
			if p.is("for") || p.is("async") && isTok(p.peek(1), "for") {
				a.X = &ast.Comp{Pos: a.X.At(), Kind: ast.CompGen, Elt: a.X, Fors: p.compFors()}
			}
		}
		args = append(args, a)
		if !p.accept(",") {
			break
		}
	}
	p.expect(")", "to close the call arguments")
	return args
}

// subscript parses an index after '[': an expression, a slice or a tuple of them.
func (p *parser) subscript() ast.Expr {
	p.enter()
	defer p.leave()
	pos := p.tok().pos
	var elts []ast.Expr
	comma := false
	for !p.is("]") {
		elts = append(elts, p.sliceItem())
		if !p.accept(",") {
			break
		}
		comma = true
	}
	p.expect("]", "to close the index")
	switch {
	case len(elts) == 0:
		p.failf(pos, "expected an index between '[' and ']'")
	case len(elts) == 1 && !comma:
		return elts[0]
	}
	return &ast.Tuple{Pos: pos, Elts: elts}
}

func (p *parser) sliceItem() ast.Expr {
	pos := p.tok().pos
	var lo ast.Expr
	if !p.is(":") {
		lo = p.starExpr()
		if !p.is(":") {
			return lo
		}
	}
	s := &ast.Slice{Pos: pos, Lo: lo}
	p.next()
	if !p.is(":") && !p.is("]") && !p.is(",") {
		s.Hi = p.expr()
	}
	if p.accept(":") && !p.is("]") && !p.is(",") {
		s.Step = p.expr()
	}
	return s
}

// filter parses the inside of `(?:Todo, done == False)` after '?'.
func (p *parser) filter(pos ast.Pos, closer string) *ast.Filter {
	p.enter()
	defer p.leave()
	f := &ast.Filter{Pos: pos}
	if p.accept(":") {
		f.Types = splitUnion(p.bitOr())
		if !p.accept(",") {
			p.expect(closer, "to close the filter")
			return f
		}
	}
	for !p.is(closer) {
		f.Conds = append(f.Conds, p.orExpr())
		if !p.accept(",") {
			break
		}
	}
	p.expect(closer, "to close the filter")
	return f
}

// compFors parses the `for … in … if …` clauses of a comprehension.
func (p *parser) compFors() []*ast.CompFor {
	var fors []*ast.CompFor
	for p.is("for") || p.is("async") && isTok(p.peek(1), "for") {
		async := p.accept("async")
		t := p.next()
		cf := &ast.CompFor{Pos: t.pos, Async: async, Target: p.targetList()}
		p.expect("in", "after the comprehension variable")
		cf.Iter = p.orExpr()
		for p.accept("if") {
			cf.Ifs = append(cf.Ifs, p.orExpr())
		}
		fors = append(fors, cf)
	}
	return fors
}

// lambda parses `lambda x, y=1: body` or `lambda (x: int) -> int : body`.
func (p *parser) lambda() ast.Expr {
	t := p.next()
	l := &ast.Lambda{Pos: t.pos}
	if p.accept("(") {
		l.Params = p.params(")")
		p.expect(")", "to close the lambda parameters")
	} else {
		for !p.is(":") && !p.is("->") && !p.is("{") {
			pt := p.tok()
			par := &ast.Param{Pos: pt.pos}
			switch {
			case p.accept("**"):
				par.Kind = ast.ParamKwArgs
			case p.accept("*"):
				par.Kind = ast.ParamVarArgs
			}
			par.Name, _ = p.name("a lambda parameter")
			// As in jaclang, `name: T` is an annotation when T is one name
			// followed by ',', '=', ':', '->' or '{'; otherwise ':' starts
			// the body.
			if n, after := p.peek(1), p.peek(2); p.is(":") && isName(n) &&
				(isTok(after, ",") || isTok(after, "=") || isTok(after, ":") || isTok(after, "->") || isTok(after, "{")) {
				p.next()
				par.Type = p.orExpr()
			}
			if p.accept("=") {
				par.Default = p.expr()
			}
			l.Params = append(l.Params, par)
			if !p.accept(",") {
				break
			}
		}
	}
	if p.accept("->") {
		p.typeExpr()
	}
	if p.is("{") {
		pos := p.tok().pos
		p.block("the lambda body")
		return &ast.Unsupported{Pos: pos, What: "lambda with a block body"}
	}
	p.expect(":", "before the lambda body")
	l.Body = p.expr()
	return l
}

// atom parses names, literals, displays, comprehensions and edge references.
func (p *parser) atom() ast.Expr {
	p.enter()
	defer p.leave()
	t := p.tok()
	switch t.kind {
	case tName:
		switch t.text {
		case "here", "self", "root", "visitor", "super":
			p.next()
			return &ast.Special{Pos: t.pos, Kind: ast.SpecialKind(t.text)}
		case "True", "False":
			p.next()
			return &ast.Lit{Pos: t.pos, Kind: ast.LitBool, Value: t.text}
		case "None":
			p.next()
			return &ast.Lit{Pos: t.pos, Kind: ast.LitNone, Value: "None"}
		}
		if hardKeywords[t.text] {
			p.failf(t.pos, "expected an expression, found %s", describe(t))
		}
		p.next()
		return &ast.Name{Pos: t.pos, Name: t.text}
	case tEsc:
		p.next()
		if t.text == "root" {
			return &ast.ArchRef{Pos: t.pos, Name: "root"}
		}
		return &ast.Name{Pos: t.pos, Name: t.text}
	case tInt:
		p.next()
		return &ast.Lit{Pos: t.pos, Kind: ast.LitInt, Value: t.text}
	case tFloat:
		p.next()
		return &ast.Lit{Pos: t.pos, Kind: ast.LitFloat, Value: t.text}
	case tString, tBytes, tFString:
		return p.strings()
	case tOp:
		switch t.text {
		case "(":
			return p.paren()
		case "[":
			return p.bracket()
		case "{":
			return p.brace()
		case "...":
			p.next()
			return &ast.Lit{Pos: t.pos, Kind: ast.LitEllipsis, Value: "..."}
		}
	}
	p.failf(t.pos, "expected an expression, found %s", describe(t))
	return nil
}

// paren parses `()`, `(x)`, `(x,)`, `(a, b)` and `(x for …)`.
func (p *parser) paren() ast.Expr {
	t := p.next()
	if p.accept(")") {
		return &ast.Tuple{Pos: t.pos}
	}
	first := p.starExpr()
	if p.is("for") || p.is("async") && isTok(p.peek(1), "for") {
		c := &ast.Comp{Pos: t.pos, Kind: ast.CompGen, Elt: first, Fors: p.compFors()}
		p.expect(")", "to close the generator expression")
		return c
	}
	if p.accept(")") {
		if _, ok := first.(*ast.Starred); ok {
			p.failf(first.At(), "a starred expression is not allowed here")
		}
		return first
	}
	elts := []ast.Expr{first}
	for p.accept(",") {
		if p.is(")") {
			break
		}
		elts = append(elts, p.starExpr())
	}
	p.expect(")", "to close the parenthesis")
	return &ast.Tuple{Pos: t.pos, Elts: elts}
}

// bracket parses a list display, a list comprehension or an edge reference.
func (p *parser) bracket() ast.Expr {
	t := p.next()
	if p.accept("]") {
		return &ast.List{Pos: t.pos}
	}
	if isArrow(p.tok()) || (p.is("edge") || p.is("node")) && !isTok(p.peek(1), "]") {
		return p.edgeRef(t.pos, nil)
	}
	first := p.starExpr()
	if isArrow(p.tok()) {
		return p.edgeRef(t.pos, first)
	}
	if p.is("for") || p.is("async") && isTok(p.peek(1), "for") {
		c := &ast.Comp{Pos: t.pos, Kind: ast.CompList, Elt: first, Fors: p.compFors()}
		p.expect("]", "to close the list comprehension")
		return c
	}
	l := &ast.List{Pos: t.pos, Elts: []ast.Expr{first}}
	for p.accept(",") {
		if p.is("]") {
			break
		}
		l.Elts = append(l.Elts, p.starExpr())
	}
	p.expect("]", "to close the list")
	return l
}

// edgeRef parses the rest of `[origin --> ->:E:-> …]` after '[' (and the
// origin, if one was parsed).
func (p *parser) edgeRef(pos ast.Pos, origin ast.Expr) ast.Expr {
	p.enter()
	defer p.leave()
	e := &ast.EdgeRef{Pos: pos, Origin: origin}
	if origin == nil {
		switch {
		case p.accept("edge"):
			e.Edges = true
		case p.accept("node"):
		}
		if !isArrow(p.tok()) {
			e.Origin = p.postfix()
		}
	}
	for isArrow(p.tok()) {
		e.Steps = append(e.Steps, p.edgeStep())
		step := e.Steps[len(e.Steps)-1]
		t := p.tok()
		switch {
		case (isTok(t, "(") || isTok(t, "[")) && isTok(p.peek(1), "?"):
			p.next()
			p.next()
			closer := map[string]string{"(": ")", "[": "]"}[t.text]
			step.Filter = p.filter(t.pos, closer)
		case isName(t) || t.kind == tName && (t.text == "self" || t.text == "here" || t.text == "root"):
			p.failf(t.pos, "a node expression after an edge step ('[a --> b]') is not supported")
		}
	}
	if len(e.Steps) == 0 {
		p.failf(p.tok().pos, "expected an edge step (-->, <--, <-->, ->:Type:->) in the edge reference, found %s", describe(p.tok()))
	}
	p.expect("]", "to close the edge reference")
	return e
}

// edgeStep parses one of --> <-- <--> ->:E:cond:-> <-:E:cond:<- .
func (p *parser) edgeStep() *ast.EdgeStep {
	t := p.next()
	s := &ast.EdgeStep{Pos: t.pos}
	switch t.text {
	case "-->":
		s.Dir = ast.Out
		return s
	case "<--":
		s.Dir = ast.In
		return s
	case "<-->":
		s.Dir = ast.Both
		return s
	}
	if !p.is(":") && !p.is(":->") && !p.is(":<-") {
		s.EdgeType = p.postfix()
	}
	if p.accept(":") {
		for !p.is(":->") && !p.is(":<-") {
			s.EdgeConds = append(s.EdgeConds, p.orExpr())
			if !p.accept(",") {
				break
			}
		}
	}
	switch {
	case t.text == "->:":
		s.Dir = ast.Out
		p.expect(":->", "to close '->:'")
	case p.accept(":<-"):
		s.Dir = ast.In
	case p.accept(":->"):
		s.Dir = ast.Both
	default:
		p.failf(p.tok().pos, "expected ':<-' to close '<-:', found %s", describe(p.tok()))
	}
	return s
}

// brace parses a dict or set display or comprehension.
func (p *parser) brace() ast.Expr {
	t := p.next()
	if p.accept("}") {
		return &ast.Dict{Pos: t.pos}
	}
	var key ast.Expr
	spread := false
	if p.accept("**") {
		spread = true
		key = p.bitOr()
	} else {
		key = p.starExpr()
	}
	if spread || p.is(":") {
		d := &ast.Dict{Pos: t.pos}
		if spread {
			d.Items = append(d.Items, &ast.DictItem{Value: key})
		} else {
			p.next()
			val := p.expr()
			if p.is("for") || p.is("async") && isTok(p.peek(1), "for") {
				c := &ast.Comp{Pos: t.pos, Kind: ast.CompDict, Key: key, Elt: val, Fors: p.compFors()}
				p.expect("}", "to close the dict comprehension")
				return c
			}
			d.Items = append(d.Items, &ast.DictItem{Key: key, Value: val})
		}
		for p.accept(",") {
			if p.is("}") {
				break
			}
			if p.accept("**") {
				d.Items = append(d.Items, &ast.DictItem{Value: p.bitOr()})
				continue
			}
			k := p.expr()
			p.expect(":", "after the dict key")
			d.Items = append(d.Items, &ast.DictItem{Key: k, Value: p.expr()})
		}
		p.expect("}", "to close the dict")
		return d
	}
	if p.is("for") || p.is("async") && isTok(p.peek(1), "for") {
		c := &ast.Comp{Pos: t.pos, Kind: ast.CompSet, Elt: key, Fors: p.compFors()}
		p.expect("}", "to close the set comprehension")
		return c
	}
	s := &ast.Set{Pos: t.pos, Elts: []ast.Expr{key}}
	for p.accept(",") {
		if p.is("}") {
			break
		}
		s.Elts = append(s.Elts, p.starExpr())
	}
	p.expect("}", "to close the set")
	return s
}

// strings joins adjacent string literals into one Lit or FString.
func (p *parser) strings() ast.Expr {
	first := p.tok()
	var parts []ast.Expr
	var lit strings.Builder
	isF, isBytes := false, first.kind == tBytes
	flush := func(pos ast.Pos) {
		if lit.Len() > 0 {
			parts = append(parts, &ast.Lit{Pos: pos, Kind: ast.LitString, Value: lit.String()})
			lit.Reset()
		}
	}
	for {
		t := p.tok()
		if t.kind != tString && t.kind != tBytes && t.kind != tFString {
			break
		}
		if (t.kind == tBytes) != isBytes {
			p.failf(t.pos, "cannot join bytes and str literals")
		}
		p.next()
		if t.kind != tFString {
			lit.WriteString(t.val)
			continue
		}
		isF = true
		fs := p.fstring(t)
		for _, part := range fs.Parts {
			if l, ok := part.(*ast.Lit); ok {
				lit.WriteString(l.Value)
				continue
			}
			flush(first.pos)
			parts = append(parts, part)
		}
	}
	if !isF {
		kind := ast.LitString
		if isBytes {
			kind = ast.LitBytes
		}
		return &ast.Lit{Pos: first.pos, Kind: kind, Value: lit.String()}
	}
	flush(first.pos)
	return &ast.FString{Pos: first.pos, Parts: parts}
}

// fstring parses the body of an f-string token.
func (p *parser) fstring(t token) *ast.FString {
	fs := &ast.FString{Pos: t.pos}
	w := &fwalker{p: p, s: t.text, raw: t.raw, pos: t.bodyPos}
	fs.Parts = w.parts(false)
	return fs
}

// fwalker walks an f-string body, keeping the source position.
type fwalker struct {
	p   *parser
	s   string
	i   int
	raw bool
	pos ast.Pos
}

func (w *fwalker) advance(n int) {
	for k := 0; k < n && w.i < len(w.s); {
		r, size := utf8.DecodeRuneInString(w.s[w.i:])
		w.i += size
		k += size
		if r == '\n' {
			w.pos.Line++
			w.pos.Col = 1
		} else {
			w.pos.Col++
		}
	}
}

// parts parses literal text and fields up to the end (or, in a format
// spec, up to the '}' that closes the field).
func (w *fwalker) parts(spec bool) []ast.Expr {
	w.p.enter()
	defer w.p.leave()
	var parts []ast.Expr
	var lit strings.Builder
	litPos := w.pos
	flush := func() {
		if lit.Len() > 0 {
			val, bad := unescape(lit.String(), w.raw, false)
			if bad != "" {
				w.p.failf(litPos, "%s", bad)
			}
			parts = append(parts, &ast.Lit{Pos: litPos, Kind: ast.LitString, Value: val})
			lit.Reset()
		}
	}
	for w.i < len(w.s) {
		c := w.s[w.i]
		switch {
		case c == '\\' && !w.raw && w.i+1 < len(w.s) && w.s[w.i+1] != '{' && w.s[w.i+1] != '}':
			lit.WriteString(w.s[w.i : w.i+2])
			w.advance(2)
		case c == '{' && strings.HasPrefix(w.s[w.i:], "{{") && !spec:
			lit.WriteByte('{')
			w.advance(2)
		case c == '}' && strings.HasPrefix(w.s[w.i:], "}}") && !spec:
			lit.WriteByte('}')
			w.advance(2)
		case c == '}':
			if spec {
				flush()
				return parts
			}
			w.p.failf(w.pos, "single '}' is not allowed in an f-string")
		case c == '{':
			flush()
			parts = append(parts, w.field())
			litPos = w.pos
		default:
			if lit.Len() == 0 {
				litPos = w.pos
			}
			_, size := utf8.DecodeRuneInString(w.s[w.i:])
			lit.WriteString(w.s[w.i : w.i+size])
			w.advance(size)
		}
	}
	if spec {
		w.p.failf(w.pos, "expected '}' to close the f-string field")
	}
	flush()
	return parts
}

// field parses `{expr=!c:spec}` at '{'.
func (w *fwalker) field() ast.Expr {
	open := w.pos
	w.advance(1)
	start, startPos := w.i, w.pos
	end := w.exprEnd()
	if end < 0 {
		w.p.failf(open, "expected '}' to close the f-string field")
	}
	text := w.s[start:end]
	if strings.TrimSpace(text) == "" {
		w.p.failf(open, "empty expression in an f-string field")
	}
	fp := &ast.FormatPart{Pos: open, X: w.subExpr(text, startPos)}
	w.advance(end - start)
	if w.i < len(w.s) && w.s[w.i] == '=' {
		fp.Debug = true
		fp.Text = text
		w.advance(1)
		for w.i < len(w.s) && w.s[w.i] == ' ' {
			w.advance(1)
		}
	}
	if w.i < len(w.s) && w.s[w.i] == '!' {
		w.advance(1)
		if w.i >= len(w.s) || !strings.ContainsRune("rsa", rune(w.s[w.i])) {
			w.p.failf(w.pos, "expected 'r', 's' or 'a' after '!' in an f-string field")
		}
		fp.Conv = w.s[w.i]
		w.advance(1)
	}
	if w.i < len(w.s) && w.s[w.i] == ':' {
		w.advance(1)
		specPos := w.pos
		fp.Spec = &ast.FString{Pos: specPos, Parts: w.parts(true)}
	}
	if w.i >= len(w.s) || w.s[w.i] != '}' {
		w.p.failf(w.pos, "expected '}' to close the f-string field")
	}
	w.advance(1)
	return fp
}

// exprEnd finds where the expression of a field ends: at '}', '!', ':' or a
// debugging '=' outside brackets and strings; -1 if the field never ends.
func (w *fwalker) exprEnd() int {
	depth := 0
	var quote byte
	for j := w.i; j < len(w.s); j++ {
		c := w.s[j]
		if quote != 0 {
			if c == '\\' {
				j++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '(', '[', '{':
			depth++
		case ')', ']':
			depth--
		case '}':
			if depth == 0 {
				return j
			}
			depth--
		case '!':
			if depth == 0 && !(j+1 < len(w.s) && w.s[j+1] == '=') {
				return j
			}
		case ':':
			if depth == 0 {
				return j
			}
		case '=':
			if depth == 0 && j > w.i && !strings.ContainsRune("=!<>", rune(w.s[j-1])) && !(j+1 < len(w.s) && w.s[j+1] == '=') {
				k := j + 1
				for k < len(w.s) && w.s[k] == ' ' {
					k++
				}
				if k < len(w.s) && strings.ContainsRune("}!:", rune(w.s[k])) {
					return j
				}
			}
		}
	}
	return -1
}

// subExpr parses the text of a field as an expression at its position.
func (w *fwalker) subExpr(text string, pos ast.Pos) ast.Expr {
	toks, lerr := lex(text, pos)
	if lerr != nil {
		w.p.failf(lerr.pos, "%s", lerr.msg)
	}
	sub := &parser{file: w.p.file, toks: toks, depth: w.p.depth}
	defer func() { w.p.errs = append(w.p.errs, sub.errs...) }()
	x := sub.exprList()
	if t := sub.tok(); t.kind != tEOF {
		sub.failf(t.pos, "unexpected %s in an f-string field", describe(t))
	}
	return x
}
