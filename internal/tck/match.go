package tck

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Match reports the first way got (decoded JSON) differs from want, or ""
// when it matches:
//   - a map matches when each of want's keys matches got's value for it; a
//     want value of Absent requires the key to be missing;
//   - a list matches a list of the same length, element by element;
//   - the string Any matches any present value, and a string starting with
//     "~" any string containing the rest;
//   - numbers compare as float64, everything else with ==.
func Match(want, got any) string { return match("$", want, got) }

// Absent and Any are Match's wildcards.
const (
	Absent = "<absent>"
	Any    = "<any>"
)

func match(at string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: got %v, want a map", at, show(got))
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, present := g[k]
			if w[k] == Absent {
				if present {
					return fmt.Sprintf("%s.%s: got %v, want it absent", at, k, show(gv))
				}
				continue
			}
			if !present {
				return fmt.Sprintf("%s.%s: absent, want %v", at, k, show(w[k]))
			}
			if d := match(at+"."+k, w[k], gv); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %v, want %v", at, show(got), show(want))
		}
		for i := range w {
			if d := match(at+"."+strconv.Itoa(i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	case string:
		if w == Any {
			return ""
		}
		if g, ok := got.(string); ok && strings.HasPrefix(w, "~") && strings.Contains(g, w[1:]) {
			return ""
		}
	}
	if want, got = number(want), number(got); want != got {
		return fmt.Sprintf("%s: got %v, want %v", at, show(got), show(want))
	}
	return ""
}

// number makes Go ints float64, as JSON decodes every number.
func number(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return v
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v", v)
}

// lookup returns the value at a dotted path ("reports.0.id") in v.
func lookup(v any, path string) (any, bool) {
	for _, p := range strings.Split(path, ".") {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[p]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// expand replaces ${name} in every string of v with vars[name]: a string
// that is only ${name} becomes the saved value itself, of any kind.
func expand(v any, vars map[string]any) any {
	switch c := v.(type) {
	case string:
		if strings.HasPrefix(c, "${") && strings.HasSuffix(c, "}") && strings.Count(c, "${") == 1 {
			if x, ok := vars[c[2:len(c)-1]]; ok {
				return x
			}
		}
		for k, x := range vars {
			c = strings.ReplaceAll(c, "${"+k+"}", fmt.Sprint(x))
		}
		return c
	case map[string]any:
		m := make(map[string]any, len(c))
		for k, x := range c {
			m[k] = expand(x, vars)
		}
		return m
	case []any:
		l := make([]any, len(c))
		for i, x := range c {
			l[i] = expand(x, vars)
		}
		return l
	}
	return v
}
