//! The client of one anchor contract: [`ChainAnchor`] connected as a party (or read-only), its
//! typed `eth_call`s, and the party's secp256k1 keys.

use std::future::IntoFuture;

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{Address, Bytes},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{BlockId, TransactionRequest},
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};

use super::rpc::{rpc_err, send_err};
use crate::EvmError;

/// An `InvoiceAnchor` contract reached over JSON-RPC, acting as one party.
pub struct ChainAnchor {
    /// The runtime the blocking calls drive the provider on.
    pub(super) rt: tokio::runtime::Runtime,
    /// The JSON-RPC provider (signing with the party's key, unless read-only).
    pub(super) provider: DynProvider,
    /// The anchor's address.
    pub(super) anchor: Address,
    /// The party's address (zero when read-only).
    pub(super) from: Address,
}

/// The signer of a secp256k1 private key (64 hex digits, optionally after `0x`).
fn signer(key: &str) -> Result<PrivateKeySigner, EvmError> {
    key.trim()
        .trim_start_matches("0x")
        .parse()
        .map_err(|e| EvmError::malformed("the party's secp256k1 key", format!("{e}")))
}

/// The address of the account whose secp256k1 private key is `key` (64 hex digits, optionally
/// after `0x`).
pub fn address_of_key(key: &str) -> Result<Address, EvmError> {
    signer(key).map(|s| s.address())
}

/// A fresh secp256k1 private key (from the operating system's generator), as `0x` and 64 hex
/// digits, and its account's address.
pub fn generate_key() -> (String, Address) {
    let signer = PrivateKeySigner::random();
    (format!("0x{}", hex::encode(signer.to_bytes())), signer.address())
}

impl ChainAnchor {
    /// The runtime every blocking call drives the provider on: one thread, because the calls
    /// block their caller anyway.
    pub(super) fn runtime() -> Result<tokio::runtime::Runtime, EvmError> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(rpc_err)
    }

    /// A provider that signs with `key`, and the key's address.
    pub(super) fn provider(url: &str, key: &str) -> Result<(DynProvider, Address), EvmError> {
        let signer = signer(key)?;
        let from = signer.address();
        let url = url
            .parse()
            .map_err(|e| EvmError::malformed("the JSON-RPC URL", format!("{url:?}: {e}")))?;
        // The nonce is asked of the node for every transaction: a cached nonce would run ahead
        // when the anchor refuses a call during the gas estimate.
        let provider = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id()
            .wallet(EthereumWallet::from(signer))
            .connect_http(url)
            .erased();
        Ok((provider, from))
    }

    /// Connects to the anchor at `anchor` through the JSON-RPC endpoint `url`, as the party whose
    /// secp256k1 private key is `key` (64 hex digits, optionally after `0x`). Checks that a
    /// contract is deployed there.
    pub fn connect(url: &str, anchor: Address, key: &str) -> Result<Self, EvmError> {
        let (provider, from) = Self::provider(url, key)?;
        Self::at(provider, anchor, from)
    }

    /// The anchor at `anchor` through `provider`, acting as `from`, once a contract is found there.
    fn at(provider: DynProvider, anchor: Address, from: Address) -> Result<Self, EvmError> {
        let me = Self {
            rt: Self::runtime()?,
            provider,
            anchor,
            from,
        };
        let code = me
            .rt
            .block_on(me.provider.get_code_at(anchor).into_future())
            .map_err(rpc_err)?;
        if code.is_empty() {
            return Err(EvmError::Rpc(format!("no contract at {anchor}")));
        }
        Ok(me)
    }

    /// Connects to the anchor at `anchor` through `url` to read it back and audit it, without a
    /// party's key (nothing can be sent). Checks that a contract is deployed there.
    pub fn connect_read_only(url: &str, anchor: Address) -> Result<Self, EvmError> {
        let parsed = url
            .parse()
            .map_err(|e| EvmError::malformed("the JSON-RPC URL", format!("{url:?}: {e}")))?;
        let provider = ProviderBuilder::new()
            .disable_recommended_fillers()
            .connect_http(parsed)
            .erased();
        Self::at(provider, anchor, Address::ZERO)
    }

    /// The anchor's address.
    pub fn address(&self) -> Address {
        self.anchor
    }

    /// This party's address.
    pub fn party(&self) -> Address {
        self.from
    }

    /// A typed `eth_call` of `to` at the latest block.
    pub(super) fn call<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return, EvmError> {
        let tx = TransactionRequest::default()
            .with_to(to)
            .with_input(Bytes::from(call.abi_encode()));
        let out = self
            .rt
            .block_on(self.provider.call(tx).into_future())
            .map_err(send_err)?;
        C::abi_decode_returns(&out)
            .map_err(|e| EvmError::malformed(format!("{} return data", C::SIGNATURE), e.to_string()))
    }

    /// A typed `eth_call` of `to` at `block`.
    pub(super) async fn call_at<C: SolCall>(
        &self,
        to: Address,
        call: C,
        block: BlockId,
    ) -> Result<C::Return, EvmError> {
        let tx = TransactionRequest::default()
            .with_to(to)
            .with_input(Bytes::from(call.abi_encode()));
        let out = self.provider.call(tx).block(block).await.map_err(send_err)?;
        C::abi_decode_returns(&out)
            .map_err(|e| EvmError::malformed(format!("{} return data", C::SIGNATURE), e.to_string()))
    }
}
