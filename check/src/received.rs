//! What a Buyer receives with an invoice ([`Received`]): a proof envelope or an MEF 141 bill,
//! reduced to what the check needs: the proof, what identifies its scheme, statement, shape and
//! key, and the invoice it states with the salt that opens its commitment.

use std::fmt;

use zkinvoice_circuits::{commit, statement::STATEMENT, Invoice, Msa, Salt, Shape};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_verifier::{InvoiceProof, InvoicePublicInputs};

use crate::Rejection;

/// The form an invoice arrives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A proof envelope (`zkinvoice prove`).
    Envelope,
    /// An MEF 141 `CustomerBill` with `zkProof` (`zkinvoice invoice`, the services).
    Bill,
}

impl Form {
    /// The document that states the invoice: the envelope's `invoice`, or the bill itself.
    pub fn document(self) -> &'static str {
        match self {
            Self::Envelope => "invoice",
            Self::Bill => "bill",
        }
    }

    /// Where the shape is named.
    pub fn shape_field(self) -> &'static str {
        match self {
            Self::Envelope => "envelope",
            Self::Bill => "zkProof.shape",
        }
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Envelope => "envelope",
            Self::Bill => "bill",
        })
    }
}

enum Source<'a> {
    Envelope(&'a ProofEnvelope),
    Bill(&'a CustomerBill, Option<&'a Msa>),
}

/// A received invoice: its proof and the document that states it.
pub struct Received<'a> {
    /// The proof scheme named.
    pub scheme: &'a str,
    /// The statement proved.
    pub statement: &'a str,
    /// The shape name.
    pub shape: &'a str,
    /// SHA-256 of the verifying key, hex.
    pub vk_hash: &'a str,
    /// The proof.
    pub proof: &'a InvoiceProof,
    /// Its public inputs.
    pub public_inputs: &'a InvoicePublicInputs,
    source: Source<'a>,
}

impl<'a> Received<'a> {
    /// An envelope.
    pub fn of_envelope(env: &'a ProofEnvelope) -> Self {
        Self {
            scheme: &env.scheme,
            statement: &env.statement,
            shape: &env.shape,
            vk_hash: &env.vk_hash,
            proof: &env.proof,
            public_inputs: &env.public_inputs,
            source: Source::Envelope(env),
        }
    }

    /// A bill; with `msa`, its descriptive fields are checked against the MSA when it is read
    /// ([`CustomerBill::to_invoice`]). A bill's proof is always of this statement (`zkProof` does
    /// not name one).
    pub fn of_bill(bill: &'a CustomerBill, msa: Option<&'a Msa>) -> Self {
        let zk = &bill.zk_proof;
        Self {
            scheme: &zk.scheme,
            statement: STATEMENT,
            shape: &zk.shape,
            vk_hash: &zk.vk_hash,
            proof: &zk.proof,
            public_inputs: &zk.public_inputs,
            source: Source::Bill(bill, msa),
        }
    }

    /// The form it arrived in.
    pub fn form(&self) -> Form {
        match self.source {
            Source::Envelope(_) => Form::Envelope,
            Source::Bill(..) => Form::Bill,
        }
    }

    /// The invoice it states and the salt of its commitment, checked to open the proven invoice
    /// commitment (at the shape it names): the invoice the proof is about.
    pub fn opened(&self) -> Result<(Invoice, Salt), Rejection> {
        let shape: Shape = self.shape.parse().map_err(|e| Rejection::Malformed {
            field: self.form().shape_field().into(),
            reason: format!("{e}"),
        })?;
        let (invoice, salt) = self.invoice()?;
        let opened =
            commit::invoice_commitment(&invoice, shape, &salt).map_err(|e| Rejection::Malformed {
                field: "invoice commitment".into(),
                reason: format!("{e}"),
            })?;
        if opened.0 != self.public_inputs.invoice_commitment {
            return Err(Rejection::NotTheInvoice { form: self.form() });
        }
        Ok((invoice, salt))
    }

    /// The invoice it states and the salt of its commitment (not checked against the proof).
    pub fn invoice(&self) -> Result<(Invoice, Salt), Rejection> {
        match self.source {
            Source::Envelope(env) => {
                let invoice = Invoice::from_doc(&env.invoice).map_err(|error| Rejection::Unreadable {
                    form: Form::Envelope,
                    error,
                })?;
                let malformed = |reason: String| Rejection::Malformed {
                    field: "envelope invoice".into(),
                    reason,
                };
                let opening = env
                    .invoice
                    .commitment
                    .as_ref()
                    .ok_or_else(|| malformed("no commitment opening (salt)".into()))?;
                let salt: Salt = opening.salt.parse().map_err(|e| malformed(format!("{e}")))?;
                Ok((invoice, salt))
            }
            Source::Bill(bill, msa) => bill.to_invoice(msa).map_err(|error| Rejection::Unreadable {
                form: Form::Bill,
                error,
            }),
        }
    }
}
