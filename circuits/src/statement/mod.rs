//! R1CS statements: what a proof attests.
//!
//! [`invoice`] is the invoice statement (protocol v1), synthesised in named parts with their
//! costs; [`assignment`] builds its witness natively from the model. Protocol v2 proves an invoice
//! of any size as partitions: [`block`] (a block of products rated), [`chunk`] (a chunk of usage
//! records read) and [`link`] (the header and the totals); [`crate::partition`] builds their
//! witnesses and public values.

pub mod assignment;
pub mod block;
pub mod chunk;
pub mod invoice;
pub mod link;

pub use assignment::{InvoiceAssignment, InvoiceOpening, RecordAssignment, SlotAssignment};
pub use invoice::{circuit_digest, measure, InvoiceCircuit, InvoiceCost, Part, Per, STATEMENT};

use ark_relations::gr1cs::{ConstraintSynthesizer, SynthesisError};

use crate::Fr;

/// SHA-256 over the constraint matrices of `circuit` (a blank circuit, as key generation
/// synthesises it), with the statement's id and its numbers of instance and witness variables: any
/// change to a circuit changes its digest, so keys made for another version are recognised.
pub fn digest(statement: &str, circuit: impl ConstraintSynthesizer<Fr>) -> Result<[u8; 32], SynthesisError> {
    use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode};
    use ark_serialize::CanonicalSerialize;
    use sha2::{Digest, Sha256};

    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    circuit.generate_constraints(cs.clone())?;
    cs.finalize();
    let mut h = Sha256::new();
    h.update(statement.as_bytes());
    h.update((cs.num_instance_variables() as u64).to_le_bytes());
    h.update((cs.num_witness_variables() as u64).to_le_bytes());
    let mut buf = Vec::with_capacity(32);
    for (label, matrices) in cs.to_matrices()? {
        h.update((label.len() as u64).to_le_bytes());
        h.update(label.as_bytes());
        for m in matrices {
            h.update((m.len() as u64).to_le_bytes());
            for row in m {
                h.update((row.len() as u64).to_le_bytes());
                for (coeff, index) in row {
                    buf.clear();
                    coeff
                        .serialize_compressed(&mut buf)
                        .map_err(|_| SynthesisError::Unsatisfiable)?;
                    h.update(&buf);
                    h.update((index as u64).to_le_bytes());
                }
            }
        }
    }
    Ok(h.finalize().into())
}
