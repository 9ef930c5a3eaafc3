// Package wasmrewrite rewrites WebAssembly binaries at upload time:
// MergeDataSegments makes them instantiate faster without changing what
// they do, InjectInterrupt makes runaway guests stoppable, and
// FlagFailedGrow lets the host tell a trap after a refused memory.grow.
//
// # Why
//
// Go's linker (GOOS=wasip1 GOARCH=wasm) splits a module's initial memory
// image at every run of eight or more zero bytes, so a stock Go guest has
// 20k–37k active data segments. wazero v1.12 evaluates every segment's offset
// expression, with a heap allocation, on every instantiation: instantiating a
// Go guest costs 2–4 ms, 89% of its allocations in evaluateConstExpr.
// Merging the segments into a handful cut instantiation from 2.09 ms to
// 0.46 ms (43k → 6.5k allocations) in our measurements (WASM-NOTES B.1, B.3;
// upload pipeline step C.1).
//
// # What MergeDataSegments does
//
// It copies every section byte for byte except the data section (id 11) and
// the data count section (id 12). In the data section, runs of consecutive
// active segments of memory 0 whose offsets are plain i32.const, ascending
// and non-overlapping are merged into one segment; gaps of at most maxGap
// bytes between them are filled with zeros. Every other segment (passive,
// another memory, global.get or any other offset expression, out of order,
// overlapping) is kept as it is and in place, because later segments
// overwrite earlier ones.
//
// The result initialises memory exactly as the input does:
//
//   - A gap is zero-filled only when no earlier segment can have written to
//     it: no earlier segment of memory 0 has a non-constant offset, and the
//     gap does not overlap the extent of an earlier run (tracked in a sorted
//     interval set; zero-filled holes of 4 KiB or more are left out so that
//     Go's out-of-order sections still merge). A fresh memory is zero, so
//     writing zeros there changes nothing. After 4096 runs the set stops
//     growing and gaps are no longer filled; adjacent segments still merge.
//   - If memory 0 is imported its previous contents are unknown, and a failed
//     instantiation can leave partial writes visible, so nothing is merged.
//   - memory.init and data.drop name segments by index, and are only valid
//     when a data count section is present. If it is present and the code
//     section may contain either instruction (a conservative byte scan), the
//     indices are preserved: each segment merged away is replaced by an empty
//     passive segment, which behaves like a dropped active segment.
//     (wazero v1.12 does not drop active segments after instantiation, so
//     memory.init of an active segment, which traps on a conforming engine,
//     differs there.) Otherwise segments are renumbered and the data count is
//     updated.
//   - The name section's data-segment names, if any, are not renumbered.
//
// # What InjectInterrupt does
//
// wazero's WithCloseOnContextDone(true) stops runaway guests, but in v1.12
// it calls into Go at every loop header and starts a goroutine per call,
// which roughly doubled the cost of our walker calls. InjectInterrupt
// instead instruments the module once, at load time: it adds an exported
// mutable i32 global (InterruptExport) and, at the top of every loop body
// and at the entry of every function, "global.get; if; unreachable; end".
// A host timer sets the global to 1 and the guest traps at its next loop
// iteration or call. Loop headers alone are not enough: f(n) = f(n-1) +
// f(n-1) has no loop and a shallow stack, and runs for ever. (wazero's
// option checks loop headers only.) Only the global, export and code
// sections change. Finding every loop means decoding every instruction,
// with the same strictness as below; instructions it does not know are
// errors, never guesses. It composes with MergeDataSegments in either
// order (they edit disjoint sections, and the result is the same).
//
// # Hostile input
//
// Parsing is strict: LEB128 values are bounded (at most 5 bytes for a u32,
// unused bits must be zero or sign bits), every length is checked against
// the bytes that remain, unknown section ids, duplicate sections, unknown
// segment kinds, unsupported opcodes in offset expressions and trailing bytes
// are errors. Errors wrap the package's sentinel errors (errors.Is) and say
// where they happened, e.g.
//
//	wasmrewrite: data section: segment 12: offset expression: truncated
//
// Segments are parsed twice (plan, then write) instead of being stored, so
// memory use is the output, allocated once at its final size (input plus
// zero fill), plus 12 bytes per output segment and at most 4096 intervals.
// The zero fill is capped at MaxZeroFill bytes per call: once it is spent,
// gaps start new segments. Without the cap, a few kilobytes of tiny segments
// spaced maxGap apart could expand into gigabytes. The caller enforces the
// module size limit.
package wasmrewrite
