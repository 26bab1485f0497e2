package recipient

import "errors"

// Errors of a payment. Fatal ones reject the whole payment; the others
// stop crediting at the failing ticket.
var (
	// ErrWrongRecipient means the params name another recipient (fatal).
	ErrWrongRecipient = errors.New("ticket is for another recipient")
	// ErrWrongChain means the params name another chain or broker (fatal).
	ErrWrongChain = errors.New("ticket is for another chain or broker contract")
	// ErrWrongRand means the params' rand commitment is not this
	// recipient's for them: forged or altered params (fatal).
	ErrWrongRand = errors.New("recipientRandHash does not match the params")
	// ErrSenderUnlocking means the sender has started to withdraw (fatal).
	ErrSenderUnlocking = errors.New("sender is unlocking its funds")
	// ErrNoSenderFunds means the sender has neither deposit nor reserve (fatal).
	ErrNoSenderFunds = errors.New("sender has no funds on the broker")
	// ErrNonceReplay means a nonce was already used under these params.
	ErrNonceReplay = errors.New("ticket nonce already used under these params")
	// ErrTooManyNonces means the sender wrote too many tickets under one
	// param set; it must fetch fresh params.
	ErrTooManyNonces = errors.New("too many tickets under one param set")
	// ErrParamsExpired means the params' expiration block has passed.
	ErrParamsExpired = errors.New("ticket params have expired")
	// ErrInsufficientReserve means the sender's reserve for this recipient
	// cannot cover even one ticket of the configured EV.
	ErrInsufficientReserve = errors.New("sender's reserve for this orchestrator is too small")
	// ErrInsufficientBalance means the session's credit does not cover the
	// work asked for, beyond the one ticket's EV a sender may owe across
	// all its sessions.
	ErrInsufficientBalance = errors.New("insufficient balance for the work")
	// ErrPriceTooLow means a new session offers less than the asking price.
	ErrPriceTooLow = errors.New("expected price is below the orchestrator's price")
)

// IsFatal reports whether err rejects a whole payment rather than stopping
// crediting at one ticket.
func IsFatal(err error) bool {
	return errors.Is(err, ErrWrongRecipient) || errors.Is(err, ErrWrongChain) || errors.Is(err, ErrWrongRand) ||
		errors.Is(err, ErrSenderUnlocking) || errors.Is(err, ErrNoSenderFunds) || errors.Is(err, ErrPriceTooLow)
}
