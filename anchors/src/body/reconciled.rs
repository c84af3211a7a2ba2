//! The bodies of the reconciliation of partitioned invoices: its key set agreed, and a
//! reconciliation or a dispute carrying every public value and proof.

use zkinvoice_verifier::{
    partition::reconcile::{PartitionedReconcileProof, ReconcileKeySet, STATEMENT},
    Fr,
};

use super::Body;
use crate::{role::Role, setup::KeySetup};

impl Body {
    /// A `statement-key-agreed` body of the reconciliation of partitioned invoices: `vk` the base64
    /// of the key set's encoding ([`ReconcileKeySet::to_bytes`]), `vkHash` its hash.
    pub fn reconcile_keys_agreed(msa_commitment: Fr, keys: &ReconcileKeySet, key_setup: KeySetup) -> Self {
        use base64::Engine as _;
        Body::StatementKeyAgreed {
            msa_commitment,
            statement: STATEMENT.into(),
            vk: base64::engine::general_purpose::STANDARD.encode(keys.to_bytes()),
            vk_hash: keys.hash_hex(),
            key_setup,
        }
    }

    /// The body by `by` of a reconciliation of partitioned invoices of the period
    /// `period_start..period_end`: `usage-reconciled` when its verdict is within every threshold,
    /// `dispute-opened` naming the verdict's digest
    /// ([`zkinvoice_verifier::partition::reconcile::PartitionedReconcilePublic::over_digest`])
    /// otherwise; `proof` the base64 of every public value and proof.
    pub fn partitioned_reconciliation(
        proof: &PartitionedReconcileProof,
        period_start: impl Into<String>,
        period_end: impl Into<String>,
        by: Role,
    ) -> Self {
        let p = &proof.public;
        // The MSA the parts open (the rule checks it is the anchored one).
        let msa = zkinvoice_verifier::partition::msa_top(p.sizes, p.msa.head, &p.msa.parts);
        let over = (!p.within()).then(|| p.over_digest());
        let period = (period_start.into(), period_end.into());
        Self::reconciled(msa, period, by, over, proof.to_base64())
    }
}
