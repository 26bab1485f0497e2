package main

import (
	"context"

	"github.com/castmesh/castmesh/worker"
)

func runWorker(ctx context.Context, e env) error {
	cfg := worker.DefaultConfig()
	if err := load("worker", &cfg, e); err != nil {
		return err
	}
	log, err := logger(cfg.Log, e)
	if err != nil {
		return err
	}
	w, err := worker.New(ctx, cfg, registry(), log)
	if err != nil {
		return err
	}
	return w.Run(ctx)
}
