//! The calldata of the anchor's partial invoices (MEF 114 R78-R81): a disputed period's partial
//! usage, the Seller's partial invoice of it, and its payment and receipt.

use alloy_sol_types::SolCall;
use zkinvoice_verifier::{Fr, InvoiceProofs, InvoicePublicInputs};

use super::{contracts::InvoiceAnchor, fr_word, proofs_calldata, public_input_words};

/// Calldata of `InvoiceAnchor.registerPartialUsage(periodId, usageCommitment)`.
pub fn register_partial_usage_call(period_id: u64, usage_commitment: &Fr) -> Vec<u8> {
    InvoiceAnchor::registerPartialUsageCall {
        periodId: period_id,
        usageCommitment: fr_word(usage_commitment),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.submitPartialInvoice(periodId, proof, publicInputs)`: the
/// period's partial invoice, one proof or a partitioned invoice's.
pub fn submit_partial_invoice_call(
    period_id: u64,
    proofs: &InvoiceProofs,
    inputs: &InvoicePublicInputs,
) -> Vec<u8> {
    InvoiceAnchor::submitPartialInvoiceCall {
        periodId: period_id,
        proof: proofs_calldata(proofs).into(),
        publicInputs: public_input_words(inputs),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordPartialPayment(periodId, paidOn, reference)`: the Buyer's
/// payment of the period's partial invoice on day `paid_on`.
pub fn record_partial_payment_call(period_id: u64, paid_on: u32, reference: &str) -> Vec<u8> {
    InvoiceAnchor::recordPartialPaymentCall {
        periodId: period_id,
        paidOn: paid_on,
        paymentReference: reference.into(),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordPartialReceipt(periodId, receivedOn, reference)`: the
/// Seller's receipt of that payment on day `received_on`.
pub fn record_partial_receipt_call(period_id: u64, received_on: u32, reference: &str) -> Vec<u8> {
    InvoiceAnchor::recordPartialReceiptCall {
        periodId: period_id,
        receivedOn: received_on,
        paymentReference: reference.into(),
    }
    .abi_encode()
}

#[cfg(test)]
mod tests {
    use super::super::contracts::InvoiceAnchor::{self, InvoiceAnchorErrors as E};
    use crate::error::ContractError;

    /// The partial invoices' errors read as the contract names them, with the period.
    #[test]
    fn partial_errors_keep_their_names_and_periods() {
        let cases: Vec<(E, ContractError, &str)> = vec![
            (
                E::PartialAlreadyRegistered(InvoiceAnchor::PartialAlreadyRegistered { periodId: 7 }),
                ContractError::PartialAlreadyRegistered { period_id: 7 },
                "PartialAlreadyRegistered",
            ),
            (
                E::NoPartialUsage(InvoiceAnchor::NoPartialUsage { periodId: 7 }),
                ContractError::NoPartialUsage { period_id: 7 },
                "NoPartialUsage",
            ),
            (
                E::AlreadyPartiallyInvoiced(InvoiceAnchor::AlreadyPartiallyInvoiced { periodId: 7 }),
                ContractError::AlreadyPartiallyInvoiced { period_id: 7 },
                "AlreadyPartiallyInvoiced",
            ),
            (
                E::NotPartiallyInvoiced(InvoiceAnchor::NotPartiallyInvoiced { periodId: 7 }),
                ContractError::NotPartiallyInvoiced { period_id: 7 },
                "NotPartiallyInvoiced",
            ),
            (
                E::NotWhole(InvoiceAnchor::NotWhole { periodId: 7 }),
                ContractError::NotWhole { period_id: 7 },
                "NotWhole",
            ),
            (
                E::OtherNotWhole(InvoiceAnchor::OtherNotWhole { periodId: 7 }),
                ContractError::OtherNotWhole { period_id: 7 },
                "OtherNotWhole",
            ),
        ];
        for (decoded, typed, name) in cases {
            let error = ContractError::from(decoded);
            assert_eq!(error, typed);
            assert_eq!(error.to_string(), format!("{name}(period 7)"));
        }
    }
}
