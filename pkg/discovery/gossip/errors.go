package gossip

import (
	"errors"
	"fmt"
)

var (
	// ErrStateTooLarge means a state marshals to more than MaxStateSize bytes.
	ErrStateTooLarge = errors.New("state too large")
	// ErrInvalidRole means a role is empty, longer than 64 bytes or not UTF-8.
	ErrInvalidRole = errors.New("invalid role")
	// ErrRunTwice means Run was called a second time.
	ErrRunTwice = errors.New("gossip: Run called twice")
	// ErrMalformed means a message from the network could not be decoded.
	ErrMalformed = errors.New("malformed gossip message")
	// ErrForged means a record's signature does not recover to the signer
	// it claims, or its signer is not the key its member announced.
	ErrForged = errors.New("forged gossip record")
	// ErrFutureRecord means a record's boot is further ahead of this
	// member's clock than a minute.
	ErrFutureRecord = errors.New("gossip record from the future")
)

// errStale is a record that is not news: a copy of one already held, or
// older. Gossip delivers each record several times, so it is no fault.
var errStale = errors.New("stale gossip record")

// ConfigError names the configuration key Validate rejected.
type ConfigError struct {
	// Key is the key as it is written in a config file, e.g. "gossip.bind_addr".
	Key string
	// Reason says what is wrong with its value.
	Reason string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("%s: %s", e.Key, e.Reason) }
