//! `reconcile`: the Seller's invoice and the one rated from the Buyer's own measurement of the
//! same period, compared against the MSA's dispute thresholds (`docs/lifecycle.md`), as a table on
//! a terminal or JSON. The verdict is the one the reconciliation statement proves.

use std::{io::IsTerminal, path::Path};

use serde::Serialize;
use serde_json::Value;
use zkinvoice_circuits::{
    commit,
    model::{
        invoice::{CommitmentDoc, InvoiceDoc},
        period::PeriodDoc,
    },
    native::reconcile::{reconcile, Reconciliation},
    Currency, Error, Invoice, Layout, Msa, Salt,
};
use zkinvoice_prover::reconcile::{
    partitioned::{PartitionedReconcileEnvelope, PartitionedReconcileKeys},
    ReconcileEnvelope, ReconcileKeys,
};

use crate::{
    args::{Format, ReconcileArgs},
    error::CliError,
    io::{read_json, Outputs},
    load,
};

/// One product's comparison.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductRow {
    product: String,
    seller: String,
    buyer: String,
    difference: String,
    over: bool,
}

/// What `reconcile` prints as JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    within: bool,
    products_over: Vec<String>,
    usage_over: bool,
    recurring_over: bool,
    total_over: bool,
    products: Vec<ProductRow>,
}

/// The invoice of `rate`'s output or of a proof envelope (both hold it under `invoice`), with
/// the opening of its commitment if the document has one.
pub(crate) fn invoice(path: &Path) -> Result<(Invoice, Option<CommitmentDoc>), CliError> {
    let v: Value = read_json(path)?;
    let doc = v.get("invoice").cloned().ok_or_else(|| {
        CliError::input(
            path,
            Error::invalid(
                "invoice",
                "is missing (expected `rate`'s output or a proof envelope)",
            ),
        )
    })?;
    let doc: InvoiceDoc =
        serde_json::from_value(doc).map_err(|e| CliError::input(path, Error::from_json(&e)))?;
    let invoice = Invoice::from_doc(&doc).map_err(|e| CliError::input(path, e))?;
    Ok((invoice, doc.commitment))
}

/// The salt of an invoice's commitment, checked to open it at `shape` (a v1 shape, or a partition
/// shape's layout).
pub(crate) fn opening(
    path: &Path,
    invoice: &Invoice,
    doc: Option<&CommitmentDoc>,
    shape: impl Into<Layout>,
) -> Result<Salt, CliError> {
    let shape = shape.into();
    let doc = doc.ok_or_else(|| {
        CliError::input(
            path,
            Error::invalid(
                "invoice.commitment",
                "is missing: the proof opens the invoice's commitment (`rate` writes it)",
            ),
        )
    })?;
    if doc.shape != shape.name() {
        return Err(CliError::input(
            path,
            Error::invalid(
                "invoice.commitment.shape",
                format!("is {}, the MSA is committed at {}", doc.shape, shape.name()),
            ),
        ));
    }
    let salt: Salt = doc.salt.parse().map_err(|e| CliError::input(path, e))?;
    let value = commit::invoice_commitment(invoice, shape, &salt).map_err(|e| CliError::input(path, e))?;
    if value.to_string() != doc.value {
        return Err(CliError::input(
            path,
            Error::invalid(
                "invoice.commitment.value",
                "does not open to this invoice with its salt (an edited file)",
            ),
        ));
    }
    Ok(salt)
}

/// `--prove`: proves the verdict and writes the reconciliation envelope.
fn prove(a: &ReconcileArgs, out: &Path, msa: &Msa, s: &Rated, b: &Rated) -> Result<(), CliError> {
    let Some(msa_commit) = &a.msa_commit else {
        return Err(CliError::Usage("--prove needs --msa-commit".into()));
    };
    let (layout, _, msa_salt) = load::msa_commit(msa_commit, msa)?;
    let seller_salt = opening(&a.seller, &s.0, s.1.as_ref(), layout)?;
    let buyer_salt = opening(&a.buyer, &b.0, b.1.as_ref(), layout)?;
    let period = PeriodDoc {
        start: s.0.period.start.to_string(),
        end: s.0.period.end.to_string(),
    };
    let (seller, buyer) = ((&s.0, &seller_salt), (&b.0, &buyer_salt));
    let rng = &mut rand::rngs::OsRng;
    let mut o = Outputs::new(a.force);
    let (within, proofs) = match layout {
        Layout::Single(shape) => {
            let keys = ReconcileKeys::load(&a.params, shape)?;
            let proved = keys.prove(msa, &msa_salt, seller, buyer, rng)?;
            let envelope = ReconcileEnvelope::new(&proved, period, &keys);
            o.json(out, &envelope);
            (envelope.within(), 1)
        }
        // A partitioned bilateral: a proof per block of products and the link's.
        Layout::Partitioned(shape) => {
            let keys = PartitionedReconcileKeys::load(&a.params, shape)?;
            let proved = keys.prove(msa, &msa_salt, seller, buyer, rng)?;
            let envelope = PartitionedReconcileEnvelope::new(&proved, period, &keys);
            o.json(out, &envelope);
            (envelope.within(), envelope.proofs.blocks.len() + 1)
        }
    };
    o.commit()?;
    eprintln!(
        "{}: the reconciliation proved ({}), {proofs} proof(s) of {} bytes",
        out.display(),
        if within { "within" } else { "over" },
        zkinvoice_verifier::PROOF_BYTES
    );
    Ok(())
}

/// An invoice and the opening of its commitment.
type Rated = (Invoice, Option<CommitmentDoc>);

/// The verdict `v` of `s` against `b` as `reconcile` prints it on a terminal.
pub fn verdict_table(msa: &Msa, s: &Invoice, b: &Invoice, v: &Reconciliation) -> Result<String, Error> {
    Ok(table(&report(msa, s, b, v)?, s, b, msa.currency))
}

fn report(msa: &Msa, s: &Invoice, b: &Invoice, v: &Reconciliation) -> Result<Report, Error> {
    let c = msa.currency;
    let (ss, bs) = (s.slots()?, b.slots()?);
    let products = ss
        .iter()
        .zip(&bs)
        .zip(&v.products)
        .map(|((x, y), &over)| {
            let (a, b) = (
                x.usage_amount.saturating_add(x.recurring_amount),
                y.usage_amount.saturating_add(y.recurring_amount),
            );
            ProductRow {
                product: x.product.clone(),
                seller: c.format_minor(a),
                buyer: c.format_minor(b),
                difference: c.format_minor(a.abs_diff(b)),
                over,
            }
        })
        .collect();
    Ok(Report {
        within: v.within(),
        products_over: v.products_over(msa).into_iter().map(String::from).collect(),
        usage_over: v.usage,
        recurring_over: v.recurring,
        total_over: v.invoice,
        products,
    })
}

fn table(r: &Report, s: &Invoice, b: &Invoice, c: Currency) -> String {
    let currency = c.code();
    let mut out = format!(
        "{:<24} {:>16} {:>16} {:>16}  verdict\n",
        "product",
        format!("seller ({currency})"),
        format!("buyer ({currency})"),
        "difference"
    );
    for p in &r.products {
        let verdict = if p.over { "OVER" } else { "within" };
        out += &format!(
            "{:<24} {:>16} {:>16} {:>16}  {verdict}\n",
            p.product, p.seller, p.buyer, p.difference
        );
    }
    out += &format!(
        "usage charges: {}; recurring charges: {}; total {} / {}: {}\n",
        if r.usage_over { "OVER" } else { "within" },
        if r.recurring_over { "OVER" } else { "within" },
        c.format_minor(s.total),
        c.format_minor(b.total),
        if r.total_over { "OVER" } else { "within" },
    );
    out
}

/// `reconcile`.
pub fn run(a: ReconcileArgs) -> Result<(), CliError> {
    let msa = load::msa(&a.msa)?;
    let (sr, br) = (invoice(&a.seller)?, invoice(&a.buyer)?);
    let (s, b) = (&sr.0, &br.0);
    let v = reconcile(&msa, s, b).map_err(|e| match &e {
        Error::Invalid { field, .. } if field.starts_with("buyer") => CliError::input(&a.buyer, e),
        Error::Invalid { field, .. } if field.starts_with("seller") => CliError::input(&a.seller, e),
        _ => CliError::input(&a.msa, e),
    })?;
    let r = report(&msa, s, b, &v).map_err(|e| CliError::input(&a.seller, e))?;
    if let Some(out) = &a.prove {
        prove(&a, out, &msa, &sr, &br)?;
    }
    let as_table = a.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    }) == Format::Table;
    if as_table {
        print!("{}", table(&r, s, b, msa.currency));
    } else {
        println!("{}", serde_json::to_string_pretty(&r).expect("reports serialise"));
    }
    if r.within {
        return Ok(());
    }
    let mut what: Vec<String> = r.products_over.clone();
    for (over, kind) in [
        (r.usage_over, "usage charges"),
        (r.recurring_over, "recurring charges"),
        (r.total_over, "the total"),
    ] {
        if over {
            what.push(kind.into());
        }
    }
    Err(CliError::OverThresholds(what.join(", ")))
}
