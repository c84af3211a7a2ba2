//! `invoice`: a proved envelope as an MEF 141 (Sonata Billing) `CustomerBill`, the proof as
//! `zkProof`; with its credit note applied when the Seller's anchor log records one (and the
//! notes it carries to the invoice), settled when
//! it records its payment received, interim or final when it records the period invoiced in part.
//! On an anchor contract (a JSON-RPC `--anchors` with `--contract`) the same from what the
//! contract records.

use zkinvoice_anchors::Part;
use zkinvoice_circuits::{Layout, Msa};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::{credit::CreditOpening, ProofEnvelope};

use crate::{
    actions::{bill, open_envelope},
    args::InvoiceArgs,
    error::{anchor_err, CliError},
    io::{read_json, Outputs},
    load,
    resolve::{AnchorSource, ChainAt},
};

/// `invoice`.
pub fn run(a: InvoiceArgs) -> Result<(), CliError> {
    let env: ProofEnvelope = read_json(&a.envelope)?;
    let msa = load::msa(&a.msa)?;
    let (invoice, salt, after) = open_envelope(&a.envelope, &env, &msa)?;
    let mut bill = bill(&env, &invoice, &salt, &msa, &after.state)
        .map_err(|e| CliError::Mismatch(format!("{} and {}: {e}", a.envelope.display(), a.msa.display())))?;
    let source = match &a.anchors {
        Some(anchors) => Some(AnchorSource::resolve(
            anchors,
            a.contract.as_deref(),
            0,
            "--contract",
            false,
        )?),
        None => None,
    };
    let received = match source {
        None => None,
        Some(AnchorSource::Log(path)) => {
            let view = load::log(&path)?.view().map_err(anchor_err)?;
            // A note recorded after the invoice's payment is carried to a later invoice.
            let note = (view.credit_of(&env.public_inputs.invoice_commitment))
                .filter(|n| !n.after_payment)
                .map(|n| (n.commitment, format!(" (entry {})", n.seq)));
            bill = credited(&a, &env, &msa, ("anchor log", note), bill)?;
            let notes = view.carried_to(&env.public_inputs.invoice_commitment);
            let notes = notes
                .into_iter()
                .map(|(note, c)| (note, c.from, format!(" (entry {})", c.seq)));
            bill = carried(&a, &env, &msa, ("anchor log", notes.collect()), bill)?;
            let anchored = view
                .invoice_part(&env.public_inputs.invoice_commitment)
                .map(|p| match p {
                    Part::Final { seq, .. } => (p, format!(" (entry {seq})")),
                    _ => (p, String::new()),
                });
            bill = part(&a, ("anchor log", anchored), bill)?;
            view.receipt_of(&env.public_inputs.invoice_commitment)
                .map(|s| s.reference.clone())
        }
        Some(AnchorSource::Chain(at)) => {
            let facts = chain_facts(&a, &at, &env)?;
            // A note recorded after the invoice's payment is carried to a later invoice.
            let note = (facts.credits.credit)
                .filter(|_| !facts.credits.after_payment)
                .map(|c| (c, String::new()));
            bill = credited(&a, &env, &msa, ("anchor contract", note), bill)?;
            let notes = facts.credits.carried.iter();
            let notes = notes.map(|&(note, from)| (note, from, String::new()));
            bill = carried(&a, &env, &msa, ("anchor contract", notes.collect()), bill)?;
            let anchored = facts.part.map(|p| (p, String::new()));
            bill = part(&a, ("anchor contract", anchored), bill)?;
            facts.received
        }
    };
    let mut settled = String::new();
    if let Some(reference) = received {
        bill = bill.settled(&reference);
        settled = format!(", settled by payment {reference:?}");
    }
    let mut out = Outputs::new(a.force);
    out.json(&a.out, &bill);
    out.commit()?;
    println!(
        "invoice {}: {} bill items, total {} {}{settled}, written to {}",
        invoice.number,
        bill.customer_bill_item.len(),
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        a.out.display()
    );
    Ok(())
}

/// `bill` as the anchors (`place`: the anchor log or contract) record its part of the period
/// (`anchored`: the part and where, e.g. the log's entry): `interim` for a partial invoice; for the
/// final invoice of a period invoiced in part, `final` less the partial invoice (its envelope
/// `--partial-invoice`, which must be the one anchored). Refuses an envelope the anchors record
/// no partial invoice for, and a final invoice without it.
fn part(
    a: &InvoiceArgs,
    (place, anchored): (&str, Option<(Part, String)>),
    bill: CustomerBill,
) -> Result<CustomerBill, CliError> {
    match (anchored, &a.partial_invoice) {
        (Some((Part::Partial, _)), None) => Ok(bill.interim()),
        (Some((Part::Final { partial, .. }, at)), Some(path)) => {
            let earlier: ProofEnvelope = read_json(path)?;
            if earlier.public_inputs.invoice_commitment != partial {
                return Err(CliError::Mismatch(format!(
                    "{}: not the partial invoice the {place} records for the period{at}",
                    path.display()
                )));
            }
            bill.finalised(earlier.invoice)
                .map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))
        }
        (Some((Part::Final { .. }, at)), None) => Err(CliError::Usage(format!(
            "the period was invoiced in part{at}: give the partial invoice's envelope with --partial-invoice"
        ))),
        (_, Some(path)) => Err(CliError::Mismatch(format!(
            "{}: the {place} records no partial invoice that this invoice is the final one of",
            path.display()
        ))),
        _ => Ok(bill),
    }
}

/// What the anchor contract records of an invoice once it accepted it.
struct ChainBill {
    /// The reference of its payment received (the period's, or its partial invoice's).
    received: Option<String>,
    /// Its period's credit notes (none unless the anchor accepted it).
    credits: zkinvoice_evm::chain::CreditFacts,
    /// Its part of a period invoiced in part.
    part: Option<Part>,
}

/// What the anchor contract `at` records of the invoice, once it accepted it: as the period's
/// invoice (`InvoiceSubmitted`; final when the period has a partial invoice) or as its partial
/// invoice (`PartialInvoiceSubmitted`).
fn chain_facts(a: &InvoiceArgs, at: &ChainAt, env: &ProofEnvelope) -> Result<ChainBill, CliError> {
    let p = &env.invoice.period;
    let id = zkinvoice_check::chain::period_id(&p.start, &p.end)
        .map_err(|e| CliError::Mismatch(format!("{}: {e}", a.envelope.display())))?;
    let facts = at
        .read_only()?
        .invoice_facts(Some(id), &env.public_inputs.invoice_commitment, 0)
        .map_err(at.err())?;
    if facts.partial.submitted.is_some() {
        return Ok(ChainBill {
            received: facts.partial.received,
            credits: Default::default(),
            part: Some(Part::Partial),
        });
    }
    let accepted = facts.submitted.is_some();
    Ok(ChainBill {
        received: facts.received.filter(|_| accepted),
        credits: if accepted {
            facts.credits
        } else {
            Default::default()
        },
        part: facts
            .partial
            .partial
            .invoice
            .filter(|_| accepted)
            .map(|partial| Part::Final { partial, seq: 0 }),
    })
}

/// `bill` with the invoice's credit note applied when the anchors (`place`: the anchor log or
/// contract) record one (`anchored`: its commitment and where, e.g. the log's entry): its opening
/// (`--credit`) must open the anchored commitment. Refuses an opening the anchors do not record,
/// and a credited invoice without its opening.
fn credited(
    a: &InvoiceArgs,
    env: &ProofEnvelope,
    msa: &Msa,
    (place, anchored): (&str, Option<(zkinvoice_verifier::Fr, String)>),
    bill: CustomerBill,
) -> Result<CustomerBill, CliError> {
    let invoice = env.public_inputs.invoice_commitment;
    let (note, path) = match (anchored, &a.credit) {
        (None, None) => return Ok(bill),
        (Some((n, _)), Some(path)) => (n, path),
        (Some((_, at)), None) => {
            return Err(CliError::Usage(format!(
                "the {place} records a credit note of this invoice{at}: give its opening with --credit"
            )))
        }
        (None, Some(path)) => {
            return Err(CliError::Mismatch(format!(
                "{}: the {place} records no credit note of this invoice",
                path.display()
            )))
        }
    };
    let opening: CreditOpening = read_json(path)?;
    let shape = env
        .shape
        .parse::<Layout>()
        .ok()
        .and_then(|l| l.single())
        .ok_or_else(|| CliError::Mismatch(format!("{}: credit notes are of v1 shapes", path.display())))?;
    let refused = |e: &dyn std::fmt::Display| CliError::Mismatch(format!("{}: {e}", path.display()));
    opening
        .open((note, invoice), msa, shape)
        .map_err(|e| refused(&e))?;
    bill.credited(opening).map_err(|e| refused(&e))
}

/// `bill` with the credit notes the anchors (`place`: the anchor log or contract) carry to the
/// invoice (`carried`: each note, the invoice it credits and where, e.g. the log's
/// `credit-carried` entry), in the order they were carried: each given with `--carried` (its
/// opening), which must open the anchored note for the invoice it credits. Refuses a note carried without its opening and an
/// opening of a note not carried to the invoice.
fn carried(
    a: &InvoiceArgs,
    env: &ProofEnvelope,
    msa: &Msa,
    (place, carried): (
        &str,
        Vec<(zkinvoice_verifier::Fr, zkinvoice_verifier::Fr, String)>,
    ),
    bill: CustomerBill,
) -> Result<CustomerBill, CliError> {
    let mut given = Vec::new();
    for path in &a.carried {
        given.push((path, read_json::<CreditOpening>(path)?));
    }
    let shape = env.shape.parse::<Layout>().ok().and_then(|l| l.single());
    let mut notes = Vec::new();
    for (note, from, at) in carried {
        let hex = zkinvoice_verifier::fr_to_hex(&note);
        let Some(i) = given.iter().position(|(_, o)| o.credit_commitment == hex) else {
            return Err(CliError::Usage(format!(
                "the {place} carries credit note {hex} to this invoice{at}: give its opening with --carried"
            )));
        };
        let (path, opening) = given.swap_remove(i);
        let refused = |e: &dyn std::fmt::Display| CliError::Mismatch(format!("{}: {e}", path.display()));
        let shape = shape.ok_or_else(|| refused(&"credit notes are of v1 shapes"))?;
        opening.open((note, from), msa, shape).map_err(|e| refused(&e))?;
        notes.push(opening);
    }
    if let Some((path, _)) = given.first() {
        return Err(CliError::Mismatch(format!(
            "{}: the {place} carries no such credit note to this invoice",
            path.display()
        )));
    }
    if notes.is_empty() {
        return Ok(bill);
    }
    bill.carried(notes)
        .map_err(|e| CliError::Mismatch(format!("{}: {e}", a.envelope.display())))
}
