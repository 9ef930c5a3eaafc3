// Package interp is the Jac runtime's interpreter: it evaluates a parsed
// program (lang/ast) directly, with Python's value semantics and Jac's
// object-spatial semantics (nodes, edges, walkers), over a Host that owns
// the graph, output and services.
//
// A Program is loaded once (Load declares archetypes, functions and
// globals) and then serves calls: Walker, Function, Main (`jac run`) and
// Init (the entry blocks an import runs, for a server). Module state
// (globals, class-level fields) lives as long as the Program, as a Python
// module's does in a long-running server; nodes read in a call are cached
// for that call only and written back through the Host at its end when
// their encoded fields changed (so `here.items.append(x)` persists). One
// Program serves one call at a time.
//
// Values follow Python where a Jac program can tell, with these known
// differences:
//   - int is an int64 until a result overflows, then a math/big integer
//     (back to int64 when it fits): Python's unbounded ints, bounded here
//     at a few million bits (OverflowError past that).
//   - A set prints small non-negative ints in ascending order, as CPython
//     does; otherwise sets keep insertion order (CPython's order of strings
//     depends on the per-process hash seed, so portable programs sort).
//   - A generator function or expression runs on its own goroutine in
//     lock step with its consumer (stopped at the end of the call if left
//     unfinished); a generator expression's first iterable is evaluated at
//     once, but iter() is applied to it at the first next().
//   - time.sleep does not block; uuid.uuid4() returns the str form.
//   - Calls nest at most MaxDepth deep (RecursionError past it).
//   - `a <++> b` stores two edges, one each way (the Host has directed
//     edges only). jaclang stores one edge that matches every direction
//     at both ends, so `[edge a <-->]` counts it once where this counts
//     two; `[edge a -->]`, `[edge a <--]` and every node traversal
//     (`[a -->]`, `[a <-->]`…) give the same results.
//   - A node kept in a global (or class field) outlives its request, as a
//     Python module's object does, but it is a copy read by that request:
//     changing it in a later request is not written back (that request
//     may act for another user, whose graph it must not touch), and it
//     does not see later changes. Keep node ids, not nodes, across
//     requests.
//   - `global`/`nonlocal` take effect when the statement runs; a name
//     assigned anywhere in a function is local in all of it, so reading
//     it first raises UnboundLocalError, as in Python.
//   - A def's decorators apply when they are the program's own callables
//     (or calls of them); others (@restspec…) are read by the compiler and
//     left alone, as is any decorator of a method other than
//     @staticmethod/@classmethod.
//
// Walker traversal follows jaclang 0.16.7: the walker's untyped entry
// abilities run once at the spawn location; at each location the walker's
// typed abilities run first, then the node's untyped ones, then the node's
// abilities typed for the walker; locations queued by visit are taken
// first-in first-out, each fully (entries, its own queued locations,
// exits) before the next; exits run in reverse order; the walker's untyped
// exit abilities run once at the last location. A node's abilities see
// self (the node) and visitor, not here. Each report goes out through
// Host.Report as it is made (Main prints it instead, as `jac run` does).
//
// Nothing a program does deepens the Go stack without bound: calls,
// walks (which keep their own stack), comparisons of nested containers
// and conversions of nested values all stop with RecursionError; a
// generator that resumes itself raises ValueError.
//
// Errors raised by a program come out as *Error with the Jac exception
// type, message and the file:line:col of the failing statement; a Go
// panic inside the interpreter is recovered and reported the same way.
package interp
