package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/fields"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/web"
)

// entryHandler serves one walker or function: authenticate with auth,
// validate the fields, run the module in a graph transaction, commit,
// answer. A walker streams its reports as Server-Sent Events when the
// client accepts text/event-stream (sse.go).
func (s *Server) entryHandler(e *abi.Entry, kind byte, auth func(*fasthttp.RequestCtx) (graph.ID, error)) web.Handler {
	streams := kind == abi.KindWalker
	counters := s.metrics.Walker(s.mod.Name, e.Name)
	return func(ctx *fasthttp.RequestCtx) error {
		root, err := auth(ctx)
		if err != nil {
			return err
		}
		buf := web.GetBuf()
		req, tx, err := s.prepare(ctx, e, kind, root, (*buf)[:0])
		if err != nil {
			web.PutBuf(buf)
			return err
		}
		if streams && wantsEvents(ctx) {
			s.streamEvents(ctx, counters, req, tx, buf)
			return nil
		}
		defer web.PutBuf(buf)
		out, err := s.run(ctx, counters, req, req.Fields[len(req.Fields):])
		if err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return internalErr{err}
		}
		web.Respond(ctx, fasthttp.StatusOK, out)
		*buf = out[:0]
		return nil
	}
}

// prepare validates the fields into dst and begins the run's transaction.
func (s *Server) prepare(ctx *fasthttp.RequestCtx, e *abi.Entry, kind byte, root graph.ID, dst []byte) (*sandbox.Request, *graph.Tx, error) {
	input, uploads, err := s.fields(ctx, e, dst)
	if err != nil {
		return nil, nil, err
	}
	req := &sandbox.Request{Kind: kind, Name: e.Name, App: s.app, Root: root, Fields: input, Uploads: uploads, ID: web.RequestID(ctx)}
	tx := s.graph.Begin(s.app, graph.Caller{Root: root})
	if err := spawnNode(ctx, tx, req); err != nil {
		tx.Rollback()
		return nil, nil, err
	}
	req.Tx = tx
	return req, tx, nil
}

// spawnNode sets req.Here from the {node_id} route parameter: an unknown id
// is a 404, a node the caller may not READ a 403.
func spawnNode(ctx *fasthttp.RequestCtx, tx *graph.Tx, req *sandbox.Request) error {
	raw, _ := ctx.UserValue("node_id").(string)
	if raw == "" {
		return nil
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
		return err
	}
	req.Here = id
	return nil
}

// fields decodes the request's input (the JSON body, a multipart/form-data
// body with its files, or the query string for GET and for an empty body)
// and appends its validated encoding to dst. Invalid input is a 422.
func (s *Server) fields(ctx *fasthttp.RequestCtx, e *abi.Entry, dst []byte) ([]byte, []sandbox.Upload, error) {
	if isMultipart(ctx) {
		input, uploads, bad := formInput(ctx)
		if bad != nil {
			return dst, nil, invalidFields("request body is not valid multipart/form-data", []fields.Error{*bad})
		}
		out, errs := fields.EncodeForm(dst, e.Fields, input)
		return out, uploads, fieldErrors(errs)
	}
	input, where, bad := decodeInput(ctx)
	if bad != nil {
		return dst, nil, invalidFields("request body is not a JSON object", []fields.Error{*bad})
	}
	out, errs := fields.Encode(dst, e.Fields, input, where)
	return out, nil, fieldErrors(errs)
}

// fieldErrors is the 422 of errs, nil when there are none.
func fieldErrors(errs []fields.Error) error {
	if errs != nil {
		return invalidFields("request fields are invalid", errs)
	}
	return nil
}

// invalidFields is a 422 VALIDATION_ERROR listing what is wrong.
func invalidFields(msg string, errs []fields.Error) *web.Error {
	return web.NewError(fasthttp.StatusUnprocessableEntity, CodeValidation, msg, errs)
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
