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

// TicketBrokerTicket is an auto generated low-level Go binding around an user-defined struct.
type TicketBrokerTicket struct {
	Recipient         common.Address
	Sender            common.Address
	FaceValue         *big.Int
	WinProb           *big.Int
	SenderNonce       *big.Int
	RecipientRandHash [32]byte
	ExpirationBlock   *big.Int
}

// TicketBrokerMetaData contains all meta data concerning the TicketBroker contract.
var TicketBrokerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"unlockPeriod_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"ticketValidity_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"BadRecipientRand\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoFunds\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotUnlocking\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotWinning\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"withdrawBlock\",\"type\":\"uint256\"}],\"name\":\"SenderUnlocked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"expirationBlock\",\"type\":\"uint256\"}],\"name\":\"TicketExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"ticketHash\",\"type\":\"bytes32\"}],\"name\":\"TicketUsed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"withdrawBlock\",\"type\":\"uint256\"}],\"name\":\"UnlockInProgress\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"withdrawBlock\",\"type\":\"uint256\"}],\"name\":\"UnlockNotReady\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"unlockPeriod\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"ticketValidity\",\"type\":\"uint256\"}],\"name\":\"UnlockPeriodTooShort\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"}],\"name\":\"WrongValue\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroValue\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"DepositFunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"ReserveFunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"startBlock\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"withdrawBlock\",\"type\":\"uint256\"}],\"name\":\"Unlock\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"UnlockCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"faceValue\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"ticketHash\",\"type\":\"bytes32\"}],\"name\":\"WinningTicketRedeemed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"reserve\",\"type\":\"uint256\"}],\"name\":\"Withdrawal\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"cancelUnlock\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"fundDeposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"depositAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"reserveAmount\",\"type\":\"uint256\"}],\"name\":\"fundDepositAndReserve\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"}],\"name\":\"fundReserve\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"getSenderInfo\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawBlock\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"reserveTotal\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"faceValue\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"winProb\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"senderNonce\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"recipientRandHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"expirationBlock\",\"type\":\"uint256\"}],\"internalType\":\"structTicketBroker.Ticket\",\"name\":\"t\",\"type\":\"tuple\"}],\"name\":\"getTicketHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"faceValue\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"winProb\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"senderNonce\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"recipientRandHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"expirationBlock\",\"type\":\"uint256\"}],\"internalType\":\"structTicketBroker.Ticket\",\"name\":\"t\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"recipientRand\",\"type\":\"uint256\"}],\"name\":\"redeemWinningTicket\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"}],\"name\":\"reserveFor\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ticketValidity\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unlock\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unlockPeriod\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"usedTickets\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "TicketBroker",
	Bin: "0x60c060405234801561000f575f5ffd5b5060405161116438038061116483398101604081905261002e9161006a565b80821161005c576040516360a164e960e01b8152600481018390526024810182905260440160405180910390fd5b60809190915260a05261008c565b5f5f6040838503121561007b575f5ffd5b505080516020909101519092909150565b60805160a0516110aa6100ba5f395f81816101b4015261083d01525f818160f5015261067501526110aa5ff3fe6080604052600436106100bf575f3560e01c80637eedb7d61161007c578063c2c4c2c811610057578063c2c4c2c814610209578063e1a589da1461021d578063e7400b521461027e578063feda365614610291575f5ffd5b80637eedb7d6146101a357806387c12fda146101d6578063a69df4b5146101f5575f5ffd5b80630dadc01b146100c357806320d3a0b4146100e45780633879b70f1461012a5780633ccfd60b1461014957806359a515ba1461015d5780636caa736b1461019b575b5f5ffd5b3480156100ce575f5ffd5b506100e26100dd366004610eab565b6102a4565b005b3480156100ef575f5ffd5b506101177f000000000000000000000000000000000000000000000000000000000000000081565b6040519081526020015b60405180910390f35b348015610135575f5ffd5b50610117610144366004610f4e565b6103ca565b348015610154575f5ffd5b506100e2610408565b348015610168575f5ffd5b5061018b610177366004610f7f565b5f6020819052908152604090205460ff1681565b6040519015158152602001610121565b6100e261052c565b3480156101ae575f5ffd5b506101177f000000000000000000000000000000000000000000000000000000000000000081565b3480156101e1575f5ffd5b506101176101f0366004610f96565b61055f565b348015610200575f5ffd5b506100e2610607565b348015610214575f5ffd5b506100e26106e3565b348015610228575f5ffd5b50610263610237366004610fb0565b6001600160a01b03165f9081526001602081905260409091208054918101546002909101549192909190565b60408051938452602084019290925290820152606001610121565b6100e261028c366004610fb0565b61071c565b6100e261029f366004610fc9565b610751565b60ff5f5c16156102c75760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f6102e2858585856107d4565b90505f61030f6102f86040880160208901610fb0565b6103056020890189610fb0565b88604001356109bd565b5f83815260208181526040909120805460ff19166001179055909150829061033990880188610fb0565b6001600160a01b03166103526040890160208a01610fb0565b6001600160a01b03167fc875de6f5f3057e95777f38d768162b86c56a2513a709ef32257119723d4bd4d896040013585604051610399929190918252602082015260400190565b60405180910390a46103b76103b16020880188610fb0565b82610b12565b505f905060ff19815c16815d5050505050565b6001600160a01b038083165f908152600260209081526040808320600183528184206003015484528252808320938516835292905220545b92915050565b60ff5f5c161561042b5760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d50335f908152600160208190526040822090810154909181900361046f57604051633d84143760e21b815260040160405180910390fd5b8043101561049857604051631e3b10d960e31b8152600481018290526024015b60405180910390fd5b81546002830180545f808655918290556001808601839055600386018054929391929091906104c890849061100d565b9091555050604080518381526020810183905233917fdf273cb619d95419a9cd0ec88123a0538c85064229baa6363788f743fff90deb910160405180910390a261051b33610516838561100d565b610b12565b505f92505050805c60ff1916815d50565b345f0361054c57604051637c946ed760e01b815260040160405180910390fd5b61055534610ba4565b61055d610bff565b565b5f61056d6020830183610fb0565b61057d6040840160208501610fb0565b604080516bffffffffffffffffffffffff19606094851b8116602083015292841b831660348201529085013560488201528285013560688201526080850135608882015260a085013560a882015260c085013560c88201524660e88201523090921b1661010882015261011c01604051602081830303815290604052805190602001209050919050565b335f908152600160205260409020805415801561062657506002810154155b156106445760405163043f9e1160e41b815260040160405180910390fd5b60018101541561066f57806001015460405163072c913960e51b815260040161048f91815260200190565b5f61069a7f00000000000000000000000000000000000000000000000000000000000000004361100d565b60018301819055604080514381526020810183905291925033917ff7870c5b224cbc19873599e46ccfc7103934650509b1af0c3ce90138377c2004910160405180910390a25050565b335f90815260016020819052604082200154900361071457604051633d84143760e21b815260040160405180910390fd5b61055d610c1b565b345f0361073c57604051637c946ed760e01b815260040160405180910390fd5b6107468134610c59565b61074e610bff565b50565b345f0361077157604051637c946ed760e01b815260040160405180910390fd5b5f61077c828461100d565b90508034146107a75760405163195a3ca160e01b81523460048201526024810182905260440161048f565b82156107b6576107b683610ba4565b81156107c6576107c68483610c59565b6107ce610bff565b50505050565b5f806107e36020870187610fb0565b6001600160a01b0316148061080f57505f6108046040870160208801610fb0565b6001600160a01b0316145b1561082d5760405163d92e233d60e01b815260040160405180910390fd5b8460c001354311801561086c57507f000000000000000000000000000000000000000000000000000000000000000061086a60c087013543611020565b115b156108905760405163876bd66d60e01b815260c0860135600482015260240161048f565b8460a00135826040516020016108a891815260200190565b60405160208183030381529060405280519060200120146108dc5760405163140e7ba760e21b815260040160405180910390fd5b6108e58561055f565b5f8181526020819052604090205490915060ff161561091a57604051632b455b9560e01b81526004810182905260240161048f565b61092a6040860160208701610fb0565b6001600160a01b031661093e828686610d2a565b6001600160a01b03161461096557604051638baa579f60e01b815260040160405180910390fd5b846060013584848460405160200161097f93929190611033565b604051602081830303815290604052805190602001205f1c106109b557604051630ebc196f60e31b815260040160405180910390fd5b949350505050565b6001600160a01b0383165f908152600160208190526040822090810154158015906109ec575080600101544310155b15610a12578060010154604051633a9effc560e11b815260040161048f91815260200190565b6001600160a01b038086165f90815260026020908152604080832060038601548452825280832085549489168452918290529091205490919081158015610a57575080155b15610a755760405163043f9e1160e41b815260040160405180910390fd5b5f828710610a835782610a85565b865b90505f610a928289611020565b90505f838210610aa25783610aa4565b815b9050610ab08386611020565b87558015610af757610ac28185611020565b6001600160a01b038b165f90815260208890526040812091909155600288018054839290610af1908490611020565b90915550505b610b01818461100d565b9750505050505050505b9392505050565b805f03610b1d575050565b5f826001600160a01b0316826040515f6040518083038185875af1925050503d805f8114610b66576040519150601f19603f3d011682016040523d82523d5f602084013e610b6b565b606091505b5050905080610b9f57604051630e21dcbb60e11b81526001600160a01b03841660048201526024810183905260440161048f565b505050565b335f9081526001602052604081208054839290610bc290849061100d565b909155505060405181815233907f5159e237d952190e68d5215430f305831be7c9c8776d1377c76679ae4773413f9060200160405180910390a250565b335f90815260016020819052604090912001541561055d5761055d5b335f818152600160208190526040808320909101829055517ffa044b7b93a40365dc68049797c2eb06918523d694e5d56e406cac3eb35578e59190a2565b6001600160a01b038216610c805760405163d92e233d60e01b815260040160405180910390fd5b335f908152600160209081526040808320600283528184206003820154855283528184206001600160a01b03871685529092528220805491928492610cc690849061100d565b9250508190555081816002015f828254610ce0919061100d565b90915550506040518281526001600160a01b0384169033907ffbddd6f739a7c9f42b0180f51aef949af4beba74bfbef52e9d59f37b7ee02b769060200160405180910390a3505050565b5f60418214610d3a57505f610b0b565b5f610d486020828587611045565b610d519161106c565b90505f610d62604060208688611045565b610d6b9161106c565b90505f85856040818110610d8157610d81611089565b919091013560f81c915050601b8114801590610da157508060ff16601c14155b15610db1575f9350505050610b0b565b7f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0821115610de4575f9350505050610b0b565b6040517f19457468657265756d205369676e6564204d6573736167653a0a3332000000006020820152603c81018890525f90605c0160408051601f1981840301815282825280516020918201205f845290830180835281905260ff8516918301919091526060820186905260808201859052915060019060a0016020604051602081039080840390855afa158015610e7e573d5f5f3e3d5ffd5b5050604051601f1901519998505050505050505050565b5f60e08284031215610ea5575f5ffd5b50919050565b5f5f5f5f6101208587031215610ebf575f5ffd5b610ec98686610e95565b935060e085013567ffffffffffffffff811115610ee4575f5ffd5b8501601f81018713610ef4575f5ffd5b803567ffffffffffffffff811115610f0a575f5ffd5b876020828401011115610f1b575f5ffd5b94976020919091019650939461010001359392505050565b80356001600160a01b0381168114610f49575f5ffd5b919050565b5f5f60408385031215610f5f575f5ffd5b610f6883610f33565b9150610f7660208401610f33565b90509250929050565b5f60208284031215610f8f575f5ffd5b5035919050565b5f60e08284031215610fa6575f5ffd5b610b0b8383610e95565b5f60208284031215610fc0575f5ffd5b610b0b82610f33565b5f5f5f60608486031215610fdb575f5ffd5b610fe484610f33565b95602085013595506040909401359392505050565b634e487b7160e01b5f52601160045260245ffd5b8082018082111561040257610402610ff9565b8181038181111561040257610402610ff9565b82848237909101908152602001919050565b5f5f85851115611053575f5ffd5b8386111561105f575f5ffd5b5050820193919092039150565b80356020831015610402575f19602084900360031b1b1692915050565b634e487b7160e01b5f52603260045260245ffdfea164736f6c6343000825000a",
}

// TicketBroker is an auto generated Go binding around an Ethereum contract.
type TicketBroker struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *TicketBroker) GetABI() abi.ABI {
	return c.abi
}

// NewTicketBroker creates a new instance of TicketBroker.
func NewTicketBroker() *TicketBroker {
	parsed, err := TicketBrokerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &TicketBroker{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *TicketBroker) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint256 unlockPeriod_, uint256 ticketValidity_) returns()
func (ticketBroker *TicketBroker) PackConstructor(unlockPeriod_ *big.Int, ticketValidity_ *big.Int) []byte {
	enc, err := ticketBroker.abi.Pack("", unlockPeriod_, ticketValidity_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackCancelUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc2c4c2c8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cancelUnlock() returns()
func (ticketBroker *TicketBroker) PackCancelUnlock() []byte {
	enc, err := ticketBroker.abi.Pack("cancelUnlock")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCancelUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc2c4c2c8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cancelUnlock() returns()
func (ticketBroker *TicketBroker) TryPackCancelUnlock() ([]byte, error) {
	return ticketBroker.abi.Pack("cancelUnlock")
}

// PackFundDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6caa736b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fundDeposit() payable returns()
func (ticketBroker *TicketBroker) PackFundDeposit() []byte {
	enc, err := ticketBroker.abi.Pack("fundDeposit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFundDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6caa736b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fundDeposit() payable returns()
func (ticketBroker *TicketBroker) TryPackFundDeposit() ([]byte, error) {
	return ticketBroker.abi.Pack("fundDeposit")
}

// PackFundDepositAndReserve is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfeda3656.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fundDepositAndReserve(address recipient, uint256 depositAmount, uint256 reserveAmount) payable returns()
func (ticketBroker *TicketBroker) PackFundDepositAndReserve(recipient common.Address, depositAmount *big.Int, reserveAmount *big.Int) []byte {
	enc, err := ticketBroker.abi.Pack("fundDepositAndReserve", recipient, depositAmount, reserveAmount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFundDepositAndReserve is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfeda3656.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fundDepositAndReserve(address recipient, uint256 depositAmount, uint256 reserveAmount) payable returns()
func (ticketBroker *TicketBroker) TryPackFundDepositAndReserve(recipient common.Address, depositAmount *big.Int, reserveAmount *big.Int) ([]byte, error) {
	return ticketBroker.abi.Pack("fundDepositAndReserve", recipient, depositAmount, reserveAmount)
}

// PackFundReserve is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe7400b52.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fundReserve(address recipient) payable returns()
func (ticketBroker *TicketBroker) PackFundReserve(recipient common.Address) []byte {
	enc, err := ticketBroker.abi.Pack("fundReserve", recipient)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFundReserve is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe7400b52.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fundReserve(address recipient) payable returns()
func (ticketBroker *TicketBroker) TryPackFundReserve(recipient common.Address) ([]byte, error) {
	return ticketBroker.abi.Pack("fundReserve", recipient)
}

// PackGetSenderInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe1a589da.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getSenderInfo(address sender) view returns(uint256 deposit, uint256 withdrawBlock, uint256 reserveTotal)
func (ticketBroker *TicketBroker) PackGetSenderInfo(sender common.Address) []byte {
	enc, err := ticketBroker.abi.Pack("getSenderInfo", sender)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetSenderInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe1a589da.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getSenderInfo(address sender) view returns(uint256 deposit, uint256 withdrawBlock, uint256 reserveTotal)
func (ticketBroker *TicketBroker) TryPackGetSenderInfo(sender common.Address) ([]byte, error) {
	return ticketBroker.abi.Pack("getSenderInfo", sender)
}

// GetSenderInfoOutput serves as a container for the return parameters of contract
// method GetSenderInfo.
type GetSenderInfoOutput struct {
	Deposit       *big.Int
	WithdrawBlock *big.Int
	ReserveTotal  *big.Int
}

// UnpackGetSenderInfo is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe1a589da.
//
// Solidity: function getSenderInfo(address sender) view returns(uint256 deposit, uint256 withdrawBlock, uint256 reserveTotal)
func (ticketBroker *TicketBroker) UnpackGetSenderInfo(data []byte) (GetSenderInfoOutput, error) {
	out, err := ticketBroker.abi.Unpack("getSenderInfo", data)
	outstruct := new(GetSenderInfoOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Deposit = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.WithdrawBlock = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.ReserveTotal = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackGetTicketHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87c12fda.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getTicketHash((address,address,uint256,uint256,uint256,bytes32,uint256) t) view returns(bytes32)
func (ticketBroker *TicketBroker) PackGetTicketHash(t TicketBrokerTicket) []byte {
	enc, err := ticketBroker.abi.Pack("getTicketHash", t)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetTicketHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87c12fda.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getTicketHash((address,address,uint256,uint256,uint256,bytes32,uint256) t) view returns(bytes32)
func (ticketBroker *TicketBroker) TryPackGetTicketHash(t TicketBrokerTicket) ([]byte, error) {
	return ticketBroker.abi.Pack("getTicketHash", t)
}

// UnpackGetTicketHash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x87c12fda.
//
// Solidity: function getTicketHash((address,address,uint256,uint256,uint256,bytes32,uint256) t) view returns(bytes32)
func (ticketBroker *TicketBroker) UnpackGetTicketHash(data []byte) ([32]byte, error) {
	out, err := ticketBroker.abi.Unpack("getTicketHash", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRedeemWinningTicket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0dadc01b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function redeemWinningTicket((address,address,uint256,uint256,uint256,bytes32,uint256) t, bytes sig, uint256 recipientRand) returns()
func (ticketBroker *TicketBroker) PackRedeemWinningTicket(t TicketBrokerTicket, sig []byte, recipientRand *big.Int) []byte {
	enc, err := ticketBroker.abi.Pack("redeemWinningTicket", t, sig, recipientRand)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRedeemWinningTicket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0dadc01b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function redeemWinningTicket((address,address,uint256,uint256,uint256,bytes32,uint256) t, bytes sig, uint256 recipientRand) returns()
func (ticketBroker *TicketBroker) TryPackRedeemWinningTicket(t TicketBrokerTicket, sig []byte, recipientRand *big.Int) ([]byte, error) {
	return ticketBroker.abi.Pack("redeemWinningTicket", t, sig, recipientRand)
}

// PackReserveFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3879b70f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reserveFor(address sender, address recipient) view returns(uint256)
func (ticketBroker *TicketBroker) PackReserveFor(sender common.Address, recipient common.Address) []byte {
	enc, err := ticketBroker.abi.Pack("reserveFor", sender, recipient)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReserveFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3879b70f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reserveFor(address sender, address recipient) view returns(uint256)
func (ticketBroker *TicketBroker) TryPackReserveFor(sender common.Address, recipient common.Address) ([]byte, error) {
	return ticketBroker.abi.Pack("reserveFor", sender, recipient)
}

// UnpackReserveFor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3879b70f.
//
// Solidity: function reserveFor(address sender, address recipient) view returns(uint256)
func (ticketBroker *TicketBroker) UnpackReserveFor(data []byte) (*big.Int, error) {
	out, err := ticketBroker.abi.Unpack("reserveFor", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTicketValidity is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7eedb7d6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ticketValidity() view returns(uint256)
func (ticketBroker *TicketBroker) PackTicketValidity() []byte {
	enc, err := ticketBroker.abi.Pack("ticketValidity")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTicketValidity is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7eedb7d6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ticketValidity() view returns(uint256)
func (ticketBroker *TicketBroker) TryPackTicketValidity() ([]byte, error) {
	return ticketBroker.abi.Pack("ticketValidity")
}

// UnpackTicketValidity is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7eedb7d6.
//
// Solidity: function ticketValidity() view returns(uint256)
func (ticketBroker *TicketBroker) UnpackTicketValidity(data []byte) (*big.Int, error) {
	out, err := ticketBroker.abi.Unpack("ticketValidity", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa69df4b5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unlock() returns()
func (ticketBroker *TicketBroker) PackUnlock() []byte {
	enc, err := ticketBroker.abi.Pack("unlock")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa69df4b5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unlock() returns()
func (ticketBroker *TicketBroker) TryPackUnlock() ([]byte, error) {
	return ticketBroker.abi.Pack("unlock")
}

// PackUnlockPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20d3a0b4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unlockPeriod() view returns(uint256)
func (ticketBroker *TicketBroker) PackUnlockPeriod() []byte {
	enc, err := ticketBroker.abi.Pack("unlockPeriod")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnlockPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20d3a0b4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unlockPeriod() view returns(uint256)
func (ticketBroker *TicketBroker) TryPackUnlockPeriod() ([]byte, error) {
	return ticketBroker.abi.Pack("unlockPeriod")
}

// UnpackUnlockPeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x20d3a0b4.
//
// Solidity: function unlockPeriod() view returns(uint256)
func (ticketBroker *TicketBroker) UnpackUnlockPeriod(data []byte) (*big.Int, error) {
	out, err := ticketBroker.abi.Unpack("unlockPeriod", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackUsedTickets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59a515ba.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function usedTickets(bytes32 ) view returns(bool)
func (ticketBroker *TicketBroker) PackUsedTickets(arg0 [32]byte) []byte {
	enc, err := ticketBroker.abi.Pack("usedTickets", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUsedTickets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59a515ba.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function usedTickets(bytes32 ) view returns(bool)
func (ticketBroker *TicketBroker) TryPackUsedTickets(arg0 [32]byte) ([]byte, error) {
	return ticketBroker.abi.Pack("usedTickets", arg0)
}

// UnpackUsedTickets is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x59a515ba.
//
// Solidity: function usedTickets(bytes32 ) view returns(bool)
func (ticketBroker *TicketBroker) UnpackUsedTickets(data []byte) (bool, error) {
	out, err := ticketBroker.abi.Unpack("usedTickets", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (ticketBroker *TicketBroker) PackWithdraw() []byte {
	enc, err := ticketBroker.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (ticketBroker *TicketBroker) TryPackWithdraw() ([]byte, error) {
	return ticketBroker.abi.Pack("withdraw")
}

// TicketBrokerDepositFunded represents a DepositFunded event raised by the TicketBroker contract.
type TicketBrokerDepositFunded struct {
	Sender common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const TicketBrokerDepositFundedEventName = "DepositFunded"

// ContractEventName returns the user-defined event name.
func (TicketBrokerDepositFunded) ContractEventName() string {
	return TicketBrokerDepositFundedEventName
}

// UnpackDepositFundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepositFunded(address indexed sender, uint256 amount)
func (ticketBroker *TicketBroker) UnpackDepositFundedEvent(log *types.Log) (*TicketBrokerDepositFunded, error) {
	event := "DepositFunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketBroker.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketBrokerDepositFunded)
	if len(log.Data) > 0 {
		if err := ticketBroker.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketBroker.abi.Events[event].Inputs {
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

// TicketBrokerReserveFunded represents a ReserveFunded event raised by the TicketBroker contract.
type TicketBrokerReserveFunded struct {
	Sender    common.Address
	Recipient common.Address
	Amount    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const TicketBrokerReserveFundedEventName = "ReserveFunded"

// ContractEventName returns the user-defined event name.
func (TicketBrokerReserveFunded) ContractEventName() string {
	return TicketBrokerReserveFundedEventName
}

// UnpackReserveFundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ReserveFunded(address indexed sender, address indexed recipient, uint256 amount)
func (ticketBroker *TicketBroker) UnpackReserveFundedEvent(log *types.Log) (*TicketBrokerReserveFunded, error) {
	event := "ReserveFunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketBroker.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketBrokerReserveFunded)
	if len(log.Data) > 0 {
		if err := ticketBroker.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketBroker.abi.Events[event].Inputs {
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

// TicketBrokerUnlock represents a Unlock event raised by the TicketBroker contract.
type TicketBrokerUnlock struct {
	Sender        common.Address
	StartBlock    *big.Int
	WithdrawBlock *big.Int
	Raw           *types.Log // Blockchain specific contextual infos
}

const TicketBrokerUnlockEventName = "Unlock"

// ContractEventName returns the user-defined event name.
func (TicketBrokerUnlock) ContractEventName() string {
	return TicketBrokerUnlockEventName
}

// UnpackUnlockEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unlock(address indexed sender, uint256 startBlock, uint256 withdrawBlock)
func (ticketBroker *TicketBroker) UnpackUnlockEvent(log *types.Log) (*TicketBrokerUnlock, error) {
	event := "Unlock"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketBroker.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketBrokerUnlock)
	if len(log.Data) > 0 {
		if err := ticketBroker.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketBroker.abi.Events[event].Inputs {
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

// TicketBrokerUnlockCancelled represents a UnlockCancelled event raised by the TicketBroker contract.
type TicketBrokerUnlockCancelled struct {
	Sender common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const TicketBrokerUnlockCancelledEventName = "UnlockCancelled"

// ContractEventName returns the user-defined event name.
func (TicketBrokerUnlockCancelled) ContractEventName() string {
	return TicketBrokerUnlockCancelledEventName
}

// UnpackUnlockCancelledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnlockCancelled(address indexed sender)
func (ticketBroker *TicketBroker) UnpackUnlockCancelledEvent(log *types.Log) (*TicketBrokerUnlockCancelled, error) {
	event := "UnlockCancelled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketBroker.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketBrokerUnlockCancelled)
	if len(log.Data) > 0 {
		if err := ticketBroker.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketBroker.abi.Events[event].Inputs {
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

// TicketBrokerWinningTicketRedeemed represents a WinningTicketRedeemed event raised by the TicketBroker contract.
type TicketBrokerWinningTicketRedeemed struct {
	Sender     common.Address
	Recipient  common.Address
	FaceValue  *big.Int
	Paid       *big.Int
	TicketHash [32]byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const TicketBrokerWinningTicketRedeemedEventName = "WinningTicketRedeemed"

// ContractEventName returns the user-defined event name.
func (TicketBrokerWinningTicketRedeemed) ContractEventName() string {
	return TicketBrokerWinningTicketRedeemedEventName
}

// UnpackWinningTicketRedeemedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WinningTicketRedeemed(address indexed sender, address indexed recipient, uint256 faceValue, uint256 paid, bytes32 indexed ticketHash)
func (ticketBroker *TicketBroker) UnpackWinningTicketRedeemedEvent(log *types.Log) (*TicketBrokerWinningTicketRedeemed, error) {
	event := "WinningTicketRedeemed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketBroker.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketBrokerWinningTicketRedeemed)
	if len(log.Data) > 0 {
		if err := ticketBroker.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketBroker.abi.Events[event].Inputs {
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

// TicketBrokerWithdrawal represents a Withdrawal event raised by the TicketBroker contract.
type TicketBrokerWithdrawal struct {
	Sender  common.Address
	Deposit *big.Int
	Reserve *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const TicketBrokerWithdrawalEventName = "Withdrawal"

// ContractEventName returns the user-defined event name.
func (TicketBrokerWithdrawal) ContractEventName() string {
	return TicketBrokerWithdrawalEventName
}

// UnpackWithdrawalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawal(address indexed sender, uint256 deposit, uint256 reserve)
func (ticketBroker *TicketBroker) UnpackWithdrawalEvent(log *types.Log) (*TicketBrokerWithdrawal, error) {
	event := "Withdrawal"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketBroker.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketBrokerWithdrawal)
	if len(log.Data) > 0 {
		if err := ticketBroker.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketBroker.abi.Events[event].Inputs {
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

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (ticketBroker *TicketBroker) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["BadRecipientRand"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackBadRecipientRandError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["NoFunds"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackNoFundsError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["NotUnlocking"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackNotUnlockingError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["NotWinning"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackNotWinningError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["Reentrancy"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackReentrancyError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["SenderUnlocked"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackSenderUnlockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["TicketExpired"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackTicketExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["TicketUsed"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackTicketUsedError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["UnlockInProgress"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackUnlockInProgressError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["UnlockNotReady"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackUnlockNotReadyError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["UnlockPeriodTooShort"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackUnlockPeriodTooShortError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["WrongValue"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackWrongValueError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackZeroAddressError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketBroker.abi.Errors["ZeroValue"].ID.Bytes()[:4]) {
		return ticketBroker.UnpackZeroValueError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// TicketBrokerBadRecipientRand represents a BadRecipientRand error raised by the TicketBroker contract.
type TicketBrokerBadRecipientRand struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadRecipientRand()
func TicketBrokerBadRecipientRandErrorID() common.Hash {
	return common.HexToHash("0x5039ee9cfa3e95980123ab16bf09e4b7d33fd02daa66be9cb35a98fab16a12f5")
}

// UnpackBadRecipientRandError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadRecipientRand()
func (ticketBroker *TicketBroker) UnpackBadRecipientRandError(raw []byte) (*TicketBrokerBadRecipientRand, error) {
	out := new(TicketBrokerBadRecipientRand)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "BadRecipientRand", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerInvalidSignature represents a InvalidSignature error raised by the TicketBroker contract.
type TicketBrokerInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func TicketBrokerInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (ticketBroker *TicketBroker) UnpackInvalidSignatureError(raw []byte) (*TicketBrokerInvalidSignature, error) {
	out := new(TicketBrokerInvalidSignature)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerNoFunds represents a NoFunds error raised by the TicketBroker contract.
type TicketBrokerNoFunds struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoFunds()
func TicketBrokerNoFundsErrorID() common.Hash {
	return common.HexToHash("0x43f9e1106d52dd56a6d8d7b59320083ed61880bd3b43d06e6a4c14a62b11324b")
}

// UnpackNoFundsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoFunds()
func (ticketBroker *TicketBroker) UnpackNoFundsError(raw []byte) (*TicketBrokerNoFunds, error) {
	out := new(TicketBrokerNoFunds)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "NoFunds", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerNotUnlocking represents a NotUnlocking error raised by the TicketBroker contract.
type TicketBrokerNotUnlocking struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotUnlocking()
func TicketBrokerNotUnlockingErrorID() common.Hash {
	return common.HexToHash("0xf61050dc5ef023523a332f2b6d3e32b86ae6f53fd42e35b849a7420d481d7332")
}

// UnpackNotUnlockingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotUnlocking()
func (ticketBroker *TicketBroker) UnpackNotUnlockingError(raw []byte) (*TicketBrokerNotUnlocking, error) {
	out := new(TicketBrokerNotUnlocking)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "NotUnlocking", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerNotWinning represents a NotWinning error raised by the TicketBroker contract.
type TicketBrokerNotWinning struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotWinning()
func TicketBrokerNotWinningErrorID() common.Hash {
	return common.HexToHash("0x75e0cb78e375a67eb1ad2811590e795f45e2fce588aa30ee34bad3aaf6e13025")
}

// UnpackNotWinningError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotWinning()
func (ticketBroker *TicketBroker) UnpackNotWinningError(raw []byte) (*TicketBrokerNotWinning, error) {
	out := new(TicketBrokerNotWinning)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "NotWinning", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerReentrancy represents a Reentrancy error raised by the TicketBroker contract.
type TicketBrokerReentrancy struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Reentrancy()
func TicketBrokerReentrancyErrorID() common.Hash {
	return common.HexToHash("0xab143c06c9772d69bbbc9f2fe74acd02f810e93b099f3d1dac8448ac9ae35991")
}

// UnpackReentrancyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Reentrancy()
func (ticketBroker *TicketBroker) UnpackReentrancyError(raw []byte) (*TicketBrokerReentrancy, error) {
	out := new(TicketBrokerReentrancy)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "Reentrancy", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerSenderUnlocked represents a SenderUnlocked error raised by the TicketBroker contract.
type TicketBrokerSenderUnlocked struct {
	WithdrawBlock *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SenderUnlocked(uint256 withdrawBlock)
func TicketBrokerSenderUnlockedErrorID() common.Hash {
	return common.HexToHash("0x753dff8a2371cb582baeb402f5af908dcbd505abb57a123b27f4d2b6ef0dc804")
}

// UnpackSenderUnlockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SenderUnlocked(uint256 withdrawBlock)
func (ticketBroker *TicketBroker) UnpackSenderUnlockedError(raw []byte) (*TicketBrokerSenderUnlocked, error) {
	out := new(TicketBrokerSenderUnlocked)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "SenderUnlocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerTicketExpired represents a TicketExpired error raised by the TicketBroker contract.
type TicketBrokerTicketExpired struct {
	ExpirationBlock *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TicketExpired(uint256 expirationBlock)
func TicketBrokerTicketExpiredErrorID() common.Hash {
	return common.HexToHash("0x876bd66db9cd47e8d01068b43a30a295d772a22173ebd1fdfa84f6d8b9e154a7")
}

// UnpackTicketExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TicketExpired(uint256 expirationBlock)
func (ticketBroker *TicketBroker) UnpackTicketExpiredError(raw []byte) (*TicketBrokerTicketExpired, error) {
	out := new(TicketBrokerTicketExpired)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "TicketExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerTicketUsed represents a TicketUsed error raised by the TicketBroker contract.
type TicketBrokerTicketUsed struct {
	TicketHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TicketUsed(bytes32 ticketHash)
func TicketBrokerTicketUsedErrorID() common.Hash {
	return common.HexToHash("0x2b455b95ab2cb94d012f0c9f98baa52aa22ec7bc60749b52b0ca831262be78c4")
}

// UnpackTicketUsedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TicketUsed(bytes32 ticketHash)
func (ticketBroker *TicketBroker) UnpackTicketUsedError(raw []byte) (*TicketBrokerTicketUsed, error) {
	out := new(TicketBrokerTicketUsed)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "TicketUsed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerTransferFailed represents a TransferFailed error raised by the TicketBroker contract.
type TicketBrokerTransferFailed struct {
	To     common.Address
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func TicketBrokerTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x1c43b9761b3fba5321ca8212bfc231945f668ccc0c446f333999eea9ce8fda81")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func (ticketBroker *TicketBroker) UnpackTransferFailedError(raw []byte) (*TicketBrokerTransferFailed, error) {
	out := new(TicketBrokerTransferFailed)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerUnlockInProgress represents a UnlockInProgress error raised by the TicketBroker contract.
type TicketBrokerUnlockInProgress struct {
	WithdrawBlock *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnlockInProgress(uint256 withdrawBlock)
func TicketBrokerUnlockInProgressErrorID() common.Hash {
	return common.HexToHash("0xe59227207d5cbec937126f7f3339985b6969545eebd6d50ece8abc47098d1ce6")
}

// UnpackUnlockInProgressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnlockInProgress(uint256 withdrawBlock)
func (ticketBroker *TicketBroker) UnpackUnlockInProgressError(raw []byte) (*TicketBrokerUnlockInProgress, error) {
	out := new(TicketBrokerUnlockInProgress)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "UnlockInProgress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerUnlockNotReady represents a UnlockNotReady error raised by the TicketBroker contract.
type TicketBrokerUnlockNotReady struct {
	WithdrawBlock *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnlockNotReady(uint256 withdrawBlock)
func TicketBrokerUnlockNotReadyErrorID() common.Hash {
	return common.HexToHash("0xf1d886c8159eb7adcab42e05e151b7959b4232c2d361b3e219852f0215ca99f4")
}

// UnpackUnlockNotReadyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnlockNotReady(uint256 withdrawBlock)
func (ticketBroker *TicketBroker) UnpackUnlockNotReadyError(raw []byte) (*TicketBrokerUnlockNotReady, error) {
	out := new(TicketBrokerUnlockNotReady)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "UnlockNotReady", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerUnlockPeriodTooShort represents a UnlockPeriodTooShort error raised by the TicketBroker contract.
type TicketBrokerUnlockPeriodTooShort struct {
	UnlockPeriod   *big.Int
	TicketValidity *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnlockPeriodTooShort(uint256 unlockPeriod, uint256 ticketValidity)
func TicketBrokerUnlockPeriodTooShortErrorID() common.Hash {
	return common.HexToHash("0x60a164e91e903814e1fb2a2d2927379a6cf913150af416f5c5a7bcabddbf760c")
}

// UnpackUnlockPeriodTooShortError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnlockPeriodTooShort(uint256 unlockPeriod, uint256 ticketValidity)
func (ticketBroker *TicketBroker) UnpackUnlockPeriodTooShortError(raw []byte) (*TicketBrokerUnlockPeriodTooShort, error) {
	out := new(TicketBrokerUnlockPeriodTooShort)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "UnlockPeriodTooShort", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerWrongValue represents a WrongValue error raised by the TicketBroker contract.
type TicketBrokerWrongValue struct {
	Sent     *big.Int
	Expected *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongValue(uint256 sent, uint256 expected)
func TicketBrokerWrongValueErrorID() common.Hash {
	return common.HexToHash("0x195a3ca12ac3744ef64727effb118b3b203c382e49c7a7d24d450eae5e3b889a")
}

// UnpackWrongValueError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongValue(uint256 sent, uint256 expected)
func (ticketBroker *TicketBroker) UnpackWrongValueError(raw []byte) (*TicketBrokerWrongValue, error) {
	out := new(TicketBrokerWrongValue)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "WrongValue", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerZeroAddress represents a ZeroAddress error raised by the TicketBroker contract.
type TicketBrokerZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func TicketBrokerZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (ticketBroker *TicketBroker) UnpackZeroAddressError(raw []byte) (*TicketBrokerZeroAddress, error) {
	out := new(TicketBrokerZeroAddress)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketBrokerZeroValue represents a ZeroValue error raised by the TicketBroker contract.
type TicketBrokerZeroValue struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroValue()
func TicketBrokerZeroValueErrorID() common.Hash {
	return common.HexToHash("0x7c946ed78134c23eac50c0c02964d68f22dd28448c070d39c9f8e8389b217469")
}

// UnpackZeroValueError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroValue()
func (ticketBroker *TicketBroker) UnpackZeroValueError(raw []byte) (*TicketBrokerZeroValue, error) {
	out := new(TicketBrokerZeroValue)
	if err := ticketBroker.abi.UnpackIntoInterface(out, "ZeroValue", raw); err != nil {
		return nil, err
	}
	return out, nil
}
