package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/fields"
	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/sandbox"
)

// entryHandler serves one walker or function: authenticate with auth (which
// answers the refusal itself), validate the fields, run the module in a
// graph transaction, commit, answer. A walker streams its reports as
// Server-Sent Events when the client accepts text/event-stream (sse.go).
func (s *Server) entryHandler(e *abi.Entry, kind byte, auth func(*fasthttp.RequestCtx) (graph.ID, bool)) fasthttp.RequestHandler {
	streams := kind == abi.KindWalker
	counters := s.metrics.Walker(s.mod.Name, e.Name)
	return func(ctx *fasthttp.RequestCtx) {
		root, ok := auth(ctx)
		if !ok {
			return
		}
		buf := getBuf()
		req, tx, ok := s.prepare(ctx, e, kind, root, (*buf)[:0])
		if !ok {
			putBuf(buf)
			return
		}
		if streams && wantsEvents(ctx) {
			s.streamEvents(ctx, counters, req, tx, buf)
			return
		}
		defer putBuf(buf)
		out, err := s.run(ctx, counters, req, req.Fields[len(req.Fields):])
		if err != nil {
			tx.Rollback()
			s.failErr(ctx, err)
			return
		}
		if err := tx.Commit(); err != nil {
			s.internal(ctx, err)
			return
		}
		respond(ctx, fasthttp.StatusOK, out)
		*buf = out[:0]
	}
}

// prepare validates the fields into dst and begins the run's transaction,
// answering the client itself and returning false when it cannot run.
func (s *Server) prepare(ctx *fasthttp.RequestCtx, e *abi.Entry, kind byte, root graph.ID, dst []byte) (*sandbox.Request, *graph.Tx, bool) {
	input, uploads, ok := s.fields(ctx, e, dst)
	if !ok {
		return nil, nil, false
	}
	req := &sandbox.Request{Kind: kind, Name: e.Name, App: s.app, Root: root, Fields: input, Uploads: uploads, ID: requestID(ctx)}
	tx := s.graph.Begin(s.app, graph.Caller{Root: root})
	if !s.spawnNode(ctx, tx, req) {
		tx.Rollback()
		return nil, nil, false
	}
	req.Tx = tx
	return req, tx, true
}

// spawnNode sets req.Here from the {node_id} route parameter, answering 404
// for an unknown id and 403 when the caller may not READ the node.
func (s *Server) spawnNode(ctx *fasthttp.RequestCtx, tx *graph.Tx, req *sandbox.Request) bool {
	raw, _ := ctx.UserValue("node_id").(string)
	if raw == "" {
		return true
	}
	id, err := graph.ParseID(raw)
	if err == nil {
		var obj *graph.Object
		if obj, err = tx.Get(id); err == nil && !obj.IsNode() {
			err = graph.ErrNotFound
		}
	}
	if err != nil {
		if !errors.Is(err, graph.ErrDenied) {
			err = &clientErr{graph.ErrNotFound, "node " + raw + " not found"}
		}
		s.failErr(ctx, err)
		return false
	}
	req.Here = id
	return true
}

// fields decodes the request's input (the JSON body, a multipart/form-data
// body with its files, or the query string for GET and for an empty body)
// and appends its validated encoding to dst. It answers 422 and returns
// false on invalid input.
func (s *Server) fields(ctx *fasthttp.RequestCtx, e *abi.Entry, dst []byte) ([]byte, []sandbox.Upload, bool) {
	if isMultipart(ctx) {
		input, uploads, err := formInput(ctx)
		if err != nil {
			fail(ctx, fasthttp.StatusUnprocessableEntity, CodeValidation, "request body is not valid multipart/form-data", []fields.Error{*err})
			return dst, nil, false
		}
		out, errs := fields.EncodeForm(dst, e.Fields, input)
		return out, uploads, s.fieldErrors(ctx, errs)
	}
	input, where, err := decodeInput(ctx)
	if err != nil {
		fail(ctx, fasthttp.StatusUnprocessableEntity, CodeValidation, "request body is not a JSON object", []fields.Error{*err})
		return dst, nil, false
	}
	out, errs := fields.Encode(dst, e.Fields, input, where)
	return out, nil, s.fieldErrors(ctx, errs)
}

// fieldErrors answers 422 with errs, if any, and reports whether there
// were none.
func (s *Server) fieldErrors(ctx *fasthttp.RequestCtx, errs []fields.Error) bool {
	if errs != nil {
		fail(ctx, fasthttp.StatusUnprocessableEntity, CodeValidation, "request fields are invalid", errs)
		return false
	}
	return true
}

func decodeInput(ctx *fasthttp.RequestCtx) (map[string]any, string, *fields.Error) {
	body := ctx.PostBody()
	if len(bytes.TrimSpace(body)) == 0 {
		args := ctx.QueryArgs()
		q := make(map[string]any, args.Len())
		for k, v := range args.All() {
			kv := string(k) + string(v) // one allocation for both
			q[kv[:len(k)]] = kv[len(k):]
		}
		if len(q) == 0 && !ctx.IsGet() {
			return q, "body", nil // an empty body, not a query, is what lacks the fields
		}
		return q, "query", nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, "", &fields.Error{Loc: []any{"body", syntaxOffset(err, len(body))}, Type: "json_invalid", Msg: "JSON decode error"}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "", &fields.Error{Loc: []any{"body", dec.InputOffset()}, Type: "json_invalid", Msg: "JSON decode error: trailing data"}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, "", &fields.Error{Loc: []any{"body"}, Type: "model_attributes_type",
			Msg: "Input should be a valid dictionary or object to extract fields from"}
	}
	return m, "body", nil
}

// syntaxOffset is where JSON decoding failed: the syntax error's offset, or
// the end of the body when it ended early.
func syntaxOffset(err error, n int) int64 {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Offset
	}
	return int64(n)
}
