package testenv

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Event is one Server-Sent Event.
type Event struct {
	Name, ID, Data string
}

// Stream is a response read as Server-Sent Events.
type Stream struct {
	Resp *http.Response
	r    *bufio.Reader
}

// OpenStream sends a POST with a JSON body and Accept: text/event-stream.
// The response body is closed when the test ends.
func OpenStream(t testing.TB, url, body string) *Stream {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &Stream{Resp: resp, r: bufio.NewReader(resp.Body)}
}

// Next reads the next event; ok is false at the end of the stream. It fails
// the test on a line that is not an event field.
func (s *Stream) Next(t testing.TB) (ev Event, ok bool) {
	t.Helper()
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			if strings.TrimSpace(line) != "" || ok {
				t.Fatalf("stream ended inside an event: %q", line)
			}
			return ev, false
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if ok {
				return ev, true
			}
			continue
		}
		name, value, found := strings.Cut(line, ": ")
		if !found {
			t.Fatalf("not an event field: %q", line)
		}
		ok = true
		switch name {
		case "event":
			ev.Name = value
		case "id":
			ev.ID = value
		case "data":
			ev.Data = value
		default:
			t.Fatalf("unknown event field %q", line)
		}
	}
}

// All reads the rest of the stream.
func (s *Stream) All(t testing.TB) []Event {
	t.Helper()
	var evs []Event
	for {
		ev, ok := s.Next(t)
		if !ok {
			return evs
		}
		evs = append(evs, ev)
	}
}

// Envelope decodes an event's data as an envelope.
func (ev Event) Envelope(t testing.TB) *Response {
	t.Helper()
	r := &Response{Body: []byte(ev.Data)}
	if err := json.Unmarshal([]byte(ev.Data), r); err != nil {
		t.Fatalf("event %s: data is not an envelope: %v\n%s", ev.Name, err, ev.Data)
	}
	r.Status = r.Meta.Extra.HTTPStatus
	return r
}
