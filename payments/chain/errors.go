package chain

import "errors"

var (
	// ErrContractsMissing means chain.json names contracts whose code is not
	// on the chain: the chain data was deleted or replaced while chain.json
	// was kept. Remove the whole data directory to start over.
	ErrContractsMissing = errors.New("contracts listed in chain.json have no code on the chain")
	// ErrTxFailed means a transaction was mined but reverted.
	ErrTxFailed = errors.New("transaction reverted")
)
