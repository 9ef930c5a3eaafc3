// Command peer is the Go twin of ../peer.jac, which make bench (section
// jac) serves beside it: a public ping, a protected create_todo that hangs
// a Todo under the caller's root, and a protected list_todos that visits
// every node out of the root and reports the Todos.
package main

import "github.com/walkerhost/walkerhost/sdk"

// Todo mirrors `node Todo { has title: str; has done: bool = False; }`.
var Todo = sdk.NodeType("Todo", sdk.StringField("title").Required(), sdk.BoolField("done").Default(false))

// main is never run: the host calls the module's walker_* exports.
func main() {}

// Ping mirrors `walker :pub ping { has n: int = 0; ... }`.
type Ping struct{ N int }

func (w *Ping) Fields(f *sdk.Fields) { f.Int("n", &w.N).Default(0) }

var _ = sdk.Walker("ping", func() *Ping { return new(Ping) }).
	Public().
	OnRoot(func(w *Ping, v *sdk.Visit) error {
		return v.Report(map[string]any{"message": "pong", "n": w.N})
	})

// CreateTodo mirrors `t = here ++> Todo(title=self.title); report t;`.
// In Jac `++>` yields the list of connected nodes, so the report is a
// one-element list, as jac-scale answers.
type CreateTodo struct{ Title string }

func (w *CreateTodo) Fields(f *sdk.Fields) { f.String("title", &w.Title).Required() }

var _ = sdk.Walker("create_todo", func() *CreateTodo { return new(CreateTodo) }).
	OnRoot(func(w *CreateTodo, v *sdk.Visit) error {
		// done is passed although the type declares Default(false): the host
		// does not fill node-field defaults (it stores only the given
		// fields), while Jac's Todo(title=...) has done=False.
		todo, err := Todo.Create(map[string]any{"title": w.Title, "done": false})
		if err != nil {
			return err
		}
		if _, err := v.Here().Connect(todo, nil, nil); err != nil { // nil: generic edge, like ++>
			return err
		}
		return v.Report([]sdk.Node{todo})
	})

// ListTodos mirrors `visit [-->];` on the root and `report here;` on each Todo.
type ListTodos struct{}

func (*ListTodos) Fields(*sdk.Fields) {}

var _ = sdk.Walker("list_todos", func() *ListTodos { return new(ListTodos) }).
	OnRoot(func(_ *ListTodos, v *sdk.Visit) error {
		out, err := v.Here().Out()
		v.Visit(out...)
		return err
	}).
	OnEntry("Todo", func(_ *ListTodos, v *sdk.Visit) error {
		return v.Report(v.Here())
	})
