package e2e

import (
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// nestJSON wraps inner in n JSON lists.
func nestJSON(n int, inner string) string {
	return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
}

// TestFieldDepth: input nested deeper than the walker ABI decodes is the
// client's error, 422 VALIDATION_ERROR naming the field, found by the host
// before the walker runs; the instance is kept. Input just within the limit
// reaches the walker and comes back unchanged.
func TestFieldDepth(t *testing.T) {
	h := testenv.Start(t, testenv.Config(t), "hello", testenv.Guest(t, "hello"))
	tests := []struct {
		name, field, value string
		ok                 bool
	}{
		{"any: 63 lists around a number", "extra", nestJSON(63, "1"), true},
		{"any: 64 lists around a number", "extra", nestJSON(64, "1"), false},
		{"any: 64 lists, innermost empty", "extra", nestJSON(64, ""), true},
		{"any: 65 lists, innermost empty", "extra", nestJSON(65, ""), false},
		{"list: 64 lists, innermost empty", "tags", nestJSON(64, ""), true},
		{"list: 65 lists, innermost empty", "tags", nestJSON(65, ""), false},
		{"object: 64 levels", "meta", `{"k":` + nestJSON(63, "") + `}`, true},
		{"object: 65 levels", "meta", `{"k":` + nestJSON(64, "") + `}`, false},
		{"any: 5000 levels", "extra", nestJSON(5000, ""), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]string{"text": `"t"`, "meta": "{}", tc.field: tc.value}
			var parts []string
			for k, v := range body {
				parts = append(parts, `"`+k+`":`+v)
			}
			before := h.Module().Stats()
			r := testenv.DoRaw(t, "POST", h.URL+"/walker/echo", "application/json", []byte("{"+strings.Join(parts, ",")+"}"), "")
			after := h.Module().Stats()
			if after.Discarded != before.Discarded {
				t.Fatalf("an instance was discarded (%d → %d): %d %.300s", before.Discarded, after.Discarded, r.Status, r.Body)
			}
			if tc.ok {
				if r.Status != 200 || !strings.Contains(compact(string(r.Body)), `"`+tc.field+`":`+tc.value) {
					t.Fatalf("want 200 echoing the value, got %d %.300s", r.Status, r.Body)
				}
				return
			}
			if r.Status != 422 || r.Error == nil || r.Error.Code != "VALIDATION_ERROR" ||
				!strings.Contains(string(r.Body), `"loc":["body","`+tc.field+`"]`) || !strings.Contains(string(r.Body), "64 levels") {
				t.Fatalf("want 422 VALIDATION_ERROR naming the field and the limit, got %d %.600s", r.Status, r.Body)
			}
		})
	}
}

// compact drops the spaces a JSON encoder may put after separators.
func compact(s string) string { return strings.NewReplacer(": ", ":", ", ", ",").Replace(s) }
