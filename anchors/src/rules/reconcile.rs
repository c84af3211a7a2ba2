//! The reconciliation's rules (`docs/lifecycle.md`): the MSA's reconciliation key is agreed once
//! (`statement-key-agreed`); each party measures a period once (`usage-measured`), before its
//! usage is agreed, from the MSA's latest state, with the invoice statement's proof that its
//! invoice is the rating of its measurement; the two measurements are reconciled once, within
//! every threshold (`usage-reconciled`) or over some (`dispute-opened`), with a proof that
//! verifies under the key, both measurements rated from one state; an open dispute is resolved
//! once (`dispute-resolved`, on a usage); a measured period's usage is agreed only after it is
//! reconciled, or on the usage its dispute was resolved on ([`agreement`], called by the
//! `usage-agreed` rule).

use zkinvoice_verifier::{verify, Fr, InvoiceProof, InvoicePublicInputs, ReconcilePublicInputs};

use super::fields::DatedPeriod;
use crate::body::Body;
use crate::error::{ReconcileRule, Rule};
use crate::role::Role;
use crate::view::{Measurement, MsaView, Outcome, ReconcileKey, View};

/// Admits an entry of the reconciliation's kinds (the others are admitted by their own rules,
/// which [`super::admit`] calls first).
pub(super) fn admit(view: &mut View, seq: u64, body: &Body) -> Result<(), Rule> {
    match body {
        Body::StatementKeyAgreed {
            msa_commitment,
            statement,
            vk,
            vk_hash,
            key_setup,
        } => {
            let key = super::statement_key::StatementKey {
                statement,
                vk,
                vk_hash,
                key_setup,
            };
            super::statement_key::statement_key_agreed(view, seq, msa_commitment, &key)
        }
        Body::UsageMeasured {
            msa_commitment,
            period_start,
            period_end,
            by,
            usage_commitment,
            invoice_commitment,
            state_before,
            state_after,
            proof,
        } => {
            let period = DatedPeriod::new(period_start, period_end);
            let inputs = InvoicePublicInputs {
                msa_commitment: *msa_commitment,
                usage_commitment: *usage_commitment,
                state_before: *state_before,
                state_after: *state_after,
                invoice_commitment: *invoice_commitment,
            };
            usage_measured(view, seq, period, *by, &inputs, proof)
        }
        Body::UsageReconciled {
            msa_commitment,
            period_start,
            period_end,
            by: _,
            proof,
        } => {
            let period = DatedPeriod::new(period_start, period_end);
            reconciled(view, seq, msa_commitment, period, None, proof)
        }
        Body::DisputeOpened {
            msa_commitment,
            period_start,
            period_end,
            by: _,
            over,
            proof,
        } => {
            let period = DatedPeriod::new(period_start, period_end);
            reconciled(view, seq, msa_commitment, period, Some(over), proof)
        }
        Body::DisputeResolved {
            msa_commitment,
            period_start,
            period_end,
            usage_commitment,
            resolution,
        } => {
            let period = DatedPeriod::new(period_start, period_end);
            dispute_resolved(view, seq, msa_commitment, period, usage_commitment, resolution)
        }
        // The other kinds are admitted by their own rules.
        _ => Ok(()),
    }
}

/// The MSA and its reconciliation key, if it is anchored and agreed one.
fn reconciling<'v>(view: &'v View, msa: &Fr) -> Result<(&'v MsaView, &'v ReconcileKey), Rule> {
    let m = view.msa(msa).ok_or(Rule::MsaNotAnchored { msa: *msa })?;
    match &m.reconcile_key {
        Some((_, key)) => Ok((m, key)),
        None => Err(Rule::Reconcile(ReconcileRule::NoReconcileKey { msa: *msa })),
    }
}

/// Admits a `usage-measured` entry: a valid period of an MSA with a reconciliation key, whose
/// usage is not agreed yet and which `by` has not measured yet, rated from the MSA's latest state,
/// with the invoice statement's proof that the invoice is the rating of the measurement under the
/// MSA's key.
pub(super) fn usage_measured(
    view: &mut View,
    seq: u64,
    period: DatedPeriod<'_>,
    by: Role,
    inputs: &InvoicePublicInputs,
    proof: &str,
) -> Result<(), Rule> {
    period.check()?;
    let msa = &inputs.msa_commitment;
    let (m, _) = reconciling(view, msa)?;
    if let Some(u) = m.usage.get(&period.key()) {
        return Err(Rule::UsageAlreadyAgreed {
            msa: *msa,
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq: u.seq,
        });
    }
    if let Some(earlier) = m.reconciliations.get(&period.key()).and_then(|r| r.by(by)) {
        return Err(Rule::Reconcile(ReconcileRule::AlreadyMeasured {
            by,
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq: earlier.seq,
        }));
    }
    if inputs.state_before != m.latest {
        return Err(Rule::Reconcile(ReconcileRule::MeasuredFromAnotherState {
            given: inputs.state_before,
            latest: m.latest,
        }));
    }
    // Verified now, as `invoice-proved`'s outside an audit.
    super::invoice::proof_check(m, proof, inputs, true)?;
    let measurement = Measurement {
        seq,
        invoice: inputs.invoice_commitment,
        state_before: inputs.state_before,
    };
    view.measure(msa, period.key(), by, measurement);
    Ok(())
}

/// Admits a `usage-reconciled` entry (`over` `None`) or a `dispute-opened` one (`over` not
/// zero): a valid period both parties measured, not reconciled yet, and a proof that verifies
/// under the MSA's reconciliation key for the MSA, the Seller's and the Buyer's measured
/// invoices and `over` (zero for a reconciliation).
pub(super) fn reconciled(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    period: DatedPeriod<'_>,
    over: Option<&Fr>,
    proof: &str,
) -> Result<(), Rule> {
    period.check()?;
    let zero = Fr::from(0u64);
    if over == Some(&zero) {
        return Err(Rule::Reconcile(ReconcileRule::EmptyDispute));
    }
    let (m, key) = reconciling(view, msa)?;
    let r = m.reconciliations.get(&period.key());
    let measured = |by: Role| {
        r.and_then(|r| r.by(by)).ok_or_else(|| {
            Rule::Reconcile(ReconcileRule::NotMeasured {
                by,
                period_start: period.start.into(),
                period_end: period.end.into(),
            })
        })
    };
    let (seller, buyer) = (measured(Role::Seller)?, measured(Role::Buyer)?);
    if let Some(outcome) = r.and_then(|r| r.outcome) {
        return Err(already(period, outcome));
    }
    if seller.state_before != buyer.state_before {
        return Err(Rule::Reconcile(ReconcileRule::MeasuredFromDifferentStates {
            seller: seller.state_before,
            buyer: buyer.state_before,
        }));
    }
    let key = match key {
        ReconcileKey::V1(key) => key,
        // Partitioned invoices: the proof carries every public value.
        ReconcileKey::V2(keys) => {
            let measured = [seller.invoice, buyer.invoice];
            super::reconcile_v2::verify(keys, msa, period, over, proof, measured)?;
            let outcome = match over {
                None => Outcome::Reconciled { seq },
                Some(_) => Outcome::Disputed { seq },
            };
            view.reconcile(msa, &period.key(), outcome);
            return Ok(());
        }
    };
    let proof = InvoiceProof::from_base64(proof).map_err(Rule::MalformedProof)?;
    let [period_start, period_end] = period.days()?;
    let inputs = ReconcilePublicInputs {
        msa_commitment: *msa,
        seller_invoice: seller.invoice,
        buyer_invoice: buyer.invoice,
        over: over.copied().unwrap_or(zero),
        period_start,
        period_end,
    };
    verify(key, &proof, &inputs).map_err(|_| {
        Rule::Reconcile(ReconcileRule::ReconcileProofDoesNotVerify {
            key_hash: key.hash_hex(),
            over: inputs.over,
        })
    })?;
    let outcome = match over {
        None => Outcome::Reconciled { seq },
        Some(_) => Outcome::Disputed { seq },
    };
    view.reconcile(msa, &period.key(), outcome);
    Ok(())
}

/// Admits a `dispute-resolved` entry: a valid period whose dispute is open, and a resolution.
pub(super) fn dispute_resolved(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    period: DatedPeriod<'_>,
    usage: &Fr,
    resolution: &str,
) -> Result<(), Rule> {
    period.check()?;
    if resolution.trim().is_empty() {
        return Err(Rule::Reconcile(ReconcileRule::NoResolution));
    }
    let m = view.msa(msa).ok_or(Rule::MsaNotAnchored { msa: *msa })?;
    match m.reconciliations.get(&period.key()).and_then(|r| r.outcome) {
        Some(Outcome::Disputed { .. }) => {}
        Some(resolved @ Outcome::Resolved { .. }) => return Err(already(period, resolved)),
        _ => {
            return Err(Rule::Reconcile(ReconcileRule::NoOpenDispute {
                period_start: period.start.into(),
                period_end: period.end.into(),
            }))
        }
    }
    view.reconcile(msa, &period.key(), Outcome::Resolved { seq, usage: *usage });
    Ok(())
}

/// Whether the usage `usage` may be agreed for `period`: a period nobody measured, or one that
/// is reconciled (the MSA's rule says which usage is agreed; both parties sign it), or one whose
/// dispute was resolved on `usage`.
pub(super) fn agreement(m: &MsaView, period: DatedPeriod<'_>, usage: &Fr) -> Result<(), Rule> {
    let Some(r) = m.reconciliations.get(&period.key()) else {
        return Ok(());
    };
    match r.outcome {
        None => Err(Rule::Reconcile(ReconcileRule::NotReconciled {
            period_start: period.start.into(),
            period_end: period.end.into(),
        })),
        Some(Outcome::Disputed { seq }) => Err(Rule::Reconcile(ReconcileRule::DisputeOpen {
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq,
        })),
        Some(Outcome::Resolved { seq, usage: resolved }) if resolved != *usage => {
            Err(Rule::Reconcile(ReconcileRule::NotTheResolvedUsage {
                given: *usage,
                resolved,
                seq,
            }))
        }
        Some(_) => Ok(()),
    }
}

fn already(period: DatedPeriod<'_>, outcome: Outcome) -> Rule {
    let (what, seq) = match outcome {
        Outcome::Reconciled { seq } => ("reconciled", seq),
        Outcome::Disputed { seq } => ("disputed", seq),
        Outcome::Resolved { seq, .. } => ("resolved", seq),
    };
    Rule::Reconcile(ReconcileRule::AlreadyReconciled {
        period_start: period.start.into(),
        period_end: period.end.into(),
        what,
        seq,
    })
}
