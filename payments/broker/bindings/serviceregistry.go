// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

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

// ServiceRegistryMetaData contains all meta data concerning the ServiceRegistry contract.
var ServiceRegistryMetaData = bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"addr\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"uri\",\"type\":\"string\"}],\"name\":\"ServiceURIUpdated\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"addr\",\"type\":\"address\"}],\"name\":\"getServiceURI\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"uri\",\"type\":\"string\"}],\"name\":\"setServiceURI\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "ServiceRegistry",
	Bin: "0x6080604052348015600e575f5ffd5b506103e98061001c5f395ff3fe608060405234801561000f575f5ffd5b5060043610610034575f3560e01c8063214c2a4b146100385780635f11301b14610061575b5f5ffd5b61004b610046366004610180565b610076565b60405161005891906101ad565b60405180910390f35b61007461006f3660046101e2565b61011f565b005b6001600160a01b0381165f90815260208190526040902080546060919061009c90610250565b80601f01602080910402602001604051908101604052809291908181526020018280546100c890610250565b80156101135780601f106100ea57610100808354040283529160200191610113565b820191905f5260205f20905b8154815290600101906020018083116100f657829003601f168201915b50505050509050919050565b335f9081526020819052604090206101388284836102f3565b50336001600160a01b03167f3d4b777a82b4e7d5ea7d2ce014d2996b6ef5b3e595b054f9fe011cb3f6e5774e83836040516101749291906103ae565b60405180910390a25050565b5f60208284031215610190575f5ffd5b81356001600160a01b03811681146101a6575f5ffd5b9392505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f5f602083850312156101f3575f5ffd5b823567ffffffffffffffff811115610209575f5ffd5b8301601f81018513610219575f5ffd5b803567ffffffffffffffff81111561022f575f5ffd5b856020828401011115610240575f5ffd5b6020919091019590945092505050565b600181811c9082168061026457607f821691505b60208210810361028257634e487b7160e01b5f52602260045260245ffd5b50919050565b634e487b7160e01b5f52604160045260245ffd5b601f8211156102ee57828211156102ee57805f5260205f20601f840160051c60208510156102c757505f5b90810190601f840160051c035f5b818110156102ea575f838201556001016102d5565b5050505b505050565b67ffffffffffffffff83111561030b5761030b610288565b61031f836103198354610250565b8361029c565b5f601f841160018114610350575f85156103395750838201355b5f19600387901b1c1916600186901b1783556103a7565b5f83815260208120601f198716915b8281101561037f578685013582556020948501946001909201910161035f565b508682101561039b575f1960f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b60208152816020820152818360408301375f818301604090810191909152601f909201601f1916010191905056fea164736f6c6343000825000a",
}

// ServiceRegistry is an auto generated Go binding around an Ethereum contract.
type ServiceRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ServiceRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewServiceRegistry creates a new instance of ServiceRegistry.
func NewServiceRegistry() *ServiceRegistry {
	parsed, err := ServiceRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ServiceRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ServiceRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackGetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x214c2a4b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getServiceURI(address addr) view returns(string)
func (serviceRegistry *ServiceRegistry) PackGetServiceURI(addr common.Address) []byte {
	enc, err := serviceRegistry.abi.Pack("getServiceURI", addr)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x214c2a4b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getServiceURI(address addr) view returns(string)
func (serviceRegistry *ServiceRegistry) TryPackGetServiceURI(addr common.Address) ([]byte, error) {
	return serviceRegistry.abi.Pack("getServiceURI", addr)
}

// UnpackGetServiceURI is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x214c2a4b.
//
// Solidity: function getServiceURI(address addr) view returns(string)
func (serviceRegistry *ServiceRegistry) UnpackGetServiceURI(data []byte) (string, error) {
	out, err := serviceRegistry.abi.Unpack("getServiceURI", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackSetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5f11301b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setServiceURI(string uri) returns()
func (serviceRegistry *ServiceRegistry) PackSetServiceURI(uri string) []byte {
	enc, err := serviceRegistry.abi.Pack("setServiceURI", uri)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5f11301b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setServiceURI(string uri) returns()
func (serviceRegistry *ServiceRegistry) TryPackSetServiceURI(uri string) ([]byte, error) {
	return serviceRegistry.abi.Pack("setServiceURI", uri)
}

// ServiceRegistryServiceURIUpdated represents a ServiceURIUpdated event raised by the ServiceRegistry contract.
type ServiceRegistryServiceURIUpdated struct {
	Addr common.Address
	Uri  string
	Raw  *types.Log // Blockchain specific contextual infos
}

const ServiceRegistryServiceURIUpdatedEventName = "ServiceURIUpdated"

// ContractEventName returns the user-defined event name.
func (ServiceRegistryServiceURIUpdated) ContractEventName() string {
	return ServiceRegistryServiceURIUpdatedEventName
}

// UnpackServiceURIUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ServiceURIUpdated(address indexed addr, string uri)
func (serviceRegistry *ServiceRegistry) UnpackServiceURIUpdatedEvent(log *types.Log) (*ServiceRegistryServiceURIUpdated, error) {
	event := "ServiceURIUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceRegistryServiceURIUpdated)
	if len(log.Data) > 0 {
		if err := serviceRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}
