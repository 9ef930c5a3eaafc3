package parse

import (
	"fmt"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// Error is one syntax error at a position of a file.
type Error struct {
	File string
	Pos  ast.Pos
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// ErrorList is the syntax errors of one file, in source order; the parser
// stops after a few so that one slip does not bury the reader in echoes.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// maxErrors bounds the errors reported for one file.
const maxErrors = 5

// maxDepth bounds the nesting of expressions and blocks, and so the depth
// of the tree: the parser, and whatever walks the tree recursively after
// it, also run inside the sandbox on tenant input, where deep recursion
// must end in an error rather than in stack exhaustion. A parenthesis
// counts about two levels, an operator in a chain (a + b + c) one.
const maxDepth = 1000
