package main

import (
	"context"

	"github.com/castmesh/castmesh/gateway"
)

func runGateway(ctx context.Context, e env) error {
	cfg := gateway.DefaultConfig()
	if err := load("gateway", &cfg, e); err != nil {
		return err
	}
	log, err := logger(cfg.Log, e)
	if err != nil {
		return err
	}
	g, err := gateway.New(ctx, cfg, registry(), log)
	if err != nil {
		return err
	}
	return g.Run(ctx)
}
