package aiapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/ticket"
)

// fakeOrch is an orchestrator that offers models and answers with a func.
type fakeOrch struct {
	addr   string
	mu     sync.Mutex
	models []orchclient.AIModel
	answer func(req orchclient.AIRequest, out orchclient.AIOutput) error
	calls  atomic.Int32
	infos  atomic.Int32
	// price, when set, is what every model costs per unit, with ticket
	// params for a paying gateway.
	price *big.Rat
}

func (f *fakeOrch) Addr() string { return f.addr }

func (f *fakeOrch) GetInfo(context.Context, string, string, common.Address) (orchclient.Info, error) {
	f.infos.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	info := orchclient.Info{
		Address: f.addr, AI: append([]orchclient.AIModel(nil), f.models...),
		Token: orchclient.Token{SessionID: "s-" + f.addr, Expiration: time.Now().Add(time.Hour)},
	}
	if f.price != nil {
		info.Params = &ticket.Params{}
		info.AIPrices = map[orchclient.AIKey]*big.Rat{}
		for _, m := range f.models {
			info.AIPrices[m.AIKey] = f.price
		}
	}
	return info, nil
}

func (f *fakeOrch) AI(_ context.Context, _ orchclient.Token, req orchclient.AIRequest, _ *ticket.Payment, out orchclient.AIOutput) (orchclient.AIResult, bool, error) {
	f.calls.Add(1)
	started := false
	err := f.answer(req, func(ct string, data []byte) error {
		started = true
		return out(ct, data)
	})
	return orchclient.AIResult{Elapsed: time.Millisecond}, started, err
}

func model(pipe, id string, warm bool, capacity, inUse int) orchclient.AIModel {
	return orchclient.AIModel{AIKey: orchclient.AIKey{Pipeline: pipe, ModelID: id}, Warm: warm, Capacity: capacity, InUse: inUse}
}

// imageAnswer answers an ImageResponse holding one tiny PNG, naming the
// orchestrator in its seed.
func imageAnswer(seed int64) func(orchclient.AIRequest, orchclient.AIOutput) error {
	return func(_ orchclient.AIRequest, out orchclient.AIOutput) error {
		b, _ := json.Marshal(pipeline.ImageResponse{Images: []pipeline.MediaJSON{{
			URL: pipeline.DataURL("image/png", []byte("\x89PNG\r\n\x1a\n fake")), Seed: seed,
		}}})
		return out("application/json", b)
	}
}

type env struct {
	api *API
	srv *httptest.Server
}

func newEnv(t *testing.T, edit func(*Config), orchs ...*fakeOrch) *env {
	t.Helper()
	return newEnvDeps(t, edit, nil, orchs...)
}

// newEnvDeps is newEnv with Deps edited: keys, a payer.
func newEnvDeps(t *testing.T, edit func(*Config), editDeps func(*Deps), orchs ...*fakeOrch) *env {
	t.Helper()
	cfg := DefaultConfig()
	cfg.RetryTimeout = 2 * time.Second
	if edit != nil {
		edit(&cfg)
	}
	var os []Orchestrator
	for _, o := range orchs {
		os = append(os, o)
	}
	e := &env{}
	deps := Deps{
		GatewayID: "gw", Orchestrators: os, Audio: pipeline.FFprobe{},
		BaseURL: func(*http.Request) string { return e.srv.URL },
	}
	if editDeps != nil {
		editDeps(&deps)
	}
	api, err := New(t.Context(), cfg, deps, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	e.api = api
	e.srv = httptest.NewServer(api.Handler())
	t.Cleanup(e.srv.Close)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { _ = api.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return e
}
