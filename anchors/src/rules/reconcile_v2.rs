//! The reconciliation of partitioned invoices on the log (`docs/lifecycle.md`): a
//! `usage-reconciled` or `dispute-opened` entry whose `proof` is every public value and proof
//! (`PartitionedReconcileProof`), checked against the entry's period and verdict, the anchored
//! MSA and the period's two measured invoices, then verified.

use zkinvoice_verifier::{
    partition::reconcile::{PartitionedReconcileProof, PreparedReconcileKeys, ReconcileTops},
    Fr,
};

use super::fields::DatedPeriod;
use crate::error::{ReconcileRule, Rule};

/// Checks a `usage-reconciled` (`over` `None`) or `dispute-opened` entry's proof of partitioned
/// invoices: it decodes; it is of the entry's period; its verdict is within every threshold for
/// a reconciliation, and over some with `over` its digest for a dispute; its parts open the MSA
/// and the two measured invoices (`measured`: the Seller's, the Buyer's); every proof verifies
/// under `keys`.
pub(super) fn verify(
    keys: &PreparedReconcileKeys,
    msa: &Fr,
    period: DatedPeriod<'_>,
    over: Option<&Fr>,
    proof: &str,
    measured: [Fr; 2],
) -> Result<(), Rule> {
    let p = PartitionedReconcileProof::from_base64(proof).map_err(Rule::MalformedProof)?;
    let public = &p.public;
    let [start, end] = period.days()?;
    if [Fr::from(public.period_start), Fr::from(public.period_end)] != [start, end] {
        return Err(Rule::Reconcile(ReconcileRule::ProofOfAnotherPeriod {
            period_start: period.start.into(),
            period_end: period.end.into(),
        }));
    }
    match over {
        None if !public.within() => return Err(Rule::Reconcile(ReconcileRule::ProvenOver)),
        Some(_) if public.within() => return Err(Rule::Reconcile(ReconcileRule::ProvenWithin)),
        Some(o) if *o != public.over_digest() => {
            return Err(Rule::Reconcile(ReconcileRule::OverNotTheVerdict {
                over: *o,
                verdict: public.over_digest(),
            }))
        }
        _ => {}
    }
    let anchored = ReconcileTops {
        msa: *msa,
        seller: measured[0],
        buyer: measured[1],
    };
    public.verify_proofs(&p.proofs, keys, &anchored).map_err(|error| {
        Rule::Reconcile(ReconcileRule::PartitionedProofDoesNotVerify {
            key_hash: keys.hash_hex(),
            error,
        })
    })
}
