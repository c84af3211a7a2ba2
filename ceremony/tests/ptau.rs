//! snarkjs checks our phase 1 on its own: the `.ptau` export of a two-party phase 1 passes the
//! pinned snarkjs's `powersoftau verify` (every contribution's key, the powers' consistency, the
//! challenge hash over the file's points) and can continue it, and a changed power, key, challenge
//! or point after a contribution fails it.

#[path = "../../verifier/tests/common/mod.rs"]
mod common;
mod tiny;

use std::path::Path;

use ark_ec::{AffineRepr, CurveGroup};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_ceremony::ptau_export::ptau_bytes;
use zkinvoice_testkit::node::snarkjs;

/// snarkjs's verdict on the file `bytes`: whether it verifies, and what it said.
fn verify(dir: &Path, name: &str, bytes: &[u8]) -> (bool, String) {
    std::fs::write(dir.join(name), bytes).unwrap();
    snarkjs(dir, &["powersoftau", "verify", name])
}

#[test]
fn snarkjs_verifies_the_ptau_export_and_refuses_it_changed() {
    let mut rng = ChaCha20Rng::seed_from_u64(31);
    let dir = tempfile::tempdir().unwrap();
    let c = tiny::five_after_phase1(dir.path(), &mut rng);
    let file = dir.path().join("phase1.ptau");
    c.export_ptau(&file, &mut rng).unwrap();
    let (ok, text) = snarkjs(dir.path(), &["powersoftau", "verify", "phase1.ptau"]);
    assert!(ok && text.contains("Powers of Tau Ok!"), "{text}");
    assert!(
        text.contains("Contribution #2: buyer") && text.contains("Contribution #1: seller"),
        "{text}"
    );

    // snarkjs continues it: a third contribution, and the whole file verifies.
    let (ok, text) = snarkjs(
        dir.path(),
        &[
            "powersoftau",
            "contribute",
            "phase1.ptau",
            "next.ptau",
            "--name=auditor",
            "-e=some entropy",
        ],
    );
    assert!(ok, "{text}");
    let (ok, text) = snarkjs(dir.path(), &["powersoftau", "verify", "next.ptau"]);
    assert!(ok && text.contains("Contribution #3: auditor"), "{text}");

    let (p1, contributions) = c.ptau_contributions(&mut rng).unwrap();
    let acc = &p1.accumulator;
    assert_eq!(std::fs::read(&file).unwrap(), ptau_bytes(acc, &contributions));
    let twice = |p: ark_bls12_381::G1Affine| (p.into_group() + p).into_affine();

    // A power of tau that is not one.
    let mut bad = acc.clone();
    bad.tau_g1[3] = twice(bad.tau_g1[3]);
    let (ok, text) = verify(dir.path(), "power.ptau", &ptau_bytes(&bad, &contributions));
    assert!(!ok && text.contains("Powers do not match"), "{text}");

    // The first contribution's key changed: refused although it is not the last.
    let mut changed = contributions.clone();
    changed[0].key.alpha.g1_sx = twice(changed[0].key.alpha.g1_sx);
    let (ok, text) = verify(dir.path(), "key.ptau", &ptau_bytes(acc, &changed));
    assert!(
        !ok && text.contains("INVALID key (alpha) in challenge #1"),
        "{text}"
    );

    // The last key made to answer another challenge.
    let mut changed = contributions.clone();
    changed[1].challenge[5] ^= 1;
    let (ok, text) = verify(dir.path(), "challenge.ptau", &ptau_bytes(acc, &changed));
    assert!(
        !ok && text.contains("INVALID key (tau) in challenge #2"),
        "{text}"
    );

    // The first contribution's points after it, not what its key moved.
    let mut changed = contributions.clone();
    changed[0].points.3 = twice(changed[0].points.3);
    let (ok, text) = verify(dir.path(), "points.ptau", &ptau_bytes(acc, &changed));
    assert!(!ok && text.contains("INVALID beta*G1"), "{text}");
}
