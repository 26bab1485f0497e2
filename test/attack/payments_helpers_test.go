package attack

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/orchestrator"
	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/chain"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/payments/wallet"
	"github.com/castmesh/castmesh/payments/wei"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/worker/hubclient"
)

// Dev accounts: 0 deployed the contracts, 1 is the orchestrator, 2 a
// funded gateway the attacker may impersonate or be.
const orchAccount, funded = 1, 2

// payNet is an embedded dev chain in this process with the contracts
// deployed, and a funded gateway account.
type payNet struct {
	info  chain.Info
	addrs broker.Addresses
	ec    *ethclient.Client
	dir   string
}

func startPayNet(t *testing.T) *payNet {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cc := chain.DefaultConfig()
	cc.DataDir, cc.HTTPAddr, cc.BlockPeriod, cc.Accounts = filepath.Join(t.TempDir(), "chain"), "127.0.0.1:0", 500*time.Millisecond, 3
	c, err := chain.New(ctx, cc, slog.New(slog.DiscardHandler))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("chain: %v", err)
		}
	})
	n := &payNet{info: c.Info(), dir: t.TempDir()}
	n.addrs = broker.Addresses{TicketBroker: n.info.TicketBroker, ServiceRegistry: n.info.ServiceRegistry}
	if n.ec, err = ethclient.DialContext(t.Context(), n.info.RPCURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.ec.Close)
	return n
}

// fund gives the dev account's gateway a deposit and a reserve for the
// orchestrator.
func (n *payNet) fund(t *testing.T, account int) {
	t.Helper()
	b, err := broker.New(n.ec, n.addrs, chain.DevKey(account))
	if err != nil {
		t.Fatal(err)
	}
	eth := big.NewInt(1e18)
	if _, err := b.FundDepositAndReserve(t.Context(), chain.DevAddress(orchAccount), eth, eth); err != nil {
		t.Fatal(err)
	}
}

// orchNode is an in-process orchestrator with payments on and one
// in-process worker that counts the segments it works on.
type orchNode struct {
	o      *orchestrator.Orchestrator
	work   *atomic.Int64
	stop   func()
	client *orchclient.Client
}

// startOrch starts an orchestrator on dataDir, charging price per pixel
// with tickets of ev, and its worker.
func (n *payNet) startOrch(t *testing.T, dataDir string, price *big.Rat, ev int64, work *atomic.Int64) *orchNode {
	t.Helper()
	keyFile := filepath.Join(n.dir, "orchestrator.key")
	if _, err := os.Stat(keyFile); err != nil {
		if err := wallet.WriteKey(keyFile, chain.DevKey(orchAccount)); err != nil {
			t.Fatal(err)
		}
	}
	cfg := orchestrator.DefaultConfig()
	cfg.GRPCAddr, cfg.AdminAddr, cfg.WorkerSecret, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", "attack-worker-secret", dataDir
	cfg.Payments.Eth = wallet.Config{RPCURL: n.info.RPCURL, KeyFile: keyFile, Contracts: n.addrs}
	cfg.Payments.Prices.Transcode = wei.NewPrice(price)
	cfg.Payments.Recipient.TicketEV = wei.NewAmount(big.NewInt(ev))
	cfg.Payments.Recipient.MaxFaceValue = wei.NewAmount(big.NewInt(ev * 10))
	ctx, cancel := context.WithCancel(context.Background())
	o, err := orchestrator.New(ctx, cfg, "attack", prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 2)
	go func() { done <- o.Run(ctx) }()
	w, err := hubclient.New(hubclient.Config{
		Orchestrator: o.Addr(), Secret: cfg.WorkerSecret, WorkerID: "w1", Capacity: 16, Fingerprint: o.Fingerprint(),
		ReconnectMin: 50 * time.Millisecond, ReconnectMax: time.Second, MaxJobBytes: 64 << 20,
	}, counting{work}, []hubclient.Encoder{{Codec: media.H264, Name: "passthrough"}}, nil,
		slog.New(slog.DiscardHandler), hubclient.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() { done <- w.Run(ctx) }()
	node := &orchNode{o: o, work: work}
	stopped := false
	node.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		for range 2 {
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("orchestrator or worker: %v", err)
			}
		}
		node.client.Close()
	}
	t.Cleanup(node.stop)
	if node.client, err = orchclient.New(o.Addr(), o.Fingerprint(), 64<<20); err != nil {
		t.Fatal(err)
	}
	fixture.Eventually(t, 10*time.Second, func() bool {
		info, err := node.client.GetInfo(t.Context(), "probe", "", chain.DevAddress(funded))
		return err == nil && info.Load.Workers == 1
	})
	return node
}

// counting is a worker that counts its jobs and answers each with the
// input as every rendition.
type counting struct{ n *atomic.Int64 }

func (c counting) Transcode(_ context.Context, job hubclient.Job) ([]media.Rendition, error) {
	c.n.Add(1)
	info, err := media.ProbeTS(job.Input)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", hubclient.ErrBadInput, err)
	}
	out := make([]media.Rendition, 0, len(job.Profiles))
	for _, p := range job.Profiles {
		out = append(out, media.Rendition{
			Profile: p, Width: info.Video.Width, Height: info.Video.Height, Frames: info.Video.Frames,
			Container: media.MPEGTS, Data: job.Input, Codecs: info.Codecs(),
		})
	}
	return out, nil
}

// clip is one real 2 s 320×180 segment and a one-rung ladder of its own
// size, and the pixels the orchestrator estimates for it.
func clip(t *testing.T) (media.Segment, []media.Profile, int64) {
	t.Helper()
	segs := fixture.Segments(t, fixture.ClipSpec{Width: 320, Height: 180, FPS: 30, Duration: 2 * time.Second, GOP: 2 * time.Second}, 2*time.Second)
	data, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	info, err := media.ProbeTS(data)
	if err != nil {
		t.Fatal(err)
	}
	profiles := []media.Profile{{Name: "same", Width: 320, Height: 180, Bitrate: 300_000}}
	return media.Segment{Data: data, Duration: 2 * time.Second}, profiles, media.EstimatePixels(info.Video, profiles)
}

// payment is a payment from key under info's terms with tickets nonces
// first.. first+n−1, signed.
func payment(t *testing.T, key *ecdsa.PrivateKey, info orchclient.Info, first uint32, n int) *ticket.Payment {
	t.Helper()
	from := crypto.PubkeyToAddress(key.PublicKey)
	pay := &ticket.Payment{Sender: from, Params: *info.Params, ExpectedPrice: info.Price}
	for i := range n {
		nonce := first + uint32(i) //nolint:gosec // a handful of tickets
		sig, err := ticket.Sign(info.Params.Ticket(from, nonce), key)
		if err != nil {
			t.Fatal(err)
		}
		pay.Tickets = append(pay.Tickets, ticket.SenderTicket{Nonce: nonce, Sig: sig})
	}
	return pay
}
