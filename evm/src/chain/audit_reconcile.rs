//! [`ChainAnchor::audit_reconciliations`]: the measurements, reconciliations and partial invoices
//! the anchor recorded (`recordMeasurement`, `recordReconciliation`, `submitPartialInvoice`),
//! each proof recovered from the transaction that recorded it and verified again (arkworks)
//! under the auditor's keys, as [`ChainAnchor::audit_statements`] does the nettings' and credit
//! notes'.
//!
//! Every public input of a recovered proof is checked against what the anchor holds first: a
//! measurement's usage, states and invoice against its `UsageMeasured` event and its MSA against
//! the registered one; a reconciliation's MSA, its two invoices against the period's recorded
//! measurements, `over` against its `UsageReconciled` (zero) or `DisputeOpened` event, and its
//! period against the event's; a partial invoice's states and invoice against its
//! `PartialInvoiceSubmitted` event, its usage against the period's registered partial usage and
//! its MSA against the registered one.

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
    /// Partial invoices the anchor accepted (`PartialInvoiceSubmitted` events).
    pub partial_invoices: u64,
    /// Of them, how many proofs verified under the invoice key (a v1 key).
    pub partial_invoices_verified: u64,
    /// Of them, how many the Buyer paid, and how many payments the Seller received.
    pub partial_paid: u64,
    /// See [`Self::partial_paid`].
    pub partial_received: u64,
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
        for (e, tx) in self.events::<InvoiceAnchor::PartialInvoiceSubmitted>("PartialInvoiceSubmitted")? {
            audit.partial_invoices += 1;
            let verified = check(
                "partial invoice",
                e.periodId,
                self.partial_invoice_of(tx, &e, &held),
                invoice_key
                    .as_ref()
                    .map(|k| |p: &InvoiceProof, i: &InvoicePublicInputs| verify(k, p, i).is_ok()),
            );
            tally(
                verified,
                &mut audit.partial_invoices_verified,
                &mut audit.failures,
            );
            if let Some(paid) = self.partial_payment(e.periodId)? {
                audit.partial_paid += 1;
                audit.partial_received += u64::from(paid.received_on.is_some());
            }
        }
        Ok(audit)
    }

    /// The proof and public inputs of the `submitPartialInvoice` call that emitted `e`, its
    /// inputs checked against the event, the period's partial usage and the anchor's MSA.
    fn partial_invoice_of(
        &self,
        tx: B256,
        e: &InvoiceAnchor::PartialInvoiceSubmitted,
        held: &Held,
    ) -> Result<(InvoiceProof, InvoicePublicInputs), EvmError> {
        let call: InvoiceAnchor::submitPartialInvoiceCall = self.call_of(tx)?;
        let inputs = invoice_inputs(words(&call.publicInputs)?);
        let expected = Expected {
            event: "PartialInvoiceSubmitted",
            usage: self.partial(e.periodId)?.usage,
            states: [e.stateBefore, e.stateAfter],
            invoice: e.invoiceCommitment,
        };
        let why = if call.periodId != e.periodId {
            Some("it submitted another period than its PartialInvoiceSubmitted event".to_string())
        } else {
            invoice_differs(&inputs, &expected, held)?
        };
        if let Some(why) = why {
            return Err(EvmError::malformed(format!("the transaction {tx}"), why));
        }
        Ok((proof_from_calldata(&call.proof)?, inputs))
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
        let inputs = invoice_inputs(words(&call.input)?);
        let expected = Expected {
            event: "UsageMeasured",
            usage: Some(fr_of(e.usageCommitment)?),
            states: [e.stateBefore, e.stateAfter],
            invoice: e.invoiceCommitment,
        };
        let why = if call.periodId != e.periodId {
            Some("it recorded another period than its UsageMeasured event".to_string())
        } else {
            invoice_differs(&inputs, &expected, held)?
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

/// The invoice statement's public inputs from their five words, in circuit order.
fn invoice_inputs(
    [msa_commitment, usage_commitment, state_before, state_after, invoice_commitment]: [Fr; 5],
) -> InvoicePublicInputs {
    InvoicePublicInputs {
        msa_commitment,
        usage_commitment,
        state_before,
        state_after,
        invoice_commitment,
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

/// What a recorded invoice statement proof's inputs (a measurement's, a partial invoice's) must
/// be: its event's states and invoice, and the usage (the event's, or the period's registered
/// partial usage).
struct Expected {
    /// The event's name, for messages.
    event: &'static str,
    /// The usage.
    usage: Option<Fr>,
    /// The states before and after.
    states: [B256; 2],
    /// The invoice commitment.
    invoice: B256,
}

/// Why a recorded measurement's or partial invoice's inputs differ from what they must be and
/// the anchor's registered MSA, if they do.
fn invoice_differs(
    inputs: &InvoicePublicInputs,
    x: &Expected,
    held: &Held,
) -> Result<Option<String>, EvmError> {
    let event = x.event;
    Ok(if Some(inputs.msa_commitment) != held.msa {
        Some("its MSA commitment is not the one the anchor registered".into())
    } else if Some(inputs.usage_commitment) != x.usage {
        Some(format!("its usage is not its {event} event's"))
    } else if [inputs.state_before, inputs.state_after] != [fr_of(x.states[0])?, fr_of(x.states[1])?] {
        Some(format!("it recorded other states than its {event} event"))
    } else if inputs.invoice_commitment != fr_of(x.invoice)? {
        Some(format!("it recorded another invoice than its {event} event"))
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
    fn a_measurements_or_partial_invoices_inputs_must_be_its_events_and_the_anchors_msa() {
        let x = Expected {
            event: "UsageMeasured",
            usage: Some(Fr::from(5u64)),
            states: [word(1), word(2)],
            invoice: word(7),
        };
        let good = InvoicePublicInputs {
            msa_commitment: Fr::from(40u64),
            usage_commitment: Fr::from(5u64),
            state_before: Fr::from(1u64),
            state_after: Fr::from(2u64),
            invoice_commitment: Fr::from(7u64),
        };
        assert_eq!(invoice_differs(&good, &x, &held()).unwrap(), None);
        let changed: [Change<InvoicePublicInputs>; 5] = [
            ("MSA", |i| i.msa_commitment = Fr::from(41u64)),
            ("usage is not its UsageMeasured", |i| {
                i.usage_commitment = Fr::from(6u64)
            }),
            ("other states", |i| i.state_before = Fr::from(3u64)),
            ("other states", |i| i.state_after = Fr::from(3u64)),
            ("another invoice", |i| i.invoice_commitment = Fr::from(8u64)),
        ];
        for (why, change) in changed {
            let mut i = good;
            change(&mut i);
            let said = invoice_differs(&i, &x, &held()).unwrap();
            assert!(
                said.as_deref().is_some_and(|s| s.contains(why)),
                "{why}: {said:?}"
            );
        }
        // A partial invoice of a period without a registered partial usage.
        let none = Expected {
            event: "PartialInvoiceSubmitted",
            usage: None,
            ..x
        };
        let said = invoice_differs(&good, &none, &held()).unwrap();
        assert!(said.is_some_and(|s| s.contains("PartialInvoiceSubmitted")));
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
