// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title CounterpartStub
/// @notice A test's stand-in for the counterpart anchor of a netting (the bilateral the other way
///         round): what InvoiceAnchor reads of it, set by the test. Not generated, never deployed
///         outside the tests (`evm/tests/contracts/netting.rs`).
contract CounterpartStub {
    address public seller;
    address public buyer;
    mapping(uint64 => bytes32) public invoiceOf;
    mapping(uint64 => uint256) public carriedCount;
    mapping(uint64 => bytes32) internal partialInvoice;

    constructor(address seller_, address buyer_) {
        seller = seller_;
        buyer = buyer_;
    }

    function setInvoice(uint64 periodId, bytes32 invoice) external {
        invoiceOf[periodId] = invoice;
    }

    function setCarried(uint64 periodId, uint256 count) external {
        carriedCount[periodId] = count;
    }

    function setPartial(uint64 periodId, bytes32 invoice) external {
        partialInvoice[periodId] = invoice;
    }

    function payments(uint64) external pure returns (bytes32, uint32, uint32) {
        return (0, 0, 0);
    }

    function nettings(uint64) external pure returns (bytes32, bool) {
        return (0, false);
    }

    function credits(uint64) external pure returns (bytes32) {
        return 0;
    }

    function partials(uint64 periodId) external view returns (bytes32 usage, bytes32 invoice) {
        invoice = partialInvoice[periodId];
        usage = invoice == 0 ? bytes32(0) : bytes32(uint256(1));
    }
}
