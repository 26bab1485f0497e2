package rpc

import (
	"context"
	"math/big"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/payments/recipient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
	"github.com/castmesh/castmesh/test/fixture"
)

// fakePayments records what the rpc asks of billing.
type fakePayments struct {
	mu       sync.Mutex
	accept   error
	accepted []int64 // estimated pixels per accepted payment
	charged  []int64
	held     int // holds not yet charged or released
}

func (f *fakePayments) Address() common.Address { return common.Address{0xaa} }
func (f *fakePayments) Price(string, string) (*big.Rat, bool) {
	return big.NewRat(1000, 1), true
}

func (f *fakePayments) Params(_ context.Context, sender common.Address) (*ticket.Params, error) {
	return &ticket.Params{
		Recipient: f.Address(), FaceValue: big.NewInt(1000), WinProb: big.NewInt(5),
		RecipientRandHash: common.BytesToHash(sender.Bytes()), Seed: make([]byte, 32), ExpirationBlock: 10, ChainID: 1337,
		Broker: common.Address{0xbb},
	}, nil
}

func (f *fakePayments) Accept(_ context.Context, _ string, _ *ticket.Payment, _ *big.Rat, pixels int64) (*big.Rat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.accept != nil {
		return nil, f.accept
	}
	f.accepted = append(f.accepted, pixels)
	f.held++
	return big.NewRat(pixels, 1), nil
}

func (f *fakePayments) Charge(_ context.Context, _ common.Address, _ string, held *big.Rat, pixels int64) (*big.Rat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.charged = append(f.charged, pixels)
	f.held--
	return big.NewRat(-3, 2), nil
}

func (f *fakePayments) Release(common.Address, string, *big.Rat) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.held--
}

func realSegment(t *testing.T) []byte {
	t.Helper()
	segs := fixture.Segments(t, fixture.ClipSpec{Width: 320, Height: 180, FPS: 30, Duration: 2 * time.Second, GOP: 2 * time.Second}, 2*time.Second)
	b, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func payment(t *testing.T, e *env, sender common.Address) *pb.Payment {
	t.Helper()
	resp, err := e.orch.GetInfo(t.Context(), &pb.GetInfoRequest{Sender: sender.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	params, err := convert.ParamsFromPB(resp.GetInfo().GetTicketParams())
	if err != nil {
		t.Fatal(err)
	}
	return convert.PaymentToPB(&ticket.Payment{
		Sender: sender, Params: *params, ExpectedPrice: big.NewRat(1000, 1),
		Tickets: []ticket.SenderTicket{{Nonce: 0, Sig: make([]byte, 65)}},
	})
}

func TestGetInfoWithPayments(t *testing.T) {
	e := start(t, 10, &fakePayments{})
	resp, err := e.orch.GetInfo(t.Context(), &pb.GetInfoRequest{Sender: common.Address{7}.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	info := resp.GetInfo()
	if common.BytesToAddress(info.GetEthAddress()) != (common.Address{0xaa}) || info.GetTicketParams() == nil ||
		len(info.GetPrices()) != 1 || info.GetPrices()[0].GetCapability() != "transcode" {
		t.Fatalf("info %v", info)
	}
	if resp, _ := e.orch.GetInfo(t.Context(), &pb.GetInfoRequest{}); resp.GetInfo().GetTicketParams() != nil {
		t.Fatal("params without a sender")
	}
	if _, err := e.orch.GetInfo(t.Context(), &pb.GetInfoRequest{Sender: []byte{1, 2}}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("malformed sender: %v", err)
	}
}

func TestTranscodeIsPaid(t *testing.T) {
	fp := &fakePayments{}
	e := start(t, 10, fp)
	if _, err := connectWorker(t, e, "w1", secret, echo); err != nil {
		t.Fatal(err)
	}
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 1 })
	data := realSegment(t)
	sender := common.Address{7}

	// No payment: refused before any work.
	u := ptr(e.newUpload(t, data))
	if _, err := e.send(t, u); status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("unpaid: %v", err)
	}
	// A payment billing refuses: refused too.
	fp.accept = recipient.ErrNonceReplay
	u.payment = payment(t, e, sender)
	if _, err := e.send(t, u); status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("refused payment: %v", err)
	}
	fp.accept = nil
	rs, err := e.send(t, u)
	if err != nil {
		t.Fatal(err)
	}
	ladder := media.DefaultLadder()
	wantEstimate := media.EstimatePixels(media.VideoInfo{Width: 320, Height: 180, Frames: 60}, ladder)
	if len(fp.accepted) != 1 || fp.accepted[0] != wantEstimate {
		t.Fatalf("accepted %v, want one payment for %d estimated pixels", fp.accepted, wantEstimate)
	}
	if len(fp.charged) != 1 || fp.charged[0] != media.Pixels(rs) || u.done.GetBilledPixels() != uint64(media.Pixels(rs)) ||
		u.done.GetBalance() != "-3/2" {
		t.Fatalf("charged %v for %d pixels; done %v", fp.charged, media.Pixels(rs), u.done)
	}
	if len(u.infos) == 0 || u.infos[len(u.infos)-1].GetTicketParams() == nil {
		t.Fatal("responses must carry fresh ticket params")
	}
	if fp.held != 0 {
		t.Fatalf("%d holds left", fp.held)
	}
}

func TestFailedWorkReleasesItsHold(t *testing.T) {
	fp := &fakePayments{}
	e := start(t, 10, fp)
	if _, err := connectWorker(t, e, "w1", secret, fail(pb.JobErrorCode_JOB_ERROR_CODE_INTERNAL)); err != nil {
		t.Fatal(err)
	}
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 1 })
	u := ptr(e.newUpload(t, realSegment(t)))
	u.payment = payment(t, e, common.Address{7})
	if _, err := e.send(t, u); status.Code(err) != codes.Internal {
		t.Fatalf("got %v", err)
	}
	fp.mu.Lock()
	defer fp.mu.Unlock()
	if len(fp.accepted) != 1 || len(fp.charged) != 0 || fp.held != 0 {
		t.Fatalf("accepted %v charged %v, %d holds left", fp.accepted, fp.charged, fp.held)
	}
}
