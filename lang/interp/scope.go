package interp

import "github.com/walkerhost/walkerhost/lang/ast"

// assignedLocals is the set of names a function body binds (assignment,
// for and with targets, except names, del, nested def/class, import,
// walrus) minus its parameters and the names it declares global or
// nonlocal: as in Python, such a name is local in the whole body, so
// reading it before it is bound raises UnboundLocalError instead of
// seeing a global. Nested functions' bodies are not looked into. nil when
// the set is empty.
func assignedLocals(d *ast.Func) map[string]bool {
	names := map[string]bool{}
	outer := map[string]bool{}
	var target func(x ast.Expr)
	var expr func(x ast.Expr)
	var stmts func([]ast.Stmt)
	target = func(x ast.Expr) {
		switch x := x.(type) {
		case *ast.Name:
			names[x.Name] = true
		case *ast.Tuple:
			for _, y := range x.Elts {
				target(y)
			}
		case *ast.List:
			for _, y := range x.Elts {
				target(y)
			}
		case *ast.Starred:
			target(x.X)
		default:
			expr(x)
		}
	}
	expr = func(x ast.Expr) {
		switch x := x.(type) {
		case *ast.Walrus:
			names[x.Name] = true
			expr(x.X)
		case *ast.Binary:
			expr(x.X)
			expr(x.Y)
		case *ast.BoolOp:
			expr(x.X)
			expr(x.Y)
		case *ast.Unary:
			expr(x.X)
		case *ast.Compare:
			expr(x.X)
			for _, y := range x.Ys {
				expr(y)
			}
		case *ast.Cond:
			expr(x.Cond)
			expr(x.Then)
			expr(x.Else)
		case *ast.Call:
			expr(x.Fn)
			for _, a := range x.Args {
				expr(a.X)
			}
		case *ast.Attr:
			expr(x.X)
		case *ast.Index:
			expr(x.X)
			expr(x.Index)
		case *ast.Tuple:
			for _, y := range x.Elts {
				expr(y)
			}
		case *ast.List:
			for _, y := range x.Elts {
				expr(y)
			}
		case *ast.Comp:
			// a walrus in a comprehension binds in the enclosing function
			expr(x.Elt)
			for _, f := range x.Fors {
				expr(f.Iter)
				for _, y := range f.Ifs {
					expr(y)
				}
			}
		case *ast.Await:
			expr(x.X)
		}
	}
	stmts = func(ss []ast.Stmt) {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.ExprStmt:
				expr(s.X)
			case *ast.Assign:
				for _, t := range s.Targets {
					target(t)
				}
				expr(s.Value)
			case *ast.AugAssign:
				target(s.Target)
				expr(s.Value)
			case *ast.If:
				expr(s.Cond)
				stmts(s.Body)
				stmts(s.Else)
			case *ast.For:
				target(s.Target)
				expr(s.Iter)
				stmts(s.Body)
				stmts(s.Else)
			case *ast.ForTo:
				stmts([]ast.Stmt{s.Init, s.Step})
				expr(s.Cond)
				stmts(s.Body)
			case *ast.While:
				expr(s.Cond)
				stmts(s.Body)
				stmts(s.Else)
			case *ast.Return:
				expr(s.X)
			case *ast.Try:
				stmts(s.Body)
				for _, h := range s.Handlers {
					if h.Name != "" {
						names[h.Name] = true
					}
					stmts(h.Body)
				}
				stmts(s.Else)
				stmts(s.Finally)
			case *ast.With:
				for _, it := range s.Items {
					expr(it.X)
					if it.As != nil {
						target(it.As)
					}
				}
				stmts(s.Body)
			case *ast.Delete:
				for _, t := range s.Targets {
					if n, ok := t.(*ast.Name); ok {
						names[n.Name] = true
					}
				}
			case *ast.Names:
				for _, n := range s.Names {
					outer[n] = true
				}
			case ast.FuncStmt:
				names[s.Name] = true
			case ast.ArchStmt:
				names[s.Name] = true
			case *ast.Import:
				for _, n := range s.Names {
					names[importedName(n)] = true
				}
				for _, n := range s.Modules {
					names[importedName(n)] = true
				}
			}
		}
	}
	stmts(d.Body)
	for _, p := range d.Params {
		delete(names, p.Name)
	}
	for n := range outer {
		delete(names, n)
	}
	if len(names) == 0 {
		return nil
	}
	return names
}

// importedName is the name an import binds: its alias, or the first part
// of a dotted module.
func importedName(n ast.ImportName) string {
	if n.Alias != "" {
		return n.Alias
	}
	for i := 0; i < len(n.Name); i++ {
		if n.Name[i] == '.' {
			return n.Name[:i]
		}
	}
	return n.Name
}
