package interp

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// doImport binds standard modules (or names taken from them).
func (c *call) doImport(d *ast.Import, e *env) {
	if d.From != "" {
		m := c.module(d.From)
		for _, n := range d.Names {
			name := n.Name
			if n.Alias != "" {
				name = n.Alias
			}
			if m == nil {
				// one of the program's own files: every file shares the
				// program's namespace, so the name is (or will be) there
				if v, ok := c.p.globals[n.Name]; ok {
					e.put(name, v)
				} else if v, ok := builtins[n.Name]; ok {
					e.put(name, v)
				}
				continue
			}
			v, ok := m.Attrs[n.Name]
			if !ok {
				if b, isB := builtins[n.Name]; isB {
					v = b // jaclang's and jac_scale's runtime names are builtins here
				} else if !m.lenient {
					throw("ImportError", "cannot import name '%s' from '%s'", n.Name, d.From)
				}
			}
			e.put(name, v)
		}
		return
	}
	for _, n := range d.Modules {
		m := c.module(n.Name)
		if m == nil {
			m = &Module{Name: n.Name, Attrs: c.p.globals}
		}
		name := n.Name
		if n.Alias != "" {
			name = n.Alias
		} else if i := strings.IndexByte(name, '.'); i >= 0 {
			name = name[:i]
		}
		e.put(name, m)
	}
}

// module returns a standard module, nil for a module of the program.
func (c *call) module(name string) *Module {
	switch name {
	case "json":
		return jsonModule
	case "math":
		return mathModule
	case "time":
		return timeModule
	case "datetime":
		return datetimeModule
	case "uuid":
		return uuidModule
	case "random":
		return c.randomModule()
	case "re":
		return reModule
	case "http", "fastapi":
		return httpModule
	case "asyncio":
		return asyncioModule
	}
	if name == "typing" || name == "dataclasses" || name == "enum" || name == "abc" || name == "__future__" ||
		name == "jaclang" || strings.HasPrefix(name, "jaclang.") || strings.HasPrefix(name, "jac_scale") {
		return &Module{Name: name, Attrs: map[string]Value{}, lenient: true}
	}
	return nil
}

func mod(name string, fns map[string]func(c *call, a []Value, kw *Dict) Value, vals map[string]Value) *Module {
	m := &Module{Name: name, Attrs: map[string]Value{}}
	for k, f := range fns {
		m.Attrs[k] = &Builtin{Name: k, Fn: f}
	}
	for k, v := range vals {
		m.Attrs[k] = v
	}
	return m
}

var httpModule = &Module{Name: "http", Attrs: map[string]Value{"UploadFile": nil}}

// asyncio: coroutines run to completion when called, so run and gather
// only hand back what they are given.
var asyncioModule = &Module{Name: "asyncio", Attrs: map[string]Value{
	"run":   &Builtin{Name: "run", Fn: func(c *call, a []Value, kw *Dict) Value { return firstOr(a) }},
	"sleep": &Builtin{Name: "sleep", Fn: func(c *call, a []Value, kw *Dict) Value { return nil }},
	"gather": &Builtin{Name: "gather", Fn: func(c *call, a []Value, kw *Dict) Value {
		return &List{Items: append([]Value(nil), a...)}
	}},
}}

var jsonModule, mathModule, timeModule, datetimeModule, uuidModule, reModule *Module

func f1(fn func(float64) float64) func(c *call, a []Value, kw *Dict) Value {
	return func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "math")
		return fn(toFloat(a[0]))
	}
}

func init() {
	jsonModule = mod("json", map[string]func(c *call, a []Value, kw *Dict) Value{
		"dumps": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "dumps")
			indentV := arg(nil, 0, kw, "indent", nil)
			indent, has := "", indentV != nil
			switch x := indentV.(type) {
			case int64:
				indent = strings.Repeat(" ", int(x))
			case string:
				indent = x
			}
			itemSep, keySep := ", ", ": "
			if has {
				itemSep = ","
			}
			if sep, ok := arg(nil, 0, kw, "separators", nil).(Tuple); ok && len(sep) == 2 {
				itemSep, keySep = str(sep[0]), str(sep[1])
			}
			return c.jsonDumps(a[0], indent, has, truthy(arg(nil, 0, kw, "sort_keys", false)),
				truthy(arg(nil, 0, kw, "ensure_ascii", true)), itemSep, keySep, arg(nil, 0, kw, "default", nil))
		},
		"loads": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "loads")
			s, ok := a[0].(string)
			if !ok {
				throw("TypeError", "the JSON object must be str, bytes or bytearray, not %s", typeName(a[0]))
			}
			return jsonLoads(s)
		},
	}, map[string]Value{"JSONDecodeError": builtinClasses["JSONDecodeError"]})

	mathModule = mod("math", map[string]func(c *call, a []Value, kw *Dict) Value{
		"sqrt": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "sqrt")
			f := toFloat(a[0])
			if f < 0 {
				throw("ValueError", "math domain error")
			}
			return math.Sqrt(f)
		},
		"floor": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "floor")
			return floatToInt(math.Floor(toFloat(a[0])))
		},
		"ceil": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "ceil")
			return floatToInt(math.Ceil(toFloat(a[0])))
		},
		"trunc": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "trunc")
			return floatToInt(math.Trunc(toFloat(a[0])))
		},
		"log": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "log")
			x := toFloat(a[0])
			if x <= 0 {
				throw("ValueError", "math domain error")
			}
			if len(a) > 1 {
				return math.Log(x) / math.Log(toFloat(a[1]))
			}
			return math.Log(x)
		},
		"log2": f1(math.Log2), "log10": f1(math.Log10), "exp": f1(math.Exp),
		"sin": f1(math.Sin), "cos": f1(math.Cos), "tan": f1(math.Tan), "atan": f1(math.Atan),
		"asin": f1(math.Asin), "acos": f1(math.Acos), "fabs": f1(math.Abs),
		"degrees": f1(func(x float64) float64 { return x * 180 / math.Pi }),
		"radians": f1(func(x float64) float64 { return x * math.Pi / 180 }),
		"copysign": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "copysign")
			return math.Copysign(toFloat(a[0]), toFloat(a[1]))
		},
		"fmod": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "fmod")
			return math.Mod(toFloat(a[0]), toFloat(a[1]))
		},
		"comb": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "comb")
			return normBig(new(big.Int).Binomial(c.toInt(a[0]), c.toInt(a[1])))
		},
		"isqrt": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "isqrt")
			b, _ := toBig(a[0])
			return normBig(new(big.Int).Sqrt(b))
		},
		"atan2": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "atan2")
			return math.Atan2(toFloat(a[0]), toFloat(a[1]))
		},
		"pow": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "pow")
			return math.Pow(toFloat(a[0]), toFloat(a[1]))
		},
		"hypot": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "hypot")
			return math.Hypot(toFloat(a[0]), toFloat(a[1]))
		},
		"isnan": func(c *call, a []Value, kw *Dict) Value { need(a, 1, "isnan"); return math.IsNaN(toFloat(a[0])) },
		"isinf": func(c *call, a []Value, kw *Dict) Value { need(a, 1, "isinf"); return math.IsInf(toFloat(a[0]), 0) },
		"isclose": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "isclose")
			x, y := toFloat(a[0]), toFloat(a[1])
			rel := toFloat(arg(nil, 0, kw, "rel_tol", 1e-9))
			abs := toFloat(arg(nil, 0, kw, "abs_tol", 0.0))
			return math.Abs(x-y) <= math.Max(rel*math.Max(math.Abs(x), math.Abs(y)), abs)
		},
		"gcd": func(c *call, a []Value, kw *Dict) Value {
			var g int64
			for _, v := range a {
				x := abs64(c.toInt(v))
				for x != 0 {
					g, x = x, g%x
				}
			}
			return g
		},
		"factorial": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "factorial")
			n := c.toInt(a[0])
			if n < 0 {
				throw("ValueError", "factorial() not defined for negative values")
			}
			r := Value(int64(1))
			for i := int64(2); i <= n; i++ {
				r = c.binary("*", r, i)
			}
			return r
		},
		"prod": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "prod")
			r := Value(int64(1))
			c.iterate(a[0], func(v Value) bool { r = c.binary("*", r, v); return true })
			return r
		},
		"fsum": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "fsum")
			s := 0.0
			c.iterate(a[0], func(v Value) bool { s += toFloat(v); return true })
			return s
		},
	}, map[string]Value{"pi": math.Pi, "e": math.E, "inf": math.Inf(1), "nan": math.NaN(), "tau": 2 * math.Pi})

	timeModule = mod("time", map[string]func(c *call, a []Value, kw *Dict) Value{
		"time":    func(c *call, a []Value, kw *Dict) Value { return float64(c.now().UnixNano()) / 1e9 },
		"time_ns": func(c *call, a []Value, kw *Dict) Value { return c.now().UnixNano() },
		"monotonic": func(c *call, a []Value, kw *Dict) Value {
			return float64(c.now().UnixNano()) / 1e9
		},
		"perf_counter": func(c *call, a []Value, kw *Dict) Value { return float64(c.now().UnixNano()) / 1e9 },
		"sleep":        func(c *call, a []Value, kw *Dict) Value { return nil }, // no blocking in a request
		"gmtime": func(c *call, a []Value, kw *Dict) Value {
			t := c.now()
			if len(a) > 0 && a[0] != nil {
				f := toFloat(a[0])
				t = time.Unix(int64(f), int64((f-math.Floor(f))*1e9))
			}
			return &timeVal{t: t.UTC(), st: true}
		},
		"localtime": func(c *call, a []Value, kw *Dict) Value {
			t := c.now()
			if len(a) > 0 && a[0] != nil {
				t = time.Unix(int64(toFloat(a[0])), 0)
			}
			return &timeVal{t: t, st: true}
		},
		"strftime": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "strftime")
			t := &timeVal{t: c.now()}
			if len(a) > 1 {
				t, _ = a[1].(*timeVal)
			}
			return t.strftime(str(a[0]))
		},
	}, nil)

	dt := &TypeObj{Name: "datetime", Fn: func(c *call, a []Value, kw *Dict) Value {
		p := func(i int, name string, def int64) int {
			return int(c.toInt(arg(a, i, kw, name, def)))
		}
		return &timeVal{t: time.Date(p(0, "year", 1970), time.Month(p(1, "month", 1)), p(2, "day", 1), p(3, "hour", 0), p(4, "minute", 0), p(5, "second", 0), p(6, "microsecond", 0)*1000, time.Local)}
	}}
	td := &TypeObj{Name: "timedelta", Fn: func(c *call, a []Value, kw *Dict) Value {
		d := 0.0
		for i, u := range []struct {
			n string
			s float64
		}{{"days", 86400}, {"seconds", 1}, {"microseconds", 1e-6}, {"milliseconds", 1e-3}, {"minutes", 60}, {"hours", 3600}, {"weeks", 604800}} {
			d += toFloat(arg(a, i, kw, u.n, int64(0))) * u.s
		}
		return &timeVal{delta: true, d: time.Duration(math.Round(d * 1e9))}
	}}
	date := &TypeObj{Name: "date", Fn: func(c *call, a []Value, kw *Dict) Value {
		p := func(i int, name string, def int64) int { return int(c.toInt(arg(a, i, kw, name, def))) }
		return &timeVal{date: true, t: time.Date(p(0, "year", 1970), time.Month(p(1, "month", 1)), p(2, "day", 1), 0, 0, 0, 0, time.UTC)}
	}}
	typeObjs["datetime"], typeObjs["date"], typeObjs["timedelta"] = dt, date, td
	datetimeModule = &Module{Name: "datetime", Attrs: map[string]Value{"datetime": dt, "timedelta": td, "date": date,
		"timezone": &Module{Name: "timezone", Attrs: map[string]Value{"utc": "UTC"}}}}

	reModule = mod("re", map[string]func(c *call, a []Value, kw *Dict) Value{
		"match": func(c *call, a []Value, kw *Dict) Value {
			return reFind(a, kw, func(re *regexp.Regexp, s string) []int {
				m := re.FindStringSubmatchIndex(s)
				if m == nil || m[0] != 0 {
					return nil
				}
				return m
			})
		},
		"fullmatch": func(c *call, a []Value, kw *Dict) Value {
			return reFind(a, kw, func(re *regexp.Regexp, s string) []int {
				m := re.FindStringSubmatchIndex(s)
				if m == nil || m[0] != 0 || m[1] != len(s) {
					full := regexp.MustCompile("^(?:" + re.String() + ")$")
					return full.FindStringSubmatchIndex(s)
				}
				return m
			})
		},
		"search": func(c *call, a []Value, kw *Dict) Value {
			return reFind(a, kw, func(re *regexp.Regexp, s string) []int { return re.FindStringSubmatchIndex(s) })
		},
		"findall": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "findall")
			re, s := compileRe(a[0], arg(a, 2, kw, "flags", nil)), str(a[1])
			out := &List{}
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				switch len(m) {
				case 1:
					out.Items = append(out.Items, m[0])
				case 2:
					out.Items = append(out.Items, m[1])
				default:
					t := make(Tuple, len(m)-1)
					for i := range t {
						t[i] = m[i+1]
					}
					out.Items = append(out.Items, t)
				}
			}
			return out
		},
		"sub": func(c *call, a []Value, kw *Dict) Value {
			need(a, 3, "sub")
			re := compileRe(a[0], arg(a, 4, kw, "flags", nil))
			if fn, ok := a[1].(*Func); ok {
				return re.ReplaceAllStringFunc(str(a[2]), func(s string) string {
					return str(c.callValue(fn, []Value{newMatch(re, s, re.FindStringSubmatchIndex(s))}, nil))
				})
			}
			repl := str(a[1])
			repl = regexp.MustCompile(`\\(\d)`).ReplaceAllString(repl, "$${$1}")
			return re.ReplaceAllString(str(a[2]), repl)
		},
		"split": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "split")
			return strList(compileRe(a[0], arg(a, 3, kw, "flags", nil)).Split(str(a[1]), -1))
		},
		"compile": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "compile")
			re := compileRe(a[0], arg(a, 1, kw, "flags", nil))
			m := &Module{Name: "Pattern", Attrs: map[string]Value{"pattern": a[0]}}
			for _, name := range []string{"match", "search", "findall", "sub", "split", "fullmatch"} {
				fn := reModule.Attrs[name].(*Builtin)
				m.Attrs[name] = &Builtin{Name: name, Fn: func(c *call, b []Value, kw *Dict) Value {
					return fn.Fn(c, append([]Value{re}, b...), kw)
				}}
			}
			return m
		},
		"escape": func(c *call, a []Value, kw *Dict) Value { need(a, 1, "escape"); return regexp.QuoteMeta(str(a[0])) },
	}, map[string]Value{"IGNORECASE": int64(2), "I": int64(2), "MULTILINE": int64(8), "M": int64(8), "DOTALL": int64(16), "S": int64(16)})
}

func floatToInt(f float64) Value {
	if math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) >= 9.2e18 {
		throw("OverflowError", "cannot convert float to integer")
	}
	return int64(f)
}

// ---- random: one seedable generator per program ----

func (c *call) randomModule() *Module {
	p := c.p
	if p.random != nil {
		return p.random
	}
	r := newPyRandom()
	p.random = mod("random", map[string]func(c *call, a []Value, kw *Dict) Value{
		"seed": func(c *call, a []Value, kw *Dict) Value {
			switch x := arg(a, 0, kw, "a", nil).(type) {
			case nil:
				r.seedInt(big.NewInt(c.now().UnixNano()))
			case string:
				r.seedStr(x)
			case float64:
				r.seedStr(floatRepr(x))
			default:
				b, ok := toBig(x)
				if !ok {
					throw("TypeError", "The only supported seed types are: None, int, float, str, bytes, and bytearray.")
				}
				r.seedInt(b)
			}
			return nil
		},
		"random": func(c *call, a []Value, kw *Dict) Value { return r.random() },
		"randint": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "randint")
			return r.randrange(c.toInt(a[0]), c.toInt(a[1])+1, 1)
		},
		"randrange": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "randrange")
			switch len(a) {
			case 1:
				return r.below(c.toInt(a[0]))
			case 2:
				return r.randrange(c.toInt(a[0]), c.toInt(a[1]), 1)
			}
			return r.randrange(c.toInt(a[0]), c.toInt(a[1]), c.toInt(a[2]))
		},
		"getrandbits": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "getrandbits")
			k := c.toInt(a[0])
			if k < 0 || k > 63 {
				throw("ValueError", "getrandbits supports 0 to 63 bits here")
			}
			if k == 0 {
				return int64(0)
			}
			return int64(r.getrandbits(int(k)))
		},
		"uniform": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "uniform")
			lo, hi := toFloat(a[0]), toFloat(a[1])
			return lo + (hi-lo)*r.random()
		},
		"choice": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "choice")
			items := c.toSlice(a[0])
			if len(items) == 0 {
				throw("IndexError", "Cannot choose from an empty sequence")
			}
			return items[r.below(int64(len(items)))]
		},
		"shuffle": func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, "shuffle")
			l, ok := a[0].(*List)
			if !ok {
				throw("TypeError", "shuffle needs a list")
			}
			for i := len(l.Items) - 1; i > 0; i-- {
				j := r.below(int64(i + 1))
				l.Items[i], l.Items[j] = l.Items[j], l.Items[i]
			}
			return nil
		},
		"sample": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "sample")
			return &List{Items: r.sample(c.toSlice(a[0]), int(c.toInt(a[1])))}
		},
	}, nil)
	return p.random
}

// ---- re ----

func compileRe(p Value, flagsV Value) *regexp.Regexp {
	if re, ok := p.(*regexp.Regexp); ok {
		return re
	}
	pat := str(p)
	flags, _ := flagsV.(int64)
	prefix := ""
	if flags&2 != 0 {
		prefix += "i"
	}
	if flags&8 != 0 {
		prefix += "m"
	}
	if flags&16 != 0 {
		prefix += "s"
	}
	if prefix != "" {
		pat = "(?" + prefix + ")" + pat
	}
	pat = strings.ReplaceAll(pat, "(?P<", "(?P<")
	re, err := regexp.Compile(pat)
	if err != nil {
		throw("ValueError", "unsupported regular expression %s: %s", strRepr(str(p)), err.Error())
	}
	return re
}

func reFind(a []Value, kw *Dict, find func(*regexp.Regexp, string) []int) Value {
	need(a, 2, "re")
	re := compileRe(a[0], arg(a, 2, kw, "flags", nil))
	s := str(a[1])
	m := find(re, s)
	if m == nil {
		return nil
	}
	return newMatch(re, s, m)
}

func newMatch(re *regexp.Regexp, s string, m []int) Value {
	group := func(i int) Value {
		if i*2+1 >= len(m) || m[i*2] < 0 {
			return nil
		}
		return s[m[i*2]:m[i*2+1]]
	}
	return &Module{Name: "Match", Attrs: map[string]Value{
		"group": &Builtin{Name: "group", Fn: func(c *call, a []Value, kw *Dict) Value {
			if len(a) == 0 {
				return group(0)
			}
			if name, ok := a[0].(string); ok {
				return group(re.SubexpIndex(name))
			}
			return group(int(c.toInt(a[0])))
		}},
		"groups": &Builtin{Name: "groups", Fn: func(c *call, a []Value, kw *Dict) Value {
			t := make(Tuple, len(m)/2-1)
			for i := range t {
				t[i] = group(i + 1)
			}
			return t
		}},
		"groupdict": &Builtin{Name: "groupdict", Fn: func(c *call, a []Value, kw *Dict) Value {
			d := NewDict()
			for i, n := range re.SubexpNames() {
				if n != "" {
					d.Set(n, group(i))
				}
			}
			return d
		}},
		"start": &Builtin{Name: "start", Fn: func(c *call, a []Value, kw *Dict) Value { return int64(m[0]) }},
		"end":   &Builtin{Name: "end", Fn: func(c *call, a []Value, kw *Dict) Value { return int64(m[1]) }},
		"span":  &Builtin{Name: "span", Fn: func(c *call, a []Value, kw *Dict) Value { return Tuple{int64(m[0]), int64(m[1])} }},
	}}
}

// ---- datetime ----

// timeVal is a datetime (delta false) or a timedelta.
type timeVal struct {
	t     time.Time
	delta bool
	date  bool // a date: no time of day
	st    bool // a time.struct_time
	d     time.Duration
}

func (t *timeVal) equal(o *timeVal) bool {
	if t.delta != o.delta {
		return false
	}
	if t.delta {
		return t.d == o.d
	}
	return t.t.Equal(o.t)
}

func (t *timeVal) less(o *timeVal) bool {
	if t.delta {
		return t.d < o.d
	}
	return t.t.Before(o.t)
}

func (t *timeVal) isoformat() string {
	if t.delta {
		return t.String()
	}
	if t.date {
		return t.t.Format("2006-01-02")
	}
	if t.t.Nanosecond()/1000 != 0 {
		return t.t.Format("2006-01-02T15:04:05.000000")
	}
	return t.t.Format("2006-01-02T15:04:05")
}

func (t *timeVal) String() string {
	if !t.delta {
		return strings.Replace(t.isoformat(), "T", " ", 1)
	}
	d := t.d
	days := int64(math.Floor(float64(d) / float64(24*time.Hour)))
	rest := d - time.Duration(days)*24*time.Hour
	h, m, s := int(rest/time.Hour), int(rest%time.Hour/time.Minute), int(rest%time.Minute/time.Second)
	us := int(rest % time.Second / time.Microsecond)
	out := fmt.Sprintf("%d:%02d:%02d", h, m, s)
	if us != 0 {
		out += fmt.Sprintf(".%06d", us)
	}
	if days != 0 {
		unit := "days"
		if days == 1 || days == -1 {
			unit = "day"
		}
		out = fmt.Sprintf("%d %s, %s", days, unit, out)
	}
	return out
}

func (t *timeVal) strftime(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'Y':
			b.WriteString(t.t.Format("2006"))
		case 'm':
			b.WriteString(t.t.Format("01"))
		case 'd':
			b.WriteString(t.t.Format("02"))
		case 'H':
			b.WriteString(t.t.Format("15"))
		case 'M':
			b.WriteString(t.t.Format("04"))
		case 'S':
			b.WriteString(t.t.Format("05"))
		case 'f':
			b.WriteString(fmt.Sprintf("%06d", t.t.Nanosecond()/1000))
		case 'y':
			b.WriteString(t.t.Format("06"))
		case 'b':
			b.WriteString(t.t.Format("Jan"))
		case 'B':
			b.WriteString(t.t.Format("January"))
		case 'a':
			b.WriteString(t.t.Format("Mon"))
		case 'A':
			b.WriteString(t.t.Format("Monday"))
		case 'p':
			b.WriteString(t.t.Format("PM"))
		case 'I':
			b.WriteString(t.t.Format("03"))
		case 'j':
			b.WriteString(fmt.Sprintf("%03d", t.t.YearDay()))
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

// goLayout turns a strftime format into a Go time layout.
func goLayout(f string) string {
	r := strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02", "%H", "15", "%M", "04", "%S", "05",
		"%f", "000000", "%y", "06", "%b", "Jan", "%B", "January", "%a", "Mon", "%A", "Monday",
		"%p", "PM", "%I", "03", "%z", "-0700", "%Z", "MST", "%j", "002", "%%", "%")
	return r.Replace(f)
}

func strptime(s, f string) Value {
	t, err := time.Parse(goLayout(f), s)
	if err != nil {
		throw("ValueError", "time data %s does not match format %s", strRepr(s), strRepr(f))
	}
	return &timeVal{t: t}
}

func (c *call) timeAttr(t *timeVal, name string) Value {
	fn := func(f func(a []Value) Value) Value {
		return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value { return f(a) }}
	}
	if t.delta {
		switch name {
		case "total_seconds":
			return fn(func([]Value) Value { return t.d.Seconds() })
		case "days":
			return int64(math.Floor(float64(t.d) / float64(24*time.Hour)))
		case "seconds":
			days := int64(math.Floor(float64(t.d) / float64(24*time.Hour)))
			return int64((t.d - time.Duration(days)*24*time.Hour) / time.Second)
		}
	} else {
		switch name {
		case "tm_year":
			return int64(t.t.Year())
		case "tm_mon":
			return int64(t.t.Month())
		case "tm_mday":
			return int64(t.t.Day())
		case "tm_hour":
			return int64(t.t.Hour())
		case "tm_min":
			return int64(t.t.Minute())
		case "tm_sec":
			return int64(t.t.Second())
		case "tm_wday":
			return int64((t.t.Weekday() + 6) % 7)
		case "tm_yday":
			return int64(t.t.YearDay())
		case "isoformat":
			return fn(func([]Value) Value { return t.isoformat() })
		case "timestamp":
			return fn(func([]Value) Value { return float64(t.t.UnixNano()) / 1e9 })
		case "strftime":
			return fn(func(a []Value) Value { need(a, 1, "strftime"); return t.strftime(str(a[0])) })
		case "date":
			return fn(func([]Value) Value {
				y, m, d := t.t.Date()
				return &timeVal{t: time.Date(y, m, d, 0, 0, 0, 0, t.t.Location())}
			})
		case "year":
			return int64(t.t.Year())
		case "month":
			return int64(t.t.Month())
		case "day":
			return int64(t.t.Day())
		case "hour":
			return int64(t.t.Hour())
		case "minute":
			return int64(t.t.Minute())
		case "second":
			return int64(t.t.Second())
		case "microsecond":
			return int64(t.t.Nanosecond() / 1000)
		case "weekday":
			return fn(func([]Value) Value { return int64((t.t.Weekday() + 6) % 7) })
		}
	}
	throw("AttributeError", "'%s' object has no attribute '%s'", typeName(t), name)
	return nil
}

func (c *call) timeOp(op string, a *timeVal, b Value) Value {
	o, ok := b.(*timeVal)
	if ok {
		switch {
		case op == "-" && !a.delta && !o.delta:
			return &timeVal{delta: true, d: a.t.Sub(o.t)}
		case op == "+" && !a.delta && o.delta:
			return &timeVal{t: a.t.Add(o.d), date: a.date}
		case op == "-" && !a.delta && o.delta:
			return &timeVal{t: a.t.Add(-o.d), date: a.date}
		case op == "+" && a.delta && o.delta:
			return &timeVal{delta: true, d: a.d + o.d}
		case op == "-" && a.delta && o.delta:
			return &timeVal{delta: true, d: a.d - o.d}
		case op == "+" && a.delta && !o.delta:
			return &timeVal{t: o.t.Add(a.d)}
		}
	}
	if a.delta && (op == "*" || op == "/") {
		f := toFloat(b)
		if op == "/" {
			f = 1 / f
		}
		return &timeVal{delta: true, d: time.Duration(float64(a.d) * f)}
	}
	throw("TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
	return nil
}
