// Package sdk is the Go guest SDK of the walker host: it turns a Go package
// into a WebAssembly module whose walkers and functions the host serves as
// HTTP endpoints (ABI v1, see abi/ABI.md).
//
// A guest is a package main that declares its node and edge types, walkers
// and functions in package-level variables, and has an empty main:
//
//	var Todo = sdk.NodeType("Todo", sdk.StringField("title").Required(), sdk.BoolField("done").Default(false))
//	var HasTodo = sdk.EdgeType("HasTodo")
//
//	type CreateTodo struct{ Title string }
//
//	func (w *CreateTodo) Fields(f *sdk.Fields) { f.String("title", &w.Title).Required() }
//
//	var _ = sdk.Walker("create_todo", func() *CreateTodo { return new(CreateTodo) }).
//		OnRoot(func(w *CreateTodo, v *sdk.Visit) error {
//			todo, err := Todo.Create(map[string]any{"title": w.Title})
//			if err != nil {
//				return err
//			}
//			if _, err := v.Here().Connect(todo, HasTodo, nil); err != nil {
//				return err
//			}
//			return v.Report(todo)
//		})
//
//	func main() {} // required by the Go toolchain, never called in a reactor
//
// Build it as a WASI reactor:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o app.wasm .
//
// The module's main function is never run: the host calls _initialize (which
// runs the package variables above) and then the walker_* exports. An empty
// func main() {} is still required because the Go toolchain builds package
// main only.
//
// # Walks
//
// A walker is spawned on a node (the caller's root unless the request names
// another). Its queue starts with that node; at each node the SDK runs the
// walker's abilities declared for the node's type (OnRoot for the root,
// OnEntry for a declared type) in declaration order, then moves to the next
// queued node until the queue is empty or the walker disengages. After the
// walk the walker's fields, in declaration order, are the response's result.
//
// # Declarations known at run time
//
// A guest that learns its declarations only when it starts (a language
// runtime such as the Jac runtime, lang/guest, which reads its program
// during _initialize) declares them with the same calls, from a loop rather
// than from package variables: NodeType and EdgeType take FieldDecls built
// at run time, and a walker or function value whose Fields method loops
// over the declared fields binds each with Fields.Typed, which gives the
// manifest the field's type and keeps the value in an any:
//
//	type dynamic struct{ vals []any }
//
//	func (d *dynamic) Fields(f *sdk.Fields) {
//		for i, fd := range decl { // decl read at run time
//			f.Typed(fd.Name, sdk.Type(fd.Type), &d.vals[i])
//		}
//	}
//
// All declarations must be made before the host asks for the manifest, that
// is during _initialize.
//
// # Files, uploads and key-value stores
//
// Store returns the app's file storage (Upload, Download, ListFiles, ...),
// confined by the host to a folder of the app's own. A walker field bound
// with Fields.File receives a file sent as multipart/form-data; its bytes
// stay with the host until read or passed to Storage.UploadFile. KVStore
// names a Redis or MongoDB store of the app on a server the operator
// configured. Each operation is one host call; see docs/STORAGE.md and
// docs/KVSTORE.md.
//
// # Native tests
//
// Outside wasip1 the host functions are served by an in-memory fake host, so
// go test runs guests natively; package sdktest drives them. Its storage and
// key-value stores are maps that follow the host's rules closely enough for
// unit tests (sdktest.Upload sends a file); the real ones are tested against
// a filesystem, Redis and MongoDB in the repository's black-box tests.
//
// # Failures
//
// A walker or function that returns an error fails its request with
// StatusFailed; one that panics (or returns the error of a spawned walker
// that panicked) fails it with StatusPanicked, after which the host
// discards the instance, whose package variables the panic may have left
// half-updated. Either way the message is the response's error, with status
// 500 EXECUTION_ERROR, unless the error is an *HTTPError (Fail, NotFound):
// then the client gets its status, 400, 401, 403, 404 or 409, as a refusal
// rather than a failure of the walker.
//
// # Performance
//
// The per-request path is built for wasm, where Go code runs about ten
// times slower than natively and the host's termination checks (wazero's
// WithCloseOnContextDone) leave native code at every loop header: Go's
// wasm backend enters a loop at each function call and at each jump
// between basic blocks, so calls, branches and loop iterations, and the
// allocator, which has many of them, dominate a request's cost. The SDK
// therefore decodes a request's fields straight into the walker's
// bindings, keeps no per-request maps (handles index pages of entries,
// reused), decodes node fields only when read, reuses its buffers, walk
// state and bindings across requests, encodes values without sorting a
// key slice on the heap (and without keeping references to them, so that
// a map literal passed to Report can stay on the caller's stack), and
// copies short strings into shared chunks instead of allocating each.
// Once its buffers have grown, a request for a walker of scalar fields
// allocates, in the SDK, only the walker value newW makes (and a slice for
// each edge query).
//
// # Notes
//
// The SDK uses no reflection and no encoding/json: every package it links
// adds to the module's size and instantiation time, which the host pays per
// instance. A module runs one request at a time, so the SDK keeps request
// state in package variables; it is not safe for concurrent use and needs
// not be.
package sdk
