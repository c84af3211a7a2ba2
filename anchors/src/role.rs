//! The two roles of a bilateral.
//!
//! A leaf module: the keys, the bodies and the error types all name roles.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A party of the bilateral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The Seller: proves invoices.
    Seller,
    /// The Buyer: accepts or rejects them.
    Buyer,
}

impl Role {
    /// `seller` or `buyer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Seller => "seller",
            Role::Buyer => "buyer",
        }
    }

    /// The other party.
    pub fn other(self) -> Role {
        match self {
            Role::Seller => Role::Buyer,
            Role::Buyer => Role::Seller,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Seller => "Seller",
            Role::Buyer => "Buyer",
        })
    }
}
