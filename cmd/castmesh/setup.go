package main

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/castmesh/castmesh/pkg/config"
	"github.com/castmesh/castmesh/pkg/logging"
)

// load fills cfg (holding the defaults) from file, env and flags.
func load(name string, cfg any, e env) error {
	rest, err := loadArgs(name, cfg, e)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &unexpectedArgsError{args: rest}
	}
	return nil
}

// loadArgs is load for commands that take arguments after the flags.
func loadArgs(name string, cfg any, e env) ([]string, error) {
	return config.Load(cfg, config.Request{Name: "castmesh " + name, Args: e.args, Environ: e.environ, Usage: e.stderr})
}

type unexpectedArgsError struct{ args []string }

func (e *unexpectedArgsError) Error() string { return "unexpected arguments: " + joinArgs(e.args) }

func joinArgs(a []string) string {
	s := ""
	for i, x := range a {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}

// registry is a fresh metrics registry with the process and Go collectors.
func registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), collectors.NewGoCollector())
	return reg
}

func logger(c logging.Config, e env) (*slog.Logger, error) {
	return logging.New(c, e.stderr)
}
