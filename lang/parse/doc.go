// Package parse turns Jac source into the syntax tree of lang/ast: a
// hand-written lexer and a recursive-descent parser for the language as
// jaclang 0.16.7 accepts it.
//
// It reads imports (`import json;`, `import from a.b { x, y as z }`,
// relative ones), glob, node/edge/walker/obj/class/enum declarations with
// access tags, bases, decorators and docstrings (a string just before a
// declaration; the first string of a file is the module's), `has` fields
// (static, `by postinit`), abilities (`can n with T entry|exit`), defs,
// `with entry` blocks, every statement of the language and Python's
// expressions, f-strings included, plus the object-spatial ones: edge
// references with typed steps, edge conditions and node filters, connect
// and disconnect, spawn.
//
// Precedence is Python's with jaclang's two differences: a unary operator
// binds tighter than ** (-2 ** 2 is 4), and the object-spatial operators
// (connect, then spawn) bind tighter than the unary ones. Reserved words
// other than the control-flow ones may serve as names (glob.glob(),
// `for entry in …`), as in jaclang.
//
// Constructs outside the runtime's scope parse to *ast.Unsupported naming
// them, so that lang/compile reports them precisely: impl, sem and test
// blocks, `by llm`, match/switch, client/server/native blocks and
// sections, `import type`, type aliases, lambdas with a block body,
// archetypes nested in archetypes, flow/wait, `visit :n:`. Accessors
// (`has x: T { getter; }`), generic archetypes (`obj A[T]`), typed enums
// (`enum E: str`) and typed edge endpoints are syntax errors.
//
// Nesting is bounded (maxDepth): input nested deeper, or operator chains
// longer, than any program needs ends in "nesting too deep" instead of
// exhausting the stack, since the parser runs inside the sandbox on tenant
// input.
package parse
