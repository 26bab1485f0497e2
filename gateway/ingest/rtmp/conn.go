package rtmp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/castmesh/castmesh/gateway/ingest"
)

// rtmpVersion is the only C0 byte accepted (RTMP spec §5.2.2; 6 would be
// RTMPE, which castmesh does not speak).
const rtmpVersion = 3

// conn is one TCP connection. Its goroutine (run) owns it; go-rtmp's
// goroutine drives the handler callbacks, which share state with run only
// through the mutex-guarded fields and the published channel.
type conn struct {
	cfg     Config
	opener  ingest.Opener
	logger  *slog.Logger
	metrics *Metrics
	nc      net.Conn
	wire    *wireConn
	ctx     context.Context //nolint:containedctx // the callbacks go-rtmp makes need the connection's context

	published chan struct{} // closed once stream is set

	mu      sync.Mutex
	err     error // the first reason the connection failed
	stream  ingest.Stream
	shakeOK bool // go-rtmp finished the handshake
	// finished is set when the publish ended from the publisher's side
	// (handler.finish), so the stream's end is not the gateway's doing.
	finished bool
}

// run serves the connection until it ends and logs why, once.
func (c *conn) run(ctx context.Context, h *handoff) {
	err := c.runInner(ctx, h)
	c.mu.Lock()
	logger := c.logger // OnPublish added the stream id
	c.mu.Unlock()
	var rej *RejectError
	switch {
	case errors.As(err, &rej):
		c.metrics.Rejected.WithLabelValues(rej.Reason).Inc()
		logger.Warn("rtmp connection rejected", "reason", rej.Reason, "error", rej.Err)
	case err != nil:
		logger.Info("rtmp connection closed", "error", err)
	default:
		logger.Info("rtmp connection closed")
	}
}

// runInner checks the RTMP version byte, hands the connection to go-rtmp
// and waits until go-rtmp has closed it, closing it first when the server
// shuts down or the gateway ends the stream. It returns why it ended.
func (c *conn) runInner(ctx context.Context, h *handoff) error {
	_ = c.nc.SetDeadline(time.Now().Add(c.cfg.HandshakeTimeout))
	first := make([]byte, 1)
	if _, err := io.ReadFull(c.nc, first); err != nil {
		_ = c.nc.Close()
		return fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	c.metrics.ReceivedBytes.Inc()
	if first[0] != rtmpVersion {
		_ = c.nc.Close()
		return &RejectError{Reason: ReasonNotRTMP, Err: fmt.Errorf("%w: first byte %#02x", ErrNotRTMP, first[0])}
	}
	c.wire = &wireConn{Conn: c.nc, owner: c, prefix: first, idle: c.cfg.IdleTimeout, closed: make(chan struct{})}
	select {
	case h.conns <- c.wire:
	case <-ctx.Done():
		_ = c.nc.Close()
		return ErrServerClosed
	}
	return c.wait(ctx)
}

// wait blocks until go-rtmp has closed the connection.
func (c *conn) wait(ctx context.Context) error {
	published := c.published
	var ended <-chan struct{}
	for {
		select {
		case <-c.wire.closed:
			return c.reason()
		case <-ctx.Done():
			c.fail(ErrServerClosed)
			return c.closeAndWait()
		case <-published:
			published, ended = nil, c.currentStream().Done()
		case <-ended:
			// One publish per connection: once its stream is over, so is
			// the connection, whoever ended it.
			c.mu.Lock()
			if !c.finished && c.err == nil {
				c.err = ingest.ErrStreamEnded
			}
			c.mu.Unlock()
			return c.closeAndWait()
		}
	}
}

func (c *conn) closeAndWait() error {
	_ = c.nc.Close()
	<-c.wire.closed
	return c.reason()
}

// fail records why the connection ends; the first reason wins.
func (c *conn) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
}

// reason returns why the connection ended: nil for a publisher that
// published and left.
func (c *conn) reason() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.err != nil:
		return c.err
	case !c.shakeOK:
		return ErrHandshake
	case c.stream == nil:
		return errors.New("closed before publishing")
	}
	return nil
}

func (c *conn) currentStream() ingest.Stream {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stream
}
