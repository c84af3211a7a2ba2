//! # zkinvoice-verifier
//!
//! The Buyer's and the auditor's light verifier: checks proof envelopes against anchored
//! commitments, one by one or in batches, without the circuit code. Its first code lands with the
//! invoice statement (issue 3).
#![forbid(unsafe_code)]
