// Package peers lets the gateways of one gossip cluster stand in for each
// other: each gossips the live streams it owns and where it serves HTTP,
// so any gateway behind a load balancer can list every live stream and
// proxy a player to the gateway that has the stream it asks for.
package peers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/castmesh/castmesh/gateway/streams"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
	"github.com/castmesh/castmesh/pkg/netguard"
)

// Cluster is what peers needs of the gossip membership.
type Cluster interface {
	Name() string
	SetState(v any) error
	Members() []gossip.Member
}

// State is what a gateway gossips.
type State struct {
	// HTTP is the base URL the gateway serves HLS and the API at.
	HTTP string `json:"http"`
	// Streams are its live streams.
	Streams []streams.Info `json:"streams"`
}

// Remote is a live stream another gateway owns.
type Remote struct {
	streams.Info
	// Gateway is the owner's member name, and Owner its base URL.
	Gateway string `json:"gateway"`
	Owner   string `json:"owner"`
}

// Peers publishes this gateway's live streams and reads the others'.
type Peers struct {
	cluster  Cluster
	baseURL  func() string
	local    func() []streams.Info
	interval time.Duration
	logger   *slog.Logger
	// policy is where a peer's base URL may point; transport dials only
	// there, after DNS.
	policy    netguard.Policy
	transport *http.Transport

	// The others' live streams, read from the cluster once a tick, not
	// on every HLS request.
	mu     sync.Mutex
	remote []Remote
	owners map[string]string // playback id → owner's base URL
}

// publishInterval is how often the live streams are gossiped: a player
// sent to another gateway finds a new stream within about a second.
const publishInterval = time.Second

// New joins nothing: cluster is already a member. policy says where a
// peer's gossiped base URL may point (see PolicyFor): a member of the
// cluster must not make this gateway fetch from its cloud's metadata
// service or another internal address.
func New(cluster Cluster, baseURL func() string, local func() []streams.Info, policy netguard.Policy, logger *slog.Logger) *Peers {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: policy.Control}
	transport := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's
	transport.DialContext, transport.Proxy = dialer.DialContext, nil
	return &Peers{
		cluster: cluster, baseURL: baseURL, local: local, interval: publishInterval, logger: logger.With("component", "peers"),
		policy: policy, transport: transport,
	}
}

// PolicyFor is where peers' HLS may be fetched from, given the gossip
// address this gateway binds and advertises: public addresses always;
// loopback only when the cluster is on loopback (a devnet, a test);
// private addresses when gossip itself is on one (a cluster in a private
// network). Link-local, metadata and other special addresses never.
func PolicyFor(gossipAddrs ...string) netguard.Policy {
	p := netguard.Policy{AllowLoopback: true}
	for _, a := range gossipAddrs {
		if a == "" {
			continue
		}
		host, _, _ := net.SplitHostPort(a)
		addr, err := netip.ParseAddr(host)
		if err != nil {
			return netguard.Policy{}
		}
		switch {
		case addr.IsUnspecified():
			p.AllowLoopback, p.AllowPrivate = false, true
		case netguard.Classify(addr) == netguard.ClassPrivate:
			p.AllowLoopback, p.AllowPrivate = false, true
		case netguard.Classify(addr) != netguard.ClassLoopback:
			return netguard.Policy{}
		}
	}
	return p
}

// checkOwner checks a peer's base URL: http(s), no credentials, and a
// host the policy allows (an IP literal now; a name when dialled).
func (p *Peers) checkOwner(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%w: base URL %q is not http(s) without credentials", netguard.ErrNotPublic, raw)
	}
	if _, err := netip.ParseAddr(u.Hostname()); err != nil {
		return nil // a name: Control checks what it resolves to
	}
	return p.policy.Check(u.Hostname())
}

// Run gossips the live streams until ctx ends.
func (p *Peers) Run(ctx context.Context) error {
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	for {
		if err := p.cluster.SetState(State{HTTP: p.baseURL(), Streams: p.local()}); err != nil {
			p.logger.Warn("gossiping the live streams failed", "err", err)
		}
		p.refresh()
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Remote lists the live streams other gateways own, as of the last tick.
func (p *Peers) Remote() []Remote {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.remote)
}

// Owner returns the base URL of another gateway where playbackID is live.
func (p *Peers) Owner(playbackID string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	owner, ok := p.owners[playbackID]
	return owner, ok
}

// refresh reads the other gateways' live streams from the cluster.
func (p *Peers) refresh() {
	var out []Remote
	self := p.cluster.Name()
	for _, m := range p.cluster.Members() {
		if m.Role != gossip.RoleGateway || m.Name == self || m.State == nil {
			continue
		}
		var st State
		if err := json.Unmarshal(m.State, &st); err != nil || st.HTTP == "" {
			continue
		}
		if err := p.checkOwner(st.HTTP); err != nil {
			p.logger.Debug("ignoring a peer gateway's streams", "gateway", m.Name, "err", err)
			continue
		}
		for _, s := range st.Streams {
			out = append(out, Remote{Info: s, Gateway: m.Name, Owner: st.HTTP})
		}
	}
	owners := make(map[string]string, len(out))
	for _, r := range out {
		owners[r.PlaybackID] = r.Owner
	}
	p.mu.Lock()
	p.remote, p.owners = out, owners
	p.mu.Unlock()
}
