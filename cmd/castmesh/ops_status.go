package main

import (
	"context"
	"io"

	"github.com/castmesh/castmesh/payments/broker"
)

// FundsStatus is what `castmesh gateway status` prints.
type FundsStatus struct {
	Address       string `json:"address"`
	Balance       string `json:"balance"`
	Deposit       string `json:"deposit"`
	ReserveTotal  string `json:"reserve_total"`
	WithdrawBlock uint64 `json:"withdraw_block"`
	Block         uint64 `json:"block"`
	UnlockPeriod  uint64 `json:"unlock_period"`
}

func gatewayStatus(ctx context.Context, out io.Writer, bc *broker.Client) error {
	info, err := bc.SenderInfo(ctx, bc.Address())
	if err != nil {
		return err
	}
	bal, err := bc.Balance(ctx, bc.Address())
	if err != nil {
		return err
	}
	block, err := bc.BlockNumber(ctx)
	if err != nil {
		return err
	}
	unlock, err := bc.UnlockPeriod(ctx)
	if err != nil {
		return err
	}
	return printJSON(out, FundsStatus{
		Address: bc.Address().Hex(), Balance: ether(bal), Deposit: ether(info.Deposit), ReserveTotal: ether(info.ReserveTotal),
		WithdrawBlock: info.WithdrawBlock, Block: block, UnlockPeriod: unlock,
	})
}
