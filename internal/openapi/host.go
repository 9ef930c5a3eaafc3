package openapi

import (
	"regexp"
	"strings"
)

// hostRoute describes one of the host's own endpoints: from hostOps when
// the package knows it, else generically from its method, path and auth.
func (b *builder) hostRoute(r Route) {
	key := r.Method + " " + r.Path
	if mk, ok := hostOps[key]; ok {
		op := mk()
		if _, set := op["security"]; !set {
			op["security"] = security(r.Auth)
		}
		b.add(r.Method, r.Path, op)
		return
	}
	op := obj{
		"operationId": genericID(r.Method, r.Path),
		"tags":        []any{tagOperations},
		"summary":     r.Method + " " + r.Path,
		"security":    security(r.Auth),
		"responses":   withErrors(obj{"200": obj{"description": "success"}}),
	}
	if params := pathParams(r.Path); len(params) > 0 {
		op["parameters"] = params
	}
	b.add(r.Method, r.Path, op)
}

var paramRE = regexp.MustCompile(`\{([^}]+)\}`)

func pathParams(path string) []any {
	var params []any
	for _, m := range paramRE.FindAllStringSubmatch(path, -1) {
		params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": obj{"type": "string"}})
	}
	return params
}

func genericID(method, path string) string {
	id := strings.ToLower(method) + strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(path)
	return id
}

// hostOps are the operations of the host's known endpoints, by
// "METHOD PATH" as the server registers them.
var hostOps = map[string]func() obj{
	"GET /healthz": func() obj {
		return op("healthz", tagOperations, "Liveness", "Answers while the process serves requests.",
			withErrors(obj{"200": success("alive", obj{"type": "object", "required": []any{"status"},
				"properties": obj{"status": obj{"const": "ok"}}})}))
	},
	"GET /readyz": func() obj {
		checks := obj{"type": "object", "additionalProperties": obj{"type": "string"},
			"description": "each check's result by name: ok, or its error"}
		return op("readyz", tagOperations, "Readiness", "Answers 200 when the module is loaded and the stores answer.",
			withErrors(obj{"200": success("ready", obj{"type": "object", "required": []any{"status", "checks"},
				"properties": obj{"status": obj{"const": "ready"}, "checks": checks}})}, "503"))
	},
	"GET /metrics": func() obj {
		return op("metrics", tagOperations, "Prometheus metrics", "The text exposition format, not the envelope.",
			obj{"200": obj{"description": "metrics", "content": obj{"text/plain": obj{"schema": obj{"type": "string"}}}}})
	},
	"POST /user/register": func() obj {
		o := op("user_register", tagUser, "Register a new user", "Creates the user and its root node and returns a token.",
			withErrors(obj{"201": success("registered", ref("UserToken"))}, "400", "503"))
		o["requestBody"] = jsonBody(ref("Credentials"))
		return o
	},
	"POST /user/login": func() obj {
		o := op("user_login", tagUser, "Log in", "Returns a new token for the user.",
			withErrors(obj{"200": success("logged in", ref("Login"))}, "400", "401", "429", "503"))
		o["requestBody"] = jsonBody(ref("Credentials"))
		return o
	},
	"POST /user/token": func() obj {
		o := op("user_token", tagUser, "OAuth2 password flow",
			"Form fields username and password in; on success a bare {access_token, token_type} (not the envelope), "+
				"as OAuth2 clients and the Authorize button of /docs expect.",
			withErrors(obj{"200": obj{"description": "a token", "content": jsonContent(ref("OAuth2Token"))}}, "401", "429", "503"))
		o["requestBody"] = obj{"required": true, "content": obj{"application/x-www-form-urlencoded": obj{"schema": obj{
			"type": "object", "required": []any{"username", "password"},
			"properties": obj{
				"username":   obj{"type": "string"},
				"password":   obj{"type": "string", "format": "password"},
				"grant_type": obj{"type": "string", "const": "password"},
				"scope":      obj{"type": "string"},
			},
		}}}}
		return o
	},
	"POST /user/refresh-token": func() obj {
		o := op("user_refresh_token", tagUser, "Refresh JWT token", "Trades a valid token for a new one with a fresh expiry.",
			withErrors(obj{"200": success("a new token", obj{"type": "object", "required": []any{"token", "message"},
				"properties": obj{"token": obj{"type": "string"}, "message": obj{"type": "string"}}})}, "400", "401"))
		o["requestBody"] = jsonBody(obj{"type": "object", "required": []any{"token"},
			"properties": obj{"token": obj{"type": "string", "description": "a token; a Bearer prefix is allowed"}}})
		return o
	},
	"PUT /user/username": func() obj {
		o := op("user_change_username", tagUser, "Update username",
			"Renames the caller; the root stays the same. Tokens for the old name stop working: use the returned one.",
			withErrors(obj{"200": success("renamed", ref("UserToken"))}, "400", "401", "403"))
		o["requestBody"] = jsonBody(obj{"type": "object", "required": []any{"current_username", "new_username"},
			"properties": obj{"current_username": obj{"type": "string"}, "new_username": obj{"type": "string"}}})
		return o
	},
	"PUT /user/password": func() obj {
		o := op("user_change_password", tagUser, "Update password",
			"Checks the current password, then sets the new one. Every token issued to the user before, "+
				"this request's included, stops working on every host: use the returned one.",
			withErrors(obj{"200": success("changed", obj{"type": "object", "required": []any{"username", "token", "message"},
				"properties": obj{"username": obj{"type": "string"}, "token": obj{"type": "string"}, "message": obj{"type": "string"}}})},
				"400", "401", "403", "429", "503"))
		o["requestBody"] = jsonBody(obj{"type": "object", "required": []any{"username", "current_password", "new_password"},
			"properties": obj{"username": obj{"type": "string"}, "current_password": obj{"type": "string", "format": "password"},
				"new_password": obj{"type": "string", "format": "password"}}})
		return o
	},
	"POST /user/logout-all": func() obj {
		return op("user_logout_all", tagUser, "Sign out everywhere",
			"Ends every token issued to the caller so far, this request's included, on every host. Log in again for a new one.",
			withErrors(obj{"200": success("signed out", obj{"type": "object", "required": []any{"username", "message"},
				"properties": obj{"username": obj{"type": "string"}, "message": obj{"type": "string"}}})}, "401"))
	},
	"POST /api-key/create": func() obj {
		o := op("api_key_create", tagAPIKeys, "Create an API key",
			"The key itself is in this answer only. expiry_days omitted: the configured default; 0: never expires.",
			withErrors(obj{"201": success("created", ref("APIKeyCreated"))}, "400", "401", "429"))
		o["requestBody"] = jsonBody(obj{"type": "object", "required": []any{"name"},
			"properties": obj{"name": obj{"type": "string", "minLength": 1, "maxLength": 256},
				"expiry_days": obj{"type": []any{"integer", "null"}, "minimum": 0, "maximum": 36500}}})
		return o
	},
	"GET /api-key/list": func() obj {
		return op("api_key_list", tagAPIKeys, "List your API keys", "",
			withErrors(obj{"200": success("the caller's keys", obj{"type": "object", "required": []any{"api_keys"},
				"properties": obj{"api_keys": obj{"type": "array", "items": ref("APIKey")}}})}, "401"))
	},
	"DELETE /api-key/{api_key_id}": func() obj {
		o := op("api_key_revoke", tagAPIKeys, "Revoke an API key", "A revoked key stays revoked.",
			withErrors(obj{"200": success("revoked", obj{"type": "object", "required": []any{"api_key_id", "message"},
				"properties": obj{"api_key_id": obj{"type": "string"}, "message": obj{"type": "string"}}})}, "401", "403", "404"))
		o["parameters"] = pathParams("{api_key_id}")
		return o
	},
	"GET /sso/{platform}/{action}": func() obj {
		o := op("sso_start", tagSSO, "Start SSO", "Redirects to the provider's sign-in page; 400 for an unknown platform or operation.",
			withErrors(obj{"302": obj{"description": "redirect to the provider"}}, "400", "501"))
		o["parameters"] = ssoParams()
		return o
	},
	"GET /sso/{platform}/{action}/callback": func() obj {
		o := op("sso_callback", tagSSO, "SSO callback",
			"Where the provider redirects back. login signs in a registered e-mail (200; 404 \"user not found\" otherwise); "+
				"register creates a new account (201; 400 \"user already exists\" otherwise).",
			withErrors(obj{"200": success("logged in", ssoUser()), "201": success("registered", ssoUser())}, "400", "401", "404", "501"))
		o["parameters"] = append(ssoParams(),
			obj{"name": "code", "in": "query", "schema": obj{"type": "string"}},
			obj{"name": "state", "in": "query", "schema": obj{"type": "string"}})
		return o
	},
	"GET /traverse": func() obj {
		o := op("traverse_get", tagGraph, "Traverse the graph", traverseNote, traverseResponses())
		o["parameters"] = []any{
			obj{"name": "source", "in": "query", "schema": obj{"type": "string"}, "description": "a node or edge id; the caller's root when omitted"},
			obj{"name": "depth", "in": "query", "schema": obj{"type": "integer", "default": 1}},
			obj{"name": "detailed", "in": "query", "schema": obj{"type": "boolean", "default": false}},
			obj{"name": "node_types", "in": "query", "schema": obj{"type": "array", "items": obj{"type": "string"}}, "style": "form", "explode": false},
			obj{"name": "edge_types", "in": "query", "schema": obj{"type": "array", "items": obj{"type": "string"}}, "style": "form", "explode": false},
		}
		return o
	},
	"POST /traverse": func() obj {
		o := op("traverse_post", tagGraph, "Traverse the graph", traverseNote, traverseResponses())
		o["requestBody"] = obj{"content": jsonContent(obj{"type": "object", "properties": obj{
			"source":     obj{"type": "string", "description": "a node or edge id; the caller's root when omitted"},
			"depth":      obj{"type": []any{"integer", "null"}, "default": 1},
			"detailed":   obj{"type": "boolean", "default": false},
			"node_types": obj{"type": []any{"array", "null"}, "items": obj{"type": "string"}},
			"edge_types": obj{"type": []any{"array", "null"}, "items": obj{"type": "string"}},
		}})}
		return o
	},
}

const traverseNote = "The nodes within depth hops of source along outgoing edges, and the edges between them, " +
	"as far as the caller may READ. Depth and size are capped; truncated names the cap reached."

func traverseResponses() obj {
	return withErrors(obj{"200": success("the subgraph", ref("Subgraph"))}, "401", "403", "404", "422")
}

// ssoUser is the answer of an SSO callback: the e-mail and a token, as in
// jac-scale, with the username and root id of the host's other answers.
func ssoUser() obj {
	return obj{"type": "object", "required": []any{"email", "username", "token", "root_id"},
		"properties": obj{"email": obj{"type": "string"}, "username": obj{"type": "string"},
			"token": obj{"type": "string"}, "root_id": obj{"type": "string"}}}
}

func ssoParams() []any {
	return []any{
		obj{"name": "platform", "in": "path", "required": true, "schema": obj{"type": "string"}, "example": "google"},
		obj{"name": "action", "in": "path", "required": true, "schema": obj{"type": "string", "enum": []any{"login", "register"}}},
	}
}

func op(id, tag, summary, desc string, responses obj) obj {
	o := obj{"operationId": id, "tags": []any{tag}, "summary": summary, "responses": responses}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func jsonBody(schema obj) obj {
	return obj{"required": true, "content": jsonContent(schema)}
}

// hostSchemas are the bodies of the host's known endpoints.
func hostSchemas() obj {
	str := obj{"type": "string"}
	username := obj{"type": "string", "minLength": 1, "maxLength": 256}
	password := obj{"type": "string", "format": "password", "minLength": 1, "maxLength": 72, "description": "at most 72 bytes"}
	userToken := obj{"username": str, "token": str, "root_id": str}
	login := obj{"access_token": str, "token_type": obj{"const": "bearer"}}
	for k, v := range userToken {
		login[k] = v
	}
	key := obj{"api_key_id": str, "name": str, "created_at": obj{"type": "string", "format": "date-time"},
		"expires_at": obj{"type": []any{"string", "null"}, "format": "date-time", "description": "null: never expires"}}
	created := obj{"api_key": obj{"type": "string", "description": "shown only here"}}
	for k, v := range key {
		created[k] = v
	}
	listed := obj{"active": obj{"type": "boolean"}}
	for k, v := range key {
		listed[k] = v
	}
	fields := obj{"type": "object", "description": "with detailed: the object's fields"}
	return obj{
		"Credentials": obj{"type": "object", "required": []any{"password"},
			"description": "username, or email in its place, and password",
			"properties":  obj{"username": username, "email": username, "password": password}},
		"UserToken": obj{"type": "object", "required": []any{"username", "token", "root_id"}, "properties": userToken},
		"Login": obj{"type": "object", "required": []any{"username", "token", "root_id", "access_token", "token_type"},
			"properties": login},
		"OAuth2Token": obj{"type": "object", "required": []any{"access_token", "token_type"},
			"properties": obj{"access_token": str, "token_type": obj{"const": "bearer"}}},
		"APIKeyCreated": obj{"type": "object", "required": []any{"api_key", "api_key_id", "name", "created_at", "expires_at"},
			"properties": created},
		"APIKey": obj{"type": "object", "required": []any{"api_key_id", "name", "created_at", "expires_at", "active"},
			"properties": listed},
		"Subgraph": obj{
			"type": "object", "required": []any{"nodes", "edges"},
			"properties": obj{
				"nodes": obj{"type": "array", "items": obj{"type": "object", "required": []any{"id", "type", "edges"},
					"properties": obj{"id": str, "type": str, "edges": obj{"type": "array", "items": str}, "fields": fields}}},
				"edges": obj{"type": "array", "items": obj{"type": "object", "required": []any{"id", "type", "source", "target"},
					"properties": obj{"id": str, "type": str, "source": str, "target": str, "fields": fields}}},
				"truncated": obj{"type": "string", "enum": []any{"max_depth", "max_nodes"}, "description": "the cap reached, if any"},
			},
		},
	}
}
