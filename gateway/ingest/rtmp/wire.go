package rtmp

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// wireConn is the net.Conn go-rtmp reads: it replays the byte peeked to
// check the RTMP version, counts bytes, moves the read deadline along once
// the connection publishes, and tells its owner when go-rtmp closes it.
type wireConn struct {
	net.Conn
	owner   *conn
	prefix  []byte
	idle    time.Duration
	publish atomic.Bool // set once publishing: deadlines become idle ones

	closeOnce sync.Once
	closed    chan struct{}
}

func (w *wireConn) Read(b []byte) (int, error) {
	if len(w.prefix) > 0 {
		n := copy(b, w.prefix)
		w.prefix = w.prefix[n:]
		return n, nil
	}
	if w.publish.Load() {
		_ = w.SetReadDeadline(time.Now().Add(w.idle))
	}
	n, err := w.Conn.Read(b)
	w.owner.metrics.ReceivedBytes.Add(float64(n))
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		w.owner.fail(ErrTimeout)
	}
	return n, err
}

func (w *wireConn) Write(b []byte) (int, error) {
	if w.publish.Load() {
		_ = w.SetWriteDeadline(time.Now().Add(w.idle))
	}
	return w.Conn.Write(b)
}

// Close closes the socket; go-rtmp calls it last when a connection ends.
func (w *wireConn) Close() error {
	var err error
	w.closeOnce.Do(func() {
		err = w.Conn.Close()
		close(w.closed)
	})
	return err
}

// handoff is the net.Listener go-rtmp's Server serves: connections that
// passed the version check arrive on a channel.
type handoff struct {
	addr      net.Addr
	conns     chan net.Conn
	done      chan struct{}
	closeOnce sync.Once
}

func newHandoff(addr net.Addr) *handoff {
	return &handoff{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (h *handoff) Accept() (net.Conn, error) {
	select {
	case c := <-h.conns:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

func (h *handoff) Close() error {
	h.closeOnce.Do(func() { close(h.done) })
	return nil
}

func (h *handoff) Addr() net.Addr { return h.addr }
