package manifest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const good = `{"abi":1,"sdk":"go/0.1.0",
 "nodes":[{"name":"Todo","fields":[{"name":"title","type":"string","required":true},{"name":"done","type":"bool","default":false}]}],
 "edges":[{"name":"HasTodo","fields":[]}],
 "walkers":[{"name":"create_todo","access":"","method":"post","fields":[{"name":"title","type":"string","required":true},{"name":"attachment","type":"file"}]}],
 "functions":[{"name":"add","access":"public","method":"POST","returns":"int","fields":[{"name":"a","type":"int","default":1}]}]}`

func TestParse(t *testing.T) {
	m, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	w := m.Walkers[0]
	if w.Access != "protected" || w.Method != "POST" {
		t.Fatalf("defaults not applied: %+v", w)
	}
	if len(m.Nodes) != 1 || m.Nodes[0].Fields[1].Default != false {
		t.Fatalf("nodes: %+v", m.Nodes)
	}
}

func TestParse_Errors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not json", `{`, "unexpected EOF"},
		{"unknown key", `{"abi":1,"bogus":1}`, `unknown field "bogus"`},
		{"trailing", `{"abi":1} {}`, "trailing data"},
		{"abi version", `{"abi":2}`, "abi 2"},
		{"reserved node name", `{"abi":1,"nodes":[{"name":"Root","fields":[]}]}`, `node type "Root": the name is reserved`},
		{"duplicate walker", `{"abi":1,"walkers":[{"name":"a","fields":[]},{"name":"a","fields":[]}]}`, `walker "a": declared twice`},
		{"bad name", `{"abi":1,"walkers":[{"name":"a-b","fields":[]}]}`, `walker "a-b": name must match`},
		{"bad type", `{"abi":1,"walkers":[{"name":"w","fields":[{"name":"t","type":"text"}]}]}`, `walker "w": field "t": unknown type "text"`},
		{"bad access", `{"abi":1,"walkers":[{"name":"w","access":"world","fields":[]}]}`, `access "world"`},
		{"bad method", `{"abi":1,"walkers":[{"name":"w","method":"TRACE","fields":[]}]}`, `method "TRACE"`},
		{"bad path", `{"abi":1,"walkers":[{"name":"w","path":"x","fields":[]}]}`, `path "x"`},
		{"path parameter", `{"abi":1,"walkers":[{"name":"w","path":"/w/{id}","fields":[]}]}`, `path "/w/{id}"`},
		{"default type", `{"abi":1,"walkers":[{"name":"w","fields":[{"name":"n","type":"int","default":"1"}]}]}`, `default 1 is not a int`},
		{"required with default", `{"abi":1,"functions":[{"name":"f","fields":[{"name":"n","type":"int","required":true,"default":1}]}]}`, "cannot have a default"},
		{"bad returns", `{"abi":1,"functions":[{"name":"f","returns":"thing","fields":[]}]}`, `returns "thing"`},
		{"too big", `{"abi":1,"sdk":"` + strings.Repeat("x", MaxSize) + `"}`, "more than"},
		{"file in a node", `{"abi":1,"nodes":[{"name":"Doc","fields":[{"name":"f","type":"file"}]}]}`, `node type "Doc": field "f": only walkers and functions take files`},
		{"file with a default", `{"abi":1,"walkers":[{"name":"w","fields":[{"name":"f","type":"file","default":"x"}]}]}`, `field "f": a file field cannot have a default`},
		{"returns a file", `{"abi":1,"functions":[{"name":"f","returns":"file","fields":[]}]}`, `returns "file"`},
		{"items of a string", `{"abi":1,"walkers":[{"name":"w","fields":[{"name":"t","type":"string","items":"string"}]}]}`, `field "t": items "string": only a list has items`},
		{"items of a bad type", `{"abi":1,"walkers":[{"name":"w","fields":[{"name":"t","type":"list","items":"list"}]}]}`, `items "list"`},
		{"default not of the items", `{"abi":1,"nodes":[{"name":"N","fields":[{"name":"t","type":"list","items":"string","default":["a",1]}]}]}`, `is not a list of string`},
		{"too many fields", `{"abi":1,"walkers":[{"name":"w","fields":[` + fields(MaxFields+1) + `]}]}`, `walker "w": 257 fields, more than the limit of 256`},
		{"too many node fields", `{"abi":1,"nodes":[{"name":"N","fields":[` + fields(MaxFields+1) + `]}]}`, `node type "N": 257 fields`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrInvalid containing %q", err, tc.want)
			}
		})
	}
}

// fields returns n string field declarations.
func fields(n int) string {
	f := make([]string, n)
	for i := range f {
		f[i] = fmt.Sprintf(`{"name":"f%d","type":"string"}`, i)
	}
	return strings.Join(f, ",")
}

func TestParse_MaxFields(t *testing.T) {
	if _, err := Parse([]byte(`{"abi":1,"walkers":[{"name":"w","fields":[` + fields(MaxFields) + `]}]}`)); err != nil {
		t.Fatalf("%d fields: %v", MaxFields, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(`{"abi":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		for _, w := range m.Walkers {
			if w.Access == "" || w.Method == "" {
				t.Fatalf("defaults missing on %+v", w)
			}
		}
	})
}
