//! Credits carried forward on the anchor contract (MEF 114 8.6.4): the example bilateral's
//! October invoice paid, then its SLA credit note recorded (`zkinvoice_testkit::credited`): the
//! note is recorded as after the payment (not applied to October), and both parties carry it,
//! once, to November's invoice (`carryCredit`), which is then not netted (here, nor from a
//! counterpart that carried a note to its own invoice of the period) and is paid less the note.
//! Every refusal changes nothing.

use alloy_sol_types::SolCall;
use alloy_sol_types::{SolEvent, SolValue};
use zkinvoice_evm::{abi, abi::contracts::InvoiceAnchor, Address, ContractError, U256};
use zkinvoice_testkit::{bilateral::bilateral, netted::netted};

use super::credit::{good, note_call, registered, with_verifier};
use super::netting::{contracts, inputs, netting_call, CounterpartStub, Pair};
use super::{november, october, BUYER, DEPLOYER, SELLER, STRANGER};

fn carry(from: u64, to: u64) -> Vec<u8> {
    abi::carry_credit_call(from, to)
}

/// What the anchor `at` holds of October's note's carry: after the payment, and where to.
fn carried(p: &mut Pair, at: Address) -> (bool, u64) {
    let c = p.call(at, InvoiceAnchor::carriesCall { periodId: october() });
    (c.afterPayment, c.to)
}

/// November's invoice of the example bilateral submitted to the forward anchor (its usage
/// registered by both first).
fn submit_november(p: &mut Pair) {
    let e = &bilateral().november_envelope;
    for party in [SELLER, BUYER] {
        let f = p.forward;
        p.ok(
            party,
            f,
            abi::register_usage_call(november(), &e.public_inputs.usage_commitment),
        );
    }
    let proof = e.proof.single().expect("one proof");
    let call = abi::submit_invoice_call(november(), proof, &e.public_inputs);
    let f = p.forward;
    p.ok(SELLER, f, call);
}

#[test]
fn a_credit_note_after_the_payment_is_carried_once_to_a_later_unpaid_invoice() {
    let mut p = Pair::new(true);
    let cv = with_verifier(&mut p);
    registered(&mut p, cv);
    let (f, oct, nov) = (p.forward, october(), november());
    p.refused(
        SELLER,
        f,
        carry(oct, nov),
        ContractError::NoCreditNote { period_id: oct },
    );

    // October paid, then its note: recorded after the payment, not applied to October.
    p.ok(BUYER, f, abi::record_payment_call(oct, 20788, "SEPA paid"));
    let out = p.ok(SELLER, f, note_call(&good()));
    eprintln!(
        "recordCreditNote after the payment: {} gas (transaction)",
        out.tx_gas()
    );
    assert_eq!(carried(&mut p, f), (true, 0));
    p.refused(
        SELLER,
        f,
        carry(oct, nov),
        ContractError::NotInvoiced { period_id: nov },
    );
    submit_november(&mut p);
    p.refused(
        STRANGER,
        f,
        carry(oct, nov),
        ContractError::NotAParty { caller: STRANGER },
    );
    // To October itself, paid: refused.
    p.refused(
        BUYER,
        f,
        carry(oct, oct),
        ContractError::AlreadyPaid { period_id: oct },
    );

    // One party's proposal carries nothing; both parties' carry it once.
    let out = p.ok(SELLER, f, carry(oct, nov));
    eprintln!(
        "carryCredit, first party's proposal: {} gas (transaction)",
        out.tx_gas()
    );
    assert_eq!(carried(&mut p, f), (true, 0));
    let out = p.ok(BUYER, f, carry(oct, nov));
    eprintln!(
        "carryCredit, the other party's, which carries: {} gas (transaction)",
        out.tx_gas()
    );
    let logs = out.result.logs();
    let e = InvoiceAnchor::CreditCarried::decode_log_data(&logs[logs.len() - 1].data).expect("CreditCarried");
    let commitment = |x| abi::fr_word(&x);
    assert_eq!(
        (
            e.fromPeriod,
            e.toPeriod,
            e.creditCommitment,
            e.creditedInvoice,
            e.invoiceCommitment
        ),
        (
            oct,
            nov,
            commitment(good().credit_commitment),
            commitment(bilateral().october_envelope.public_inputs.invoice_commitment),
            commitment(bilateral().november_envelope.public_inputs.invoice_commitment),
        )
    );
    assert_eq!(carried(&mut p, f), (true, nov));
    assert_eq!(
        p.call(f, InvoiceAnchor::carriedCountCall { periodId: nov }),
        U256::from(1)
    );
    p.refused(
        SELLER,
        f,
        carry(oct, nov),
        ContractError::AlreadyCarried {
            period_id: oct,
            to_period: nov,
        },
    );

    // November, with a note carried to it, is not netted; it is paid (less the note).
    p.register_netting();
    let proof = &netted().proved.proof;
    p.refused(
        SELLER,
        f,
        abi::record_netting_call(nov, proof, &inputs()),
        ContractError::AlreadyCredited { period_id: nov },
    );
    p.ok(
        BUYER,
        f,
        abi::record_payment_call(nov, 20819, "SEPA less the note"),
    );
}

#[test]
fn a_note_before_the_payment_applies_to_its_invoice_and_is_not_carried() {
    let mut p = Pair::new(true);
    let cv = with_verifier(&mut p);
    registered(&mut p, cv);
    let f = p.forward;
    p.ok(SELLER, f, note_call(&good()));
    assert_eq!(carried(&mut p, f), (false, 0));
    submit_november(&mut p);
    p.refused(
        SELLER,
        f,
        carry(october(), november()),
        ContractError::CreditNotAfterPayment { period_id: october() },
    );
    // Nor to an invoice already paid: November paid, October's note after its payment.
    let mut p = Pair::new(true);
    let cv = with_verifier(&mut p);
    registered(&mut p, cv);
    let f = p.forward;
    p.ok(BUYER, f, abi::record_payment_call(october(), 20788, "SEPA paid"));
    p.ok(SELLER, f, note_call(&good()));
    submit_november(&mut p);
    p.ok(BUYER, f, abi::record_payment_call(november(), 20819, "SEPA paid"));
    p.refused(
        SELLER,
        f,
        carry(october(), november()),
        ContractError::AlreadyPaid {
            period_id: november(),
        },
    );
}

/// A counterpart that carried a note to its invoice of the period: the netting is refused
/// (`OtherCredited`), as for a counterpart's own note. A stand-in counterpart holds that state.
#[test]
fn a_netting_is_refused_when_the_counterpart_carried_a_note_to_its_invoice() {
    let mut p = Pair::new(true);
    let mut code = contracts().bytecode["CounterpartStub"].clone();
    code.extend((BUYER, SELLER).abi_encode_params());
    let stub = p.chain.deploy(DEPLOYER, code);
    let nv = p.netting_verifier;
    let f = p.forward;
    for party in [SELLER, BUYER] {
        p.ok(party, f, abi::register_netting_call(stub, nv));
    }
    let reverse = abi::fr_word(&netted().invoice());
    p.ok(
        DEPLOYER,
        stub,
        CounterpartStub::setInvoiceCall {
            periodId: october(),
            invoice: reverse,
        }
        .abi_encode(),
    );
    let set_carried = |n: u64| {
        CounterpartStub::setCarriedCall {
            periodId: october(),
            count: U256::from(n),
        }
        .abi_encode()
    };
    p.ok(DEPLOYER, stub, set_carried(1));
    p.refused(
        SELLER,
        f,
        netting_call(&inputs()),
        ContractError::OtherCredited { period_id: october() },
    );
    p.ok(DEPLOYER, stub, set_carried(0));
    p.ok(SELLER, f, netting_call(&inputs()));
}
