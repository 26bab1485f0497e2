package broker

import "errors"

// Errors a TicketBroker call can revert with; a *RevertError matches one of
// them through errors.Is.
var (
	// ErrZeroAddress means a ticket's recipient or sender, or a reserve's
	// recipient, is the zero address.
	ErrZeroAddress = errors.New("zero address")
	// ErrZeroValue means a funding transaction carried no ETH.
	ErrZeroValue = errors.New("no value sent")
	// ErrWrongValue means the ETH sent is not the deposit plus the reserve.
	ErrWrongValue = errors.New("value sent is not deposit plus reserve")
	// ErrTicketExpired means the ticket's validity period after its
	// expiration block has passed.
	ErrTicketExpired = errors.New("ticket expired")
	// ErrBadRand means the recipient's random number does not match the
	// ticket's commitment.
	ErrBadRand = errors.New("recipient rand does not match its hash")
	// ErrTicketUsed means the ticket was already redeemed.
	ErrTicketUsed = errors.New("ticket already redeemed")
	// ErrBadSignature means the signature is not the sender's canonical
	// EIP-191 signature of this ticket on this chain and broker.
	ErrBadSignature = errors.New("invalid ticket signature")
	// ErrNotWinning means the ticket lost the draw.
	ErrNotWinning = errors.New("ticket did not win")
	// ErrSenderUnlocked means the sender's unlock period has passed: its
	// tickets can no longer be redeemed.
	ErrSenderUnlocked = errors.New("sender is unlocked")
	// ErrNoFunds means the sender has nothing to pay with (nothing in its
	// deposit, nor in its reserve for this recipient), or nothing to unlock.
	ErrNoFunds = errors.New("sender has no funds")
	// ErrUnlockInProgress means the sender is already unlocking.
	ErrUnlockInProgress = errors.New("unlock already in progress")
	// ErrNotUnlocking means the sender has not started an unlock.
	ErrNotUnlocking = errors.New("no unlock in progress")
	// ErrUnlockNotReady means the unlock period has not passed yet.
	ErrUnlockNotReady = errors.New("unlock period has not passed")
	// ErrTransferFailed means the recipient of ETH refused it.
	ErrTransferFailed = errors.New("ETH transfer failed")
	// ErrReentrancy means a call re-entered the broker while it was paying.
	ErrReentrancy = errors.New("reentrant call")
	// ErrInvalidConfig means a deploy configuration is unusable: the unlock
	// period must exceed the ticket validity.
	ErrInvalidConfig = errors.New("invalid broker config")
)

// Errors of the client itself.
var (
	// ErrReverted matches every revert, whether or not its reason is one
	// the client knows.
	ErrReverted = errors.New("contract call reverted")
	// ErrTxFailed means a transaction was mined with status 0.
	ErrTxFailed = errors.New("transaction failed")
	// ErrReadOnly means a transaction was asked of a client without a key.
	ErrReadOnly = errors.New("client has no key: read-only")
	// ErrNoContract means no contract code is deployed at a configured
	// address.
	ErrNoContract = errors.New("no contract at address")
	// ErrBadTicket means a ticket or random number cannot be encoded for
	// the contract (a missing or out-of-range integer).
	ErrBadTicket = errors.New("ticket cannot be encoded")
	// ErrNoEvent means a receipt lacks the event a caller looked for.
	ErrNoEvent = errors.New("event not in receipt")
)

// ErrBadAmount means an amount of wei is missing, negative or wider than
// 256 bits.
var ErrBadAmount = errors.New("amount must be a uint256 of wei")
