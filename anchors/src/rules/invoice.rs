//! The `invoice-proved` rule: an invoice is anchored once, for the usage agreed for its period,
//! from the MSA's latest state to a new state, with a proof that verifies under the MSA's key.

use zkinvoice_verifier::{Fr, InvoiceProofs, InvoicePublicInputs};

use super::fields::{check_text, DatedPeriod};
use crate::error::Rule;
use crate::view::{MsaView, UsageView, View};

/// A proof whose check was deferred (for batch verification in an audit).
#[derive(Clone, Debug)]
pub(crate) struct Deferred {
    /// The MSA, whose key the proof is checked under.
    pub msa: Fr,
    /// The proof (v1) or the partitions' proofs (v2).
    pub proof: InvoiceProofs,
    /// Its public inputs.
    pub inputs: InvoicePublicInputs,
}

/// Admits an `invoice-proved` entry; see [`check_chain`] for the order of the checks. With
/// `verify_proof` false the decoded proof is returned, unchecked, for the caller to check.
pub(super) fn invoice_proved(
    view: &mut View,
    seq: u64,
    number: &str,
    period: DatedPeriod<'_>,
    inputs: &InvoicePublicInputs,
    proof: &str,
    verify_proof: bool,
) -> Result<Option<Deferred>, Rule> {
    let m = new_invoice(view, number, period, inputs)?;
    check_chain(m, period, inputs)?;
    let deferred = proof_check(m, proof, inputs, verify_proof)?;
    let states = (inputs.state_before, inputs.state_after);
    let (msa, invoice) = (inputs.msa_commitment, inputs.invoice_commitment);
    view.prove_invoice(seq, &msa, &period.key(), invoice, states);
    Ok(deferred)
}

/// The MSA of a new invoice: its number is text, its period two dates, the invoice not anchored
/// yet and its MSA anchored.
pub(super) fn new_invoice<'v>(
    view: &'v View,
    number: &str,
    period: DatedPeriod<'_>,
    inputs: &InvoicePublicInputs,
) -> Result<&'v MsaView, Rule> {
    check_text("invoiceNumber", number)?;
    period.check()?;
    let invoice = inputs.invoice_commitment;
    if let Some(i) = view.invoice(&invoice) {
        return Err(Rule::InvoiceAlreadyAnchored {
            invoice,
            seq: i.status.proved(),
        });
    }
    let msa = inputs.msa_commitment;
    view.msa(&msa).ok_or(Rule::MsaNotAnchored { msa })
}

/// Decodes an invoice's proof and, with `verify_proof`, verifies it under the MSA's key; without,
/// returns it for the caller to check.
pub(super) fn proof_check(
    m: &MsaView,
    proof: &str,
    inputs: &InvoicePublicInputs,
    verify_proof: bool,
) -> Result<Option<Deferred>, Rule> {
    let proof = InvoiceProofs::from_base64(proof).map_err(Rule::MalformedProof)?;
    if !verify_proof {
        return Ok(Some(Deferred {
            msa: inputs.msa_commitment,
            proof,
            inputs: *inputs,
        }));
    }
    // The random linear combination of a partitioned batch needs fresh randomness; it decides
    // nothing but the (negligible) chance of accepting a bad batch.
    m.key
        .verify(&proof, inputs, &mut rand::rngs::OsRng)
        .map_err(|_| Rule::ProofDoesNotVerify {
            key_hash: m.key.hash_hex(),
            invoice: inputs.invoice_commitment,
        })?;
    Ok(None)
}

/// The invoice's place in its MSA, in this order: the period's usage is agreed and is the
/// invoice's, `state_before` is the MSA's latest state (named as a replay when an earlier invoice
/// started from it), the period is not invoiced yet, and `state_after` is a new state.
fn check_chain(m: &MsaView, period: DatedPeriod<'_>, inputs: &InvoicePublicInputs) -> Result<(), Rule> {
    let usage = agreed_usage(m, period, inputs)?;
    from_latest(m, inputs)?;
    if let Some(seq) = usage.invoiced_by {
        return Err(Rule::AlreadyInvoiced {
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq,
        });
    }
    if m.states.contains(&inputs.state_after) {
        return Err(Rule::StateAfterAnchored {
            state: inputs.state_after,
        });
    }
    Ok(())
}

/// `state_before` is the MSA's latest state (named as a replay when an earlier invoice started
/// from it).
pub(super) fn from_latest(m: &MsaView, inputs: &InvoicePublicInputs) -> Result<(), Rule> {
    let given = inputs.state_before;
    if given == m.latest {
        return Ok(());
    }
    Err(match m.used.get(&given) {
        Some(&by) => Rule::StateAlreadyUsed {
            given,
            by,
            latest: m.latest,
        },
        None => Rule::StaleState {
            expected: m.latest,
            given,
        },
    })
}

/// The usage agreed for the period, if it is the invoice's usage commitment.
fn agreed_usage<'m>(
    m: &'m MsaView,
    period: DatedPeriod<'_>,
    inputs: &InvoicePublicInputs,
) -> Result<&'m UsageView, Rule> {
    let usage = m.usage.get(&period.key()).ok_or_else(|| Rule::UsageNotAgreed {
        msa: inputs.msa_commitment,
        period_start: period.start.into(),
        period_end: period.end.into(),
    })?;
    if usage.commitment != inputs.usage_commitment {
        return Err(Rule::WrongUsage {
            given: inputs.usage_commitment,
            agreed: usage.commitment,
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq: usage.seq,
        });
    }
    Ok(usage)
}
