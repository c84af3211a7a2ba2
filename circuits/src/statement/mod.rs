//! R1CS statements: what a proof attests.
//!
//! [`invoice`] is the invoice statement (protocol v1), synthesised in named parts with their
//! costs; [`assignment`] builds its witness natively from the model. Protocol v2 proves an invoice
//! of any size as partitions: [`block`] (a block of products rated), [`chunk`] (a chunk of usage
//! records read) and [`link`] (the header and the totals); [`crate::partition`] builds their
//! witnesses and public values. [`reconcile`] compares two invoices of a period against the MSA's
//! dispute thresholds (issue 16); [`netting`] nets two invoices in opposite directions.

pub mod assignment;
pub mod block;
pub mod chunk;
pub mod credit;
pub mod invoice;
pub mod link;
pub mod netting;
pub mod r1cs;
pub mod reconcile;

pub use assignment::{InvoiceAssignment, InvoiceOpening, RecordAssignment, SlotAssignment};
pub use invoice::{circuit_digest, measure, InvoiceCircuit, InvoiceCost, Part, Per, STATEMENT};
pub use r1cs::R1cs;

use ark_relations::gr1cs::{ConstraintSynthesizer, SynthesisError};

use crate::Fr;

/// SHA-256 over the constraint matrices of `circuit` (a blank circuit, as key generation
/// synthesises it), with the statement's id and its numbers of instance and witness variables: any
/// change to a circuit changes its digest, so keys made for another version are recognised.
pub fn digest(statement: &str, circuit: impl ConstraintSynthesizer<Fr>) -> Result<[u8; 32], SynthesisError> {
    Ok(R1cs::of(statement, circuit)?.digest)
}
