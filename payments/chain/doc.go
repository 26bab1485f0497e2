// Package chain runs castmesh's embedded Ethereum development chain: a real
// go-ethereum node (the libraries behind `geth --dev`) with a persistent
// data directory, a dev genesis that funds deterministic dev accounts, a
// simulated beacon that seals a block every block period even when idle,
// and JSON-RPC over HTTP. On first start it deploys the TicketBroker and
// ServiceRegistry contracts and records their addresses in
// DataDir/chain.json; later starts resume the same chain.
//
// # Why a real node and not ethclient/simulated
//
// ethclient/simulated is memory-only (a restart loses every deposit and
// redeemed ticket), serves no JSON-RPC port (other processes cannot reach
// it) and seals a block only when a caller invokes Commit, so block-based
// expiry and unlock delays would stall while nobody transacts
// (shared/reference/payments.md §2c and §4). This package assembles the
// same parts as a node: node.New with a pebble database under DataDir,
// eth.New with a dev genesis, and catalyst's SimulatedBeacon driven by our
// own ticker. The beacon's built-in loop only takes whole seconds and logs
// through go-ethereum's global logger, so Run owns the sealing loop instead
// and can seal every 100 ms in tests.
//
// Every role talks to this chain through JSON-RPC only, so a real node
// (geth --dev, test/harness.StartGeth) or a public network works the same.
//
// # Ports and sockets
//
// The only socket is the HTTP JSON-RPC listener on Config.HTTPAddr
// (127.0.0.1:8545 by default) serving the eth, net and web3 modules. There
// is no P2P listener, no discovery, no NAT mapping (no UDP at all), no
// WebSocket, no IPC endpoint and no authenticated engine API port.
//
// # State and durability
//
// State uses the hash scheme in archive mode, so every sealed block's state
// trie is written to the database, and the database's write-ahead log is
// synced after every block (go-ethereum otherwise leaves up to ~500 KB of
// writes in memory). A process that is killed, not only one that shuts
// down cleanly, restarts at its last block with its contracts and
// balances. There is no log index: eth_getLogs scans block blooms, which
// is cheap at dev-chain sizes. The data directory also holds geth's LOCK
// file, so two chains cannot share it.
//
// # Dev keys
//
// DevKey returns deterministic private keys that are publicly known: DevKey(0)
// is go-ethereum's well-known developer key (the account geth --dev funds),
// the others are derived from a fixed string. They protect nothing and are
// for development chains only.
//
// # Time
//
// A block's timestamp is the wall clock, but strictly increasing by at least
// one second per block. With a block period under one second (tests), chain
// time therefore runs ahead of the wall clock; nothing in castmesh reads it.
package chain
