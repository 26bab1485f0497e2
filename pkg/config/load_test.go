package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

type rung struct {
	Name  string `yaml:"name"`
	Width int    `yaml:"width"`
}

type nested struct {
	Window int           `yaml:"window"`
	Idle   time.Duration `yaml:"idle"`
}

type Embedded struct {
	Extra string `yaml:"extra"`
}

type testConfig struct {
	Embedded `yaml:",inline"`
	HTTPAddr string   `yaml:"http_addr"`
	Debug    bool     `yaml:"debug"`
	Keys     []string `yaml:"keys"`
	Ratio    float64  `yaml:"ratio"`
	Cap      uint32   `yaml:"cap"`
	HLS      nested   `yaml:"hls"`
	Ladder   []rung   `yaml:"ladder"`
}

func defaults() testConfig {
	return testConfig{HTTPAddr: ":8935", HLS: nested{Window: 6, Idle: time.Minute}, Ladder: []rung{{"a", 1}}}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadLayers(t *testing.T) {
	file := writeFile(t, "http_addr: :1\nhls:\n  window: 3\n  idle: 5s\nkeys: [x, y]\n")
	tests := []struct {
		name    string
		args    []string
		environ []string
		want    func(*testConfig)
	}{
		{"defaults only", nil, nil, func(*testConfig) {}},
		{"file over defaults", []string{"--config", file}, nil, func(c *testConfig) {
			c.HTTPAddr, c.HLS.Window, c.HLS.Idle, c.Keys = ":1", 3, 5*time.Second, []string{"x", "y"}
		}},
		{"env over file", []string{"--config", file}, []string{"CASTMESH_HLS_WINDOW=9", "CASTMESH_KEYS=a,b", "OTHER=1"}, func(c *testConfig) {
			c.HTTPAddr, c.HLS.Window, c.HLS.Idle, c.Keys = ":1", 9, 5*time.Second, []string{"a", "b"}
		}},
		{"flag over env", []string{"--config", file, "--hls.window", "11", "--http-addr=:2"}, []string{"CASTMESH_HLS_WINDOW=9"}, func(c *testConfig) {
			c.HTTPAddr, c.HLS.Window, c.HLS.Idle, c.Keys = ":2", 11, 5*time.Second, []string{"x", "y"}
		}},
		{"inline struct", []string{"--extra", "x"}, []string{"CASTMESH_EXTRA=y"}, func(c *testConfig) { c.Extra = "x" }},
		{"scalar kinds", []string{"--debug", "true", "--ratio", "1.5", "--cap", "7"}, []string{"CASTMESH_HLS_IDLE=90s"}, func(c *testConfig) {
			c.Debug, c.Ratio, c.Cap, c.HLS.Idle = true, 1.5, 7, 90*time.Second
		}},
		{"structured value as JSON", []string{"--ladder", `[{"name":"z","width":4}]`}, nil, func(c *testConfig) {
			c.Ladder = []rung{{"z", 4}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := defaults()
			if _, err := Load(&got, Request{Name: "t", Args: tt.args, Environ: tt.environ}); err != nil {
				t.Fatal(err)
			}
			want := defaults()
			tt.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		environ []string
		source  string
	}{
		{"unknown file key", []string{"--config", writeFile(t, "htp_addr: x\n")}, nil, "file"},
		{"bad env int", nil, []string{"CASTMESH_HLS_WINDOW=many"}, "env"},
		{"bad flag duration", []string{"--hls.idle", "soon"}, nil, "flag"},
		{"bad structured flag", []string{"--ladder", `[{"nmae":"z"}]`}, nil, "flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := defaults()
			_, err := Load(&c, Request{Name: "t", Args: tt.args, Environ: tt.environ})
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Source != tt.source {
				t.Fatalf("got %v, want a %s FieldError", err, tt.source)
			}
		})
	}
	c := defaults()
	if _, err := Load(&c, Request{Args: []string{"--nope"}}); err == nil {
		t.Fatal("unknown flag accepted")
	}
	if _, err := Load(c, Request{}); err == nil {
		t.Fatal("non-pointer accepted")
	}
}

func TestLoadReturnsPositionalArgs(t *testing.T) {
	c := defaults()
	rest, err := Load(&c, Request{Args: []string{"--debug=true", "deposit", "5"}})
	if err != nil || !reflect.DeepEqual(rest, []string{"deposit", "5"}) {
		t.Fatalf("rest %v err %v", rest, err)
	}
}
