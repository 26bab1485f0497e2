package selection

import "errors"

// ErrNoOrchestrator means no candidate could take the segment.
var ErrNoOrchestrator = errors.New("no orchestrator available")

// errUnvouched is an orchestrator whose terms name another signer than
// the one discovery vouched for it with: someone gossiped its address as
// theirs, or it is not who it was said to be.
var errUnvouched = errors.New("orchestrator's signer is not the one discovery named")
