package chain

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/pkg/atomicfile"
)

// infoFile is the name of the file in DataDir that describes the chain.
const infoFile = "chain.json"

// Info describes a running chain: what a client needs to use it. It is
// written to DataDir/chain.json at every start.
type Info struct {
	// ChainID is the EIP-155 chain id (1337, as geth --dev).
	ChainID uint64 `json:"chain_id"`
	// RPCURL is the JSON-RPC endpoint of the current run.
	RPCURL string `json:"rpc_url"`
	// TicketBroker and ServiceRegistry are the contracts deployed on first
	// start.
	TicketBroker    common.Address `json:"ticket_broker"`
	ServiceRegistry common.Address `json:"service_registry"`
	// Accounts are the dev accounts funded at genesis; Accounts[i] belongs
	// to DevKey(i).
	Accounts []common.Address `json:"accounts"`
}

func (i Info) clone() Info {
	i.Accounts = append([]common.Address(nil), i.Accounts...)
	return i
}

// readInfo reads DataDir/chain.json; ok is false when there is none.
func readInfo(dir string) (info Info, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, infoFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, false, nil
	}
	if err != nil {
		return Info{}, false, err
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return Info{}, false, fmt.Errorf("%s: %w", infoFile, err)
	}
	return info, true, nil
}

// writeInfo replaces DataDir/chain.json atomically.
func writeInfo(dir string, info Info) error {
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, infoFile), append(b, '\n'), 0o600)
}
