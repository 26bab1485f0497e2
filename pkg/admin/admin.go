// Package admin serves a node's operator endpoints on its admin port:
// /metrics (Prometheus), /healthz (200 while the node runs) and /status
// (JSON the node describes itself with). It binds to loopback by default
// because it has no authentication.
package admin

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/castmesh/castmesh/pkg/httpjson"
)

// StatusFunc returns the node's status document.
type StatusFunc func(ctx context.Context) any

// Server is a node's admin HTTP server.
type Server struct {
	ln     net.Listener
	srv    *http.Server
	logger *slog.Logger
}

// New binds addr and prepares the handlers; Run serves them.
func New(ctx context.Context, addr string, gatherer prometheus.Gatherer, status StatusFunc, logger *slog.Logger) (*Server, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		httpjson.Write(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	if status != nil {
		mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
			httpjson.Write(w, http.StatusOK, status(r.Context()))
		})
	}
	return &Server{
		ln:     ln,
		srv:    &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second},
		logger: logger.With("component", "admin"),
	}, nil
}

// Addr is the bound address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Run serves until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	s.logger.Info("admin listening", "addr", s.ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
