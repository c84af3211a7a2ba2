//! The calldata of the anchor's SLA credits' calls (MEF 114 8.4, 8.6.4): the credit-note key's
//! verifier, a period's agreed SLA performance, and the Seller's credit note.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use zkinvoice_verifier::{CreditPublicInputs, Fr, InvoiceProof};

use super::{contracts::InvoiceAnchor, fr_word};
use crate::encoding::proof_calldata;

/// Calldata of `InvoiceAnchor.registerCreditVerifier(creditVerifier)`.
pub fn register_credit_verifier_call(credit_verifier: Address) -> Vec<u8> {
    InvoiceAnchor::registerCreditVerifierCall {
        creditVerifier_: credit_verifier,
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.registerSla(periodId, slaCommitment)`.
pub fn register_sla_call(period_id: u64, sla_commitment: &Fr) -> Vec<u8> {
    InvoiceAnchor::registerSlaCall {
        periodId: period_id,
        slaCommitment: fr_word(sla_commitment),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordCreditNote(periodId, proof, input)`: the Seller's credit
/// note of the period's invoice (its proof and public inputs).
pub fn record_credit_note_call(period_id: u64, proof: &InvoiceProof, inputs: &CreditPublicInputs) -> Vec<u8> {
    InvoiceAnchor::recordCreditNoteCall {
        periodId: period_id,
        proof: proof_calldata(proof).to_vec().into(),
        input: inputs
            .to_field_elements()
            .map(|x| U256::from_be_bytes(fr_word(&x).0)),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.carryCredit(fromPeriod, toPeriod)`: a party's proposal to carry
/// the credit note of `from_period` (recorded after its invoice was paid) to the invoice of
/// `to_period`.
pub fn carry_credit_call(from_period: u64, to_period: u64) -> Vec<u8> {
    InvoiceAnchor::carryCreditCall {
        fromPeriod: from_period,
        toPeriod: to_period,
    }
    .abi_encode()
}
