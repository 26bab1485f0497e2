package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

// syncBuffer is a bytes.Buffer safe to write from runChain while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunChainAnnouncesAndStops(t *testing.T) {
	var out, errs syncBuffer
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	e := env{
		args:   []string{"--data-dir", t.TempDir(), "--http-addr", "127.0.0.1:0", "--block-period", "100ms", "--accounts", "2"},
		stdout: &out, stderr: &errs,
	}
	done := make(chan error, 1)
	go func() { done <- runChain(ctx, e) }()
	var ended bool
	var err error
	fixture.Eventually(t, 20*time.Second, func() bool {
		select {
		case err = <-done:
			ended = true
			return true
		default:
			return strings.Contains(out.String(), "Try:")
		}
	}, "chain announced")
	if ended {
		t.Fatalf("runChain ended before announcing: %v\nstderr:\n%s", err, errs.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("runChain: %v\nstderr:\n%s", err, errs.String())
	}
	for _, want := range []string{
		"chain id 1337", "JSON-RPC          http://127.0.0.1:", "TicketBroker      0x",
		"(0) 0x71562b71999873DB5b286dF957af199Ec94617F7  0xb71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291",
		"(1) 0x",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
