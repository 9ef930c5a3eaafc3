package sdk

// Declaration checks. A mistake in a declaration panics while the module
// initialises, so the module fails at load with the message in its log,
// never on a request.

// checkName panics unless name matches [A-Za-z_][A-Za-z0-9_]* and is not
// the reserved "Root".
func checkName(what, name string) {
	if !validName(name) {
		panic("sdk: " + what + " name " + quote(name) + " must match [A-Za-z_][A-Za-z0-9_]*")
	}
	if name == "Root" {
		panic("sdk: " + what + " name \"Root\" is reserved")
	}
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// methods are the HTTP methods a walker or function may be served with.
var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func validMethod(m string) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}

// quote renders s in double quotes for messages, JSON-escaped.
func quote(s string) string { return string(appendJSONString(nil, s)) }
