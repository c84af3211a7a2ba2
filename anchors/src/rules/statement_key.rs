//! `statement-key-agreed` (`docs/lifecycle.md`): the key of a statement after the invoice agreed
//! once per MSA: the reconciliation's (v1's, or for a partitioned MSA the two keys of
//! `zkinvoice/reconcile/v2` as one set), the netting's (v1's, v2's) or the credit note's.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zkinvoice_verifier::{
    partition::reconcile::{PreparedReconcileKeys, ReconcileKeySet, STATEMENT as RECONCILE_V2},
    CreditStatement, Fr, NettingHeadsStatement, NettingStatement, PreparedInvoiceKeys, PreparedKeyOf,
    ReconcileStatement, Statement, VerifyingKeyOf,
};

use super::msa::key_setup;
use crate::error::{ReconcileRule, Rule};
use crate::setup::KeySetup;
use crate::view::{ReconcileKey, View};

/// The text fields of a `statement-key-agreed` body.
pub(super) struct StatementKey<'a> {
    /// The statement's id.
    pub statement: &'a str,
    /// Base64 of the key.
    pub vk: &'a str,
    /// The key's SHA-256, hex.
    pub vk_hash: &'a str,
    /// How it was made.
    pub key_setup: &'a KeySetup,
}

/// Admits a `statement-key-agreed` entry: the statement is the reconciliation's, the netting's
/// or the credit note's, the key setup is a valid ceremony or a single-party setup, the MSA is anchored and
/// has no key of the statement yet, and `vk` decodes to a key of the statement whose SHA-256 is
/// `vkHash`.
pub(super) fn statement_key_agreed(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    key: &StatementKey<'_>,
) -> Result<(), Rule> {
    let known = [
        ReconcileStatement::ID,
        RECONCILE_V2,
        NettingStatement::ID,
        NettingHeadsStatement::ID,
        CreditStatement::ID,
    ];
    if !known.contains(&key.statement) {
        return Err(Rule::Reconcile(ReconcileRule::UnknownStatement {
            given: key.statement.into(),
        }));
    }
    key_setup(key.key_setup)?;
    let m = view.msa(msa).ok_or(Rule::MsaNotAnchored { msa: *msa })?;
    let agreed = match key.statement {
        ReconcileStatement::ID | RECONCILE_V2 => m.reconcile_key.as_ref().map(|k| k.0),
        NettingStatement::ID => m.netting_key.as_ref().map(|k| k.0),
        NettingHeadsStatement::ID => m.netting_heads_key.as_ref().map(|k| k.0),
        _ => m.credit_key.as_ref().map(|k| k.0),
    };
    if let Some(seq) = agreed {
        return Err(Rule::Reconcile(ReconcileRule::StatementKeyAlreadyAgreed {
            statement: key.statement.into(),
            seq,
        }));
    }
    let partitioned = matches!(m.key, PreparedInvoiceKeys::Partitioned(_));
    if (key.statement == RECONCILE_V2) != partitioned && key.statement.starts_with("zkinvoice/reconcile/") {
        return Err(Rule::Reconcile(ReconcileRule::ReconcileKeyOfAnotherProtocol {
            statement: key.statement.into(),
            partitioned,
        }));
    }
    match key.statement {
        ReconcileStatement::ID => {
            let vk = decode_key::<ReconcileStatement>(key)?;
            view.agree_reconcile_key(seq, msa, ReconcileKey::V1(Box::new(vk)));
        }
        RECONCILE_V2 => {
            let keys = decode_key_set(key)?;
            view.agree_reconcile_key(seq, msa, ReconcileKey::V2(Box::new(keys)));
        }
        NettingStatement::ID => {
            let vk = decode_key::<NettingStatement>(key)?;
            view.agree_netting_key(seq, msa, vk);
        }
        NettingHeadsStatement::ID => {
            let vk = decode_key::<NettingHeadsStatement>(key)?;
            view.agree_netting_heads_key(seq, msa, vk);
        }
        _ => {
            let vk = decode_key::<CreditStatement>(key)?;
            view.agree_credit_key(seq, msa, vk);
        }
    }
    Ok(())
}

/// `key.vk` decoded as a key of `S` whose SHA-256 is `key.vk_hash`, prepared.
fn decode_key<S: Statement>(key: &StatementKey<'_>) -> Result<PreparedKeyOf<S>, Rule> {
    let bytes = STANDARD.decode(key.vk).map_err(|e| Rule::VkNotBase64 {
        reason: e.to_string(),
    })?;
    let vk = VerifyingKeyOf::<S>::from_bytes(&bytes).map_err(|error| {
        Rule::Reconcile(ReconcileRule::NotAStatementKey {
            statement: key.statement.into(),
            error,
        })
    })?;
    let actual = vk.hash_hex();
    if key.vk_hash != actual {
        return Err(Rule::VkHashMismatch {
            given: key.vk_hash.into(),
            actual,
        });
    }
    Ok(vk.prepare())
}

/// `key.vk` decoded as a [`ReconcileKeySet`] whose hash is `key.vk_hash`, prepared.
fn decode_key_set(key: &StatementKey<'_>) -> Result<PreparedReconcileKeys, Rule> {
    let bytes = STANDARD.decode(key.vk).map_err(|e| Rule::VkNotBase64 {
        reason: e.to_string(),
    })?;
    let set = ReconcileKeySet::from_bytes(&bytes).map_err(|error| {
        Rule::Reconcile(ReconcileRule::NotAStatementKey {
            statement: key.statement.into(),
            error,
        })
    })?;
    let actual = set.hash_hex();
    if key.vk_hash != actual {
        return Err(Rule::VkHashMismatch {
            given: key.vk_hash.into(),
            actual,
        });
    }
    Ok(set.prepare())
}
