package openaicompat

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Event is one server-sent event.
type Event struct {
	// Type is the event field; "" means the default, "message".
	Type string
	// Data is the event's data lines, joined by "\n".
	Data string
}

// ReadEvents reads a text/event-stream as the WHATWG HTML standard's
// "Server-sent events" section parses it (lines end in CRLF, LF or CR; a
// blank line dispatches; ":" starts a comment; id and retry are ignored),
// calling fn with each event until the stream ends or fn fails. max bounds
// a line and an event's data. Unlike the standard, which drops an event the
// stream ends in the middle of, the last event is dispatched even without
// its closing blank line: some servers omit it.
func ReadEvents(r io.Reader, maxBytes int, fn func(Event) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, min(maxBytes, 4096)), maxBytes)
	sc.Split(splitLines)
	var ev Event
	var data strings.Builder
	dispatch := func() error {
		defer func() { ev, data = Event{}, strings.Builder{} }()
		if data.Len() == 0 {
			return nil
		}
		ev.Data = strings.TrimSuffix(data.String(), "\n")
		return fn(ev)
	}
	for first := true; sc.Scan(); first = false {
		line := sc.Bytes()
		if first {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if len(line) == 0 {
			if err := dispatch(); err != nil {
				return err
			}
			continue
		}
		if err := field(line, &ev, &data, maxBytes); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("sse: %w: a line over %d bytes", ErrTooBig, maxBytes)
		}
		return fmt.Errorf("sse: %w", err)
	}
	return dispatch()
}

// field applies one non-blank line to the event being read.
func field(line []byte, ev *Event, data *strings.Builder, maxBytes int) error {
	name, value, _ := bytes.Cut(line, []byte(":"))
	value = bytes.TrimPrefix(value, []byte(" "))
	switch string(name) {
	case "": // a comment
	case "event":
		ev.Type = string(value)
	case "data":
		if data.Len()+len(value)+1 > maxBytes {
			return fmt.Errorf("sse: %w: an event over %d bytes", ErrTooBig, maxBytes)
		}
		data.Write(value)
		data.WriteByte('\n')
	}
	return nil
}

// splitLines splits at CRLF, LF or CR.
func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0 && atEOF && len(data) > 0:
		return len(data), data, nil
	case i < 0:
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data) && data[i+1] == '\n':
		return i + 2, data[:i], nil
	case i+1 < len(data) || atEOF:
		return i + 1, data[:i], nil
	}
	return 0, nil, nil // a CR at the end: wait to see whether LF follows
}
