package deploy

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Logger receives a deploy's progress, one line per step. The CLI prints
// it; tests keep it.
type Logger interface {
	Logf(format string, args ...any)
}

// NewWriterLogger returns a Logger that writes each line to w, prefixed with
// the time since it was made.
func NewWriterLogger(w io.Writer) Logger {
	return &writerLogger{w: w, start: time.Now()}
}

type writerLogger struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
}

func (l *writerLogger) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "[%5.1fs] %s\n", time.Since(l.start).Seconds(), fmt.Sprintf(format, args...))
}

// Discard is a Logger that drops everything.
var Discard Logger = discard{}

type discard struct{}

func (discard) Logf(string, ...any) {}

var _ Logger = (*writerLogger)(nil)
