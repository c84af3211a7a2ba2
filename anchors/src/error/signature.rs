//! [`SignatureError`]: why a body's signatures are refused.

use thiserror::Error;

use crate::role::Role;
use crate::short::{short, short_bytes};

/// Why the signatures of a body are refused: each kind must carry exactly one valid signature
/// per role it requires, by that role's key in the log.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignatureError {
    /// A signature by a role the kind does not require.
    #[error(
        "{kind} must be signed by {}, but it carries a signature by the {signer}",
        who(required)
    )]
    NotRequired {
        /// The body's kind.
        kind: &'static str,
        /// The roles it requires.
        required: &'static [Role],
        /// The role that signed.
        signer: Role,
    },
    /// Two signatures by one role.
    #[error("two signatures by the {role}")]
    Duplicate {
        /// The role.
        role: Role,
    },
    /// A signer's public key that is not 64 hex digits.
    #[error("the {role}'s public key {key:?} is not 64 hex digits ({reason})")]
    MalformedKey {
        /// The role.
        role: Role,
        /// The key as given.
        key: String,
        /// The decoder's reason.
        reason: String,
    },
    /// A signature by another key than the log's key of its role.
    #[error(
        "the {role} signature is by key {}, not the log's {role} key {}",
        short(key),
        short(expected)
    )]
    WrongKey {
        /// The role.
        role: Role,
        /// The key as given.
        key: String,
        /// The log's key of the role (hex).
        expected: String,
    },
    /// A signature that is not 128 hex digits.
    #[error("the {role}'s signature is not 128 hex digits")]
    MalformedSignature {
        /// The role.
        role: Role,
    },
    /// A signature that does not verify for the body's digest.
    #[error(
        "the {role}'s signature does not verify for this body (digest {})",
        short_bytes(digest)
    )]
    DoesNotVerify {
        /// The role.
        role: Role,
        /// The body's digest.
        digest: [u8; 32],
    },
    /// A required role that did not sign.
    #[error(
        "{kind} must be signed by {}; the {role}'s signature is missing",
        who(required)
    )]
    Missing {
        /// The body's kind.
        kind: &'static str,
        /// The roles it requires.
        required: &'static [Role],
        /// The role whose signature is missing.
        role: Role,
    },
    /// An `invoices-netted` entry whose `otherAccepted` is not the Seller's signature of the
    /// other bilateral's `invoice-accepted` body of the other invoice.
    #[error(
        "otherAccepted is not the Seller's signature (as the other bilateral's Buyer) of the acceptance of invoice {}: {reason}",
        crate::short::short_fr(invoice)
    )]
    OtherAcceptance {
        /// The other invoice's commitment.
        invoice: zkinvoice_verifier::Fr,
        /// Why: malformed, or it does not verify.
        reason: &'static str,
    },
}

/// Who must sign, for messages.
fn who(roles: &[Role]) -> &'static str {
    match roles {
        [Role::Seller] => "the Seller only",
        [Role::Buyer] => "the Buyer only",
        _ => "both the Seller and the Buyer",
    }
}
