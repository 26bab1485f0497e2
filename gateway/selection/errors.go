package selection

import "errors"

// ErrNoOrchestrator means no candidate could take the segment.
var ErrNoOrchestrator = errors.New("no orchestrator available")
