package config

import (
	"testing"
)

// FuzzLoad feeds arbitrary YAML files, env values and flag values through
// Load: bad input must come back as an error, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("http_addr: :1\nhls: {window: 3}\n"), "9", "5s", `[{"name":"a","width":1}]`)
	f.Add([]byte("ladder: [{name: x}]"), "x", "-1", "a,b")
	f.Add([]byte("{"), "", "", "")
	f.Fuzz(func(t *testing.T, file []byte, env, dur, list string) {
		c := defaults()
		_ = Decode(&c, file)
		c = defaults()
		_, _ = Load(&c, Request{
			Args:    []string{"--hls.idle", dur, "--ladder", list, "--keys", list},
			Environ: []string{"CASTMESH_HLS_WINDOW=" + env, "CASTMESH_CAP=" + env, "CASTMESH_RATIO=" + env},
		})
	})
}
