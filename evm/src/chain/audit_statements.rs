//! [`ChainAnchor::audit_statements`]: the netting and credit-note proofs the anchor recorded,
//! recovered from the transactions that recorded them and verified again (arkworks) under the
//! keys the auditor holds, as [`ChainAnchor::audit_keys`] does the invoices' proofs, so that the
//! proofs hold whatever the chain executed and whatever code the verifier contracts have.
//!
//! Not yet checked against the anchor's state: the period's days among the inputs against the
//! event's period id, the netting's payer bit against the event's payer, and the credit note's
//! MSA and SLA commitments against the registered ones (the contract checked them when it
//! recorded the proof; the invoice, net and note commitments are checked against the events).

use alloy::primitives::{B256, U256};
use zkinvoice_verifier::{
    verify, CreditPublicInputs, CreditStatement, Fr, InvoiceProof, NettingPublicInputs, NettingStatement,
    VerifyingKeyOf,
};

use super::anchor::ChainAnchor;
use super::audit::AuditFailure;
use super::rpc::fr_of;
use crate::{abi::contracts::InvoiceAnchor, encoding::proof_from_calldata, EvmError};

/// The keys of the statements after the invoice that [`ChainAnchor::audit_statements`] verifies
/// the anchor's proofs with. A statement without a key has its proofs recovered and counted, not
/// verified.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatementKeys<'a> {
    /// The netting statement's key (the one the anchor's `registerNetting` named the verifier of).
    pub netting: Option<&'a VerifyingKeyOf<NettingStatement>>,
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
    /// event's period, with the event's commitments among its public inputs) and, with the
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
        let (netting, credit) = (
            keys.netting.map(|k| k.prepare()),
            keys.credit.map(|k| k.prepare()),
        );
        for (e, tx) in self.events::<InvoiceAnchor::InvoicesNetted>("InvoicesNetted")? {
            audit.nettings += 1;
            let recovered = self.netting_of(tx, &e);
            let verified = check(
                NETTING,
                e.periodId,
                recovered,
                netting
                    .as_ref()
                    .map(|k| |p: &InvoiceProof, i: &NettingPublicInputs| verify(k, p, i).is_ok()),
            );
            match verified {
                Ok(true) => audit.nettings_verified += 1,
                Ok(false) => {}
                Err(f) => audit.failures.push(f),
            }
        }
        for (e, tx) in self.events::<InvoiceAnchor::CreditNoteRecorded>("CreditNoteRecorded")? {
            audit.credit_notes += 1;
            let recovered = self.credit_note_of(tx, &e);
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
    fn check_verifier_key(
        &self,
        statement: &'static str,
        verifier: alloy::primitives::Address,
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

    /// The proof and public inputs of the `recordNetting` call that emitted `e`.
    fn netting_of(
        &self,
        tx: B256,
        e: &InvoiceAnchor::InvoicesNetted,
    ) -> Result<(InvoiceProof, NettingPublicInputs), EvmError> {
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
        let invoices =
            NettingPublicInputs::ordered(fr_of(e.invoiceCommitment)?, fr_of(e.otherInvoiceCommitment)?);
        if call.periodId != e.periodId
            || [first_invoice, second_invoice] != invoices
            || net_commitment != fr_of(e.netCommitment)?
        {
            return Err(EvmError::malformed(
                format!("the transaction {tx}"),
                "it recorded another period, other invoices or another net than its InvoicesNetted event",
            ));
        }
        Ok((proof_from_calldata(&call.proof)?, inputs))
    }

    /// The proof and public inputs of the `recordCreditNote` call that emitted `e`.
    fn credit_note_of(
        &self,
        tx: B256,
        e: &InvoiceAnchor::CreditNoteRecorded,
    ) -> Result<(InvoiceProof, CreditPublicInputs), EvmError> {
        let call: InvoiceAnchor::recordCreditNoteCall = self.call_of(tx)?;
        let [msa_commitment, invoice_commitment, sla_commitment, credit_commitment, period_start, period_end] =
            words(&call.input)?;
        if call.periodId != e.periodId
            || invoice_commitment != fr_of(e.invoiceCommitment)?
            || credit_commitment != fr_of(e.creditCommitment)?
        {
            return Err(EvmError::malformed(
                format!("the transaction {tx}"),
                "it recorded another period, invoice or note than its CreditNoteRecorded event",
            ));
        }
        let inputs = CreditPublicInputs {
            msa_commitment,
            invoice_commitment,
            sla_commitment,
            credit_commitment,
            period_start,
            period_end,
        };
        Ok((proof_from_calldata(&call.proof)?, inputs))
    }
}

/// Six input words as field elements (each below the field's modulus).
fn words(input: &[U256; 6]) -> Result<[Fr; 6], EvmError> {
    let mut out = [Fr::from(0u64); 6];
    for (o, w) in out.iter_mut().zip(input) {
        *o = fr_of(B256::from(w.to_be_bytes::<32>()))?;
    }
    Ok(out)
}

/// One recorded proof's verdict: verified (`Ok(true)`), recovered without a key to verify it
/// with (`Ok(false)`), or the failure.
fn check<P, I>(
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

    #[test]
    fn input_words_must_be_field_elements() {
        let mut input = [U256::from(1u64); 6];
        assert_eq!(words(&input).expect("field elements")[5], Fr::from(1u64));
        input[4] = U256::MAX;
        assert!(words(&input).is_err());
    }
}
