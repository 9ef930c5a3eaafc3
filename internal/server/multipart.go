package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/fields"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// isMultipart reports whether the request body is multipart/form-data.
func isMultipart(ctx *fasthttp.RequestCtx) bool {
	mt, _, err := mime.ParseMediaType(string(ctx.Request.Header.ContentType()))
	return err == nil && mt == "multipart/form-data"
}

// formInput reads a multipart/form-data body (already in memory, within
// limits.max_body_bytes): each form field's first value as a string, each
// file part as a fields.File whose bytes become the upload with its id.
// A name given twice keeps its first part.
func formInput(ctx *fasthttp.RequestCtx) (map[string]any, []sandbox.Upload, *fields.Error) {
	_, params, _ := mime.ParseMediaType(string(ctx.Request.Header.ContentType()))
	if params["boundary"] == "" {
		return nil, nil, formError(errors.New("no boundary in Content-Type"))
	}
	r := multipart.NewReader(bytes.NewReader(ctx.PostBody()), params["boundary"])
	input := map[string]any{}
	var uploads []sandbox.Upload
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return input, uploads, nil
		}
		if err != nil {
			return nil, nil, formError(err)
		}
		name := part.FormName()
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, formError(err)
		}
		if _, seen := input[name]; seen || name == "" {
			continue
		}
		if part.FileName() == "" {
			input[name] = string(data)
			continue
		}
		uploads = append(uploads, sandbox.Upload{Name: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data})
		input[name] = fields.File{ID: int64(len(uploads)), Name: part.FileName(),
			ContentType: part.Header.Get("Content-Type"), Size: int64(len(data))}
	}
}

func formError(err error) *fields.Error {
	return &fields.Error{Loc: []any{"body"}, Type: "value_error", Msg: "multipart/form-data body is malformed: " + err.Error()}
}
