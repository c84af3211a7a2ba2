//! JSON-RPC failures as [`EvmError`]s (unreachable, failed, or refused by the anchor), and the
//! anchor's 32-byte words read back as field elements.

use alloy::{
    primitives::B256,
    transports::{RpcError, TransportErrorKind},
};
use zkinvoice_verifier::Fr;

use crate::{abi::contracts::InvoiceAnchor, ContractError, EvmError};

/// A JSON-RPC failure, with the causes its message leaves out (e.g. "Connection refused"): the
/// endpoint could not be reached ([`EvmError::Unreachable`]: try again later), or it failed.
pub(super) fn rpc_err<E: std::error::Error + 'static>(e: E) -> EvmError {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    let error: &(dyn std::error::Error + 'static) = &e;
    let unreachable = error
        .downcast_ref::<RpcError<TransportErrorKind>>()
        .is_some_and(RpcError::is_transport_error);
    if unreachable {
        EvmError::Unreachable(text)
    } else {
        EvmError::Rpc(text)
    }
}

/// A refusal by the anchor (its custom error, decoded from the revert data), or another RPC
/// failure.
pub(super) fn send_err(e: RpcError<TransportErrorKind>) -> EvmError {
    let refused = e
        .as_error_resp()
        .and_then(|p| p.as_decoded_interface_error::<InvoiceAnchor::InvoiceAnchorErrors>());
    match refused {
        Some(error) => EvmError::Refused(ContractError::from(error)),
        None => rpc_err(e),
    }
}

/// A word read from the anchor as a field element.
pub(super) fn fr_of(word: B256) -> Result<Fr, EvmError> {
    zkinvoice_verifier::fr_from_hex(&word.to_string())
        .map_err(|e| EvmError::malformed("a field element read from the anchor", e.to_string()))
}

/// A word read from the anchor as a field element; zero (not set) is `None`.
pub(super) fn nonzero(word: B256) -> Result<Option<Fr>, EvmError> {
    if word.is_zero() {
        Ok(None)
    } else {
        fr_of(word).map(Some)
    }
}
