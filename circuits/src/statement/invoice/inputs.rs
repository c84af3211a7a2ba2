//! The statement's public inputs in-circuit (no constraints: instance variables only).

use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::InvoicePublicInputs;

use crate::Fr;

/// The five public inputs as instance variables, in their order.
pub(super) struct PublicVars {
    /// `msa_commitment`.
    pub msa: FpVar<Fr>,
    /// `usage_commitment`.
    pub usage: FpVar<Fr>,
    /// `state_before`.
    pub before: FpVar<Fr>,
    /// `state_after`.
    pub after: FpVar<Fr>,
    /// `invoice_commitment`.
    pub invoice: FpVar<Fr>,
}

impl PublicVars {
    /// Allocates the public inputs, in the order the verifier supplies them.
    pub(super) fn new(
        cs: &ConstraintSystemRef<Fr>,
        public: &InvoicePublicInputs,
    ) -> Result<Self, SynthesisError> {
        let [msa, usage, before, after, invoice] = public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        Ok(Self {
            msa: msa?,
            usage: usage?,
            before: before?,
            after: after?,
            invoice: invoice?,
        })
    }
}
