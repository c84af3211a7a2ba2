//! Reconciliation of multi-sourced usage on the anchor contract (MEF 114 8.5, ETSI GS PDL 026
//! 4.2.2, 7.2), on the example bilateral's reconciliations (`zkinvoice_testkit::reconciled`):
//! the reconciliation key's verifier (`ReconcileVerifier.sol`) registered by both parties; each
//! party's measurement of December proven with the invoice statement from `state_0` and recorded
//! once; their reconciliation (within every threshold) verified on chain; December's usage then
//! registered and invoiced. January's measurements are over `ip-transit`: the Buyer's dispute
//! holds the usage until both resolve it on one commitment. Every refusal changes nothing.
//! (January invoiced in part while its dispute is open: `partial.rs`.)

use alloy_sol_types::{SolCall, SolEvent};
use zkinvoice_evm::{
    abi::{self, contracts::IStatementVerifier, contracts::InvoiceAnchor, period_id, reconcile_input_words},
    encoding::proof_calldata,
    Address, ContractError, B256, U256,
};
use zkinvoice_testkit::reconciled::{reconciled, Measured};
use zkinvoice_verifier::{Fr, InvoicePublicInputs, ReconcilePublicInputs};

use super::netting::{contracts, Pair};
use super::{word, BUYER, DEPLOYER, SELLER, STRANGER};

pub(super) const RESOLUTION: &str =
    "the Buyer's probe missed two links' IP transit; the Seller's usage stands";

pub(super) fn december() -> u64 {
    period_id(20788, 20819)
}

pub(super) fn january() -> u64 {
    period_id(20819, 20850)
}

/// What `anchor` holds of the reconciliations of December and January, as words (for
/// [`Pair::refused`]'s check that a refusal changes nothing).
pub(super) fn held(p: &mut Pair, anchor: Address) -> Vec<B256> {
    let addr = |a: Address| B256::left_padding_from(a.as_slice());
    let mut out = vec![
        addr(p.call(anchor, InvoiceAnchor::reconcileVerifierCall {})),
        p.call(anchor, InvoiceAnchor::currentStateCall {}),
    ];
    for party in [SELLER, BUYER] {
        out.push(addr(
            p.call(anchor, InvoiceAnchor::reconcileVerifierProposalCall { party }),
        ));
    }
    for period_id in [december(), january()] {
        let r = p.call(anchor, InvoiceAnchor::reconciliationsCall { periodId: period_id });
        out.extend([
            B256::with_last_byte(u8::from(r.reconciled)),
            B256::from(r.over),
            r.resolvedUsage,
        ]);
        out.push(p.call(anchor, InvoiceAnchor::measuredFromCall { periodId: period_id }));
        let partial = p.call(anchor, InvoiceAnchor::partialsCall { periodId: period_id });
        out.extend([partial.usage, partial.invoice]);
        let pay = p.call(anchor, InvoiceAnchor::partialPaymentsCall { periodId: period_id });
        out.push(pay.referenceHash);
        out.push(B256::left_padding_from(&pay.paidOn.to_be_bytes()));
        out.push(B256::left_padding_from(&pay.receivedOn.to_be_bytes()));
        out.push(
            p.call(anchor, InvoiceAnchor::periodCall { periodId: period_id })
                .usageCommitment,
        );
        for party in [SELLER, BUYER] {
            out.push(p.call(
                anchor,
                InvoiceAnchor::measurementsCall {
                    periodId: period_id,
                    party,
                },
            ));
            out.push(p.call(
                anchor,
                InvoiceAnchor::resolutionProposalCall {
                    periodId: period_id,
                    party,
                },
            ));
            out.push(p.call(
                anchor,
                InvoiceAnchor::partialUsageProposalCall {
                    periodId: period_id,
                    party,
                },
            ));
            out.push(p.call(
                anchor,
                InvoiceAnchor::usageProposalCall {
                    periodId: period_id,
                    party,
                },
            ));
        }
    }
    out
}

/// The anchors as for netting, the reconciliation verifier deployed; returns it.
pub(super) fn with_verifier(p: &mut Pair) -> Address {
    p.chain
        .deploy(DEPLOYER, contracts().bytecode["ReconcileVerifier"].clone())
}

/// Both parties register the reconciliation verifier in the forward anchor.
pub(super) fn registered(p: &mut Pair, rv: Address) {
    for party in [SELLER, BUYER] {
        p.ok(party, p.forward, abi::register_reconcile_verifier_call(rv));
    }
}

/// A party's measurement of `m`'s period as `recordMeasurement`'s calldata, its inputs edited.
pub(super) fn measurement(m: &Measured, by: Address, edit: impl Fn(&mut InvoicePublicInputs)) -> Vec<u8> {
    let e = if by == BUYER { &m.buyer } else { &m.seller };
    let mut inputs = e.public_inputs;
    edit(&mut inputs);
    abi::record_measurement_call(period_id_of(m), &e.proof, &inputs)
}

/// `m`'s reconciliation as `recordReconciliation`'s calldata, its inputs edited.
pub(super) fn reconciliation(m: &Measured, edit: impl Fn(&mut ReconcilePublicInputs)) -> Vec<u8> {
    let mut inputs = m.public;
    edit(&mut inputs);
    abi::record_reconciliation_call(period_id_of(m), &m.proof, &inputs)
}

fn period_id_of(m: &Measured) -> u64 {
    if m.period.start.to_string() == "2026-12-01" {
        december()
    } else {
        january()
    }
}

fn plus_one(x: &mut Fr) {
    *x += Fr::from(1u64);
}

#[test]
fn the_reconcile_verifier_accepts_the_reconciliation_proof_only() {
    let mut p = Pair::new(false);
    let rv = with_verifier(&mut p);
    let m = &reconciled().december;
    let words = reconcile_input_words(&m.public);
    assert_eq!(
        (words[4], words[5]),
        (U256::from(december() >> 32), U256::from(december() & 0xffff_ffff)),
        "December's period id is the proof's period"
    );
    let proof = proof_calldata(&m.proof).to_vec();
    let verify = |p: &mut Pair, input: [U256; 6]| {
        let data = IStatementVerifier::verifyProofCall {
            proof: proof.clone().into(),
            input,
        }
        .abi_encode();
        let out = p.chain.view(rv, data);
        IStatementVerifier::verifyProofCall::abi_decode_returns(out.output()).expect("bool")
    };
    assert!(
        verify(&mut p, words),
        "the reconciliation proof verifies on chain"
    );
    for i in 0..6 {
        let mut bad = words;
        bad[i] += U256::from(1);
        assert!(!verify(&mut p, bad), "input {i} changed");
    }
    assert_eq!(
        p.call(rv, IStatementVerifier::VK_HASHCall {}),
        B256::from(reconciled().key.hash())
    );
}

#[test]
fn measurements_are_reconciled_before_the_usage_is_registered_and_invoiced() {
    let mut p = Pair::new(false);
    let rv = with_verifier(&mut p);
    let f = p.forward;
    let (dec, m) = (december(), &reconciled().december);
    let same = |_: &mut InvoicePublicInputs| {};

    // The verifier: both parties, once.
    p.refused(
        SELLER,
        f,
        measurement(m, SELLER, same),
        ContractError::ReconcileNotRegistered,
    );
    p.refused(
        STRANGER,
        f,
        abi::register_reconcile_verifier_call(rv),
        ContractError::NotAParty { caller: STRANGER },
    );
    p.refused(
        SELLER,
        f,
        abi::register_reconcile_verifier_call(Address::ZERO),
        ContractError::ZeroValue,
    );
    p.ok(SELLER, f, abi::register_reconcile_verifier_call(rv));
    p.ok(BUYER, f, abi::register_reconcile_verifier_call(STRANGER));
    assert_eq!(p.call(f, InvoiceAnchor::reconcileVerifierCall {}), Address::ZERO);
    let out = p.ok(BUYER, f, abi::register_reconcile_verifier_call(rv));
    let logs = out.result.logs();
    let e = InvoiceAnchor::ReconcileVerifierRegistered::decode_log_data(&logs[logs.len() - 1].data)
        .expect("ReconcileVerifierRegistered");
    assert_eq!(
        (e.reconcileVerifier, e.reconcileVkHash),
        (rv, B256::from(reconciled().key.hash()))
    );
    p.refused(
        BUYER,
        f,
        abi::register_reconcile_verifier_call(rv),
        ContractError::ReconcileAlreadyRegistered,
    );

    // A measurement: each input checked, the proof verified.
    let s = &m.seller.public_inputs;
    p.refused(
        STRANGER,
        f,
        measurement(m, SELLER, same),
        ContractError::NotAParty { caller: STRANGER },
    );
    p.refused(
        SELLER,
        f,
        measurement(m, SELLER, |x| plus_one(&mut x.msa_commitment)),
        ContractError::WrongMsa {
            expected: word(&s.msa_commitment),
            given: word(&(s.msa_commitment + Fr::from(1u64))),
        },
    );
    p.refused(
        SELLER,
        f,
        measurement(m, SELLER, |x| x.usage_commitment = Fr::from(0u64)),
        ContractError::ZeroValue,
    );
    p.refused(
        SELLER,
        f,
        measurement(m, SELLER, |x| plus_one(&mut x.state_before)),
        ContractError::StaleState {
            expected: word(&s.state_before),
            given: word(&(s.state_before + Fr::from(1u64))),
        },
    );
    for (name, edit) in [
        (
            "usage",
            (|x: &mut InvoicePublicInputs| plus_one(&mut x.usage_commitment)) as fn(&mut _),
        ),
        ("state after", |x| plus_one(&mut x.state_after)),
        ("invoice", |x| plus_one(&mut x.invoice_commitment)),
    ] {
        eprintln!("a measurement's {name} changed: InvalidProof");
        p.refused(
            SELLER,
            f,
            measurement(m, SELLER, edit),
            ContractError::InvalidProof,
        );
    }
    let out = p.ok(SELLER, f, measurement(m, SELLER, same));
    eprintln!("recordMeasurement gas (transaction): {}", out.tx_gas());
    let logs = out.result.logs();
    let e = InvoiceAnchor::UsageMeasured::decode_log_data(&logs[0].data).expect("UsageMeasured");
    assert_eq!(
        (
            e.periodId,
            e.party,
            e.usageCommitment,
            e.invoiceCommitment,
            e.stateBefore,
            e.stateAfter
        ),
        (
            dec,
            SELLER,
            word(&s.usage_commitment),
            word(&s.invoice_commitment),
            word(&s.state_before),
            word(&s.state_after)
        )
    );
    p.refused(
        SELLER,
        f,
        measurement(m, SELLER, same),
        ContractError::AlreadyMeasured {
            period_id: dec,
            party: SELLER,
        },
    );
    assert_eq!(
        p.call(f, InvoiceAnchor::currentStateCall {}),
        word(&s.state_before),
        "the state is unchanged"
    );
    p.refused(
        SELLER,
        f,
        reconciliation(m, |_| {}),
        ContractError::NotMeasured { period_id: dec },
    );
    p.ok(BUYER, f, measurement(m, BUYER, same));

    // The usage waits for the reconciliation.
    p.refused(
        SELLER,
        f,
        abi::register_usage_call(dec, &m.seller_usage.0),
        ContractError::NotReconciled { period_id: dec },
    );

    // The reconciliation: each input checked, the proof verified.
    let (sw, bw) = (word(&m.public.seller_invoice), word(&m.public.buyer_invoice));
    p.refused(
        STRANGER,
        f,
        reconciliation(m, |_| {}),
        ContractError::NotAParty { caller: STRANGER },
    );
    p.refused(
        BUYER,
        f,
        reconciliation(m, |x| plus_one(&mut x.msa_commitment)),
        ContractError::WrongMsa {
            expected: word(&m.public.msa_commitment),
            given: word(&(m.public.msa_commitment + Fr::from(1u64))),
        },
    );
    p.refused(
        BUYER,
        f,
        reconciliation(m, |x| std::mem::swap(&mut x.seller_invoice, &mut x.buyer_invoice)),
        ContractError::WrongMeasurements {
            seller: sw,
            buyer: bw,
        },
    );
    for edit in [
        (|x: &mut ReconcilePublicInputs| plus_one(&mut x.period_start)) as fn(&mut _),
        |x| plus_one(&mut x.period_end),
    ] {
        p.refused(
            BUYER,
            f,
            reconciliation(m, edit),
            ContractError::WrongPeriod { period_id: dec },
        );
    }
    p.refused(
        BUYER,
        f,
        reconciliation(m, |x| x.over = Fr::from(1u64)),
        ContractError::InvalidProof,
    );
    p.refused(
        SELLER,
        f,
        abi::resolve_dispute_call(dec, &m.seller_usage.0, RESOLUTION),
        ContractError::NotDisputed { period_id: dec },
    );
    let out = p.ok(SELLER, f, reconciliation(m, |_| {}));
    eprintln!(
        "recordReconciliation gas (transaction): {}; ReconcileVerifier {} B deployed",
        out.tx_gas(),
        contracts().deployed["ReconcileVerifier"].len()
    );
    let logs = out.result.logs();
    let e = InvoiceAnchor::UsageReconciled::decode_log_data(&logs[0].data).expect("UsageReconciled");
    assert_eq!((e.periodId, e.party), (dec, SELLER));
    p.refused(
        BUYER,
        f,
        reconciliation(m, |_| {}),
        ContractError::AlreadyReconciled { period_id: dec },
    );

    // Reconciled: the usage is registered by both and invoiced from the Seller's measurement.
    p.ok(SELLER, f, abi::register_usage_call(dec, &m.seller_usage.0));
    let out = p.ok(BUYER, f, abi::register_usage_call(dec, &m.seller_usage.0));
    eprintln!(
        "registerUsage of a reconciled period gas (transaction): {}",
        out.tx_gas()
    );
    p.refused(
        BUYER,
        f,
        measurement(m, BUYER, same),
        ContractError::UsageAlreadyRegistered { period_id: dec },
    );
    let proof = m.seller.proof.single().expect("one proof");
    p.ok(SELLER, f, abi::submit_invoice_call(dec, proof, s));
    assert_eq!(
        p.call(f, InvoiceAnchor::invoiceOfCall { periodId: dec }),
        word(&s.invoice_commitment)
    );
}

#[test]
fn a_dispute_holds_the_usage_until_both_resolve_it_on_one_usage() {
    let mut p = Pair::new(false);
    let rv = with_verifier(&mut p);
    registered(&mut p, rv);
    let f = p.forward;
    let (jan, m) = (january(), &reconciled().january);
    for party in [SELLER, BUYER] {
        p.ok(party, f, measurement(m, party, |_| {}));
    }
    let out = p.ok(BUYER, f, reconciliation(m, |_| {}));
    let logs = out.result.logs();
    let e = InvoiceAnchor::DisputeOpened::decode_log_data(&logs[0].data).expect("DisputeOpened");
    let over = U256::from_be_bytes(word(&m.public.over).0);
    assert!(over != U256::ZERO);
    assert_eq!((e.periodId, e.party, e.over), (jan, BUYER, over));
    let r = p.call(f, InvoiceAnchor::reconciliationsCall { periodId: jan });
    assert_eq!((r.reconciled, r.over, r.resolvedUsage), (false, over, B256::ZERO));
    p.refused(
        SELLER,
        f,
        reconciliation(m, |_| {}),
        ContractError::AlreadyReconciled { period_id: jan },
    );

    // Disputed: no usage until resolved.
    let (su, bu) = (&m.seller_usage.0, &m.buyer_usage.0);
    p.refused(
        SELLER,
        f,
        abi::register_usage_call(jan, su),
        ContractError::Disputed { period_id: jan },
    );

    // The resolution: both parties, the same usage and words, once.
    p.refused(
        STRANGER,
        f,
        abi::resolve_dispute_call(jan, su, RESOLUTION),
        ContractError::NotAParty { caller: STRANGER },
    );
    p.refused(
        SELLER,
        f,
        abi::resolve_dispute_call(jan, &Fr::from(0u64), RESOLUTION),
        ContractError::ZeroValue,
    );
    p.refused(
        SELLER,
        f,
        abi::resolve_dispute_call(jan, su, ""),
        ContractError::ZeroValue,
    );
    let not_scalar = InvoiceAnchor::resolveDisputeCall {
        periodId: jan,
        usageCommitment: B256::repeat_byte(0xff),
        resolution: RESOLUTION.into(),
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
    let out = p.ok(SELLER, f, abi::resolve_dispute_call(jan, su, RESOLUTION));
    eprintln!(
        "resolveDispute gas, first proposal (transaction): {}",
        out.tx_gas()
    );
    p.ok(
        BUYER,
        f,
        abi::resolve_dispute_call(jan, su, "the Seller's usage stands"),
    );
    p.ok(BUYER, f, abi::resolve_dispute_call(jan, bu, RESOLUTION));
    assert_eq!(
        p.call(f, InvoiceAnchor::reconciliationsCall { periodId: jan })
            .resolvedUsage,
        B256::ZERO,
        "not resolved while the two proposals differ"
    );
    let out = p.ok(BUYER, f, abi::resolve_dispute_call(jan, su, RESOLUTION));
    let logs = out.result.logs();
    let e =
        InvoiceAnchor::DisputeResolved::decode_log_data(&logs[logs.len() - 1].data).expect("DisputeResolved");
    assert_eq!(
        (e.periodId, e.usageCommitment, e.resolution.as_str()),
        (jan, word(su), RESOLUTION)
    );
    p.refused(
        SELLER,
        f,
        abi::resolve_dispute_call(jan, su, RESOLUTION),
        ContractError::AlreadyResolved { period_id: jan },
    );

    // Only the resolved usage is registered.
    p.refused(
        SELLER,
        f,
        abi::register_usage_call(jan, bu),
        ContractError::NotTheResolution {
            period_id: jan,
            expected: word(su),
            given: word(bu),
        },
    );
    for party in [SELLER, BUYER] {
        p.ok(party, f, abi::register_usage_call(jan, su));
    }
    assert_eq!(
        p.call(f, InvoiceAnchor::periodCall { periodId: jan })
            .usageCommitment,
        word(su)
    );
}

#[test]
fn both_measurements_of_a_period_are_from_one_state() {
    let mut p = Pair::new(false);
    let rv = with_verifier(&mut p);
    registered(&mut p, rv);
    let f = p.forward;
    let (dec, m) = (december(), &reconciled().december);
    let from = m.seller.public_inputs.state_before;
    p.ok(SELLER, f, measurement(m, SELLER, |_| {}));
    assert_eq!(
        p.call(f, InvoiceAnchor::measuredFromCall { periodId: dec }),
        word(&from)
    );
    // October's invoice moves the state: the Buyer's measurement from state_0 is stale, and one
    // from the new state is not from the Seller's.
    p.submit_forward();
    let now = p.call(f, InvoiceAnchor::currentStateCall {});
    assert_ne!(now, word(&from));
    p.refused(
        BUYER,
        f,
        measurement(m, BUYER, |_| {}),
        ContractError::StaleState {
            expected: now,
            given: word(&from),
        },
    );
    let now_fr = zkinvoice_testkit::bilateral::bilateral()
        .october_envelope
        .public_inputs
        .state_after;
    assert_eq!(word(&now_fr), now);
    p.refused(
        BUYER,
        f,
        measurement(m, BUYER, |x| x.state_before = now_fr),
        ContractError::OtherState {
            period_id: dec,
            measured_from: word(&from),
        },
    );
}
