//! Keys and proofs of the credit-note statement (`zkinvoice/credit/v1`, issue 16 step 4,
//! `docs/lifecycle.md` "SLA credits"): the SLA credits of an invoice under the MSA's service
//! levels and the period's agreed SLA performance.
//!
//! Keys ([`CreditKeys`]) as [`crate::lifecycle`] makes, writes and loads them: `credit-X.pk`,
//! `credit-X.vk` and `credit-X.json` per v1 shape `X` (the MSA, the invoice and the SLA
//! performance committed at `X`).

use chrono::NaiveDate;
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{
    commit::{
        sla::{credit_commitment, CreditBody},
        Commitment, Salt,
    },
    model::{performance::Sla, period::PeriodDoc},
    native::credit::CreditNote,
    statement::credit::{CreditAssignment, CreditCircuit, CreditSalts, STATEMENT},
    Invoice, Msa, Shape,
};
use zkinvoice_verifier::{
    CreditPublicInputs, CreditStatement, Fr, InvoiceProof, PreparedKeyOf, VerifyingKeyOf,
};

use crate::{
    lifecycle::{check_envelope, Lifecycle, StatementKeys},
    ProverError,
};

/// The credit-note statement.
pub struct Credit;

impl Lifecycle for Credit {
    type Statement = CreditStatement;
    type Circuit = CreditCircuit;
    const NAME: &'static str = "credit";
    fn blank(shape: Shape) -> CreditCircuit {
        CreditCircuit::blank(shape)
    }
}

/// The credit-note statement's keys of one v1 shape.
pub type CreditKeys = StatementKeys<Credit>;

/// The credit-note statement's verifying key.
pub type CreditVerifyingKey = VerifyingKeyOf<CreditStatement>;

/// What a credit note is proven from: the MSA, the invoice and the SLA performance, each with
/// the salt of its commitment at the keys' shape.
#[derive(Clone, Copy)]
pub struct CreditInputs<'a> {
    /// The MSA and its commitment's salt.
    pub msa: (&'a Msa, &'a Salt),
    /// The credited invoice and its commitment's salt.
    pub invoice: (&'a Invoice, &'a Salt),
    /// The period's agreed SLA performance and its commitment's salt.
    pub sla: (&'a Sla, &'a Salt),
}

/// A proven credit note: its public inputs, the note, the salt of its commitment and the proof.
pub struct ProvedCredit {
    /// The public inputs.
    pub public: CreditPublicInputs,
    /// The note.
    pub note: CreditNote,
    /// The salt of `credit_commitment`.
    pub credit_salt: Salt,
    /// The proof.
    pub proof: InvoiceProof,
}

impl CreditKeys {
    /// Computes the credit note numbered `number`, dated `issue_date`, and proves it, the note
    /// committed under a fresh salt. Refuses what the native credit refuses
    /// (`zkinvoice_circuits::Error`, as [`ProverError::Model`]).
    pub fn prove(
        &self,
        inputs: CreditInputs<'_>,
        (number, issue_date): (&str, NaiveDate),
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<ProvedCredit, ProverError> {
        let credit_salt = Salt::random(rng);
        let salts = CreditSalts {
            msa: inputs.msa.1,
            sla: inputs.sla.1,
            invoice: inputs.invoice.1,
            credit: &credit_salt,
        };
        let (assignment, public, note) = CreditAssignment::new(
            inputs.msa.0,
            self.shape,
            inputs.invoice.0,
            inputs.sla.0,
            (number, issue_date),
            salts,
        )?;
        let proof = self.prover.prove(CreditCircuit { public, assignment }, rng)?;
        Ok(ProvedCredit {
            public,
            note,
            credit_salt,
            proof: proof.into(),
        })
    }
}

/// A proven credit note as a file (`zkinvoice credit --prove`): what `credit-note` anchors (the
/// period, the public inputs and the proof). It names no amount.
///
/// JSON: `{scheme, statement, shape, vkHash, period: {start, end}, publicInputs: {msaCommitment,
/// invoiceCommitment, slaCommitment, creditCommitment, periodStart, periodEnd}, proof}`; unknown
/// fields are refused. Every field is checked by [`CreditEnvelope::verify`] against the key and
/// the public inputs, or by the log against its entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreditEnvelope {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// `zkinvoice/credit/v1`.
    pub statement: String,
    /// The v1 shape of the commitments: it names the key files (`credit-X`); the key itself is
    /// bound by `vkHash`.
    pub shape: String,
    /// The verifying key's hash, hex.
    pub vk_hash: String,
    /// The credited period.
    pub period: PeriodDoc,
    /// The six public inputs.
    pub public_inputs: CreditPublicInputs,
    /// The proof, base64 of its 192 compressed bytes.
    pub proof: InvoiceProof,
}

impl CreditEnvelope {
    /// The envelope of `proved` under `keys`.
    pub fn new(proved: &ProvedCredit, keys: &CreditKeys) -> Self {
        Self {
            scheme: zkinvoice_verifier::SCHEME.into(),
            statement: STATEMENT.into(),
            shape: keys.shape.name.into(),
            vk_hash: keys.verifying_key().hash_hex(),
            period: proved.note.period.to_doc(),
            public_inputs: proved.public,
            proof: proved.proof.clone(),
        }
    }

    /// Checks the scheme, statement and key hash against `key` and the period against the public
    /// inputs, then the proof against the public inputs ([`ProverError::Refused`] naming the
    /// field).
    pub fn verify(&self, key: &PreparedKeyOf<CreditStatement>) -> Result<(), ProverError> {
        check_envelope(
            [(&self.scheme, &self.statement), (&self.vk_hash, &key.hash_hex())],
            STATEMENT,
            &self.period,
            [self.public_inputs.period_start, self.public_inputs.period_end],
        )?;
        zkinvoice_verifier::verify(key, &self.proof, &self.public_inputs).map_err(|e| ProverError::Refused {
            field: "proof".into(),
            reason: e.to_string(),
        })
    }
}

/// One product's credit in a [`CreditOpening`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreditOpeningLine {
    /// The product's id.
    pub product: String,
    /// The credit, a decimal of the currency's major unit.
    pub credit: String,
}

/// The opening of a credit note's `creditCommitment`, which the Seller gives the Buyer with the
/// envelope: the note's number, date, credits, subtotal, tax, total and the salt. Secret to the
/// two parties: it stays out of the log.
///
/// JSON: `{creditCommitment, number, issueDate, currency, lines: [{product, credit}], subtotal,
/// tax, total, salt}`, amounts decimals of the currency's major unit, one line per product with a
/// service level in slot order. [`CreditOpening::open`] checks every field against the
/// commitment.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreditOpening {
    /// The commitment it opens, `0x` and 64 hex digits.
    pub credit_commitment: String,
    /// The note's number.
    pub number: String,
    /// The note's date, `YYYY-MM-DD`.
    pub issue_date: String,
    /// The currency's ISO 4217 code (the MSA's).
    pub currency: String,
    /// The credits of the products with a service level, in slot order.
    pub lines: Vec<CreditOpeningLine>,
    /// Sum of the credits.
    pub subtotal: String,
    /// Tax on it.
    pub tax: String,
    /// Subtotal plus tax: what the credit takes off the invoice.
    pub total: String,
    /// The commitment's salt, 62 hex digits.
    pub salt: String,
}

impl std::fmt::Debug for CreditOpening {
    /// Every field but the salt.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreditOpening")
            .field("credit_commitment", &self.credit_commitment)
            .field("number", &self.number)
            .field("issue_date", &self.issue_date)
            .field("currency", &self.currency)
            .field("lines", &self.lines)
            .field("subtotal", &self.subtotal)
            .field("tax", &self.tax)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl CreditOpening {
    /// The opening of `proved`'s credit commitment.
    pub fn of(proved: &ProvedCredit) -> Self {
        let n = &proved.note;
        let c = n.currency;
        Self {
            credit_commitment: zkinvoice_verifier::fr_to_hex(&proved.public.credit_commitment),
            number: n.number.clone(),
            issue_date: n.issue_date.to_string(),
            currency: c.code().into(),
            lines: n
                .lines
                .iter()
                .map(|l| CreditOpeningLine {
                    product: l.product.clone(),
                    credit: c.format_minor(l.amount),
                })
                .collect(),
            subtotal: c.format_minor(n.subtotal),
            tax: c.format_minor(n.tax),
            total: c.format_minor(n.total),
            salt: proved.credit_salt.to_hex(),
        }
    }

    /// The note's total in minor units, when this opening opens `credit_commitment`, the credit
    /// note of the invoice committed as `invoice_commitment` under `msa` at `shape` (its
    /// `creditCommitment` that one, and every field with the salt recomputing it); otherwise
    /// [`ProverError::Refused`] naming the field.
    pub fn open(
        &self,
        (commitment, invoice_commitment): (Fr, Fr),
        msa: &Msa,
        shape: Shape,
    ) -> Result<u64, ProverError> {
        let refuse = |field: &str, reason: String| ProverError::Refused {
            field: field.into(),
            reason,
        };
        if self.currency != msa.currency.code() {
            return Err(refuse(
                "currency",
                format!("is not the MSA's, {}", msa.currency.code()),
            ));
        }
        let money = |field: &str, v: &str| msa.currency.parse_minor(v).map_err(|r| refuse(field, r));
        let issue_date = NaiveDate::parse_from_str(&self.issue_date, "%Y-%m-%d")
            .map_err(|e| refuse("issueDate", e.to_string()))?;
        let salt: Salt = self
            .salt
            .parse()
            .map_err(|e: zkinvoice_circuits::Error| refuse("salt", e.to_string()))?;
        // One line per product with a service level, in slot order: the opening is canonical.
        let levels = msa
            .terms
            .service_levels
            .as_ref()
            .map_or(&[][..], |l| &l.products[..]);
        let expected: Vec<&str> = msa
            .products
            .iter()
            .zip(levels)
            .filter(|(_, l)| l.is_some())
            .map(|(p, _)| p.id.as_str())
            .collect();
        let named: Vec<&str> = self.lines.iter().map(|l| l.product.as_str()).collect();
        if named != expected {
            return Err(refuse(
                "lines",
                format!(
                    "name {named:?}: one line per product with a service level, in slot order, {expected:?}"
                ),
            ));
        }
        if msa.products.len() > shape.products {
            return Err(refuse(
                "lines",
                format!(
                    "the MSA's {} products do not fit the shape's {} product slots",
                    msa.products.len(),
                    shape.products
                ),
            ));
        }
        // The lines name the products with a level in slot order, as checked: line `i` is the
        // `i`-th of those slots.
        let slots = (msa.products.iter().zip(levels).enumerate())
            .filter(|(_, (_, l))| l.is_some())
            .map(|(s, _)| s);
        let mut slot_credits = vec![0; shape.products];
        for ((i, l), slot) in self.lines.iter().enumerate().zip(slots) {
            slot_credits[slot] = money(&format!("lines[{i}].credit"), &l.credit)?;
        }
        let body = CreditBody {
            number: self.number.clone(),
            issue_date,
            slot_credits,
            subtotal: money("subtotal", &self.subtotal)?,
            tax: money("tax", &self.tax)?,
            total: money("total", &self.total)?,
        };
        if zkinvoice_verifier::fr_to_hex(&commitment) != self.credit_commitment {
            return Err(refuse(
                "creditCommitment",
                "is not the credit note's commitment".into(),
            ));
        }
        if credit_commitment(&body, Commitment(invoice_commitment), &salt).0 != commitment {
            return Err(refuse(
                "total",
                "the number, date, credits and totals with this salt do not open the credit commitment"
                    .into(),
            ));
        }
        Ok(body.total)
    }
}
