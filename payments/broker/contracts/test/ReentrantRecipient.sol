// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title ReentrantRecipient: a hostile ticket recipient, for tests only.
/// @notice When paid, it replays a stored call against a target (for
/// example the very redeemWinningTicket call that is paying it) and records
/// the outcome. With bubble set it reverts instead when the replay fails,
/// refusing the payment.
contract ReentrantRecipient {
    address public target;
    bytes public payload;
    bool public bubble;

    uint256 public calls;
    bool public lastOk;
    bytes public lastReturn;

    /// @notice Arms the recipient: on its next payment it calls target with
    /// data.
    function arm(address target_, bytes calldata data, bool bubble_) external {
        target = target_;
        payload = data;
        bubble = bubble_;
        calls = 0;
    }

    receive() external payable {
        // One replay only: were the replay to succeed, its own payment
        // would land here again.
        if (target == address(0) || calls > 0) return;
        calls += 1;
        (bool ok, bytes memory ret) = target.call(payload);
        lastOk = ok;
        lastReturn = ret;
        if (!ok && bubble) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
