package orchclient

import (
	"fmt"

	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// Bounds on an orchestrator's terms. A GetInfo reply is a stranger's
// message the gateway keeps for every orchestrator it knows, so its size
// and every list in it are capped before anything is built from it.
const (
	// MaxInfoBytes caps a GetInfo reply on the wire: an honest one with
	// hundreds of AI models is a few KiB.
	MaxInfoBytes = 256 << 10
	// maxTranscodeCaps caps the encoders listed: a few per codec.
	maxTranscodeCaps = 64
	// maxAIModels caps the AI models listed, and maxPrices the prices.
	maxAIModels = 256
	maxPrices   = maxAIModels + 8
	// maxTermString caps every string in the terms (address, version,
	// pipeline, model id, encoder, capability, constraint).
	maxTermString = 256
)

// checkInfo refuses terms whose lists or strings pass the bounds.
func checkInfo(p *pb.OrchestratorInfo) error {
	caps := p.GetCapabilities()
	switch {
	case len(caps.GetTranscode()) > maxTranscodeCaps:
		return fmt.Errorf("%w: %d transcode capabilities, the most is %d", ErrProtocol, len(caps.GetTranscode()), maxTranscodeCaps)
	case len(caps.GetAi()) > maxAIModels:
		return fmt.Errorf("%w: %d AI models, the most is %d", ErrProtocol, len(caps.GetAi()), maxAIModels)
	case len(p.GetPrices()) > maxPrices:
		return fmt.Errorf("%w: %d prices, the most is %d", ErrProtocol, len(p.GetPrices()), maxPrices)
	}
	strs := []string{p.GetAddress(), caps.GetVersion(), p.GetAuthToken().GetSessionId()}
	for _, t := range caps.GetTranscode() {
		strs = append(strs, t.GetEncoder())
	}
	for _, a := range caps.GetAi() {
		strs = append(strs, a.GetPipeline(), a.GetModelId())
	}
	for _, pr := range p.GetPrices() {
		strs = append(strs, pr.GetCapability(), pr.GetConstraint())
	}
	for _, s := range strs {
		if len(s) > maxTermString {
			return fmt.Errorf("%w: a %d-byte string in the terms, the most is %d", ErrProtocol, len(s), maxTermString)
		}
	}
	if n := len(p.GetAuthToken().GetToken()); n > maxTermString {
		return fmt.Errorf("%w: a %d-byte token", ErrProtocol, n)
	}
	return nil
}
