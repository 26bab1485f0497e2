package orchclient

import (
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// Issue #12 finding 13: GetInfo replies were read without a size limit
// and kept whatever lists an orchestrator sent. Now the reply is capped on
// the wire, and its lists and strings before anything is built from them.
func TestGetInfoBounded(t *testing.T) {
	many := func(n int, f func(i int) *pb.OrchestratorInfo) func() *pb.OrchestratorInfo {
		return func() *pb.OrchestratorInfo { return f(n) }
	}
	for _, tc := range []struct {
		name string
		info func() *pb.OrchestratorInfo
	}{
		{"too many encoders", many(maxTranscodeCaps+1, func(n int) *pb.OrchestratorInfo {
			caps := &pb.Capabilities{}
			for range n {
				caps.Transcode = append(caps.Transcode, &pb.TranscodeCapability{Codec: pb.VideoCodec_VIDEO_CODEC_H264})
			}
			return &pb.OrchestratorInfo{Address: "o:1", Capabilities: caps}
		})},
		{"too many AI models", many(maxAIModels+1, func(n int) *pb.OrchestratorInfo {
			caps := &pb.Capabilities{}
			for range n {
				caps.Ai = append(caps.Ai, &pb.AICapability{Pipeline: "text-to-image", ModelId: "m"})
			}
			return &pb.OrchestratorInfo{Address: "o:1", Capabilities: caps}
		})},
		{"too many prices", many(maxPrices+1, func(n int) *pb.OrchestratorInfo {
			p := &pb.OrchestratorInfo{Address: "o:1"}
			for range n {
				p.Prices = append(p.Prices, &pb.PriceInfo{Capability: "llm"})
			}
			return p
		})},
		{"huge model id", func() *pb.OrchestratorInfo {
			return &pb.OrchestratorInfo{Address: "o:1", Capabilities: &pb.Capabilities{Ai: []*pb.AICapability{{ModelId: strings.Repeat("m", maxTermString+1)}}}}
		}},
		{"huge version", func() *pb.OrchestratorInfo {
			return &pb.OrchestratorInfo{Address: "o:1", Capabilities: &pb.Capabilities{Version: strings.Repeat("v", maxTermString+1)}}
		}},
		{"over the wire limit", func() *pb.OrchestratorInfo {
			return &pb.OrchestratorInfo{Address: "o:1", AuthToken: &pb.AuthToken{Token: make([]byte, MaxInfoBytes)}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := serve(t, &fakeOrch{info: tc.info})
			_, err := c.GetInfo(t.Context(), "gw", "", common.Address{})
			if err == nil {
				t.Fatal("accepted")
			}
			if tc.name != "over the wire limit" && !errors.Is(err, ErrProtocol) {
				t.Errorf("err %v, want ErrProtocol", err)
			}
		})
	}
	// Just within the bounds is fine.
	c := serve(t, &fakeOrch{info: many(maxAIModels, func(n int) *pb.OrchestratorInfo {
		caps := &pb.Capabilities{}
		for range n {
			caps.Ai = append(caps.Ai, &pb.AICapability{Pipeline: "text-to-image", ModelId: strings.Repeat("m", maxTermString)})
		}
		return &pb.OrchestratorInfo{Address: "o:1", Capabilities: caps}
	})})
	if info, err := c.GetInfo(t.Context(), "gw", "", common.Address{}); err != nil || len(info.AI) != maxAIModels {
		t.Fatalf("a reply at the bounds: %d models, %v", len(info.AI), err)
	}
}
