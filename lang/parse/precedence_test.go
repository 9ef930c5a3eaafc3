package parse

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// canon prints an expression fully parenthesised, as precedence.py does.
func canon(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Binary:
		return fmt.Sprintf("(%s %s %s)", canon(e.X), e.Op, canon(e.Y))
	case *ast.Unary:
		return fmt.Sprintf("(%s %s)", e.Op, canon(e.X))
	case *ast.BoolOp:
		return fmt.Sprintf("(%s %s %s)", canon(e.X), e.Op, canon(e.Y))
	case *ast.Compare:
		s := "(cmp " + canon(e.X)
		for i, op := range e.Ops {
			s += " " + op + " " + canon(e.Ys[i])
		}
		return s + ")"
	case *ast.Cond:
		return fmt.Sprintf("(%s if %s else %s)", canon(e.Then), canon(e.Cond), canon(e.Else))
	case *ast.Name:
		return e.Name
	case *ast.Lit:
		if e.Kind == ast.LitString {
			return "s"
		}
		return e.Value
	case *ast.Attr:
		return canon(e.X) + "." + e.Name
	case *ast.Call:
		var a []string
		for _, x := range e.Args {
			a = append(a, canon(x.X))
		}
		return canon(e.Fn) + "(" + strings.Join(a, ",") + ")"
	case *ast.Index:
		return canon(e.X) + "[" + canon(e.Index) + "]"
	case *ast.List:
		var a []string
		for _, x := range e.Elts {
			a = append(a, canon(x))
		}
		return "[" + strings.Join(a, ",") + "]"
	}
	return fmt.Sprintf("?%T", e)
}

// TestPrecedence compares the structure of random expressions with the one
// CPython gives them (testdata/precedence.tsv, written by precedence.py).
func TestPrecedence(t *testing.T) {
	f, err := os.Open("testdata/precedence.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, bad := 0, 0
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 2)
		fl, err := File("t.jac", []byte("with entry {\n"+parts[0]+";\n}"))
		n++
		if err != nil {
			bad++
			if bad < 10 {
				t.Errorf("%s: %v", parts[0], err)
			}
			continue
		}
		got := canon(fl.Items[0].(*ast.EntryBlock).Body[0].(*ast.ExprStmt).X)
		if got != parts[1] {
			bad++
			if bad < 10 {
				t.Errorf("%s\n got  %s\n want %s", parts[0], got, parts[1])
			}
		}
	}
	if n < 500 || bad > 0 {
		t.Errorf("%d cases, %d differ", n, bad)
	}
}
