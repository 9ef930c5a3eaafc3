package parse

import (
	"fmt"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// File parses one source file. The error, if any, is an ErrorList of at
// most a few *Error, each with the file name, line and column.
func File(name string, src []byte) (*ast.File, error) {
	p := &parser{file: name}
	f := &ast.File{Name: name}
	text := strings.TrimPrefix(string(src), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	toks, lerr := lex(text, ast.Pos{Line: 1, Col: 1})
	if lerr != nil {
		// Parse what precedes the lexical error so that an earlier syntax
		// error is reported first, then the lexical one.
		toks = append(toks, token{kind: tEOF, pos: lerr.pos})
	}
	p.toks = toks
	p.parseFile(f)
	if lerr != nil {
		// Errors at or after the lexical error are echoes of the cut.
		kept := p.errs[:0]
		for _, e := range p.errs {
			if before(e.Pos, lerr.pos) {
				kept = append(kept, e)
			}
		}
		p.errs = append(kept, &Error{File: name, Pos: lerr.pos, Msg: lerr.msg})
		if len(p.errs) > maxErrors {
			p.errs = p.errs[:maxErrors]
		}
	}
	if len(p.errs) > 0 {
		return f, p.errs
	}
	return f, nil
}

func before(a, b ast.Pos) bool { return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col }

// parser holds the tokens of a file and the position in them.
type parser struct {
	file  string
	toks  []token
	i     int
	errs  ErrorList
	depth int
}

// bailout unwinds the parser to the nearest recovery point after an error.
type bailout struct{}

func (p *parser) tok() token { return p.toks[p.i] }

func (p *parser) peek(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// is reports whether the current token is the operator or keyword s.
func (p *parser) is(s string) bool { return isTok(p.tok(), s) }

func isTok(t token, s string) bool {
	return (t.kind == tOp || t.kind == tName) && t.text == s
}

func (p *parser) accept(s string) bool {
	if p.is(s) {
		p.next()
		return true
	}
	return false
}

// expect consumes s or fails with "expected s <where>, found …".
func (p *parser) expect(s, where string) token {
	if !p.is(s) {
		msg := "expected '" + s + "'"
		if where != "" {
			msg += " " + where
		}
		p.failf(p.tok().pos, "%s, found %s", msg, describe(p.tok()))
	}
	return p.next()
}

// failf records an error and unwinds to the nearest recovery point.
func (p *parser) failf(pos ast.Pos, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
	panic(bailout{})
}

// describe names a token for a message.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tName:
		if keywords[t.text] {
			return "keyword '" + t.text + "'"
		}
		return "'" + t.text + "'"
	case tEsc:
		return "'`" + t.text + "'"
	case tInt, tFloat:
		return "number " + t.text
	case tString, tBytes, tFString:
		return "a string"
	}
	return "'" + t.text + "'"
}

// enter guards recursion depth; every recursive production calls it.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.failf(p.tok().pos, "nesting too deep (more than %d levels)", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// hardKeywords are the keywords that are never names. The others are
// reserved words in jaclang's lexer too, but its parser takes them as
// names wherever a name can stand (glob.glob(), `for entry in …`, abs(x)),
// and so does this one.
var hardKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`if elif else for while try except finally return yield break
		continue raise assert with import from as lambda and or not in is async await spawn visit
		report disengage skip def can has del True False None`) {
		hardKeywords[k] = true
	}
}

// isName reports whether t can be an identifier.
func isName(t token) bool { return t.kind == tEsc || t.kind == tName && !hardKeywords[t.text] }

// name consumes an identifier.
func (p *parser) name(what string) (string, ast.Pos) {
	t := p.tok()
	if !isName(t) {
		p.failf(t.pos, "expected %s, found %s", what, describe(t))
	}
	p.next()
	return t.text, t.pos
}

// ---- file and items ----

func (p *parser) parseFile(f *ast.File) {
	if t := p.tok(); t.kind == tString {
		// A leading string is the module's docstring, even just before a
		// declaration (as in jaclang: that declaration needs a second one).
		p.next()
		f.Doc = t.val
	}
	for p.tok().kind != tEOF && len(p.errs) < maxErrors {
		p.recoverItem(f)
	}
}

// recoverItem parses one item; after an error it skips to a token that can
// start the next top-level declaration.
func (p *parser) recoverItem(f *ast.File) {
	start := p.i
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			p.depth = 0
			if p.i == start {
				p.next()
			}
			for p.tok().kind != tEOF && !(p.tok().pos.Col == 1 && startsItem(p.tok())) {
				p.next()
			}
		}
	}()
	if p.accept(";") {
		return
	}
	f.Items = append(f.Items, p.item()...)
}

// importOrUnsupported is an *ast.Import or an *ast.Unsupported: both are
// items and statements.
type importOrUnsupported interface {
	ast.Item
	ast.Stmt
}

// startsItem reports whether t can begin a top-level declaration.
func startsItem(t token) bool {
	if t.kind == tString {
		return true
	}
	if t.kind == tOp {
		return t.text == "@"
	}
	switch t.text {
	case "import", "include", "glob", "walker", "node", "edge", "obj", "class", "enum", "def", "can",
		"async", "with", "impl", "sem", "test", "cl", "sv", "na":
		return t.kind == tName
	}
	return false
}

// item parses one top-level declaration.
func (p *parser) item() []ast.Item {
	doc := ""
	if t := p.tok(); t.kind == tString {
		p.next()
		doc = t.val
		if p.tok().kind == tEOF {
			return nil
		}
	}
	t := p.tok()
	if t.kind != tName && !isTok(t, "@") {
		p.failf(t.pos, "expected a declaration (import, walker, node, edge, obj, def, glob, with entry…), found %s", describe(t))
	}
	switch t.text {
	case "import", "include":
		return []ast.Item{p.importDecl()}
	case "glob":
		return []ast.Item{p.global()}
	case "with":
		return []ast.Item{p.entryBlock()}
	case "impl":
		return []ast.Item{p.skipUnsupported("impl block")}
	case "sem":
		return []ast.Item{p.skipUnsupported("sem declaration")}
	case "test":
		return []ast.Item{p.skipUnsupported("test block")}
	case "to":
		if n := p.peek(1); n.kind == tName && (n.text == "cl" || n.text == "sv" || n.text == "na") && isTok(p.peek(2), ":") {
			p.i += 3
			return []ast.Item{&ast.Unsupported{Pos: t.pos, What: "'to " + n.text + ":' section"}}
		}
	case "type":
		if isName(p.peek(1)) && (isTok(p.peek(2), "=") || isTok(p.peek(2), "[")) {
			return []ast.Item{p.skipUnsupported("type alias")}
		}
	case "cl", "sv", "na":
		if isTok(p.peek(1), "import") {
			p.next()
			u := &ast.Unsupported{Pos: t.pos, What: "'" + t.text + "' import"}
			p.importDecl()
			return []ast.Item{u}
		}
		return []ast.Item{p.skipUnsupported(map[string]string{"cl": "client block", "sv": "server block", "na": "native block"}[t.text])}
	}
	switch t.text {
	case "@", "walker", "node", "edge", "obj", "class", "enum", "def", "can", "async", "static", "override":
	default:
		p.failf(t.pos, "expected a declaration (import, walker, node, edge, obj, def, glob, with entry…), found %s; statements go inside 'with entry { … }'", describe(t))
	}
	d := p.decl(doc)
	switch d := d.(type) {
	case *ast.Archetype:
		return []ast.Item{d}
	case *ast.Func:
		return []ast.Item{d}
	case *ast.Unsupported:
		return []ast.Item{d}
	case *ast.Ability:
		p.failf(d.Pos, "an ability ('can') must be declared inside a walker, node, edge or obj")
	}
	p.failf(t.pos, "expected a declaration, found %s", describe(t))
	return nil
}

// decl parses a possibly decorated archetype, def or ability, returning
// *ast.Archetype, *ast.Func, *ast.Ability or *ast.Unsupported.
func (p *parser) decl(doc string) ast.Node {
	var decos []ast.Expr
	for p.is("@") {
		p.next()
		decos = append(decos, p.postfix())
	}
	start := p.tok()
	async, static := false, false
	for p.is("async") || p.is("static") || p.is("override") {
		switch p.next().text {
		case "async":
			async = true
		case "static":
			static = true
		}
	}
	t := p.tok()
	switch {
	case isTok(t, "impl"):
		return p.skipUnsupported("impl block")
	case isArchKind(t):
		if static {
			p.failf(start.pos, "'static' applies to has, def and can, not to a %s", t.text)
		}
		a := p.archetype()
		a.Async = async
		a.Decorators = decos
		if a.Doc == "" {
			a.Doc = doc
		}
		return a
	case isTok(t, "def"):
		fn := p.funcDecl()
		fn.Async, fn.Static, fn.Decorators = async, static, decos
		if fn.Doc == "" {
			fn.Doc = doc
		}
		return fn
	case isTok(t, "can"):
		ab := p.ability()
		ab.Async, ab.Static = async, static
		if ab.Doc == "" {
			ab.Doc = doc
		}
		if len(decos) > 0 {
			return &ast.Unsupported{Pos: decos[0].At(), What: "decorator on an ability"}
		}
		return ab
	}
	p.failf(t.pos, "expected walker, node, edge, obj, class, enum, def or can after the decorator, found %s", describe(t))
	return nil
}

func isArchKind(t token) bool {
	if t.kind != tName {
		return false
	}
	switch t.text {
	case "walker", "node", "edge", "obj", "class", "enum":
		return true
	}
	return false
}

// access parses an optional `:pub` / `:priv` / `:protect` tag.
func (p *parser) access() ast.Access {
	if !p.is(":") {
		return ""
	}
	n := p.peek(1)
	if n.kind == tName && (n.text == "pub" || n.text == "priv" || n.text == "protect") {
		p.next()
		p.next()
		return ast.Access(n.text)
	}
	p.failf(n.pos, "expected an access tag (pub, priv or protect) after ':', found %s", describe(n))
	return ""
}

// skipUnsupported consumes a construct outside the language scope: up to
// its end `;` or through its braced body.
func (p *parser) skipUnsupported(what string) *ast.Unsupported {
	u := &ast.Unsupported{Pos: p.tok().pos, What: what}
	p.next()
	depth := 0
	for {
		t := p.tok()
		switch {
		case t.kind == tEOF:
			if depth > 0 {
				p.failf(t.pos, "expected '}' to close the %s, found end of file", what)
			}
			return u
		case isTok(t, "{") || isTok(t, "(") || isTok(t, "["):
			depth++
		case isTok(t, "}") || isTok(t, ")") || isTok(t, "]"):
			depth--
			if depth < 0 {
				return u
			}
			if depth == 0 && isTok(t, "}") {
				p.next()
				p.accept(";")
				return u
			}
		case isTok(t, ";") && depth == 0:
			p.next()
			return u
		}
		p.next()
	}
}

// importDecl parses `import a.b as c, d;` or `import from a.b { x, y as z }`
// into an *ast.Import (an *ast.Unsupported for `import type …`).
func (p *parser) importDecl() importOrUnsupported {
	t := p.tok()
	if isTok(p.peek(1), "type") {
		return p.skipUnsupported("import type")
	}
	p.next()
	imp := &ast.Import{Pos: t.pos}
	if t.text == "include" {
		name, pos := p.dotted()
		p.expect(";", "after the include")
		imp.Modules = append(imp.Modules, ast.ImportName{Pos: pos, Name: name})
		return imp
	}
	if p.accept("from") {
		imp.From, _ = p.dotted()
		p.expect("{", "after the module of 'import from'")
		for !p.is("}") {
			n, pos := p.importName()
			in := ast.ImportName{Pos: pos, Name: n}
			if p.accept("as") {
				in.Alias, _ = p.name("a name after 'as'")
			}
			imp.Names = append(imp.Names, in)
			if !p.accept(",") {
				break
			}
		}
		p.expect("}", "to close the imported names")
		p.accept(";")
		return imp
	}
	for {
		name, pos := p.dotted()
		in := ast.ImportName{Pos: pos, Name: name}
		if p.accept("as") {
			in.Alias, _ = p.name("a name after 'as'")
		}
		imp.Modules = append(imp.Modules, in)
		if !p.accept(",") {
			break
		}
	}
	p.expect(";", "after the import")
	return imp
}

// importName is a name in `import from m { … }`; keywords such as `root`
// or `spawn` are allowed there since they name module members.
func (p *parser) importName() (string, ast.Pos) {
	t := p.tok()
	if t.kind == tName || t.kind == tEsc {
		p.next()
		return t.text, t.pos
	}
	p.failf(t.pos, "expected a name to import, found %s", describe(t))
	return "", t.pos
}

// dotted parses a module path `a.b.c` (leading dots for relative imports).
func (p *parser) dotted() (string, ast.Pos) {
	pos := p.tok().pos
	var b strings.Builder
	for p.is(".") || p.is("...") {
		b.WriteString(p.next().text)
	}
	if b.Len() > 0 && !isName(p.tok()) && p.tok().kind != tName {
		return b.String(), pos // `import from . { x }`
	}
	for {
		t := p.tok()
		if t.kind != tName && t.kind != tEsc {
			p.failf(t.pos, "expected a module name, found %s", describe(t))
		}
		p.next()
		b.WriteString(t.text)
		if !p.is(".") {
			break
		}
		p.next()
		b.WriteString(".")
	}
	return b.String(), pos
}

// global parses `glob :pub x = 1, y: int = 2;`.
func (p *parser) global() *ast.Global {
	t := p.next()
	g := &ast.Global{Pos: t.pos, Access: p.access()}
	for {
		name, pos := p.name("a variable name")
		v := &ast.HasField{Pos: pos, Name: name, Access: g.Access}
		if p.accept(":") {
			v.Type = p.typeExpr()
		}
		if p.accept("=") {
			v.Default = p.expr()
		}
		g.Vars = append(g.Vars, v)
		if !p.accept(",") {
			break
		}
	}
	p.expect(";", "after the glob declaration")
	return g
}

// entryBlock parses `with entry { … }` or `with entry:name { … }`.
func (p *parser) entryBlock() *ast.EntryBlock {
	t := p.next()
	if !p.is("entry") {
		if p.is("exit") {
			p.failf(p.tok().pos, "a module-level block is 'with entry { … }'; 'with exit' is not supported")
		}
		p.failf(p.tok().pos, "expected 'entry' after 'with' at the top level, found %s", describe(p.tok()))
	}
	p.next()
	e := &ast.EntryBlock{Pos: t.pos}
	if p.accept(":") {
		e.Name, _ = p.name("a name after 'with entry:'")
	}
	e.Body = p.block("the entry block")
	return e
}

// archetype parses `walker :pub Name(Base) { … }` (the kind keyword is current).
func (p *parser) archetype() *ast.Archetype {
	p.enter()
	defer p.leave()
	t := p.next()
	a := &ast.Archetype{Pos: t.pos, Kind: ast.ArchKind(t.text), Access: p.access()}
	a.Name, _ = p.name("a name for the " + t.text)
	if p.accept("(") {
		for !p.is(")") {
			a.Bases = append(a.Bases, p.expr())
			if !p.accept(",") {
				break
			}
		}
		p.expect(")", "to close the base list")
	}
	if p.accept(";") {
		return a
	}
	if p.is("by") {
		p.failf(p.tok().pos, "'by' after a declaration is not supported")
	}
	p.expect("{", "to open the body of "+t.text+" "+a.Name)
	if a.Kind == ast.KindEnum {
		p.enumValues(a)
	}
	for !p.is("}") {
		if p.tok().kind == tEOF {
			p.failf(p.tok().pos, "expected '}' to close %s %s, found end of file", t.text, a.Name)
		}
		if p.accept(";") {
			continue
		}
		a.Members = append(a.Members, p.member()...)
	}
	p.next()
	return a
}

// enumValues parses the `A = 1, B, C = "x"` list at the start of an enum body.
func (p *parser) enumValues(a *ast.Archetype) {
	for isName(p.tok()) {
		if n := p.peek(1); !isTok(n, "=") && !isTok(n, ",") && !isTok(n, ";") && !isTok(n, "}") {
			break // `static def …`: the values are over
		}
		name, pos := p.name("an enum member")
		v := &ast.EnumValue{Pos: pos, Name: name}
		if p.accept("=") {
			v.Value = p.expr()
		}
		a.Members = append(a.Members, v)
		if !p.accept(",") {
			break
		}
	}
	p.accept(";")
}

// member parses one declaration in an archetype body (a `has` with
// several names gives several members).
func (p *parser) member() []ast.Member {
	doc := ""
	if t := p.tok(); t.kind == tString {
		p.next()
		doc = t.val
		if p.is("}") {
			return nil
		}
	}
	t := p.tok()
	switch {
	case isTok(t, "has") || isTok(t, "static") && isTok(p.peek(1), "has"):
		return p.hasDecl(doc)
	case isTok(t, "with") && isTok(p.peek(1), "entry"):
		return []ast.Member{p.entryBlock()}
	case isTok(t, "impl"):
		return []ast.Member{p.skipUnsupported("impl block")}
	case isTok(t, "sem"):
		return []ast.Member{p.skipUnsupported("sem declaration")}
	}
	switch d := p.decl(doc).(type) {
	case *ast.Func:
		return []ast.Member{d}
	case *ast.Ability:
		return []ast.Member{d}
	case *ast.Unsupported:
		return []ast.Member{d}
	case *ast.Archetype:
		return []ast.Member{&ast.Unsupported{Pos: d.Pos, What: "nested " + string(d.Kind) + " declaration"}}
	}
	p.failf(t.pos, "expected has, def, can or '}' in the body, found %s", describe(t))
	return nil
}

// hasDecl parses `static has :pub a: int = 1, b: str by postinit;`, one
// member per field; the first carries the docstring.
func (p *parser) hasDecl(doc string) []ast.Member {
	static := p.accept("static")
	p.next() // has
	acc := p.access()
	var fields []ast.Member
	for {
		name, pos := p.name("a field name")
		f := &ast.HasField{Pos: pos, Name: name, Static: static, Access: acc}
		if len(fields) == 0 {
			f.Doc = doc
		}
		p.expect(":", "and a type after the field name "+name)
		f.Type = p.typeExpr()
		switch {
		case p.accept("="):
			f.Default = p.expr()
		case p.is("by"):
			p.next()
			if !p.accept("postinit") {
				p.failf(p.tok().pos, "expected 'postinit' after 'by' in a has declaration, found %s", describe(p.tok()))
			}
			f.PostInit = true
		}
		fields = append(fields, f)
		if !p.accept(",") {
			break
		}
	}
	p.expect(";", "after the has declaration")
	return fields
}

// typeExpr parses a type annotation: any expression without ternary,
// stopping before '=' and 'by'.
func (p *parser) typeExpr() ast.Expr { return p.orExpr() }

// funcDecl parses `def :pub name(params) -> T { … }` (def is current).
func (p *parser) funcDecl() *ast.Func {
	p.enter()
	defer p.leave()
	t := p.next()
	fn := &ast.Func{Pos: t.pos, Access: p.access()}
	n := p.tok()
	if n.kind == tName && (n.text == "init" || n.text == "postinit") || isName(n) {
		p.next()
		fn.Name = n.text
	} else {
		p.failf(n.pos, "expected a function name after 'def', found %s", describe(n))
	}
	if p.accept("(") {
		fn.Params = p.params(")")
		p.expect(")", "to close the parameters of "+fn.Name)
	}
	if p.accept("->") {
		fn.Return = p.typeExpr()
	}
	switch {
	case p.accept("abs"):
		fn.Abstract = true
		p.expect(";", "after 'abs'")
	case p.accept(";"):
		fn.Abstract = true
	case p.is("by"):
		return p.byLLM(fn)
	default:
		fn.Body = p.block("the body of " + fn.Name)
	}
	return fn
}

// byLLM consumes a `… by llm(…);` body, returned as an unsupported construct
// through a Func whose body is that one statement.
func (p *parser) byLLM(fn *ast.Func) *ast.Func {
	pos := p.next().pos
	p.expr()
	p.expect(";", "after 'by …'")
	fn.Body = []ast.Stmt{&ast.Unsupported{Pos: pos, What: "by llm"}}
	return fn
}

// params parses a parameter list up to the closing token.
func (p *parser) params(closer string) []*ast.Param {
	var ps []*ast.Param
	for !p.is(closer) {
		t := p.tok()
		par := &ast.Param{Pos: t.pos}
		switch {
		case p.accept("**"):
			par.Kind = ast.ParamKwArgs
		case p.accept("*"):
			par.Kind = ast.ParamVarArgs
			if p.is(",") || p.is(closer) {
				par.Kind = ast.ParamKwOnlyMarker
			}
		case p.is("/"):
			p.failf(t.pos, "positional-only parameters ('/') are not supported")
		}
		if par.Kind != ast.ParamKwOnlyMarker {
			n := p.tok()
			if isName(n) || isTok(n, "self") {
				p.next()
				par.Name = n.text
			} else {
				p.failf(n.pos, "expected a parameter name, found %s", describe(n))
			}
			if p.accept(":") {
				par.Type = p.typeExpr()
			}
			if p.accept("=") {
				par.Default = p.expr()
			}
		}
		ps = append(ps, par)
		if !p.accept(",") {
			break
		}
	}
	return ps
}

// ability parses `can name with T entry { … }` (can is current).
func (p *parser) ability() *ast.Ability {
	p.enter()
	defer p.leave()
	t := p.next()
	ab := &ast.Ability{Pos: t.pos, Access: p.access()}
	ab.Name, _ = p.name("an ability name after 'can'")
	if p.is("(") {
		p.failf(p.tok().pos, "an ability takes no parameters: write 'can %s with T entry { … }', or use 'def' for a method", ab.Name)
	}
	p.expect("with", "after the ability name (can "+ab.Name+" with … entry)")
	if !p.is("entry") && !p.is("exit") {
		ab.Types = splitUnion(p.orExpr())
	}
	switch {
	case p.accept("entry"):
		ab.Event = ast.Entry
	case p.accept("exit"):
		ab.Event = ast.Exit
	default:
		p.failf(p.tok().pos, "expected 'entry' or 'exit' in the ability %s, found %s", ab.Name, describe(p.tok()))
	}
	switch {
	case p.accept(";"):
	case p.accept("abs"):
		p.expect(";", "after 'abs'")
	case p.is("by"):
		pos := p.next().pos
		p.expr()
		p.expect(";", "after 'by …'")
		ab.Body = []ast.Stmt{&ast.Unsupported{Pos: pos, What: "by llm"}}
	default:
		ab.Body = p.block("the body of " + ab.Name)
	}
	return ab
}

// splitUnion turns `A | B | C` into [A, B, C].
func splitUnion(e ast.Expr) []ast.Expr {
	if b, ok := e.(*ast.Binary); ok && b.Op == "|" {
		return append(splitUnion(b.X), splitUnion(b.Y)...)
	}
	return []ast.Expr{e}
}

// ---- statements ----

// block parses `{ statements }`.
func (p *parser) block(what string) []ast.Stmt {
	p.enter()
	defer p.leave()
	open := p.tok()
	if !p.is("{") {
		p.failf(open.pos, "expected '{' to open %s, found %s", what, describe(open))
	}
	p.next()
	stmts := []ast.Stmt{}
	for !p.is("}") {
		if p.tok().kind == tEOF {
			p.failf(p.tok().pos, "expected '}' to close %s opened at %d:%d, found end of file", what, open.pos.Line, open.pos.Col)
		}
		if p.accept(";") {
			continue
		}
		stmts = append(stmts, p.stmt()...)
	}
	p.next()
	return stmts
}

// stmt parses one statement (several for a flattened declaration).
func (p *parser) stmt() []ast.Stmt {
	t := p.tok()
	if n := p.peek(1); t.kind == tName && softDecl[t.text] && n.kind == tOp && n.text != ":" && n.text != "@" {
		// `glob.glob(…)`, `node = x`: a soft keyword used as a name.
		return []ast.Stmt{p.simpleStmt(true)}
	}
	if t.kind == tName {
		switch t.text {
		case "if":
			return []ast.Stmt{p.ifStmt()}
		case "while":
			p.next()
			w := &ast.While{Pos: t.pos, Cond: p.expr()}
			w.Body = p.block("the while body")
			if p.accept("else") {
				w.Else = p.block("the else block")
			}
			return []ast.Stmt{w}
		case "for":
			return []ast.Stmt{p.forStmt(false)}
		case "try":
			return []ast.Stmt{p.tryStmt()}
		case "with":
			if isTok(p.peek(1), "entry") || isTok(p.peek(1), "exit") {
				p.failf(t.pos, "'with entry' is only allowed at the top level of a module")
			}
			return []ast.Stmt{p.withStmt(false)}
		case "async":
			n := p.peek(1)
			switch {
			case isTok(n, "for"):
				p.next()
				return []ast.Stmt{p.forStmt(true)}
			case isTok(n, "with"):
				p.next()
				return []ast.Stmt{p.withStmt(true)}
			case isTok(n, "def") || isArchKind(n) || isTok(n, "can"):
				return []ast.Stmt{p.declStmt()}
			}
		case "return":
			p.next()
			r := &ast.Return{Pos: t.pos}
			if !p.is(";") {
				r.X = p.exprList()
			}
			p.endStmt()
			return []ast.Stmt{r}
		case "break":
			p.next()
			p.endStmt()
			return []ast.Stmt{&ast.Break{Pos: t.pos}}
		case "continue":
			p.next()
			p.endStmt()
			return []ast.Stmt{&ast.Continue{Pos: t.pos}}
		case "disengage":
			p.next()
			p.endStmt()
			return []ast.Stmt{&ast.Disengage{Pos: t.pos}}
		case "skip":
			p.next()
			p.endStmt()
			return []ast.Stmt{&ast.Skip{Pos: t.pos}}
		case "raise":
			p.next()
			r := &ast.Raise{Pos: t.pos}
			if !p.is(";") {
				r.X = p.expr()
				if p.accept("from") {
					r.From = p.expr()
				}
			}
			p.endStmt()
			return []ast.Stmt{r}
		case "report":
			p.next()
			r := &ast.Report{Pos: t.pos, X: p.exprList()}
			p.endStmt()
			return []ast.Stmt{r}
		case "visit":
			p.next()
			if p.is(":") {
				return []ast.Stmt{p.skipUnsupported("visit with an insert position (visit :n: …)")}
			}
			v := &ast.Visit{Pos: t.pos, X: p.expr()}
			if p.accept("else") {
				v.Else = p.block("the else block of visit")
				p.accept(";")
				return []ast.Stmt{v}
			}
			p.endStmt()
			return []ast.Stmt{v}
		case "del":
			p.next()
			d := &ast.Delete{Pos: t.pos}
			for {
				d.Targets = append(d.Targets, p.expr())
				if !p.accept(",") {
					break
				}
			}
			p.endStmt()
			return []ast.Stmt{d}
		case "assert":
			p.next()
			a := &ast.Assert{Pos: t.pos, Cond: p.expr()}
			if p.accept(",") {
				a.Msg = p.expr()
			}
			p.endStmt()
			return []ast.Stmt{a}
		case "global", "nonlocal":
			p.next()
			n := &ast.Names{Pos: t.pos, Nonlocal: t.text == "nonlocal"}
			for {
				name, _ := p.name("a variable name")
				n.Names = append(n.Names, name)
				if !p.accept(",") {
					break
				}
			}
			p.endStmt()
			return []ast.Stmt{n}
		case "import", "include":
			return []ast.Stmt{p.importDecl()}
		case "def", "can", "walker", "node", "edge", "obj", "class", "enum", "static":
			if t.text == "node" || t.text == "edge" {
				// `node`/`edge` start a declaration only when a name follows.
				if n := p.peek(1); !(isName(n) || isTok(n, ":")) {
					break
				}
			}
			return []ast.Stmt{p.declStmt()}
		case "match", "switch":
			if n := p.peek(1); n.kind != tOp || n.text == "(" || n.text == "[" || n.text == "{" {
				return []ast.Stmt{p.skipUnsupported(t.text + " statement")}
			}
		case "glob":
			p.failf(t.pos, "'glob' declares module variables and is only allowed at the top level")
		case "yield":
			x := p.expr()
			p.endStmt()
			return []ast.Stmt{&ast.ExprStmt{Pos: t.pos, X: x}}
		}
	}
	if isTok(t, "@") {
		return []ast.Stmt{p.declStmt()}
	}
	return []ast.Stmt{p.simpleStmt(true)}
}

// softDecl are the keywords that start a statement only when no operator
// follows them.
var softDecl = map[string]bool{"glob": true, "node": true, "edge": true, "walker": true, "obj": true,
	"class": true, "enum": true, "static": true, "match": true, "switch": true, "include": true}

// declStmt parses a nested def, archetype or ability inside a body.
func (p *parser) declStmt() ast.Stmt {
	switch d := p.decl("").(type) {
	case *ast.Func:
		return ast.FuncStmt{Func: d}
	case *ast.Archetype:
		return ast.ArchStmt{Archetype: d}
	case *ast.Ability:
		p.failf(d.Pos, "an ability ('can') must be declared inside a walker, node, edge or obj")
	case *ast.Unsupported:
		return d
	}
	return nil
}

// endStmt requires the ';' that ends a simple statement.
func (p *parser) endStmt() {
	if !p.is(";") {
		p.failf(p.tok().pos, "expected ';' after the statement, found %s", describe(p.tok()))
	}
	p.next()
}

// simpleStmt parses an expression statement or an assignment; with end
// false it leaves the terminator (for the clauses of a for-to loop).
func (p *parser) simpleStmt(end bool) ast.Stmt {
	pos := p.tok().pos
	x := p.exprList()
	var s ast.Stmt
	t := p.tok()
	switch {
	case isTok(t, "="):
		a := &ast.Assign{Pos: pos, Targets: []ast.Expr{x}}
		for p.accept("=") {
			if p.is("yield") {
				a.Targets = append(a.Targets, p.expr())
				continue
			}
			a.Targets = append(a.Targets, p.exprList())
		}
		a.Value = a.Targets[len(a.Targets)-1]
		a.Targets = a.Targets[:len(a.Targets)-1]
		for _, tg := range a.Targets {
			p.checkTarget(tg)
		}
		s = a
	case isTok(t, ":"):
		p.next()
		p.checkTarget(x)
		a := &ast.Assign{Pos: pos, Targets: []ast.Expr{x}, Type: p.typeExpr()}
		if p.accept("=") {
			a.Value = p.exprList()
		}
		s = a
	case t.kind == tOp && len(t.text) >= 2 && strings.HasSuffix(t.text, "=") && augOp(t.text):
		p.next()
		p.checkTarget(x)
		s = &ast.AugAssign{Pos: pos, Target: x, Op: strings.TrimSuffix(t.text, "="), Value: p.exprList()}
	default:
		s = &ast.ExprStmt{Pos: pos, X: x}
	}
	if end {
		p.endStmt()
	}
	return s
}

func augOp(s string) bool {
	switch s {
	case "+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>=", "@=":
		return true
	}
	return false
}

// checkTarget rejects what cannot be assigned to.
func (p *parser) checkTarget(x ast.Expr) {
	switch x := x.(type) {
	case *ast.Name, *ast.Attr, *ast.Index:
	case *ast.Special:
		if x.Kind == ast.Self || x.Kind == ast.Here || x.Kind == ast.RootRef || x.Kind == ast.Visitor {
			p.failf(x.Pos, "cannot assign to '%s'", x.Kind)
		}
	case *ast.Tuple:
		for _, e := range x.Elts {
			p.checkTarget(e)
		}
	case *ast.List:
		for _, e := range x.Elts {
			p.checkTarget(e)
		}
	case *ast.Starred:
		p.checkTarget(x.X)
	default:
		p.failf(x.At(), "cannot assign to this expression")
	}
}

func (p *parser) ifStmt() ast.Stmt {
	t := p.next() // if or elif
	s := &ast.If{Pos: t.pos, Cond: p.expr()}
	s.Body = p.block("the if body")
	switch {
	case p.is("elif"):
		s.Else = []ast.Stmt{p.ifStmt()}
	case p.accept("else"):
		s.Else = p.block("the else block")
	}
	return s
}

func (p *parser) forStmt(async bool) ast.Stmt {
	t := p.next()
	// for i = 0 to i < n by i += 1 { … }
	if isName(p.tok()) && isTok(p.peek(1), "=") {
		init := p.simpleStmt(false)
		p.expect("to", "in 'for … = … to … by …'")
		s := &ast.ForTo{Pos: t.pos, Init: init, Cond: p.orExpr()}
		p.expect("by", "in 'for … = … to … by …'")
		s.Step = p.simpleStmt(false)
		s.Body = p.block("the for body")
		return s
	}
	s := &ast.For{Pos: t.pos, Async: async, Target: p.targetList()}
	p.expect("in", "after the loop variable")
	s.Iter = p.exprList()
	s.Body = p.block("the for body")
	if p.accept("else") {
		s.Else = p.block("the else block")
	}
	return s
}

// targetList parses loop targets `a`, `a, b`, `(a, b)`, `*rest`.
func (p *parser) targetList() ast.Expr {
	pos := p.tok().pos
	var elts []ast.Expr
	trailing := false
	for {
		var e ast.Expr
		if st := p.tok(); p.accept("*") {
			e = &ast.Starred{Pos: st.pos, X: p.bitOr()}
		} else {
			e = p.bitOr()
		}
		p.checkTarget(e)
		elts = append(elts, e)
		if !p.accept(",") {
			break
		}
		trailing = true
		if p.is("in") {
			break
		}
		trailing = false
	}
	if len(elts) == 1 && !trailing {
		return elts[0]
	}
	return &ast.Tuple{Pos: pos, Elts: elts}
}

func (p *parser) tryStmt() ast.Stmt {
	t := p.next()
	s := &ast.Try{Pos: t.pos, Body: p.block("the try body")}
	for p.is("except") {
		et := p.next()
		h := &ast.Except{Pos: et.pos}
		if !p.is("{") {
			h.Type = p.expr()
			if p.accept("as") {
				h.Name, _ = p.name("a name after 'as'")
			}
		}
		h.Body = p.block("the except block")
		s.Handlers = append(s.Handlers, h)
	}
	if p.accept("else") {
		s.Else = p.block("the else block")
	}
	if p.accept("finally") {
		s.Finally = p.block("the finally block")
	}
	if len(s.Handlers) == 0 && s.Finally == nil {
		p.failf(p.tok().pos, "expected 'except' or 'finally' after the try block, found %s", describe(p.tok()))
	}
	return s
}

func (p *parser) withStmt(async bool) ast.Stmt {
	t := p.next()
	s := &ast.With{Pos: t.pos, Async: async}
	for {
		it := &ast.WithItem{X: p.expr()}
		if p.accept("as") {
			it.As = p.postfix()
			p.checkTarget(it.As)
		}
		s.Items = append(s.Items, it)
		if !p.accept(",") {
			break
		}
	}
	s.Body = p.block("the with body")
	return s
}
