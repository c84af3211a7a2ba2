//! [`ChainAnchor::audit_statements`]: the netting and credit-note proofs the anchor recorded,
//! recovered from the transactions that recorded them and verified again (arkworks) under the
//! keys the auditor holds, as [`ChainAnchor::audit_keys`] does the invoices' proofs, so that the
//! proofs hold whatever the chain executed and whatever code the verifier contracts have.
//!
//! Every public input of a recovered proof is checked against what the anchor holds before the
//! proof is verified: a netting's two invoices, net, period and payer against its
//! `InvoicesNetted` event and the anchor's parties; a credit note's invoice, note and period
//! against its `CreditNoteRecorded` event, its MSA against the registered MSA and its SLA
//! performance against the period's registered one.

use alloy::primitives::{Address, B256, U256};
use zkinvoice_verifier::{
    verify, CreditPublicInputs, CreditStatement, Fr, InvoiceProof, NettingPublicInputs, VerifyingKeyOf,
};

use super::anchor::ChainAnchor;
use super::audit::AuditFailure;
use super::netting::{NettingKey, RecordedNetting};
use super::rpc::fr_of;
use crate::{abi::contracts::InvoiceAnchor, encoding::proof_from_calldata, EvmError};

/// The keys of the statements after the invoice that [`ChainAnchor::audit_statements`] verifies
/// the anchor's proofs with. A statement without a key has its proofs recovered and counted, not
/// verified.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatementKeys<'a> {
    /// The netting statement's key (the one the anchor's `registerNetting` named the verifier of).
    pub netting: Option<NettingKey<'a>>,
    /// The credit-note statement's key (`registerCreditVerifier`'s).
    pub credit: Option<&'a VerifyingKeyOf<CreditStatement>>,
}

/// The outcome of [`ChainAnchor::audit_statements`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatementAudit {
    /// Nettings the anchor recorded (`InvoicesNetted` events).
    pub nettings: u64,
    /// Of them, how many proofs verified under the netting key given.
    pub nettings_verified: u64,
    /// Credit notes the anchor recorded (`CreditNoteRecorded` events).
    pub credit_notes: u64,
    /// Of them, how many proofs verified under the credit-note key given.
    pub credit_notes_verified: u64,
    /// Every failure found, in the order checked.
    pub failures: Vec<AuditFailure>,
}

/// The statements' names in failures.
const NETTING: &str = "netting";
const CREDIT_NOTE: &str = "credit note";

impl ChainAnchor {
    /// Audits the nettings and credit notes the anchor recorded: each proof recovered from the
    /// transaction that recorded it (a direct `recordNetting` or `recordCreditNote` call for the
    /// event's period, its public inputs those of the event, the anchor's parties, MSA and SLA
    /// performance) and, with the
    /// statement's key in `keys`, verified (arkworks) after checking that the anchor's registered
    /// verifier embeds that key.
    pub fn audit_statements(&self, keys: StatementKeys<'_>) -> Result<StatementAudit, EvmError> {
        let mut audit = StatementAudit::default();
        if let Some(key) = keys.netting {
            if let Some((_, verifier)) = self.netting_terms()? {
                self.check_verifier_key(NETTING, verifier, key.hash(), &mut audit.failures)?;
            }
        }
        if let Some(key) = keys.credit {
            if let Some(verifier) = self.credit_verifier()? {
                self.check_verifier_key(CREDIT_NOTE, verifier, key.hash(), &mut audit.failures)?;
            }
        }
        let credit = keys.credit.map(|k| k.prepare());
        let state = self.state()?;
        let held = Held {
            seller: state.seller,
            buyer: state.buyer,
            msa: state.msa.map(|(msa, _)| msa),
        };
        for (e, tx) in self.events::<InvoiceAnchor::InvoicesNetted>("InvoicesNetted")? {
            audit.nettings += 1;
            let recovered = self.netting_of(tx, &e, &held);
            let verified = check(
                NETTING,
                e.periodId,
                recovered,
                keys.netting
                    .map(|k| move |p: &RecordedNetting, i: &NettingPublicInputs| k.verifies(p, i)),
            );
            match verified {
                Ok(true) => audit.nettings_verified += 1,
                Ok(false) => {}
                Err(f) => audit.failures.push(f),
            }
        }
        for (e, tx) in self.events::<InvoiceAnchor::CreditNoteRecorded>("CreditNoteRecorded")? {
            audit.credit_notes += 1;
            let recovered = self.credit_note_of(tx, &e, &held);
            let verified = check(
                CREDIT_NOTE,
                e.periodId,
                recovered,
                credit
                    .as_ref()
                    .map(|k| |p: &InvoiceProof, i: &CreditPublicInputs| verify(k, p, i).is_ok()),
            );
            match verified {
                Ok(true) => audit.credit_notes_verified += 1,
                Ok(false) => {}
                Err(f) => audit.failures.push(f),
            }
        }
        Ok(audit)
    }

    /// A failure if the verifier the anchor registered for `statement` embeds another key.
    pub(super) fn check_verifier_key(
        &self,
        statement: &'static str,
        verifier: Address,
        key: [u8; 32],
        failures: &mut Vec<AuditFailure>,
    ) -> Result<(), EvmError> {
        let embedded = self.statement_verifier_key(verifier)?;
        if embedded != key {
            failures.push(AuditFailure::StatementKey {
                statement,
                verifier: embedded,
                key: hex::encode(key),
            });
        }
        Ok(())
    }

    /// The proof and public inputs of the `recordNetting` call that emitted `e`, its inputs
    /// checked against the event and the anchor's parties (`netting_differs`).
    fn netting_of(
        &self,
        tx: B256,
        e: &InvoiceAnchor::InvoicesNetted,
        held: &Held,
    ) -> Result<(RecordedNetting, NettingPublicInputs), EvmError> {
        let call: InvoiceAnchor::recordNettingCall = self.call_of(tx)?;
        let [first_invoice, second_invoice, net_commitment, payer, period_start, period_end] =
            words(&call.input)?;
        let inputs = NettingPublicInputs {
            first_invoice,
            second_invoice,
            net_commitment,
            payer,
            period_start,
            period_end,
        };
        let why = if call.periodId != e.periodId {
            Some("it recorded another period than its InvoicesNetted event")
        } else {
            netting_differs(&inputs, e, held)?
        };
        if let Some(why) = why {
            return Err(EvmError::malformed(format!("the transaction {tx}"), why));
        }
        Ok((RecordedNetting::decode(&call.proof)?, inputs))
    }

    /// The proof and public inputs of the `recordCreditNote` call that emitted `e`, its inputs
    /// checked against the event, the anchor's MSA and the period's SLA performance
    /// (`credit_differs`).
    fn credit_note_of(
        &self,
        tx: B256,
        e: &InvoiceAnchor::CreditNoteRecorded,
        held: &Held,
    ) -> Result<(InvoiceProof, CreditPublicInputs), EvmError> {
        let call: InvoiceAnchor::recordCreditNoteCall = self.call_of(tx)?;
        let [msa_commitment, invoice_commitment, sla_commitment, credit_commitment, period_start, period_end] =
            words(&call.input)?;
        let inputs = CreditPublicInputs {
            msa_commitment,
            invoice_commitment,
            sla_commitment,
            credit_commitment,
            period_start,
            period_end,
        };
        let why = if call.periodId != e.periodId {
            Some("it recorded another period than its CreditNoteRecorded event")
        } else {
            credit_differs(&inputs, e, held, self.sla(e.periodId)?)?
        };
        if let Some(why) = why {
            return Err(EvmError::malformed(format!("the transaction {tx}"), why));
        }
        Ok((proof_from_calldata(&call.proof)?, inputs))
    }
}

/// What the anchor holds that its recorded proofs' inputs must match.
pub(super) struct Held {
    /// Its Seller.
    pub(super) seller: Address,
    /// Its Buyer.
    pub(super) buyer: Address,
    /// Its registered MSA commitment.
    pub(super) msa: Option<Fr>,
}

/// A period's first day and the first day after it (days since 1970-01-01), as its id holds
/// them (`start << 32 | end`) and the statements' inputs carry them.
pub(super) fn period_days(period_id: u64) -> [Fr; 2] {
    [Fr::from(period_id >> 32), Fr::from(period_id & 0xffff_ffff)]
}

/// Why a recorded netting's inputs differ from its `InvoicesNetted` event and the anchor's
/// parties, if they do: the two invoices (in the statement's order), the net, the period's days,
/// and the payer (bit 0: the first invoice's Buyer pays; the anchor's Buyer pays when its own
/// invoice is the first and the bit is 0, or the second and the bit is 1, as the contract reads
/// it).
fn netting_differs(
    inputs: &NettingPublicInputs,
    e: &InvoiceAnchor::InvoicesNetted,
    held: &Held,
) -> Result<Option<&'static str>, EvmError> {
    let mine = fr_of(e.invoiceCommitment)?;
    let invoices = NettingPublicInputs::ordered(mine, fr_of(e.otherInvoiceCommitment)?);
    let (zero, one) = (Fr::from(0u64), Fr::from(1u64));
    let buyer_pays = (inputs.payer == zero) == (inputs.first_invoice == mine);
    Ok(if [inputs.first_invoice, inputs.second_invoice] != invoices {
        Some("it recorded other invoices than its InvoicesNetted event")
    } else if inputs.net_commitment != fr_of(e.netCommitment)? {
        Some("it recorded another net than its InvoicesNetted event")
    } else if [inputs.period_start, inputs.period_end] != period_days(e.periodId) {
        Some("its inputs' period is not its InvoicesNetted event's")
    } else if (inputs.payer != zero && inputs.payer != one)
        || e.payer != if buyer_pays { held.buyer } else { held.seller }
    {
        Some("its payer bit names another payer than its InvoicesNetted event")
    } else {
        None
    })
}

/// Why a recorded credit note's inputs differ from its `CreditNoteRecorded` event, the anchor's
/// registered MSA and the period's registered SLA performance `sla`, if they do.
fn credit_differs(
    inputs: &CreditPublicInputs,
    e: &InvoiceAnchor::CreditNoteRecorded,
    held: &Held,
    sla: Option<Fr>,
) -> Result<Option<&'static str>, EvmError> {
    Ok(if inputs.invoice_commitment != fr_of(e.invoiceCommitment)? {
        Some("it recorded another invoice than its CreditNoteRecorded event")
    } else if inputs.credit_commitment != fr_of(e.creditCommitment)? {
        Some("it recorded another note than its CreditNoteRecorded event")
    } else if [inputs.period_start, inputs.period_end] != period_days(e.periodId) {
        Some("its inputs' period is not its CreditNoteRecorded event's")
    } else if Some(inputs.msa_commitment) != held.msa {
        Some("its MSA commitment is not the one the anchor registered")
    } else if Some(inputs.sla_commitment) != sla {
        Some("its SLA performance is not the one the anchor registered for the period")
    } else {
        None
    })
}

/// Input words as field elements (each below the field's modulus).
pub(super) fn words<const N: usize>(input: &[U256; N]) -> Result<[Fr; N], EvmError> {
    let mut out = [Fr::from(0u64); N];
    for (o, w) in out.iter_mut().zip(input) {
        *o = fr_of(B256::from(w.to_be_bytes::<32>()))?;
    }
    Ok(out)
}

/// One recorded proof's verdict: verified (`Ok(true)`), recovered without a key to verify it
/// with (`Ok(false)`), or the failure.
pub(super) fn check<P, I>(
    statement: &'static str,
    period_id: u64,
    recovered: Result<(P, I), EvmError>,
    verify: Option<impl Fn(&P, &I) -> bool>,
) -> Result<bool, AuditFailure> {
    let (proof, inputs) = recovered.map_err(|error| AuditFailure::StatementUnrecovered {
        statement,
        period_id,
        error,
    })?;
    match verify {
        None => Ok(false),
        Some(verify) if verify(&proof, &inputs) => Ok(true),
        Some(_) => Err(AuditFailure::StatementProofFails { statement, period_id }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_recorded_proof_is_verified_counted_or_a_named_failure() {
        let yes = Some(|_: &(), _: &u8| true);
        let no = Some(|_: &(), _: &u8| false);
        let none: Option<fn(&(), &u8) -> bool> = None;
        assert_eq!(check(NETTING, 7, Ok(((), 0u8)), yes), Ok(true));
        assert_eq!(check(NETTING, 7, Ok(((), 0u8)), none), Ok(false));
        assert_eq!(
            check(CREDIT_NOTE, 7, Ok(((), 0u8)), no),
            Err(AuditFailure::StatementProofFails {
                statement: CREDIT_NOTE,
                period_id: 7
            })
        );
        let error = EvmError::malformed("the transaction 0x01", "not a direct call");
        let failure = check(NETTING, 9, Err(error.clone()), yes).unwrap_err();
        assert_eq!(
            failure.to_string(),
            "the netting of period 9: the transaction 0x01 is malformed: not a direct call"
        );
        assert_eq!(
            failure,
            AuditFailure::StatementUnrecovered {
                statement: NETTING,
                period_id: 9,
                error
            }
        );
    }

    /// One input changed, and what the refusal must say.
    type Change<I> = (&'static str, fn(&mut I));

    fn word(x: u64) -> B256 {
        crate::abi::fr_word(&Fr::from(x))
    }

    const SELLER: Address = Address::repeat_byte(0x51);
    const BUYER: Address = Address::repeat_byte(0xb0);

    fn held() -> Held {
        Held {
            seller: SELLER,
            buyer: BUYER,
            msa: Some(Fr::from(40u64)),
        }
    }

    /// October 2026 (days 20727 to 20758).
    const OCTOBER: u64 = (20727 << 32) | 20758;

    #[test]
    fn a_nettings_inputs_must_be_its_events_and_name_the_payer_the_contract_names() {
        // This anchor's invoice (7) is the first: bit 0, its Buyer pays.
        let e = InvoiceAnchor::InvoicesNetted {
            periodId: OCTOBER,
            invoiceCommitment: word(7),
            otherInvoiceCommitment: word(9),
            netCommitment: word(11),
            payer: BUYER,
        };
        let good = NettingPublicInputs {
            first_invoice: Fr::from(7u64),
            second_invoice: Fr::from(9u64),
            net_commitment: Fr::from(11u64),
            payer: Fr::from(0u64),
            period_start: Fr::from(20727u64),
            period_end: Fr::from(20758u64),
        };
        assert_eq!(netting_differs(&good, &e, &held()).unwrap(), None);
        let changed: [Change<NettingPublicInputs>; 7] = [
            ("other invoices", |i| i.first_invoice = Fr::from(8u64)),
            ("other invoices", |i| {
                std::mem::swap(&mut i.first_invoice, &mut i.second_invoice)
            }),
            ("another net", |i| i.net_commitment = Fr::from(12u64)),
            ("period", |i| i.period_start = Fr::from(20728u64)),
            ("period", |i| i.period_end = Fr::from(20759u64)),
            ("payer", |i| i.payer = Fr::from(1u64)),
            ("payer", |i| i.payer = Fr::from(2u64)),
        ];
        for (why, change) in changed {
            let mut i = good;
            change(&mut i);
            let said = netting_differs(&i, &e, &held()).unwrap();
            assert!(said.is_some_and(|s| s.contains(why)), "{why}: {said:?}");
        }
        // The other anchor's view of the same netting: its invoice (9) is the second, so bit 0
        // names its Seller (the first invoice's Buyer).
        let theirs = InvoiceAnchor::InvoicesNetted {
            invoiceCommitment: word(9),
            otherInvoiceCommitment: word(7),
            payer: SELLER,
            ..e.clone()
        };
        assert_eq!(netting_differs(&good, &theirs, &held()).unwrap(), None);
        let wrong = InvoiceAnchor::InvoicesNetted {
            payer: BUYER,
            ..theirs
        };
        assert!(netting_differs(&good, &wrong, &held()).unwrap().is_some());
    }

    #[test]
    fn a_credit_notes_inputs_must_be_its_events_and_the_anchors_msa_and_sla() {
        let e = InvoiceAnchor::CreditNoteRecorded {
            periodId: OCTOBER,
            invoiceCommitment: word(7),
            creditCommitment: word(13),
        };
        let good = CreditPublicInputs {
            msa_commitment: Fr::from(40u64),
            invoice_commitment: Fr::from(7u64),
            sla_commitment: Fr::from(50u64),
            credit_commitment: Fr::from(13u64),
            period_start: Fr::from(20727u64),
            period_end: Fr::from(20758u64),
        };
        let sla = Some(Fr::from(50u64));
        assert_eq!(credit_differs(&good, &e, &held(), sla).unwrap(), None);
        let changed: [Change<CreditPublicInputs>; 6] = [
            ("MSA", |i| i.msa_commitment = Fr::from(41u64)),
            ("another invoice", |i| i.invoice_commitment = Fr::from(8u64)),
            ("SLA", |i| i.sla_commitment = Fr::from(51u64)),
            ("another note", |i| i.credit_commitment = Fr::from(14u64)),
            ("period", |i| i.period_start = Fr::from(20728u64)),
            ("period", |i| i.period_end = Fr::from(20759u64)),
        ];
        for (why, change) in changed {
            let mut i = good;
            change(&mut i);
            let said = credit_differs(&i, &e, &held(), sla).unwrap();
            assert!(said.is_some_and(|s| s.contains(why)), "{why}: {said:?}");
        }
        // No SLA performance registered for the period, or no MSA: refused.
        assert!(credit_differs(&good, &e, &held(), None).unwrap().is_some());
        let unregistered = Held { msa: None, ..held() };
        assert!(credit_differs(&good, &e, &unregistered, sla).unwrap().is_some());
    }

    #[test]
    fn input_words_must_be_field_elements() {
        let mut input = [U256::from(1u64); 6];
        assert_eq!(words(&input).expect("field elements")[5], Fr::from(1u64));
        input[4] = U256::MAX;
        assert!(words(&input).is_err());
    }
}
