//! snarkjs's JSON formats for Groth16 on BLS12-381 (`curve: "bls12381"`):
//! `verification_key.json`, `proof.json` and `public.json`, as `snarkjs groth16 verify` reads them.
//!
//! Every number is a decimal string. A G1 point is `[x, y, "1"]`, a G2 point
//! `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]` (projective with `z = 1`); the point at infinity is
//! `["0", "1", "0"]` in G1 and `[["0", "0"], ["1", "0"], ["0", "0"]]` in G2. Public signals are in
//! the circuit's order ([`PublicInputs::to_field_elements`]). Every statement's key, proof and inputs
//! (v1's invoice statement, v2's block, chunk and link) take the same forms.

use ark_bls12_381::{G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::PrimeField;
use serde::{Deserialize, Serialize};
use zkinvoice_verifier::{InvoiceProof, PublicInputs, Statement, VerifyingKeyOf};

/// snarkjs's name of the proof system.
pub const PROTOCOL: &str = "groth16";
/// snarkjs's name of the curve.
pub const CURVE: &str = "bls12381";

/// A G1 point in snarkjs's form: `[x, y, z]`.
pub type G1Json = [String; 3];
/// A G2 point in snarkjs's form: `[[x.c0, x.c1], [y.c0, y.c1], [z.c0, z.c1]]`.
pub type G2Json = [[String; 2]; 3];

/// `verification_key.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationKeyJson {
    /// `groth16`.
    pub protocol: String,
    /// `bls12381`.
    pub curve: String,
    /// The number of public inputs (5).
    #[serde(rename = "nPublic")]
    pub n_public: usize,
    /// alpha in G1.
    pub vk_alpha_1: G1Json,
    /// beta in G2.
    pub vk_beta_2: G2Json,
    /// gamma in G2.
    pub vk_gamma_2: G2Json,
    /// delta in G2.
    pub vk_delta_2: G2Json,
    /// The public inputs' points (`gamma_abc_g1`): `nPublic + 1` of them.
    #[serde(rename = "IC")]
    pub ic: Vec<G1Json>,
}

/// `proof.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofJson {
    /// A in G1.
    pub pi_a: G1Json,
    /// B in G2.
    pub pi_b: G2Json,
    /// C in G1.
    pub pi_c: G1Json,
    /// `groth16`.
    pub protocol: String,
    /// `bls12381`.
    pub curve: String,
}

fn dec<F: PrimeField>(x: &F) -> String {
    x.into_bigint().to_string()
}

fn g1_json(p: &G1Affine) -> G1Json {
    match p.xy() {
        Some((x, y)) => [dec(&x), dec(&y), "1".into()],
        None => ["0".into(), "1".into(), "0".into()],
    }
}

fn g2_json(p: &G2Affine) -> G2Json {
    match p.xy() {
        Some((x, y)) => [
            [dec(&x.c0), dec(&x.c1)],
            [dec(&y.c0), dec(&y.c1)],
            ["1".into(), "0".into()],
        ],
        None => [
            ["0".into(), "0".into()],
            ["1".into(), "0".into()],
            ["0".into(), "0".into()],
        ],
    }
}

impl VerificationKeyJson {
    /// The snarkjs form of a verifying key of any statement.
    pub fn new<S: Statement>(vk: &VerifyingKeyOf<S>) -> Self {
        let vk = vk.as_ark();
        Self {
            protocol: PROTOCOL.into(),
            curve: CURVE.into(),
            n_public: S::INPUTS,
            vk_alpha_1: g1_json(&vk.alpha_g1),
            vk_beta_2: g2_json(&vk.beta_g2),
            vk_gamma_2: g2_json(&vk.gamma_g2),
            vk_delta_2: g2_json(&vk.delta_g2),
            ic: vk.gamma_abc_g1.iter().map(g1_json).collect(),
        }
    }
}

impl ProofJson {
    /// The snarkjs form of a proof.
    pub fn new(proof: &InvoiceProof) -> Self {
        let p = proof.as_ark();
        Self {
            pi_a: g1_json(&p.a),
            pi_b: g2_json(&p.b),
            pi_c: g1_json(&p.c),
            protocol: PROTOCOL.into(),
            curve: CURVE.into(),
        }
    }
}

/// `public.json`: the public inputs as decimal strings, in circuit order.
pub fn public_signals(inputs: &impl PublicInputs) -> Vec<String> {
    PublicInputs::to_field_elements(inputs).iter().map(dec).collect()
}
