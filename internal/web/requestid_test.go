package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestRequestID(t *testing.T) {
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"none", "", false},
		{"sane", "client-id_42", true},
		{"with a space", "client id", false},
		{"too long", strings.Repeat("x", 129), false},
		{"longest", strings.Repeat("x", 128), true},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ctx fasthttp.RequestCtx
			if tc.sent != "" {
				ctx.Request.Header.Set(RequestIDHeader, tc.sent)
			}
			id := RequestID(&ctx)
			if again := RequestID(&ctx); again != id {
				t.Fatalf("second call %q, first %q", again, id)
			}
			if got := string(ctx.Response.Header.Peek(RequestIDHeader)); got != id {
				t.Fatalf("header %q, id %q", got, id)
			}
			if tc.kept {
				if id != tc.sent {
					t.Fatalf("id %q, sent %q", id, tc.sent)
				}
				return
			}
			prefix, seq, ok := strings.Cut(id, "-")
			if _, err := strconv.ParseUint(seq, 36, 64); !ok || prefix != idPrefix || err != nil || seen[id] {
				t.Fatalf("generated id %q: want %s-<base-36 sequence>, unique", id, idPrefix)
			}
			seen[id] = true
		})
	}
}

func BenchmarkRequestID(b *testing.B) {
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		ctx.Request.Header.Reset()
		ctx.ResetUserValues()
		RequestID(&ctx)
	}
}
