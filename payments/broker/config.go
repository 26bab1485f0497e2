package broker

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// Addresses locate a deployment: the contracts every role must agree on.
type Addresses struct {
	// TicketBroker is the escrow that redeems winning tickets; tickets are
	// signed for this address.
	TicketBroker common.Address `yaml:"ticket_broker"`
	// ServiceRegistry is where orchestrators publish their service URI.
	ServiceRegistry common.Address `yaml:"service_registry"`
}

// Validate checks both addresses are set.
func (a Addresses) Validate() error {
	if a.TicketBroker == (common.Address{}) {
		return fmt.Errorf("%w: ticket_broker: not set", ErrInvalidConfig)
	}
	if a.ServiceRegistry == (common.Address{}) {
		return fmt.Errorf("%w: service_registry: not set", ErrInvalidConfig)
	}
	return nil
}

// DeployConfig are the TicketBroker's constructor arguments, fixed for the
// life of a deployment (the contract is immutable: redeploy to change them).
type DeployConfig struct {
	// UnlockPeriod is how many blocks a sender waits between unlock and
	// withdraw. It must exceed TicketValidity plus the recipients'
	// params lifetime and redemption delay, so every ticket accepted
	// before an unlock can be redeemed before the money leaves.
	UnlockPeriod uint64 `yaml:"unlock_period"`
	// TicketValidity is how many blocks after its expiration block a
	// ticket can still be redeemed: the recipient's window to redeem
	// (it waits for the params to expire first, then retries on failure).
	TicketValidity uint64 `yaml:"ticket_validity"`
}

// DefaultDeployConfig returns the devnet's constructor arguments.
func DefaultDeployConfig() DeployConfig {
	return DeployConfig{
		// 600 blocks: 10 min at the embedded chain's 1 s blocks; twice
		// the ticket validity, which leaves 300 blocks for params
		// lifetimes (Livepeer's 40) and redemption retries.
		UnlockPeriod: 600,
		// 300 blocks: 5 min at 1 s blocks to get a winning ticket mined
		// after its params expire.
		TicketValidity: 300,
	}
}

// Validate checks the unlock period outlasts ticket validity, as the
// contract's constructor does.
func (c DeployConfig) Validate() error {
	if c.TicketValidity == 0 {
		return fmt.Errorf("%w: ticket_validity: must be > 0", ErrInvalidConfig)
	}
	if c.UnlockPeriod <= c.TicketValidity {
		return fmt.Errorf("%w: unlock_period (%d) must exceed ticket_validity (%d)",
			ErrInvalidConfig, c.UnlockPeriod, c.TicketValidity)
	}
	return nil
}
