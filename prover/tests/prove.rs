//! Keys, proving and the checks around them, on shape S and the example bilateral.

use std::sync::OnceLock;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};
use zkinvoice_prover::{prove, prove_batch, InvoiceKeys, ProofEnvelope, ProveRequest, ProverError};
use zkinvoice_verifier::{verify, verify_batch, InvoicePublicInputs, VerifyError};

fn keys() -> &'static InvoiceKeys {
    static KEYS: OnceLock<InvoiceKeys> = OnceLock::new();
    KEYS.get_or_init(|| InvoiceKeys::setup(Shape::S, &mut ChaCha20Rng::seed_from_u64(1)).unwrap())
}

struct Bilateral {
    msa: Msa,
    msa_salt: Salt,
    months: Vec<(Usage, Salt)>,
    state0: StateOpening,
}

fn bilateral() -> Bilateral {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let msa = Msa::from_json(include_str!("../../examples/msa.json")).unwrap();
    let oct = Usage::parse(
        include_str!("../../examples/usage-2026-10.json"),
        UsageFormat::Json,
        &msa,
        None,
    )
    .unwrap();
    let nov = Usage::parse(
        include_str!("../../examples/usage-2026-11.csv"),
        UsageFormat::Csv,
        &msa,
        Some("2026-11-01..2026-12-01".parse().unwrap()),
    )
    .unwrap();
    let msa_salt = Salt::random(&mut rng);
    let msa_c = commit::msa_commitment(&msa, Shape::S, &msa_salt).unwrap();
    let state0 = StateOpening::new(
        msa_c,
        VolumeState::initial(&msa),
        Shape::S,
        Salt::random(&mut rng),
    )
    .unwrap();
    let months = [oct, nov]
        .into_iter()
        .map(|u| (u.aggregated(7).unwrap(), Salt::random(&mut rng)))
        .collect();
    Bilateral {
        msa,
        msa_salt,
        months,
        state0,
    }
}

fn request<'a>(
    b: &'a Bilateral,
    month: usize,
    before: &'a StateOpening,
    number: &'a str,
) -> ProveRequest<'a> {
    ProveRequest {
        msa: &b.msa,
        msa_salt: &b.msa_salt,
        usage: &b.months[month].0,
        usage_salt: &b.months[month].1,
        expected_usage: None,
        before,
        invoice_number: number,
    }
}

#[test]
fn two_periods_prove_chain_and_verify_and_nothing_else_does() {
    let b = bilateral();
    let k = keys();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let first = prove(k, &request(&b, 0, &b.state0, "INV-1"), &mut rng).unwrap();
    let second = prove(k, &request(&b, 1, &first.after, "INV-2"), &mut rng).unwrap();
    for p in [&first, &second] {
        verify(
            &k.prepared,
            p.envelope.proof.single().unwrap(),
            &p.envelope.public_inputs,
        )
        .unwrap();
    }
    assert_eq!(
        first.envelope.public_inputs.state_after,
        second.envelope.public_inputs.state_before
    );
    assert_eq!(
        first.rated.invoice.total, 3_077_646,
        "the weekly aggregates rate like the CDRs"
    );
    // The envelope survives JSON.
    let text = serde_json::to_string(&second.envelope).unwrap();
    let back: ProofEnvelope = serde_json::from_str(&text).unwrap();
    assert_eq!(back, second.envelope);
    // A proof is bound to its own invoice: not another invoice's inputs, nor a changed input.
    assert_eq!(
        verify(
            &k.prepared,
            first.envelope.proof.single().unwrap(),
            &second.envelope.public_inputs
        ),
        Err(VerifyError::InvalidProof)
    );
    let mut inputs: InvoicePublicInputs = first.envelope.public_inputs;
    inputs.invoice_commitment = second.envelope.public_inputs.invoice_commitment;
    assert_eq!(
        verify(&k.prepared, first.envelope.proof.single().unwrap(), &inputs),
        Err(VerifyError::InvalidProof)
    );
    // Batch verification names the swapped one.
    let items = [
        (
            first.envelope.proof.single().unwrap(),
            &first.envelope.public_inputs,
        ),
        (
            second.envelope.proof.single().unwrap(),
            &first.envelope.public_inputs,
        ),
        (
            second.envelope.proof.single().unwrap(),
            &second.envelope.public_inputs,
        ),
    ];
    assert_eq!(
        verify_batch(&k.prepared, &items, &mut rng),
        Err(VerifyError::BatchInvalid { invalid: vec![1] })
    );
}

#[test]
fn a_proof_under_another_shape_s_key_does_not_verify() {
    let b = bilateral();
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let p = prove(keys(), &request(&b, 0, &b.state0, "INV-1"), &mut rng).unwrap();
    let tiny = Shape {
        name: "tiny",
        products: 4,
        tiers: 4,
        records: 15,
    };
    let other = InvoiceKeys::setup(tiny, &mut rng).unwrap();
    assert_eq!(
        verify(
            &other.prepared,
            p.envelope.proof.single().unwrap(),
            &p.envelope.public_inputs
        ),
        Err(VerifyError::InvalidProof)
    );
    assert!(matches!(
        other.prepared.check_hash(&p.envelope.vk_hash),
        Err(VerifyError::KeyMismatch { .. })
    ));
    // Nor can the S state be proven with the other shape's keys.
    let e = prove(&other, &request(&b, 0, &b.state0, "INV-1"), &mut rng)
        .err()
        .unwrap();
    assert!(
        matches!(e, ProverError::Inconsistent(ref m) if m.contains("shape S")),
        "{e}"
    );
}

#[test]
fn inconsistent_inputs_are_refused_before_proving() {
    let b = bilateral();
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    // Another MSA salt: the state belongs to another commitment.
    let other_salt = Salt::random(&mut rng);
    let mut req = request(&b, 0, &b.state0, "INV-1");
    req.msa_salt = &other_salt;
    let e = prove(keys(), &req, &mut rng).err().unwrap();
    assert!(e.to_string().contains("another MSA commitment"), "{e}");
    // Usage that is not the agreed usage.
    let mut req = request(&b, 0, &b.state0, "INV-1");
    req.expected_usage = Some(zkinvoice_circuits::Commitment(zkinvoice_circuits::Fr::from(7u64)));
    let e = prove(keys(), &req, &mut rng).err().unwrap();
    assert!(e.to_string().contains("agreed usage commitment"), "{e}");
    // Raw CDRs do not fit shape S.
    let raw = Usage::parse(
        include_str!("../../examples/usage-2026-10.json"),
        UsageFormat::Json,
        &b.msa,
        None,
    )
    .unwrap();
    let mut req = request(&b, 0, &b.state0, "INV-1");
    req.usage = &raw;
    let e = prove(keys(), &req, &mut rng).err().unwrap();
    assert!(
        e.to_string().contains("at most 64") && e.to_string().contains("shape M"),
        "{e}"
    );
}

#[test]
fn a_batch_proves_in_parallel_in_order() {
    let b = bilateral();
    let reqs = [
        request(&b, 0, &b.state0, "A"),
        request(&b, 1, &b.state0, "B"),
        request(&b, 0, &b.state0, "C"),
    ];
    let out = prove_batch(keys(), &reqs);
    assert_eq!(out.len(), 3);
    for (p, number) in out.iter().zip(["A", "B", "C"]) {
        let p = p.as_ref().unwrap();
        assert_eq!(p.envelope.invoice.number, number);
        verify(
            &keys().prepared,
            p.envelope.proof.single().unwrap(),
            &p.envelope.public_inputs,
        )
        .unwrap();
    }
}

#[test]
fn key_files_round_trip_and_damaged_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = keys().write(dir.path(), false).unwrap();
    assert_eq!(manifest.constraints, 18_640);
    assert_eq!(manifest.verifying_key.sha256, keys().verifying.hash_hex());
    let loaded = InvoiceKeys::load(dir.path(), Shape::S).unwrap();
    assert_eq!(loaded.verifying.hash(), keys().verifying.hash());
    // Writing again without force is refused; with force it works.
    assert!(keys().write(dir.path(), false).is_err());
    keys().write(dir.path(), true).unwrap();

    let pk = dir.path().join("invoice-S.pk");
    let bytes = std::fs::read(&pk).unwrap();
    std::fs::write(&pk, &bytes[..bytes.len() / 2]).unwrap();
    let e = InvoiceKeys::load(dir.path(), Shape::S).err().unwrap().to_string();
    assert!(e.contains("invoice-S.pk") && e.contains("truncated"), "{e}");
    let mut altered = bytes.clone();
    altered[1000] ^= 1;
    std::fs::write(&pk, &altered).unwrap();
    let e = InvoiceKeys::load(dir.path(), Shape::S).err().unwrap().to_string();
    assert!(e.contains("SHA-256") && e.contains("altered"), "{e}");
    std::fs::write(&pk, &bytes).unwrap();
    InvoiceKeys::load(dir.path(), Shape::S).unwrap();

    // A manifest for another circuit version is refused.
    let m = dir.path().join("invoice-S.json");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, text.replace(&manifest.circuit_digest, &"0".repeat(64))).unwrap();
    let e = InvoiceKeys::load(dir.path(), Shape::S).err().unwrap().to_string();
    assert!(e.contains("make keys again"), "{e}");
    // Missing keys say how to make them.
    let e = InvoiceKeys::load(dir.path(), Shape::M).err().unwrap().to_string();
    assert!(e.contains("zkinvoice setup --shape M"), "{e}");
}
