//! Protocol v2: a partitioned invoice proven in parallel with real Groth16 keys (partition shape
//! PS), its envelope verified as one batch, every proof verifying at its own position and nowhere
//! else; keys written and loaded.

use std::{collections::HashMap, sync::Mutex};

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    partition::{PartitionId, PartitionShape},
    Layout, Salt,
};
use zkinvoice_prover::{
    partition::{prove, NoStore, PartitionKeys, ProofStore, Run},
    ProofEnvelope, ProveRequest, ProverError,
};
use zkinvoice_testkit::model::partitioned_bilateral;
use zkinvoice_verifier::{partition::PartitionedProof, InvoiceProof, InvoiceProofs, PreparedInvoiceKeys};

/// A run with fresh salts, keeping proofs in `store`.
fn fresh<'a>(rng: &mut ChaCha20Rng, store: &'a dyn ProofStore) -> Run<'a> {
    Run {
        invoice_salt: Salt::random(rng),
        after_salt: Salt::random(rng),
        store,
        only: None,
    }
}

/// Proofs kept in memory, counting how many were made.
#[derive(Default)]
struct Memory(Mutex<HashMap<PartitionId, InvoiceProof>>, Mutex<usize>);

impl ProofStore for Memory {
    fn get(&self, id: PartitionId) -> Option<InvoiceProof> {
        self.0.lock().unwrap().get(&id).cloned()
    }

    fn put(&self, id: PartitionId, proof: &InvoiceProof) -> Result<(), ProverError> {
        *self.1.lock().unwrap() += 1;
        self.0.lock().unwrap().insert(id, proof.clone());
        Ok(())
    }
}

/// The partitions of an envelope, to change.
fn parts(e: &mut ProofEnvelope) -> &mut PartitionedProof {
    match &mut e.proof {
        InvoiceProofs::Partitioned(p) => p,
        InvoiceProofs::Single(_) => panic!("a partitioned envelope"),
    }
}

fn refusal(keys: &PartitionKeys, env: &ProofEnvelope, rng: &mut ChaCha20Rng) -> Option<(String, String)> {
    let vks = PreparedInvoiceKeys::from(keys.verifying().unwrap());
    match env.verify("PS", &vks, &env.public_inputs, rng) {
        Ok(()) => None,
        Err(ProverError::Refused { field, reason }) => Some((field, reason)),
        Err(e) => panic!("unexpected error {e}"),
    }
}

#[test]
fn a_partitioned_invoice_proves_in_parallel_and_verifies_only_as_itself() {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let shape = PartitionShape::PS;
    let layout = Layout::Partitioned(shape);
    let keys = PartitionKeys::generate(shape, &mut rng).unwrap();
    // Written and loaded back: the same keys.
    let dir = tempfile::tempdir().unwrap();
    keys.write(dir.path(), false).unwrap();
    assert!(
        keys.write(dir.path(), false).is_err(),
        "existing keys are not replaced"
    );
    let keys = PartitionKeys::load(dir.path(), shape).unwrap();

    let (msa, usage, before) = partitioned_bilateral(&mut rng);
    let salts: [Salt; 3] = std::array::from_fn(|_| Salt::random(&mut rng));
    let msa_c = commit::msa_commitment(&msa, layout, &salts[0]).unwrap();
    let before = StateOpening::new(msa_c, before, layout, salts[2].clone()).unwrap();
    let usage_c = commit::usage_commitment(msa_c, &msa, &usage, layout, &salts[1]).unwrap();
    let req = ProveRequest {
        msa: &msa,
        msa_salt: &salts[0],
        usage: &usage,
        usage_salt: &salts[1],
        expected_usage: Some(usage_c),
        before: &before,
        invoice_number: "INV-1",
    };
    let count = Mutex::new(0);
    let seen = Mutex::new(Vec::new());
    let run = fresh(&mut rng, &NoStore);
    let proved = prove(
        &keys,
        &req,
        &run,
        &mut rng,
        &|n| *count.lock().unwrap() = n,
        &|id| seen.lock().unwrap().push(id),
    )
    .unwrap()
    .unwrap();
    assert_eq!(*count.lock().unwrap(), 7, "three blocks, three chunks, the link");
    assert_eq!(
        seen.lock().unwrap().len(),
        7,
        "every partition reported done once"
    );
    let env = proved.envelope;
    assert_eq!(env.public_inputs.msa_commitment, msa_c.0);
    assert_eq!(env.public_inputs.usage_commitment, usage_c.0);
    assert_eq!(env.public_inputs.state_before, before.commitment.0);
    assert_eq!(env.public_inputs.state_after, proved.after.commitment.0);

    // The envelope's JSON round-trips, and it verifies as one batch.
    let text = serde_json::to_string(&env).unwrap();
    let env: ProofEnvelope = serde_json::from_str(&text).unwrap();
    assert_eq!(refusal(&keys, &env, &mut rng), None);

    // A proof at another position, or for another statement, is refused by name.
    let swapped = |f: &dyn Fn(&mut ProofEnvelope)| {
        let mut e = env.clone();
        f(&mut e);
        e
    };
    let named = |e: &ProofEnvelope, rng: &mut ChaCha20Rng| refusal(&keys, e, rng).map(|(_, r)| r);
    let r = named(&swapped(&|e| parts(e).proofs.blocks.swap(0, 1)), &mut rng).unwrap();
    assert!(r.contains("block 0, block 1"), "{r}");
    let r = named(&swapped(&|e| parts(e).proofs.chunks.swap(1, 2)), &mut rng).unwrap();
    assert!(r.contains("chunk 1, chunk 2"), "{r}");
    let r = named(
        &swapped(&|e| {
            let p = parts(e);
            std::mem::swap(&mut p.proofs.link, &mut p.proofs.chunks[0])
        }),
        &mut rng,
    )
    .unwrap();
    assert!(r.contains("chunk 0, link"), "{r}");
    let r = named(&swapped(&|e| parts(e).proofs.chunks.truncate(2)), &mut rng).unwrap();
    assert!(r.contains("2 chunk proofs, 3 expected"), "{r}");

    // A second invoice of the same period: none of its proofs verifies in the first.
    let theirs = prove(
        &keys,
        &req,
        &fresh(&mut rng, &NoStore),
        &mut rng,
        &|_| {},
        &|_| {},
    )
    .unwrap()
    .unwrap()
    .envelope;
    assert_eq!(refusal(&keys, &theirs, &mut rng), None);
    let theirs = theirs.proof.partitioned().unwrap().clone();
    for i in 0..3 {
        let e = swapped(&|e| parts(e).proofs.blocks[i] = theirs.proofs.blocks[i].clone());
        assert!(named(&e, &mut rng).unwrap().contains(&format!("block {i}")));
        let e = swapped(&|e| parts(e).proofs.chunks[i] = theirs.proofs.chunks[i].clone());
        assert!(named(&e, &mut rng).unwrap().contains(&format!("chunk {i}")));
    }
    let e = swapped(&|e| parts(e).proofs.link = theirs.proofs.link.clone());
    assert!(named(&e, &mut rng).unwrap().contains("link"));
    // Its parts or shares in this envelope: the tops or the sums refuse them.
    let e = swapped(&|e| parts(e).public.y[0] = theirs.public.y[0]);
    assert!(named(&e, &mut rng).unwrap().contains("aggregation"));
    let e = swapped(&|e| parts(e).public.invoice.parts[0] = theirs.public.invoice.parts[0]);
    assert!(named(&e, &mut rng).unwrap().contains("invoice commitment"));

    // Header fields name what the verifier holds.
    type Change = fn(&mut ProofEnvelope);
    let changes: [(&str, Change); 4] = [
        ("scheme", |e| e.scheme.push('x')),
        ("statement", |e| e.statement.push('x')),
        ("shape", |e| e.shape = "PM".into()),
        ("vkHash", |e| e.vk_hash = "00".repeat(32)),
    ];
    for (field, f) in changes {
        let e = swapped(&f);
        assert_eq!(
            refusal(&keys, &e, &mut rng).map(|(f, _)| f),
            Some(field.to_string())
        );
    }

    // The same envelope under other keys of the shape is refused.
    let other = PartitionKeys::generate(shape, &mut rng).unwrap();
    assert!(refusal(&other, &env, &mut rng).is_some());
}

/// Partitions proven alone (as other processes or machines would, with the run's salts) are
/// combined by the next full run, which proves only the rest; a kept proof that does not verify is
/// proven again.
#[test]
fn partitions_proven_alone_are_combined_and_a_run_resumes() {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let shape = PartitionShape::PS;
    let layout = Layout::Partitioned(shape);
    let keys = PartitionKeys::generate(shape, &mut rng).unwrap();
    let (msa, usage, before) = partitioned_bilateral(&mut rng);
    let salts: [Salt; 3] = std::array::from_fn(|_| Salt::random(&mut rng));
    let msa_c = commit::msa_commitment(&msa, layout, &salts[0]).unwrap();
    let before = StateOpening::new(msa_c, before, layout, salts[2].clone()).unwrap();
    let req = ProveRequest {
        msa: &msa,
        msa_salt: &salts[0],
        usage: &usage,
        usage_salt: &salts[1],
        expected_usage: None,
        before: &before,
        invoice_number: "INV-1",
    };
    let store = Memory::default();
    let mut run = fresh(&mut rng, &store);
    run.only = Some(vec![PartitionId::Chunk(1), PartitionId::Block(2)]);
    assert!(prove(&keys, &req, &run, &mut rng, &|_| {}, &|_| {})
        .unwrap()
        .is_none());
    assert_eq!(*store.1.lock().unwrap(), 2);
    // A kept proof that does not verify (here: another partition's) is not used.
    let other = store.get(PartitionId::Chunk(1)).unwrap();
    store.0.lock().unwrap().insert(PartitionId::Chunk(0), other);
    run.only = None;
    let env = prove(&keys, &req, &run, &mut rng, &|_| {}, &|_| {})
        .unwrap()
        .unwrap()
        .envelope;
    assert_eq!(
        *store.1.lock().unwrap(),
        7,
        "the other five proven, chunk 0 again"
    );
    assert_eq!(refusal(&keys, &env, &mut rng), None);
    // Run again: nothing left to prove, the same invoice.
    let again = prove(&keys, &req, &run, &mut rng, &|_| {}, &|_| {})
        .unwrap()
        .unwrap()
        .envelope;
    assert_eq!(*store.1.lock().unwrap(), 7);
    assert_eq!(again.public_inputs, env.public_inputs);
    // A partition the invoice does not have is refused.
    run.only = Some(vec![PartitionId::Chunk(9)]);
    assert!(matches!(
        prove(&keys, &req, &run, &mut rng, &|_| {}, &|_| {}),
        Err(ProverError::Inconsistent(m)) if m.contains("no chunk 9")
    ));
}
