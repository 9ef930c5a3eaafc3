// Command noexports is a reactor that exports none of the walker ABI.
package main

//go:wasmexport add
func add(a, b int32) int32 { return a + b }

func main() {}
