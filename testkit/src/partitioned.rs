//! A partitioned invoice proven from scratch, for the tests of everything it goes through (the
//! anchor log, the contracts, the fuzz seeds): the bilateral committed under a partition shape with
//! salts drawn from the caller's seeded generator, in a fixed order, and one period proven.

use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Layout, Msa, Salt, Usage, VolumeState,
};
use zkinvoice_prover::{
    partition::{self, NoStore, PartitionKeys},
    ProofEnvelope, ProveRequest,
};
use zkinvoice_verifier::Fr;

/// A proven partitioned period.
pub struct ProvenPeriod {
    /// The envelope.
    pub envelope: ProofEnvelope,
    /// The usage commitment.
    pub usage_commitment: Fr,
    /// The usage's detail root, hex.
    pub detail_root: String,
    /// The state the period started from, opened.
    pub before: StateOpening,
}

/// Commits `msa` under the keys' partition shape (salts for the MSA, the usage, the state before,
/// the invoice and the state after drawn from `rng` in that order) and proves `usage` from
/// `before` as invoice `number`.
pub fn prove_period(
    keys: &PartitionKeys,
    msa: &Msa,
    usage: &Usage,
    before: VolumeState,
    number: &str,
    rng: &mut ChaCha20Rng,
) -> ProvenPeriod {
    let layout = Layout::Partitioned(keys.shape);
    let salts: [Salt; 5] = std::array::from_fn(|_| Salt::random(rng));
    let msa_c = commit::msa_commitment(msa, layout, &salts[0]).expect("the MSA commits");
    let before = StateOpening::new(msa_c, before, layout, salts[2].clone()).expect("the state commits");
    let usage_c = commit::usage_commitment(msa_c, msa, usage, layout, &salts[1]).expect("the usage commits");
    let req = ProveRequest {
        msa,
        msa_salt: &salts[0],
        usage,
        usage_salt: &salts[1],
        expected_usage: Some(usage_c),
        before: &before,
        invoice_number: number,
    };
    let run = partition::Run {
        invoice_salt: salts[3].clone(),
        after_salt: salts[4].clone(),
        store: &NoStore,
        only: None,
    };
    let envelope = partition::prove(keys, &req, &run, rng, &|_| {}, &|_| {})
        .expect("proves")
        .expect("an envelope")
        .envelope;
    ProvenPeriod {
        envelope,
        usage_commitment: usage_c.0,
        detail_root: hex::encode(commit::usage_detail_root(usage, &salts[1])),
        before,
    }
}
