// Package accesslog is the host's log handler: slog's own text or JSON
// handler for every record, plus a fast path for the one line each request
// logs, written to a buffer that is flushed within FlushAfter.
//
// The request line is the host's busiest record (one per request). Through
// slog it costs a Record of seven attributes, a generic encoder (a
// json.Marshal for the duration in JSON) and a write system call; here it
// is appended field by field to a buffer and written with its neighbours.
// The bytes are the same as slog's for the same record (the package's
// tests compare them); a line whose strings would need quoting or escaping
// takes slog's path instead. Every other record is written through at
// once, after the buffered lines, so the log keeps its order and a warning
// is never held back.
package accesslog

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// Message is the request line's msg.
const Message = "request"

// FlushAfter is the longest a request line waits in the buffer.
const FlushAfter = 100 * time.Millisecond

// maxBuffer is the buffer size that is written at once, without waiting.
const maxBuffer = 64 << 10

// Request is what a request line says, in the order it says it.
type Request struct {
	ID, Method, Route string
	Status            int
	DurationMS        float64
	User              string
	Bytes             int
}

// Attrs are the line's attributes for slog, the same keys in the same
// order as the fast path writes.
func (r *Request) Attrs() []slog.Attr {
	return []slog.Attr{
		slog.String("request_id", r.ID),
		slog.String("method", r.Method),
		slog.String("route", r.Route),
		slog.Int("status", r.Status),
		slog.Float64("duration_ms", r.DurationMS),
		slog.String("user", r.User),
		slog.Int("bytes", r.Bytes),
	}
}

// Handler is slog's text or JSON handler writing to a Writer, with the
// request line's fast path. Handlers derived with WithAttrs or WithGroup
// share the Writer but log request lines through slog, so that the
// derived attributes are in them.
type Handler struct {
	slog.Handler
	out     *Writer
	json    bool
	derived bool
}

// New returns a handler writing records of level and above to w, as JSON
// when format is "json", else as slog's key=value text. Close flushes it.
func New(format string, w io.Writer, level slog.Leveler) *Handler {
	out := &Writer{w: w}
	opts := &slog.HandlerOptions{Level: level}
	h := &Handler{out: out, json: format == "json"}
	if h.json {
		h.Handler = slog.NewJSONHandler(out, opts)
	} else {
		h.Handler = slog.NewTextHandler(out, opts)
	}
	return h
}

// Handle writes r through slog, then flushes: only request lines wait.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if ferr := h.out.Flush(); err == nil {
		err = ferr
	}
	return err
}

func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	return &Handler{Handler: h.Handler.WithAttrs(as), out: h.out, json: h.json, derived: true}
}

func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{Handler: h.Handler.WithGroup(name), out: h.out, json: h.json, derived: true}
}

// Request writes the request line stamped t at level, as slog would, and
// reports whether it did; when it did not (a level below the handler's, a
// derived handler, a string that needs quoting) the caller logs it through
// slog.
func (h *Handler) Request(t time.Time, level slog.Level, r *Request) bool {
	if h.derived || !h.Enabled(context.Background(), level) ||
		!(r.DurationMS == 0 || r.DurationMS >= 1e-6 && r.DurationMS < 1e21) || // json.Marshal's 'f' range
		!plain(r.ID) || !plain(r.Method) || !plain(r.Route) || r.User != "" && !plain(r.User) {
		return false
	}
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	b := h.out.buf
	if h.json {
		b = append(b, `{"time":"`...)
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"`...)
		b = append(b, level.String()...)
		b = append(b, `","msg":"`+Message+`","request_id":"`...)
		b = append(b, r.ID...)
		b = append(b, `","method":"`...)
		b = append(b, r.Method...)
		b = append(b, `","route":"`...)
		b = append(b, r.Route...)
		b = append(b, `","status":`...)
		b = strconv.AppendInt(b, int64(r.Status), 10)
		b = append(b, `,"duration_ms":`...)
		b = strconv.AppendFloat(b, r.DurationMS, 'f', -1, 64) // json.Marshal's form in [1e-6, 1e21)
		b = append(b, `,"user":"`...)
		b = append(b, r.User...)
		b = append(b, `","bytes":`...)
		b = strconv.AppendInt(b, int64(r.Bytes), 10)
		b = append(b, "}\n"...)
	} else {
		b = append(b, "time="...)
		b = appendRFC3339Millis(b, t)
		b = append(b, " level="...)
		b = append(b, level.String()...)
		b = append(b, " msg="+Message+" request_id="...)
		b = append(b, r.ID...)
		b = append(b, " method="...)
		b = append(b, r.Method...)
		b = append(b, " route="...)
		b = append(b, r.Route...)
		b = append(b, " status="...)
		b = strconv.AppendInt(b, int64(r.Status), 10)
		b = append(b, " duration_ms="...)
		b = strconv.AppendFloat(b, r.DurationMS, 'g', -1, 64)
		b = append(b, " user="...)
		if r.User == "" {
			b = append(b, `""`...)
		} else {
			b = append(b, r.User...)
		}
		b = append(b, " bytes="...)
		b = strconv.AppendInt(b, int64(r.Bytes), 10)
		b = append(b, '\n')
	}
	h.out.buf = b
	h.out.buffered()
	return true
}

// plain reports whether s is written as is by both of slog's handlers: a
// non-empty ASCII string with nothing to quote or escape.
func plain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '=' {
			return false
		}
	}
	return true
}

// appendRFC3339Millis is slog's text time: RFC 3339 with exactly three
// fractional digits.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...) // drop the 4th digit
}

// Close flushes the buffered lines; later records are written through.
func (h *Handler) Close() error { return h.out.Close() }

// Writer buffers request lines for the writer under it: they are written
// when FlushAfter passed since the first of them, when maxBuffer bytes
// wait, before any other record, and at Close.
type Writer struct {
	mu     sync.Mutex
	w      io.Writer
	buf    []byte
	timer  *time.Timer
	armed  bool
	closed bool
}

// Write appends p after the waiting lines and writes them all: it is
// slog's handlers' output, which is never held back.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 {
		return w.w.Write(p)
	}
	w.buf = append(w.buf, p...)
	if err := w.flushLocked(); err != nil {
		return 0, err
	}
	return len(p), nil
}

// buffered is called, w.mu held, after a line was appended to w.buf.
func (w *Writer) buffered() {
	switch {
	case w.closed || len(w.buf) >= maxBuffer:
		_ = w.flushLocked()
	case !w.armed:
		w.armed = true
		if w.timer == nil {
			w.timer = time.AfterFunc(FlushAfter, w.timed)
		} else {
			w.timer.Reset(FlushAfter)
		}
	}
}

func (w *Writer) timed() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.armed = false
	_ = w.flushLocked()
}

// Flush writes the waiting lines.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked()
}

func (w *Writer) flushLocked() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.w.Write(w.buf)
	w.buf = w.buf[:0]
	if cap(w.buf) > 4*maxBuffer {
		w.buf = nil
	}
	return err
}

// Close flushes the waiting lines and has later ones written at once.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
		w.armed = false
	}
	return w.flushLocked()
}
