// Package tck is the guest conformance kit: one suite of ABI behaviours
// (abi/ABI.md) that a guest SDK passes by running its conformance guest
// through the real host. A behaviour is data — call walker X as user U with
// input Y, expect Z — so the guest of any language is just a module passed
// to Run; docs/CONFORMANCE.md says what that module must expose.
package tck

import (
	"time"
)

// Behaviour is one ABI behaviour: steps run in order on a fresh host (a
// fresh graph, storage and key-value namespace) serving the guest.
type Behaviour struct {
	Name    string // unique, a test name
	Section string // the abi/ABI.md heading it exercises, e.g. "Graph"
	Needs   string // "redis" or "mongodb" when a step needs that server
	Program string // the walker.program section added to the guest, if any
	Steps   []Step
}

// Step is one HTTP request to the host and what must come back.
//
// Strings in Body, Data and Error may name values saved by earlier steps
// as ${name}; ${app} is the behaviour's app name, and ${redis} and ${mongodb}
// are the servers' URIs.
type Step struct {
	As     string        // the calling user, "ada" (default) or "bob"; "-" calls without a token
	Method string        // POST by default
	Path   string        // e.g. "/walker/echo"
	Body   any           // sent as JSON; nil sends no body
	Files  []File        // when set, the request is multipart/form-data with Body's strings as values
	Sleep  time.Duration // waited before the request (a key's time to live)

	Status int    // the expected HTTP status; 200 by default
	Data   any    // must match the response's data (see Match)
	Error  any    // must match the response's error object (see Match)
	Log    string // a line the host must have logged by now
	// ResultKeys are the keys of the data's result, in the order the body
	// has them (the declaration order of a walker's fields).
	ResultKeys []string
	// Save records values of this response's data under names for later
	// steps: name → a dotted path such as "reports.0.id".
	Save map[string]string
}

// File is a file part of a multipart request.
type File struct {
	Field, Name, ContentType, Data string
}

// Uncovered lists the abi/ABI.md headings no behaviour can exercise from a
// guest, with the reason; the host's own tests cover them.
var Uncovered = map[string]string{
	"Lifecycle":      "load-time checks refuse modules before any walker runs; internal/sandbox tests feed them bad modules (testdata/badguests)",
	"Reserved names": "a module importing a reserved name is refused at load; internal/sandbox tests cover the refusal",
}
