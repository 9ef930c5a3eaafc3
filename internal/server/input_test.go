package server

import (
	"reflect"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestDecodeInput_Query: a GET's fields come from its query string, the
// last of repeated names winning, as strings for fields.Encode to convert.
func TestDecodeInput_Query(t *testing.T) {
	tests := []struct {
		uri   string
		want  map[string]any
		where string
	}{
		{"/x", map[string]any{}, "query"},
		{"/x?name=bench", map[string]any{"name": "bench"}, "query"},
		{"/x?a=1&b=&a=2&c", map[string]any{"a": "2", "b": "", "c": ""}, "query"},
		{"/x?%C3%A9t%C3%A9=caf%C3%A9&sp=a+b", map[string]any{"été": "café", "sp": "a b"}, "query"},
	}
	for _, tc := range tests {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI(tc.uri)
		ctx.Request.Header.SetMethod("GET")
		got, where, err := decodeInput(&ctx)
		if err != nil || where != tc.where || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v %q %v, want %v %q", tc.uri, got, where, err, tc.want, tc.where)
		}
	}
}

func BenchmarkDecodeInput_Query(b *testing.B) {
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/hello?name=bench")
	ctx.Request.Header.SetMethod("GET")
	b.ReportAllocs()
	for b.Loop() {
		ctx.Request.URI().QueryArgs() // parsed once, as in a request
		if _, _, err := decodeInput(&ctx); err != nil {
			b.Fatal(err)
		}
	}
}
