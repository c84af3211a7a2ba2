//! Verifying one proof: typed by its statement ([`verify`]), and the statement-erased check every
//! other path (batches, mixed batches, their one-by-one fallback) ends in.

use ark_bls12_381::Fr;

use ark_ec::CurveGroup;

use crate::error::VerifyError;
use crate::key::{PreparedAnyKey, PreparedKeyOf};
use crate::pairing::{self, Pairs};
use crate::proof::InvoiceProof;
use crate::statement::{PublicInputs, Statement};

/// Verifies one proof against a prepared key of statement `S` and the statement's public inputs:
/// [`VerifyError::InvalidProof`] if the pairing check fails, [`VerifyError::KeyMismatch`] (before
/// any pairing) if the inputs are not `S::INPUTS` field elements.
pub fn verify<S: Statement>(
    key: &PreparedKeyOf<S>,
    proof: &InvoiceProof,
    inputs: &S::Inputs,
) -> Result<(), VerifyError> {
    let inputs = inputs.to_field_elements();
    key.erase().check_input_count(inputs.len(), "a proof")?;
    verify_erased(key.erase(), proof, &inputs)
}

/// Verifies one proof against a key whose number of public inputs is `inputs.len()` (checked by the
/// caller): [`VerifyError::InvalidProof`] if the pairing check fails.
pub(crate) fn verify_erased(
    key: &PreparedAnyKey,
    proof: &InvoiceProof,
    inputs: &[Fr],
) -> Result<(), VerifyError> {
    // The key has exactly one `gamma_abc_g1` point per input plus one (checked when it was
    // decoded, and the inputs' count by the caller): IC(x) = gamma_abc[0] + Σ xᵢ·gamma_abc[i + 1].
    let ic = key.pvk.vk.gamma_abc_g1[0] + key.blst.input_sum(inputs);
    // e(A, B) · e(IC(x), -gamma) · e(C, -delta) = e(alpha, beta), with blst's pairings.
    let proof = proof.as_ark();
    let mut pairs = Pairs::with_capacity(3);
    pairs.push(&proof.a, pairing::g2(&proof.b));
    pairs.push(&ic.into_affine(), key.blst.gamma_neg);
    pairs.push(&proof.c, key.blst.delta_neg);
    if pairs.equals(&key.blst.alpha_beta) {
        Ok(())
    } else {
        Err(VerifyError::InvalidProof)
    }
}

#[cfg(test)]
mod tests {
    //! blst's pairing check gives arkworks' verdict, on valid proofs and on every kind of wrong one.

    use ark_bls12_381::{G1Affine, G2Affine};
    use ark_ec::AffineRepr;
    use ark_groth16::{Groth16, Proof};

    use super::verify_erased;
    use crate::test_circuit as common;
    use crate::{Fr, InvoiceProof, InvoiceVerifyingKey};

    #[test]
    fn blst_s_verdict_is_arkworks_verdict() {
        let (pk, vk) = common::setup(5, 21);
        let key = InvoiceVerifyingKey::new(vk).unwrap().prepare();
        let (proof, x) = common::prove(&pk, 3, 40);
        let (other, _) = common::prove(&pk, 4, 41);
        let mut cases: Vec<(&str, Proof<_>, Vec<Fr>)> = vec![("valid", proof.clone(), x.clone())];
        let mut input = x.clone();
        input[2] += Fr::from(1u64);
        cases.push(("another input", proof.clone(), input));
        cases.push((
            "A of another proof",
            Proof {
                a: other.a,
                ..proof.clone()
            },
            x.clone(),
        ));
        cases.push((
            "B of another proof",
            Proof {
                b: other.b,
                ..proof.clone()
            },
            x.clone(),
        ));
        cases.push((
            "C of another proof",
            Proof {
                c: other.c,
                ..proof.clone()
            },
            x.clone(),
        ));
        cases.push((
            "A at infinity",
            Proof {
                a: G1Affine::zero(),
                ..proof.clone()
            },
            x.clone(),
        ));
        cases.push((
            "B at infinity",
            Proof {
                b: G2Affine::zero(),
                ..proof.clone()
            },
            x.clone(),
        ));
        cases.push((
            "C at infinity",
            Proof {
                c: G1Affine::zero(),
                ..proof.clone()
            },
            x.clone(),
        ));
        cases.push((
            "A negated",
            Proof {
                a: -proof.a,
                ..proof.clone()
            },
            x.clone(),
        ));
        for (name, p, inputs) in cases {
            let ark = Groth16::<ark_bls12_381::Bls12_381>::verify_proof(key.as_ark(), &p, &inputs).unwrap();
            let ours = verify_erased(key.erase(), &InvoiceProof::from(p), &inputs).is_ok();
            assert_eq!(ours, ark, "{name}");
            assert_eq!(ours, name == "valid", "{name}");
        }
    }
}
