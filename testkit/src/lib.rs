//! # zkinvoice-testkit
//!
//! What the workspace's tests and benchmarks share, in one crate (never included by path):
//!
//! * [`examples`]: the example bilateral's files (`examples/`);
//! * [`proofs`]: the example bilateral proved at shape S (keys, commitments, October twice and
//!   November), and the contracts generated for its key compiled with solc-js;
//! * [`bilateral`]: the same bilateral as the services see it: agreed anchor entries, proved
//!   proposals and MEF 141 bills;
//! * [`reconciled`]: its reconciliations after them: a reconciliation key, a period within the
//!   dispute thresholds and one over them, disputed and resolved;
//! * [`partial`]: the disputed period invoiced in part while its dispute is open;
//! * [`node`]: the pinned Node tools (`tools/node`: solc-js, snarkjs, Hardhat), **installed on
//!   first use** with `npm ci` (a test never passes by skipping them), and a Hardhat node on
//!   loopback;
//! * [`revm`]: a Prague EVM (revm) to deploy and call contracts in;
//! * [`model`]: builders of MSAs, products and usage, and a bilateral of several partitions;
//! * [`cases`]: circuits with real witnesses (October at a v1 shape, a filled partition of each
//!   statement) for the benches and the prover's tests;
//! * [`fieldwalk`]: every change of one leaf of a JSON document, for tests that assert each is
//!   refused or documented as free;
//! * [`keycache`]: the fixtures' keys, made once per build directory and loaded by later binaries;
//! * [`bless`]: recorded files (count tables, vectors, fuzz seeds), checked against what the code
//!   makes now and rewritten with `ZKINVOICE_BLESS=1`.
//!
//! Everything is seeded: the same inputs, keys and proofs on every run.
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

pub mod bilateral;
pub mod bless;
pub mod cases;
pub mod credited;
pub mod entrywalk;
pub mod examples;
pub mod fieldwalk;
pub mod final_credit;
pub mod keycache;
pub mod model;
pub mod netted;
pub mod node;
pub mod partial;
pub mod partitioned;
pub mod proofs;
pub mod reconciled;
pub mod revm;
