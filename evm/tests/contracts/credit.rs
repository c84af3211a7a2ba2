//! SLA credits on the anchor contract (MEF 114 8.4, 8.6.4): the example bilateral's October
//! invoice credited (`zkinvoice_testkit::credited`): the credit-note key's verifier
//! (`CreditVerifier.sol`) registered by both parties, October's SLA performance registered by
//! both, the Seller's credit note verified on chain and recorded once; a credited invoice is not
//! netted (here or in the counterpart), and an invoice netted is not credited; a note after the
//! invoice's payment is carried forward (`contracts/carried.rs`). Every refusal changes nothing.

use alloy_sol_types::{SolCall, SolEvent};
use zkinvoice_evm::{
    abi::{self, contracts::IStatementVerifier, contracts::InvoiceAnchor},
    encoding::proof_calldata,
    Address, ContractError, B256, U256,
};
use zkinvoice_testkit::{bilateral::bilateral, credited::credited};
use zkinvoice_verifier::{CreditPublicInputs, Fr};

use super::netting::{contracts, inputs, netting_call, Pair};
use super::{october, word, BUYER, DEPLOYER, SELLER, STRANGER};

/// The credit note's public inputs.
pub(super) fn good() -> CreditPublicInputs {
    credited().envelope.public_inputs
}

pub(super) fn note_call(input: &CreditPublicInputs) -> Vec<u8> {
    abi::record_credit_note_call(october(), &credited().envelope.proof, input)
}

/// Both anchors as for netting, the credit verifier deployed; returns it.
pub(super) fn with_verifier(p: &mut Pair) -> Address {
    p.chain
        .deploy(DEPLOYER, contracts().bytecode["CreditVerifier"].clone())
}

/// Both parties register the credit verifier and October's SLA performance in the forward anchor.
pub(super) fn registered(p: &mut Pair, cv: Address) {
    let f = p.forward;
    for party in [SELLER, BUYER] {
        p.ok(party, f, abi::register_credit_verifier_call(cv));
    }
    let sla = credited().sla_commitment.0;
    for party in [SELLER, BUYER] {
        p.ok(party, f, abi::register_sla_call(october(), &sla));
    }
}

#[test]
fn the_credit_verifier_accepts_the_credit_proof_only() {
    let mut p = Pair::new(false);
    let cv = with_verifier(&mut p);
    let words = good()
        .to_field_elements()
        .map(|x| U256::from_be_bytes(word(&x).0));
    let proof = proof_calldata(&credited().envelope.proof).to_vec();
    let verify = |p: &mut Pair, input: [U256; 6]| {
        let out = p.chain.view(
            cv,
            IStatementVerifier::verifyProofCall {
                proof: proof.clone().into(),
                input,
            }
            .abi_encode(),
        );
        IStatementVerifier::verifyProofCall::abi_decode_returns(out.output()).expect("bool")
    };
    assert!(verify(&mut p, words), "the credit proof verifies on chain");
    for i in 0..6 {
        let mut bad = words;
        bad[i] += U256::from(1);
        assert!(!verify(&mut p, bad), "input {i} changed");
    }
    assert_eq!(
        p.call(cv, IStatementVerifier::VK_HASHCall {}),
        B256::from(credited().keys.verifying_key().hash())
    );
}

#[test]
fn a_credit_note_is_recorded_once_by_the_seller_against_the_registered_sla() {
    let mut p = Pair::new(false);
    let cv = with_verifier(&mut p);
    let f = p.forward;
    let oct = october();
    let sla = credited().sla_commitment.0;

    // The verifier: both parties, once.
    p.refused(
        STRANGER,
        f,
        abi::register_credit_verifier_call(cv),
        ContractError::NotAParty { caller: STRANGER },
    );
    p.refused(
        SELLER,
        f,
        abi::register_credit_verifier_call(Address::ZERO),
        ContractError::ZeroValue,
    );
    p.refused(SELLER, f, note_call(&good()), ContractError::CreditNotRegistered);
    p.ok(SELLER, f, abi::register_credit_verifier_call(cv));
    p.ok(BUYER, f, abi::register_credit_verifier_call(STRANGER));
    assert_eq!(p.call(f, InvoiceAnchor::creditVerifierCall {}), Address::ZERO);
    let out = p.ok(BUYER, f, abi::register_credit_verifier_call(cv));
    let logs = out.result.logs();
    let e = InvoiceAnchor::CreditVerifierRegistered::decode_log_data(&logs[logs.len() - 1].data)
        .expect("CreditVerifierRegistered");
    assert_eq!(
        (e.creditVerifier, e.creditVkHash),
        (cv, B256::from(credited().keys.verifying_key().hash()))
    );
    p.refused(
        BUYER,
        f,
        abi::register_credit_verifier_call(cv),
        ContractError::CreditAlreadyRegistered,
    );

    // Before the invoice, then before the SLA performance.
    p.refused(
        SELLER,
        f,
        note_call(&good()),
        ContractError::NotInvoiced { period_id: oct },
    );
    p.submit_forward();
    p.refused(
        SELLER,
        f,
        note_call(&good()),
        ContractError::SlaNotRegistered { period_id: oct },
    );
    let r = Fr::from(0u64) - Fr::from(1u64);
    let mut too_big = word(&r).0;
    too_big[0] |= 0x80;
    let too_big = B256::from(too_big);
    p.refused(
        SELLER,
        f,
        InvoiceAnchor::registerSlaCall {
            periodId: oct,
            slaCommitment: too_big,
        }
        .abi_encode(),
        ContractError::NotAScalar { value: too_big },
    );
    p.ok(SELLER, f, abi::register_sla_call(oct, &sla));
    assert_eq!(p.call(f, InvoiceAnchor::slasCall { periodId: oct }), B256::ZERO);
    let out = p.ok(BUYER, f, abi::register_sla_call(oct, &sla));
    let logs = out.result.logs();
    let e = InvoiceAnchor::SlaRegistered::decode_log_data(&logs[logs.len() - 1].data).expect("SlaRegistered");
    assert_eq!((e.periodId, e.slaCommitment), (oct, word(&sla)));
    p.refused(
        SELLER,
        f,
        abi::register_sla_call(oct, &sla),
        ContractError::SlaAlreadyRegistered { period_id: oct },
    );

    // Each input changed, the Buyer, a proof that does not verify.
    let g = good();
    let one = Fr::from(1u64);
    let cases = [
        (
            CreditPublicInputs {
                msa_commitment: g.msa_commitment + one,
                ..g
            },
            ContractError::WrongMsa {
                expected: word(&g.msa_commitment),
                given: word(&(g.msa_commitment + one)),
            },
        ),
        (
            CreditPublicInputs {
                invoice_commitment: g.invoice_commitment + one,
                ..g
            },
            ContractError::WrongInvoice {
                period_id: oct,
                expected: word(&g.invoice_commitment),
                given: word(&(g.invoice_commitment + one)),
            },
        ),
        (
            CreditPublicInputs {
                sla_commitment: g.sla_commitment + one,
                ..g
            },
            ContractError::WrongSla {
                period_id: oct,
                expected: word(&g.sla_commitment),
                given: word(&(g.sla_commitment + one)),
            },
        ),
        (
            CreditPublicInputs {
                period_start: g.period_start + one,
                ..g
            },
            ContractError::WrongPeriod { period_id: oct },
        ),
        (
            CreditPublicInputs {
                period_end: g.period_end + one,
                ..g
            },
            ContractError::WrongPeriod { period_id: oct },
        ),
        (
            CreditPublicInputs {
                credit_commitment: Fr::from(0u64),
                ..g
            },
            ContractError::ZeroValue,
        ),
        (
            CreditPublicInputs {
                credit_commitment: g.credit_commitment + one,
                ..g
            },
            ContractError::InvalidProof,
        ),
    ];
    for (input, expected) in cases {
        p.refused(SELLER, f, note_call(&input), expected);
    }
    p.refused(
        BUYER,
        f,
        note_call(&g),
        ContractError::NotTheSeller { caller: BUYER },
    );
    let mut tampered = proof_calldata(&credited().envelope.proof).to_vec();
    tampered[200] ^= 1;
    let call = InvoiceAnchor::recordCreditNoteCall {
        periodId: oct,
        proof: tampered.into(),
        input: g.to_field_elements().map(|x| U256::from_be_bytes(word(&x).0)),
    }
    .abi_encode();
    p.refused(SELLER, f, call, ContractError::InvalidProof);

    // Recorded, once.
    let out = p.ok(SELLER, f, note_call(&g));
    let logs = out.result.logs();
    let e = InvoiceAnchor::CreditNoteRecorded::decode_log_data(&logs[0].data).expect("CreditNoteRecorded");
    assert_eq!(
        (e.periodId, e.invoiceCommitment, e.creditCommitment),
        (oct, word(&g.invoice_commitment), word(&g.credit_commitment))
    );
    assert_eq!(
        p.call(f, InvoiceAnchor::creditsCall { periodId: oct }),
        word(&g.credit_commitment)
    );
    eprintln!("recordCreditNote gas (transaction): {}", out.tx_gas());
    p.refused(
        SELLER,
        f,
        note_call(&g),
        ContractError::AlreadyCredited { period_id: oct },
    );

    // A credited invoice is not netted, here nor from the counterpart; it is paid (less the note).
    p.submit_reverse();
    p.register_netting();
    p.refused(
        SELLER,
        f,
        netting_call(&inputs()),
        ContractError::AlreadyCredited { period_id: oct },
    );
    p.refused(
        SELLER,
        p.reverse,
        netting_call(&inputs()),
        ContractError::OtherCredited { period_id: oct },
    );
    p.ok(BUYER, f, abi::record_payment_call(oct, 20788, "SEPA credited"));
}

#[test]
fn an_invoice_netted_is_not_credited() {
    let mut p = Pair::new(true);
    let cv = with_verifier(&mut p);
    registered(&mut p, cv);
    let f = p.forward;
    p.register_netting();
    p.record_netting(f);
    p.refused(
        SELLER,
        f,
        note_call(&good()),
        ContractError::AlreadyNetted { period_id: october() },
    );
    // Unchanged invoices: the Seller's credit note of the example's October invoice is the fixture's.
    assert_eq!(
        good().invoice_commitment,
        bilateral().october_envelope.public_inputs.invoice_commitment
    );
}
