package aiapi

import (
	"bytes"
	"context"
	"math/big"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/payments/wei"
	"github.com/castmesh/castmesh/test/fixture"
)

const (
	appKey = "app-key-0123456789"
	ttsKey = "tts-key-0123456789"
)

func keyring(t *testing.T, addr string, edit func(*apikey.Config)) *apikey.Keyring {
	t.Helper()
	cfg := apikey.DefaultConfig()
	cfg.Keys = []apikey.Key{
		{Key: appKey, Name: "app", Scopes: []string{apikey.ScopeAI}},
		{Key: ttsKey, Name: "tts", Scopes: []string{"ai:text-to-speech"}},
	}
	if edit != nil {
		edit(&cfg)
	}
	k, err := apikey.New(cfg, addr, false)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestAIAPINeedsKeysOffLoopback: Issue #12 finding 4: the AI API spent the
// gateway's deposit for anyone. Off loopback a key is needed, of the
// pipeline's scope, before the orchestrator is ever asked; without any
// key configured, no one gets in.
func TestAIAPINeedsKeysOffLoopback(t *testing.T) {
	o := &fakeOrch{addr: "o", models: []orchclient.AIModel{model("upscale", "m", true, 4, 0)}, answer: imageAnswer(1)}
	e := newEnvDeps(t, nil, func(d *Deps) { d.Keys = keyring(t, "0.0.0.0:8935", nil) }, o)
	ct, body := upscaleForm(t, nil)
	tests := []struct {
		name   string
		header []string
		status int
		code   string
	}{
		{"no key", nil, 401, "unauthorized"},
		{"unknown key", []string{"Authorization", "Bearer nobody-0123456789"}, 401, "unauthorized"},
		{"another pipeline's key", []string{"Authorization", "Bearer " + ttsKey}, 403, "forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, resp := post(t, e.srv.URL+"/upscale", ct, body, tt.header...)
			if status != tt.status || errCode(t, resp) != tt.code {
				t.Fatalf("%d %s", status, resp)
			}
		})
	}
	if o.calls.Load() != 0 {
		t.Fatalf("refused requests reached the orchestrator %d times", o.calls.Load())
	}
	if status, resp := post(t, e.srv.URL+"/upscale", ct, body, "Authorization", "Bearer "+appKey); status != 200 {
		t.Fatalf("with the key: %d %s", status, resp)
	}
	if status, resp := post(t, e.srv.URL+"/image-to-video/result", "application/json", []byte(`{"request_id":"x"}`)); status != 401 {
		t.Fatalf("async results without a key: %d %s", status, resp)
	}

	none := newEnvDeps(t, nil, func(d *Deps) {
		d.Keys = keyring(t, "0.0.0.0:8935", func(c *apikey.Config) { c.Keys = nil })
	}, o)
	if status, resp := post(t, none.srv.URL+"/upscale", ct, body); status != 401 {
		t.Fatalf("public, no key configured: %d %s", status, resp)
	}
	open := newEnvDeps(t, nil, func(d *Deps) {
		d.Keys = keyring(t, "127.0.0.1:8935", func(c *apikey.Config) { c.Keys = nil })
	}, o)
	if status, resp := post(t, open.srv.URL+"/upscale", ct, body); status != 200 {
		t.Fatalf("loopback devnet: %d %s", status, resp)
	}
}

// TestAIKeyConcurrencyAndRate: a key's requests at once and per second are
// capped with 429 and Retry-After.
func TestAIKeyConcurrencyAndRate(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)
	o := &fakeOrch{
		addr: "o", models: []orchclient.AIModel{model("upscale", "m", true, 8, 0)},
		answer: func(req orchclient.AIRequest, out orchclient.AIOutput) error {
			<-release
			return imageAnswer(1)(req, out)
		},
	}
	e := newEnvDeps(t, nil, func(d *Deps) {
		d.Keys = keyring(t, "0.0.0.0:8935", func(c *apikey.Config) {
			c.Limits = apikey.Limits{Rate: 1000, Burst: 3, MaxConcurrent: 1}
		})
	}, o)
	ct, body := upscaleForm(t, nil)
	first := make(chan int, 1)
	go func() {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+"/upscale", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+appKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	fixture.Eventually(t, 5*time.Second, func() bool { return o.calls.Load() == 1 })
	status, resp := post(t, e.srv.URL+"/upscale", ct, body, "Authorization", "Bearer "+appKey)
	if status != 429 || errCode(t, resp) != "too_many_concurrent" {
		t.Fatalf("a second request at once: %d %s", status, resp)
	}
	free()
	if s := <-first; s != 200 {
		t.Fatalf("the first: %d", s)
	}
	// Burst 3: the first, the refused one (which cost no token) and this one.
	if status, resp := post(t, e.srv.URL+"/upscale", ct, body, "Authorization", "Bearer "+appKey); status != 200 {
		t.Fatalf("after the first ended: %d %s", status, resp)
	}
}

// spendPayer pays anything and records what was paid.
type spendPayer struct {
	mu   sync.Mutex
	pays int
}

func (p *spendPayer) Address() common.Address { return common.Address{0x42} }

func (p *spendPayer) Pay(_ context.Context, req sender.Request) (*ticket.Payment, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pays++
	return &ticket.Payment{ExpectedPrice: req.Price}, nil
}

func (p *spendPayer) Settle(context.Context, balance.Key, *big.Rat, *big.Rat) (balance.Balance, error) {
	return balance.Balance{}, nil
}

func (p *spendPayer) Release(context.Context, balance.Key, *big.Rat, *ticket.Payment) error {
	return nil
}

// TestAIKeySpendCap: a key's AI requests cost at most max_spend a window:
// past it the gateway mints no ticket and answers 429 spend_limit.
func TestAIKeySpendCap(t *testing.T) {
	o := &fakeOrch{
		addr: "o", models: []orchclient.AIModel{model("upscale", "m", true, 4, 0)},
		answer: imageAnswer(1), price: big.NewRat(1, 1),
	}
	payer := &spendPayer{}
	ct, body := upscaleForm(t, nil)
	e := newEnvDeps(t, nil, func(d *Deps) {
		d.Payments = Payments{Payer: payer}
		d.Keys = keyring(t, "0.0.0.0:8935", func(c *apikey.Config) {
			// An upscale of 16×16 costs 256 input pixels at 1 wei: two fit.
			c.Limits.MaxSpend, _ = wei.ParseAmount("600")
		})
	}, o)
	for i := range 2 {
		if status, resp := post(t, e.srv.URL+"/upscale", ct, body, "Authorization", "Bearer "+appKey); status != 200 {
			t.Fatalf("request %d within the cap: %d %s", i, status, resp)
		}
	}
	status, resp := post(t, e.srv.URL+"/upscale", ct, body, "Authorization", "Bearer "+appKey)
	if status != 429 || errCode(t, resp) != "spend_limit" {
		t.Fatalf("past the cap: %d %s", status, resp)
	}
	payer.mu.Lock()
	defer payer.mu.Unlock()
	if payer.pays != 2 {
		t.Fatalf("%d payments made, want 2: nothing is paid past the cap", payer.pays)
	}
}
