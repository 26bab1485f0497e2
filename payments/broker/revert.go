package broker

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
)

// RevertError is a reverted call or transaction, decoded from its revert
// data by ABI error selector. It matches ErrReverted and, for the
// TicketBroker's own custom errors, the matching sentinel (ErrTicketUsed,
// ErrBadSignature, …) through errors.Is.
type RevertError struct {
	// Name is the Solidity error's name ("TicketUsed"; "Error" and "Panic"
	// for Solidity's built-in reasons), or "" when the data matches no
	// known error.
	Name string
	// Args are the error's decoded arguments, in declaration order.
	Args []any
	// Data is the raw revert data: a 4-byte selector then the arguments.
	Data []byte

	sentinel error
}

// Error describes the revert.
func (e *RevertError) Error() string {
	var b strings.Builder
	if e.sentinel != nil {
		b.WriteString(e.sentinel.Error())
	} else {
		b.WriteString(ErrReverted.Error())
	}
	switch {
	case e.Name != "":
		fmt.Fprintf(&b, ": %s%v", e.Name, e.Args)
	case len(e.Data) > 0:
		fmt.Fprintf(&b, ": data %s", hexutil.Encode(e.Data))
	}
	return b.String()
}

// Unwrap returns ErrReverted and, for a known custom error, its sentinel.
func (e *RevertError) Unwrap() []error {
	if e.sentinel == nil {
		return []error{ErrReverted}
	}
	return []error{e.sentinel, ErrReverted}
}

// sentinelFor maps a TicketBroker custom error's name to its sentinel.
func sentinelFor(name string) error {
	switch name {
	case "UnlockPeriodTooShort":
		return ErrInvalidConfig
	case "ZeroAddress":
		return ErrZeroAddress
	case "ZeroValue":
		return ErrZeroValue
	case "WrongValue":
		return ErrWrongValue
	case "TicketExpired":
		return ErrTicketExpired
	case "BadRecipientRand":
		return ErrBadRand
	case "TicketUsed":
		return ErrTicketUsed
	case "InvalidSignature":
		return ErrBadSignature
	case "NotWinning":
		return ErrNotWinning
	case "SenderUnlocked":
		return ErrSenderUnlocked
	case "NoFunds":
		return ErrNoFunds
	case "UnlockInProgress":
		return ErrUnlockInProgress
	case "NotUnlocking":
		return ErrNotUnlocking
	case "UnlockNotReady":
		return ErrUnlockNotReady
	case "TransferFailed":
		return ErrTransferFailed
	case "Reentrancy":
		return ErrReentrancy
	}
	return nil
}

// revertDecoder decodes revert data against the errors of a set of ABIs
// plus Solidity's built-in Error(string) and Panic(uint256).
type revertDecoder struct {
	errs map[[4]byte]abi.Error
}

// newRevertDecoder indexes the custom errors of the ABIs by selector.
func newRevertDecoder(abis ...*abi.ABI) (*revertDecoder, error) {
	d := &revertDecoder{errs: map[[4]byte]abi.Error{}}
	str, err := abi.NewType("string", "", nil)
	if err != nil {
		return nil, err
	}
	u256, err := abi.NewType("uint256", "", nil)
	if err != nil {
		return nil, err
	}
	d.add(abi.NewError("Error", abi.Arguments{{Name: "reason", Type: str}}))
	d.add(abi.NewError("Panic", abi.Arguments{{Name: "code", Type: u256}}))
	for _, a := range abis {
		for _, e := range a.Errors {
			d.add(e)
		}
	}
	return d, nil
}

func (d *revertDecoder) add(e abi.Error) {
	var id [4]byte
	copy(id[:], e.ID[:4])
	d.errs[id] = e
}

// decode decodes revert data. Data shorter than a selector, with an
// unknown selector or with arguments that do not decode gives a
// *RevertError with no Name: still a revert, of unknown reason.
func (d *revertDecoder) decode(data []byte) *RevertError {
	re := &RevertError{Data: data}
	if len(data) < 4 {
		return re
	}
	var id [4]byte
	copy(id[:], data)
	e, ok := d.errs[id]
	if !ok {
		return re
	}
	args, err := e.Inputs.Unpack(data[4:])
	if err != nil {
		return re
	}
	re.Name, re.Args, re.sentinel = e.Name, args, sentinelFor(e.Name)
	return re
}

// wrap turns an error from eth_call or eth_estimateGas into a *RevertError
// when it carries revert data (geth's JSON-RPC error code 3), and returns
// any other error unchanged.
func (d *revertDecoder) wrap(err error) error {
	if err == nil {
		return nil
	}
	data, ok := ethclient.RevertErrorData(err)
	if !ok {
		return err
	}
	return d.decode(data)
}
