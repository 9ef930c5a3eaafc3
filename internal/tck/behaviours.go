package tck

// M and L keep the table short.
type (
	M = map[string]any
	L = []any
)

// walker is a step calling walker name with body.
func walker(name string, body M) Step { return Step{Path: "/walker/" + name, Body: body} }

// as is s called by user.
func (s Step) as(user string) Step { s.As = user; return s }

// want is s expecting data.
func (s Step) want(data any) Step { s.Data = data; return s }

// fails is s expecting status with an error matching err.
func (s Step) fails(status int, err M) Step { s.Status, s.Error = status, err; return s }

// save is s saving data paths as names.
func (s Step) save(kv ...string) Step {
	s.Save = map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Save[kv[i]] = kv[i+1]
	}
	return s
}

// reports expects the walker's reports, in order.
func reports(r ...any) M { return M{"reports": L(r)} }

// ok and failed are what the conformance guest reports for one host call.
func ok(v any) M         { return M{"ok": true, "value": v, "errno": 0} }
func failed(errno int) M { return M{"ok": false, "errno": errno} }
func failedMsg(errno int, msg string) M {
	return M{"ok": false, "errno": errno, "error": "~" + msg}
}

// Errnos of ABI.md "Errors".
const (
	errBadHandle   = -1
	errNotFound    = -2
	errDenied      = -3
	errBadArgument = -4
	errUnsupported = -7
)

// Behaviours is the suite: every behaviour a guest SDK must show through
// the real host, grouped by the abi/ABI.md section it exercises.
func Behaviours() []Behaviour {
	var all []Behaviour
	for _, g := range [][]Behaviour{core(), graph(), permissions(), storage(), kvstores()} {
		all = append(all, g...)
	}
	return all
}

func core() []Behaviour {
	echoDefaults := M{"s": "x", "i": 7, "i64": 0, "f": 1.5, "b": true, "l": L{"x", "walked"},
		"o": M{}, "a": nil, "os": nil, "ob": nil, "oi": nil, "of": nil, "sl": L{}}
	echoKeys := []string{"s", "i", "i64", "f", "b", "l", "o", "a", "os", "ob", "oi", "of", "sl"}
	return []Behaviour{
		{Name: "fields with defaults in declaration order", Section: "Request record", Steps: []Step{
			walker("echo", M{"s": "x"}).want(M{"result": echoDefaults, "reports": L{}}).keys(echoKeys...),
			// a list default is a fresh copy in each request
			walker("echo", M{"s": "x"}).want(M{"result": echoDefaults}),
		}},
		{Name: "every field kind given", Section: "Request record", Steps: []Step{
			walker("echo", M{"s": "y", "i": -1, "i64": 1 << 40, "f": 2, "b": false, "l": L{1}, "o": M{"k": "v"},
				"a": L{nil}, "os": "", "ob": false, "oi": 0, "of": 0.5, "sl": L{"p", "q"}}).
				want(M{"result": M{"s": "y", "i": -1, "i64": 1 << 40, "f": 2, "b": false, "l": L{1, "walked"},
					"o": M{"k": "v"}, "a": L{nil}, "os": "", "ob": false, "oi": 0, "of": 0.5, "sl": L{"p", "q"}}}),
		}},
		{Name: "values round trip", Section: "Values", Steps: []Step{
			walker("say", M{"value": M{"n": nil, "t": true, "f": false, "i": 3, "x": 2.5, "s": "é", "l": L{1, "a"}}}).
				want(reports(M{"n": nil, "t": true, "f": false, "i": 3, "x": 2.5, "s": "é", "l": L{1, "a"}},
					M{"nested": L{M{"n": nil, "t": true, "f": false, "i": 3, "x": 2.5, "s": "é", "l": L{1, "a"}},
						M{"_jac_type": "Root", "_jac_archetype": "node", "_jac_id": Any}}})),
		}},
		{Name: "the root is type 0 and the generic edge GenericEdge", Section: "Type ids", Steps: []Step{
			walker("crud", nil).want(M{"reports": L{
				M{"root": M{"_jac_type": "Root", "_jac_archetype": "node"}},
				true, nil, M{"_jac_type": "GenericEdge", "_jac_archetype": "edge", "_jac_id": Any}}}),
		}},
		{Name: "a function returns its value", Section: "Guest exports", Steps: []Step{
			{Path: "/function/add", Body: M{"a": 2, "b": 40}, Data: M{"result": 42}},
		}},
		{Name: "failures", Section: "walker_handle status", Steps: []Step{
			walker("fail", M{"how": "error", "message": "boom"}).fails(500, M{"code": "EXECUTION_ERROR", "message": "~boom"}),
			walker("fail", M{"how": "client", "status": 404, "message": "no such thing"}).fails(404, M{"code": "NOT_FOUND", "message": "no such thing"}),
			walker("fail", M{"how": "client", "status": 409, "message": "taken"}).fails(409, M{"code": "CONFLICT", "message": "taken"}),
			walker("fail", M{"how": "client", "status": 418, "message": "teapot"}).fails(500, M{"code": "EXECUTION_ERROR"}),
			walker("fail", M{"how": "panic", "message": "oops"}).fails(500, M{"code": "EXECUTION_ERROR", "message": "~oops"}),
			walker("fail", M{"how": "none"}).want(reports("before")),
		}},
		{Name: "an instance that panicked is replaced", Section: "Lifecycle", Steps: []Step{
			walker("fail", M{"how": "panic", "message": "oops"}).fails(500, M{"code": "EXECUTION_ERROR"}),
			walker("fail", M{"how": "panic", "message": "oops"}).fails(500, M{"code": "EXECUTION_ERROR"}),
			walker("echo", M{"s": "x"}).want(M{"result": echoDefaults}),
		}},
		{Name: "log lines reach the host log", Section: "Output", Steps: []Step{
			{Path: "/walker/say", Body: M{"value": 1, "message": "hello from the guest"}, Data: reports(1, M{"nested": L{1, Any}}),
				Log: "hello from the guest"},
		}},
		{Name: "now is the wall clock", Section: "Support", Steps: []Step{
			// a clock that does not run back
			walker("now", M{"n": 100}).want(reports(M{"first": Any, "last": Any, "ordered": true})),
		}},
		{Name: "host calls per request are limited", Section: "Errors", Steps: []Step{
			walker("now", M{"n": MaxHostCalls + 10}).fails(507, M{"code": "LIMIT_EXCEEDED", "details": M{"limit": "host_calls"}}),
			walker("now", M{"n": 10}).want(reports(M{"ordered": true, "first": Any, "last": Any})),
		}},
		{Name: "private walkers have no route; custom paths and methods", Section: "Manifest", Steps: []Step{
			walker("secret", nil).fails(404, M{"code": "NOT_FOUND"}),
			{Method: "GET", Path: "/tell/secret", As: "-", Data: reports("psst")},
		}},
		{Name: "standard library hashing and randomness", Section: "WASI", Steps: []Step{
			walker("digest", M{"text": "abc"}).want(reports(M{
				"sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "random": true})),
			{Path: "/walker/say", Body: M{"message": "written to stdout"}, Log: "stdout: written to stdout"},
		}},
		{Name: "the program is read during initialisation", Section: "Program", Program: "print('hi')", Steps: []Step{
			walker("program", nil).want(reports("print('hi')")),
		}},
		{Name: "a module without a program reads none", Section: "Versioning", Steps: []Step{
			walker("program", nil).want(reports("")),
		}},
		{Name: "uploads", Section: "Uploads", Steps: []Step{
			{Path: "/walker/attach", Body: M{}, Files: []File{{Field: "doc", Name: "n.txt", ContentType: "text/plain", Data: "abcdefgh"}},
				Data: M{"reports": L{M{"name": "n.txt", "type": "text/plain", "size": 8, "all": "abcdefgh",
					"chunks": L{"abc", "def", "gh"}, "tail": "gh", "stored": "up/doc.bin", "extra": false}},
					"result": M{"doc": M{"name": "n.txt", "content_type": "text/plain", "size": 8}, "extra": nil, "path": "up/doc.bin"}}},
			walker("store", M{"op": "download", "args": L{"up/doc.bin"}}).want(reports(ok("abcdefgh"))),
			walker("attach", M{}).fails(422, M{"code": "VALIDATION_ERROR", "details": L{M{"loc": L{"body", "doc"}, "type": "missing"}}}),
			walker("attach", M{"doc": "text"}).fails(422, M{"code": "VALIDATION_ERROR", "details": L{M{"loc": L{"body", "doc"}, "msg": "~UploadFile"}}}),
			walker("store", M{"op": "upload_id", "args": L{"x"}}).want(reports(failed(errNotFound))),
		}},
	}
}

// keys expects the result's keys in this order in the response body.
func (s Step) keys(k ...string) Step { s.ResultKeys = k; return s }
