//! The example bilateral proved at shape S (seeded): keys, commitments, October proved twice from
//! `state_0` (different invoice numbers) and November from October's state after; and the
//! contracts generated for its key, compiled once per test binary with the pinned solc-js.

use std::sync::OnceLock;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{commit, commit::StateOpening, Msa, Salt, Shape, Usage, VolumeState};
use zkinvoice_prover::{InvoiceKeys, ProveRequest};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKey};

use crate::{
    examples::{weekly_usage, MSA},
    node::{compile, Compiled},
};

/// A proof with its public inputs.
#[derive(Clone)]
pub struct Proved {
    /// The proof.
    pub proof: InvoiceProof,
    /// Its public inputs.
    pub inputs: InvoicePublicInputs,
}

/// The example bilateral at shape S: keys, commitments, October proved twice from `state_0`
/// (different salts) and November proved from October's first state after.
pub struct World {
    /// The verifying key.
    pub vk: InvoiceVerifyingKey,
    /// The MSA commitment.
    pub msa: Fr,
    /// `state_0`.
    pub state0: Fr,
    /// October's usage commitment.
    pub october_usage: Fr,
    /// November's usage commitment.
    pub november_usage: Fr,
    /// October from `state_0`.
    pub october: Proved,
    /// October again from `state_0` (another invoice number).
    pub october_again: Proved,
    /// November from October's state after.
    pub november: Proved,
}

/// The test binary's [`World`], made once (setup and three proofs at shape S, seeded).
pub fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let t = std::time::Instant::now();
        let mut rng = ChaCha20Rng::seed_from_u64(2537);
        let shape = Shape::S;
        let msa = Msa::from_json(MSA).expect("the example MSA");
        let keys = crate::keycache::setup("proofs", shape, &mut rng, |r| InvoiceKeys::setup(shape, r)).keys;
        let msa_salt = Salt::random(&mut rng);
        let msa_c = commit::msa_commitment(&msa, shape, &msa_salt).expect("MSA commitment");
        let state0 = StateOpening::new(msa_c, VolumeState::initial(&msa), shape, Salt::random(&mut rng))
            .expect("state 0");
        let [october, november] = weekly_usage(&msa);
        let (oct_salt, nov_salt) = (Salt::random(&mut rng), Salt::random(&mut rng));
        let oct_c = commit::usage_commitment(msa_c, &msa, &october, shape, &oct_salt).expect("usage");
        let nov_c = commit::usage_commitment(msa_c, &msa, &november, shape, &nov_salt).expect("usage");
        let mut prove = |usage: &Usage, usage_salt: &Salt, before: &StateOpening, number: &str| {
            let proved = zkinvoice_prover::prove(
                &keys,
                &ProveRequest {
                    msa: &msa,
                    msa_salt: &msa_salt,
                    usage,
                    usage_salt,
                    expected_usage: None,
                    before,
                    invoice_number: number,
                },
                &mut rng,
            )
            .expect("proves");
            (
                Proved {
                    proof: proved.envelope.proof.single().expect("one proof").clone(),
                    inputs: proved.envelope.public_inputs,
                },
                proved.after,
            )
        };
        let (oct, after_oct) = prove(&october, &oct_salt, &state0, "INV-2026-10");
        let (oct_again, _) = prove(&october, &oct_salt, &state0, "INV-2026-10-BIS");
        let (nov, _) = prove(&november, &nov_salt, &after_oct, "INV-2026-11");
        eprintln!(
            "world: setup and 3 proofs at shape S in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        World {
            vk: keys.verifying.clone(),
            msa: msa_c.0,
            state0: state0.commitment.0,
            october_usage: oct_c.0,
            november_usage: nov_c.0,
            october: oct,
            october_again: oct_again,
            november: nov,
        }
    })
}

/// The contracts generated for the world's key, compiled once per test binary.
pub fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut files = Vec::new();
        for (name, text) in zkinvoice_evm::solidity::sources(&world().vk, None) {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("writes");
            files.push(p);
        }
        let t = std::time::Instant::now();
        let c = compile(&files);
        eprintln!(
            "solc-js {} compiled both contracts in {:.1} s",
            c.solc,
            t.elapsed().as_secs_f64()
        );
        c
    })
}
