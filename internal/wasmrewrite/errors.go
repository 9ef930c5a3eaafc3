package wasmrewrite

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these, with
// context, and can be tested with errors.Is.
var (
	// ErrNotWasm: the input does not start with the wasm magic "\x00asm".
	ErrNotWasm = errors.New("not a WebAssembly module (bad magic)")
	// ErrVersion: the binary version is not 1 (for example a component).
	ErrVersion = errors.New("unsupported binary version")
	// ErrTruncated: a value or length runs past the end of its enclosing
	// section or of the module.
	ErrTruncated = errors.New("truncated")
	// ErrLEB128: a LEB128 number is longer than its type allows or has
	// non-zero unused bits (overflow).
	ErrLEB128 = errors.New("malformed LEB128")
	// ErrMalformed: the structure is invalid (unknown or duplicate section,
	// unknown segment kind, trailing bytes, bad name, count mismatch).
	ErrMalformed = errors.New("malformed")
	// ErrUnsupportedExpr: an offset expression uses an opcode this package
	// does not know, so the expression's end cannot be found safely.
	ErrUnsupportedExpr = errors.New("unsupported opcode in constant expression")
	// ErrTooLarge: the rewritten data section would not fit a u32 size.
	ErrTooLarge = errors.New("rewritten section too large")
	// ErrInvalidArgument: a caller-supplied argument is out of range.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrUnsupportedInstr: a function body uses an opcode that is unknown
	// or that InjectInterrupt does not decode (threads, exception
	// handling, relaxed SIMD), so its loops cannot be found safely.
	ErrUnsupportedInstr = errors.New("unsupported instruction")
	// ErrExportExists: the module already exports InterruptExport (for
	// example because it was instrumented before).
	ErrExportExists = errors.New("export name already in use")
)
