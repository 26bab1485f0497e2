package openaicompat

import (
	"errors"
	"strings"
	"testing"
)

func readAll(in string, maxBytes int) ([]Event, error) {
	var got []Event
	err := ReadEvents(strings.NewReader(in), maxBytes, func(ev Event) error {
		got = append(got, ev)
		return nil
	})
	return got, err
}

func TestReadEvents(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Event
	}{
		{"openai", "data: {\"a\":1}\n\ndata: [DONE]\n\n", []Event{{"", `{"a":1}`}, {"", "[DONE]"}}},
		// The examples of the WHATWG standard's section on parsing.
		{"multi-line data", "data: YHOO\ndata: +2\ndata: 10\n\n", []Event{{"", "YHOO\n+2\n10"}}},
		{
			"comment and id", ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
			[]Event{{"", "first event"}, {"", "second event"}, {"", " third event"}},
		},
		{"empty data", "data\n\ndata\ndata\n\ndata:\n", []Event{{"", ""}, {"", "\n"}, {"", ""}}},
		{"event type", "event: add\ndata: 73857293\n\nevent: remove\n\ndata: x\n\n", []Event{{"add", "73857293"}, {"", "x"}}},
		{"crlf and cr", "data: a\r\n\r\ndata: b\r\rdata: c\r\n", []Event{{"", "a"}, {"", "b"}, {"", "c"}}},
		{"bom", "\uFEFFdata: a\n\n", []Event{{"", "a"}}},
		{"no final blank line", "data: a", []Event{{"", "a"}}},
		{"unknown field", "retry: 10\nfoo: bar\ndata: a\n\n", []Event{{"", "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(tt.in, 1024)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("event %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestReadEventsBounds(t *testing.T) {
	if _, err := readAll("data: "+strings.Repeat("x", 100)+"\n\n", 64); !errors.Is(err, ErrTooBig) {
		t.Errorf("long line: %v", err)
	}
	if _, err := readAll(strings.Repeat("data: xxxxxxxx\n", 10)+"\n", 64); !errors.Is(err, ErrTooBig) {
		t.Errorf("long event: %v", err)
	}
	stop := errors.New("stop")
	err := ReadEvents(strings.NewReader("data: a\n\ndata: b\n\n"), 64, func(Event) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("fn's error: %v", err)
	}
}

// encode writes events back as a stream.
func encode(events []Event) string {
	var b strings.Builder
	for _, ev := range events {
		if ev.Type != "" {
			b.WriteString("event: " + ev.Type + "\n")
		}
		for line := range strings.SplitSeq(ev.Data, "\n") {
			b.WriteString("data: " + line + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// FuzzReadEvents checks that any stream reads without panicking, and that
// its events, written back as a stream, read the same.
func FuzzReadEvents(f *testing.F) {
	f.Add("data: {\"a\":1}\n\ndata: [DONE]\n\n")
	f.Add(": c\r\nevent: x\rdata\ndata:  y\r\n\r\n\uFEFFdata")
	f.Fuzz(func(t *testing.T, in string) {
		first, err := readAll(in, 1<<20)
		if err != nil {
			return
		}
		second, err := readAll(encode(first), 1<<20)
		if err != nil {
			t.Fatalf("re-reading %q: %v", encode(first), err)
		}
		if len(first) != len(second) {
			t.Fatalf("%q read back as %q", first, second)
		}
		for i := range first {
			if first[i] != second[i] {
				t.Fatalf("event %d: %q read back as %q", i, first[i], second[i])
			}
		}
	})
}
