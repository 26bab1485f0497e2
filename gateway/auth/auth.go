package auth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

// StaticKey is one stream key from the config.
type StaticKey struct {
	Key string `yaml:"key"`
	// PlaybackID overrides the derived playback id.
	PlaybackID string `yaml:"playback_id"`
	// Profiles overrides the gateway's ladder for this stream.
	Profiles []media.Profile `yaml:"profiles"`
}

// Config says which keys are admitted.
type Config struct {
	// AllowAnyKey admits every key: for the devnet only.
	AllowAnyKey bool `yaml:"allow_any_key"`
	// Keys are admitted without asking the webhook.
	Keys []StaticKey `yaml:"stream_keys"`
	// WebhookURL is asked about any other key; empty means no webhook.
	WebhookURL string `yaml:"webhook_url"`
	// WebhookTimeout bounds one webhook call.
	WebhookTimeout time.Duration `yaml:"webhook_timeout"`
	// PlaybackSecret keys the derivation of playback ids from stream keys;
	// empty means a random secret per process (ids change at restart).
	PlaybackSecret string `yaml:"playback_secret"`
}

// DefaultConfig admits no one until keys or a webhook are configured.
func DefaultConfig() Config {
	// Five seconds: a publisher's RTMP handshake waits for the answer.
	return Config{WebhookTimeout: 5 * time.Second}
}

var playbackIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("auth.webhook_url must be an http(s) URL, got %q", c.WebhookURL)
		}
	}
	if c.WebhookTimeout <= 0 {
		return fmt.Errorf("auth.webhook_timeout must be positive, got %s", c.WebhookTimeout)
	}
	seen := map[string]bool{}
	for i, k := range c.Keys {
		switch {
		case k.Key == "":
			return fmt.Errorf("auth.stream_keys[%d].key is empty", i)
		case seen[k.Key]:
			return fmt.Errorf("auth.stream_keys[%d].key appears twice", i)
		case k.PlaybackID != "" && !playbackIDPattern.MatchString(k.PlaybackID):
			return fmt.Errorf("auth.stream_keys[%d].playback_id must be 1-64 of [A-Za-z0-9_-]", i)
		case k.PlaybackID == k.Key:
			return fmt.Errorf("auth.stream_keys[%d].playback_id must not be the secret key", i)
		}
		if k.Profiles != nil {
			if err := media.ValidateLadder(k.Profiles); err != nil {
				return fmt.Errorf("auth.stream_keys[%d].profiles: %w", i, err)
			}
		}
		seen[k.Key] = true
	}
	return nil
}

// Grant is an admitted stream's identity and settings.
type Grant struct {
	PlaybackID string
	// Profiles is nil for the gateway's default ladder.
	Profiles []media.Profile
}

// Authorizer checks stream keys.
type Authorizer struct {
	cfg    Config
	secret []byte
	client *http.Client
	logger *slog.Logger
}

// New makes an Authorizer; client is used for the webhook.
func New(cfg Config, client *http.Client, logger *slog.Logger) (*Authorizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	secret := []byte(cfg.PlaybackSecret)
	if len(secret) == 0 {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
	}
	return &Authorizer{cfg: cfg, secret: secret, client: client, logger: logger.With("component", "auth")}, nil
}

// PlaybackID derives a key's playback id.
func (a *Authorizer) PlaybackID(key string) string {
	h := hmac.New(sha256.New, a.secret)
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// Authorize admits or refuses a publisher; refusals wrap
// ingest.ErrUnauthorized.
func (a *Authorizer) Authorize(ctx context.Context, req ingest.OpenRequest) (Grant, error) {
	if req.Key == "" {
		return Grant{}, fmt.Errorf("%w: empty key", ingest.ErrUnauthorized)
	}
	for _, k := range a.cfg.Keys {
		if hmac.Equal([]byte(k.Key), []byte(req.Key)) {
			g := Grant{PlaybackID: k.PlaybackID, Profiles: k.Profiles}
			if g.PlaybackID == "" {
				g.PlaybackID = a.PlaybackID(req.Key)
			}
			return g, nil
		}
	}
	if a.cfg.WebhookURL != "" {
		return a.webhook(ctx, req)
	}
	if a.cfg.AllowAnyKey {
		return Grant{PlaybackID: a.PlaybackID(req.Key)}, nil
	}
	return Grant{}, fmt.Errorf("%w: unknown key", ingest.ErrUnauthorized)
}

type webhookRequest struct {
	Key        string `json:"key"`
	RemoteAddr string `json:"remote_addr"`
	Protocol   string `json:"protocol"`
}

type webhookReply struct {
	PlaybackID string          `json:"playback_id"`
	Profiles   []media.Profile `json:"profiles"`
}

// maxWebhookReply bounds the webhook's answer.
const maxWebhookReply = 1 << 20

func (a *Authorizer) webhook(ctx context.Context, req ingest.OpenRequest) (Grant, error) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.WebhookTimeout)
	defer cancel()
	body, _ := json.Marshal(webhookRequest{Key: req.Key, RemoteAddr: req.RemoteAddr, Protocol: string(req.Protocol)})
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return Grant{}, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(hreq)
	if err != nil {
		a.logger.Warn("auth webhook unreachable; refusing", "err", err)
		return Grant{}, fmt.Errorf("%w: webhook unreachable: %w", ingest.ErrUnauthorized, err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxWebhookReply))
	if err != nil {
		return Grant{}, fmt.Errorf("%w: webhook reply: %w", ingest.ErrUnauthorized, err)
	}
	if resp.StatusCode != http.StatusOK {
		return Grant{}, fmt.Errorf("%w: webhook answered %d", ingest.ErrUnauthorized, resp.StatusCode)
	}
	return a.grant(req.Key, reply)
}

func (a *Authorizer) grant(key string, reply []byte) (Grant, error) {
	g := Grant{PlaybackID: a.PlaybackID(key)}
	if len(bytes.TrimSpace(reply)) == 0 {
		return g, nil
	}
	var r webhookReply
	if err := json.Unmarshal(reply, &r); err != nil {
		return Grant{}, fmt.Errorf("%w: webhook reply is not JSON: %w", ingest.ErrUnauthorized, err)
	}
	if r.PlaybackID != "" {
		if !playbackIDPattern.MatchString(r.PlaybackID) || r.PlaybackID == key {
			return Grant{}, fmt.Errorf("%w: webhook playback_id %q is not usable", ingest.ErrUnauthorized, r.PlaybackID)
		}
		g.PlaybackID = r.PlaybackID
	}
	if r.Profiles != nil {
		if err := media.ValidateLadder(r.Profiles); err != nil {
			return Grant{}, fmt.Errorf("%w: webhook profiles: %w", ingest.ErrUnauthorized, err)
		}
		g.Profiles = r.Profiles
	}
	return g, nil
}
