//! The ceremony end to end on tiny statements: its keys equal arkworks' for the same secrets, a key
//! with any query changed is refused naming the query, a two-party transcript verifies and its
//! keys prove, and every tampering, replay, reordering or transplant of a contribution is refused
//! naming it.

#[path = "../../verifier/tests/common/mod.rs"]
mod common;

use std::{fs, path::Path, sync::Arc};

use ark_bls12_381::{Bls12_381, Fr, G1Projective, G2Projective};
use ark_ec::{AffineRepr, PrimeGroup};
use ark_ff::{One, UniformRand};
use ark_groth16::Groth16;
use ark_snark::SNARK;
use common::{Multiples, Powers};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_ceremony::{
    phase1::Accumulator,
    phase2::{self, domain_power, Lagrange},
    transcript::{Ceremony, Statement},
    CeremonyError,
};
use zkinvoice_circuits::statement::R1cs;

fn statements() -> Vec<Statement> {
    let multiples = R1cs::of("test/multiples", Multiples { w: Fr::one(), n: 3 }).unwrap();
    let powers = R1cs::of("test/powers", Powers { w: Fr::one(), n: 5 }).unwrap();
    vec![
        Statement::of("multiples", "test/multiples", Arc::new(multiples)),
        Statement::of("powers", "test/powers", Arc::new(powers)),
    ]
}

#[test]
fn a_key_with_any_query_changed_is_refused_naming_it() {
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let r1cs = R1cs::of("test/multiples", Multiples { w: Fr::one(), n: 3 }).unwrap();
    let power = domain_power(&r1cs);
    let (t, a, b, d) = (
        Fr::rand(&mut rng),
        Fr::rand(&mut rng),
        Fr::rand(&mut rng),
        Fr::rand(&mut rng),
    );
    let acc = Accumulator::new(power + 1).contribute(t, a, b, &());
    let lagrange = Lagrange::of(&acc, power, &()).unwrap();
    let key = phase2::contribute(&phase2::start(&r1cs, &acc, &lagrange), d, &());
    phase2::check_key(&key, &acc, &r1cs, &mut rng).unwrap();
    // Each query's first point that is not zero, doubled.
    fn twice<P: AffineRepr>(points: &mut [P]) {
        let p = points.iter_mut().find(|p| !p.is_zero()).expect("a point");
        *p = (*p + *p).into();
    }
    let parts = [
        "the A query",
        "the B query in G1",
        "the B query in G2",
        "the L query or γ_abc",
        "the L query or γ_abc",
        "the H query",
    ];
    for (i, part) in parts.into_iter().enumerate() {
        let mut bad = key.clone();
        match i {
            0 => twice(&mut bad.a_query),
            1 => twice(&mut bad.b_g1_query),
            2 => twice(&mut bad.b_g2_query),
            3 => twice(&mut bad.l_query),
            4 => twice(&mut bad.vk.gamma_abc_g1),
            _ => twice(&mut bad.h_query),
        }
        assert_ne!(bad, key);
        assert_eq!(phase2::check_key(&bad, &acc, &r1cs, &mut rng), Err(part));
    }
}

#[test]
fn a_start_and_one_contribution_give_arkworks_key_for_the_same_secrets() {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let circuit = Multiples { w: Fr::one(), n: 3 };
    let r1cs = R1cs::of("test/multiples", circuit.clone()).unwrap();
    let power = domain_power(&r1cs);
    let (alpha, beta, delta) = (Fr::rand(&mut rng), Fr::rand(&mut rng), Fr::rand(&mut rng));
    // arkworks draws τ first from its RNG: the same stream gives us the same τ.
    let mut ark_rng = rng.clone();
    let tau = Fr::rand(&mut rng.clone());
    let acc = Accumulator::new(power + 1).contribute(tau, alpha, beta, &());
    let lagrange = Lagrange::of(&acc, power, &()).unwrap();
    let start = phase2::start(&r1cs, &acc, &lagrange);
    phase2::check_key(&start, &acc, &r1cs, &mut rng).unwrap();
    let ours = phase2::contribute(&start, delta, &());
    phase2::check_key(&ours, &acc, &r1cs, &mut rng).unwrap();
    let ark = Groth16::<Bls12_381>::generate_parameters_with_qap(
        circuit,
        alpha,
        beta,
        Fr::one(),
        delta,
        G1Projective::generator(),
        G2Projective::generator(),
        &mut ark_rng,
    )
    .unwrap();
    assert_eq!(
        ours, ark,
        "the same key as arkworks' generator for τ, α, β, γ = 1, δ"
    );
}

/// Two parties through both phases in `dir`.
fn two_parties(dir: &Path, statements: Vec<Statement>, seed: u64) -> Ceremony {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let c = Ceremony::create(dir, "test", statements, None).unwrap();
    c.contribute_phase1("buyer", &mut rng, &()).unwrap();
    c.contribute_phase1("seller", &mut rng, &()).unwrap();
    c.prepare(&mut rng, &()).unwrap();
    c.contribute_phase2("buyer", &mut rng, &()).unwrap();
    c.contribute_phase2("seller", &mut rng, &()).unwrap();
    c
}

#[test]
fn a_two_party_transcript_verifies_and_its_keys_prove() {
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let dir = tempfile::tempdir().unwrap();
    let c = two_parties(dir.path(), statements(), 1);
    let (summary, keys) = c.finish(&mut rng).unwrap();
    assert!(summary.multi_party());
    assert_eq!(summary.phase1, ["buyer", "seller"]);
    assert_eq!(keys.len(), 2);
    let (_, pk) = &keys[0];
    let circuit = Multiples {
        w: Fr::from(7u64),
        n: 3,
    };
    let proof = Groth16::<Bls12_381>::prove(pk, circuit.clone(), &mut rng).unwrap();
    assert!(Groth16::<Bls12_381>::verify(&pk.vk, &circuit.inputs(), &proof).unwrap());
    let mut wrong = circuit.inputs();
    wrong[0] += Fr::one();
    assert!(!Groth16::<Bls12_381>::verify(&pk.vk, &wrong, &proof).unwrap());
    // Reopened, the same transcript verifies to the same hash.
    let again = Ceremony::open(dir.path(), statements())
        .unwrap()
        .verify(&mut rng)
        .unwrap();
    assert_eq!(again, summary);
}

/// The contribution a verification refuses.
fn refused(c: &Ceremony) -> (String, u32) {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    match c.verify(&mut rng) {
        Err(CeremonyError::Contribution { file, index, .. }) => (
            file.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
            index,
        ),
        other => panic!("not refused naming a contribution: {other:?}"),
    }
}

/// Every string leaf of a JSON value, as a path of keys.
fn leaves(v: &serde_json::Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(m) => m.iter().for_each(|(k, v)| {
            let mut p = path.clone();
            p.push(k.clone());
            leaves(v, p, out)
        }),
        _ => out.push(path),
    }
}

fn tamper(v: &mut serde_json::Value, path: &[String]) {
    let leaf = path.iter().fold(v, |v, k| &mut v[k]);
    *leaf = match leaf.take() {
        serde_json::Value::String(s) if s.len() > 8 => {
            // Another valid value where there is one: the hex of another point of the same group
            // for points, a changed hex digit otherwise.
            let mut b = s.into_bytes();
            let i = b.len() - 1;
            b[i] = if b[i] == b'0' { b'1' } else { b'0' };
            serde_json::Value::String(String::from_utf8(b).unwrap())
        }
        serde_json::Value::String(s) => serde_json::Value::String(format!("{s}x")),
        serde_json::Value::Number(n) => serde_json::Value::from(n.as_u64().unwrap() + 1),
        other => panic!("unexpected leaf {other:?}"),
    };
}

#[test]
fn every_field_of_every_contribution_tampered_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let c = two_parties(dir.path(), statements()[..1].to_vec(), 2);
    let mut files: Vec<_> = ["phase1", "phase2/multiples"]
        .iter()
        .flat_map(|d| {
            fs::read_dir(dir.path().join(d))
                .unwrap()
                .map(|e| e.unwrap().path())
        })
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    let mut tried = 0;
    for file in &files {
        let original = fs::read(file).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&original).unwrap();
        let index = value["index"].as_u64().unwrap() as u32;
        let mut paths = Vec::new();
        leaves(&value, Vec::new(), &mut paths);
        for path in paths {
            let mut v = value.clone();
            tamper(&mut v, &path);
            fs::write(file, serde_json::to_vec(&v).unwrap()).unwrap();
            let chain = file
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert_eq!(refused(&c), (chain, index), "{} {path:?}", file.display());
            tried += 1;
        }
        fs::write(file, &original).unwrap();
    }
    assert!(tried > 40, "{tried}");
    // The bulk files: a changed byte in the latest accumulator and key.
    for (bulk, chain, index) in [
        ("phase1/0002.acc", "phase1", 2),
        ("phase2/multiples/0002.key", "multiples", 2),
    ] {
        let path = dir.path().join(bulk);
        let original = fs::read(&path).unwrap();
        let mut bytes = original.clone();
        let i = bytes.len() / 2;
        bytes[i] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(refused(&c), (chain.to_string(), index), "{bulk}");
        fs::write(&path, &original).unwrap();
    }
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    c.verify(&mut rng)
        .expect("restored, the transcript verifies again");
}

#[test]
fn replayed_reordered_and_transplanted_contributions_are_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let dir = tempfile::tempdir().unwrap();
    let c = two_parties(dir.path(), statements()[..1].to_vec(), 3);
    let p1 = dir.path().join("phase1");
    // Reordered: the two records swap places.
    let (first, second) = (p1.join("0001-buyer.json"), p1.join("0002-seller.json"));
    let (a, b) = (fs::read(&first).unwrap(), fs::read(&second).unwrap());
    fs::write(&first, &b).unwrap();
    fs::write(&second, &a).unwrap();
    assert_eq!(refused(&c), ("phase1".into(), 1), "the seller's record first");
    fs::write(&first, &a).unwrap();
    fs::write(&second, &b).unwrap();
    // Replayed: the first record again as a third.
    fs::write(p1.join("0003-buyer.json"), &a).unwrap();
    assert_eq!(refused(&c), ("phase1".into(), 3));
    fs::remove_file(p1.join("0003-buyer.json")).unwrap();
    c.verify(&mut rng).unwrap();

    // Another phase 1 (same circuit): its phase-2 chain moved onto ours is refused.
    let other = tempfile::tempdir().unwrap();
    two_parties(other.path(), statements()[..1].to_vec(), 4);
    let ours = dir.path().join("phase2/multiples");
    let saved = tempfile::tempdir().unwrap();
    for e in fs::read_dir(&ours).unwrap() {
        let e = e.unwrap();
        fs::rename(e.path(), saved.path().join(e.file_name())).unwrap();
    }
    for e in fs::read_dir(other.path().join("phase2/multiples")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), ours.join(e.file_name())).unwrap();
    }
    assert_eq!(refused(&c), ("multiples".into(), 1));

    // Another circuit: a transcript of `powers` opened as `multiples`' is refused when opened, and
    // its records moved under `multiples` are refused.
    let third = tempfile::tempdir().unwrap();
    let mut only_powers = statements()[1..].to_vec();
    two_parties(third.path(), only_powers.clone(), 5);
    assert!(matches!(
        Ceremony::open(third.path(), statements()[..1].to_vec()),
        Err(CeremonyError::File { .. })
    ));
    only_powers[0].name = "multiples".into();
    for e in fs::read_dir(&ours).unwrap() {
        fs::remove_file(e.unwrap().path()).unwrap();
    }
    for e in fs::read_dir(third.path().join("phase2/powers")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), ours.join(e.file_name())).unwrap();
    }
    assert_eq!(refused(&c), ("multiples".into(), 1));
}

#[test]
fn steps_out_of_order_and_a_second_contribution_by_one_party_are_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let dir = tempfile::tempdir().unwrap();
    let c = Ceremony::create(dir.path(), "test", statements()[..1].to_vec(), None).unwrap();
    assert!(
        matches!(c.prepare(&mut rng, &()), Err(CeremonyError::State(_))),
        "phase 1 empty"
    );
    assert!(matches!(
        c.contribute_phase2("buyer", &mut rng, &()),
        Err(CeremonyError::State(_))
    ));
    assert!(
        Ceremony::create(dir.path(), "test", statements()[..1].to_vec(), None).is_err(),
        "twice"
    );
    c.contribute_phase1("buyer", &mut rng, &()).unwrap();
    assert!(matches!(
        c.contribute_phase1("buyer", &mut rng, &()),
        Err(CeremonyError::State(_))
    ));
    assert!(matches!(
        c.contribute_phase1("a/b", &mut rng, &()),
        Err(CeremonyError::State(_))
    ));
    c.prepare(&mut rng, &()).unwrap();
    assert!(
        matches!(c.finish(&mut rng), Err(CeremonyError::State(_))),
        "no phase-2 contribution"
    );
    assert!(
        matches!(
            c.contribute_phase1("seller", &mut rng, &()),
            Err(CeremonyError::State(_))
        ),
        "closed"
    );
    c.contribute_phase2("buyer", &mut rng, &()).unwrap();
    // Run again (as after an interruption), it has nothing left to do.
    assert!(c.contribute_phase2("buyer", &mut rng, &()).unwrap().is_empty());
    let (summary, _) = c.finish(&mut rng).unwrap();
    assert!(!summary.multi_party(), "one party only");
}
