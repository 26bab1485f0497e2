package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/castmesh/castmesh/payments/redeemer"
	"github.com/castmesh/castmesh/pkg/store"
)

const orchestratorOpsUsage = `castmesh orchestrator register [URI]  publish the service URI (default: service_addr) on chain
castmesh orchestrator status          show the on-chain registration, balance and winning tickets`

func isOrchestratorOp(name string) bool { return name == "register" || name == "status" }

// OrchestratorStatus is what `castmesh orchestrator status` prints.
type OrchestratorStatus struct {
	Address    string          `json:"address"`
	Balance    string          `json:"balance"`
	ServiceURI string          `json:"service_uri"`
	Tickets    *redeemer.Stats `json:"tickets,omitempty"`
}

func runOrchestratorOp(ctx context.Context, op string, e env) error {
	cfg := defaultOrchestratorConfig()
	rest, err := loadArgs("orchestrator "+op, &cfg, e)
	if err != nil {
		return err
	}
	ctx, bc, done, err := dialWallet(ctx, cfg.Payments.Eth)
	if err != nil {
		return err
	}
	defer done()
	if op == "register" {
		uri := cfg.ServiceAddr
		switch {
		case len(rest) == 1:
			uri = rest[0]
		case len(rest) > 1:
			return errors.New("usage: castmesh orchestrator register [URI]")
		case uri == "":
			return errors.New("give the URI gateways reach this orchestrator at, or set service_addr")
		}
		r, err := bc.SetServiceURI(ctx, uri)
		if err != nil {
			return err
		}
		txDone(e.stdout, "registered "+uri, r)
	} else if len(rest) != 0 {
		return errors.New("status takes no arguments")
	}
	st := OrchestratorStatus{Address: bc.Address().Hex()}
	bal, err := bc.Balance(ctx, bc.Address())
	if err != nil {
		return err
	}
	st.Balance = ether(bal)
	if st.ServiceURI, err = bc.ServiceURI(ctx, bc.Address()); err != nil {
		return err
	}
	if cfg.DataDir != "" {
		stats, err := ticketStats(ctx, cfg.DataDir)
		if err != nil {
			return err
		}
		st.Tickets = &stats
	}
	return printJSON(e.stdout, st)
}

// ticketStats reads the winning-ticket queue in the data directory; a
// running orchestrator may write it meanwhile (SQLite WAL allows that).
func ticketStats(ctx context.Context, dataDir string) (redeemer.Stats, error) {
	db, err := store.Open(ctx, filepath.Join(dataDir, "orchestrator.db"))
	if err != nil {
		return redeemer.Stats{}, err
	}
	defer db.Close()
	q, err := redeemer.OpenQueue(ctx, db)
	if err != nil {
		return redeemer.Stats{}, err
	}
	return q.Stats(ctx)
}
