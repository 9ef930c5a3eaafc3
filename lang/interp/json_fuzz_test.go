package interp

import (
	"encoding/json"
	"strings"
	"testing"
)

// loadsOrExc runs json.loads, returning the exception it raised if any.
func loadsOrExc(s string) (v Value, exc *Exc) {
	defer func() {
		if r := recover(); r != nil {
			x, ok := r.(*Exc)
			if !ok {
				panic(r)
			}
			exc = x
		}
	}()
	return jsonLoads(s), nil
}

func FuzzJSONLoads(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, null, true, false, "x\u00e9\n"]}`, `[]`, `{}`, `-0.5e10`, `"\ud83d\ude00"`,
		`[1,]`, `{"a" 1}`, `01`, `1.`, `NaN`, `[-Infinity]`, `"\x"`, `99999999999999999999`, strings.Repeat("[", 2000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, exc := loadsOrExc(s)
		if exc != nil {
			switch exc.Val.Class.Name {
			case "JSONDecodeError", "OverflowError", "RecursionError":
			default:
				t.Fatalf("loads(%q) raised %s", s, exc.Val.Class.Name)
			}
			// what Go accepts must be accepted, short of 64-bit overflow and depth
			if json.Valid([]byte(s)) && exc.Val.Class.Name == "JSONDecodeError" {
				t.Fatalf("loads(%q) failed (%s) on valid JSON", s, excMessage(exc.Val))
			}
			return
		}
		if !json.Valid([]byte(s)) && !strings.Contains(s, "NaN") && !strings.Contains(s, "Infinity") {
			t.Fatalf("loads(%q) accepted invalid JSON", s)
		}
		c := &call{}
		out := c.jsonDumps(v, "", false, false, true, ", ", ": ", nil)
		v2, exc := loadsOrExc(out)
		if exc != nil {
			t.Fatalf("dumps output %q does not load: %s", out, excMessage(exc.Val))
		}
		if out2 := c.jsonDumps(v2, "", false, false, true, ", ", ": ", nil); out2 != out {
			t.Fatalf("round trip: %q then %q", out, out2)
		}
	})
}
