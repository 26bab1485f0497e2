package gateway

import (
	"fmt"
	"net"
	"net/url"

	"github.com/castmesh/castmesh/gateway/aiapi"
	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/gateway/auth"
	"github.com/castmesh/castmesh/gateway/hls"
	"github.com/castmesh/castmesh/gateway/ingest/httppush"
	"github.com/castmesh/castmesh/gateway/ingest/rtmp"
	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/gateway/streams"
	"github.com/castmesh/castmesh/gateway/vod"
	"github.com/castmesh/castmesh/pkg/clientip"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
	"github.com/castmesh/castmesh/pkg/logging"
)

// Config is the gateway's configuration.
type Config struct {
	// HTTPAddr serves HTTP push ingest, HLS playback and /api/streams.
	HTTPAddr string `yaml:"http_addr"`
	// AdminAddr serves /metrics, /healthz and /status; loopback by default
	// because it has no authentication.
	AdminAddr string `yaml:"admin_addr"`
	// PublicURL is the base of the playback URLs the gateway hands out;
	// empty means http://HTTPAddr.
	PublicURL string `yaml:"public_url"`
	// TrustedProxies are the load balancers and reverse proxies (IPs or
	// CIDR prefixes) whose X-Forwarded-For and Forwarded headers name the
	// client, for per-address limits; empty believes no such header.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// APIKeys are the callers' keys for the AI API and the stream listing;
	// needed unless http_addr is loopback and none is configured.
	APIKeys apikey.Config `yaml:"api_keys"`
	// ID names this gateway to orchestrators (its Ethereum address once
	// payments land).
	ID        string           `yaml:"id"`
	RTMP      rtmp.Config      `yaml:"rtmp"`
	HTTPPush  httppush.Config  `yaml:"http_push"`
	HLS       hls.Config       `yaml:"hls"`
	Auth      auth.Config      `yaml:"auth"`
	Streams   streams.Config   `yaml:"streams"`
	Selection selection.Config `yaml:"selection"`
	// Discovery says where orchestrators are found.
	Discovery DiscoveryConfig `yaml:"discovery"`
	// Join lists gossip seeds (host:port of any cluster member), also
	// --join: set, the gateway joins the memberlist cluster and finds the
	// orchestrators gossiping in it.
	Join []string `yaml:"join"`
	// Gossip is this node's part in the cluster; gossip.enabled starts a
	// cluster without seeds.
	Gossip gossip.Config `yaml:"gossip"`
	// AI serves the AI API on HTTPAddr, routed to the orchestrators
	// discovery finds.
	AI aiapi.Config `yaml:"ai"`
	// VOD serves the file API (/v1/uploads, /v1/jobs) on HTTPAddr.
	VOD vod.Config `yaml:"vod"`
	// DataDir keeps the payment balances across restarts, and the VOD
	// store and media unless vod.store and vod.media_dir say otherwise;
	// required with payments on.
	DataDir  string         `yaml:"data_dir"`
	Payments PaymentsConfig `yaml:"payments"`
	Log      logging.Config `yaml:"log"`
}

// DefaultConfig returns the defaults. The ports are loopback until an
// operator opens them on purpose.
func DefaultConfig() Config {
	h := hls.DefaultConfig()
	// Keep every segment so an ended stream stays playable as VOD. In
	// memory that costs the stream's whole bitrate ladder for as long as it
	// runs, plus hls.retain_ended: use hls.storage disk for long streams.
	h.Record = true
	return Config{
		HTTPAddr:  "127.0.0.1:8935",
		AdminAddr: "127.0.0.1:7935",
		ID:        "gateway",
		APIKeys:   apikey.DefaultConfig(),
		RTMP:      rtmp.DefaultConfig(),
		HTTPPush:  httppush.DefaultConfig(),
		HLS:       h,
		Auth:      auth.DefaultConfig(),
		Streams:   streams.DefaultConfig(),
		Selection: selection.DefaultConfig(),
		Discovery: DefaultDiscoveryConfig(),
		Gossip:    gossip.DefaultConfig(),
		AI:        aiapi.DefaultConfig(),
		VOD:       vod.DefaultConfig(),
		Payments:  DefaultPaymentsConfig(),
		Log:       logging.DefaultConfig(),
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("http_addr: %w", err)
	}
	if _, _, err := net.SplitHostPort(c.AdminAddr); err != nil {
		return fmt.Errorf("admin_addr: %w", err)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("public_url must be an http(s) URL, got %q", c.PublicURL)
		}
	}
	if c.ID == "" {
		return fmt.Errorf("id must be set")
	}
	checks := []struct {
		key string
		err error
	}{
		{"api_keys", c.APIKeys.Validate()},
		{"trusted_proxies", clientip.Validate(c.TrustedProxies)},
		{"rtmp", c.RTMP.Validate()},
		{"http_push", c.HTTPPush.Validate()},
		{"hls", c.HLS.Validate()},
		{"auth", c.Auth.Validate()},
		{"streams", c.Streams.Validate()},
		{"selection", c.Selection.Validate()},
		{"discovery", c.Discovery.Validate()},
		{"ai", c.AI.Validate()},
		{"vod", c.VOD.Validate()},
		{"log", c.Log.Validate()},
		{"payments", c.Payments.Validate()},
	}
	for _, ch := range checks {
		if ch.err != nil {
			return fmt.Errorf("%s: %w", ch.key, ch.err)
		}
	}
	if g := c.Gossip.WithJoin(c.Join); g.On() {
		if err := g.Validate(); err != nil {
			return err
		}
	}
	if c.VOD.Enabled && len(c.VOD.APIKeys) == 0 && (!apikey.IsLoopback(c.HTTPAddr) || len(c.TrustedProxies) > 0) {
		// Jobs spend the deposit and outputs are private.
		return fmt.Errorf("vod.api_keys: required with vod on and http_addr %s reachable beyond loopback (or behind trusted_proxies)", c.HTTPAddr)
	}
	if c.VOD.Enabled && c.DataDir == "" && (c.VOD.Store == "" || c.VOD.MediaDir == "") {
		return fmt.Errorf("vod: data_dir, or both vod.store and vod.media_dir, must be set")
	}
	if c.Payments.On() && c.DataDir == "" {
		return fmt.Errorf("data_dir must be set with payments on: session balances live there")
	}
	return nil
}
