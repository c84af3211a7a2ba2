//! The demo's tampering step: edited bills sent to the Buyer's service, edited and replayed
//! envelopes checked as the Buyer checks them, and an invoice anchored twice; every one refused.

use zkinvoice_anchors::{Proposal, Role};
use zkinvoice_check::{check, Agreed, Received};
use zkinvoice_circuits::{commit::StateOpening, Commitment};
use zkinvoice_mef141::{CustomerBill, Money};
use zkinvoice_prover::ProofEnvelope;

use super::Demo;
use crate::{actions::proved_body, error::CliError};

const DEFECT: &str = "ACCEPTED (a defect!)";

/// An edit of a bill.
type Edit<'a> = dyn Fn(&mut CustomerBill) + 'a;

/// Step `step`: tampering is caught.
pub fn show(demo: &Demo, step: usize) -> Result<(), CliError> {
    println!("\n{step}. Tampering is caught:");
    edited_bills(demo)?;
    edited_envelopes(demo);
    let nov = &demo.envelopes[1].0;
    let replay = demo
        .seller_log
        .append(Proposal::new(proved_body(nov)).signed(Role::Seller, &demo.seller_key));
    println!(
        "   - November's invoice anchored a second time: {}",
        match replay {
            Ok(_) => DEFECT.to_string(),
            Err(e) => format!("REFUSED, {e}"),
        }
    );
    Ok(())
}

/// December's bill sent again over HTTP (new bill number, same proof) with its total lowered, and
/// with its payment redirected to another account than the MSA's committed remit-to account.
fn edited_bills(demo: &Demo) -> Result<(), CliError> {
    let c = demo.msa.currency;
    let lowered = |m: &Money| Money::minor(c, c.parse_minor(m.value.text()).unwrap_or(0).saturating_sub(100));
    let lower = |b: &mut CustomerBill| {
        b.tax_included_amount = lowered(&b.tax_included_amount);
        b.amount_due = lowered(&b.amount_due);
        b.remaining_amount = lowered(&b.remaining_amount);
    };
    let redirect = |b: &mut CustomerBill| b.financial_account.id = "IBAN DE89370400440532013000".into();
    let cases: [(&str, &Edit); 2] = [
        ("its total lowered by 1.00", &lower),
        ("its payment redirected to another account", &redirect),
    ];
    for (i, (what, edit)) in cases.into_iter().enumerate() {
        let mut resent = demo.bills[demo.bills.len() - 1].clone();
        resent.id = format!("{}-R{}", resent.id, i + 1);
        resent.bill_no = resent.id.clone();
        for (i, item) in resent.customer_bill_item.iter_mut().enumerate() {
            item.id = format!("{}-{}", resent.id, i + 1);
        }
        edit(&mut resent);
        let r = demo.exchange.deliver(&resent)?;
        println!(
            "   - December's bill sent again over HTTP with {what} (new bill number, same proof): {}",
            if r.is_accepted() {
                DEFECT.to_string()
            } else {
                format!(
                    "REJECTED by the buyer's service ({}: {}); {}",
                    r.code.unwrap_or_default(),
                    r.reason.unwrap_or_default(),
                    r.not_anchored
                        .map_or("decision anchored".into(), |w| format!("nothing anchored: {w}"))
                )
            }
        );
    }
    Ok(())
}

/// Envelopes edited after proving, checked as the Buyer checks them.
fn edited_envelopes(demo: &Demo) {
    let (nov, nov_before) = &demo.envelopes[1];
    let (oct, oct_before) = &demo.envelopes[0];
    let c = demo.msa.currency;
    let bump = |s: &str| c.format_minor(c.parse_minor(s).expect("amounts parse") + 100);
    let mut raised = nov.clone();
    raised.invoice.lines[0].amount = bump(&raised.invoice.lines[0].amount);
    raised.invoice.subtotal = bump(&raised.invoice.subtotal);
    raised.invoice.total = bump(&raised.invoice.total);
    let mut replayed = nov.clone();
    replayed.proof = oct.proof.clone();
    let cases: [(&str, ProofEnvelope, &StateOpening); 3] = [
        (
            "a line raised by 1.00 after proving (subtotal and total re-balanced)",
            raised,
            nov_before,
        ),
        (
            "October's proof attached to November's invoice",
            replayed,
            nov_before,
        ),
        (
            "November's invoice presented as starting from state_0",
            nov.clone(),
            oct_before,
        ),
    ];
    for (what, env, before) in cases {
        let agreed = Agreed {
            msa: Some(demo.committed.commitment),
            usage: Some(Commitment(env.public_inputs.usage_commitment)),
            state_before: Some(before.commitment),
        };
        let verdict = match check(&demo.prepared, &Received::of_envelope(&env, &demo.msa), &agreed) {
            Ok(_) => DEFECT.to_string(),
            Err(r) => format!("REJECTED, {}", crate::error::rejected(None, r)),
        };
        println!("   - {what}: {verdict}");
    }
}
