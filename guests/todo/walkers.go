package main

import "github.com/walkerhost/walkerhost/sdk"

// CreateTodo creates a todo on the caller's root and reports it.
type CreateTodo struct {
	Title string
	Done  bool
	Tags  []string
}

func (w *CreateTodo) Fields(f *sdk.Fields) {
	f.String("title", &w.Title).Required().Doc("what to do")
	f.Bool("done", &w.Done).Default(false)
	f.StringList("tags", &w.Tags).Doc("labels to sort by")
}

var _ = sdk.Walker("create_todo", func() *CreateTodo { return new(CreateTodo) }).
	Doc("Creates a todo on the caller's root and reports it.").
	OnRoot(func(w *CreateTodo, v *sdk.Visit) error {
		fields := map[string]any{"title": w.Title, "done": w.Done}
		if len(w.Tags) > 0 {
			fields["tags"] = w.Tags
		}
		todo, err := Todo.Create(fields)
		if err != nil {
			return err
		}
		if _, err := v.Here().Connect(todo, HasTodo, nil); err != nil {
			return err
		}
		return v.Report(todo)
	})

// ListTodos visits the caller's todos and reports each one.
type ListTodos struct{}

func (*ListTodos) Fields(*sdk.Fields) {}

var _ = sdk.Walker("list_todos", func() *ListTodos { return new(ListTodos) }).
	Method("GET").
	Doc("Reports the caller's todos.").
	OnRoot(func(_ *ListTodos, v *sdk.Visit) error {
		todos, err := v.Here().Out(HasTodo, Todo)
		v.Visit(todos...)
		return err
	}).
	OnEntry("Todo", func(_ *ListTodos, v *sdk.Visit) error {
		return v.Report(v.Here())
	})

// UpdateTodo changes the title or the done flag of a todo; fields left out
// of the request stay as they are.
type UpdateTodo struct {
	ID    string
	Title *string
	Done  *bool
}

func (w *UpdateTodo) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.OptString("title", &w.Title)
	f.OptBool("done", &w.Done)
}

var _ = sdk.Walker("update_todo", func() *UpdateTodo { return new(UpdateTodo) }).
	OnRoot(func(w *UpdateTodo, v *sdk.Visit) error {
		todo, err := findTodo(w.ID)
		if err != nil {
			return err
		}
		changes := map[string]any{}
		if w.Title != nil {
			changes["title"] = *w.Title
		}
		if w.Done != nil {
			changes["done"] = *w.Done
		}
		if err := todo.Set(changes); err != nil {
			return err
		}
		return v.Report(todo)
	})

// DeleteTodo deletes a todo and reports its id.
type DeleteTodo struct{ ID string }

func (w *DeleteTodo) Fields(f *sdk.Fields) { f.String("id", &w.ID).Required() }

var _ = sdk.Walker("delete_todo", func() *DeleteTodo { return new(DeleteTodo) }).
	OnRoot(func(w *DeleteTodo, v *sdk.Visit) error {
		todo, err := findTodo(w.ID)
		if err != nil {
			return err
		}
		if err := todo.Delete(); err != nil {
			return err
		}
		return v.Report(map[string]any{"deleted": w.ID})
	})
