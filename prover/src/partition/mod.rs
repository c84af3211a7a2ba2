//! Proving a partitioned invoice (protocol v2): keys for the block, chunk and link statements of
//! one partition shape, and every partition proven in parallel ([`workers`] partitions at a time,
//! each proof's MSMs and FFTs on rayon's pool), one circuit per worker at a time, so that memory
//! stays bounded by the partition shape however large the invoice.

use ark_bls12_381::Bls12_381;
use ark_groth16::Groth16;
use ark_snark::SNARK;
use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    partition::{PartitionCircuit, PartitionId, PartitionedOpening},
    Fr,
};
use zkinvoice_verifier::{partition::PartitionedPublic, InvoiceProof};

use crate::ProverError;

pub mod keys;
pub mod verifying;

pub use keys::{PartitionKeys, PartitionManifest, StatementEntry, StatementKeys};
pub use zkinvoice_verifier::{partition::PartitionProofs, PARTITIONED};

/// A proven partition.
#[derive(Clone, Debug)]
pub struct PartitionProof {
    /// Which partition.
    pub id: PartitionId,
    /// Its proof.
    pub proof: InvoiceProof,
}

/// A proven partitioned invoice: the public values and one proof per partition, in canonical
/// order (blocks, chunks, the link).
#[derive(Clone, Debug)]
pub struct ProvedPartitions {
    /// Every public value.
    pub public: PartitionedPublic,
    /// The proofs.
    pub proofs: Vec<PartitionProof>,
}

/// The public inputs of partition `id` as field elements.
pub fn inputs_of(public: &PartitionedPublic, z: Fr, id: PartitionId) -> Vec<Fr> {
    match id {
        PartitionId::Block(j) => public.block_inputs(j, z).to_field_elements().to_vec(),
        PartitionId::Chunk(c) => public.chunk_inputs(c, z).to_field_elements().to_vec(),
        PartitionId::Link => public.link_inputs().to_field_elements().to_vec(),
    }
}

/// Proves one partition and checks the proof under the statement's own verifying key.
pub fn prove_one<R: RngCore + CryptoRng>(
    keys: &PartitionKeys,
    circuit: PartitionCircuit,
    id: PartitionId,
    inputs: &[Fr],
    rng: &mut R,
) -> Result<InvoiceProof, ProverError> {
    let k = keys.of(id);
    let proof = match circuit {
        PartitionCircuit::Block(c) => k.prover.prove(c, rng),
        PartitionCircuit::Chunk(c) => k.prover.prove(c, rng),
        PartitionCircuit::Link(c) => k.prover.prove(c, rng),
    }
    .map_err(|e| ProverError::Proving(format!("{id}: {e}")))?;
    match Groth16::<Bls12_381>::verify_with_processed_vk(&k.prepared, inputs, &proof) {
        Ok(true) => Ok(InvoiceProof::from(proof)),
        _ => Err(ProverError::SelfCheck(format!("{id} does not verify"))),
    }
}

/// Where proofs of partitions are kept as they finish, so that an interrupted run resumes
/// without redoing them, and partitions proven elsewhere are combined.
pub trait ProofStore: Sync {
    /// The proof kept for `id`, if any (it is checked before it is used).
    fn get(&self, id: PartitionId) -> Option<InvoiceProof>;
    /// Keeps the proof of `id`.
    fn put(&self, id: PartitionId, proof: &InvoiceProof) -> Result<(), ProverError>;
}

/// No store: every partition is proven.
pub struct NoStore;

impl ProofStore for NoStore {
    fn get(&self, _: PartitionId) -> Option<InvoiceProof> {
        None
    }

    fn put(&self, _: PartitionId, _: &InvoiceProof) -> Result<(), ProverError> {
        Ok(())
    }
}

/// Proves the partitions `ids` of `opening`, [`workers`] at a time (each proof parallel on
/// rayon's pool), each with its own generator seeded from `rng`. A proof `store` already holds that
/// verifies is used as it is; every proof made is put in `store` as it finishes; `done` is called
/// for each (for a progress bar). The public values are checked (tops, masked sums) before proving.
pub fn prove_partitions<R: RngCore + CryptoRng>(
    keys: &PartitionKeys,
    opening: &PartitionedOpening<'_>,
    ids: &[PartitionId],
    store: &dyn ProofStore,
    rng: &mut R,
    done: &(dyn Fn(PartitionId) + Sync),
) -> Result<ProvedPartitions, ProverError> {
    if opening.shape != keys.shape {
        return Err(ProverError::Inconsistent(format!(
            "the keys are for partition shape {}, the invoice is committed under {}",
            keys.shape.name, opening.shape.name
        )));
    }
    let (public, z) = opening.public()?;
    public
        .check(&public.tops())
        .map_err(|e| ProverError::Inconsistent(format!("the partitions do not hold together: {e}")))?;
    let all = opening.partitions();
    if let Some(id) = ids.iter().find(|id| !all.contains(id)) {
        return Err(ProverError::Inconsistent(format!(
            "the invoice has no {id} (it has {} blocks and {} chunks)",
            opening.blocks(),
            opening.chunks()
        )));
    }
    let quantities = opening.quantities();
    let jobs: Vec<(PartitionId, [u8; 32])> = ids
        .iter()
        .map(|&id| {
            let mut seed = [0u8; 32];
            rng.fill_bytes(&mut seed);
            (id, seed)
        })
        .collect();
    let prove = |(id, seed): (PartitionId, [u8; 32])| -> Result<PartitionProof, ProverError> {
        let inputs = inputs_of(&public, z, id);
        let kept = store.get(id).filter(|p| {
            Groth16::<Bls12_381>::verify_with_processed_vk(&keys.of(id).prepared, &inputs, p.as_ark())
                == Ok(true)
        });
        let proof = match kept {
            Some(p) => p,
            None => {
                let circuit = opening.circuit(&public, z, &quantities, id);
                let p = prove_one(keys, circuit, id, &inputs, &mut ChaCha20Rng::from_seed(seed))?;
                store.put(id, &p)?;
                p
            }
        };
        done(id);
        Ok(PartitionProof { id, proof })
    };
    // A fixed number of plain threads take partitions in turn; each proof runs its MSMs and FFTs
    // on rayon's pool. Partitions are not rayon tasks themselves: a rayon worker waiting inside a
    // proof's parallel step steals queued tasks, so every partition would start at once and
    // memory would grow with the invoice (it did: 24 GB for 200 partitions of PM).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
    let failed = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers().min(jobs.len().max(1)) {
            scope.spawn(|| loop {
                if failed.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&job) = jobs.get(i) else { return };
                let r = prove(job);
                if r.is_err() {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                results.lock().expect("no worker panics holding it").push((i, r));
            });
        }
    });
    let mut results = results.into_inner().expect("no worker panics holding it");
    results.sort_by_key(|(i, _)| *i);
    let proofs = results
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Result<Vec<_>, ProverError>>()?;
    if proofs.len() != jobs.len() {
        return Err(ProverError::Proving("a partition was not proven".into()));
    }
    Ok(ProvedPartitions { public, proofs })
}

/// Partitions proven at once: half the cores (at least one). Each proof uses every core in its
/// multi-scalar multiplications and FFTs; two at once overlap one's single-threaded synthesis with
/// the other's parallel steps, and each holds one partition's constraint system in memory.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// Proves every partition of `opening` in parallel: [`prove_partitions`] of all of them, with no
/// store.
pub fn prove_partitioned<R: RngCore + CryptoRng>(
    keys: &PartitionKeys,
    opening: &PartitionedOpening<'_>,
    rng: &mut R,
    done: &(dyn Fn(PartitionId) + Sync),
) -> Result<ProvedPartitions, ProverError> {
    prove_partitions(keys, opening, &opening.partitions(), &NoStore, rng, done)
}

/// A proved partitioned invoice.
pub struct ProvedPartitioned {
    /// The envelope to send and anchor.
    pub envelope: crate::ProofEnvelope,
    /// The rating behind it.
    pub rated: zkinvoice_circuits::Rated,
    /// The state after the period, opened.
    pub after: zkinvoice_circuits::commit::StateOpening,
}

/// How one run of [`prove`] goes: the salts of the invoice and the state after (fixed, so that
/// runs in several processes or machines prove the same invoice), where proofs are kept, and which
/// partitions to prove (`None`: all, then the envelope).
pub struct Run<'a> {
    /// The invoice commitment's salt (the ring masks' seed derives from it).
    pub invoice_salt: zkinvoice_circuits::Salt,
    /// The state after's salt.
    pub after_salt: zkinvoice_circuits::Salt,
    /// Where proofs are kept.
    pub store: &'a dyn ProofStore,
    /// Only these partitions (no envelope), or all of them and the envelope.
    pub only: Option<Vec<PartitionId>>,
}

/// Rates the period and proves it as partitions (in parallel), checking every proof under the
/// keys' own verifying keys: v1's [`crate::prove()`] for a partitioned bilateral. Proofs `run.store`
/// already holds are reused (an interrupted run resumes); with `run.only`, only those partitions
/// are proven and kept (`Ok(None)`); otherwise all, and the envelope is returned. `partitions` is
/// called once with the number to prove, `done` as each finishes.
pub fn prove<R: RngCore + CryptoRng>(
    keys: &PartitionKeys,
    req: &crate::ProveRequest<'_>,
    run: &Run<'_>,
    rng: &mut R,
    partitions: &dyn Fn(usize),
    done: &(dyn Fn(PartitionId) + Sync),
) -> Result<Option<ProvedPartitioned>, ProverError> {
    use zkinvoice_circuits::{
        commit::StateOpening, model::invoice::CommitmentDoc, rate, Commitment, Layout, Salt,
    };
    let layout = Layout::Partitioned(keys.shape);
    let before = req.before;
    let msa_c = req.consistent(layout)?;
    let rated = rate(req.msa, req.usage, &before.state, req.invoice_number)?;
    let invoice_salt: Salt = run.invoice_salt.clone();
    let after = StateOpening::new(msa_c, rated.after.clone(), layout, run.after_salt.clone())?;
    let opening = PartitionedOpening {
        shape: keys.shape,
        of: req.opening(&rated.invoice, &invoice_salt, &after),
    };
    let ids = run.only.clone().unwrap_or_else(|| opening.partitions());
    partitions(ids.len());
    let proved = prove_partitions(keys, &opening, &ids, run.store, rng, done)?;
    if run.only.is_some() {
        return Ok(None);
    }
    let tops = proved.public.tops();
    let public_inputs = zkinvoice_verifier::InvoicePublicInputs {
        msa_commitment: tops.msa,
        usage_commitment: tops.usage,
        state_before: tops.state_before,
        state_after: tops.state_after,
        invoice_commitment: tops.invoice,
    };
    let mut blocks = Vec::new();
    let mut chunks = Vec::new();
    let mut link = None;
    for p in proved.proofs {
        match p.id {
            PartitionId::Block(_) => blocks.push(p.proof),
            PartitionId::Chunk(_) => chunks.push(p.proof),
            PartitionId::Link => link = Some(p.proof),
        }
    }
    let proofs = zkinvoice_verifier::partition::PartitionedProof {
        public: proved.public,
        proofs: PartitionProofs {
            blocks,
            chunks,
            link: link.ok_or_else(|| ProverError::Proving("no link proof".into()))?,
        },
    };
    let envelope = crate::ProofEnvelope {
        scheme: crate::envelope::SCHEME.into(),
        statement: PARTITIONED.into(),
        shape: keys.shape.name.into(),
        vk_hash: keys.key_set()?.hash_hex(),
        proof: proofs.into(),
        public_inputs,
        invoice: rated.invoice.to_doc(Some(CommitmentDoc {
            shape: keys.shape.name.into(),
            salt: invoice_salt.to_hex(),
            value: Commitment(tops.invoice).to_string(),
        })),
        state_after: after.to_doc(req.msa),
    };
    Ok(Some(ProvedPartitioned {
        envelope,
        rated,
        after,
    }))
}

impl PartitionKeys {
    /// The three verifying keys (what `msa-agreed` anchors; [`zkinvoice_verifier::InvoiceVerifyingKeys`]).
    pub fn key_set(&self) -> Result<zkinvoice_verifier::PartitionKeySet, ProverError> {
        use zkinvoice_verifier::VerifyingKeyOf;
        let e = |e: zkinvoice_verifier::VerifyError| ProverError::Proving(e.to_string());
        Ok(zkinvoice_verifier::PartitionKeySet {
            block: VerifyingKeyOf::new(self.block.vk().clone()).map_err(e)?,
            chunk: VerifyingKeyOf::new(self.chunk.vk().clone()).map_err(e)?,
            link: VerifyingKeyOf::new(self.link.vk().clone()).map_err(e)?,
        })
    }

    /// The three prepared verifying keys.
    pub fn verifying(&self) -> Result<zkinvoice_verifier::partition::PartitionVerifyingKeys, ProverError> {
        Ok(self.key_set()?.prepare())
    }
}
