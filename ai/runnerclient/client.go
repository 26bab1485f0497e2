package runnerclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Config says where a runner is.
type Config struct {
	// URL is the runner's base URL, e.g. http://127.0.0.1:8000.
	URL string `yaml:"url"`
	// Token is sent as a bearer token when set.
	Token string `yaml:"token"`
	// Timeout bounds one generate request; health checks take 5 s at most.
	Timeout time.Duration `yaml:"timeout"`
}

// Validate names the first bad key.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url must be an http(s) URL, got %q", c.URL)
	}
	if c.Timeout <= 0 {
		return errors.New("timeout must be positive")
	}
	return nil
}

// healthTimeout bounds a health or version check, as go-livepeer's 5 s.
const healthTimeout = 5 * time.Second

// Client talks to one runner.
type Client struct {
	cfg  Config
	base string
	http *http.Client
}

// New makes a client.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// No client-wide timeout: a streamed answer may outlive it; requests
	// carry their own deadlines.
	return &Client{cfg: cfg, base: strings.TrimRight(cfg.URL, "/"), http: &http.Client{}}, nil
}

// URL is the runner's base URL.
func (c *Client) URL() string { return c.base }

// Response is a runner's successful answer; the caller reads and closes
// Body, which also ends the request.
type Response struct {
	ContentType string
	Body        io.ReadCloser
}

// Generate posts a request body of the pipeline's content type and returns
// the answer, or an *Error for a non-2xx status.
func (c *Client) Generate(ctx context.Context, name pipeline.Name, contentType string, body []byte) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/"+string(name), bytes.NewReader(body))
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.do(req) //nolint:bodyclose // closed by the caller through Response.Body
	if err != nil {
		cancel()
		return nil, err
	}
	return &Response{ContentType: resp.Header.Get("Content-Type"), Body: &cancelOnClose{resp.Body, cancel}}, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// do sends req with the token and turns a non-2xx answer into an *Error.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	if c.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("runner %s: %w", c.base, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return nil, DecodeError(resp.StatusCode, b)
}

// Health is the runner's GET /health state: "OK", "LOADING", "IDLE" or
// "ERROR".
func (c *Client) Health(ctx context.Context) (string, error) {
	var h struct {
		Status string `json:"status"`
	}
	if err := c.getJSON(ctx, "/health", &h); err != nil {
		return "", err
	}
	if h.Status == "" {
		return "", fmt.Errorf("runner %s: health without a status", c.base)
	}
	return h.Status, nil
}

// VersionInfo is the runner's GET /version answer.
type VersionInfo struct {
	Pipeline string `json:"pipeline"`
	ModelID  string `json:"model_id"`
	Version  string `json:"version"`
}

// Version asks what the runner serves.
func (c *Client) Version(ctx context.Context) (VersionInfo, error) {
	var v VersionInfo
	return v, c.getJSON(ctx, "/version", &v)
}

func (c *Client) getJSON(ctx context.Context, path string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("runner %s%s: %w", c.base, path, err)
	}
	return nil
}
