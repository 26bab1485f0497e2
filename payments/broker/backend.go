package broker

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
)

// Backend is the chain the client talks to: JSON-RPC through an
// *ethclient.Client, or the in-process simulated.Client; both satisfy it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	// ChainID is the chain's EIP-155 id, which tickets and transactions
	// are signed for.
	ChainID(ctx context.Context) (*big.Int, error)
	// BlockNumber is the latest block's number.
	BlockNumber(ctx context.Context) (uint64, error)
	// BalanceAt is an account's balance in wei at a block (nil: latest).
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}
