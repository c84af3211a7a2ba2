//! An MSA's reconciliation key, of either protocol.

use zkinvoice_verifier::{partition::reconcile::PreparedReconcileKeys, PreparedKeyOf, ReconcileStatement};

/// An MSA's reconciliation key: of `zkinvoice/reconcile/v1`, or of the reconciliation of
/// partitioned invoices (`zkinvoice/reconcile/v2`, its block and link keys).
pub enum ReconcileKey {
    /// The v1 statement's key.
    V1(Box<PreparedKeyOf<ReconcileStatement>>),
    /// The two keys of the partitioned statements.
    V2(Box<PreparedReconcileKeys>),
}
