// Command todo is the sample walker app: each user's todo list, kept as Todo
// nodes connected from the user's root. Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o todo.wasm .
package main

import (
	"errors"

	"github.com/walkerhost/walkerhost/sdk"
)

// Todo is one item of a list; HasTodo connects a root to its todos.
var (
	Todo = sdk.NodeType("Todo", sdk.StringField("title").Required().Doc("what to do"),
		sdk.BoolField("done").Default(false).Doc("whether it is done"), sdk.StringListField("tags").Doc("labels to sort by"))
	HasTodo = sdk.EdgeType("HasTodo")
)

// main is never run: the host calls the module's walker_* exports.
func main() {}

// findTodo returns the todo with id, hiding whether a todo the caller may
// not see exists; a missing one is a 404 for the client.
func findTodo(id string) (sdk.Node, error) {
	todo, err := sdk.NodeByID(id)
	if errors.Is(err, sdk.ErrNotFound) || errors.Is(err, sdk.ErrDenied) || (err == nil && !todo.Is(Todo)) {
		return sdk.Node{}, sdk.NotFound("todo " + id + " not found")
	}
	return todo, err
}
