// Package session issues and checks the orchestrator's session tokens and
// caps how many sessions it serves at once.
//
// A token is HMAC-SHA256(secret, session id ‖ big-endian expiry): the
// orchestrator checks it without keeping state per token, as Livepeer's
// AuthToken does (livepeer.md §1.3). A session counts against MaxSessions
// from its first segment until EndSession or IdleTimeout without segments.
package session

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Errors callers map to gRPC statuses.
var (
	ErrBadToken     = errors.New("session token is not valid")
	ErrTokenExpired = errors.New("session token has expired")
	ErrCapped       = errors.New("orchestrator is at its session limit")
)

// Config sizes the session table.
type Config struct {
	// MaxSessions is how many sessions run at once (a session is one stream).
	MaxSessions int `yaml:"max_sessions"`
	// TokenTTL is how long a token stays valid; gateways refresh well before.
	TokenTTL time.Duration `yaml:"token_ttl"`
	// IdleTimeout frees a session that sent no segment for this long.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		// Livepeer's default; a 2-core CPU worker manages about 1.3 live 1080p
		// ladders, so operators raise this with their hardware.
		MaxSessions: 10,
		// 30 minutes, as Livepeer: long enough that refreshes are rare.
		TokenTTL: 30 * time.Minute,
		// 70 s, Livepeer's transcode loop timeout: a stream that stalls for
		// over a minute has gone.
		IdleTimeout: 70 * time.Second,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.MaxSessions < 1:
		return fmt.Errorf("max_sessions must be at least 1, got %d", c.MaxSessions)
	case c.TokenTTL < time.Minute:
		return fmt.Errorf("token_ttl must be at least 1m, got %s", c.TokenTTL)
	case c.IdleTimeout < time.Second:
		return fmt.Errorf("idle_timeout must be at least 1s, got %s", c.IdleTimeout)
	}
	return nil
}

// Token is a signed session token.
type Token struct {
	SessionID  string
	Expiration time.Time
	MAC        []byte
}

// Manager issues tokens and tracks live sessions.
type Manager struct {
	cfg    Config
	secret []byte
	now    func() time.Time

	mu       sync.Mutex
	sessions map[string]time.Time // session id → last segment
}

// New makes a Manager. A nil secret is replaced by a random one, so tokens
// do not survive a restart; now may be nil for time.Now.
func New(cfg Config, secret []byte, now func() time.Time) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(secret) == 0 {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
	}
	if now == nil {
		now = time.Now
	}
	return &Manager{cfg: cfg, secret: secret, now: now, sessions: map[string]time.Time{}}, nil
}

// Issue returns a fresh token for sessionID, or for a new session id when it
// is empty.
func (m *Manager) Issue(sessionID string) (Token, error) {
	if sessionID == "" {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return Token{}, err
		}
		sessionID = hex.EncodeToString(b)
	}
	exp := m.now().Add(m.cfg.TokenTTL).Truncate(time.Second)
	return Token{SessionID: sessionID, Expiration: exp, MAC: m.mac(sessionID, exp)}, nil
}

func (m *Manager) mac(sessionID string, exp time.Time) []byte {
	h := hmac.New(sha256.New, m.secret)
	h.Write([]byte(sessionID))
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(exp.Unix())))
	return h.Sum(nil)
}

// Verify checks a token's MAC and expiry.
func (m *Manager) Verify(t Token) error {
	if t.SessionID == "" || !hmac.Equal(t.MAC, m.mac(t.SessionID, t.Expiration)) {
		return ErrBadToken
	}
	if !m.now().Before(t.Expiration) {
		return ErrTokenExpired
	}
	return nil
}

// Acquire records a segment for a session, admitting it if it is new and
// there is room; it returns ErrCapped when there is not.
func (m *Manager) Acquire(sessionID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.expireLocked(now)
	if _, ok := m.sessions[sessionID]; !ok && len(m.sessions) >= m.cfg.MaxSessions {
		return ErrCapped
	}
	m.sessions[sessionID] = now
	return nil
}

// End frees a session.
func (m *Manager) End(sessionID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, sessionID)
}

// Count returns the live sessions and the limit.
func (m *Manager) Count() (live, limit int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireLocked(m.now())
	return len(m.sessions), m.cfg.MaxSessions
}

// Run frees idle sessions periodically until ctx ends, so the count stays
// right even when no segment arrives to trigger a sweep.
func (m *Manager) Run(ctx context.Context) error {
	t := time.NewTicker(m.cfg.IdleTimeout / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			m.mu.Lock()
			m.expireLocked(m.now())
			m.mu.Unlock()
		}
	}
}

func (m *Manager) expireLocked(now time.Time) {
	for id, last := range m.sessions {
		if now.Sub(last) >= m.cfg.IdleTimeout {
			delete(m.sessions, id)
		}
	}
}
