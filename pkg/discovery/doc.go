// Package discovery finds orchestrators. One interface, Source, has three
// implementations: a static list (Static), a memberlist cluster the nodes
// join (package gossip), and the on-chain service registry (an adapter in
// the payments tree). Cache keeps one source's answer fresh in the
// background and shares it across every stream and request of a gateway,
// so finding orchestrators is never on the hot path of a segment.
package discovery
