//! # zkinvoice-evm
//!
//! zkinvoice proofs for other verifiers:
//! - [`solidity`]: the Solidity sources of an `InvoiceVerifier` for one verifying key (Groth16 on
//!   BLS12-381 with the EIP-2537 precompiles of the Prague hard fork) and of the `InvoiceAnchor`
//!   contract of a bilateral, generated from templates;
//! - [`encoding`]: the EIP-2537 encodings of points and the proof's 512-byte calldata form;
//! - [`abi`]: the contracts' ABI and the calldata of their calls;
//! - [`snarkjs`]: snarkjs's `verification_key.json`, `proof.json` and `public.json`;
//! - `chain` (feature `chain`, on by default): the anchor contract over EVM JSON-RPC;
//! - [`EvmError`]: every refusal, the anchor contract's as a typed [`ContractError`].
//!
//! The contracts, the ABI and the encodings are described in `docs/evm.md`.
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

pub mod abi;
#[cfg(feature = "chain")]
pub mod chain;
pub mod encoding;
mod error;
pub mod snarkjs;
pub mod solidity;

pub use alloy_primitives::{Address, B256, U256};
pub use error::{ContractError, EvmError};
