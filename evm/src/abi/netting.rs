//! The calldata of the anchor's netting calls (MEF 114 8.6.3): the netting terms and a party's
//! netting of a period.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use zkinvoice_verifier::{InvoiceProof, NettingPublicInputs};

use super::{contracts::InvoiceAnchor, fr_word};
use crate::encoding::proof_calldata;

/// The netting's public inputs as the contracts take them: six `uint256` in circuit order.
pub fn netting_input_words(inputs: &NettingPublicInputs) -> [U256; NettingPublicInputs::COUNT] {
    inputs
        .to_field_elements()
        .map(|x| U256::from_be_bytes(fr_word(&x).0))
}

/// Calldata of `InvoiceAnchor.registerNetting(counterpart, nettingVerifier)`: the anchor of the
/// bilateral the other way round and the verifier of the netting key.
pub fn register_netting_call(counterpart: Address, netting_verifier: Address) -> Vec<u8> {
    InvoiceAnchor::registerNettingCall {
        counterpart_: counterpart,
        nettingVerifier_: netting_verifier,
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordNetting(periodId, proof, input)`: a party's proposal of the
/// period's netting (its proof and public inputs).
pub fn record_netting_call(period_id: u64, proof: &InvoiceProof, inputs: &NettingPublicInputs) -> Vec<u8> {
    InvoiceAnchor::recordNettingCall {
        periodId: period_id,
        proof: proof_calldata(proof).to_vec().into(),
        input: netting_input_words(inputs),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordNetting(periodId, proof, input)` for a netting of two
/// partitioned invoices (the anchors' parties registered a `NettingHeadsVerifier`): `proof` is
/// [`crate::encoding::netting_heads_calldata`] of the proof and both invoices' `parts` (in the
/// public inputs' order), `input` the netting's six public inputs as for v1.
pub fn record_netting_heads_call(
    period_id: u64,
    proof: &InvoiceProof,
    inputs: &NettingPublicInputs,
    parts: &[zkinvoice_verifier::partition::Parts; 2],
) -> Vec<u8> {
    InvoiceAnchor::recordNettingCall {
        periodId: period_id,
        proof: crate::encoding::netting_heads_calldata(proof, parts).into(),
        input: netting_input_words(inputs),
    }
    .abi_encode()
}
