package gossip

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/memberlist"
	"github.com/prometheus/client_golang/prometheus"
)

// New validates cfg, binds the gossip port and starts memberlist as a
// cluster of one, which others may join at once; Run joins the seeds.
// key signs this member's records (the node's Ethereum key); nil makes a
// fresh key for this run. A nil m keeps the metrics unregistered.
func New(cfg Config, role string, key *ecdsa.PrivateKey, logger *slog.Logger, m *Metrics) (*Cluster, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if role == "" || len(role) > maxRoleLen || !utf8.ValidString(role) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidRole, role)
	}
	if m == nil {
		m = NewMetrics(prometheus.NewRegistry())
	}
	if key == nil {
		var err error
		if key, err = crypto.GenerateKey(); err != nil {
			return nil, fmt.Errorf("gossip: make a key: %w", err)
		}
	}
	logger = logger.With("component", "gossip")
	mc := profileConfig(cfg.Profile)
	transport, err := bind(cfg.BindAddr, logger)
	if err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(cfg.BindAddr)
	port := transport.GetAutoBindPort()
	name := cfg.Name
	if name == "" {
		name = defaultName(port)
	}
	c := &Cluster{
		cfg: cfg, logger: logger, metrics: m, addr: net.JoinHostPort(host, strconv.Itoa(port)),
		t: newTable(name, uint64(time.Now().UnixNano()), key), goneTTL: 2 * mc.GossipToTheDeadTime,
	}
	c.d = newDelegate(c.t, role, mc, logger, m)
	mc.Name, mc.Transport = name, transport
	// memberlist reads these for seeds given without a port.
	mc.BindAddr, mc.BindPort = host, port
	c.configure(mc)
	if c.ml, err = memberlist.Create(mc); err != nil {
		_ = transport.Shutdown()
		return nil, fmt.Errorf("gossip: start memberlist: %w", err)
	}
	return c, nil
}

// bind opens the TCP and UDP listeners, retrying a few times when the
// kernel's free TCP port is taken for UDP (as memberlist.Create does).
func bind(addr string, logger *slog.Logger) (*memberlist.NetTransport, error) {
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	tries := 1
	if port == 0 {
		tries = 10
	}
	var err error
	for range tries {
		var t *memberlist.NetTransport
		t, err = memberlist.NewNetTransport(&memberlist.NetTransportConfig{
			BindAddrs: []string{host}, BindPort: port, Logger: memberlistLogger(logger),
		})
		if err == nil {
			return t, nil
		}
	}
	return nil, fmt.Errorf("gossip: bind %s: %w", addr, err)
}

func defaultName(port int) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "castmesh"
	}
	return fmt.Sprintf("%s-%d", host, port)
}

// configure sets what memberlist takes from Config and the cluster.
func (c *Cluster) configure(mc *memberlist.Config) {
	if c.cfg.AdvertiseAddr != "" {
		host, port, _ := net.SplitHostPort(c.cfg.AdvertiseAddr)
		mc.AdvertiseAddr = host
		mc.AdvertisePort, _ = strconv.Atoi(port)
	}
	if c.cfg.Secret != "" {
		// memberlist takes an AES key of 16, 24 or 32 bytes; SHA-256
		// turns a passphrase of any length into a 32-byte one.
		key := sha256.Sum256([]byte(c.cfg.Secret))
		mc.SecretKey = key[:]
	}
	mc.Delegate, mc.Events = c.d, c.d
	mc.Logger = memberlistLogger(c.logger)
}
