package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/pkg/atomicfile"
)

// DevnetInfo is what the devnet writes to its ready file.
type DevnetInfo struct {
	RTMP          string            `json:"rtmp"`
	HTTP          string            `json:"http"`
	Admin         string            `json:"admin"`
	TestPlayback  string            `json:"test_playback"`
	Orchestrators []DevnetNodeAddrs `json:"orchestrators"`
	// Gateway is the gateway's Ethereum address (payments on).
	Gateway string `json:"gateway,omitempty"`
	// Chain describes the embedded chain (payments on).
	Chain *DevnetChain `json:"chain,omitempty"`
}

// DevnetNodeAddrs locates one orchestrator and its worker.
type DevnetNodeAddrs struct {
	Addr        string `json:"addr"`
	Admin       string `json:"admin"`
	WorkerAdmin string `json:"worker_admin"`
	EthAddress  string `json:"eth_address,omitempty"`
}

// DevnetChain is the embedded chain as the devnet runs it.
type DevnetChain struct {
	RPC             string `json:"rpc"`
	ChainID         uint64 `json:"chain_id"`
	TicketBroker    string `json:"ticket_broker"`
	ServiceRegistry string `json:"service_registry"`
}

func announce(out io.Writer, cfg devnetConfig, info DevnetInfo) error {
	fmt.Fprintf(out, `castmesh devnet is up: 1 gateway, %d orchestrators with a worker each, payments: %s

  RTMP ingest   %s/<any-stream-key>
  HTTP push     %s/live/<any-stream-key>/<seq>.ts
  Playback      %s   (stream key "test")
  Streams       %s/api/streams
  AI API        %s/text-to-image, /upscale, … (OpenAPI at %s/openapi.yaml), ai: %s
  Status        %s/status   (metrics at /metrics)
`, len(info.Orchestrators), cfg.Payments, info.RTMP, info.HTTP, info.TestPlayback, info.HTTP, info.HTTP, info.HTTP, cfg.AI, info.Admin)
	if apikey.IsLoopback(strings.TrimPrefix(info.HTTP, "http://")) {
		fmt.Fprintln(out, "  Keys          none: AI API open without keys on loopback, as are /api/streams and VOD")
	} else {
		fmt.Fprintln(out, "  Keys          http_addr is beyond loopback: the AI API and /api/streams need api_keys")
	}
	for i, o := range info.Orchestrators {
		fmt.Fprintf(out, "  Orchestrator %d  %s (admin http://%s, worker admin http://%s) %s\n", i+1, o.Addr, o.Admin, o.WorkerAdmin, o.EthAddress)
	}
	if c := info.Chain; c != nil {
		fmt.Fprintf(out, "  Chain         %s (id %d), TicketBroker %s, gateway %s\n", c.RPC, c.ChainID, c.TicketBroker, info.Gateway)
	}
	fmt.Fprintf(out, "\nTry:\n  ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440 \\\n"+
		"    -c:v libx264 -preset veryfast -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -f flv %s/test\n", info.RTMP)
	if cfg.AI == "on" {
		fmt.Fprintf(out, "  curl -s %s/text-to-speech -H 'Content-Type: application/json' -d '{\"text\":\"hello castmesh\",\"model_id\":\"\"}'\n", info.HTTP)
	}
	fmt.Fprintln(out)
	if cfg.ReadyFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(cfg.ReadyFile, b, 0o600)
}
