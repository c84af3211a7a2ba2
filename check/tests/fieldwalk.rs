//! A "valid" verdict covers every field a reader sees: for a real envelope and a real bill (the
//! example bilateral's October, proved at shape S and anchored), every change of one leaf (a
//! number, a string, a hex or decimal digit, a list element removed or duplicated) is refused by
//! the Buyer's check against its anchor log, unless the field is documented as carrying no meaning
//! (`docs/bill-fields.md`: the bill's lifecycle `state`, [`LIFECYCLE`]).

use zkinvoice_anchors::View;
use zkinvoice_check::{check_anchored, Received};
use zkinvoice_mef141::{CustomerBill, LIFECYCLE};
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_testkit::{
    bilateral::bilateral,
    fieldwalk::{exact, walk_all, Walk},
};

/// The Buyer's log: the agreed entries and October's invoice-proved.
fn view() -> View {
    let w = bilateral();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let log = w.log(&dir.path().join("buyer.db"));
    log.append(w.october_proved.clone()).expect("october proved");
    log.view().expect("the view")
}

fn report(what: &str, walk: &Walk) {
    eprintln!(
        "{what}: {} changes tried, {} refused, {} in documented free fields, {} accepted otherwise",
        walk.tried,
        walk.refused,
        walk.free,
        walk.defects.len()
    );
    assert!(
        walk.defects.is_empty(),
        "{what}: accepted with a field changed: {:#?}",
        walk.defects
    );
    assert!(walk.tried > 20, "{what}: the walk found too few fields");
}

#[test]
fn every_field_of_an_envelope_is_bound() {
    let (w, view) = (bilateral(), view());
    let env = &w.october_envelope;
    check_anchored(&view, &Received::of_envelope(env, &w.msa)).expect("the envelope is valid");
    let doc = exact(&serde_json::to_string(env).expect("JSON"));
    let walk = walk_all(&doc, &[], |m| {
        match serde_json::from_str::<ProofEnvelope>(&m.text()) {
            Ok(e) => check_anchored(&view, &Received::of_envelope(&e, &w.msa)).is_ok(),
            Err(_) => false,
        }
    });
    report("envelope", &walk);
}

#[test]
fn every_field_of_a_bill_is_bound_but_its_lifecycle_state() {
    let (w, view) = (bilateral(), view());
    let bill = &w.october;
    check_anchored(&view, &Received::of_bill(bill, &w.msa)).expect("the bill is valid");
    let doc = exact(&serde_json::to_string(bill).expect("JSON"));
    let walk = walk_all(&doc, &LIFECYCLE, |m| {
        match serde_json::from_str::<CustomerBill>(&m.text()) {
            Ok(b) => check_anchored(&view, &Received::of_bill(&b, &w.msa)).is_ok(),
            Err(_) => false,
        }
    });
    report("bill", &walk);
    // The lifecycle fields are free indeed: the API changes them after issue; but `settled` is
    // said only with the payment applied (`check/tests/settled.rs`).
    let mut due = bill.clone();
    due.state = "paymentDue".into();
    check_anchored(&view, &Received::of_bill(&due, &w.msa)).expect("a bill due is the same bill");
    due.state = "settled".into();
    check_anchored(&view, &Received::of_bill(&due, &w.msa)).expect_err("settled with nothing applied");
}

#[test]
fn a_field_the_walk_changes_is_named_in_the_refusal() {
    let (w, view) = (bilateral(), view());
    let mut bill = w.october.clone();
    bill.related_contact_information[0].name = "Mallory Telecom".into();
    let r = check_anchored(&view, &Received::of_bill(&bill, &w.msa)).expect_err("a payee name changed");
    assert!(r.to_string().contains("relatedContactInformation[0].name"), "{r}");
    let mut env = w.october_envelope.clone();
    env.state_after.index += 1;
    let r = check_anchored(&view, &Received::of_envelope(&env, &w.msa)).expect_err("an edited state after");
    assert!(r.to_string().contains("stateAfter"), "{r}");
}

/// Payment terms that cannot be redirected (issue 16, MEF 114 R72/R84): a bill naming another
/// remit-to account, holder or payment method than the MSA commits is refused, naming the field.
#[test]
fn a_bill_redirecting_the_payment_is_refused_naming_the_field() {
    let (w, view) = (bilateral(), view());
    let payment = w
        .msa
        .terms
        .payment
        .as_ref()
        .expect("the example commits payment terms");
    let fa = &w.october.financial_account;
    assert_eq!(fa.id, payment.remit_to.account);
    assert_eq!(fa.account_type.as_deref(), Some("wireTransfer"));
    type Edit<'a> = dyn Fn(&mut CustomerBill) + 'a;
    let cases: [(&str, &Edit); 5] = [
        ("financialAccount.id", &|b| {
            b.financial_account.id = "IBAN DE89370400440532013000".into()
        }),
        ("financialAccount.id", &|b| {
            b.financial_account.id = w.msa.seller.id.clone()
        }),
        ("financialAccount.name", &|b| {
            b.financial_account.name = Some("Mallory Payments Ltd".into())
        }),
        ("financialAccount.type", &|b| {
            b.financial_account.account_type = Some("electronic".into())
        }),
        ("financialAccount.type", &|b| {
            b.financial_account.account_type = None
        }),
    ];
    for (field, change) in cases {
        let mut bill = w.october.clone();
        change(&mut bill);
        let r = check_anchored(&view, &Received::of_bill(&bill, &w.msa)).expect_err(field);
        let msg = r.to_string();
        assert!(msg.contains(field) && msg.contains("remit-to"), "{field}: {msg}");
    }
}
