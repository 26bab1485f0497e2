package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/castmesh/castmesh/gateway"
	"github.com/castmesh/castmesh/payments/wei"
)

// gatewayOps are the gateway's operator commands; each takes the gateway's
// usual flags and config, then its own arguments.
const gatewayOpsUsage = `castmesh gateway deposit AMOUNT             add to the TicketBroker deposit (e.g. 1eth, 500gwei)
castmesh gateway reserve ORCHESTRATOR AMOUNT add to the reserve guaranteed to one orchestrator
castmesh gateway unlock                     start withdrawing (the broker's unlock period applies)
castmesh gateway cancel-unlock              stop withdrawing
castmesh gateway withdraw                   take out deposit and reserves after the unlock period
castmesh gateway status                     show the gateway's funds on the broker`

func isGatewayOp(name string) bool {
	switch name {
	case "deposit", "reserve", "unlock", "cancel-unlock", "withdraw", "status":
		return true
	}
	return false
}

func runGatewayOp(ctx context.Context, op string, e env) error {
	cfg := gateway.DefaultConfig()
	rest, err := loadArgs("gateway "+op, &cfg, e)
	if err != nil {
		return err
	}
	ctx, bc, done, err := dialWallet(ctx, cfg.Payments.Eth)
	if err != nil {
		return err
	}
	defer done()
	out := e.stdout
	switch op {
	case "deposit":
		amount, err := oneAmount(rest, "deposit AMOUNT")
		if err != nil {
			return err
		}
		r, err := bc.FundDeposit(ctx, amount.Int())
		if err != nil {
			return err
		}
		txDone(out, "deposited "+ether(amount.Int()), r)
	case "reserve":
		if len(rest) != 2 || !common.IsHexAddress(rest[0]) {
			return errors.New("usage: castmesh gateway reserve ORCHESTRATOR_ADDRESS AMOUNT")
		}
		amount, err := oneAmount(rest[1:], "reserve ORCHESTRATOR AMOUNT")
		if err != nil {
			return err
		}
		r, err := bc.FundReserve(ctx, common.HexToAddress(rest[0]), amount.Int())
		if err != nil {
			return err
		}
		txDone(out, "reserved "+ether(amount.Int())+" for "+rest[0], r)
	case "unlock", "cancel-unlock", "withdraw":
		if len(rest) != 0 {
			return fmt.Errorf("%s takes no arguments", op)
		}
		send := map[string]func(context.Context) (*types.Receipt, error){
			"unlock": bc.Unlock, "cancel-unlock": bc.CancelUnlock, "withdraw": bc.Withdraw,
		}[op]
		r, err := send(ctx)
		if err != nil {
			return err
		}
		txDone(out, op, r)
	}
	return gatewayStatus(ctx, out, bc)
}

func oneAmount(args []string, usage string) (wei.Amount, error) {
	if len(args) != 1 {
		return wei.Amount{}, fmt.Errorf("usage: castmesh gateway %s", usage)
	}
	a, err := wei.ParseAmount(args[0])
	if err != nil {
		return wei.Amount{}, err
	}
	if a.Int().Sign() == 0 {
		return wei.Amount{}, errors.New("the amount must be positive")
	}
	return a, nil
}
