package gossip

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/hashicorp/memberlist"
)

// Profiles name memberlist's tuned timing sets.
const (
	// ProfileLAN is memberlist.DefaultLANConfig: failures found in a few
	// seconds, a full sync every 30 s.
	ProfileLAN = "lan"
	// ProfileLocal is memberlist.DefaultLocalConfig: faster probes and
	// gossip, for loopback and tests.
	ProfileLocal = "local"
)

// Config is a member's gossip configuration.
type Config struct {
	// Enabled runs gossip without seeds: the first member of a cluster.
	// Members with seeds (Join) gossip whether or not it is set.
	Enabled bool `yaml:"enabled"`
	// BindAddr is the IP:port gossip listens on, TCP and UDP; port 0 picks
	// a free one (see Cluster.Addr). Loopback by default: a member that
	// binds or advertises any other address must set Secret.
	BindAddr string `yaml:"bind_addr"`
	// AdvertiseAddr is the IP:port other members reach this one at; empty
	// means the bound address (or, bound to 0.0.0.0, a private IP of the
	// host).
	AdvertiseAddr string `yaml:"advertise_addr"`
	// Join are seeds, host:port, to join through; empty starts a new
	// cluster. Roles set it from their top-level join key (--join).
	Join []string `yaml:"-"`
	// Name identifies the member and must be unique in the cluster; empty
	// means hostname-port.
	Name string `yaml:"name"`
	// Secret, when set, encrypts and authenticates all gossip with
	// AES-256-GCM under the SHA-256 of the secret; members with another
	// secret, or none, cannot join. At least 16 characters; required when
	// BindAddr or AdvertiseAddr is not loopback.
	Secret string `yaml:"secret"`
	// Profile is ProfileLAN or ProfileLocal.
	Profile string `yaml:"profile"`
	// JoinRetry is how often Run tries the seeds again while this member
	// is alone: until one first answers, and again whenever every other
	// member is gone (a seed that restarts is rejoined).
	JoinRetry time.Duration `yaml:"join_retry"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		// 7946 is memberlist's (and Serf's, Consul's) usual port; loopback
		// until the operator opens it (with a secret).
		BindAddr: "127.0.0.1:7946",
		Profile:  ProfileLAN,
		// 5 s: seeds are usually started by the same deploy; retrying
		// faster only adds log lines while they come up.
		JoinRetry: 5 * time.Second,
	}
}

// On reports whether the member gossips: enabled, or given seeds.
func (c Config) On() bool { return c.Enabled || len(c.Join) > 0 }

// WithJoin returns c with the seeds a role's join key names.
func (c Config) WithJoin(join []string) Config {
	c.Join = join
	return c
}

// minSecretLen keeps a guessable cluster secret out.
const minSecretLen = 16

// Validate names the first bad key.
func (c Config) Validate() error {
	if err := checkHostPort(c.BindAddr, true, true); err != nil {
		return &ConfigError{Key: "gossip.bind_addr", Reason: err.Error()}
	}
	if c.AdvertiseAddr != "" {
		if err := checkHostPort(c.AdvertiseAddr, true, false); err != nil {
			return &ConfigError{Key: "gossip.advertise_addr", Reason: err.Error()}
		}
	}
	for i, s := range c.Join {
		if err := checkHostPort(s, false, false); err != nil {
			return &ConfigError{Key: fmt.Sprintf("gossip.join[%d]", i), Reason: err.Error()}
		}
	}
	switch {
	case len(c.Name) > maxNameLen:
		return &ConfigError{Key: "gossip.name", Reason: fmt.Sprintf("longer than %d bytes", maxNameLen)}
	case c.Secret != "" && len(c.Secret) < minSecretLen:
		return &ConfigError{Key: "gossip.secret", Reason: fmt.Sprintf("shorter than %d characters", minSecretLen)}
	case c.Secret == "" && (!loopback(c.BindAddr) || c.AdvertiseAddr != "" && !loopback(c.AdvertiseAddr)):
		return &ConfigError{Key: "gossip.secret", Reason: "required when gossip.bind_addr or gossip.advertise_addr is not loopback: " +
			"without it anyone who reaches the port joins the cluster"}
	case c.Profile != ProfileLAN && c.Profile != ProfileLocal:
		return &ConfigError{Key: "gossip.profile", Reason: fmt.Sprintf("%q is not %q or %q", c.Profile, ProfileLAN, ProfileLocal)}
	case c.JoinRetry < 100*time.Millisecond:
		return &ConfigError{Key: "gossip.join_retry", Reason: fmt.Sprintf("must be at least 100ms, got %s", c.JoinRetry)}
	}
	return nil
}

// loopback reports whether hostport's host is a loopback IP.
func loopback(hostport string) bool {
	host, _, _ := net.SplitHostPort(hostport)
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// OnLoopback reports whether the member binds and advertises loopback
// only: a cluster of one host (a devnet, a test).
func (c Config) OnLoopback() bool {
	return loopback(c.BindAddr) && (c.AdvertiseAddr == "" || loopback(c.AdvertiseAddr))
}

// checkHostPort checks s is host:port; memberlist binds and advertises
// IP literals only, while seeds may be DNS names.
func checkHostPort(s string, ipOnly, portZeroOK bool) error {
	host, portStr, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("%q is not host:port", s)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	switch {
	case err != nil:
		return fmt.Errorf("port %q is not a number in [0, 65535]", portStr)
	case port == 0 && !portZeroOK:
		return fmt.Errorf("port 0 in %q", s)
	case host == "":
		return fmt.Errorf("no host in %q", s)
	case ipOnly && net.ParseIP(host) == nil:
		return fmt.Errorf("host %q is not an IP address", host)
	}
	return nil
}

// profileConfig returns memberlist's config for the profile.
func profileConfig(profile string) *memberlist.Config {
	if profile == ProfileLocal {
		return memberlist.DefaultLocalConfig()
	}
	return memberlist.DefaultLANConfig()
}
