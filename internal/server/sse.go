package server

import (
	"bufio"
	"bytes"
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/metrics"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/web"
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
	line := s.access.Line(ctx, ctx.Time())
	path := string(ctx.Path())
	web.Streaming(ctx)
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("text/event-stream")
	ctx.Response.Header.Set("Cache-Control", "no-cache")
	ctx.Response.Header.Set("X-Accel-Buffering", "no") // no proxy buffering
	// A client that stops reading holds the connection no longer than the
	// run's time limit and the write timeout; the run itself never waits
	// for it (eventQueue).
	_ = ctx.SetWriteDeadline(ctx.Time().Add(s.mod.Limits().Timeout + s.stream.WriteTimeout))
	ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
		q := newEventQueue(s.stream.BufferBytes)
		written := make(chan struct{})
		go func() { defer close(written); q.drain(w) }()
		ew := eventWriter{q: q}
		req.Sink = func(report []byte) error { return ew.event("report", report, false) }
		out, err := s.run(context.Background(), counters, req, req.Fields[len(req.Fields):])
		closed := q.failed() != nil
		var failure *web.Error
		if err != nil {
			tx.Rollback()
			e, ok := web.ErrorFor(err)
			if !ok && !closed {
				e = s.errs.Internal(line.ID, path, err)
			}
			failure = e
		} else if err := tx.Commit(); err != nil {
			failure = s.errs.Internal(line.ID, path, err)
		}
		status := fasthttp.StatusOK
		switch {
		case closed:
			status = statusClientClosed
		case failure != nil:
			status = failure.Status
			_ = ew.event("error", web.AppendFail(nil, line.ID, failure), true)
		default:
			_ = ew.event("done", web.AppendOK(nil, line.ID, status, out), true)
		}
		q.close()
		<-written
		if q.failed() != nil {
			status = statusClientClosed
		}
		s.access.Record(line, status, ew.n)
		*buf = out[:0]
		web.PutBuf(buf)
	})
}

// StreamOptions bound what a Server-Sent Events stream may keep of a host
// whose client reads slowly or not at all.
type StreamOptions struct {
	// BufferBytes bounds the events waiting for the client; a report past
	// it ends the run (limit stream_buffer). 1 MiB when zero.
	BufferBytes int
	// WriteTimeout is how long, after the run's time limit, the stream may
	// take to reach the client before the connection is closed. 30s when zero.
	WriteTimeout time.Duration
}

func (o StreamOptions) withDefaults() StreamOptions {
	if o.BufferBytes <= 0 {
		o.BufferBytes = 1 << 20
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 30 * time.Second
	}
	return o
}

// eventQueue hands a stream's events from the run to the connection's
// writer. The run never waits for the client: events wait here, up to
// limit bytes (taking at least one event however large, so a client that
// keeps up gets any report), and a report that does not fit ends the run
// with a LimitError — a stalled client cannot hold an instance.
type eventQueue struct {
	mu      sync.Mutex
	more    sync.Cond
	pending []byte // events the writer has not taken
	held    int    // bytes pending or being written
	limit   int
	closed  bool  // no more events
	err     error // the first write error: the client left or stalled
}

func newEventQueue(limit int) *eventQueue {
	q := &eventQueue{limit: limit}
	q.more.L = &q.mu
	return q
}

// push queues ev; with force, even past the limit (the closing event).
func (q *eventQueue) push(ev []byte, force bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	if !force && q.held > 0 && q.held+len(ev) > q.limit {
		return &sandbox.LimitError{Limit: "stream_buffer", Value: strconv.Itoa(q.limit) + " bytes"}
	}
	q.pending = append(q.pending, ev...)
	q.held += len(ev)
	q.more.Signal()
	return nil
}

// close marks the end of the events; drain returns once they are written.
func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.more.Signal()
	q.mu.Unlock()
}

// failed is the write error that ended the stream, if any.
func (q *eventQueue) failed() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

// drain writes and flushes the queued events to w until the queue is
// closed and empty, or a write fails.
func (q *eventQueue) drain(w *bufio.Writer) {
	var batch []byte
	for {
		q.mu.Lock()
		for len(q.pending) == 0 && !q.closed {
			q.more.Wait()
		}
		if len(q.pending) == 0 {
			q.mu.Unlock()
			return
		}
		batch, q.pending = q.pending, batch[:0]
		q.mu.Unlock()
		_, err := w.Write(batch)
		if err == nil {
			err = w.Flush()
		}
		q.mu.Lock()
		q.held -= len(batch)
		if err != nil {
			q.err = err
		}
		q.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// eventWriter writes Server-Sent Events to a queue and counts their bytes.
// Data is one line of JSON; report events are numbered from 1 in their id
// field.
type eventWriter struct {
	q       *eventQueue
	n, ids  int
	scratch []byte
}

func (ew *eventWriter) event(name string, data []byte, force bool) error {
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
	ew.scratch = b
	if err := ew.q.push(b, force); err != nil {
		return err
	}
	ew.n += len(b)
	return nil
}
