//! The anchor contract on a chain, over EVM JSON-RPC (`alloy`; feature `chain`, on by default):
//! deploy, register, submit, read back and audit. The calls block (a private single-threaded
//! runtime drives `alloy`'s asynchronous provider).
//!
//! Transactions are signed locally with the party's secp256k1 key. A call the anchor refuses is
//! simulated first (the gas estimate) and reported as [`EvmError::Refused`] with the contract's
//! error, e.g. `StaleState(expected 0x…, given 0x…)`; nothing is sent then.

use std::future::IntoFuture;

use alloy::{
    consensus::Transaction as _,
    network::{EthereumWallet, TransactionBuilder},
    primitives::{Address, Bytes, TxKind, B256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{BlockId, Filter, TransactionRequest},
    signers::local::PrivateKeySigner,
    sol_types::{SolCall, SolEvent},
    transports::{RpcError, TransportErrorKind},
};
use zkinvoice_verifier::{Fr, InvoicePublicInputs, InvoiceVerifyingKey};

use crate::{
    abi::{
        self,
        contracts::{IInvoiceVerifier, InvoiceAnchor},
    },
    encoding::proof_from_calldata,
    EvmError,
};

/// A transaction the chain included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Included {
    /// Its hash.
    pub hash: B256,
    /// Its block.
    pub block: u64,
    /// Gas used by the whole transaction.
    pub gas_used: u64,
}

/// What an anchor contract holds, read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorState {
    /// The Seller's address.
    pub seller: Address,
    /// The Buyer's address.
    pub buyer: Address,
    /// The verifier's address.
    pub verifier: Address,
    /// The verifier's key hash.
    pub vk_hash: [u8; 32],
    /// The registered MSA commitment and `state_0`, if registered.
    pub msa: Option<(Fr, Fr)>,
    /// The current state (`state_0`, then the state after the latest invoice).
    pub current_state: Option<Fr>,
    /// How many invoices were accepted (counted from the anchor's `InvoiceSubmitted` events: the
    /// contract keeps no counter).
    pub invoice_count: u64,
}

/// One accepted invoice, read back from the anchor's `InvoiceSubmitted` event, with the proof
/// recovered from the transaction that submitted it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainInvoice {
    /// Its position among the anchor's `InvoiceSubmitted` events, in log order (from 0).
    pub index: u64,
    /// The period id.
    pub period_id: u64,
    /// The proof's public inputs (the MSA and usage commitments as registered).
    pub inputs: InvoicePublicInputs,
    /// The submitting transaction.
    pub tx: B256,
    /// The proof, decoded from the transaction's calldata; an error if the transaction was not a
    /// direct `submitInvoice` call, submitted another period or other public inputs, or its proof
    /// does not decode.
    pub proof: Result<zkinvoice_verifier::InvoiceProof, EvmError>,
}

/// An accepted invoice as its `InvoiceSubmitted` event records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submitted {
    /// The period id.
    pub period_id: u64,
    /// The state the invoice was proved from.
    pub state_before: Fr,
    /// The state it was proved to.
    pub state_after: Fr,
    /// The transaction that submitted it.
    pub tx: B256,
}

/// What a check of one invoice needs from the anchor, read at one block
/// ([`ChainAnchor::invoice_facts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceFacts {
    /// The block the facts were read at (the node's latest).
    pub block: u64,
    /// The verifier's key hash.
    pub vk_hash: [u8; 32],
    /// The registered MSA commitment and `state_0`, if registered.
    pub msa: Option<(Fr, Fr)>,
    /// The current state.
    pub current_state: Option<Fr>,
    /// The usage commitment registered for the period asked, if one was asked and is registered.
    pub usage: Option<Fr>,
    /// The invoice's `InvoiceSubmitted` event, if the anchor accepted it.
    pub submitted: Option<Submitted>,
}

/// The outcome of [`ChainAnchor::audit`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainAudit {
    /// Invoices checked.
    pub invoices: u64,
    /// Every failure found, described (empty: the anchor is consistent and every proof verifies).
    pub failures: Vec<String>,
}

/// An `InvoiceAnchor` contract reached over JSON-RPC, acting as one party.
pub struct ChainAnchor {
    rt: tokio::runtime::Runtime,
    provider: DynProvider,
    anchor: Address,
    from: Address,
}

/// A JSON-RPC failure, with the causes its message leaves out (e.g. "Connection refused"): the
/// endpoint could not be reached ([`EvmError::Unreachable`]: try again later), or it failed.
fn rpc_err<E: std::error::Error + 'static>(e: E) -> EvmError {
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

/// A refusal by the anchor (its custom error), or another RPC failure.
fn send_err(e: RpcError<TransportErrorKind>) -> EvmError {
    let refused = e
        .as_error_resp()
        .and_then(|p| p.as_decoded_interface_error::<InvoiceAnchor::InvoiceAnchorErrors>());
    match refused {
        Some(error) => EvmError::Refused(describe(&error)),
        None => rpc_err(e),
    }
}

/// `StaleState(expected 0x…, given 0x…)`.
fn describe(error: &InvoiceAnchor::InvoiceAnchorErrors) -> String {
    use InvoiceAnchor::InvoiceAnchorErrors as E;
    match error {
        E::NotAParty(x) => format!("NotAParty({})", x.caller),
        E::InvalidParties(_) => "InvalidParties".into(),
        E::ZeroValue(_) => "ZeroValue".into(),
        E::MsaAlreadyRegistered(_) => "MsaAlreadyRegistered".into(),
        E::MsaNotRegistered(_) => "MsaNotRegistered".into(),
        E::WrongVerifyingKey(x) => format!("WrongVerifyingKey(expected {}, given {})", x.expected, x.given),
        E::UsageAlreadyRegistered(x) => format!("UsageAlreadyRegistered(period {})", x.periodId),
        E::UsageNotRegistered(x) => format!("UsageNotRegistered(period {})", x.periodId),
        E::WrongMsa(x) => format!("WrongMsa(expected {}, given {})", x.expected, x.given),
        E::WrongUsage(x) => format!(
            "WrongUsage(period {}, expected {}, given {})",
            x.periodId, x.expected, x.given
        ),
        E::AlreadyInvoiced(x) => format!("AlreadyInvoiced(period {})", x.periodId),
        E::StaleState(x) => format!("StaleState(expected {}, given {})", x.expected, x.given),
        E::InvalidProof(_) => "InvalidProof".into(),
        E::NotAScalar(x) => format!("NotAScalar({})", x.value),
    }
}

fn fr_of(word: B256) -> Result<Fr, EvmError> {
    zkinvoice_verifier::fr_from_hex(&word.to_string())
        .map_err(|e| EvmError::malformed("a field element read from the anchor", e.to_string()))
}

fn nonzero(word: B256) -> Result<Option<Fr>, EvmError> {
    if word.is_zero() {
        Ok(None)
    } else {
        fr_of(word).map(Some)
    }
}

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
    fn runtime() -> Result<tokio::runtime::Runtime, EvmError> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(rpc_err)
    }

    fn provider(url: &str, key: &str) -> Result<(DynProvider, Address), EvmError> {
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
        let create = |code: Vec<u8>| -> Result<Address, EvmError> {
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
        };
        let verifier = create(verifier_code.to_vec())?;
        let mut code = anchor_code.to_vec();
        code.extend(abi::anchor_constructor_args(seller, buyer, verifier));
        let anchor = create(code)?;
        Ok(Self {
            rt,
            provider,
            anchor,
            from,
        })
    }

    /// The anchor's address.
    pub fn address(&self) -> Address {
        self.anchor
    }

    /// This party's address.
    pub fn party(&self) -> Address {
        self.from
    }

    fn send(&self, data: Vec<u8>) -> Result<Included, EvmError> {
        let tx = TransactionRequest::default()
            .with_to(self.anchor)
            .with_input(Bytes::from(data));
        let pending = self
            .rt
            .block_on(self.provider.send_transaction(tx))
            .map_err(send_err)?;
        let receipt = self.rt.block_on(pending.get_receipt()).map_err(rpc_err)?;
        if !receipt.status() {
            return Err(EvmError::Rpc(format!(
                "the transaction {} reverted",
                receipt.transaction_hash
            )));
        }
        Ok(Included {
            hash: receipt.transaction_hash,
            block: receipt.block_number.unwrap_or_default(),
            gas_used: receipt.gas_used,
        })
    }

    fn call<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return, EvmError> {
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
    async fn call_at<C: SolCall>(&self, to: Address, call: C, block: BlockId) -> Result<C::Return, EvmError> {
        let tx = TransactionRequest::default()
            .with_to(to)
            .with_input(Bytes::from(call.abi_encode()));
        let out = self.provider.call(tx).block(block).await.map_err(send_err)?;
        C::abi_decode_returns(&out)
            .map_err(|e| EvmError::malformed(format!("{} return data", C::SIGNATURE), e.to_string()))
    }

    /// Proposes the MSA (`registerMsa`); registered once both parties proposed the same values.
    pub fn register_msa(&self, msa: &Fr, state0: &Fr, vk_hash: [u8; 32]) -> Result<Included, EvmError> {
        self.send(abi::register_msa_call(msa, state0, vk_hash))
    }

    /// Proposes a period's usage commitment (`registerUsage`).
    pub fn register_usage(&self, period_id: u64, usage: &Fr) -> Result<Included, EvmError> {
        self.send(abi::register_usage_call(period_id, usage))
    }

    /// Submits a proved invoice (`submitInvoice`).
    pub fn submit_invoice(
        &self,
        period_id: u64,
        proof: &zkinvoice_verifier::InvoiceProof,
        inputs: &InvoicePublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::submit_invoice_call(period_id, proof, inputs))
    }

    /// What the anchor holds.
    pub fn state(&self) -> Result<AnchorState, EvmError> {
        let a = self.anchor;
        let msa = nonzero(self.call(a, InvoiceAnchor::msaCommitmentCall {})?)?;
        let state0 = nonzero(self.call(a, InvoiceAnchor::state0Call {})?)?;
        let count = self.submitted()?.len() as u64;
        Ok(AnchorState {
            seller: self.call(a, InvoiceAnchor::sellerCall {})?,
            buyer: self.call(a, InvoiceAnchor::buyerCall {})?,
            verifier: self.call(a, InvoiceAnchor::verifierCall {})?,
            vk_hash: self.call(a, InvoiceAnchor::vkHashCall {})?.0,
            msa: msa.zip(state0),
            current_state: nonzero(self.call(a, InvoiceAnchor::currentStateCall {})?)?,
            invoice_count: count,
        })
    }

    /// A period's registered usage commitment, if any, and whether it was invoiced.
    pub fn period(&self, period_id: u64) -> Result<(Option<Fr>, bool), EvmError> {
        let p = self.call(self.anchor, InvoiceAnchor::periodCall { periodId: period_id })?;
        Ok((nonzero(p.usageCommitment)?, p.invoiced))
    }

    /// The anchor's `InvoiceSubmitted` events (`eth_getLogs` from block 0), in log order, each
    /// with the transaction that emitted it.
    fn submitted(&self) -> Result<Vec<(InvoiceAnchor::InvoiceSubmitted, B256)>, EvmError> {
        let filter = Filter::new()
            .address(self.anchor)
            .event_signature(InvoiceAnchor::InvoiceSubmitted::SIGNATURE_HASH)
            .from_block(0u64);
        let mut logs = self
            .rt
            .block_on(self.provider.get_logs(&filter))
            .map_err(rpc_err)?;
        logs.retain(|log| !log.removed && log.address() == self.anchor);
        logs.sort_by_key(|log| (log.block_number, log.log_index));
        logs.iter()
            .map(|log| {
                let event = InvoiceAnchor::InvoiceSubmitted::decode_log_data(log.data())
                    .map_err(|e| EvmError::malformed("an InvoiceSubmitted event", e.to_string()))?;
                let tx = log
                    .transaction_hash
                    .ok_or_else(|| EvmError::Rpc("an InvoiceSubmitted log without its transaction".into()))?;
                Ok((event, tx))
            })
            .collect()
    }

    /// The accepted invoice whose invoice commitment is `invoice`, from its `InvoiceSubmitted`
    /// event (found by its indexed commitment), if the anchor accepted it.
    pub fn submitted_invoice(&self, invoice: &Fr) -> Result<Option<Submitted>, EvmError> {
        self.rt.block_on(self.submitted_until(invoice, None))
    }

    /// [`Self::submitted_invoice`], among the events up to block `to` (all: `None`).
    async fn submitted_until(&self, invoice: &Fr, to: Option<u64>) -> Result<Option<Submitted>, EvmError> {
        let mut filter = Filter::new()
            .address(self.anchor)
            .event_signature(InvoiceAnchor::InvoiceSubmitted::SIGNATURE_HASH)
            .topic2(abi::fr_word(invoice))
            .from_block(0u64);
        if let Some(to) = to {
            filter = filter.to_block(to);
        }
        let logs = self.provider.get_logs(&filter).await.map_err(rpc_err)?;
        let Some(log) = logs
            .iter()
            .filter(|log| !log.removed && log.address() == self.anchor)
            .min_by_key(|log| (log.block_number, log.log_index))
        else {
            return Ok(None);
        };
        let event = InvoiceAnchor::InvoiceSubmitted::decode_log_data(log.data())
            .map_err(|e| EvmError::malformed("an InvoiceSubmitted event", e.to_string()))?;
        Ok(Some(Submitted {
            period_id: event.periodId,
            state_before: fr_of(event.stateBefore)?,
            state_after: fr_of(event.stateAfter)?,
            tx: log
                .transaction_hash
                .ok_or_else(|| EvmError::Rpc("an InvoiceSubmitted log without its transaction".into()))?,
        }))
    }

    /// What a check of the invoice `invoice` (of the period `period_id`, if known) needs: the key
    /// hash, the MSA and `state_0`, the current state, the period's usage and the invoice's
    /// `InvoiceSubmitted` event, all read at one block (one consistent snapshot) with the calls
    /// sent concurrently: two round trips to the node. The block is the node's latest less
    /// `confirmations` (0: the latest); the contract must exist at it.
    pub fn invoice_facts(
        &self,
        period_id: Option<u64>,
        invoice: &Fr,
        confirmations: u64,
    ) -> Result<InvoiceFacts, EvmError> {
        self.rt.block_on(async {
            let latest = self.provider.get_block_number().await.map_err(rpc_err)?;
            let block = latest.checked_sub(confirmations).ok_or_else(|| {
                EvmError::Rpc(format!(
                    "the chain has {latest} blocks after its first, fewer than the {confirmations} confirmations asked"
                ))
            })?;
            let (a, at) = (self.anchor, BlockId::number(block));
            let period = async {
                match period_id {
                    Some(id) => self
                        .call_at(a, InvoiceAnchor::periodCall { periodId: id }, at)
                        .await
                        .map(|p| Some(p.usageCommitment)),
                    None => Ok(None),
                }
            };
            let code = async { self.provider.get_code_at(a).block_id(at).await.map_err(rpc_err) };
            let (code, vk_hash, msa, state0, current, usage, submitted) = tokio::join!(
                code,
                self.call_at(a, InvoiceAnchor::vkHashCall {}, at),
                self.call_at(a, InvoiceAnchor::msaCommitmentCall {}, at),
                self.call_at(a, InvoiceAnchor::state0Call {}, at),
                self.call_at(a, InvoiceAnchor::currentStateCall {}, at),
                period,
                self.submitted_until(invoice, Some(block)),
            );
            if code?.is_empty() {
                return Err(EvmError::Rpc(format!(
                    "no contract at {a} at block {block} ({confirmations} confirmations before the latest)"
                )));
            }
            Ok(InvoiceFacts {
                block,
                vk_hash: vk_hash?.0,
                msa: nonzero(msa?)?.zip(nonzero(state0?)?),
                current_state: nonzero(current?)?,
                usage: match usage? {
                    Some(u) => nonzero(u)?,
                    None => None,
                },
                submitted: submitted?,
            })
        })
    }

    /// Every accepted invoice, in order (the anchor's `InvoiceSubmitted` events in log order),
    /// with its proof recovered from its transaction.
    pub fn invoices(&self) -> Result<Vec<ChainInvoice>, EvmError> {
        let Some(msa) = nonzero(self.call(self.anchor, InvoiceAnchor::msaCommitmentCall {})?)? else {
            return Ok(Vec::new());
        };
        let mut usages = std::collections::HashMap::new();
        let mut out = Vec::new();
        for (index, (e, tx)) in self.submitted()?.into_iter().enumerate() {
            let usage = match usages.get(&e.periodId) {
                Some(u) => *u,
                None => {
                    let (u, _) = self.period(e.periodId)?;
                    let u = u.unwrap_or_default();
                    usages.insert(e.periodId, u);
                    u
                }
            };
            let inputs = InvoicePublicInputs {
                msa_commitment: msa,
                usage_commitment: usage,
                state_before: fr_of(e.stateBefore)?,
                state_after: fr_of(e.stateAfter)?,
                invoice_commitment: fr_of(e.invoiceCommitment)?,
            };
            let proof = self.proof_of(tx, e.periodId, &inputs);
            out.push(ChainInvoice {
                index: index as u64,
                period_id: e.periodId,
                inputs,
                tx,
                proof,
            });
        }
        Ok(out)
    }

    /// The proof a transaction submitted, checked to have been submitted for `period_id` with
    /// `inputs`.
    fn proof_of(
        &self,
        tx: B256,
        period_id: u64,
        inputs: &InvoicePublicInputs,
    ) -> Result<zkinvoice_verifier::InvoiceProof, EvmError> {
        let what = || format!("the transaction {tx}");
        let t = self
            .rt
            .block_on(self.provider.get_transaction_by_hash(tx).into_future())
            .map_err(rpc_err)?
            .ok_or_else(|| EvmError::Rpc(format!("{} is unknown", what())))?;
        let call = InvoiceAnchor::submitInvoiceCall::abi_decode(t.input())
            .map_err(|e| EvmError::malformed(what(), format!("not a direct submitInvoice call ({e})")))?;
        if call.periodId != period_id || call.publicInputs != abi::public_input_words(inputs) {
            return Err(EvmError::malformed(
                what(),
                "it submitted another period or other public inputs than the anchor recorded",
            ));
        }
        proof_from_calldata(&call.proof)
    }

    /// Audits the anchor with the bilateral's verifying key: the verifier is the key's, the
    /// state chain runs from `state_0` to the current state without a gap, every invoice's public
    /// inputs are the ones its transaction submitted, and every proof verifies (arkworks).
    pub fn audit(&self, vk: &InvoiceVerifyingKey) -> Result<ChainAudit, EvmError> {
        let state = self.state()?;
        let mut failures = Vec::new();
        if state.vk_hash != vk.hash() {
            failures.push(format!(
                "the anchor's verifier is for key {}, not {}",
                hex::encode(state.vk_hash),
                vk.hash_hex()
            ));
        }
        let on_chain = self.call(state.verifier, IInvoiceVerifier::VK_HASHCall {})?;
        if on_chain.0 != state.vk_hash {
            failures.push("the verifier's key hash is not the anchor's".into());
        }
        let invoices = self.invoices()?;
        let mut expected = state.msa.map(|(_, s0)| s0);
        let mut batch = Vec::new();
        for inv in &invoices {
            if Some(inv.inputs.state_before) != expected {
                failures.push(format!(
                    "invoice {}: does not start from the previous state",
                    inv.index
                ));
            }
            expected = Some(inv.inputs.state_after);
            match &inv.proof {
                Ok(p) => batch.push((inv.index, p.clone(), inv.inputs)),
                Err(e) => failures.push(format!("invoice {}: {e}", inv.index)),
            }
        }
        if state.current_state != expected {
            failures.push("the current state is not the state after the latest invoice".into());
        }
        let key = vk.prepare();
        for (index, proof, inputs) in &batch {
            if zkinvoice_verifier::verify(&key, proof, inputs).is_err() {
                failures.push(format!("invoice {index}: the proof does not verify"));
            }
        }
        Ok(ChainAudit {
            invoices: invoices.len() as u64,
            failures,
        })
    }
}
