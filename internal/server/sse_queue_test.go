package server

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// blockedWriter never completes a write until released: a client that
// does not read.
type blockedWriter struct{ release chan struct{} }

func (w blockedWriter) Write(p []byte) (int, error) { <-w.release; return 0, io.ErrClosedPipe }

// TestEventQueue_StalledClient: pushes never wait for the writer; past the
// limit they fail with the stream_buffer LimitError, the first event is
// taken whatever its size, and the closing event is forced.
func TestEventQueue_StalledClient(t *testing.T) {
	tests := []struct {
		name       string
		limit      int
		events     []int // sizes
		wantPushed int   // events accepted before the limit
	}{
		{"small events", 100, []int{40, 40, 40, 40}, 2},
		{"first event over the limit", 100, []int{500, 1}, 1},
		{"exactly the limit", 100, []int{50, 50, 1}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bw := blockedWriter{release: make(chan struct{})}
			q := newEventQueue(tc.limit)
			done := make(chan struct{})
			go func() { defer close(done); q.drain(bufio.NewWriterSize(bw, 16)) }()
			pushed := 0
			var err error
			for _, n := range tc.events {
				if err = q.push(bytes.Repeat([]byte("x"), n), false); err != nil {
					break
				}
				pushed++
			}
			var lim *sandbox.LimitError
			if pushed != tc.wantPushed || !errors.As(err, &lim) || lim.Limit != "stream_buffer" {
				t.Fatalf("pushed %d (want %d), then %v", pushed, tc.wantPushed, err)
			}
			if err := q.push([]byte("done"), true); err != nil {
				t.Fatalf("forced push: %v", err)
			}
			q.close()
			close(bw.release)
			<-done
			if q.failed() == nil {
				t.Fatal("the write error was not kept")
			}
			if err := q.push([]byte("x"), true); err == nil {
				t.Fatal("a push after a failed write succeeded")
			}
		})
	}
}

// TestEventQueue_Hammer pushes from one goroutine while the writer drains
// to a reader that keeps up: every event arrives once, in order.
func TestEventQueue_Hammer(t *testing.T) {
	pr, pw := io.Pipe()
	q := newEventQueue(64)
	var got bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); io.Copy(&got, pr) }()
	written := make(chan struct{})
	go func() { defer close(written); w := bufio.NewWriter(pw); q.drain(w); pw.Close() }()
	var want bytes.Buffer
	for i := range 5000 {
		ev := []byte(strconv.Itoa(i) + "\n")
		for {
			err := q.push(ev, false)
			if err == nil {
				break
			}
			var lim *sandbox.LimitError
			if !errors.As(err, &lim) {
				t.Fatal(err)
			}
		}
		want.Write(ev)
	}
	q.close()
	<-written
	wg.Wait()
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("got %d bytes, want %d, or out of order", got.Len(), want.Len())
	}
}
