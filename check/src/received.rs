//! What a Buyer receives with an invoice ([`Received`]): a proof envelope or an MEF 141 bill,
//! reduced to what the check needs: the proof, what identifies its scheme, statement, shape and
//! key, and the invoice it states with the salt that opens its commitment.

use std::fmt;

use zkinvoice_circuits::{
    commit::{self, StateOpening},
    model::invoice::InvoiceDoc,
    Commitment, Invoice, Layout, Msa, Salt,
};
use zkinvoice_mef141::{CustomerBill, SETTLED};
use zkinvoice_prover::{credit::CreditOpening, ProofEnvelope};
use zkinvoice_verifier::{InvoiceProofs, InvoicePublicInputs};

use crate::{Rejection, Stated};

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
    Bill(&'a CustomerBill),
}

/// A received invoice: its proof, the document that states it, and the MSA the Buyer holds (which
/// every field of the document that the proof does not bind is checked against).
pub struct Received<'a> {
    /// The proof scheme named.
    pub scheme: &'a str,
    /// The statement proved.
    pub statement: &'a str,
    /// The shape name.
    pub shape: &'a str,
    /// The hash of the verifying key(s), hex.
    pub vk_hash: &'a str,
    /// The proof (v1) or the partitions' proofs (v2).
    pub proof: &'a InvoiceProofs,
    /// Its public inputs.
    pub public_inputs: &'a InvoicePublicInputs,
    /// The MSA the Buyer holds.
    pub msa: &'a Msa,
    source: Source<'a>,
}

/// What a received document states, every field checked: the invoice (opening the proven
/// invoice commitment), the salt of that commitment, and the state after (opening the proven
/// `state_after`).
pub struct Opened {
    /// The invoice.
    pub invoice: Invoice,
    /// The salt of its commitment.
    pub salt: Salt,
    /// The state after the period, opened.
    pub after: StateOpening,
    /// For a bill that says its payment is applied, the payment's reference (checked against
    /// the anchors by [`crate::check_anchored`]).
    pub paid_by: Option<String>,
    /// For a bill that applies a credit note, its opening (checked against the anchors by
    /// [`crate::check_anchored`]).
    pub credit: Option<CreditOpening>,
    /// For a bill that applies credit notes carried to it, their openings (checked against the
    /// anchors by [`crate::check_anchored`]).
    pub carried: Vec<CreditOpening>,
    /// The proof's shape, as read.
    pub layout: Layout,
    /// For a bill, the part of its period it says it bills (checked against the anchors by
    /// [`crate::check_anchored`]); an envelope says none.
    pub part: Option<Stated>,
}

impl<'a> Received<'a> {
    /// An envelope, read against the MSA the Buyer holds.
    pub fn of_envelope(env: &'a ProofEnvelope, msa: &'a Msa) -> Self {
        Self {
            scheme: &env.scheme,
            statement: &env.statement,
            shape: &env.shape,
            vk_hash: &env.vk_hash,
            proof: &env.proof,
            public_inputs: &env.public_inputs,
            msa,
            source: Source::Envelope(env),
        }
    }

    /// A bill, read against the MSA the Buyer holds. `zkProof` names no statement: it is the
    /// one its proof is of (one proof: v1's invoice statement; partitions: v2's).
    pub fn of_bill(bill: &'a CustomerBill, msa: &'a Msa) -> Self {
        let zk = &bill.zk_proof;
        Self {
            scheme: &zk.scheme,
            statement: zk.proof.statement(),
            shape: &zk.shape,
            vk_hash: &zk.vk_hash,
            proof: &zk.proof,
            public_inputs: &zk.public_inputs,
            msa,
            source: Source::Bill(bill),
        }
    }

    /// The form it arrived in.
    pub fn form(&self) -> Form {
        match self.source {
            Source::Envelope(_) => Form::Envelope,
            Source::Bill(..) => Form::Bill,
        }
    }

    /// The document, every field checked (the proof aside): the invoice it states opens the
    /// proven invoice commitment (so it is the invoice the proof is about); its state after opens
    /// the proven `state_after`; an envelope's commitment opening names the proven commitment and
    /// shape; a bill is exactly the bill the invoice, the state after and the MSA give (its
    /// lifecycle `state` aside, [`zkinvoice_mef141::LIFECYCLE`]).
    pub fn opened(&self) -> Result<Opened, Rejection> {
        let shape: Layout = self.shape.parse().map_err(|e| Rejection::Malformed {
            field: self.form().shape_field().into(),
            reason: format!("{e}"),
        })?;
        self.check_layout(shape)?;
        let (invoice, salt) = self.invoice()?;
        let opened =
            commit::invoice_commitment(&invoice, shape, &salt).map_err(|e| Rejection::Malformed {
                field: "invoice commitment".into(),
                reason: format!("{e}"),
            })?;
        if opened.0 != self.public_inputs.invoice_commitment {
            return Err(Rejection::NotTheInvoice { form: self.form() });
        }
        let after = self.state_after()?;
        let mut paid_by = None;
        let mut credit = None;
        let mut carried = Vec::new();
        let mut part = None;
        match self.source {
            Source::Envelope(env) => check_opening(&env.invoice, &env.public_inputs, shape)?,
            Source::Bill(bill) => {
                let mut expected =
                    CustomerBill::from_proved(&invoice, self.msa, &after.state, bill.zk_proof.clone())
                        .map_err(|e| Rejection::NotTheBill {
                            field: "customerBillItem".into(),
                            reason: e.to_string(),
                        })?;
                // Credited: the note's total is credited, the rest is due.
                if let Some(c) = &bill.zk_credit {
                    expected = expected.credited(c.clone()).map_err(|e| Rejection::NotTheBill {
                        field: "zkCredit".into(),
                        reason: e.to_string(),
                    })?;
                    credit = Some(c.clone());
                }
                // Notes carried to it: their totals credited too.
                if !bill.zk_carried.is_empty() {
                    expected =
                        expected
                            .carried(bill.zk_carried.clone())
                            .map_err(|e| Rejection::NotTheBill {
                                field: "zkCarried".into(),
                                reason: e.to_string(),
                            })?;
                    carried.clone_from(&bill.zk_carried);
                }
                // Interim, or final: less the partial invoice.
                let (with_part, stated) = crate::part::stated(bill, expected)?;
                expected = with_part;
                part = Some(stated);
                // Paid: what is due is applied, nothing remains, and the state says so.
                if let Some(reference) = bill.paid_by() {
                    expected = expected.settled(reference);
                    paid_by = Some(reference.to_string());
                }
                if (bill.state == SETTLED) != paid_by.is_some() {
                    return Err(Rejection::NotTheBill {
                        field: "state".into(),
                        reason: format!(
                            "is {:?}: a bill is settled exactly when its payment is applied (appliedPayment)",
                            bill.state
                        ),
                    });
                }
                if let Some(field) = bill.first_difference(&expected) {
                    return Err(Rejection::NotTheBill {
                        field,
                        reason: "is not what the proven invoice, the state after and the MSA give".into(),
                    });
                }
            }
        }
        Ok(Opened {
            invoice,
            salt,
            after,
            paid_by,
            credit,
            carried,
            layout: shape,
            part,
        })
    }

    /// The shape is of the proof's kind (a partition shape for partitions, a single shape for one
    /// proof), and partitions have its sizes. (The sizes are bound by the MSA commitment's top
    /// too; checked here so that partitions of another shape are named as such rather than as a
    /// commitment that does not open.)
    fn check_layout(&self, shape: Layout) -> Result<(), Rejection> {
        let field = self.form().shape_field();
        match (shape, self.proof.partitioned()) {
            (Layout::Partitioned(ps), Some(p)) if p.public.sizes != ps.sizes() => Err(Rejection::Mismatch {
                field: "proof".into(),
                reason: format!(
                    "partitions of sizes {:?} are not partition shape {}'s",
                    p.public.sizes, ps.name
                ),
            }),
            (Layout::Partitioned(ps), None) => Err(Rejection::Mismatch {
                field: field.into(),
                reason: format!(
                    "partition shape {} names a partitioned invoice, the proof is one proof",
                    ps.name
                ),
            }),
            (Layout::Single(s), Some(_)) => Err(Rejection::Mismatch {
                field: field.into(),
                reason: format!("shape {} names one proof, the proof is partitioned", s.name),
            }),
            _ => Ok(()),
        }
    }

    /// The state after, checked to open the proven `state_after` (and to be the held MSA's).
    fn state_after(&self) -> Result<StateOpening, Rejection> {
        let (doc, field) = match self.source {
            Source::Envelope(env) => (&env.state_after, "stateAfter"),
            Source::Bill(bill) => (&bill.zk_proof.state_after, "zkProof.stateAfter"),
        };
        let refused = |reason: String| Rejection::StateAfter { field, reason };
        let after = StateOpening::from_doc(self.msa, doc).map_err(|e| refused(e.to_string()))?;
        let p = self.public_inputs;
        if after.commitment.0 != p.state_after {
            return Err(refused(format!(
                "opens {}, not the proven state after {}",
                after.commitment,
                Commitment(p.state_after)
            )));
        }
        if after.msa_commitment.0 != p.msa_commitment {
            return Err(refused("is for another MSA commitment than the proof's".into()));
        }
        Ok(after)
    }

    /// The invoice it states and the salt of its commitment (not checked against the proof).
    pub fn invoice(&self) -> Result<(Invoice, Salt), Rejection> {
        let doc: &InvoiceDoc = match self.source {
            Source::Envelope(env) => &env.invoice,
            Source::Bill(bill) => {
                return bill.to_invoice(self.msa).map_err(|error| Rejection::Unreadable {
                    form: Form::Bill,
                    error,
                })
            }
        };
        let invoice = Invoice::from_doc(doc).map_err(|error| Rejection::Unreadable {
            form: Form::Envelope,
            error,
        })?;
        let malformed = |reason: String| Rejection::Malformed {
            field: "envelope invoice".into(),
            reason,
        };
        let opening = doc
            .commitment
            .as_ref()
            .ok_or_else(|| malformed("no commitment opening (salt)".into()))?;
        let salt: Salt = opening.salt.parse().map_err(|e| malformed(format!("{e}")))?;
        Ok((invoice, salt))
    }
}

/// An envelope's commitment opening (`invoice.commitment`) names the proven commitment and the
/// envelope's shape.
fn check_opening(invoice: &InvoiceDoc, public: &InvoicePublicInputs, shape: Layout) -> Result<(), Rejection> {
    let Some(opening) = &invoice.commitment else {
        return Ok(()); // refused before: no salt
    };
    let refused = |field: &str, reason: String| Rejection::Mismatch {
        field: format!("invoice.commitment.{field}"),
        reason,
    };
    if opening.shape != shape.name() {
        return Err(refused(
            "shape",
            format!("{:?} is not the envelope's shape {}", opening.shape, shape.name()),
        ));
    }
    let value: Commitment = opening
        .value
        .parse()
        .map_err(|e| refused("value", format!("{e}")))?;
    if value.0 != public.invoice_commitment {
        return Err(refused(
            "value",
            format!("{value} is not the proven invoice commitment"),
        ));
    }
    Ok(())
}
