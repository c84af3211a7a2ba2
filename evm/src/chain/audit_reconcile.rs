//! [`ChainAnchor::audit_reconciliations`]: the measurements and reconciliations the anchor
//! recorded (`recordMeasurement`, `recordReconciliation`), each proof recovered from the
//! transaction that recorded it and verified again (arkworks) under the auditor's keys, as
//! [`ChainAnchor::audit_statements`] does the nettings' and credit notes'.
//!
//! Every public input of a recovered proof is checked against what the anchor holds first: a
//! measurement's usage, states and invoice against its `UsageMeasured` event and its MSA against
//! the registered one; a reconciliation's MSA, its two invoices against the period's recorded
//! measurements, `over` against its `UsageReconciled` (zero) or `DisputeOpened` event, and its
//! period against the event's.

use alloy::primitives::{Address, B256, U256};
use zkinvoice_verifier::{
    verify, Fr, InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKeys, ReconcilePublicInputs,
    ReconcileStatement, VerifyingKeyOf,
};

use super::anchor::ChainAnchor;
use super::audit::AuditFailure;
use super::audit_statements::{check, period_days, words, Held};
use super::rpc::fr_of;
use crate::{abi::contracts::InvoiceAnchor, encoding::proof_from_calldata, EvmError};

/// The outcome of [`ChainAnchor::audit_reconciliations`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReconcileAudit {
    /// Measurements the anchor recorded (`UsageMeasured` events).
    pub measurements: u64,
    /// Of them, how many proofs verified under the invoice key (a v1 key; a partitioned
    /// bilateral's measurements are counted, not verified again).
    pub measurements_verified: u64,
    /// Periods reconciled within every threshold (`UsageReconciled` events).
    pub reconciled: u64,
    /// Disputes opened (`DisputeOpened` events).
    pub disputes: u64,
    /// Disputes resolved by both parties (`DisputeResolved` events).
    pub resolved: u64,
    /// Of the reconciliations and disputes, how many proofs verified under the reconciliation key
    /// given.
    pub reconciliations_verified: u64,
    /// Every failure found, in the order checked.
    pub failures: Vec<AuditFailure>,
}

/// The proofs' names in failures.
const RECONCILIATION: &str = "reconciliation";
const DISPUTE: &str = "dispute";

impl ChainAnchor {
    /// Audits the measurements and reconciliations the anchor recorded: each proof recovered from
    /// the transaction that recorded it, its inputs checked against the anchor's events, MSA and
    /// measurements, and verified (arkworks): a measurement's under `invoice` (the bilateral's
    /// key, when it is a v1 key), a reconciliation's or dispute's under `reconcile` when given,
    /// after checking that the anchor's registered reconciliation verifier embeds it.
    pub fn audit_reconciliations(
        &self,
        invoice: &InvoiceVerifyingKeys,
        reconcile: Option<&VerifyingKeyOf<ReconcileStatement>>,
    ) -> Result<ReconcileAudit, EvmError> {
        let mut audit = ReconcileAudit::default();
        let state = self.state()?;
        let held = Held {
            seller: state.seller,
            buyer: state.buyer,
            msa: state.msa.map(|(msa, _)| msa),
        };
        let invoice_key = match invoice {
            InvoiceVerifyingKeys::Single(k) => Some(k.prepare()),
            InvoiceVerifyingKeys::Partitioned(_) => None,
        };
        for (e, tx) in self.events::<InvoiceAnchor::UsageMeasured>("UsageMeasured")? {
            audit.measurements += 1;
            let name = if e.party == held.seller {
                "Seller's measurement"
            } else {
                "Buyer's measurement"
            };
            let verified = check(
                name,
                e.periodId,
                self.measurement_of(tx, &e, &held),
                invoice_key
                    .as_ref()
                    .map(|k| |p: &InvoiceProof, i: &InvoicePublicInputs| verify(k, p, i).is_ok()),
            );
            tally(verified, &mut audit.measurements_verified, &mut audit.failures);
        }
        if let Some(key) = reconcile {
            if let Some(verifier) = self.reconcile_verifier()? {
                self.check_verifier_key(RECONCILIATION, verifier, key.hash(), &mut audit.failures)?;
            }
        }
        let key = reconcile.map(|k| k.prepare());
        let verifier = key
            .as_ref()
            .map(|k| |p: &InvoiceProof, i: &ReconcilePublicInputs| verify(k, p, i).is_ok());
        let reconciled = self.events::<InvoiceAnchor::UsageReconciled>("UsageReconciled")?;
        let disputes = self.events::<InvoiceAnchor::DisputeOpened>("DisputeOpened")?;
        let outcomes = (reconciled
            .iter()
            .map(|(e, tx)| (RECONCILIATION, e.periodId, U256::ZERO, *tx)))
        .chain(disputes.iter().map(|(e, tx)| (DISPUTE, e.periodId, e.over, *tx)));
        for (name, period_id, over, tx) in outcomes {
            let recovered = self.reconciliation_of(tx, period_id, over, &held);
            let verified = check(name, period_id, recovered, verifier);
            tally(verified, &mut audit.reconciliations_verified, &mut audit.failures);
        }
        audit.reconciled = reconciled.len() as u64;
        audit.disputes = disputes.len() as u64;
        audit.resolved = self
            .events::<InvoiceAnchor::DisputeResolved>("DisputeResolved")?
            .len() as u64;
        Ok(audit)
    }

    /// The proof and public inputs of the `recordMeasurement` call that emitted `e`, its inputs
    /// checked against the event and the anchor's MSA.
    fn measurement_of(
        &self,
        tx: B256,
        e: &InvoiceAnchor::UsageMeasured,
        held: &Held,
    ) -> Result<(InvoiceProof, InvoicePublicInputs), EvmError> {
        let call: InvoiceAnchor::recordMeasurementCall = self.call_of(tx)?;
        let [msa_commitment, usage_commitment, state_before, state_after, invoice_commitment] =
            words(&call.input)?;
        let inputs = InvoicePublicInputs {
            msa_commitment,
            usage_commitment,
            state_before,
            state_after,
            invoice_commitment,
        };
        let why = if call.periodId != e.periodId {
            Some("it recorded another period than its UsageMeasured event")
        } else {
            measurement_differs(&inputs, e, held)?
        };
        if let Some(why) = why {
            return Err(EvmError::malformed(format!("the transaction {tx}"), why));
        }
        Ok((proof_from_calldata(&call.proof)?, inputs))
    }

    /// The proof and public inputs of the `recordReconciliation` call that emitted the event of
    /// `period_id` with `over` (zero: `UsageReconciled`), its inputs checked against the event,
    /// the anchor's MSA and the period's two recorded measurements.
    fn reconciliation_of(
        &self,
        tx: B256,
        period_id: u64,
        over: U256,
        held: &Held,
    ) -> Result<(InvoiceProof, ReconcilePublicInputs), EvmError> {
        let call: InvoiceAnchor::recordReconciliationCall = self.call_of(tx)?;
        let [msa_commitment, seller_invoice, buyer_invoice, over_input, period_start, period_end] =
            words(&call.input)?;
        let inputs = ReconcilePublicInputs {
            msa_commitment,
            seller_invoice,
            buyer_invoice,
            over: over_input,
            period_start,
            period_end,
        };
        let measured = |party: Address| self.measurement(period_id, party);
        let why = if call.periodId != period_id {
            Some("it recorded another period than its event")
        } else {
            let m = (measured(held.seller)?, measured(held.buyer)?);
            reconciliation_differs(&inputs, (period_id, over), held, m)?
        };
        if let Some(why) = why {
            return Err(EvmError::malformed(format!("the transaction {tx}"), why));
        }
        Ok((proof_from_calldata(&call.proof)?, inputs))
    }
}

/// Counts a verified proof, or records the failure.
fn tally(verified: Result<bool, AuditFailure>, count: &mut u64, failures: &mut Vec<AuditFailure>) {
    match verified {
        Ok(true) => *count += 1,
        Ok(false) => {}
        Err(f) => failures.push(f),
    }
}

/// Why a recorded measurement's inputs differ from its `UsageMeasured` event and the anchor's
/// registered MSA, if they do.
fn measurement_differs(
    inputs: &InvoicePublicInputs,
    e: &InvoiceAnchor::UsageMeasured,
    held: &Held,
) -> Result<Option<&'static str>, EvmError> {
    Ok(if Some(inputs.msa_commitment) != held.msa {
        Some("its MSA commitment is not the one the anchor registered")
    } else if inputs.usage_commitment != fr_of(e.usageCommitment)? {
        Some("it recorded another usage than its UsageMeasured event")
    } else if [inputs.state_before, inputs.state_after] != [fr_of(e.stateBefore)?, fr_of(e.stateAfter)?] {
        Some("it recorded other states than its UsageMeasured event")
    } else if inputs.invoice_commitment != fr_of(e.invoiceCommitment)? {
        Some("it recorded another invoice than its UsageMeasured event")
    } else {
        None
    })
}

/// Why a recorded reconciliation's inputs differ from its event (`period_id`, `over`), the
/// anchor's registered MSA and the period's recorded measurements (the Seller's, the Buyer's),
/// if they do.
fn reconciliation_differs(
    inputs: &ReconcilePublicInputs,
    (period_id, over): (u64, U256),
    held: &Held,
    (seller, buyer): (Option<Fr>, Option<Fr>),
) -> Result<Option<&'static str>, EvmError> {
    Ok(if Some(inputs.msa_commitment) != held.msa {
        Some("its MSA commitment is not the one the anchor registered")
    } else if Some(inputs.seller_invoice) != seller || Some(inputs.buyer_invoice) != buyer {
        Some("its invoices are not the period's recorded measurements")
    } else if inputs.over != fr_of(B256::from(over.to_be_bytes::<32>()))? {
        Some("its over bits are not its event's")
    } else if [inputs.period_start, inputs.period_end] != period_days(period_id) {
        Some("its inputs' period is not its event's")
    } else {
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SELLER: Address = Address::repeat_byte(0x51);
    const BUYER: Address = Address::repeat_byte(0xb0);
    /// December 2026 (days 20788 to 20819).
    const DECEMBER: u64 = (20788 << 32) | 20819;

    fn held() -> Held {
        Held {
            seller: SELLER,
            buyer: BUYER,
            msa: Some(Fr::from(40u64)),
        }
    }

    fn word(x: u64) -> B256 {
        crate::abi::fr_word(&Fr::from(x))
    }

    /// One input changed, and what the refusal must say.
    type Change<I> = (&'static str, fn(&mut I));

    #[test]
    fn a_measurements_inputs_must_be_its_events_and_the_anchors_msa() {
        let e = InvoiceAnchor::UsageMeasured {
            periodId: DECEMBER,
            party: SELLER,
            usageCommitment: word(5),
            invoiceCommitment: word(7),
            stateBefore: word(1),
            stateAfter: word(2),
        };
        let good = InvoicePublicInputs {
            msa_commitment: Fr::from(40u64),
            usage_commitment: Fr::from(5u64),
            state_before: Fr::from(1u64),
            state_after: Fr::from(2u64),
            invoice_commitment: Fr::from(7u64),
        };
        assert_eq!(measurement_differs(&good, &e, &held()).unwrap(), None);
        let changed: [Change<InvoicePublicInputs>; 5] = [
            ("MSA", |i| i.msa_commitment = Fr::from(41u64)),
            ("another usage", |i| i.usage_commitment = Fr::from(6u64)),
            ("other states", |i| i.state_before = Fr::from(3u64)),
            ("other states", |i| i.state_after = Fr::from(3u64)),
            ("another invoice", |i| i.invoice_commitment = Fr::from(8u64)),
        ];
        for (why, change) in changed {
            let mut i = good;
            change(&mut i);
            let said = measurement_differs(&i, &e, &held()).unwrap();
            assert!(said.is_some_and(|s| s.contains(why)), "{why}: {said:?}");
        }
    }

    #[test]
    fn a_reconciliations_inputs_must_be_its_events_and_the_measurements() {
        let good = ReconcilePublicInputs {
            msa_commitment: Fr::from(40u64),
            seller_invoice: Fr::from(7u64),
            buyer_invoice: Fr::from(9u64),
            over: Fr::from(0u64),
            period_start: Fr::from(20788u64),
            period_end: Fr::from(20819u64),
        };
        let measured = (Some(Fr::from(7u64)), Some(Fr::from(9u64)));
        let event = (DECEMBER, U256::ZERO);
        assert_eq!(
            reconciliation_differs(&good, event, &held(), measured).unwrap(),
            None
        );
        let changed: [Change<ReconcilePublicInputs>; 6] = [
            ("MSA", |i| i.msa_commitment = Fr::from(41u64)),
            ("measurements", |i| i.seller_invoice = Fr::from(8u64)),
            ("measurements", |i| {
                std::mem::swap(&mut i.seller_invoice, &mut i.buyer_invoice)
            }),
            ("over", |i| i.over = Fr::from(1u64)),
            ("period", |i| i.period_start = Fr::from(20789u64)),
            ("period", |i| i.period_end = Fr::from(20820u64)),
        ];
        for (why, change) in changed {
            let mut i = good;
            change(&mut i);
            let said = reconciliation_differs(&i, event, &held(), measured).unwrap();
            assert!(said.is_some_and(|s| s.contains(why)), "{why}: {said:?}");
        }
        // A dispute: its event's over bits; a measurement missing.
        let dispute = ReconcilePublicInputs {
            over: Fr::from(6u64),
            ..good
        };
        let opened = (DECEMBER, U256::from(6u64));
        assert_eq!(
            reconciliation_differs(&dispute, opened, &held(), measured).unwrap(),
            None
        );
        assert!(reconciliation_differs(&dispute, event, &held(), measured)
            .unwrap()
            .is_some());
        assert!(reconciliation_differs(&good, event, &held(), (measured.0, None))
            .unwrap()
            .is_some());
    }
}
