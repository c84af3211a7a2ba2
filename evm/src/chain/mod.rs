//! The anchor contract on a chain, over EVM JSON-RPC (`alloy`; feature `chain`, on by default):
//! deploy, register, submit, read back and audit. The calls block (a private single-threaded
//! runtime drives `alloy`'s asynchronous provider).
//!
//! Transactions are signed locally with the party's secp256k1 key. A call the anchor refuses is
//! simulated first (the gas estimate) and reported as [`EvmError::Refused`] with the contract's
//! error, e.g. [`crate::ContractError::StaleState`]; nothing is sent then.
//!
//! One file per job: `anchor` (the client: connecting, typed calls), `deploy`, `calls` (the
//! transactions: register, submit), `read` (what the anchor holds, the facts a check needs),
//! `events` (its events and the calls that emitted them), `netting` (what it holds of
//! nettings, and a recorded netting's proof checked again), `credit` (SLA credits' calls and reads), `reconcile` (the reconciliation's calls
//! and reads), `partial` (partial invoices' calls and reads), `audit` (the invoices),
//! `audit_statements` (the nettings' and credit notes' proofs), `audit_reconcile` (the
//! measurements', reconciliations' and partial invoices' proofs), and `rpc` (JSON-RPC failures
//! and words read back). This file only gathers their public items; the modules import each
//! other one way (`rpc` <- `anchor` <- the rest, `calls` <- `credit`, `reconcile` and
//! `partial`, `read` <- `partial` (which completes `read`'s `invoice_facts`), `credit` <- `read` (likewise), `events` <- `read` and `netting`, `read`, `netting` and
//! `credit` <- `audit`, `audit` <- `audit_statements` <- `audit_reconcile`, `reconcile` and
//! `partial` <- `audit_reconcile`).
//!
//! [`EvmError::Refused`]: crate::EvmError::Refused

mod anchor;
mod audit;
mod audit_reconcile;
mod audit_statements;
mod calls;
mod credit;
mod deploy;
mod events;
mod netting;
mod partial;
mod read;
mod reconcile;
mod rpc;

pub use anchor::{address_of_key, generate_key, ChainAnchor};
pub use audit::{AuditFailure, ChainAudit};
pub use audit_reconcile::ReconcileAudit;
pub use audit_statements::{StatementAudit, StatementKeys};
pub use calls::Included;
pub use credit::CreditFacts;
pub use netting::{ChainNetting, NettingKey, RecordedNetting};
pub use read::{
    AnchorState, ChainInvoice, ChainPartial, ChainPayment, InvoiceFacts, PartialFacts, Submitted,
};
pub use reconcile::ChainReconciliation;
