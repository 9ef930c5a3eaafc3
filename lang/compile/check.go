// Package compile checks a parsed Jac program against what the sandboxed
// runtime supports, and derives its manifest: the walkers, functions and
// node and edge types the host serves.
package compile

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// Error is one build error at a position of a file.
type Error struct {
	File string
	Pos  ast.Pos
	Msg  string
}

func (e Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// allowedImports are the modules a program may import, each with the
// names it may take from them (nil: any). Everything else (files, sockets,
// threads, processes) does not exist in the sandbox.
var allowedImports = map[string][]string{
	"time":                                nil,
	"datetime":                            nil,
	"uuid":                                nil,
	"json":                                nil,
	"math":                                nil,
	"random":                              nil,
	"re":                                  nil,
	"typing":                              nil,
	"dataclasses":                         nil,
	"enum":                                nil,
	"abc":                                 nil,
	"__future__":                          nil,
	"asyncio":                             nil, // run, gather, sleep (lang/interp)
	"http":                                {"HTTPMethod", "UploadFile"},
	"fastapi":                             {"UploadFile"},
	"jac_scale.lib":                       nil,
	"jac_scale.factories.storage_factory": {"StorageFactory"},
	"jaclang.runtimelib.builtin":          nil,
	"jaclang.lib":                         nil,
	"jaclang":                             {"JacRuntime"},
}

// checker collects the errors of one Check.
type checker struct {
	errs    []Error
	file    string
	modules map[string]bool // modules provided by the program's own files
	names   map[string]bool // every name declared or imported at top level
	walkers map[string]bool
}

func (c *checker) errorf(pos ast.Pos, format string, args ...any) {
	c.errs = append(c.errs, Error{File: c.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Check reports what keeps a parsed program from running in the sandbox:
// unsupported constructs and imports, misplaced statements, duplicate
// declarations. Errors come in file order, then position order.
func Check(files ...*ast.File) []Error {
	c := &checker{modules: map[string]bool{}, names: map[string]bool{}, walkers: map[string]bool{}}
	for _, f := range files {
		for _, m := range moduleNames(f.Name) {
			c.modules[m] = true
		}
		inspect(f, func(n ast.Node, _ []ast.Node) bool {
			switch n := n.(type) {
			case *ast.Archetype:
				c.names[n.Name] = true
				if n.Kind == ast.KindWalker {
					c.walkers[n.Name] = true
				}
			case *ast.Func:
				c.names[n.Name] = true
			case *ast.Import:
				for _, in := range append(n.Names, n.Modules...) {
					c.names[firstPart(in.Name)] = true
					if in.Alias != "" {
						c.names[in.Alias] = true
					}
				}
			case *ast.Global:
				for _, v := range n.Vars {
					c.names[v.Name] = true
				}
			}
			return true
		})
	}
	for _, f := range files {
		c.file = f.Name
		c.checkFile(f)
	}
	c.checkDuplicates(files)
	sortErrors(c.errs, files)
	return c.errs
}

// sortErrors orders errors by file (in the order given), then position.
func sortErrors(errs []Error, files []*ast.File) {
	order := map[string]int{}
	for i, f := range files {
		if _, ok := order[f.Name]; !ok {
			order[f.Name] = i
		}
	}
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if order[a.File] != order[b.File] {
			return order[a.File] < order[b.File]
		}
		return a.Pos.Line < b.Pos.Line || a.Pos.Line == b.Pos.Line && a.Pos.Col < b.Pos.Col
	})
}

// moduleNames gives the module paths under which a file of the program can
// be imported: `shared/models.jac` is `shared.models` and `models`.
func moduleNames(name string) []string {
	name = strings.TrimSuffix(path.Clean(strings.ReplaceAll(name, "\\", "/")), ".jac")
	name = strings.TrimPrefix(name, "./")
	dotted := strings.ReplaceAll(name, "/", ".")
	return []string{dotted, path.Base(name)}
}

func firstPart(dotted string) string {
	if i := strings.IndexByte(dotted, '.'); i >= 0 {
		return dotted[:i]
	}
	return dotted
}

func (c *checker) checkFile(f *ast.File) {
	inspect(f, func(n ast.Node, stack []ast.Node) bool {
		switch n := n.(type) {
		case *ast.Unsupported:
			c.errorf(n.Pos, "%s is not supported", n.What)
		case *ast.Import:
			c.checkImport(n)
		case *ast.Archetype:
			if n.Name == "Root" {
				c.errorf(n.Pos, "the name 'Root' is reserved for the root node type")
			}
			for _, m := range n.Members {
				if e, ok := m.(*ast.EntryBlock); ok {
					c.errorf(e.Pos, "'with entry' is not allowed inside %s %s; declare an ability: can NAME with entry { … }", n.Kind, n.Name)
				}
			}
			for _, d := range n.Decorators {
				c.checkDecorator(d, string(n.Kind))
			}
		case *ast.Func:
			for _, d := range n.Decorators {
				c.checkDecorator(d, "def")
			}
		case *ast.Return:
			if enclosing(stack, isFuncLike) == nil {
				c.errorf(n.Pos, "'return' outside a function")
			}
		case *ast.Break:
			if !inLoop(stack) {
				c.errorf(n.Pos, "'break' outside a loop")
			}
		case *ast.Continue:
			if !inLoop(stack) {
				c.errorf(n.Pos, "'continue' outside a loop")
			}
		case *ast.Yield:
			if enclosing(stack, isFuncLike) == nil {
				c.errorf(n.Pos, "'yield' outside a function")
			}
		case *ast.Call:
			if name, ok := n.Fn.(*ast.Name); ok && name.Name == "allroots" && !c.names["allroots"] {
				c.errorf(name.Pos, "allroots() is not available in the sandbox: it would hand any caller the root of every user of the app "+
					"(jac-scale keeps it for admins, and an app's users here have no admin among them); share nodes with perm_grant or allow_root instead")
			}
		case *ast.Spawn:
			for _, side := range []ast.Expr{n.X, n.Y} {
				if call, ok := side.(*ast.Call); ok {
					if name, ok := call.Fn.(*ast.Name); ok && !c.names[name.Name] && !builtinName(name.Name) {
						c.errorf(name.Pos, "spawn of '%s', which is not declared in this program", name.Name)
					}
				}
			}
		}
		return true
	})
}

// builtinName lists callables that exist without a declaration.
func builtinName(n string) bool {
	switch n {
	case "type", "getattr":
		return true
	}
	return false
}

func isFuncLike(n ast.Node) bool {
	switch n.(type) {
	case *ast.Func, *ast.Ability, *ast.Lambda:
		return true
	}
	return false
}

// enclosing returns the innermost node of the stack matching ok.
func enclosing(stack []ast.Node, ok func(ast.Node) bool) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		if ok(stack[i]) {
			return stack[i]
		}
	}
	return nil
}

// inLoop reports whether the innermost function or loop around the
// statement is a loop.
func inLoop(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.For, *ast.ForTo, *ast.While:
			return true
		case *ast.Func, *ast.Ability, *ast.Lambda, *ast.EntryBlock, *ast.Archetype:
			return false
		}
	}
	return false
}

func (c *checker) checkImport(imp *ast.Import) {
	if imp.From != "" {
		if c.ownModule(imp.From) {
			return
		}
		names, ok := allowedImports[imp.From]
		if !ok {
			c.errorf(imp.Pos, "import of '%s' is not available in the sandbox", imp.From)
			return
		}
		for _, in := range imp.Names {
			if names != nil && !contains(names, in.Name) {
				c.errorf(in.Pos, "'%s' from '%s' is not available in the sandbox (available: %s)", in.Name, imp.From, strings.Join(names, ", "))
			}
		}
		return
	}
	for _, m := range imp.Modules {
		if c.ownModule(m.Name) {
			continue
		}
		if names, ok := allowedImports[m.Name]; !ok || names != nil {
			c.errorf(m.Pos, "import of '%s' is not available in the sandbox", m.Name)
		}
	}
}

// ownModule reports whether mod names a file of the program (relative
// imports are resolved by their last part).
func (c *checker) ownModule(mod string) bool {
	return c.modules[strings.TrimLeft(mod, ".")]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkDecorator accepts @restspec (checked by Describe) and rejects the
// decorators the runtime does not implement.
func (c *checker) checkDecorator(d ast.Expr, what string) {
	name := decoratorName(d)
	switch name {
	case "restspec":
	case "schedule":
		c.errorf(d.At(), "@schedule is not supported")
	default:
		if what == "def" {
			return // plain Python decorators on functions are the interpreter's business
		}
		c.errorf(d.At(), "decorator @%s is not supported on a %s", name, what)
	}
}

// decoratorName is the name a decorator expression calls or refers to.
func decoratorName(d ast.Expr) string {
	if call, ok := d.(*ast.Call); ok {
		d = call.Fn
	}
	switch d := d.(type) {
	case *ast.Name:
		return d.Name
	case *ast.Attr:
		return d.Name
	}
	return "?"
}

// checkDuplicates reports a walker, node, edge or function name declared
// twice at top level.
func (c *checker) checkDuplicates(files []*ast.File) {
	type first struct {
		file string
		pos  ast.Pos
		what string
	}
	seen := map[string]first{}
	for _, f := range files {
		for _, it := range f.Items {
			var name, what string
			var pos ast.Pos
			switch it := it.(type) {
			case *ast.Archetype:
				name, what, pos = it.Name, string(it.Kind), it.Pos
			case *ast.Func:
				name, what, pos = it.Name, "def", it.Pos
			default:
				continue
			}
			if prev, ok := seen[name]; ok {
				c.errs = append(c.errs, Error{File: f.Name, Pos: pos,
					Msg: fmt.Sprintf("%s '%s' is already declared as a %s at %s:%d:%d", what, name, prev.what, prev.file, prev.pos.Line, prev.pos.Col)})
				continue
			}
			seen[name] = first{f.Name, pos, what}
		}
	}
}
