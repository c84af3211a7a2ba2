//! A disputed period's bills (`docs/lifecycle.md`, "Partial and final invoices"), on the
//! example's January (`zkinvoice_testkit::partial`): the partial invoice's bill is `interim`; the
//! final invoice's is `final`, its `amountDue` the total less the partial invoice's, which
//! `zkPartial` opens. Each verifies against the Buyer's log once the log records the part, and is
//! refused as another part (`zkPart`), with a `zkPartial` that does not open the anchored partial invoice
//! or with amounts that do not follow it, and without an anchor log; every field of both is bound.

use zkinvoice_anchors::{AnchorLog, View};
use zkinvoice_check::{check, check_anchored, Agreed, Received, Rejection};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_testkit::{
    bilateral::bilateral,
    fieldwalk::{exact, walk_all},
    partial::{bill, partial},
    reconciled::reconciled,
};

/// The reconciliation proposals up to January's dispute, its resolution and agreed usage.
const DISPUTED: usize = 8;
const RESOLVED: usize = 8;
const AGREED: usize = 9;

/// The Buyer's log: the bilateral's and the reconciliation's entries up to January's dispute, its
/// partial usage and invoice; with `finally`, the resolution, the agreed usage and the final
/// invoice (the Seller's January measurement, from the same state).
fn log(dir: &tempfile::TempDir, finally: bool) -> AnchorLog {
    let (w, r, p) = (bilateral(), reconciled(), partial());
    let log = w.log(&dir.path().join(format!("log-{finally}.db")));
    for e in &r.proposals[..DISPUTED] {
        log.append(e.clone()).expect("the entries before");
    }
    log.append(p.usage_proposal()).expect("the partial usage");
    log.append(p.proposal(&p.invoice)).expect("the partial invoice");
    if finally {
        for i in [RESOLVED, AGREED] {
            log.append(r.proposals[i].clone()).expect("resolved and agreed");
        }
        log.append(p.final_proposal()).expect("the final invoice");
    }
    log
}

fn checked(view: &View, bill: &CustomerBill) -> Result<(), Rejection> {
    check_anchored(view, &Received::of_bill(bill, &bilateral().msa)).map(|_| ())
}

/// The final invoice's bill: the Seller's whole January less the partial invoice.
fn final_bill() -> CustomerBill {
    let (r, p) = (reconciled(), partial());
    bill(&r.january.seller)
        .finalised(p.invoice.invoice.clone())
        .expect("final")
}

#[test]
fn the_partial_invoice_is_billed_interim_and_the_final_one_less_it() {
    let (w, p, dir) = (bilateral(), partial(), tempfile::tempdir().expect("dir"));
    let view = log(&dir, false).view().expect("view");
    let interim = bill(&p.invoice).interim();
    checked(&view, &interim).expect("the interim bill");
    // As a normal or final bill; without an anchor log.
    let r = checked(&view, &bill(&p.invoice)).expect_err("not normal");
    assert!(
        matches!(&r, Rejection::NotThePart { field, .. } if field == "zkPart")
            && r.to_string().contains("partial usage"),
        "{r}"
    );
    let keys = view.verifying_key(&w.msa_commitment.0).expect("the key");
    let r = check(keys, &Received::of_bill(&interim, &w.msa), &Agreed::default()).expect_err("no log");
    assert!(
        matches!(r, Rejection::NotThePart { .. }) && r.to_string().contains("--anchors"),
        "{r}"
    );

    // The final bill: the total less the partial invoice's.
    let view = log(&dir, true).view().expect("view");
    let c = w.msa.currency;
    let f = final_bill();
    let whole = bill(&reconciled().january.seller);
    let total = whole.tax_included_amount.to_minor("t", c).expect("a total");
    let earlier = c.parse_minor(&p.invoice.invoice.total).expect("a total");
    assert!(earlier > 0 && earlier < total);
    assert_eq!(f.amount_due.value.text(), c.format_minor(total - earlier));
    assert_eq!(f.remaining_amount, f.amount_due);
    checked(&view, &f).expect("the final bill");
    // The interim bill still verifies; the whole period billed as normal does not.
    checked(&view, &interim).expect("the interim bill");
    let r = checked(&view, &whole).expect_err("not normal");
    assert!(r.to_string().contains("invoiced in part"), "{r}");
    // Another partial invoice of the same usage (not the anchored one): its amounts follow, its
    // opening is not the anchored invoice.
    let other = bill(&reconciled().january.seller)
        .finalised(p.again.invoice.clone())
        .expect("final");
    let r = checked(&view, &other).expect_err("not the anchored partial invoice");
    assert!(
        matches!(&r, Rejection::NotThePart { field, .. } if field == "zkPartial")
            && r.to_string().contains("not the partial invoice"),
        "{r}"
    );
    // A partial invoice with another total, the amounts following it: it does not open.
    let mut doc = p.invoice.invoice.clone();
    doc.total = "1.00".into();
    let forged = whole.finalised(doc).expect("final");
    assert!(checked(&view, &forged).is_err());
    // The partial invoice named, the whole total due.
    let mut due = f.clone();
    due.amount_due = whole.amount_due.clone();
    let r = checked(&view, &due).expect_err("the whole total due");
    assert!(r.to_string().contains("amountDue"), "{r}");
    // Final without the partial invoice; interim naming one; an unknown part; a category other
    // than MEF 141's normal, or interim in it.
    let mut bare = f.clone();
    bare.zk_partial = None;
    assert!(checked(&view, &bare).is_err());
    let mut bare = whole.clone();
    bare.zk_part = Some("final".into());
    let r = checked(&view, &bare).expect_err("final without the partial invoice");
    assert!(
        matches!(r, Rejection::NotThePart { .. }) && r.to_string().contains("names the partial invoice"),
        "{r}"
    );
    let mut named = interim.clone();
    named.zk_partial = f.zk_partial.clone();
    assert!(checked(&view, &named).is_err());
    let mut odd = interim.clone();
    odd.zk_part = Some("normal".into());
    let r = checked(&view, &odd).expect_err("unknown part");
    assert!(r.to_string().contains("interim or final"), "{r}");
    for category in ["duplicate", "interim"] {
        let mut odd = interim.clone();
        odd.category = category.into();
        let r = checked(&view, &odd).expect_err("another category");
        assert!(r.to_string().contains("category"), "{category}: {r}");
    }
}

/// The final invoice credited (January's SLA credit note, anchored after the final invoice):
/// its bill is due the total less the partial invoice's and the note's, in whichever order the
/// two are applied, and verifies; with the note on a normal bill, or its total changed, it does
/// not.
#[test]
fn a_final_bill_credited_is_due_its_total_less_the_partial_invoice_and_the_note() {
    let (w, r, p) = (bilateral(), reconciled(), partial());
    let c = zkinvoice_testkit::final_credit::final_credit();
    let dir = tempfile::tempdir().expect("dir");
    let log = log(&dir, true);
    log.append(zkinvoice_testkit::credited::credited().key_agreed())
        .expect("the credit key");
    log.append(c.sla_proposal()).expect("January's SLA performance");
    log.append(c.note_proposal())
        .expect("the final invoice's credit note");
    let view = log.view().expect("view");
    let opening = zkinvoice_prover::credit::CreditOpening::of(&c.proved);
    let credited = final_bill().credited(opening.clone()).expect("credited");
    let either = bill(&r.january.seller)
        .credited(opening.clone())
        .expect("credited")
        .finalised(p.invoice.invoice.clone())
        .expect("final");
    assert_eq!(credited, either);
    let cur = w.msa.currency;
    let minor = |text: &str| cur.parse_minor(text).expect("an amount");
    let (note, earlier) = (minor(&opening.total), minor(&p.invoice.invoice.total));
    assert!(note > 0, "January's credit is not zero");
    let total = minor(credited.tax_included_amount.value.text());
    assert_eq!(
        credited.amount_due.value.text(),
        cur.format_minor(total - earlier - note)
    );
    checked(&view, &credited).expect("the final bill credited");
    // The Seller's service takes it in place of the final bill published before the note (and
    // settled after), not the note applied to the whole total.
    assert!(final_bill().takes(&credited));
    assert!(final_bill().takes(&credited.settled("SEPA 2027-02-10")));
    // The final bill as issued before the note still verifies (the note is applied later); the
    // note applied on a normal bill, or with its total changed (the amounts following), does not.
    checked(&view, &final_bill()).expect("the final bill as issued");
    let normal = bill(&reconciled().january.seller)
        .credited(opening.clone())
        .expect("credited");
    assert!(checked(&view, &normal).is_err());
    let mut whole_due = credited.clone();
    whole_due.amount_due = normal.amount_due.clone();
    whole_due.remaining_amount = normal.remaining_amount.clone();
    assert!(!final_bill().takes(&whole_due));
    assert!(checked(&view, &whole_due).is_err());
    let mut forged = opening;
    forged.total = cur.format_minor(note - 1);
    let forged = final_bill().credited(forged).expect("credited");
    assert!(checked(&view, &forged).is_err());
}

#[test]
fn every_field_of_an_interim_and_a_final_bill_is_bound() {
    let (p, dir) = (partial(), tempfile::tempdir().expect("dir"));
    let view = log(&dir, true).view().expect("view");
    for bill in [bill(&p.invoice).interim(), final_bill()] {
        checked(&view, &bill).expect("verifies");
        let doc = exact(&serde_json::to_string(&bill).expect("JSON"));
        let walk = walk_all(&doc, &["customerBillItem[].state", "state"], |m| {
            serde_json::from_str::<CustomerBill>(&m.text()).is_ok_and(|b| checked(&view, &b).is_ok())
        });
        assert!(
            walk.defects.is_empty(),
            "{}: accepted with a field changed: {:#?}",
            bill.part(),
            walk.defects
        );
        assert!(walk.tried > 30, "the walk found too few fields");
    }
}
