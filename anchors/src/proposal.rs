//! Proposals: a body with the signatures collected so far, passed between the parties to
//! co-sign before one of them appends it.
//!
//! Relies on the bodies and on the signature rule (`rules::signatures`), which a proposal can be
//! checked against before it has a place in a log.

use serde::{Deserialize, Serialize};

use crate::body::{Body, Signature};
use crate::error::AnchorError;
use crate::keys::{Parties, PartyPublic, PartySecret};
use crate::role::Role;
use crate::rules::signatures::check_signatures;

/// A body with the signatures collected so far: what the parties pass each other to co-sign.
///
/// JSON: `{"body": {...}, "signatures": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// What is to be anchored.
    pub body: Body,
    /// The signatures, in canonical role order (Seller, Buyer).
    pub signatures: Vec<Signature>,
}

impl Proposal {
    /// An unsigned proposal.
    pub fn new(body: Body) -> Self {
        Self {
            body,
            signatures: Vec::new(),
        }
    }

    /// Adds (or replaces) `role`'s signature, keeping the signatures in role order.
    pub fn sign(&mut self, role: Role, secret: &PartySecret) -> &mut Self {
        self.signatures.retain(|s| s.role != role);
        self.signatures.push(Signature::new(role, secret, &self.body));
        self.signatures.sort_by_key(|s| s.role);
        self
    }

    /// `self` signed by `role` (builder form of [`Proposal::sign`]).
    pub fn signed(mut self, role: Role, secret: &PartySecret) -> Self {
        self.sign(role, secret);
        self
    }

    /// Checks that the proposal carries exactly the signatures its kind requires, each valid and by
    /// the right key: [`AnchorError::Signatures`] otherwise.
    pub fn check_signatures(&self, seller: &PartyPublic, buyer: &PartyPublic) -> Result<(), AnchorError> {
        let parties = Parties {
            seller: *seller,
            buyer: *buyer,
        };
        check_signatures(&self.body, &self.signatures, &parties).map_err(|reason| AnchorError::Signatures {
            kind: self.body.kind().into(),
            reason,
        })
    }

    /// Parses the JSON form.
    pub fn from_json(text: &str) -> Result<Self, AnchorError> {
        serde_json::from_str(text).map_err(|e| AnchorError::malformed("proposal", e.to_string()))
    }

    /// The JSON form (pretty).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
