package openaicompat

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Model answers chats by asking an OpenAI-compatible server.
type Model struct {
	cfg    Config
	url    string
	client *http.Client
	logger *slog.Logger
}

// New checks cfg; it does not contact the upstream.
func New(cfg Config, logger *slog.Logger) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: cfg.ConnectTimeout}).DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &Model{
		cfg:    cfg,
		url:    strings.TrimSuffix(cfg.BaseURL, "/") + "/chat/completions",
		client: &http.Client{Transport: transport},
		logger: logger.With("component", "openaicompat", "upstream", cfg.BaseURL),
	}, nil
}

// Pipeline is llm.
func (m *Model) Pipeline() pipeline.Name { return pipeline.LLM }

// ModelID is the upstream's model, Config.Model.
func (m *Model) ModelID() string { return m.cfg.Model }

// LLM asks the upstream to continue the chat. With p.Stream and an emit
// function it streams, calling emit with each delta and then with the last
// event, which it also returns; otherwise it returns the whole answer.
func (m *Model) LLM(ctx context.Context, p *pipeline.LLMParams, emit func(pipeline.LLMResponse) error) (pipeline.LLMResponse, error) {
	if p.ModelID != "" && p.ModelID != m.cfg.Model {
		return pipeline.LLMResponse{}, fmt.Errorf("%w: this runner has %s, not %s", pipeline.ErrWrongModel, m.cfg.Model, p.ModelID)
	}
	if len(p.Messages) == 0 {
		return pipeline.LLMResponse{}, fmt.Errorf("%w: no messages", pipeline.ErrBadInput)
	}
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	start := time.Now()
	var out pipeline.LLMResponse
	var err error
	if p.Stream && emit != nil {
		out, err = m.stream(ctx, p, emit)
	} else {
		out, err = m.whole(ctx, p)
	}
	if err == nil {
		m.logger.DebugContext(ctx, "answered", "stream", p.Stream, "usage", out.Usage, "elapsed", time.Since(start))
	}
	return out, err
}
