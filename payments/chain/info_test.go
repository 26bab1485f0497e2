package chain

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: chain.json went through a fixed temporary name and
// a rename, but unsynced (a crash could leave an empty file under the real
// name). It is written with pkg/atomicfile now; the sync itself cannot be
// observed in a test, the replacement whole can, and the info reads back.
func TestStateFileAtomicInfo(t *testing.T) {
	dir := t.TempDir()
	if err := writeInfo(dir, Info{RPCURL: "http://127.0.0.1:1"}); err != nil {
		t.Fatal(err)
	}
	want := Info{RPCURL: "http://127.0.0.1:2", TicketBroker: common.HexToAddress("0x01"), Accounts: []common.Address{common.HexToAddress("0x02")}}
	fixture.ReplacesWhole(t, dir+"/"+infoFile, func() error { return writeInfo(dir, want) })
	got, ok, err := readInfo(dir)
	if err != nil || !ok || got.RPCURL != want.RPCURL || got.TicketBroker != want.TicketBroker || len(got.Accounts) != 1 {
		t.Fatalf("read back %+v %v %v", got, ok, err)
	}
}
