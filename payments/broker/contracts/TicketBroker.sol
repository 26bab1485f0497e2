// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title TicketBroker: escrow for castmesh's probabilistic micropayments.
/// @notice A sender (gateway) escrows ETH here and pays recipients
/// (orchestrators) with signed lottery tickets off chain; a recipient
/// redeems the rare winning ticket here for its face value.
/// @dev Livepeer's TicketBroker (livepeer/protocol, MixinTicketBrokerCore)
/// shrunk to one immutable contract: rounds become block numbers, there is
/// no Controller, Minter, BondingManager or fee pool, and the ETH goes
/// straight to the recipient. The ticket hash and the draw are computed
/// byte for byte like payments/ticket in Go; change neither without the
/// other.
contract TicketBroker {
    /// @notice One lottery ticket, as the sender signed it.
    struct Ticket {
        address recipient;
        address sender;
        uint256 faceValue;
        // winProb is the winning probability scaled to 2^256 - 1.
        uint256 winProb;
        uint256 senderNonce;
        // recipientRandHash is keccak256(uint256 recipientRand): the
        // recipient's commitment, made before it sees the signature.
        bytes32 recipientRandHash;
        uint256 expirationBlock;
    }

    /// @dev Per-sender escrow. Reserves live in `reserves`, keyed by epoch
    /// so that withdraw clears all of them by bumping the epoch, in O(1)
    /// whatever the number of recipients.
    struct Escrow {
        uint256 deposit;
        // withdrawBlock is 0 while locked, else the block from which
        // withdraw() may run.
        uint256 withdrawBlock;
        uint256 reserveTotal;
        uint256 epoch;
    }

    // secp256k1n / 2: a signature with a larger s is the malleated twin of
    // one with s' = n - s (EIP-2). The draw hashes the raw signature, so a
    // twin would be a second draw for the same ticket.
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice Blocks between unlock() and the first block withdraw() may run.
    uint256 public immutable unlockPeriod;
    /// @notice Blocks after a ticket's expirationBlock during which it can
    /// still be redeemed.
    uint256 public immutable ticketValidity;

    /// @notice Whether a ticket (by hash) has been redeemed.
    mapping(bytes32 => bool) public usedTickets;

    mapping(address => Escrow) private escrows;
    // sender => epoch => recipient => reserve.
    mapping(address => mapping(uint256 => mapping(address => uint256))) private reserves;

    // EIP-1153 transient storage: cleared at the end of every transaction,
    // so the guard costs no persistent storage write.
    bool private transient entered;

    event DepositFunded(address indexed sender, uint256 amount);
    event ReserveFunded(address indexed sender, address indexed recipient, uint256 amount);
    event WinningTicketRedeemed(
        address indexed sender, address indexed recipient, uint256 faceValue, uint256 paid, bytes32 indexed ticketHash
    );
    event Unlock(address indexed sender, uint256 startBlock, uint256 withdrawBlock);
    event UnlockCancelled(address indexed sender);
    event Withdrawal(address indexed sender, uint256 deposit, uint256 reserve);

    // Custom errors, one per reason, so off-chain code can tell them apart
    // by selector rather than by message text.
    error UnlockPeriodTooShort(uint256 unlockPeriod, uint256 ticketValidity);
    error ZeroAddress();
    error ZeroValue();
    error WrongValue(uint256 sent, uint256 expected);
    error TicketExpired(uint256 expirationBlock);
    error BadRecipientRand();
    error TicketUsed(bytes32 ticketHash);
    error InvalidSignature();
    error NotWinning();
    error SenderUnlocked(uint256 withdrawBlock);
    error NoFunds();
    error UnlockInProgress(uint256 withdrawBlock);
    error NotUnlocking();
    error UnlockNotReady(uint256 withdrawBlock);
    error TransferFailed(address to, uint256 amount);
    error Reentrancy();

    modifier nonReentrant() {
        if (entered) revert Reentrancy();
        entered = true;
        _;
        entered = false;
    }

    /// @param unlockPeriod_ blocks from unlock() to withdraw().
    /// @param ticketValidity_ blocks a ticket stays redeemable after its
    /// expirationBlock.
    /// @dev The unlock period must outlast ticket validity, so every ticket
    /// a recipient accepted before the sender unlocked can still be redeemed
    /// before the money leaves.
    constructor(uint256 unlockPeriod_, uint256 ticketValidity_) {
        if (unlockPeriod_ <= ticketValidity_) revert UnlockPeriodTooShort(unlockPeriod_, ticketValidity_);
        unlockPeriod = unlockPeriod_;
        ticketValidity = ticketValidity_;
    }

    // ---------------------------------------------------------------- funding
    //
    // Funding only ever credits msg.sender: there is no "fund for someone
    // else". Livepeer's fundDepositAndReserveFor(victim, 0, 0) let anyone
    // cancel a victim's unlock and freeze its withdrawal (livepeer/protocol
    // d153b78); here only the sender's own funding cancels its unlock.

    /// @notice Adds msg.value to the caller's deposit.
    function fundDeposit() external payable {
        if (msg.value == 0) revert ZeroValue();
        _creditDeposit(msg.value);
        _relock();
    }

    /// @notice Adds msg.value to the caller's reserve for recipient.
    function fundReserve(address recipient) external payable {
        if (msg.value == 0) revert ZeroValue();
        _creditReserve(recipient, msg.value);
        _relock();
    }

    /// @notice Adds depositAmount to the caller's deposit and reserveAmount
    /// to its reserve for recipient; msg.value must be their sum.
    function fundDepositAndReserve(address recipient, uint256 depositAmount, uint256 reserveAmount) external payable {
        if (msg.value == 0) revert ZeroValue();
        uint256 expected = depositAmount + reserveAmount;
        if (msg.value != expected) revert WrongValue(msg.value, expected);
        if (depositAmount > 0) _creditDeposit(depositAmount);
        if (reserveAmount > 0) _creditReserve(recipient, reserveAmount);
        _relock();
    }

    function _creditDeposit(uint256 amount) private {
        escrows[msg.sender].deposit += amount;
        emit DepositFunded(msg.sender, amount);
    }

    // A reserve for the zero address could never be redeemed (tickets to it
    // are refused), so it is refused up front.
    function _creditReserve(address recipient, uint256 amount) private {
        if (recipient == address(0)) revert ZeroAddress();
        Escrow storage e = escrows[msg.sender];
        reserves[msg.sender][e.epoch][recipient] += amount;
        e.reserveTotal += amount;
        emit ReserveFunded(msg.sender, recipient, amount);
    }

    // A sender adding money means it keeps paying: its pending unlock, if
    // any, is cancelled (as in Livepeer).
    function _relock() private {
        if (escrows[msg.sender].withdrawBlock != 0) _cancelUnlock();
    }

    // -------------------------------------------------------------- unlocking

    /// @notice Starts the unlock period; withdraw() may run once
    /// unlockPeriod blocks have passed. Recipients stop accepting tickets
    /// from an unlocking sender.
    function unlock() external {
        Escrow storage e = escrows[msg.sender];
        if (e.deposit == 0 && e.reserveTotal == 0) revert NoFunds();
        if (e.withdrawBlock != 0) revert UnlockInProgress(e.withdrawBlock);
        uint256 withdrawBlock = block.number + unlockPeriod;
        e.withdrawBlock = withdrawBlock;
        emit Unlock(msg.sender, block.number, withdrawBlock);
    }

    /// @notice Cancels the caller's unlock: it is locked again. Only the
    /// sender itself can do this, by construction (msg.sender).
    function cancelUnlock() external {
        if (escrows[msg.sender].withdrawBlock == 0) revert NotUnlocking();
        _cancelUnlock();
    }

    function _cancelUnlock() private {
        escrows[msg.sender].withdrawBlock = 0;
        emit UnlockCancelled(msg.sender);
    }

    /// @notice Pays the caller its whole deposit and every reserve, once
    /// its unlock period has passed.
    function withdraw() external nonReentrant {
        Escrow storage e = escrows[msg.sender];
        uint256 withdrawBlock = e.withdrawBlock;
        if (withdrawBlock == 0) revert NotUnlocking();
        if (block.number < withdrawBlock) revert UnlockNotReady(withdrawBlock);
        uint256 deposit = e.deposit;
        uint256 reserve = e.reserveTotal;
        // Effects before the interaction: a new epoch orphans every
        // per-recipient reserve at once.
        e.deposit = 0;
        e.reserveTotal = 0;
        e.withdrawBlock = 0;
        e.epoch += 1;
        emit Withdrawal(msg.sender, deposit, reserve);
        _send(msg.sender, deposit + reserve);
    }

    // ------------------------------------------------------------- redeeming

    /// @notice The hash the sender signs (EIP-191) for ticket t: keccak256
    /// of its fields packed as abi.encodePacked, then the chain id and this
    /// contract's address, so a ticket is worthless on any other chain or
    /// deployment (Livepeer's hash binds neither).
    function getTicketHash(Ticket calldata t) public view returns (bytes32) {
        return keccak256(
            abi.encodePacked(
                t.recipient,
                t.sender,
                t.faceValue,
                t.winProb,
                t.senderNonce,
                t.recipientRandHash,
                t.expirationBlock,
                block.chainid,
                address(this)
            )
        );
    }

    /// @notice Redeems winning ticket t, signed sig by its sender, with the
    /// recipient's revealed random number. Anyone may submit it; the money
    /// always goes to t.recipient: up to faceValue from the sender's
    /// deposit, the rest from its reserve for t.recipient.
    function redeemWinningTicket(Ticket calldata t, bytes calldata sig, uint256 recipientRand) external nonReentrant {
        bytes32 ticketHash = _requireWinning(t, sig, recipientRand);
        uint256 paid = _debit(t.sender, t.recipient, t.faceValue);
        // The ticket is spent before any value moves.
        usedTickets[ticketHash] = true;
        emit WinningTicketRedeemed(t.sender, t.recipient, t.faceValue, paid, ticketHash);
        // Interaction last, under the reentrancy guard.
        _send(t.recipient, paid);
    }

    // _debit checks the sender can still pay (it is locked and has funds
    // for recipient), then takes up to faceValue from its deposit and the
    // rest, as far as it goes, from its reserve for recipient. It returns
    // what was taken.
    function _debit(address sender, address recipient, uint256 faceValue) private returns (uint256 paid) {
        Escrow storage e = escrows[sender];
        if (e.withdrawBlock != 0 && block.number >= e.withdrawBlock) revert SenderUnlocked(e.withdrawBlock);
        mapping(address => uint256) storage senderReserves = reserves[sender][e.epoch];
        uint256 deposit = e.deposit;
        uint256 reserve = senderReserves[recipient];
        if (deposit == 0 && reserve == 0) revert NoFunds();

        uint256 fromDeposit = faceValue < deposit ? faceValue : deposit;
        uint256 rest = faceValue - fromDeposit;
        uint256 fromReserve = rest < reserve ? rest : reserve;
        e.deposit = deposit - fromDeposit;
        if (fromReserve > 0) {
            senderReserves[recipient] = reserve - fromReserve;
            e.reserveTotal -= fromReserve;
        }
        return fromDeposit + fromReserve;
    }

    // _requireWinning checks everything about the ticket itself, in a fixed
    // order, and returns its hash.
    function _requireWinning(Ticket calldata t, bytes calldata sig, uint256 recipientRand)
        private
        view
        returns (bytes32 ticketHash)
    {
        if (t.recipient == address(0) || t.sender == address(0)) revert ZeroAddress();
        // Written without expirationBlock + ticketValidity, which could
        // overflow for a hostile expirationBlock.
        if (block.number > t.expirationBlock && block.number - t.expirationBlock > ticketValidity) {
            revert TicketExpired(t.expirationBlock);
        }
        if (keccak256(abi.encodePacked(recipientRand)) != t.recipientRandHash) revert BadRecipientRand();
        ticketHash = getTicketHash(t);
        if (usedTickets[ticketHash]) revert TicketUsed(ticketHash);
        if (_signer(ticketHash, sig) != t.sender) revert InvalidSignature();
        if (uint256(keccak256(abi.encodePacked(sig, recipientRand))) >= t.winProb) revert NotWinning();
    }

    // _signer recovers who signed ticketHash as an EIP-191 version 0x45
    // ("personal_sign") message: keccak256("\x19Ethereum Signed
    // Message:\n32" ‖ ticketHash). It returns the zero address for anything
    // but a canonical signature: exactly 65 bytes r ‖ s ‖ v, v ∈ {27, 28},
    // s ≤ n/2. The draw hashes the raw signature bytes, so accepting a
    // second encoding of one signature would hand the recipient a second
    // draw: EIP-2098's 64-byte compact form is how Livepeer got this wrong
    // (livepeer/protocol 85bc43a), a high-s twin is the other way.
    function _signer(bytes32 ticketHash, bytes calldata sig) private pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v != 27 && v != 28) return address(0);
        if (uint256(s) > HALF_N) return address(0);
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", ticketHash));
        return ecrecover(digest, v, r, s);
    }

    // _send pays amount to `to`, forwarding all gas: a recipient may be a
    // contract (a multisig, a splitter). Callers hold the reentrancy guard
    // and have finished their state changes.
    function _send(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    // ------------------------------------------------------------------ views

    /// @notice A sender's escrow: its deposit, the block from which it may
    /// withdraw (0 while locked) and the sum of its reserves.
    function getSenderInfo(address sender)
        external
        view
        returns (uint256 deposit, uint256 withdrawBlock, uint256 reserveTotal)
    {
        Escrow storage e = escrows[sender];
        return (e.deposit, e.withdrawBlock, e.reserveTotal);
    }

    /// @notice What sender has reserved for recipient.
    function reserveFor(address sender, address recipient) external view returns (uint256) {
        return reserves[sender][escrows[sender].epoch][recipient];
    }
}
