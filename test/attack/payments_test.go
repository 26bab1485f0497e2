package attack

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/chain"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/discovery"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// ev is the orchestrators' ticket EV in these tests: 10 gwei.
const ev = 10_000_000_000

// flood sends segments at once on each of sessions new sessions of sender,
// paying what pay returns for segment j of session i, and returns how many
// were worked.
func flood(t *testing.T, node *orchNode, sender common.Address, sessions, segments int,
	pay func(i, j int, info orchclient.Info) *ticket.Payment,
) int64 {
	t.Helper()
	seg, profiles, _ := clip(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := range sessions {
		info, err := node.client.GetInfo(ctx, "freeloader", "", sender)
		if err != nil {
			t.Fatal(err)
		}
		for j := range segments {
			p := pay(i, j, info)
			wg.Go(func() {
				s := seg
				s.Seq = int64(j)
				_, err := node.client.Transcode(ctx, info.Token, fmt.Sprint("stream-", i), s, profiles, p)
				switch {
				case err == nil:
					ok.Add(1)
				case !errors.Is(err, orchclient.ErrPayment):
					t.Errorf("session %d segment %d: %v", i, j, err)
				}
			})
		}
	}
	wg.Wait()
	return ok.Load()
}

// unsigned is a payment naming sender with no tickets: it needs no key.
func unsigned(sender common.Address) func(int, int, orchclient.Info) *ticket.Payment {
	return func(_, _ int, info orchclient.Info) *ticket.Payment {
		return &ticket.Payment{Sender: sender, Params: *info.Params, ExpectedPrice: info.Price}
	}
}

// Issue #12 finding 1, played by a freeloading gateway over gRPC against a
// real orchestrator paid on an embedded chain: whatever address it names
// and however many sessions and segments it opens at once, the work done
// beyond what its tickets paid stays within one ticket's EV.
func TestFreeloadingGatewayGetsAtMostOneEV(t *testing.T) {
	n := startPayNet(t)
	n.fund(t, funded)
	_, _, px := clip(t)
	var work atomic.Int64
	node := n.startOrch(t, filepath.Join(t.TempDir(), "orch"), big.NewRat(ev, 4*px), ev, &work) // a segment costs EV/4
	victim := chain.DevAddress(funded)
	stranger, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}

	// No tickets at all, in the name of a funded gateway and of an
	// unfunded stranger (which gets no params of its own: it borrows the
	// funded one's): nothing is worked.
	for _, as := range []common.Address{victim, crypto.PubkeyToAddress(stranger.PublicKey)} {
		if got := flood(t, node, victim, 8, 4, unsigned(as)); got != 0 || work.Load() != 0 {
			t.Fatalf("as %s with no tickets: %d segments accepted, %d worked", as.Hex(), got, work.Load())
		}
	}

	// The funded gateway itself pays one ticket with the first segment of
	// its first session, and floods eight sessions with no more.
	key := chain.DevKey(funded)
	var paid *big.Rat
	got := flood(t, node, victim, 8, 8, func(i, j int, info orchclient.Info) *ticket.Payment {
		if i == 0 && j == 0 {
			paid = info.Params.EV()
			return payment(t, key, info, 0, 1)
		}
		return unsigned(victim)(i, j, info)
	})
	fee := big.NewRat(ev, 4)
	done := new(big.Rat).Mul(fee, big.NewRat(work.Load(), 1))
	limit := new(big.Rat).Add(paid, big.NewRat(ev, 1))
	if done.Cmp(limit) > 0 || got != work.Load() {
		t.Fatalf("%d segments worked (%s wei) on one ticket; at most %s wei may be", work.Load(), done.FloatString(0), limit.FloatString(0))
	}
	if work.Load() < 1 {
		t.Fatal("the paid segment was not worked")
	}
	t.Logf("%d segments worked on one ticket, %s wei", work.Load(), done.FloatString(0))
}

// Issue #12 finding 3, end to end: a gateway pays, the orchestrator
// restarts on the same data directory, the gateway sends the same payment
// again, on its old session and on a new one: refused, nothing worked.
func TestReplayAfterRestartRefused(t *testing.T) {
	n := startPayNet(t)
	n.fund(t, funded)
	seg, profiles, px := clip(t)
	dir := filepath.Join(t.TempDir(), "orch")
	var work atomic.Int64
	node := n.startOrch(t, dir, big.NewRat(ev, 4*px), ev, &work)
	key := chain.DevKey(funded)
	info, err := node.client.GetInfo(t.Context(), "gw", "", chain.DevAddress(funded))
	if err != nil {
		t.Fatal(err)
	}
	pay := payment(t, key, info, 0, 2)
	if _, err := node.client.Transcode(t.Context(), info.Token, "s", seg, profiles, pay); err != nil || work.Load() != 1 {
		t.Fatalf("the first payment: %v, %d worked", err, work.Load())
	}
	node.stop()

	node = n.startOrch(t, dir, big.NewRat(ev, 4*px), ev, &work)
	fresh, err := node.client.GetInfo(t.Context(), "gw", "", chain.DevAddress(funded))
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]orchclient.Token{"old session": info.Token, "new session": fresh.Token} {
		s := seg
		s.Seq = 1
		if _, err := node.client.Transcode(t.Context(), tok, "s", s, profiles, pay); !errors.Is(err, orchclient.ErrPayment) {
			t.Fatalf("%s: the replayed payment got %v", name, err)
		}
	}
	if work.Load() != 1 {
		t.Fatalf("%d segments worked after the replay", work.Load())
	}
	// A fresh ticket is still good.
	if _, err := node.client.Transcode(t.Context(), fresh.Token, "s2", seg, profiles, payment(t, key, fresh, 0, 1)); err != nil {
		t.Fatalf("a fresh payment after the restart: %v", err)
	}
}

// Issue #12 finding 2, played by a hostile orchestrator over gRPC: it
// quotes absurd ticket params or an absurd price to a real gateway
// selector paying with a real sender on the chain. The gateway refuses to
// pay it, sends it no work and serves both its streams through the honest
// orchestrator. (Below the HTTP ingest: the selector is what pays.)
func TestHostileOrchestratorTermsRefused(t *testing.T) {
	n := startPayNet(t)
	n.fund(t, funded)
	seg, profiles, px := clip(t)
	var work atomic.Int64
	honest := n.startOrch(t, filepath.Join(t.TempDir(), "orch"), big.NewRat(ev, 4*px), ev, &work)
	block, err := n.ec.BlockNumber(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	huge := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	tests := []struct {
		name  string
		quote func(info *pb.OrchestratorInfo)
	}{
		{"EV of one wei", func(info *pb.OrchestratorInfo) {
			info.TicketParams = n.params(big.NewInt(1e12), big.NewRat(1, 1), block+20)
		}},
		{"huge face value", func(info *pb.OrchestratorInfo) {
			info.TicketParams = n.params(huge, new(big.Rat).SetInt(huge), block+20)
		}},
		{"price near overflow", func(info *pb.OrchestratorInfo) {
			info.TicketParams = n.params(big.NewInt(1e12), big.NewRat(ev, 1), block+20)
			info.Prices[0].PricePerUnit = convert.RatToPB(new(big.Rat).SetInt(huge))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHostile(t, tt.quote)
			sel := n.gateway(t, []discovery.Node{
				{Addr: h.addr, Fingerprint: h.fingerprint}, {Addr: honest.o.Addr(), Fingerprint: honest.o.Fingerprint()},
			})
			before := work.Load()
			start := time.Now()
			var wg sync.WaitGroup
			for _, stream := range []string{"a", "b"} {
				wg.Go(func() {
					for seq := range 3 {
						s := seg
						s.Seq = int64(seq)
						if _, err := sel.Transcode(t.Context(), stream, s, profiles); err != nil {
							t.Errorf("stream %s segment %d: %v", stream, seq, err)
						}
					}
				})
			}
			wg.Wait()
			if h.asked.Load() == 0 {
				t.Fatal("the hostile orchestrator was never asked for terms: the test proves nothing")
			}
			if h.transcodes.Load() != 0 || work.Load()-before != 6 {
				t.Fatalf("hostile got %d segments, honest worked %d of 6", h.transcodes.Load(), work.Load()-before)
			}
			t.Logf("6 segments in %s", time.Since(start).Round(time.Millisecond))
		})
	}
}
