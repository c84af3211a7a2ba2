//! The check itself, step by step: the scheme and key, the invoice against its proven commitment,
//! the public inputs against what was agreed, the proof.

use zkinvoice_circuits::Invoice;
use zkinvoice_verifier::{PreparedInvoiceKeys, VerifyError, SCHEME};

use crate::{Agreed, Anchored, Commitments, Opened, Received, Rejection};

/// The invoice `r` states (opened), checked to be proved under this scheme, the statement of
/// `keys` (v1's invoice statement or v2's partitions) and `keys` themselves, and to open the
/// proven invoice commitment.
fn open(keys: &PreparedInvoiceKeys, r: &Received<'_>) -> Result<Opened, Rejection> {
    if r.scheme != SCHEME || r.statement != keys.statement() || r.proof.statement() != keys.statement() {
        return Err(Rejection::Scheme {
            form: r.form(),
            scheme: r.scheme.to_string(),
            statement: r.statement.to_string(),
        });
    }
    keys.check_hash(r.vk_hash).map_err(Rejection::Key)?;
    r.opened()
}

/// The proof(s) of `r` under `keys`: v1 one Groth16 proof; v2 the parts against the proven
/// commitments, then every partition's proof in one batch.
fn verify_proof(keys: &PreparedInvoiceKeys, r: &Received<'_>) -> Result<(), Rejection> {
    match keys.verify(r.proof, r.public_inputs, &mut rand::rngs::OsRng) {
        Ok(()) => Ok(()),
        Err(VerifyError::InvalidProof) => Err(Rejection::InvalidProof),
        Err(VerifyError::Partitioned(e)) => Err(Rejection::Partitions(*e)),
        Err(e @ VerifyError::KeyMismatch { .. }) => Err(Rejection::Key(e)),
        Err(e) => Err(Rejection::Malformed {
            field: "proof".into(),
            reason: e.to_string(),
        }),
    }
}

/// Everything [`check`] checks but the proof itself (for a batch, whose proofs are then verified
/// together).
pub fn check_before_proof(
    key: &PreparedInvoiceKeys,
    r: &Received<'_>,
    agreed: &Agreed,
) -> Result<Invoice, Rejection> {
    let opened = open(key, r)?;
    if let Some(reference) = opened.paid_by {
        return Err(Rejection::NotSettled {
            reason: format!(
                "the bill says payment {reference:?} is applied; only the anchor log can say so (check it against --anchors)"
            ),
        });
    }
    if let Some(c) = opened.credit {
        return Err(Rejection::NotCredited {
            reason: format!(
                "the bill applies credit note {:?}; only the anchor log can say it is anchored (check it against --anchors)",
                c.number
            ),
        });
    }
    if let Some(c) = opened.carried.first() {
        return Err(Rejection::NotCredited {
            reason: format!(
                "the bill applies credit note {:?}, carried to it; only the anchor log can say so (check it against --anchors)",
                c.number
            ),
        });
    }
    crate::part::unanchored(&opened)?;
    let p = r.public_inputs;
    agreed.check(p)?;
    Ok(opened.invoice)
}

/// Checks a received invoice against commitments the Buyer names itself (each optional) and
/// the verifying key `key`: the scheme and key, the invoice against its proven commitment, the
/// public inputs against `agreed`, then the proof. Returns the invoice.
pub fn check(key: &PreparedInvoiceKeys, r: &Received<'_>, agreed: &Agreed) -> Result<Invoice, Rejection> {
    let invoice = check_before_proof(key, r, agreed)?;
    verify_proof(key, r)?;
    Ok(invoice)
}

/// Checks a received invoice against what `view` (the Buyer's anchor log, or an anchor contract
/// read back) anchored: the proof must be under the MSA's anchored verifying key; the invoice
/// must open the proven invoice commitment; the proof must be against the anchored MSA
/// commitment, the usage agreed for the invoice's period and the MSA's latest state (or, for an
/// invoice already anchored, the anchored states); then the proof must verify. Returns the
/// invoice.
pub fn check_anchored(view: &impl Anchored, r: &Received<'_>) -> Result<Invoice, Rejection> {
    let p = r.public_inputs;
    let key = view
        .verifying_key(&p.msa_commitment)
        .ok_or(Rejection::MsaNotAnchored {
            msa: p.msa_commitment,
        })?;
    let opened = open(key, r)?;
    let invoice = opened.invoice.clone();
    let period = invoice.period.to_doc();
    let days = (period.start.as_str(), period.end.as_str());
    // The rating of a disputed period's partial usage is its partial invoice; any other invoice
    // rates the agreed usage.
    let interim = crate::part::is_interim(view, r, days);
    if !interim {
        let usage = view
            .agreed_usage(&p.msa_commitment, days.0, days.1)
            .ok_or_else(|| Rejection::NoUsage {
                start: period.start.clone(),
                end: period.end.clone(),
            })?;
        if usage != p.usage_commitment {
            return Err(Rejection::NotAgreed {
                what: Commitments::Usage,
                proven: p.usage_commitment,
                agreed: usage,
            });
        }
    }
    let proven = (p.state_before, p.state_after);
    match view.invoice_states(&p.invoice_commitment) {
        Some(anchored) if anchored != proven => {
            return Err(Rejection::NotTheAnchoredStates {
                form: r.form(),
                states: Box::new([proven, anchored]),
            })
        }
        Some(_) => {}
        None => {
            let latest = view.latest_state(&p.msa_commitment);
            if latest != Some(p.state_before) {
                return Err(Rejection::NotTheLatestState {
                    proven: p.state_before,
                    latest,
                });
            }
        }
    }
    verify_proof(key, r)?;
    crate::part::check_part(view, r, (&opened.part, opened.layout), (days, interim))?;
    credits(view, r, &invoice, &opened)?;
    if let Some(reference) = opened.paid_by {
        let received = view.payment_received(&p.invoice_commitment);
        if received.as_deref() != Some(reference.as_str()) {
            return Err(Rejection::NotSettled {
                reason: match received {
                    Some(anchored) => format!(
                        "payment {reference:?} is not the payment anchored as received ({anchored:?})"
                    ),
                    None => format!(
                        "the bill says payment {reference:?} is applied; its receipt is not anchored (no payment-received)"
                    ),
                },
            });
        }
    }
    Ok(invoice)
}

/// The credits a bill applies are the anchored ones: its own credit note, unless the note was
/// anchored after the invoice was paid (then it is carried forward, and a bill settled for the
/// whole total is right), and exactly the notes carried to it.
fn credits(
    view: &impl Anchored,
    r: &Received<'_>,
    invoice: &Invoice,
    opened: &Opened,
) -> Result<(), Rejection> {
    let p = r.public_inputs;
    let after_payment = view.credit_after_payment(&p.invoice_commitment);
    match &opened.credit {
        Some(c) if after_payment => {
            return Err(Rejection::NotCredited {
                reason: format!(
                    "credit note {:?} of invoice {} was anchored after the invoice was paid: it is carried forward, not applied to this bill",
                    c.number, invoice.number
                ),
            })
        }
        Some(c) => credited(view, r, (invoice, opened.layout), c)?,
        // Settled for the whole total while the log records a credit note (before the payment):
        // not what was paid.
        None if opened.paid_by.is_some()
            && !after_payment
            && view.credit_note(&p.invoice_commitment).is_some() =>
        {
            return Err(Rejection::NotCredited {
                reason: format!(
                    "the anchor log records a credit note of invoice {}; a settled bill applies it",
                    invoice.number
                ),
            })
        }
        None => {}
    }
    crate::carried::check(view, r, (invoice, opened.layout), &opened.carried)
}

/// A bill's credit note `c` is the one anchored for its invoice: the anchors record a credit
/// note of the invoice, `c` names its commitment and opens it (which binds its total, the
/// bill's `credits`, to the proven one).
fn credited(
    view: &impl Anchored,
    r: &Received<'_>,
    (invoice, layout): (&Invoice, zkinvoice_circuits::Layout),
    c: &zkinvoice_prover::credit::CreditOpening,
) -> Result<(), Rejection> {
    let p = r.public_inputs;
    let refuse = |reason: String| Rejection::NotCredited { reason };
    let anchored = view.credit_note(&p.invoice_commitment).ok_or_else(|| {
        refuse(format!(
            "the bill applies credit note {:?}; no credit-note is anchored for invoice {}",
            c.number, invoice.number
        ))
    })?;
    let shape = layout
        .single()
        .ok_or_else(|| refuse(format!("credit notes are of v1 shapes (S, M), not {layout}")))?;
    c.open((anchored, p.invoice_commitment), r.msa, shape)
        .map_err(|e| refuse(e.to_string()))?;
    Ok(())
}
