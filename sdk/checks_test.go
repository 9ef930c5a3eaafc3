package sdk

import "testing"

func TestValidName(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"a", true}, {"_x9", true}, {"Todo", true}, {"create_todo", true},
		{"", false}, {"9a", false}, {"a-b", false}, {"a b", false}, {"é", false}, {"a.b", false}, {"[", false}, {"@", false},
	}
	for _, tc := range tests {
		if got := validName(tc.in); got != tc.want {
			t.Errorf("validName(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestDeclarationPanics(t *testing.T) {
	endpoint := func() *Endpoint[int] {
		e := new(Endpoint[int])
		e.init(0, "x")
		return e
	}
	tests := []struct {
		name string
		fn   func()
	}{
		{"bad node type name", func() { NodeType("a-b") }},
		{"reserved Root", func() { EdgeType("Root") }},
		{"bad method", func() { endpoint().Method("get") }},
		{"bad path", func() { endpoint().Path("x") }},
		{"bad access", func() { endpoint().Access("everyone") }},
		{"bad field name", func() { checkField("w", field{name: "a b"}, nil) }},
		{"duplicate field", func() { checkField("w", field{name: "a"}, []field{{name: "a"}}) }},
		{"required with default", func() { checkField("w", field{name: "a", required: true, hasDef: true}, nil) }},
		{"ability on undeclared type", func() {
			d := &WalkerDef[*noFields]{}
			d.init(d, "w")
			checkAbilities(d.OnEntry("Nope", nil))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("want a panic")
				}
			}()
			tc.fn()
		})
	}
}

type noFields struct{}

func (*noFields) Fields(*Fields) {}
