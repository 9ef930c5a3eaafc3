package main

import (
	"testing"

	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// The peer workload of make bench's Jac section, run natively through the
// SDK's test host: where a request's time goes outside the interpreter.

func BenchmarkPing(b *testing.B) {
	h := sdktest.New()
	fields := map[string]any{"n": int64(7)}
	b.ReportAllocs()
	for b.Loop() {
		if err := h.Call("ping", fields).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListTodos100(b *testing.B) {
	h := sdktest.New()
	for range 100 {
		if err := h.Call("create_todo", map[string]any{"title": "milk"}).Err(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		res := h.Call("list_todos", nil)
		if err := res.Err(); err != nil || len(res.Reports) != 100 {
			b.Fatal(err, len(res.Reports))
		}
	}
}
