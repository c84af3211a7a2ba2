//! The contracts' ABI (declared with `alloy-sol-types`'s `sol!`) and the calldata of their calls.
//!
//! Field elements (commitments, states) are 32-byte big-endian words: `bytes32` in the anchor,
//! `uint256` in the public-input array.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor};
use ark_ff::{BigInteger, PrimeField};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoicePublicInputs, PUBLIC_INPUT_COUNT};

use crate::encoding::proof_calldata;

/// The generated ABI types: `IInvoiceVerifier` and `InvoiceAnchor`, with a struct per call
/// (`…Call`), return (`…Return`), event and error.
#[allow(missing_docs)]
pub mod contracts {
    alloy_sol_types::sol! {
        /// The verifier (`InvoiceVerifier.sol`).
        #[sol(all_derives)]
        interface IInvoiceVerifier {
            function VK_HASH() external view returns (bytes32);
            function PUBLIC_INPUTS() external view returns (uint256);
            function PROOF_LENGTH() external view returns (uint256);
            function verifyProof(bytes calldata proof, uint256[5] calldata input) external view returns (bool ok);
        }

        /// The anchor (`InvoiceAnchor.sol`).
        #[sol(all_derives)]
        contract InvoiceAnchor {
            event MsaProposed(address indexed party, bytes32 msaCommitment, bytes32 state0, bytes32 vkHash);
            event MsaRegistered(bytes32 indexed msaCommitment, bytes32 state0, bytes32 vkHash);
            event UsageProposed(address indexed party, uint64 indexed periodId, bytes32 usageCommitment);
            event UsageRegistered(uint64 indexed periodId, bytes32 usageCommitment);
            event InvoiceSubmitted(
                uint64 indexed periodId,
                bytes32 indexed invoiceCommitment,
                bytes32 stateBefore,
                bytes32 stateAfter
            );

            error NotAParty(address caller);
            error InvalidParties();
            error ZeroValue();
            error MsaAlreadyRegistered();
            error MsaNotRegistered();
            error WrongVerifyingKey(bytes32 expected, bytes32 given);
            error UsageAlreadyRegistered(uint64 periodId);
            error UsageNotRegistered(uint64 periodId);
            error WrongMsa(bytes32 expected, bytes32 given);
            error WrongUsage(uint64 periodId, bytes32 expected, bytes32 given);
            error AlreadyInvoiced(uint64 periodId);
            error StaleState(bytes32 expected, bytes32 given);
            error InvalidProof();
            error NotAScalar(bytes32 value);

            constructor(address seller_, address buyer_, address verifier_);

            function seller() external view returns (address);
            function buyer() external view returns (address);
            function verifier() external view returns (address);
            function vkHash() external view returns (bytes32);
            function msaCommitment() external view returns (bytes32);
            function state0() external view returns (bytes32);
            function currentState() external view returns (bytes32);
            function msaRegistered() external view returns (bool);
            function msaProposal(address party) external view returns (bytes32 msaCommitment, bytes32 state0, bytes32 vkHash);
            function usageProposal(uint64 periodId, address party) external view returns (bytes32);
            function period(uint64 periodId) external view returns (bytes32 usageCommitment, bool invoiced);
            function invoiced(uint64 periodId) external view returns (bool);

            function registerMsa(bytes32 msaCommitment_, bytes32 state0_, bytes32 vkHash_) external;
            function registerUsage(uint64 periodId, bytes32 usageCommitment) external;
            function submitInvoice(uint64 periodId, bytes calldata proof, uint256[5] calldata publicInputs) external;
        }
    }
}

use contracts::{IInvoiceVerifier, InvoiceAnchor};

/// A field element as a 32-byte big-endian word.
pub fn fr_word(x: &Fr) -> B256 {
    let mut out = [0u8; 32];
    let be = x.into_bigint().to_bytes_be();
    out[32 - be.len()..].copy_from_slice(&be);
    B256::from(out)
}

/// The public inputs as the contracts take them: five `uint256` in circuit order.
pub fn public_input_words(inputs: &InvoicePublicInputs) -> [U256; PUBLIC_INPUT_COUNT] {
    inputs
        .to_field_elements()
        .map(|x| U256::from_be_bytes(fr_word(&x).0))
}

/// The anchor's period id of a period `[start, end)` given in days since 1970-01-01:
/// `start << 32 | end`.
pub fn period_id(start_day: u32, end_day: u32) -> u64 {
    (u64::from(start_day) << 32) | u64::from(end_day)
}

/// Calldata of `IInvoiceVerifier.verifyProof(proof, input)`.
pub fn verify_proof_call(proof: &InvoiceProof, inputs: &InvoicePublicInputs) -> Vec<u8> {
    IInvoiceVerifier::verifyProofCall {
        proof: proof_calldata(proof).to_vec().into(),
        input: public_input_words(inputs),
    }
    .abi_encode()
}

/// The ABI-encoded constructor arguments of `InvoiceAnchor` (to append to its creation code).
pub fn anchor_constructor_args(seller: Address, buyer: Address, verifier: Address) -> Vec<u8> {
    InvoiceAnchor::constructorCall {
        seller_: seller,
        buyer_: buyer,
        verifier_: verifier,
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.registerMsa(msaCommitment, state0, vkHash)`.
pub fn register_msa_call(msa_commitment: &Fr, state0: &Fr, vk_hash: [u8; 32]) -> Vec<u8> {
    InvoiceAnchor::registerMsaCall {
        msaCommitment_: fr_word(msa_commitment),
        state0_: fr_word(state0),
        vkHash_: B256::from(vk_hash),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.registerUsage(periodId, usageCommitment)`.
pub fn register_usage_call(period_id: u64, usage_commitment: &Fr) -> Vec<u8> {
    InvoiceAnchor::registerUsageCall {
        periodId: period_id,
        usageCommitment: fr_word(usage_commitment),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.submitInvoice(periodId, proof, publicInputs)`.
pub fn submit_invoice_call(period_id: u64, proof: &InvoiceProof, inputs: &InvoicePublicInputs) -> Vec<u8> {
    InvoiceAnchor::submitInvoiceCall {
        periodId: period_id,
        proof: proof_calldata(proof).to_vec().into(),
        publicInputs: public_input_words(inputs),
    }
    .abi_encode()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_period_ids() {
        assert_eq!(period_id(20727, 20758), (20727u64 << 32) | 20758);
        let w = fr_word(&Fr::from(258u64));
        assert_eq!(w.0[30..], [1, 2]);
        assert!(w.0[..30].iter().all(|b| *b == 0));
        let call = register_usage_call(7, &Fr::from(1u64));
        assert_eq!(call.len(), 4 + 64);
        assert_eq!(call[4 + 31], 7);
        assert_eq!(call[4 + 63], 1);
    }
}
