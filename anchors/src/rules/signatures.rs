//! The signature rule: every entry carries exactly one valid signature of its body per role its
//! kind requires, each by that role's key in the log.
//!
//! Checked on a proposal before it has a place in a log (`Proposal::check_signatures`), on every
//! append and import, and on full replays (stored signatures are trusted on other reads).

use std::collections::BTreeSet;

use crate::body::{Body, Signature};
use crate::error::SignatureError;
use crate::keys::{decode32, Parties};
use crate::role::Role;

/// Checks that `signatures` are exactly one valid signature of `body` per role its kind requires,
/// each by that role's key in `parties`. Refuses at the first signature that breaks the rule,
/// then at the first role missing.
pub(crate) fn check_signatures(
    body: &Body,
    signatures: &[Signature],
    parties: &Parties,
) -> Result<(), SignatureError> {
    let required = body.required_roles();
    let kind = body.kind();
    let mut seen = BTreeSet::new();
    let digest = body.digest();
    for s in signatures {
        if !required.contains(&s.role) {
            return Err(SignatureError::NotRequired {
                kind,
                required,
                signer: s.role,
            });
        }
        if !seen.insert(s.role) {
            return Err(SignatureError::Duplicate { role: s.role });
        }
        check_one(s, parties, &digest)?;
    }
    other_acceptance(body, parties)?;
    let required: BTreeSet<Role> = required.iter().copied().collect();
    if let Some(&role) = required.difference(&seen).next() {
        return Err(SignatureError::Missing {
            kind,
            required: body.required_roles(),
            role,
        });
    }
    Ok(())
}

/// One signature: by the log's key of its role, well-formed, and valid for `digest`.
fn check_one(s: &Signature, parties: &Parties, digest: &[u8; 32]) -> Result<(), SignatureError> {
    let role = s.role;
    let expected = parties.key(role);
    let key = decode32(&s.public_key).map_err(|reason| SignatureError::MalformedKey {
        role,
        key: s.public_key.clone(),
        reason,
    })?;
    if key != expected.to_bytes() {
        return Err(SignatureError::WrongKey {
            role,
            key: s.public_key.clone(),
            expected: expected.to_hex(),
        });
    }
    let sig = hex::decode(&s.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
        .ok_or(SignatureError::MalformedSignature { role })?;
    if !expected.verify(digest, &sig) {
        return Err(SignatureError::DoesNotVerify {
            role,
            digest: *digest,
        });
    }
    Ok(())
}

/// An `invoices-netted` body's `otherAccepted`: the signature, by this log's Seller's key (the
/// opposite bilateral's Buyer), of that log's `invoice-accepted` body of the other invoice.
fn other_acceptance(body: &Body, parties: &Parties) -> Result<(), SignatureError> {
    let Body::InvoicesNetted {
        other_msa_commitment,
        other_invoice_commitment,
        other_accepted,
        ..
    } = body
    else {
        return Ok(());
    };
    let refuse = |reason| SignatureError::OtherAcceptance {
        invoice: *other_invoice_commitment,
        reason,
    };
    let sig = hex::decode(other_accepted)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| refuse("not 128 hex digits"))?;
    let accepted = Body::InvoiceAccepted {
        msa_commitment: *other_msa_commitment,
        invoice_commitment: *other_invoice_commitment,
    };
    if !parties.key(Role::Seller).verify(&accepted.digest(), &sig) {
        return Err(refuse("it does not verify"));
    }
    Ok(())
}
