//! The reconciliation's entries sent to the anchor contract: the reconciliation key's
//! `statement-key-agreed` as `registerReconcileVerifier` (with `--statement-verifier`),
//! `usage-measured` as `recordMeasurement` (by the party that measured), `usage-reconciled` and
//! `dispute-opened` as `recordReconciliation`, and `dispute-resolved` as `resolveDispute` (each
//! party sends it).

use zkinvoice_anchors::{Body, Role};
use zkinvoice_evm::chain::{ChainAnchor, ChainReconciliation};
use zkinvoice_verifier::{Fr, InvoiceProof};

use super::credit::VerifierKind;
use super::{period_id, short, Sender};
use crate::error::CliError;

/// The reconciliation key's verifier (`registerReconcileVerifier`).
pub(super) const RECONCILE_VERIFIER: VerifierKind = VerifierKind {
    key: "reconciliation key",
    name: "reconciliation verifier",
    call: "registerReconcileVerifier",
    registered: ChainAnchor::reconcile_verifier,
    register: ChainAnchor::register_reconcile_verifier,
};

impl Sender<'_> {
    /// The anchor's address of `role`.
    fn address_of(&self, role: Role) -> zkinvoice_evm::Address {
        match role {
            Role::Seller => self.state.seller,
            Role::Buyer => self.state.buyer,
        }
    }

    /// `recordMeasurement` of a `usage-measured` entry, by the party that measured (`--key`
    /// must be its). A measurement the anchor already records is reported, not sent again.
    pub(super) fn record_measurement(&self, body: &Body) -> Result<(), CliError> {
        let Body::UsageMeasured {
            msa_commitment,
            period_start,
            period_end,
            by,
            invoice_commitment,
            proof,
            ..
        } = body
        else {
            unreachable!("called for usage-measured bodies")
        };
        let err = self.at.err();
        let file = self.file.display();
        self.same_msa("measurement", msa_commitment)?;
        let party = self.address_of(*by);
        if self.anchor.party() != party {
            return Err(CliError::Usage(format!(
                "{file}: the {by}'s measurement is sent by the {by} ({party}); --key is {}'s",
                self.anchor.party()
            )));
        }
        let id = period_id(period_start, period_end)?;
        let period = format!("{period_start}..{period_end}");
        if self.anchor.measurement(id, party).map_err(&err)? == Some(*invoice_commitment) {
            println!(
                "{}: the {by}'s measurement of {period} is already recorded",
                self.place()
            );
            return Ok(());
        }
        let (inputs, proof) = self.invoice_proof(body, proof)?;
        let i = self
            .anchor
            .record_measurement(id, &proof, &inputs)
            .map_err(&err)?;
        println!(
            "{}; the {by}'s measurement of {period} recorded (invoice {}): the proof verified on chain",
            self.sent("recordMeasurement", i),
            short(invoice_commitment)
        );
        Ok(())
    }

    /// `recordReconciliation` of a `usage-reconciled` or `dispute-opened` entry, its public
    /// inputs completed with the two measurements the anchor records for the period, as the
    /// log's rule completes them with the measured ones. An outcome the anchor already records
    /// is reported, not sent again.
    pub(super) fn record_reconciliation(&self, body: &Body) -> Result<(), CliError> {
        let (Body::UsageReconciled {
            msa_commitment,
            period_start,
            period_end,
            proof,
            ..
        }
        | Body::DisputeOpened {
            msa_commitment,
            period_start,
            period_end,
            proof,
            ..
        }) = body
        else {
            unreachable!("called for usage-reconciled and dispute-opened bodies")
        };
        let err = self.at.err();
        let file = self.file.display();
        if zkinvoice_verifier::partition::reconcile::PartitionedReconcileProof::from_base64(proof).is_ok() {
            return Err(CliError::Mismatch(format!(
                "{file}: a reconciliation of partitioned invoices is not recorded on the anchor contract yet (anchor it in the SQLite log)"
            )));
        }
        self.same_msa("reconciliation", msa_commitment)?;
        let id = period_id(period_start, period_end)?;
        let period = format!("{period_start}..{period_end}");
        let measured = |role: Role| {
            self.anchor
                .measurement(id, self.address_of(role))
                .map_err(&err)?
                .ok_or_else(|| {
                    CliError::Mismatch(format!(
                        "{file}: the anchor records no measurement of {period} by the {role} (send both usage-measured first)"
                    ))
                })
        };
        let (seller, buyer) = (measured(Role::Seller)?, measured(Role::Buyer)?);
        // The period's dates parse: `period_id` read them.
        let inputs = body
            .reconcile_inputs(seller, buyer)
            .ok_or_else(|| CliError::Mismatch(format!("{file}: the period {period} is not two dates")))?;
        let within = inputs.over == Fr::from(0u64);
        let done = match self.anchor.reconciliation(id).map_err(&err)? {
            ChainReconciliation::Reconciled => within,
            ChainReconciliation::Disputed { over, .. } => {
                !within
                    && over == zkinvoice_evm::U256::from_be_bytes(zkinvoice_evm::abi::fr_word(&inputs.over).0)
            }
            ChainReconciliation::Pending => false,
        };
        let outcome = if within {
            "reconciled (within every threshold)"
        } else {
            "disputed"
        };
        if done {
            println!("{}: {period} is already {outcome}", self.place());
            return Ok(());
        }
        let proof = InvoiceProof::from_base64(proof)
            .map_err(|e| CliError::Mismatch(format!("{file}: proof: {e}")))?;
        let i = self
            .anchor
            .record_reconciliation(id, &proof, &inputs)
            .map_err(&err)?;
        println!(
            "{}; {period} {outcome}: the proof verified on chain",
            self.sent("recordReconciliation", i)
        );
        Ok(())
    }

    /// `resolveDispute` of a `dispute-resolved` entry (both parties send it). A resolution the
    /// anchor already records is reported, not sent again.
    pub(super) fn resolve_dispute(&self, body: &Body) -> Result<(), CliError> {
        let Body::DisputeResolved {
            msa_commitment: msa,
            period_start: start,
            period_end: end,
            usage_commitment: usage,
            resolution,
        } = body
        else {
            unreachable!("called for dispute-resolved bodies")
        };
        let err = self.at.err();
        self.same_msa("resolution", msa)?;
        let id = period_id(start, end)?;
        let period = format!("{start}..{end}");
        let resolved = |a: &ChainAnchor| -> Result<Option<Fr>, CliError> {
            Ok(match a.reconciliation(id).map_err(&err)? {
                ChainReconciliation::Disputed { resolved_usage, .. } => resolved_usage,
                _ => None,
            })
        };
        if resolved(&self.anchor)? == Some(*usage) {
            println!("{}: the dispute of {period} is already resolved", self.place());
            return Ok(());
        }
        let i = self.anchor.resolve_dispute(id, usage, resolution).map_err(&err)?;
        println!(
            "{}; the dispute of {period} {}",
            self.sent("resolveDispute", i),
            if resolved(&self.anchor)?.is_some() {
                format!("resolved on usage {} (both parties proposed it)", short(usage))
            } else {
                "waiting for the other party's proposal".into()
            }
        );
        Ok(())
    }
}
