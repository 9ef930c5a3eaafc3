// Command hello is a small public walker module: a greeting at a custom
// path, an echo of every field type for the host's validation tests, a
// function, and a private walker spawned by a public one.
package main

import "github.com/walkerhost/walkerhost/sdk"

// main is never run: the host calls the module's walker_* exports.
func main() {}

// Greet says hello at GET /hello?name=...
type Greet struct{ Name string }

func (w *Greet) Fields(f *sdk.Fields) { f.String("name", &w.Name).Default("world") }

var _ = sdk.Walker("greet", func() *Greet { return new(Greet) }).
	Public().Method("GET").Path("/hello").
	OnRoot(func(w *Greet, v *sdk.Visit) error {
		return v.Report(map[string]any{"message": "Hello, " + w.Name + "!"})
	})

// AddArgs are the arguments of the add function.
type AddArgs struct{ A, B int }

func (a *AddArgs) Fields(f *sdk.Fields) {
	f.Int("a", &a.A).Required()
	f.Int("b", &a.B).Required()
}

var _ = sdk.Function("add", func() *AddArgs { return new(AddArgs) }, func(a *AddArgs) (any, error) {
	return a.A + a.B, nil
}).Public().Returns(sdk.TypeInt)
