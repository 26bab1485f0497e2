package runnerapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Health states, as ai-runner's GET /health reports them.
const (
	HealthLoading = "LOADING"
	HealthOK      = "OK"
	HealthError   = "ERROR"
)

// Version is the API version this server speaks.
const Version = "0.14.1"

// Server serves one model over the ai-runner API.
type Server struct {
	cfg     Config
	model   pipeline.Model
	decoder pipeline.Decoder
	logger  *slog.Logger

	loadOnce sync.Once
	loadErr  error

	mu     sync.Mutex
	health string
}

// New makes a server for model; Run loads a warm model.
func New(cfg Config, model pipeline.Model, logger *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, model: model, decoder: pipeline.Decoder{Limits: cfg.Limits},
		logger: logger.With("component", "runner", "pipeline", model.Pipeline(), "model", model.ModelID()),
		health: HealthOK,
	}
	if _, ok := model.(pipeline.Loader); ok && cfg.Warm {
		s.health = HealthLoading
	}
	return s, nil
}

// Run loads a warm model's weights, then waits for ctx to end.
func (s *Server) Run(ctx context.Context) error {
	if s.cfg.Warm {
		if err := s.load(ctx); err != nil {
			s.logger.Error("model failed to load", "err", err)
		}
	}
	<-ctx.Done()
	return nil
}

// load loads the model once; its health follows the outcome.
func (s *Server) load(ctx context.Context) error {
	l, ok := s.model.(pipeline.Loader)
	if !ok {
		return nil
	}
	s.loadOnce.Do(func() {
		s.loadErr = l.Load(ctx)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.health = HealthOK
		if s.loadErr != nil {
			s.health = HealthError
		}
	})
	return s.loadErr
}

// Health returns the server's health state.
func (s *Server) Health() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.health
}

// Handler returns the ai-runner API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	path := "/" + string(s.model.Pipeline())
	mux.HandleFunc("POST "+path, s.generate)
	mux.HandleFunc("POST "+path+"/", s.generate)
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": s.Health()})
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{
			"pipeline": string(s.model.Pipeline()), "model_id": s.model.ModelID(), "version": Version,
		})
	})
	hw := func(key string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			// A CPU runner has no GPUs to report.
			writeJSON(w, http.StatusOK, map[string]any{
				"pipeline": string(s.model.Pipeline()), "model_id": s.model.ModelID(), key: map[string]any{},
			})
		}
	}
	mux.HandleFunc("GET /hardware/info", hw("gpu_info"))
	mux.HandleFunc("GET /hardware/stats", hw("gpu_stats"))
	return s.auth(mux)
}

// auth checks the bearer token when one is configured.
func (s *Server) auth(next http.Handler) http.Handler {
	if s.cfg.Token == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !tokenMatches(tok, s.cfg.Token) {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, http.StatusUnauthorized, "Invalid bearer token.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// tokenMatches compares a sent token with the configured one in constant
// time: an early exit at the first wrong byte would let a caller find the
// token a byte at a time from the answers' timing. Comparing the SHA-256
// of both hides the token's length as well.
func tokenMatches(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

func (s *Server) generate(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("File size exceeds limit of %d bytes.", s.cfg.MaxBodyBytes))
			return
		}
		writeError(w, http.StatusBadRequest, "reading the request: "+err.Error())
		return
	}
	req, err := s.decoder.Decode(r.Context(), s.model.Pipeline(), r.Header.Get("Content-Type"), body)
	if err != nil {
		s.fail(w, err)
		return
	}
	if m := req.Model(); m != "" && m != s.model.ModelID() {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("pipeline configured with %s but called with %s", s.model.ModelID(), m))
		return
	}
	if err := s.load(r.Context()); err != nil {
		writeError(w, http.StatusInternalServerError, "model failed to load: "+err.Error())
		return
	}
	if err := s.run(w, r.Context(), req); err != nil {
		s.fail(w, err)
	}
}
