// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title ServiceRegistry: where orchestrators publish how to reach them.
/// @notice Each address may publish one service URI (for an orchestrator,
/// its gRPC endpoint); gateways look recipients up by the address their
/// ticket params name.
/// @dev Livepeer keeps this in its own ServiceRegistry behind the
/// Controller; castmesh needs no staking, so anyone may publish and a URI
/// proves nothing but that the address's key holder wrote it.
contract ServiceRegistry {
    mapping(address => string) private uris;

    /// @notice addr published uri; an empty uri withdraws it.
    event ServiceURIUpdated(address indexed addr, string uri);

    /// @notice Publishes the caller's service URI, replacing any earlier one.
    function setServiceURI(string calldata uri) external {
        uris[msg.sender] = uri;
        emit ServiceURIUpdated(msg.sender, uri);
    }

    /// @notice The service URI addr last published, or "" if none.
    function getServiceURI(address addr) external view returns (string memory) {
        return uris[addr];
    }
}
