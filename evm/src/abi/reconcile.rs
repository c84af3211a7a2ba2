//! The calldata of the anchor's reconciliation calls (MEF 114 8.5, ETSI GS PDL 026 4.2.2):
//! the reconciliation verifier, each party's measurement, the reconciliation or dispute, and a
//! dispute's resolution.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use zkinvoice_verifier::{Fr, InvoiceProof, InvoiceProofs, InvoicePublicInputs, ReconcilePublicInputs};

use super::{contracts::InvoiceAnchor, fr_word, proofs_calldata, public_input_words};
use crate::encoding::proof_calldata;

/// The reconciliation's public inputs as the contracts take them: six `uint256` in circuit order
/// (`msaCommitment`, `sellerInvoice`, `buyerInvoice`, `over`, `periodStart`, `periodEnd`).
pub fn reconcile_input_words(inputs: &ReconcilePublicInputs) -> [U256; ReconcilePublicInputs::COUNT] {
    inputs
        .to_field_elements()
        .map(|x| U256::from_be_bytes(fr_word(&x).0))
}

/// Calldata of `InvoiceAnchor.registerReconcileVerifier(reconcileVerifier)`.
pub fn register_reconcile_verifier_call(reconcile_verifier: Address) -> Vec<u8> {
    InvoiceAnchor::registerReconcileVerifierCall {
        reconcileVerifier_: reconcile_verifier,
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordMeasurement(periodId, proof, input)`: the caller's
/// measurement of the period, the invoice it rated from it proven with the invoice statement (one
/// proof, or a partitioned invoice's for an anchor whose verifier is a `PartitionVerifier`).
pub fn record_measurement_call(
    period_id: u64,
    proofs: &InvoiceProofs,
    inputs: &InvoicePublicInputs,
) -> Vec<u8> {
    InvoiceAnchor::recordMeasurementCall {
        periodId: period_id,
        proof: proofs_calldata(proofs).into(),
        input: public_input_words(inputs),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordReconciliation(periodId, proof, input)`: the reconciliation
/// of the period's two measurements (within every threshold, or a dispute over `over`).
pub fn record_reconciliation_call(
    period_id: u64,
    proof: &InvoiceProof,
    inputs: &ReconcilePublicInputs,
) -> Vec<u8> {
    InvoiceAnchor::recordReconciliationCall {
        periodId: period_id,
        proof: proof_calldata(proof).to_vec().into(),
        input: reconcile_input_words(inputs),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.resolveDispute(periodId, usageCommitment, resolution)`: a party's
/// proposal of the resolution of the period's dispute.
pub fn resolve_dispute_call(period_id: u64, usage_commitment: &Fr, resolution: &str) -> Vec<u8> {
    InvoiceAnchor::resolveDisputeCall {
        periodId: period_id,
        usageCommitment: fr_word(usage_commitment),
        resolution: resolution.into(),
    }
    .abi_encode()
}

#[cfg(test)]
mod tests {
    use alloy_primitives::B256;

    use super::super::contracts::InvoiceAnchor::{self, InvoiceAnchorErrors as E};
    use crate::error::ContractError;

    /// The reconciliation's errors read as the contract names them, with their arguments.
    #[test]
    fn reconciliation_errors_keep_their_names_and_arguments() {
        let (a, b) = (B256::repeat_byte(0xaa), B256::repeat_byte(0x0b));
        let party = alloy_primitives::Address::repeat_byte(0x77);
        let (ha, hb) = (format!("0x{}", "aa".repeat(32)), format!("0x{}", "0b".repeat(32)));
        let period = |p: u64| format!("(period {p})");
        let cases: Vec<(E, ContractError, String)> = vec![
            (
                E::ReconcileAlreadyRegistered(InvoiceAnchor::ReconcileAlreadyRegistered {}),
                ContractError::ReconcileAlreadyRegistered,
                "ReconcileAlreadyRegistered".into(),
            ),
            (
                E::ReconcileNotRegistered(InvoiceAnchor::ReconcileNotRegistered {}),
                ContractError::ReconcileNotRegistered,
                "ReconcileNotRegistered".into(),
            ),
            (
                E::AlreadyMeasured(InvoiceAnchor::AlreadyMeasured { periodId: 7, party }),
                ContractError::AlreadyMeasured { period_id: 7, party },
                format!("AlreadyMeasured(period 7, {party})"),
            ),
            (
                E::OtherState(InvoiceAnchor::OtherState {
                    periodId: 7,
                    measuredFrom: a,
                }),
                ContractError::OtherState {
                    period_id: 7,
                    measured_from: a,
                },
                format!("OtherState(period 7, measured from {ha})"),
            ),
            (
                E::NotMeasured(InvoiceAnchor::NotMeasured { periodId: 7 }),
                ContractError::NotMeasured { period_id: 7 },
                format!("NotMeasured{}", period(7)),
            ),
            (
                E::WrongMeasurements(InvoiceAnchor::WrongMeasurements { seller: a, buyer: b }),
                ContractError::WrongMeasurements { seller: a, buyer: b },
                format!("WrongMeasurements(seller {ha}, buyer {hb})"),
            ),
            (
                E::AlreadyReconciled(InvoiceAnchor::AlreadyReconciled { periodId: 7 }),
                ContractError::AlreadyReconciled { period_id: 7 },
                format!("AlreadyReconciled{}", period(7)),
            ),
            (
                E::NotDisputed(InvoiceAnchor::NotDisputed { periodId: 7 }),
                ContractError::NotDisputed { period_id: 7 },
                format!("NotDisputed{}", period(7)),
            ),
            (
                E::AlreadyResolved(InvoiceAnchor::AlreadyResolved { periodId: 7 }),
                ContractError::AlreadyResolved { period_id: 7 },
                format!("AlreadyResolved{}", period(7)),
            ),
            (
                E::NotReconciled(InvoiceAnchor::NotReconciled { periodId: 7 }),
                ContractError::NotReconciled { period_id: 7 },
                format!("NotReconciled{}", period(7)),
            ),
            (
                E::Disputed(InvoiceAnchor::Disputed { periodId: 7 }),
                ContractError::Disputed { period_id: 7 },
                format!("Disputed{}", period(7)),
            ),
            (
                E::NotTheResolution(InvoiceAnchor::NotTheResolution {
                    periodId: 7,
                    expected: a,
                    given: b,
                }),
                ContractError::NotTheResolution {
                    period_id: 7,
                    expected: a,
                    given: b,
                },
                format!("NotTheResolution(period 7, expected {ha}, given {hb})"),
            ),
        ];
        for (decoded, typed, sentence) in cases {
            let error = ContractError::from(decoded);
            assert_eq!(error, typed);
            assert_eq!(error.to_string(), sentence);
        }
    }
}
