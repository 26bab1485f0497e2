package gossip

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/memberlist"

	"github.com/castmesh/castmesh/pkg/discovery"
)

// Roles castmesh nodes join with.
const (
	RoleOrchestrator = "orchestrator"
	RoleGateway      = "gateway"
)

// leaveTimeout bounds the wait for a leave message to go out; a member
// that cannot tell the others is found dead by probing instead.
const leaveTimeout = 5 * time.Second

// Member is a member of the cluster as this one knows it.
type Member struct {
	// Name is the member's unique name.
	Name string
	// Role is what it joined as, e.g. RoleOrchestrator.
	Role string
	// Addr is its gossip host:port.
	Addr string
	// State is its latest state; nil until it publishes one.
	State json.RawMessage
	// Version counts its SetState calls since it started; 0 with no state.
	Version uint64
	// Signer is the Ethereum address the member's metadata announces;
	// State, when set, is signed by its key.
	Signer common.Address
}

// Cluster is this process's member of the cluster. It implements
// discovery.Source.
type Cluster struct {
	cfg     Config
	logger  *slog.Logger
	metrics *Metrics
	t       *table
	d       *delegate
	ml      *memberlist.Memberlist
	addr    string
	// goneTTL is how long a departed member's state is kept hidden.
	goneTTL time.Duration

	ran      atomic.Bool
	stopOnce sync.Once
	stopErr  error
}

var _ discovery.Source = (*Cluster)(nil)

// Addr returns the bound gossip address, host:port, with the real port
// when port 0 was asked for.
func (c *Cluster) Addr() string { return c.addr }

// Name returns this member's name.
func (c *Cluster) Name() string { return c.t.self }

// SetState publishes v, marshalled to JSON, as this member's state: Run
// sends it to every member at once, and gossip and push/pull carry it to
// any that miss it. It may be called before Run, which then sends it.
func (c *Cluster) SetState(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("gossip: marshal state: %w", err)
	}
	if len(b) > MaxStateSize {
		return fmt.Errorf("%w: %d bytes, the most is %d", ErrStateTooLarge, len(b), MaxStateSize)
	}
	if _, err := c.t.setOwn(b); err != nil {
		return err
	}
	c.d.out.addAll()
	c.metrics.updates.WithLabelValues("local").Inc()
	return nil
}

// Members returns the alive members, this one included, sorted by name,
// with their latest states. The slice and states are the caller's.
func (c *Cluster) Members() []Member { return c.t.members() }

// Signer returns the address this member's records are signed by.
func (c *Cluster) Signer() common.Address { return c.t.signer() }

// Nodes returns the alive orchestrators whose state is a discovery.Node
// with an address; others are skipped. Each node's Signer is the address
// that signed its record, whatever the state says: a gateway checks the
// orchestrator at Addr answers with that signer, so a member cannot
// gossip another's address as its own.
func (c *Cluster) Nodes(context.Context) ([]discovery.Node, error) {
	var out []discovery.Node
	for _, m := range c.t.members() {
		if m.Role != RoleOrchestrator || m.State == nil {
			continue
		}
		var n discovery.Node
		if err := json.Unmarshal(m.State, &n); err != nil || n.Addr == "" {
			c.logger.Debug("skipping orchestrator state that is not a node", "member", m.Name, "err", err)
			continue
		}
		n.Signer = m.Signer.Hex()
		out = append(out, n)
	}
	return out, nil
}

// memberlistLogger routes memberlist's log lines to logger.
func memberlistLogger(logger *slog.Logger) *log.Logger {
	return log.New(logWriter{logger: logger}, "", 0)
}
