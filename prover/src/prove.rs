//! Proving invoices.

use ark_bls12_381::Bls12_381;
use ark_groth16::Groth16;
use ark_snark::SNARK;
use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    model::invoice::CommitmentDoc,
    rate,
    statement::{InvoiceAssignment, InvoiceCircuit, InvoiceOpening, STATEMENT},
    Commitment, Msa, Rated, Salt, Usage,
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
    if before.shape != shape {
        return Err(ProverError::Inconsistent(format!(
            "the state was committed for shape {}, the keys are for shape {}",
            before.shape.name(),
            shape.name
        )));
    }
    let msa_c = commit::msa_commitment(req.msa, shape, req.msa_salt)?;
    if msa_c != before.msa_commitment {
        return Err(ProverError::Inconsistent(
            "the state belongs to another MSA commitment than this MSA and salt open to".into(),
        ));
    }
    let usage_c = commit::usage_commitment(msa_c, req.msa, req.usage, shape, req.usage_salt)?;
    if let Some(expected) = req.expected_usage {
        if expected != usage_c {
            return Err(ProverError::Inconsistent(format!(
                "the usage and salt commit to {usage_c}, not to the agreed usage commitment {expected}"
            )));
        }
    }
    let rated = rate(req.msa, req.usage, &before.state, req.invoice_number)?;
    let invoice_salt = Salt::random(rng);
    let after = StateOpening::new(msa_c, rated.after.clone(), shape, Salt::random(rng))?;
    let opening = InvoiceOpening {
        msa: req.msa,
        msa_salt: req.msa_salt,
        usage: req.usage,
        usage_salt: req.usage_salt,
        before: &before.state,
        before_salt: &before.salt,
        invoice: &rated.invoice,
        invoice_salt: &invoice_salt,
        after: &after.state,
        after_salt: &after.salt,
    };
    let public = opening.public_inputs(shape)?;
    let circuit = InvoiceCircuit {
        public,
        assignment: InvoiceAssignment::new(shape, &opening)?,
    };
    let proof = Groth16::<Bls12_381>::prove(keys.proving.as_ark(), circuit, rng)
        .map_err(|e| ProverError::Proving(e.to_string()))?;
    let proof = InvoiceProof::from(proof);
    verify(&keys.prepared, &proof, &public).map_err(|e| ProverError::SelfCheck(e.to_string()))?;
    let invoice_c = Commitment(public.invoice_commitment);
    let envelope = ProofEnvelope {
        scheme: SCHEME.into(),
        statement: STATEMENT.into(),
        shape: shape.name.into(),
        vk_hash: keys.verifying.hash_hex(),
        proof,
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
