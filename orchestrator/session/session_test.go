package session

import (
	"errors"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newManager(t *testing.T, max int) (*Manager, *clock) {
	t.Helper()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	cfg := DefaultConfig()
	cfg.MaxSessions = max
	m, err := New(cfg, []byte("secret"), c.now)
	if err != nil {
		t.Fatal(err)
	}
	return m, c
}

func TestTokens(t *testing.T) {
	m, c := newManager(t, 2)
	tok, err := m.Issue("")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New(DefaultConfig(), []byte("other"), c.now)
	tests := []struct {
		name  string
		token func() Token
		want  error
	}{
		{"valid", func() Token { return tok }, nil},
		{"other session id", func() Token { x := tok; x.SessionID = "abc"; return x }, ErrBadToken},
		{"extended expiry", func() Token { x := tok; x.Expiration = x.Expiration.Add(time.Hour); return x }, ErrBadToken},
		{"empty", func() Token { return Token{} }, ErrBadToken},
		{"other secret", func() Token { x, _ := other.Issue(tok.SessionID); return x }, ErrBadToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := m.Verify(tt.token()); !errors.Is(err, tt.want) {
				t.Fatalf("got %v want %v", err, tt.want)
			}
		})
	}
	c.t = c.t.Add(31 * time.Minute)
	if err := m.Verify(tok); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("expired token: %v", err)
	}
}

func TestCapacity(t *testing.T) {
	m, c := newManager(t, 2)
	for _, id := range []string{"a", "b", "a"} {
		if err := m.Acquire(id); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	if err := m.Acquire("c"); !errors.Is(err, ErrCapped) {
		t.Fatalf("third session: %v", err)
	}
	m.End("a")
	if err := m.Acquire("c"); err != nil {
		t.Fatalf("after end: %v", err)
	}
	c.t = c.t.Add(71 * time.Second)
	if live, _ := m.Count(); live != 0 {
		t.Fatalf("idle sessions kept: %d", live)
	}
}
