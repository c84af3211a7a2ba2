//! The crate's errors: [`EvmError`], and the anchor contract's refusals decoded from a revert
//! ([`ContractError`]).
//!
//! A leaf module (it relies only on `alloy-primitives`' value types), so the encodings, the ABI
//! and the chain client can all return it; the ABI's error types are turned into
//! [`ContractError`] in `abi`.

use thiserror::Error;

/// Why an encoding could not be decoded or produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EvmError {
    /// Bytes that cannot be decoded: wrong length, a field element not below the modulus or with
    /// non-zero padding, a point not on the curve or not in the prime-order subgroup, ABI data that
    /// does not decode.
    #[error("{what} is malformed: {reason}")]
    Malformed {
        /// What was being decoded, e.g. `proof calldata` or `invoiceAt return data`.
        what: String,
        /// Why it was refused.
        reason: String,
    },
    /// The JSON-RPC endpoint failed or answered something unexpected (transport, node, a
    /// transaction that reverted without the anchor's error).
    #[error("JSON-RPC: {0}")]
    Rpc(String),
    /// The JSON-RPC endpoint could not be reached, or answered with an HTTP error (connection
    /// refused, timeout, name resolution, a 5xx): nothing was read or sent; try again later.
    #[error("cannot reach the JSON-RPC endpoint: {0}")]
    Unreachable(String),
    /// The anchor contract refused the call with one of its errors, e.g.
    /// [`ContractError::StaleState`]; nothing was sent.
    #[error("the anchor contract refuses: {0}")]
    Refused(ContractError),
}

impl EvmError {
    /// A [`EvmError::Malformed`] error.
    pub(crate) fn malformed(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Malformed {
            what: what.into(),
            reason: reason.into(),
        }
    }
}

mod contract;

pub use contract::ContractError;
