// Package ticket is castmesh's probabilistic micropayment ticket: its
// fields, its hash, the sender's signature and the winning draw. See
// payments/README.md for the math.
//
// The hash is keccak256 of the fields packed as Solidity's abi.encodePacked
// does (the TicketBroker contract computes the same):
//
//	recipient (20) ‖ sender (20) ‖ faceValue (32) ‖ winProb (32) ‖
//	senderNonce (32) ‖ recipientRandHash (32) ‖ expirationBlock (32) ‖
//	chainId (32) ‖ broker (20)
//
// Unlike Livepeer's, it covers the chain id and the broker contract's
// address, so a ticket signed for one chain or deployment is worthless on
// another. The sender signs it EIP-191 style ("personal_sign": keccak256 of
// "\x19Ethereum Signed Message:\n32" ‖ hash), 65 bytes r ‖ s ‖ v with
// v ∈ {27, 28} and s in the lower half of the curve order: the draw hashes
// the raw signature, so a second valid encoding of it (high s, EIP-2098's
// 64 bytes) would be a second draw. A ticket wins iff
// keccak256(sig ‖ uint256 recipientRand) < winProb.
package ticket
