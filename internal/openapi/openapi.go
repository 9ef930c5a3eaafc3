// Package openapi derives the OpenAPI 3.1 document of a walker host from the
// manifest of the module it serves and the host's own endpoints, so that
// /openapi.json, /docs and /redoc always describe what the server routes.
// See docs/OPENAPI.md for how each declaration maps to the document.
package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
)

// Version is the OpenAPI version of the documents Build returns.
const Version = "3.1.0"

// Route is one of the host's own endpoints (not a walker, function or
// webhook), with Auth "public", "protected" or "api_key" as in the route
// table.
type Route struct {
	Method, Path, Auth string
}

// Options describe the host around the module.
type Options struct {
	// Title is info.title; the module's name, "walkerhost" when empty.
	Title string
	// Version is info.version; "0.1.0" when empty.
	Version string
	// Routes are the host's own endpoints, in any order. Those the package
	// knows (identity, API keys, SSO, traverse, health) get their full
	// description; any other gets a generic one, so the document never
	// misses a served path.
	Routes []Route
	// Webhooks is whether webhook walkers are served (/webhook/NAME).
	Webhooks bool
	// SignatureHeader names the webhook signature header; empty means the
	// signature is not checked and the header is not documented.
	SignatureHeader string
	// OptionalTimestamp documents X-Webhook-Timestamp as optional
	// (webhook.require_timestamp = false); it is required otherwise.
	OptionalTimestamp bool
}

// Document is an OpenAPI document as nested maps and slices; encoding/json
// writes map keys sorted, so its encoding is deterministic.
type Document = map[string]any

type obj = map[string]any

// Build returns the OpenAPI document of a host serving m. It is a pure
// function of its arguments; m must have passed manifest.Parse.
func Build(m *abi.Manifest, o Options) Document {
	b := &builder{paths: obj{}, schemas: baseSchemas(), o: o}
	for _, r := range o.Routes {
		b.hostRoute(r)
	}
	for i := range m.Walkers {
		b.entry(&m.Walkers[i], abi.KindWalker)
	}
	for i := range m.Functions {
		b.entry(&m.Functions[i], abi.KindFunction)
	}
	b.types("node", m.Nodes)
	b.types("edge", m.Edges)
	return obj{
		"openapi": Version,
		"info": obj{
			"title":   orDefault(o.Title, "walkerhost"),
			"version": orDefault(o.Version, "0.1.0"),
			"description": "Walkers, functions and webhooks of module " + orDefault(o.Title, "walkerhost") +
				" (SDK " + orDefault(m.SDK, "unknown") + "), and the host's account, API-key, SSO and graph endpoints. " +
				"Every JSON answer except POST /user/token is an envelope " +
				"{ok, type, data, error, meta}; meta.extra.http_status equals the HTTP status.",
		},
		"paths": b.paths,
		"tags":  tags(),
		"components": obj{
			"schemas":         b.schemas,
			"responses":       errorResponses(),
			"securitySchemes": securitySchemes(),
		},
	}
}

// JSON returns Build's document as indented JSON with a final newline.
func JSON(m *abi.Manifest, o Options) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Build(m, o)); err != nil {
		return nil, fmt.Errorf("openapi: encode: %w", err)
	}
	return buf.Bytes(), nil
}

type builder struct {
	paths, schemas obj
	o              Options
}

// add puts an operation at method and path, keeping other methods there.
func (b *builder) add(method, path string, op obj) {
	item, _ := b.paths[path].(obj)
	if item == nil {
		item = obj{}
		b.paths[path] = item
	}
	item[strings.ToLower(method)] = op
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Tags group the operations as jac-scale's FastAPI document does.
const (
	tagWalkers    = "Walker APIs"
	tagFunctions  = "Function APIs"
	tagWebhooks   = "Webhook APIs"
	tagUser       = "User APIs"
	tagAPIKeys    = "API Key APIs"
	tagSSO        = "SSO APIs"
	tagGraph      = "Graph APIs"
	tagOperations = "Operations"
)

func tags() []any {
	return []any{
		obj{"name": tagWalkers, "description": "Walkers of the module: spawned on the caller's root, or on a node they may READ"},
		obj{"name": tagFunctions, "description": "Functions of the module"},
		obj{"name": tagWebhooks, "description": "Webhook walkers: an X-API-Key and, when enabled, an HMAC-SHA256 signature of the body"},
		obj{"name": tagUser, "description": "Accounts and JWTs"},
		obj{"name": tagAPIKeys, "description": "API keys for webhooks"},
		obj{"name": tagSSO, "description": "Sign-in through an OAuth2/OIDC provider"},
		obj{"name": tagGraph, "description": "The caller's graph"},
		obj{"name": tagOperations, "description": "Health and other host endpoints"},
	}
}

// Security scheme names.
const (
	schemeBearer = "bearerAuth"
	schemeOAuth2 = "oauth2Password"
	schemeAPIKey = "apiKeyHeader"
)

func securitySchemes() obj {
	return obj{
		schemeBearer: obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
			"description": "The token from /user/register, /user/login or /user/token"},
		schemeOAuth2: obj{"type": "oauth2", "description": "Username and password, exchanged for a JWT at /user/token",
			"flows": obj{"password": obj{"tokenUrl": "/user/token", "scopes": obj{}}}},
		schemeAPIKey: obj{"type": "apiKey", "in": "header", "name": "X-API-Key",
			"description": "An API key from /api-key/create; for webhooks"},
	}
}

// security returns an operation's security requirements for auth.
func security(auth string) []any {
	token := []any{obj{schemeBearer: []any{}}, obj{schemeOAuth2: []any{}}}
	switch auth {
	case abi.AccessPublic:
		return append([]any{obj{}}, token...) // a token is optional: with one, the call runs as that user
	case "api_key":
		return []any{obj{schemeAPIKey: []any{}}}
	}
	return token
}
