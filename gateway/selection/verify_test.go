package selection

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/attest"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// signingOrch answers every profile with the same real TS segment and
// signs the renditions; its terms name signer, which need not be the key
// it signs with.
type signingOrch struct {
	*fakeOrch
	key       *ecdsa.PrivateKey
	signer    common.Address
	rendition []byte
	drop      bool // leaves the last rendition out
}

func (o *signingOrch) GetInfo(ctx context.Context, g, session string, s common.Address) (orchclient.Info, error) {
	info, err := o.fakeOrch.GetInfo(ctx, g, session, s)
	info.Signer = o.signer
	return info, err
}

func (o *signingOrch) Transcode(ctx context.Context, tok orchclient.Token, id string, seg media.Segment, ps []media.Profile, pay *ticket.Payment) (orchclient.Result, error) {
	res, err := o.fakeOrch.Transcode(ctx, tok, id, seg, ps, pay)
	if err != nil {
		return res, err
	}
	for i := range res.Renditions {
		res.Renditions[i] = media.Rendition{Profile: ps[i], Container: media.MPEGTS, Data: o.rendition}
	}
	if o.drop {
		res.Renditions = res.Renditions[:len(res.Renditions)-1]
	}
	res.Signature, err = attest.Sign(o.key, id, seg.Seq, res.Renditions)
	return res, err
}

func clipSegment(t *testing.T, w, h int) []byte {
	t.Helper()
	segs := fixture.Segments(t, fixture.ClipSpec{Width: w, Height: h, FPS: 30, Duration: 2 * time.Second, GOP: 2 * time.Second}, 2*time.Second)
	b, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newSigning(t *testing.T, addr string, rendition []byte) *signingOrch {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &signingOrch{fakeOrch: idle(addr), key: key, signer: crypto.PubkeyToAddress(key.PublicKey), rendition: rendition}
}

// TestBadRenditionsAreCaught has a lying orchestrator, first in line, and
// an honest one. The honest one answers a 320x180 source's ladder (which
// is never upscaled: 320x180 in every profile) with the source itself.
func TestBadRenditionsAreCaught(t *testing.T) {
	source := clipSegment(t, 320, 180)
	tests := []struct {
		name string
		liar func(*signingOrch)
	}{
		{"wrong resolution", func(o *signingOrch) { o.rendition = clipSegment(t, 160, 90) }},
		{"wrong frame count", func(o *signingOrch) { o.rendition = clipSegment(t, 320, 180)[:len(source)/2] }},
		{"bad signature", func(o *signingOrch) {
			o.key, _ = crypto.GenerateKey() // signs with a key its terms do not name
		}},
		{"missing rendition", func(o *signingOrch) { o.drop = true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			liar, honest := newSigning(t, "a-liar", source), newSigning(t, "b-honest", source)
			tt.liar(liar)
			cands := []orchestrator{liar, honest}
			nodes, dial := fakeNet(cands)
			m := NewMetrics(prometheus.NewRegistry())
			s := newSelector(DefaultConfig(), "gw", Payments{}, nodes, dial, slog.New(slog.DiscardHandler), m)
			for seq := range int64(3) {
				rs, err := s.Transcode(t.Context(), "s", media.Segment{Seq: seq, Duration: 2 * time.Second, Data: source}, media.DefaultLadder())
				if err != nil {
					t.Fatalf("segment %d: %v", seq, err)
				}
				if len(rs) != 3 || string(rs[0].Data) != string(source) {
					t.Fatalf("segment %d: delivered %d renditions, not the honest ones", seq, len(rs))
				}
			}
			// Caught once, then suspended: the stream stays away.
			if liar.calls.Load() != 1 || honest.calls.Load() != 3 || testutil.ToFloat64(m.rejected) != 1 {
				t.Fatalf("liar %d honest %d rejected %v", liar.calls.Load(), honest.calls.Load(), testutil.ToFloat64(m.rejected))
			}
		})
	}
}

func TestVerificationFailureIsNotTheCallers(t *testing.T) {
	source := clipSegment(t, 320, 180)
	liar := newSigning(t, "a-liar", clipSegment(t, 160, 90))
	nodes, dial := fakeNet([]orchestrator{liar})
	s := newSelector(DefaultConfig(), "gw", Payments{}, nodes, dial, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	_, err := s.Transcode(t.Context(), "s", media.Segment{Seq: 1, Duration: 2 * time.Second, Data: source}, media.DefaultLadder())
	if !errors.Is(err, ErrNoOrchestrator) || !errors.Is(err, ErrBadRenditions) || errors.Is(err, orchclient.ErrBadInput) {
		t.Fatalf("got %v, want no orchestrator after bad renditions", err)
	}
}

// reSigner is a liar that signs with a key its terms do not name, and
// names that key in the terms it sends back with the renditions.
type reSigner struct{ *signingOrch }

func (o *reSigner) Transcode(ctx context.Context, tok orchclient.Token, id string, seg media.Segment, ps []media.Profile, pay *ticket.Payment) (orchclient.Result, error) {
	res, err := o.signingOrch.Transcode(ctx, tok, id, seg, ps, pay)
	res.Info, _ = o.fakeOrch.GetInfo(ctx, "", tok.SessionID, common.Address{})
	res.Info.Signer = crypto.PubkeyToAddress(o.key.PublicKey)
	return res, err
}

// Issue #12 finding 13: verification kept going after a bad signature:
// the terms a failed reply brought (a new signer among them) were taken
// before the renditions were checked. Now the signature is checked first,
// before any rendition is probed, and a failed reply changes no terms.
func TestBadSignatureStopsVerification(t *testing.T) {
	liar := &reSigner{newSigning(t, "a-liar", []byte("not a transport stream"))}
	named := liar.signer
	liar.key, _ = crypto.GenerateKey()
	nodes, dial := fakeNet([]orchestrator{liar})
	s := newSelector(DefaultConfig(), "gw", Payments{}, nodes, dial, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	source := clipSegment(t, 320, 180)
	_, err := s.Transcode(t.Context(), "s", media.Segment{Seq: 1, Duration: 2 * time.Second, Data: source}, media.DefaultLadder())
	if !errors.Is(err, attest.ErrNotSigner) {
		t.Fatalf("got %v, want the signature refused before any probe", err)
	}
	for _, v := range s.dir.snapshot() {
		if v.info.Signer != named {
			t.Fatalf("a reply with a bad signature changed the signer to %s", v.info.Signer.Hex())
		}
	}
}
