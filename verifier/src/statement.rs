//! Statements: what a verifying key, a proof and a set of public inputs are about.
//!
//! Protocol v2 verifies proofs of several Groth16 statements (the invoice statement, and later a
//! block, a chunk and a link statement) with the same code. A statement is a zero-sized marker type
//! implementing [`Statement`]: its id (recorded in manifests and envelopes), its number of public
//! inputs and the type of its public inputs. Keys are typed by their statement
//! ([`VerifyingKeyOf`](crate::VerifyingKeyOf), [`PreparedKeyOf`](crate::PreparedKeyOf)), so a proof
//! of one statement cannot be checked against the inputs of another by mistake; the statement is
//! erased only to verify proofs of several statements together ([`verify_mixed`](crate::verify_mixed)).
//!
//! This module relies on nothing but the field: it knows no circuit.

use crate::inputs::{InvoicePublicInputs, PUBLIC_INPUT_COUNT};
use crate::Fr;

/// A Groth16 statement, implemented by a zero-sized marker type such as [`InvoiceStatement`].
pub trait Statement: 'static + Send + Sync {
    /// The statement id recorded in manifests and envelopes, e.g. `"zkinvoice/invoice/v1"`.
    const ID: &'static str;
    /// Number of public inputs.
    const INPUTS: usize;
    /// The typed public inputs.
    type Inputs: PublicInputs;
}

/// Public inputs as the field elements the circuit allocates, in its order.
///
/// A statement's inputs must give exactly [`Statement::INPUTS`] elements; verification refuses any
/// other count ([`VerifyError::KeyMismatch`](crate::VerifyError::KeyMismatch)) before any pairing.
pub trait PublicInputs {
    /// The public inputs in circuit order.
    fn to_field_elements(&self) -> Vec<Fr>;
}

/// Plain arrays of field elements, for statements whose inputs have no names of their own.
impl<const N: usize> PublicInputs for [Fr; N] {
    fn to_field_elements(&self) -> Vec<Fr> {
        self.to_vec()
    }
}

impl PublicInputs for InvoicePublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        InvoicePublicInputs::to_field_elements(self).to_vec()
    }
}

/// The invoice statement (protocol v1): the five public inputs of [`InvoicePublicInputs`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct InvoiceStatement;

impl Statement for InvoiceStatement {
    const ID: &'static str = "zkinvoice/invoice/v1";
    const INPUTS: usize = PUBLIC_INPUT_COUNT;
    type Inputs = InvoicePublicInputs;
}

#[cfg(test)]
mod tests {
    use super::{InvoiceStatement, PublicInputs, Statement};
    use crate::{Fr, InvoicePublicInputs};

    #[test]
    fn invoice_inputs_give_the_statements_count_in_circuit_order() {
        let x: [Fr; 5] = std::array::from_fn(|i| Fr::from(i as u64 + 10));
        let inputs = InvoicePublicInputs {
            msa_commitment: x[0],
            usage_commitment: x[1],
            state_before: x[2],
            state_after: x[3],
            invoice_commitment: x[4],
        };
        let elements = PublicInputs::to_field_elements(&inputs);
        assert_eq!(elements.len(), InvoiceStatement::INPUTS);
        assert_eq!(elements, x.to_vec());
        assert_eq!(PublicInputs::to_field_elements(&x), x.to_vec());
    }
}
