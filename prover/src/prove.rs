//! Proving invoices.

use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    model::invoice::CommitmentDoc,
    rate,
    statement::{InvoiceAssignment, InvoiceCircuit, InvoiceOpening, STATEMENT},
    Commitment, Layout, Msa, Rated, Salt, Usage,
};
use zkinvoice_verifier::{verify, InvoiceProof};

use crate::{envelope::SCHEME, InvoiceKeys, ProofEnvelope, ProverError};

/// What the Seller proves one invoice from.
#[derive(Clone, Copy, Debug)]
pub struct ProveRequest<'a> {
    /// The MSA.
    pub msa: &'a Msa,
    /// The salt of its anchored commitment.
    pub msa_salt: &'a Salt,
    /// The period's agreed usage.
    pub usage: &'a Usage,
    /// The salt of its anchored commitment.
    pub usage_salt: &'a Salt,
    /// The anchored usage commitment, to check the usage against before proving.
    pub expected_usage: Option<Commitment>,
    /// The state the period starts from (the latest anchored state).
    pub before: &'a StateOpening,
    /// The invoice number.
    pub invoice_number: &'a str,
}

/// A proved invoice.
pub struct Proved {
    /// The envelope to send and anchor.
    pub envelope: ProofEnvelope,
    /// The rating behind it.
    pub rated: Rated,
    /// The state after the period, opened.
    pub after: StateOpening,
}

impl ProveRequest<'_> {
    /// Checks that the inputs belong together under `layout` (the keys'): the state was committed
    /// under it, for the MSA commitment the MSA and its salt open to, and the usage and its salt
    /// open the agreed usage commitment (if one is given). Returns the MSA commitment.
    pub fn consistent(&self, layout: Layout) -> Result<Commitment, ProverError> {
        let before = self.before;
        if before.shape != layout {
            return Err(ProverError::Inconsistent(format!(
                "the state was committed for shape {}, the keys are for shape {}",
                before.shape.name(),
                layout.name()
            )));
        }
        let msa_c = commit::msa_commitment(self.msa, layout, self.msa_salt)?;
        if msa_c != before.msa_commitment {
            return Err(ProverError::Inconsistent(
                "the state belongs to another MSA commitment than this MSA and salt open to".into(),
            ));
        }
        let usage_c = commit::usage_commitment(msa_c, self.msa, self.usage, layout, self.usage_salt)?;
        if let Some(expected) = self.expected_usage {
            if expected != usage_c {
                return Err(ProverError::Inconsistent(format!(
                    "the usage and salt commit to {usage_c}, not to the agreed usage commitment {expected}"
                )));
            }
        }
        Ok(msa_c)
    }

    /// What the prover opens: these inputs, the invoice rated from them with its salt, and the
    /// state after.
    pub fn opening<'a>(
        &'a self,
        invoice: &'a zkinvoice_circuits::Invoice,
        invoice_salt: &'a Salt,
        after: &'a StateOpening,
    ) -> InvoiceOpening<'a> {
        InvoiceOpening {
            msa: self.msa,
            msa_salt: self.msa_salt,
            usage: self.usage,
            usage_salt: self.usage_salt,
            before: &self.before.state,
            before_salt: &self.before.salt,
            invoice,
            invoice_salt,
            after: &after.state,
            after_salt: &after.salt,
        }
    }
}

/// Rates the period, builds the witness, proves, and checks the proof under the keys' own
/// verifying key before returning it.
///
/// Inputs that do not belong together (another MSA, shape or usage commitment) are refused
/// before proving with [`ProverError::Inconsistent`].
pub fn prove<R: RngCore + CryptoRng>(
    keys: &InvoiceKeys,
    req: &ProveRequest<'_>,
    rng: &mut R,
) -> Result<Proved, ProverError> {
    let shape = keys.shape();
    let before = req.before;
    let msa_c = req.consistent(shape.into())?;
    let rated = rate(req.msa, req.usage, &before.state, req.invoice_number)?;
    let invoice_salt = Salt::random(rng);
    let after = StateOpening::new(msa_c, rated.after.clone(), shape, Salt::random(rng))?;
    let opening = req.opening(&rated.invoice, &invoice_salt, &after);
    let public = opening.public_inputs(shape)?;
    let circuit = InvoiceCircuit {
        public,
        assignment: InvoiceAssignment::new(shape, &opening)?,
    };
    let proof = keys.proving.prover().prove(circuit, rng)?;
    let proof = InvoiceProof::from(proof);
    verify(&keys.prepared, &proof, &public).map_err(|e| ProverError::SelfCheck(e.to_string()))?;
    let invoice_c = Commitment(public.invoice_commitment);
    let envelope = ProofEnvelope {
        scheme: SCHEME.into(),
        statement: STATEMENT.into(),
        shape: shape.name.into(),
        vk_hash: keys.verifying.hash_hex(),
        proof: proof.into(),
        public_inputs: public,
        invoice: rated.invoice.to_doc(Some(CommitmentDoc {
            shape: shape.name.into(),
            salt: invoice_salt.to_hex(),
            value: invoice_c.to_string(),
        })),
        state_after: after.to_doc(req.msa),
    };
    Ok(Proved {
        envelope,
        rated,
        after,
    })
}

/// Proves many invoices in parallel (rayon), each with its own generator seeded from the
/// operating system. Results are in the order of the requests.
pub fn prove_batch(keys: &InvoiceKeys, requests: &[ProveRequest<'_>]) -> Vec<Result<Proved, ProverError>> {
    requests
        .par_iter()
        .map(|req| {
            let mut rng =
                ChaCha20Rng::from_rng(rand::rngs::OsRng).map_err(|e| ProverError::Proving(e.to_string()))?;
            prove(keys, req, &mut rng)
        })
        .collect()
}
