//! Partial and final invoices on the anchor contract (MEF 114 R78-R81), on the example
//! bilateral's January (`zkinvoice_testkit::partial`): its dispute over `ip-transit` open, both
//! parties register the partial usage (the Seller's January without IP transit), the Seller
//! submits its invoice from `state_0` (the state does not move), the Buyer pays it and the
//! Seller receives the payment; once the dispute is resolved, the final invoice rates the whole
//! period from the same state; a period invoiced in part is not netted. Every refusal changes
//! nothing.

use alloy_sol_types::{SolCall, SolEvent};
use zkinvoice_evm::{abi, abi::contracts::InvoiceAnchor, ContractError, B256};
use zkinvoice_testkit::{partial::partial, reconciled::reconciled};
use zkinvoice_verifier::{Fr, InvoicePublicInputs};

use super::netting::Pair;
use super::reconcile::{
    december, january, measurement, reconciliation, registered, with_verifier, RESOLUTION,
};
use super::{word, BUYER, SELLER, STRANGER};

/// The forward anchor with January measured by both and disputed by the Buyer.
fn disputed() -> Pair {
    let mut p = Pair::new(false);
    let rv = with_verifier(&mut p);
    registered(&mut p, rv);
    let (f, m) = (p.forward, &reconciled().january);
    for party in [SELLER, BUYER] {
        p.ok(party, f, measurement(m, party, |_| {}));
    }
    p.ok(BUYER, f, reconciliation(m, |_| {}));
    p
}

/// The partial invoice's `submitPartialInvoice` calldata, its inputs edited.
fn partial_call(edit: impl Fn(&mut InvoicePublicInputs)) -> Vec<u8> {
    let e = &partial().invoice;
    let mut inputs = e.public_inputs;
    edit(&mut inputs);
    abi::submit_partial_invoice_call(january(), &e.proof, &inputs)
}

fn plus_one(x: &mut Fr) {
    *x += Fr::from(1u64);
}

#[test]
fn a_disputed_period_is_invoiced_in_part_paid_then_invoiced_finally() {
    let mut p = disputed();
    let (f, jan) = (p.forward, january());
    let pu = partial().invoice.public_inputs.usage_commitment;
    let state0 = p.call(f, InvoiceAnchor::currentStateCall {});

    // The partial usage: both parties, while the dispute is open, once.
    p.refused(
        SELLER,
        f,
        abi::register_partial_usage_call(december(), &pu),
        ContractError::NotDisputed {
            period_id: december(),
        },
    );
    p.refused(
        STRANGER,
        f,
        abi::register_partial_usage_call(jan, &pu),
        ContractError::NotAParty { caller: STRANGER },
    );
    p.refused(
        SELLER,
        f,
        abi::register_partial_usage_call(jan, &Fr::from(0u64)),
        ContractError::ZeroValue,
    );
    let not_scalar = InvoiceAnchor::registerPartialUsageCall {
        periodId: jan,
        usageCommitment: B256::repeat_byte(0xff),
    }
    .abi_encode();
    p.refused(
        SELLER,
        f,
        not_scalar,
        ContractError::NotAScalar {
            value: B256::repeat_byte(0xff),
        },
    );
    p.refused(
        SELLER,
        f,
        partial_call(|_| {}),
        ContractError::NoPartialUsage { period_id: jan },
    );
    let out = p.ok(SELLER, f, abi::register_partial_usage_call(jan, &pu));
    eprintln!(
        "registerPartialUsage gas, first proposal (transaction): {}",
        out.tx_gas()
    );
    p.ok(
        BUYER,
        f,
        abi::register_partial_usage_call(jan, &(pu + Fr::from(1u64))),
    );
    assert_eq!(
        p.call(f, InvoiceAnchor::partialsCall { periodId: jan }).usage,
        B256::ZERO
    );
    let out = p.ok(BUYER, f, abi::register_partial_usage_call(jan, &pu));
    let logs = out.result.logs();
    let e = InvoiceAnchor::PartialUsageRegistered::decode_log_data(&logs[logs.len() - 1].data)
        .expect("PartialUsageRegistered");
    assert_eq!((e.periodId, e.usageCommitment), (jan, word(&pu)));
    p.refused(
        SELLER,
        f,
        abi::register_partial_usage_call(jan, &pu),
        ContractError::PartialAlreadyRegistered { period_id: jan },
    );

    // The partial invoice: the Seller's, of the partial usage, from the current state, proven.
    let i = &partial().invoice.public_inputs;
    p.refused(
        BUYER,
        f,
        partial_call(|_| {}),
        ContractError::NotTheSeller { caller: BUYER },
    );
    p.refused(
        SELLER,
        f,
        partial_call(|x| plus_one(&mut x.msa_commitment)),
        ContractError::WrongMsa {
            expected: word(&i.msa_commitment),
            given: word(&(i.msa_commitment + Fr::from(1u64))),
        },
    );
    p.refused(
        SELLER,
        f,
        partial_call(|x| plus_one(&mut x.usage_commitment)),
        ContractError::WrongUsage {
            period_id: jan,
            expected: word(&pu),
            given: word(&(pu + Fr::from(1u64))),
        },
    );
    p.refused(
        SELLER,
        f,
        partial_call(|x| plus_one(&mut x.state_before)),
        ContractError::StaleState {
            expected: state0,
            given: word(&(i.state_before + Fr::from(1u64))),
        },
    );
    p.refused(
        SELLER,
        f,
        partial_call(|x| x.invoice_commitment = Fr::from(0u64)),
        ContractError::ZeroValue,
    );
    for edit in [
        (|x: &mut InvoicePublicInputs| plus_one(&mut x.state_after)) as fn(&mut _),
        |x| plus_one(&mut x.invoice_commitment),
    ] {
        p.refused(SELLER, f, partial_call(edit), ContractError::InvalidProof);
    }
    let out = p.ok(SELLER, f, partial_call(|_| {}));
    eprintln!("submitPartialInvoice gas (transaction): {}", out.tx_gas());
    let logs = out.result.logs();
    let e = InvoiceAnchor::PartialInvoiceSubmitted::decode_log_data(&logs[0].data)
        .expect("PartialInvoiceSubmitted");
    assert_eq!(
        (e.periodId, e.invoiceCommitment, e.stateBefore, e.stateAfter),
        (jan, word(&i.invoice_commitment), state0, word(&i.state_after))
    );
    assert_eq!(
        p.call(f, InvoiceAnchor::currentStateCall {}),
        state0,
        "the state does not move"
    );
    assert_eq!(
        p.call(f, InvoiceAnchor::invoiceOfCall { periodId: jan }),
        B256::ZERO,
        "not the period's invoice"
    );
    let again = &partial().again;
    p.refused(
        SELLER,
        f,
        abi::submit_partial_invoice_call(jan, &again.proof, &again.public_inputs),
        ContractError::AlreadyPartiallyInvoiced { period_id: jan },
    );

    // Its payment: the Buyer's, once; received by the Seller under its reference.
    let reference = "SEPA 2027-02-20 partial/2027-01";
    p.refused(
        BUYER,
        f,
        abi::record_partial_payment_call(december(), 20870, reference),
        ContractError::NotPartiallyInvoiced {
            period_id: december(),
        },
    );
    p.refused(
        SELLER,
        f,
        abi::record_partial_payment_call(jan, 20870, reference),
        ContractError::NotTheBuyer { caller: SELLER },
    );
    p.refused(
        SELLER,
        f,
        abi::record_partial_receipt_call(jan, 20871, reference),
        ContractError::NotPaid { period_id: jan },
    );
    let out = p.ok(BUYER, f, abi::record_partial_payment_call(jan, 20870, reference));
    eprintln!("recordPartialPayment gas (transaction): {}", out.tx_gas());
    p.refused(
        BUYER,
        f,
        abi::record_partial_payment_call(jan, 20870, reference),
        ContractError::AlreadyPaid { period_id: jan },
    );
    p.refused(
        BUYER,
        f,
        abi::record_partial_receipt_call(jan, 20871, reference),
        ContractError::NotTheSeller { caller: BUYER },
    );
    p.refused(
        SELLER,
        f,
        abi::record_partial_receipt_call(jan, 20871, "another"),
        ContractError::OtherReference { period_id: jan },
    );
    p.ok(SELLER, f, abi::record_partial_receipt_call(jan, 20871, reference));
    let pay = p.call(f, InvoiceAnchor::partialPaymentsCall { periodId: jan });
    assert_eq!((pay.paidOn, pay.receivedOn), (20870, 20871));
    assert_eq!(
        p.call(f, InvoiceAnchor::paymentsCall { periodId: jan })
            .referenceHash,
        B256::ZERO,
        "the period's own payment is the final invoice's"
    );

    // Resolved: no more partial usage or invoice; the final invoice rates the whole period.
    let su = &reconciled().january.seller_usage.0;
    for party in [SELLER, BUYER] {
        p.ok(party, f, abi::resolve_dispute_call(jan, su, RESOLUTION));
    }
    p.refused(
        SELLER,
        f,
        abi::submit_partial_invoice_call(jan, &again.proof, &again.public_inputs),
        ContractError::AlreadyResolved { period_id: jan },
    );
    p.refused(
        SELLER,
        f,
        abi::register_partial_usage_call(jan, &pu),
        ContractError::AlreadyResolved { period_id: jan },
    );
    for party in [SELLER, BUYER] {
        p.ok(party, f, abi::register_usage_call(jan, su));
    }
    let fin = &reconciled().january.seller;
    p.ok(
        SELLER,
        f,
        abi::submit_proofs_call(jan, &fin.proof, &fin.public_inputs),
    );
    assert_eq!(
        p.call(f, InvoiceAnchor::invoiceOfCall { periodId: jan }),
        word(&fin.public_inputs.invoice_commitment)
    );

    // A period invoiced in part is not netted (its invoices are not the Buyer's due alone).
    p.register_netting();
    let proof = &zkinvoice_testkit::netted::netted().proved.proof;
    let netting = abi::record_netting_call(jan, proof, &super::netting::inputs());
    p.refused(SELLER, f, netting, ContractError::NotWhole { period_id: jan });
}
