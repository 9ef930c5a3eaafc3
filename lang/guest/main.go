// Command guest is the Jac runtime: a walker module (abi/ABI.md) that
// serves any Jac program. The program travels in the module's
// walker.program section as a source bundle (lang/bundle); the runtime
// reads it during _initialize, parses it, derives its declarations and
// registers them with the SDK, so that the host's snapshot after
// initialisation holds the parsed program and no request parses again.
// `make build` compiles it once to wasm and embeds it in the jac command;
// `jac build app.jac` appends an app's bundle to it.
package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
	"github.com/walkerhost/walkerhost/lang/bundle"
	"github.com/walkerhost/walkerhost/lang/compile"
	"github.com/walkerhost/walkerhost/lang/interp"
	"github.com/walkerhost/walkerhost/lang/parse"
	"github.com/walkerhost/walkerhost/sdk"
)

// main is never run: the host calls _initialize and the walker_* exports.
func main() {}

// MainWalker runs the program's `with entry` blocks (jac run).
const MainWalker = bundle.MainWalker

// pythonDepth is Python's recursion limit, the interpreter's default.
var pythonDepth = interp.MaxDepth

func init() { interp.MaxDepth = requestDepth }

var (
	prog *interp.Program
	host = newHost()
)

// setup loads a program bundle and declares it to the SDK.
func setup(program []byte) error {
	if len(program) == 0 {
		return errors.New("the module carries no Jac program (build it with `jac build app.jac`)")
	}
	files, err := bundle.Decode(program)
	if err != nil {
		return err
	}
	asts := make([]*ast.File, len(files))
	entry := false
	for i, f := range files {
		if asts[i], err = parse.File(f.Name, f.Src); err != nil {
			return err
		}
		for _, it := range asts[i].Items {
			if _, ok := it.(*ast.EntryBlock); ok {
				entry = true
			}
		}
	}
	mainName := ""
	if entry {
		mainName = MainWalker
	}
	desc, errs := compile.Describe(asts...)
	if len(errs) > 0 {
		return errs[0]
	}
	m := manifestOf(desc, mainName)
	if prog, err = interp.Load(asts, host); err != nil {
		return err
	}
	register(m)
	return nil
}

// requestDepth is the recursion bound of requests: none the memory limit
// does not give. Runaway recursion in a request then ends as any guest's
// does, with LIMIT_EXCEEDED when the stack has taken the instance's memory,
// rather than as a RecursionError the client cannot tell from a bug
// (docs/JAC.md). jac run keeps Python's bound, so that a program prints
// there what it prints under jaclang.
const requestDepth = 1 << 30

// runMain runs the entry blocks, collecting what they print.
func runMain() map[string]any {
	interp.MaxDepth = pythonDepth
	defer func() { interp.MaxDepth = requestDepth }()
	host.begin()
	var out strings.Builder
	host.out = &out
	err := prog.Main()
	host.out = nil
	res := map[string]any{"stdout": out.String(), "error": nil}
	if err != nil {
		res["error"] = err.Error()
	}
	return res
}

// jacError is the failure of a request: the Jac exception with its file
// and line, as one sentence.
func jacError(err error) error {
	if err == nil {
		return nil
	}
	var je *interp.Error
	if errors.As(err, &je) {
		return errors.New(je.Error())
	}
	return fmt.Errorf("%v", err)
}

var _ = sdk.Root // the SDK's exports are linked through register
