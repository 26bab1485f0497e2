package rtmp

import (
	"fmt"
	"net"
	"regexp"
	"time"

	"github.com/castmesh/castmesh/gateway/segmenter"
)

// appName is what an application name may be: it is a URL path element.
var appName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// Config configures the RTMP server.
type Config struct {
	// Addr is the TCP address to listen on, host:port.
	Addr string `yaml:"addr" help:"RTMP listen address, host:port"`
	// App is the application name publishers use: rtmp://HOST/{app}/{key}.
	App string `yaml:"app" help:"RTMP application name in publish URLs"`
	// HandshakeTimeout bounds the time from accept to an accepted publish.
	HandshakeTimeout time.Duration `yaml:"handshake_timeout" help:"time allowed from connect to publish"`
	// IdleTimeout closes a publishing connection that sends nothing.
	IdleTimeout time.Duration `yaml:"idle_timeout" help:"close a publisher silent this long"`
	// MaxConns caps concurrent connections, publishing or not.
	MaxConns int `yaml:"max_conns" help:"most concurrent RTMP connections"`
	// Segmenter sets where segments are cut.
	Segmenter segmenter.Config `yaml:"segmenter"`
}

// DefaultConfig returns the settings castmesh ships with.
func DefaultConfig() Config {
	return Config{
		// 1935 is RTMP's registered port; loopback until an operator opens
		// it up on purpose.
		Addr: "127.0.0.1:1935",
		// "live" is what OBS, ffmpeg guides and Livepeer use.
		App: "live",
		// 10 s: a publisher on a slow link finishes the handshake, connect
		// and publish in well under a second; a silent or stray peer
		// cannot hold a slot longer than this.
		HandshakeTimeout: 10 * time.Second,
		// 30 s: encoders send frames every few tens of milliseconds, so
		// 30 s of silence means a dead peer whose TCP has not noticed.
		IdleTimeout: 30 * time.Second,
		// 1000 connections: far above what a CPU gateway can transcode,
		// low enough to bound memory (each holds up to one segment).
		MaxConns:  1000,
		Segmenter: segmenter.DefaultConfig(),
	}
}

// Validate reports the first setting that is out of range.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("addr: %q is not host:port: %w", c.Addr, err)
	}
	switch {
	case !appName.MatchString(c.App):
		return fmt.Errorf("app: %q must be 1-64 of [A-Za-z0-9_.-]", c.App)
	case c.HandshakeTimeout < 100*time.Millisecond || c.HandshakeTimeout > 5*time.Minute:
		return fmt.Errorf("handshake_timeout: %v out of range 100ms..5m", c.HandshakeTimeout)
	case c.IdleTimeout < time.Second || c.IdleTimeout > time.Hour:
		return fmt.Errorf("idle_timeout: %v out of range 1s..1h", c.IdleTimeout)
	case c.MaxConns < 1 || c.MaxConns > 1_000_000:
		return fmt.Errorf("max_conns: %d out of range 1..1000000", c.MaxConns)
	}
	if err := c.Segmenter.Validate(); err != nil {
		return fmt.Errorf("segmenter.%w", err)
	}
	return nil
}
