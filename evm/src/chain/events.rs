//! The anchor's events read back, each with the transaction that emitted it, and the calls those
//! transactions made: what the audits recover proofs from.

use std::future::IntoFuture;

use alloy::{
    consensus::Transaction as _,
    primitives::B256,
    providers::Provider,
    rpc::types::Filter,
    sol_types::{SolCall, SolEvent},
};

use super::anchor::ChainAnchor;
use super::rpc::rpc_err;
use crate::EvmError;

impl ChainAnchor {
    /// The anchor's events `E` (`eth_getLogs` from block 0), in log order, each with the
    /// transaction that emitted it; `name` is the event's, for messages.
    pub(super) fn events<E: SolEvent>(&self, name: &str) -> Result<Vec<(E, B256)>, EvmError> {
        let filter = Filter::new()
            .address(self.anchor)
            .event_signature(E::SIGNATURE_HASH)
            .from_block(0u64);
        let mut logs = self
            .rt
            .block_on(self.provider.get_logs(&filter))
            .map_err(rpc_err)?;
        logs.retain(|log| !log.removed && log.address() == self.anchor);
        logs.sort_by_key(|log| (log.block_number, log.log_index));
        logs.iter()
            .map(|log| {
                let event = E::decode_log_data(log.data())
                    .map_err(|e| EvmError::malformed(format!("an {name} event"), e.to_string()))?;
                let tx = log
                    .transaction_hash
                    .ok_or_else(|| EvmError::Rpc(format!("an {name} log without its transaction")))?;
                Ok((event, tx))
            })
            .collect()
    }

    /// The call a transaction made, decoded as `C` (a direct call of the anchor: a transaction
    /// sent through another contract is refused).
    pub(super) fn call_of<C: SolCall>(&self, tx: B256) -> Result<C, EvmError> {
        let t = self
            .rt
            .block_on(self.provider.get_transaction_by_hash(tx).into_future())
            .map_err(rpc_err)?
            .ok_or_else(|| EvmError::Rpc(format!("the transaction {tx} is unknown")))?;
        if t.to() != Some(self.anchor) {
            return Err(EvmError::malformed(
                format!("the transaction {tx}"),
                format!("not a direct {} call of the anchor", C::SIGNATURE),
            ));
        }
        C::abi_decode(t.input()).map_err(|e| {
            EvmError::malformed(
                format!("the transaction {tx}"),
                format!("not a direct {} call ({e})", C::SIGNATURE),
            )
        })
    }
}
