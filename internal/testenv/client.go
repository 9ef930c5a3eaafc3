package testenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
)

// Response is a decoded envelope plus the raw status and body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	OK     bool            `json:"ok"`
	Data   json.RawMessage `json:"data"`
	Error  *struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Details json.RawMessage `json:"details"`
	} `json:"error"`
	Meta struct {
		Extra struct {
			HTTPStatus int `json:"http_status"`
		} `json:"extra"`
		RequestID string `json:"request_id"`
	} `json:"meta"`
}

// Part is a file part of a multipart/form-data request.
type Part struct {
	Field, FileName, ContentType string
	Data                         []byte
}

// DoMultipart sends a multipart/form-data POST with the form values and
// file parts, with an optional Bearer token, and decodes the envelope.
func DoMultipart(t testing.TB, url string, values map[string]string, parts []Part, token string) *Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range values {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.Field, p.FileName))
		h.Set("Content-Type", p.ContentType)
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pw.Write(p.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return DoRaw(t, "POST", url, w.FormDataContentType(), body.Bytes(), token)
}

// DoRaw sends body with the given Content-Type and decodes the envelope.
func DoRaw(t testing.TB, method, url, contentType string, body []byte, token string) *Response {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	r, err := send(req, token)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Do sends a request with an optional JSON body (a string or a value to
// marshal) and Bearer token, and decodes the envelope. It fails the test on
// transport errors or a body that is not an envelope.
func Do(t testing.TB, method, url string, body any, token string) *Response {
	t.Helper()
	r, err := Try(method, url, body, token)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Try is Do returning its failures instead of failing the test, for use
// off the test's goroutine and against a server that may be gone.
func Try(method, url string, body any, token string) (*Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return send(req, token)
}

// send adds the token, sends req and decodes the envelope.
func send(req *http.Request, token string) (*Response, error) {
	method, url := req.Method, req.URL.String()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	r := &Response{Status: resp.StatusCode, Header: resp.Header}
	if r.Body, err = io.ReadAll(resp.Body); err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	if err := json.Unmarshal(r.Body, r); err != nil {
		return nil, fmt.Errorf("%s %s: body is not an envelope: %w\n%s", method, url, err, r.Body)
	}
	if r.Meta.Extra.HTTPStatus != r.Status {
		return nil, fmt.Errorf("%s %s: status %d but meta.extra.http_status %d", method, url, r.Status, r.Meta.Extra.HTTPStatus)
	}
	return r, nil
}

// Decode unmarshals the envelope's data into v.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("data: %v\n%s", err, r.Body)
	}
}

// Payload is the data of a walker response.
type Payload struct {
	Result  any   `json:"result"`
	Reports []any `json:"reports"`
}

// Walker decodes a walker response's payload, failing unless it is 200.
func (r *Response) Walker(t testing.TB) Payload {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var p Payload
	r.Decode(t, &p)
	return p
}

// Register creates a user and returns its token.
func Register(t testing.TB, base, user, pass string) string {
	t.Helper()
	r := Do(t, "POST", base+"/user/register", map[string]string{"username": user, "password": pass}, "")
	if r.Status != 201 {
		t.Fatalf("register %s: %d %s", user, r.Status, r.Body)
	}
	var d struct{ Token string }
	r.Decode(t, &d)
	return d.Token
}
