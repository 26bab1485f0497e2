// Package gossip is a memberlist (SWIM) cluster that castmesh
// orchestrators and gateways join, and a discovery.Source over it.
//
// Each member has a unique name, a role ("orchestrator", "gateway", …) and
// a small JSON state it may replace at any time with SetState; every member
// sees every alive member's latest state (Members). Orchestrators publish a
// discovery.Node, so a Cluster is a gateway's discovery.Source (Nodes);
// other roles may publish anything that marshals to at most MaxStateSize
// bytes of JSON.
//
// Membership and failure detection are memberlist's. States travel beside
// them, through memberlist's Delegate hooks:
//
//   - after SetState, a member sends its state straight to every member
//     (UDP when it fits a packet, else TCP), and to each member that joins
//     later;
//   - it also gossips a small state, and a member that gossip brings news
//     to passes it on, so a lost packet is repaired within seconds;
//   - every push/pull sync, the one a join makes included, swaps all
//     states, so whatever was missed converges at the next sync.
//
// memberlist's own news of a joining member can miss some members during
// a burst of joins until their next push/pull, 30 s or more later. The
// direct messages above carry their sender's address, and a member that
// hears from one it does not know syncs with it (see repair.go); 50
// members joining at once converge in about a second on loopback
// (BenchmarkConvergence50).
//
// A state is ordered by its owner's boot (when its Cluster was made, in
// Unix nanoseconds) and then by a version counting its SetState calls, so
// a restarted member supersedes what its previous run published though its
// version starts again at 1. When memberlist reports a member gone, its
// state is hidden at once and forgotten twice memberlist's
// gossip-to-the-dead time later: a member wrongly declared dead that comes
// back keeps its state, and late copies of a departed member's state
// cannot bring it back.
//
// Every record is signed (EIP-191, sign.go) by its member's key, the
// node's Ethereum key, and the member's memberlist metadata names that
// key's address. A receiver takes a record only if its signature recovers
// to the signer it claims, that signer is the one its member announced,
// it is newer than the one held, and its boot is not ahead of the
// receiver's clock by more than a minute: a member cannot speak for
// another, replay an older state or pin one ahead of its owner's. Nodes
// reports each orchestrator's signer, so a gateway checks the
// orchestrator at the gossiped address answers as that key. Membership
// itself is memberlist's and is authenticated only by Secret, which a
// member that binds or advertises beyond loopback must set.
//
// The wire format is in codec.go; decodeMessage, which parses everything
// that arrives from the network, and signed records have fuzz targets.
package gossip
