package openapi

import "github.com/walkerhost/walkerhost/abi"

// Schemas of the response envelope (docs/API.md "Envelope"), shared by every
// operation.

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func respRef(name string) obj { return obj{"$ref": "#/components/responses/" + name} }

func baseSchemas() obj {
	s := hostSchemas()
	for k, v := range envelopeSchemas() {
		s[k] = v
	}
	return s
}

func envelopeSchemas() obj {
	return obj{
		"Meta": obj{
			"type": "object", "required": []any{"extra", "request_id"},
			"properties": obj{
				"extra": obj{"type": "object", "required": []any{"http_status"},
					"properties": obj{"http_status": obj{"type": "integer", "description": "equals the HTTP status"}}},
				"request_id": obj{"type": "string", "description": "also the X-Request-ID response header"},
			},
		},
		"Error": obj{
			"type": "object", "required": []any{"code", "message"},
			"properties": obj{
				"code": obj{"type": "string", "description": "VALIDATION_ERROR, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, USER_EXISTS, " +
					"EXECUTION_ERROR, LIMIT_EXCEEDED, METHOD_NOT_ALLOWED, SSO_NOT_CONFIGURED, INTERNAL_ERROR (docs/ERRORS.md)"},
				"message": obj{"type": "string"},
				"details": obj{"description": "more about the error when there is more: the list of validation issues, the limit reached"},
			},
		},
		"ErrorEnvelope": obj{
			"type": "object", "required": []any{"ok", "type", "data", "error", "meta"},
			"properties": obj{
				"ok": obj{"const": false}, "type": obj{"const": "error"}, "data": obj{"type": "null"},
				"error": ref("Error"), "meta": ref("Meta"),
				"detail": obj{"type": "array", "items": ref("ValidationIssue"),
					"description": "the validation issues again, for clients written against FastAPI"},
			},
		},
		"ValidationIssue": obj{
			"type": "object", "required": []any{"loc", "type", "msg"},
			"properties": obj{
				"loc":  obj{"type": "array", "items": obj{"type": []any{"string", "integer"}}, "description": `where: ["body", "title"], ["query", "n"]`},
				"type": obj{"type": "string", "description": "missing, string_type, int_type, json_invalid, ..."},
				"msg":  obj{"type": "string"},
			},
		},
		"ValidationErrorEnvelope": obj{
			"allOf": []any{ref("ErrorEnvelope"), obj{
				"type": "object", "required": []any{"detail"},
				"properties": obj{"error": obj{"type": "object", "required": []any{"details"},
					"properties": obj{"code": obj{"const": "VALIDATION_ERROR"}, "details": obj{"type": "array", "items": ref("ValidationIssue")}}}},
			}},
		},
		"Warning": obj{
			"type": "object", "required": []any{"code", "op"},
			"description": "a graph operation the host refused and the walker did not handle",
			"properties":  obj{"code": obj{"const": "PERMISSION_DENIED"}, "op": obj{"type": "string"}, "node": obj{"type": "string"}},
		},
	}
}

// envelope is the success envelope around data.
func envelope(data obj) obj {
	return obj{
		"type": "object", "required": []any{"ok", "type", "data", "error", "meta"},
		"properties": obj{
			"ok": obj{"const": true}, "type": obj{"const": "response"}, "data": data,
			"error": obj{"type": "null"}, "meta": ref("Meta"),
		},
	}
}

// jsonContent is a JSON response or body with schema.
func jsonContent(schema obj) obj {
	return obj{"application/json": obj{"schema": schema}}
}

// success is a response with the envelope around data.
func success(desc string, data obj) obj {
	return obj{"description": desc, "content": jsonContent(envelope(data))}
}

// errorResponses are the shared error responses, by status.
func errorResponses() obj {
	r := obj{}
	for status, desc := range errorStatus {
		r[responseName(status)] = obj{"description": desc, "content": jsonContent(ref("ErrorEnvelope"))}
	}
	r[responseName("422")] = obj{"description": errorStatus["422"], "content": jsonContent(ref("ValidationErrorEnvelope"))}
	return r
}

var errorStatus = map[string]string{
	"400": "VALIDATION_ERROR or USER_EXISTS: the body is malformed or a field is empty",
	"401": "UNAUTHORIZED: no valid credentials",
	"403": "FORBIDDEN: the caller may not do this",
	"404": "NOT_FOUND",
	"409": "CONFLICT: a webhook signature already accepted within the replay window (a replay)",
	"413": "LIMIT_EXCEEDED: the request body is over limits.max_body_bytes",
	"422": "VALIDATION_ERROR: a field is missing or has the wrong type; error.details and detail list each issue",
	"429": "LIMIT_EXCEEDED: every instance of the module stayed busy for the whole time limit, too many failed logins " +
		"(Retry-After says when to try again), or the API key cap; error.details.limit names the limit",
	"500": "EXECUTION_ERROR: the walker returned an error, panicked or trapped (or INTERNAL_ERROR)",
	"501": "SSO_NOT_CONFIGURED",
	"503": "NOT_READY: a readiness check failed; error.details.checks has each check's result " +
		"(or LIMIT_EXCEEDED password_hashing: too many password checks waiting; see Retry-After)",
	"504": "LIMIT_EXCEEDED: the walker ran past limits.request_timeout",
	"507": "LIMIT_EXCEEDED: the walker exhausted its memory, stack, report bytes, host calls or handles",
}

func responseName(status string) string { return "Error" + status }

// withErrors adds the shared error responses for statuses to responses,
// and the error envelope as the default for any other status.
func withErrors(responses obj, statuses ...string) obj {
	for _, s := range statuses {
		responses[s] = respRef(responseName(s))
	}
	responses["default"] = obj{"description": "any other error", "content": jsonContent(ref("ErrorEnvelope"))}
	return responses
}

// fieldSchema is the JSON Schema of a declared field as a request accepts
// it: a field that is not required also accepts null (its default then).
func fieldSchema(f abi.Field) obj {
	s := storedSchema(f, !f.Required)
	if f.Default != nil {
		s["default"] = f.Default
	}
	return s
}

// storedSchema is the schema of a field's value: its type, a list's items
// and its description.
func storedSchema(f abi.Field, nullable bool) obj {
	s := typeSchema(f.Type, nullable)
	if f.Type == abi.TypeList {
		s["items"] = typeSchema(f.Items, false) // {} for a list of any values
	}
	if f.Doc != "" {
		s["description"] = f.Doc
	}
	return s
}

// typeSchema is the schema of a field type, with null allowed if nullable.
func typeSchema(typ string, nullable bool) obj {
	name, ok := jsonTypes[typ]
	if !ok { // "any"
		return obj{}
	}
	if nullable {
		return obj{"type": []any{name, "null"}}
	}
	return obj{"type": name}
}

var jsonTypes = map[string]string{
	abi.TypeString: "string",
	abi.TypeInt:    "integer",
	abi.TypeFloat:  "number",
	abi.TypeBool:   "boolean",
	abi.TypeList:   "array",
	abi.TypeObject: "object",
}

// objectSchema is an object with the fields as properties.
func objectSchema(fields []abi.Field, prop func(abi.Field) obj) obj {
	props, required := obj{}, []any{}
	for _, f := range fields {
		props[f.Name] = prop(f)
		if f.Required {
			required = append(required, f.Name)
		}
	}
	s := obj{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// types adds a schema per node or edge type, as reports serialize them.
func (b *builder) types(kind string, decls []abi.TypeDecl) {
	for _, d := range decls {
		s := objectSchema(d.Fields, func(f abi.Field) obj { return storedSchema(f, true) })
		delete(s, "required")
		props := s["properties"].(obj)
		props["_jac_type"] = obj{"const": d.Name}
		props["_jac_id"] = obj{"type": "string"}
		props["_jac_archetype"] = obj{"const": kind}
		s["required"] = []any{"_jac_type", "_jac_id", "_jac_archetype"}
		s["description"] = "a reported " + kind + " of type " + d.Name
		b.schemas[kind+"."+d.Name] = s
	}
}
