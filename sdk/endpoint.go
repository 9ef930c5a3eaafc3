package sdk

import "github.com/walkerhost/walkerhost/abi"

// Access says who may call a walker or function over HTTP.
type Access string

// Access levels (ABI.md "Manifest").
const (
	Public    Access = abi.AccessPublic    // no token needed
	Protected Access = abi.AccessProtected // a valid token needed; the default
	Private   Access = abi.AccessPrivate   // no HTTP route; other walkers may spawn it
)

// endpoint is how HTTP reaches a walker or function: its manifest entry
// without the fields.
type endpoint struct {
	name    string
	access  Access
	method  string
	path    string
	webhook bool
	returns Type // functions only
	doc     string
}

// Endpoint holds the HTTP options shared by WalkerDef and FunctionDef; D is
// the declaration its methods return, so calls chain.
type Endpoint[D any] struct {
	self D
	ep   endpoint
}

func (e *Endpoint[D]) init(self D, name string) {
	e.self = self
	e.ep = endpoint{name: name, access: Protected, method: "POST"}
}

func (e *Endpoint[D]) endpoint() *endpoint { return &e.ep }

// Method sets the HTTP method: GET, POST (the default), PUT, PATCH or
// DELETE. GET takes fields from the query string.
func (e *Endpoint[D]) Method(m string) D {
	if !validMethod(m) {
		panic("sdk: " + quote(e.ep.name) + ": method " + quote(m) + " is not one of GET, POST, PUT, PATCH, DELETE")
	}
	e.ep.method = m
	return e.self
}

// Path serves the endpoint at path instead of its default route.
func (e *Endpoint[D]) Path(path string) D {
	if path == "" || path[0] != '/' {
		panic("sdk: " + quote(e.ep.name) + ": path " + quote(path) + " must start with /")
	}
	e.ep.path = path
	return e.self
}

// Webhook serves the endpoint only under /webhook/NAME, for callers with an
// API key and a signature.
func (e *Endpoint[D]) Webhook() D {
	e.ep.webhook = true
	return e.self
}

// Access sets who may call the endpoint.
func (e *Endpoint[D]) Access(a Access) D {
	if a != Public && a != Protected && a != Private {
		panic("sdk: " + quote(e.ep.name) + ": access " + quote(string(a)) + " is not public, protected or private")
	}
	e.ep.access = a
	return e.self
}

// Doc sets the description of the walker or function, shown under its
// operation in the OpenAPI document (FastAPI takes it from the docstring).
func (e *Endpoint[D]) Doc(s string) D {
	e.ep.doc = s
	return e.self
}

// Public is Access(Public).
func (e *Endpoint[D]) Public() D { return e.Access(Public) }

// Protected is Access(Protected), the default.
func (e *Endpoint[D]) Protected() D { return e.Access(Protected) }

// Private is Access(Private).
func (e *Endpoint[D]) Private() D { return e.Access(Private) }
