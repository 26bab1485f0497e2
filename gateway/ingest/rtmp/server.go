package rtmp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	gortmp "github.com/yutopp/go-rtmp"

	"github.com/castmesh/castmesh/gateway/ingest"
)

// Server accepts RTMP publishers.
type Server struct {
	cfg     Config
	opener  ingest.Opener
	logger  *slog.Logger
	metrics *Metrics
	ln      net.Listener
	slots   chan struct{} // one per open connection, MaxConns in all
	nextID  atomic.Uint64
	ran     atomic.Bool
}

// New validates cfg and binds the listener, so Addr is valid at once. A nil
// logger discards; nil metrics are registered nowhere.
func New(ctx context.Context, cfg Config, opener ingest.Opener, logger *slog.Logger, m *Metrics) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("rtmp config: %w", err)
	}
	if opener == nil {
		return nil, errors.New("rtmp: nil opener")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(prometheus.NewRegistry())
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("rtmp listen: %w", err)
	}
	return &Server{
		cfg: cfg, opener: opener, logger: logger.With("component", "rtmp"), metrics: m,
		ln: ln, slots: make(chan struct{}, cfg.MaxConns),
	}, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Run serves connections until ctx ends, then closes the listener and
// every connection and returns once all of their goroutines have ended.
// It returns nil after ctx ends, and may be called once.
func (s *Server) Run(ctx context.Context) error {
	if !s.ran.CompareAndSwap(false, true) {
		return errors.New("rtmp: Run called twice")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := newHandoff(s.ln.Addr())
	srv := gortmp.NewServer(&gortmp.ServerConfig{OnConnect: s.onConnect})
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(h) }) // returns ErrClosed once closed
	wg.Go(func() {
		<-ctx.Done()
		_ = s.ln.Close()
		_ = srv.Close() // closes h too, if Serve got to register it
		_ = h.Close()
	})
	s.logger.Info("rtmp listening", "addr", s.ln.Addr().String(), "app", s.cfg.App)
	err := s.accept(ctx, h, &wg)
	cancel()
	wg.Wait()
	return err
}

// accept runs the accept loop, starting a goroutine per connection.
func (s *Server) accept(ctx context.Context, h *handoff, wg *sync.WaitGroup) error {
	backoff := time.Duration(0)
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, net.ErrClosed) {
				return fmt.Errorf("rtmp accept: %w", err)
			}
			// A temporary failure (EMFILE, say): back off as net/http does
			// rather than spin like go-rtmp's own loop.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.logger.Warn("rtmp accept failed", "error", err, "retry_in", backoff)
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return nil
			}
			continue
		}
		backoff = 0
		select {
		case s.slots <- struct{}{}:
		default:
			s.metrics.Rejected.WithLabelValues(ReasonTooManyConns).Inc()
			_ = nc.Close()
			continue
		}
		c := s.newConn(ctx, nc)
		wg.Go(func() {
			defer func() { <-s.slots }()
			s.metrics.Connections.Inc()
			defer s.metrics.Connections.Dec()
			c.run(ctx, h)
		})
	}
}

func (s *Server) newConn(ctx context.Context, nc net.Conn) *conn {
	return &conn{
		cfg: s.cfg, opener: s.opener, metrics: s.metrics, nc: nc, ctx: ctx,
		logger:    s.logger.With("conn", s.nextID.Add(1), "remote", nc.RemoteAddr().String()),
		published: make(chan struct{}),
	}
}

// onConnect is go-rtmp's hook for a new connection: it gives go-rtmp the
// connection's handler and limits.
func (s *Server) onConnect(nc net.Conn) (io.ReadWriteCloser, *gortmp.ConnConfig) {
	w, _ := nc.(*wireConn) // handoff only carries wireConns
	return w, &gortmp.ConnConfig{
		Handler: &handler{c: w.owner},
		ControlState: gortmp.StreamControlStateConfig{
			// Bound what a peer can make the server hold: one message up
			// to H.264's largest access unit, a few chunk and message
			// streams (publishers use under ten and two).
			MaxMessageSize:    8 << 20,
			MaxChunkStreams:   32,
			MaxMessageStreams: 4,
		},
		// No Logger: go-rtmp then discards its logrus output; runInner's
		// result is the one log line a connection gets.
	}
}
