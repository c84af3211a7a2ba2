//! A disputed period's bills (`docs/lifecycle.md`, "Partial and final invoices"): what part of
//! its period a bill says it bills ([`Stated`], its `zkPart` and `zkPartial`), and that part
//! checked against what the anchors record for the period ([`check_part`]).

use zkinvoice_circuits::{commit, model::invoice::InvoiceDoc, Commitment, Invoice, Layout, Salt};
use zkinvoice_mef141::{
    part::{FINAL, INTERIM, NORMAL},
    CustomerBill,
};

use crate::{Anchored, Opened, Received, Rejection};

/// What part of its period a bill says it bills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stated {
    /// The whole period (no `zkPart`).
    Whole,
    /// A disputed period's partial invoice (`interim`).
    Interim,
    /// The final invoice of a period invoiced in part (`final`), deducting this partial invoice
    /// (`zkPartial`).
    Final(Box<InvoiceDoc>),
}

impl Stated {
    /// The part, as [`CustomerBill::part`] says it: `normal`, `interim` or `final`.
    pub fn part(&self) -> &'static str {
        match self {
            Stated::Whole => NORMAL,
            Stated::Interim => INTERIM,
            Stated::Final(_) => FINAL,
        }
    }
}

fn refused(field: &str, reason: impl Into<String>) -> Rejection {
    Rejection::NotThePart {
        field: field.into(),
        reason: reason.into(),
    }
}

/// The part `bill` states, and `expected` (the bill the proven invoice gives) as a bill of that
/// part: `interim`, or `final` less the partial invoice of `zkPartial`. A final bill names a
/// partial invoice, no other does.
pub(crate) fn stated(
    bill: &CustomerBill,
    expected: CustomerBill,
) -> Result<(CustomerBill, Stated), Rejection> {
    match (bill.zk_part.as_deref(), &bill.zk_partial) {
        (None, None) => Ok((expected, Stated::Whole)),
        (Some(INTERIM), None) => Ok((expected.interim(), Stated::Interim)),
        (Some(FINAL), Some(partial)) => {
            let b = expected
                .finalised(partial.clone())
                .map_err(|e| refused("zkPartial", e.to_string()))?;
            Ok((b, Stated::Final(Box::new(partial.clone()))))
        }
        (Some(FINAL), None) => Err(refused(
            "zkPartial",
            "a final bill names the partial invoice it deducts",
        )),
        (None | Some(INTERIM), Some(_)) => Err(refused(
            "zkPartial",
            format!(
                "a partial invoice is deducted by a final bill only, not a {} one",
                bill.part()
            ),
        )),
        (Some(other), _) => Err(refused(
            "zkPart",
            format!(
                "is {other:?}: a disputed period's bill is interim or final (a whole period's has no zkPart)"
            ),
        )),
    }
}

/// Without anchors nothing says a period was invoiced in part: a bill that says so is refused.
pub(crate) fn unanchored(opened: &Opened) -> Result<(), Rejection> {
    match &opened.part {
        None | Some(Stated::Whole) => Ok(()),
        Some(s) => Err(refused(
            "zkPart",
            format!(
                "the bill is {}; only the anchor log can say its period was invoiced in part (check it against --anchors)",
                s.part()
            ),
        )),
    }
}

/// Whether the proven usage is the period's partial usage (then the invoice is its partial
/// invoice).
pub(crate) fn is_interim(view: &impl Anchored, r: &Received<'_>, period: (&str, &str)) -> bool {
    let p = r.public_inputs;
    view.partial_usage(&p.msa_commitment, period.0, period.1) == Some(p.usage_commitment)
}

/// The part the bill states is the one the anchors record: `interim` for the rating of the
/// period's partial usage; `final`, deducting the partial invoice anchored for the period
/// (`zkPartial` opens its commitment), for any other invoice of a period invoiced in part;
/// `normal` otherwise. An envelope states no part.
pub(crate) fn check_part(
    view: &impl Anchored,
    r: &Received<'_>,
    (part, layout): (&Option<Stated>, Layout),
    (period, interim): ((&str, &str), bool),
) -> Result<(), Rejection> {
    let Some(stated) = part else {
        return Ok(());
    };
    let msa = &r.public_inputs.msa_commitment;
    let partial = (!interim)
        .then(|| view.partial_invoice(msa, period.0, period.1))
        .flatten();
    let anchored = match (interim, partial) {
        (true, _) => INTERIM,
        (false, Some(_)) => FINAL,
        (false, None) => NORMAL,
    };
    if stated.part() != anchored {
        let says = match (interim, partial) {
            (true, _) => "the proven usage is the period's partial usage (usage-partial): its bill is interim".to_string(),
            (false, Some(p)) => format!(
                "the period was invoiced in part (invoice-partial {}): its bill is final and deducts it (zkPartial)",
                Commitment(p)
            ),
            (false, None) => "the period was not invoiced in part: its bill is normal".to_string(),
        };
        let is = match stated {
            Stated::Whole => "absent (a whole period's bill)".to_string(),
            s => format!("{:?}", s.part()),
        };
        return Err(refused("zkPart", format!("is {is}, but {says}")));
    }
    match (stated, partial) {
        (Stated::Final(doc), Some(anchored)) => opens(doc, anchored, layout),
        _ => Ok(()),
    }
}

/// `doc` opens the partial invoice commitment `anchored` (which binds its total).
fn opens(doc: &InvoiceDoc, anchored: zkinvoice_verifier::Fr, layout: Layout) -> Result<(), Rejection> {
    let bad = |reason: String| refused("zkPartial", reason);
    let invoice = Invoice::from_doc(doc).map_err(|e| bad(e.to_string()))?;
    let opening = doc
        .commitment
        .as_ref()
        .ok_or_else(|| bad("has no commitment opening (salt)".into()))?;
    let salt: Salt = opening
        .salt
        .parse()
        .map_err(|e| bad(format!("commitment.salt: {e}")))?;
    let c = commit::invoice_commitment(&invoice, layout, &salt).map_err(|e| bad(e.to_string()))?;
    if c.0 != anchored {
        return Err(bad(format!(
            "opens {c}, not the partial invoice {} anchored for the period",
            Commitment(anchored)
        )));
    }
    // The opening's own fields say the same.
    if opening.value != c.to_string() || opening.shape != layout.name() {
        return Err(bad(format!(
            "commitment names {} at shape {:?}; it opens {c} at shape {}",
            opening.value,
            opening.shape,
            layout.name()
        )));
    }
    Ok(())
}
