// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package testcontracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// ReentrantRecipientMetaData contains all meta data concerning the ReentrantRecipient contract.
var ReentrantRecipientMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"target_\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"},{\"internalType\":\"bool\",\"name\":\"bubble_\",\"type\":\"bool\"}],\"name\":\"arm\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"bubble\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"calls\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastOk\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastReturn\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"payload\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"target\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "ReentrantRecipient",
	Bin: "0x6080604052348015600e575f5ffd5b506106bf8061001c5f395ff3fe608060405260043610610071575f3560e01c80634ce637d61161004c5780634ce637d6146101b45780638d05197c146101dd578063a878f858146101f6578063d4b839921461020a575f5ffd5b8063167112211461014c578063305f72b71461016b5780633e9717a814610193575f5ffd5b36610148575f546001600160a01b0316158061008e57505f600354115b1561009557005b600160035f8282546100a7919061031b565b90915550505f805460405182916001600160a01b0316906100ca90600190610378565b5f604051808303815f865af19150503d805f8114610103576040519150601f19603f3d011682016040523d82523d5f602084013e610108565b606091505b506004805460ff1916831515179055909250905060056101288282610454565b5081158015610139575060025460ff165b1561014657805160208201fd5b005b5f5ffd5b348015610157575f5ffd5b50610146610166366004610527565b610240565b348015610176575f5ffd5b5061018060035481565b6040519081526020015b60405180910390f35b34801561019e575f5ffd5b506101a7610282565b60405161018a91906105c3565b3480156101bf575f5ffd5b506002546101cd9060ff1681565b604051901515815260200161018a565b3480156101e8575f5ffd5b506004546101cd9060ff1681565b348015610201575f5ffd5b506101a761030e565b348015610215575f5ffd5b505f54610228906001600160a01b031681565b6040516001600160a01b03909116815260200161018a565b5f80546001600160a01b0319166001600160a01b03861617905560016102678385836105f8565b506002805460ff191691151591909117905550505f60035550565b6005805461028f90610340565b80601f01602080910402602001604051908101604052809291908181526020018280546102bb90610340565b80156103065780601f106102dd57610100808354040283529160200191610306565b820191905f5260205f20905b8154815290600101906020018083116102e957829003601f168201915b505050505081565b6001805461028f90610340565b8082018082111561033a57634e487b7160e01b5f52601160045260245ffd5b92915050565b600181811c9082168061035457607f821691505b60208210810361037257634e487b7160e01b5f52602260045260245ffd5b50919050565b5f5f835461038581610340565b60018216801561039c57600181146103b1576103de565b60ff19831686528115158202860193506103de565b865f5260205f205f5b838110156103d6578154888201526001909101906020016103ba565b505081860193505b509195945050505050565b634e487b7160e01b5f52604160045260245ffd5b601f82111561044f578282111561044f57805f5260205f20601f840160051c602085101561042857505f5b90810190601f840160051c035f5b8181101561044b575f83820155600101610436565b5050505b505050565b815167ffffffffffffffff81111561046e5761046e6103e9565b6104828161047c8454610340565b846103fd565b6020601f8211600181146104b4575f831561049d5750848201515b5f19600385901b1c1916600184901b17845561050c565b5f84815260208120601f198516915b828110156104e357878501518255602094850194600190920191016104c3565b508482101561050057868401515f19600387901b60f8161c191681555b505060018360011b0184555b5050505050565b80358015158114610522575f5ffd5b919050565b5f5f5f5f6060858703121561053a575f5ffd5b84356001600160a01b0381168114610550575f5ffd5b9350602085013567ffffffffffffffff81111561056b575f5ffd5b8501601f8101871361057b575f5ffd5b803567ffffffffffffffff811115610591575f5ffd5b8760208284010111156105a2575f5ffd5b602091909101935091506105b860408601610513565b905092959194509250565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b67ffffffffffffffff831115610610576106106103e9565b6106248361061e8354610340565b836103fd565b5f601f841160018114610655575f851561063e5750838201355b5f19600387901b1c1916600186901b17835561050c565b5f83815260208120601f198716915b828110156106845786850135825560209485019460019092019101610664565b50868210156106a0575f1960f88860031b161c19848701351681555b505060018560011b018355505050505056fea164736f6c6343000825000a",
}

// ReentrantRecipient is an auto generated Go binding around an Ethereum contract.
type ReentrantRecipient struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ReentrantRecipient) GetABI() abi.ABI {
	return c.abi
}

// NewReentrantRecipient creates a new instance of ReentrantRecipient.
func NewReentrantRecipient() *ReentrantRecipient {
	parsed, err := ReentrantRecipientMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ReentrantRecipient{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ReentrantRecipient) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x16711221.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function arm(address target_, bytes data, bool bubble_) returns()
func (reentrantRecipient *ReentrantRecipient) PackArm(target common.Address, data []byte, bubble bool) []byte {
	enc, err := reentrantRecipient.abi.Pack("arm", target, data, bubble)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x16711221.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function arm(address target_, bytes data, bool bubble_) returns()
func (reentrantRecipient *ReentrantRecipient) TryPackArm(target common.Address, data []byte, bubble bool) ([]byte, error) {
	return reentrantRecipient.abi.Pack("arm", target, data, bubble)
}

// PackBubble is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ce637d6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function bubble() view returns(bool)
func (reentrantRecipient *ReentrantRecipient) PackBubble() []byte {
	enc, err := reentrantRecipient.abi.Pack("bubble")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBubble is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ce637d6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function bubble() view returns(bool)
func (reentrantRecipient *ReentrantRecipient) TryPackBubble() ([]byte, error) {
	return reentrantRecipient.abi.Pack("bubble")
}

// UnpackBubble is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4ce637d6.
//
// Solidity: function bubble() view returns(bool)
func (reentrantRecipient *ReentrantRecipient) UnpackBubble(data []byte) (bool, error) {
	out, err := reentrantRecipient.abi.Unpack("bubble", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackCalls is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x305f72b7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function calls() view returns(uint256)
func (reentrantRecipient *ReentrantRecipient) PackCalls() []byte {
	enc, err := reentrantRecipient.abi.Pack("calls")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCalls is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x305f72b7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function calls() view returns(uint256)
func (reentrantRecipient *ReentrantRecipient) TryPackCalls() ([]byte, error) {
	return reentrantRecipient.abi.Pack("calls")
}

// UnpackCalls is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x305f72b7.
//
// Solidity: function calls() view returns(uint256)
func (reentrantRecipient *ReentrantRecipient) UnpackCalls(data []byte) (*big.Int, error) {
	out, err := reentrantRecipient.abi.Unpack("calls", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackLastOk is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8d05197c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lastOk() view returns(bool)
func (reentrantRecipient *ReentrantRecipient) PackLastOk() []byte {
	enc, err := reentrantRecipient.abi.Pack("lastOk")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLastOk is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8d05197c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lastOk() view returns(bool)
func (reentrantRecipient *ReentrantRecipient) TryPackLastOk() ([]byte, error) {
	return reentrantRecipient.abi.Pack("lastOk")
}

// UnpackLastOk is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8d05197c.
//
// Solidity: function lastOk() view returns(bool)
func (reentrantRecipient *ReentrantRecipient) UnpackLastOk(data []byte) (bool, error) {
	out, err := reentrantRecipient.abi.Unpack("lastOk", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLastReturn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3e9717a8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lastReturn() view returns(bytes)
func (reentrantRecipient *ReentrantRecipient) PackLastReturn() []byte {
	enc, err := reentrantRecipient.abi.Pack("lastReturn")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLastReturn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3e9717a8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lastReturn() view returns(bytes)
func (reentrantRecipient *ReentrantRecipient) TryPackLastReturn() ([]byte, error) {
	return reentrantRecipient.abi.Pack("lastReturn")
}

// UnpackLastReturn is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3e9717a8.
//
// Solidity: function lastReturn() view returns(bytes)
func (reentrantRecipient *ReentrantRecipient) UnpackLastReturn(data []byte) ([]byte, error) {
	out, err := reentrantRecipient.abi.Unpack("lastReturn", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackPayload is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa878f858.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function payload() view returns(bytes)
func (reentrantRecipient *ReentrantRecipient) PackPayload() []byte {
	enc, err := reentrantRecipient.abi.Pack("payload")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPayload is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa878f858.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function payload() view returns(bytes)
func (reentrantRecipient *ReentrantRecipient) TryPackPayload() ([]byte, error) {
	return reentrantRecipient.abi.Pack("payload")
}

// UnpackPayload is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa878f858.
//
// Solidity: function payload() view returns(bytes)
func (reentrantRecipient *ReentrantRecipient) UnpackPayload(data []byte) ([]byte, error) {
	out, err := reentrantRecipient.abi.Unpack("payload", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function target() view returns(address)
func (reentrantRecipient *ReentrantRecipient) PackTarget() []byte {
	enc, err := reentrantRecipient.abi.Pack("target")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function target() view returns(address)
func (reentrantRecipient *ReentrantRecipient) TryPackTarget() ([]byte, error) {
	return reentrantRecipient.abi.Pack("target")
}

// UnpackTarget is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd4b83992.
//
// Solidity: function target() view returns(address)
func (reentrantRecipient *ReentrantRecipient) UnpackTarget(data []byte) (common.Address, error) {
	out, err := reentrantRecipient.abi.Unpack("target", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}
