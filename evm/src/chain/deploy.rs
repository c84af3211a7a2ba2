//! Deploying a bilateral's contracts: the verifier of its key, then the anchor of its two
//! parties pointing at it; and a statement's verifier (netting, credit notes) anchors register.

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, Bytes, TxKind},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
};

use super::anchor::ChainAnchor;
use super::rpc::{rpc_err, send_err};
use crate::{abi, EvmError};

impl ChainAnchor {
    /// Deploys a statement's verifier (`code`: its creation code, as solc compiled
    /// `NettingVerifier.sol` or `CreditVerifier.sol`) from the account of `key`; returns its
    /// address, which the parties name in `registerNetting` or `registerCreditVerifier`.
    pub fn deploy_statement_verifier(url: &str, key: &str, code: &[u8]) -> Result<Address, EvmError> {
        let (provider, _) = Self::provider(url, key)?;
        let rt = Self::runtime()?;
        create(&rt, &provider, code.to_vec())
    }

    /// Deploys a verifier (`verifier_code`: its creation code, as solc compiled
    /// `InvoiceVerifier.sol`) and an anchor for `seller` and `buyer` (`anchor_code`: the creation
    /// code of `InvoiceAnchor.sol`), from the account of `key`; returns the anchor, connected as
    /// that account.
    pub fn deploy(
        url: &str,
        key: &str,
        seller: Address,
        buyer: Address,
        verifier_code: &[u8],
        anchor_code: &[u8],
    ) -> Result<Self, EvmError> {
        let (provider, from) = Self::provider(url, key)?;
        let rt = Self::runtime()?;
        let verifier = create(&rt, &provider, verifier_code.to_vec())?;
        let mut code = anchor_code.to_vec();
        code.extend(abi::anchor_constructor_args(seller, buyer, verifier));
        let anchor = create(&rt, &provider, code)?;
        Ok(Self {
            rt,
            provider,
            anchor,
            from,
        })
    }
}

/// Sends a contract creation with `code` and returns the new contract's address.
fn create(rt: &tokio::runtime::Runtime, provider: &DynProvider, code: Vec<u8>) -> Result<Address, EvmError> {
    let tx = TransactionRequest::default()
        .with_kind(TxKind::Create)
        .with_input(Bytes::from(code));
    let pending = rt.block_on(provider.send_transaction(tx)).map_err(send_err)?;
    let receipt = rt.block_on(pending.get_receipt()).map_err(rpc_err)?;
    if !receipt.status() {
        return Err(EvmError::Rpc(format!(
            "the deployment {} failed",
            receipt.transaction_hash
        )));
    }
    receipt
        .contract_address
        .ok_or_else(|| EvmError::Rpc("the deployment created no contract".into()))
}
