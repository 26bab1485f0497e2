package chain

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/node"
)

// gasLimit is the block gas limit: go-ethereum's default miner gas ceiling,
// far above what a broker deploy or a batch of redemptions needs.
const gasLimit = 60_000_000

// chainID is the dev chain id, the one geth --dev and ethclient/simulated use.
const chainID = 1337

// devGenesis is core.DeveloperGenesisBlock (every fork active at block 0,
// precompiles and system contracts allocated) with n dev accounts funded.
func devGenesis(n int) *core.Genesis {
	g := core.DeveloperGenesisBlock(gasLimit, nil)
	for i := range n {
		g.Alloc[DevAddress(i)] = types.Account{Balance: DevBalance()}
	}
	return g
}

// hasChain reports whether the node's data directory already holds a chain
// (a genesis block). As geth --dev does, an existing chain is then opened
// with its stored genesis and chain config, never a freshly built one: a
// newer go-ethereum may add forks to the dev config, and applying them to a
// chain with history would make geth rewind it.
func hasChain(stack *node.Node) (bool, error) {
	if rawdb.PreexistingDatabase(stack.ResolvePath("chaindata")) == "" {
		return false, nil
	}
	db, err := stack.OpenDatabaseWithOptions("chaindata", node.DatabaseOptions{ReadOnly: true})
	if err != nil {
		return false, fmt.Errorf("opening chain database: %w", err)
	}
	defer db.Close()
	return rawdb.ReadCanonicalHash(db, 0) != (common.Hash{}), nil
}
