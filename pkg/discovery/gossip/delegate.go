package gossip

import (
	"bytes"
	"errors"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/memberlist"
)

const (
	// broadcastMax is the largest encoded record sent over UDP, by
	// broadcast or directly. A gossip packet is memberlist's UDPBufferSize
	// (1,400 bytes) less its headers, encryption and memberlist's own
	// messages; 1,024 bytes leaves room for those. Larger records go over
	// TCP.
	broadcastMax = 1024
	// syncBudget bounds the states in one push/pull, under memberlist's
	// 20 MiB limit on a sync.
	syncBudget = 16 << 20
)

// delegate is memberlist's view of a member: it implements
// memberlist.Delegate and memberlist.EventDelegate.
type delegate struct {
	t       *table
	out     *outbox
	fix     *repair
	meta    []byte
	queue   *memberlist.TransmitLimitedQueue
	logger  *slog.Logger
	metrics *Metrics
}

func newDelegate(t *table, role string, mc *memberlist.Config, logger *slog.Logger, m *Metrics) *delegate {
	// meta names the signer: it binds this member's name to its key.
	d := &delegate{
		// Five gossip intervals: memberlist's own news of a joiner
		// usually arrives within two or three.
		t: t, out: newOutbox(), fix: newRepair(5 * mc.GossipInterval),
		meta: encodeMeta(role, t.signer()), logger: logger, metrics: m,
	}
	d.queue = &memberlist.TransmitLimitedQueue{
		NumNodes:       func() int { return int(t.alive.Load()) },
		RetransmitMult: mc.RetransmitMult,
	}
	return d
}

// gossip queues r for broadcast if it fits a gossip packet.
func (d *delegate) gossip(r record) {
	if msg := encodeRecord(r); len(msg) <= broadcastMax {
		d.queue.QueueBroadcast(&recordBroadcast{name: r.Name, msg: msg})
	}
}

// NodeMeta returns the member's role, gossiped with its alive messages.
func (d *delegate) NodeMeta(int) []byte { return d.meta }

// NotifyMsg takes a record gossiped by another member, or a record or
// hello sent to this one directly by its owner. A gossiped record that
// is news is passed on; a direct message from a member not known alive
// is a gap in membership for repair to close.
func (d *delegate) NotifyMsg(b []byte) {
	m, err := decodeMessage(b)
	if err == nil && m.Kind != kindRecord && m.Kind != kindDirect && m.Kind != kindHello {
		err = ErrMalformed
	}
	if err != nil {
		d.metrics.badMessage.Inc()
		d.logger.Debug("dropping gossip message", "err", err)
		return
	}
	if m.Addr != "" && m.From != d.t.self && !d.t.isAlive(m.From) {
		d.fix.heard(m.From, m.Addr, time.Now())
	}
	if m.Kind == kindHello {
		return
	}
	r := m.Records[0]
	if !d.take(r) {
		return
	}
	if m.Kind == kindRecord {
		d.queue.QueueBroadcast(&recordBroadcast{name: r.Name, msg: bytes.Clone(b)})
	}
}

// take stores a record from the network if it is news and genuine: signed
// by the key it claims, that key the one its member announced, and not
// from the future. The cheap checks come before the signature's, so a
// flood of copies costs no signature checks. Refusals other than stale
// copies are counted.
func (d *delegate) take(r record) bool {
	err := d.t.admit(r)
	if err == nil {
		err = r.verify(time.Now())
	}
	if err == nil && !d.t.apply(r) {
		err = errStale
	}
	switch {
	case err == nil:
		d.metrics.updates.WithLabelValues("remote").Inc()
		return true
	case errors.Is(err, ErrForged):
		d.metrics.refused.WithLabelValues("forged").Inc()
	case errors.Is(err, ErrFutureRecord):
		d.metrics.refused.WithLabelValues("future").Inc()
	default:
		return false
	}
	d.logger.Debug("refusing gossip record", "member", r.Name, "err", err)
	return false
}

// GetBroadcasts hands memberlist the records due for gossip.
func (d *delegate) GetBroadcasts(overhead, limit int) [][]byte {
	return d.queue.GetBroadcasts(overhead, limit)
}

// LocalState is every state this member knows, for a push/pull.
func (d *delegate) LocalState(bool) []byte {
	return encodeSync(d.t.self, d.t.records(syncBudget))
}

// MergeRemoteState takes another member's states from a push/pull. The
// records that are news here are gossiped on, except, in a join, those
// the sender only relayed: a joiner learning the cluster from its seed
// must not gossip the whole cluster back to it.
func (d *delegate) MergeRemoteState(b []byte, join bool) {
	m, err := decodeMessage(b)
	if err == nil && m.Kind != kindSync {
		err = ErrMalformed
	}
	if err != nil {
		d.metrics.badMessage.Inc()
		d.logger.Debug("dropping gossip state", "err", err)
		return
	}
	for _, r := range m.Records {
		if !d.take(r) {
			continue
		}
		if !join || r.Name == m.From {
			d.gossip(r)
		}
	}
}

// NotifyJoin records a member as alive, and has Run send it this
// member's state.
func (d *delegate) NotifyJoin(n *memberlist.Node) {
	role, signer := d.role(n)
	d.metrics.members.Set(float64(d.t.join(n.Name, n.Address(), role, signer)))
	if n.Name != d.t.self {
		d.out.add(n.Name)
	}
}

// NotifyUpdate takes a member's new address or metadata.
func (d *delegate) NotifyUpdate(n *memberlist.Node) {
	role, signer := d.role(n)
	d.metrics.members.Set(float64(d.t.join(n.Name, n.Address(), role, signer)))
}

// NotifyLeave hides a member that left or died.
func (d *delegate) NotifyLeave(n *memberlist.Node) {
	d.metrics.members.Set(float64(d.t.leave(n.Name)))
}

// role decodes a member's metadata: its role and signer. A member whose
// metadata cannot be read is still a member, with no role and no signer,
// so no state.
func (d *delegate) role(n *memberlist.Node) (string, common.Address) {
	m, err := decodeMessage(n.Meta)
	if err == nil && m.Kind != kindMeta {
		err = ErrMalformed
	}
	if err != nil {
		d.metrics.badMessage.Inc()
		d.logger.Debug("unreadable member metadata", "member", n.Name, "err", err)
		return "", common.Address{}
	}
	return m.Role, m.Signer
}

// recordBroadcast is a queued record. Named by its member, a newer one
// replaces an older one still in the queue.
type recordBroadcast struct {
	name string
	msg  []byte
}

func (b *recordBroadcast) Name() string    { return b.name }
func (b *recordBroadcast) Message() []byte { return b.msg }
func (b *recordBroadcast) Finished()       {}

func (b *recordBroadcast) Invalidates(o memberlist.Broadcast) bool {
	nb, ok := o.(memberlist.NamedBroadcast)
	return ok && nb.Name() == b.name
}
