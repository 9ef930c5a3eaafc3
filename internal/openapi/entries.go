package openapi

import (
	"strings"

	"github.com/walkerhost/walkerhost/abi"
)

// entry describes a walker or function at the paths the server gives it:
// its declared method and path (else /walker/NAME or /function/NAME), plus
// path/{node_id} for a walker; a webhook only at POST /webhook/NAME.
func (b *builder) entry(e *abi.Entry, kind byte) {
	if e.Access == abi.AccessPrivate {
		return
	}
	what := "walker"
	if kind == abi.KindFunction {
		what = "function"
	}
	input := what + "." + e.Name
	in := objectSchema(e.Fields, fieldSchema)
	in["description"] = "the fields of " + what + " " + e.Name + "; unknown keys are ignored"
	b.schemas[input] = in
	if e.Webhook {
		if b.o.Webhooks {
			b.add("POST", "/webhook/"+e.Name, b.webhook(e, input))
		}
		return
	}
	path := e.Path
	if path == "" {
		path = "/" + what + "/" + e.Name
	}
	b.add(e.Method, path, b.operation(e, what, input, false))
	if kind == abi.KindWalker {
		b.add(e.Method, strings.TrimSuffix(path, "/")+"/{node_id}", b.operation(e, what, input, true))
	}
}

// entryTags is the tag of walkers and functions.
var entryTags = map[string]string{"walker": tagWalkers, "function": tagFunctions}

// describe puts an entry's own description (its Doc) before the host's note.
func describe(doc, note string) string {
	if doc == "" {
		return note
	}
	if note == "" {
		return doc
	}
	return doc + "\n\n" + note
}

// operation is a walker or function called with a token (or none, when
// public), spawned on the caller's root or, onNode, on {node_id}.
func (b *builder) operation(e *abi.Entry, what, input string, onNode bool) obj {
	op := obj{
		"operationId": what + "_" + e.Name,
		"tags":        []any{entryTags[what]},
		"summary":     strings.ToUpper(what[:1]) + what[1:] + " " + e.Name,
		"description": describe(e.Doc, accessNote[e.Access]),
		"security":    security(e.Access),
	}
	var params []any
	statuses := []string{"422", "429", "500", "504", "507"}
	if e.Access == abi.AccessProtected {
		statuses = append(statuses, "401")
	}
	if onNode {
		op["operationId"] = what + "_" + e.Name + "_on_node"
		op["summary"] = op["summary"].(string) + " on a node"
		params = append(params, obj{"name": "node_id", "in": "path", "required": true, "schema": nodeID,
			"description": "the node to spawn on; the caller must be able to READ it"})
		statuses = append(statuses, "403", "404")
	}
	if e.Method == "GET" {
		params = append(params, queryParams(e.Fields)...)
	} else {
		op["requestBody"] = body(e.Fields, input)
		statuses = append(statuses, "413")
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	op["responses"] = withErrors(obj{"200": success("the "+what+"'s result and reports", payload(e, what))}, statuses...)
	return op
}

// webhook is a webhook walker, authenticated by API key and signature.
func (b *builder) webhook(e *abi.Entry, input string) obj {
	op := obj{
		"operationId": "webhook_" + e.Name,
		"tags":        []any{tagWebhooks},
		"summary":     "Webhook " + e.Name,
		"description": describe(e.Doc, "Runs walker "+e.Name+" on the root of the API key's owner."),
		"security":    security("api_key"),
		"requestBody": body(e.Fields, input),
		"responses": withErrors(obj{"200": success("the walker's result and reports", payload(e, "walker"))},
			"401", "413", "422", "429", "500", "504", "507"),
	}
	if h := b.o.SignatureHeader; h != "" {
		ts := "X-Webhook-Timestamp is required"
		if b.o.OptionalTimestamp {
			ts = "X-Webhook-Timestamp is optional; without it the message is the raw body alone"
		}
		op["description"] = op["description"].(string) + " " + h + " is hex(HMAC-SHA256(key = the API key, " +
			"message = X-Webhook-Timestamp + \".\" + the raw body)), a sha256= prefix allowed; " + ts +
			". A signature already accepted within the replay window is refused with 409 CONFLICT."
		op["parameters"] = []any{
			obj{"name": h, "in": "header", "required": true, "schema": obj{"type": "string"},
				"description": "hex HMAC-SHA256 of \"{timestamp}.{body}\", keyed with the API key"},
			obj{"name": "X-Webhook-Timestamp", "in": "header", "required": !b.o.OptionalTimestamp, "schema": obj{"type": "string"},
				"description": "Unix seconds, signed with the body; must be within the replay window"},
		}
		op["responses"] = withErrors(op["responses"].(obj), "409")
	}
	return op
}

// nodeID is the schema of a node id: 32 lowercase hex digits.
var nodeID = obj{"type": "string", "pattern": "^[0-9a-f]{32}$"}

var accessNote = map[string]string{
	abi.AccessPublic:    "Public: no token needed. With a valid token it runs on the caller's root, without one on the shared guest root.",
	abi.AccessProtected: "Protected: needs a Bearer token; runs on the caller's root.",
}

// body is the JSON request body of an entry's fields, required when a
// field is (an empty body otherwise reads the fields from the query).
func body(fields []abi.Field, input string) obj {
	rb := obj{"content": jsonContent(ref(input))}
	for _, f := range fields {
		if f.Required {
			rb["required"] = true
			break
		}
	}
	return rb
}

// queryParams are the fields of a GET entry as query parameters: lists
// and objects as JSON text, anything else as its plain text.
func queryParams(fields []abi.Field) []any {
	params := make([]any, 0, len(fields))
	for _, f := range fields {
		p := obj{"name": f.Name, "in": "query"}
		if f.Required {
			p["required"] = true
		}
		s := storedSchema(f, false)
		if f.Default != nil {
			s["default"] = f.Default
		}
		switch f.Type {
		case abi.TypeList, abi.TypeObject:
			p["content"] = jsonContent(s)
		case abi.TypeAnyVal:
			s["type"] = "string"
			p["schema"] = s
		default:
			p["schema"] = s
		}
		params = append(params, p)
	}
	return params
}

// payload is the data of a successful call: the walker's fields after the
// run (a function's return value) as result, the reports, and warnings.
func payload(e *abi.Entry, what string) obj {
	result := obj{}
	if what == "walker" {
		result = objectSchema(e.Fields, func(f abi.Field) obj { return storedSchema(f, true) })
		delete(result, "required")
		result["description"] = "the walker's fields after the run"
	} else if e.Returns != "" {
		result = typeSchema(e.Returns, true)
	}
	return obj{
		"type": "object", "required": []any{"result", "reports"},
		"properties": obj{
			"result":   result,
			"reports":  obj{"type": "array", "items": obj{}, "description": "each value reported, in order; nodes and edges as {_jac_type, _jac_id, _jac_archetype, ...fields}"},
			"warnings": obj{"type": "array", "items": ref("Warning")},
		},
	}
}
