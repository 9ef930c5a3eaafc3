package server

import (
	"bufio"
	"bytes"
	"context"
	"strconv"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/metrics"
	"github.com/walkerhost/walkerhost/host/sandbox"
)

// statusClientClosed is logged for a stream whose client went away.
const statusClientClosed = 499

// wantsEvents reports whether the client asked for Server-Sent Events.
func wantsEvents(ctx *fasthttp.RequestCtx) bool {
	return bytes.Contains(ctx.Request.Header.Peek("Accept"), []byte("text/event-stream"))
}

// streamEvents answers a walker run as Server-Sent Events: one "report"
// event per report as the walker makes it, then "done" with the envelope of
// the run (its data has "result" and "report_count"), or "error" with the
// error envelope. The graph writes commit before "done"; after "error"
// nothing is committed. buf holds req.Fields and is released at the end.
//
// The walker runs in the stream's goroutine, after the handler returned, so
// nothing here touches ctx once the stream started.
func (s *Server) streamEvents(ctx *fasthttp.RequestCtx, counters *metrics.Walker, req *sandbox.Request, tx *graph.Tx, buf *[]byte) {
	line := s.requestLine(ctx, ctx.Time())
	path := string(ctx.Path())
	ctx.SetUserValue(streamingKey{}, true)
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("text/event-stream")
	ctx.Response.Header.Set("Cache-Control", "no-cache")
	ctx.Response.Header.Set("X-Accel-Buffering", "no") // no proxy buffering
	ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
		ew := eventWriter{w: w}
		var closed bool
		req.Sink = func(report []byte) error {
			ew.event("report", report)
			if err := w.Flush(); err != nil {
				closed = true
				return err
			}
			return nil
		}
		out, err := s.run(context.Background(), counters, req, req.Fields[len(req.Fields):])
		var failure *apiError
		if err != nil {
			tx.Rollback()
			e, ok := s.errorFor(err)
			if !ok && !closed {
				e = s.internalError(line.id, path, err)
			}
			failure = &e
		} else if err := tx.Commit(); err != nil {
			e := s.internalError(line.id, path, err)
			failure = &e
		}
		status := fasthttp.StatusOK
		switch {
		case closed:
			status = statusClientClosed
		case failure != nil:
			status = failure.status
			ew.event("error", appendFail(nil, line.id, *failure))
		default:
			ew.event("done", appendOK(nil, line.id, status, out))
		}
		_ = w.Flush()
		s.record(line, status, ew.n)
		*buf = out[:0]
		putBuf(buf)
	})
}

// eventWriter writes Server-Sent Events and counts their bytes. Data is one
// line of JSON; report events are numbered from 1 in their id field.
type eventWriter struct {
	w       *bufio.Writer
	n, ids  int
	scratch []byte
}

func (ew *eventWriter) event(name string, data []byte) {
	b := append(ew.scratch[:0], "event: "...)
	b = append(b, name...)
	if name == "report" {
		ew.ids++
		b = append(b, "\nid: "...)
		b = strconv.AppendInt(b, int64(ew.ids), 10)
	}
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	b = append(b, "\n\n"...)
	n, _ := ew.w.Write(b)
	ew.n += n
	ew.scratch = b
}
