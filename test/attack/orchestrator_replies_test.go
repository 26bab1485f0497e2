package attack

import (
	"context"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/pkg/discovery"
	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/test/fixture"
)

// TestHostileOrchestratorReplies points a gateway's selection at
// orchestrators that answer GetInfo with huge capability lists, huge
// strings, oversized and malformed replies, or never, and at one that
// answers well but signs its renditions with another key, beside one
// honest orchestrator. The gateway bounds every reply, keeps its memory,
// and sends every segment to the honest one.
func TestHostileOrchestratorReplies(t *testing.T) {
	hostile := map[string]func(ctx context.Context) (*pb.OrchestratorInfo, error){
		"huge capability list": func(context.Context) (*pb.OrchestratorInfo, error) {
			caps := &pb.Capabilities{}
			for range 5000 {
				caps.Transcode = append(caps.Transcode, &pb.TranscodeCapability{Codec: pb.VideoCodec_VIDEO_CODEC_H264})
			}
			return &pb.OrchestratorInfo{Address: "x", Capabilities: caps, Load: &pb.Load{Workers: 1, JobCapacity: 1000, MaxSessions: 1000}}, nil
		},
		"huge AI model list": func(context.Context) (*pb.OrchestratorInfo, error) {
			caps := &pb.Capabilities{}
			for range 2000 {
				caps.Ai = append(caps.Ai, &pb.AICapability{Pipeline: "llm", ModelId: "m"})
			}
			return &pb.OrchestratorInfo{Address: "x", Capabilities: caps}, nil
		},
		"huge strings": func(context.Context) (*pb.OrchestratorInfo, error) {
			return &pb.OrchestratorInfo{Address: strings.Repeat("a", 200<<10)}, nil
		},
		"oversized reply": func(context.Context) (*pb.OrchestratorInfo, error) {
			return &pb.OrchestratorInfo{Address: "x", AuthToken: &pb.AuthToken{Token: make([]byte, 3<<20)}}, nil
		},
		"malformed address": func(context.Context) (*pb.OrchestratorInfo, error) {
			return &pb.OrchestratorInfo{Address: "x", EthAddress: []byte{1, 2, 3}}, nil
		},
		"never answers": func(ctx context.Context) (*pb.OrchestratorInfo, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
	}
	var nodes []discovery.Node
	for _, info := range hostile {
		f := newFakeOrchestrator(t)
		f.info = info
		addr, fp := serveFake(t, f)
		nodes = append(nodes, discovery.Node{Addr: addr, Fingerprint: fp})
	}
	// A liar with the best terms, whose renditions another key signs.
	liar := newFakeOrchestrator(t)
	liarAddr, liarFP := serveFake(t, liar)
	liar.key = newFakeOrchestrator(t).key
	honest := newFakeOrchestrator(t)
	honestAddr, honestFP := serveFake(t, honest)
	nodes = append(nodes, discovery.Node{Addr: liarAddr, Fingerprint: liarFP}, discovery.Node{Addr: honestAddr, Fingerprint: honestFP})

	cfg := selection.DefaultConfig()
	cfg.InfoTimeout = time.Second
	s, err := selection.New(cfg, "gw", selection.Payments{}, func() []discovery.Node { return nodes },
		slog.New(slog.DiscardHandler), selection.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 5 {
		if got := s.Refresh(t.Context()); got != 2 {
			t.Fatalf("%d orchestrators usable, want the honest one and the liar", got)
		}
	}
	if got := s.Capacity(); got != 8 {
		t.Fatalf("capacity %d, want 4 + 4: no hostile terms kept", got)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 64<<20 { //nolint:gosec // heap sizes
		t.Errorf("heap grew %d MiB over five rounds of hostile replies", grown>>20)
	}

	segs := fixture.Segments(t, fixture.ClipSpec{Width: 320, Height: 180, FPS: 30, Duration: 2 * time.Second, GOP: 2 * time.Second}, 2*time.Second)
	source, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	for seq := range int64(3) {
		rs, err := s.Transcode(t.Context(), "stream", media.Segment{Seq: seq, Duration: 2 * time.Second, Data: source}, media.DefaultLadder())
		if err != nil {
			t.Fatalf("segment %d: %v", seq, err)
		}
		if len(rs) != 3 {
			t.Fatalf("segment %d: %d renditions", seq, len(rs))
		}
	}
	if n := len(honest.transcodes); n != 3 {
		t.Errorf("the honest orchestrator transcoded %d of 3 segments", n)
	}
	if n := len(liar.transcodes); n > 1 {
		t.Errorf("the liar was sent %d segments after its bad signature", n)
	}
}
