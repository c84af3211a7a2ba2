//! # zkinvoice-prover
//!
//! The Seller's prover: Groth16 keys and setup per shape, witness building from the reference
//! rater, proving (in parallel for batches) and proof envelopes. Its first code lands with the
//! invoice statement (issue 3); the native model, rater and commitments it builds on live in
//! `zkinvoice-circuits`.
#![forbid(unsafe_code)]
