//! A partitioned invoice (protocol v2, partition shape PS) in the log: the MSA anchored with its
//! partition key set, the invoice's proofs checked by the rules on append (every partition, in one
//! batch), refused when they are one proof, another invoice's partitions, swapped or cut short,
//! or under a v1 key; the audit counts and checks every partition's proof.

use std::sync::OnceLock;

use base64::Engine as _;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{Body, Fr, KeySetup, Rule};
use zkinvoice_circuits::partition::PartitionShape;
use zkinvoice_prover::partition::PartitionKeys;
use zkinvoice_verifier::{InvoiceProofs, InvoiceVerifyingKeys};

use crate::common::*;
use crate::{assert_refused, with_proved};

/// One partitioned bilateral: its `msa-agreed`, `usage-agreed` and `invoice-proved` bodies, and
/// the key set.
pub(crate) struct World {
    pub msa: Body,
    pub usage: Body,
    pub proved: Body,
    keys: InvoiceVerifyingKeys,
    partitions: usize,
    /// The invoice's envelope (its invoice and the opening of its commitment).
    pub envelope: zkinvoice_prover::ProofEnvelope,
}

pub(crate) fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(1313);
        let shape = PartitionShape::PS;
        let pk = PartitionKeys::generate(shape, &mut rng).unwrap();
        let (msa, usage, before) = zkinvoice_testkit::model::partitioned_bilateral(&mut rng);
        let p = zkinvoice_testkit::partitioned::prove_period(&pk, &msa, &usage, before, "INV-P-1", &mut rng);
        let env = p.envelope;
        let (msa_c, before) = (env.public_inputs.msa_commitment, p.before.commitment.0);
        let keys = InvoiceVerifyingKeys::from(pk.key_set().unwrap());
        let (start, end) = (usage.period.start.to_string(), usage.period.end.to_string());
        World {
            msa: Body::msa_agreed(&msa.id, msa_c, before, "PS", &keys, KeySetup::SingleParty),
            usage: Body::UsageAgreed {
                msa_commitment: msa_c,
                period_start: start.clone(),
                period_end: end.clone(),
                usage_commitment: p.usage_commitment,
                usage_detail_root: p.detail_root,
            },
            proved: Body::invoice_proved(&env.public_inputs, "INV-P-1", start, end, &env.proof),
            keys,
            partitions: env.proof.count(),
            envelope: env,
        }
    })
}

/// `body` with its `proof` made by `f` from the partitioned proofs.
fn with_proofs(body: &Body, f: impl FnOnce(InvoiceProofs) -> InvoiceProofs) -> Body {
    with_proved(body, |b| {
        if let Body::InvoiceProved { proof, .. } = b {
            *proof = f(proof.parse().unwrap()).to_base64();
        }
    })
}

#[test]
fn a_partitioned_invoice_is_anchored_checked_and_audited() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));

    // The key set's hash is checked, and its keys decoded.
    let bad_hash = with_proved(&w.msa, |b| {
        if let Body::MsaAgreed { vk_hash, .. } = b {
            *vk_hash = "00".repeat(32);
        }
    });
    assert_refused!(
        &log,
        signed(bad_hash),
        (1, Rule::VkHashMismatch { actual, .. }) if actual == w.keys.hash_hex()
    );
    let cut = with_proved(&w.msa, |b| {
        if let Body::MsaAgreed { vk, .. } = b {
            let mut bytes = w.keys.to_bytes();
            bytes.truncate(bytes.len() - 1);
            *vk = base64::engine::general_purpose::STANDARD.encode(bytes);
        }
    });
    assert_refused!(&log, signed(cut), (1, Rule::NotAVerifyingKey(_)));
    log.append(signed(w.msa.clone())).unwrap();
    log.append(signed(w.usage.clone())).unwrap();

    // One proof where partitions are due, partitions swapped or cut short: refused.
    let single = with_proofs(&w.proved, |p| {
        InvoiceProofs::Single(p.partitioned().unwrap().proofs.link.clone())
    });
    assert_refused!(&log, signed(single), (3, Rule::ProofDoesNotVerify { .. }));
    let swapped = with_proofs(&w.proved, |p| {
        let mut p = p.partitioned().unwrap().clone();
        p.proofs.chunks.swap(0, 1);
        p.into()
    });
    assert_refused!(&log, signed(swapped), (3, Rule::ProofDoesNotVerify { .. }));
    let share = with_proofs(&w.proved, |p| {
        let mut p = p.partitioned().unwrap().clone();
        p.public.y[0] += Fr::from(1u64);
        p.public.y[1] -= Fr::from(1u64);
        p.into()
    });
    assert_refused!(&log, signed(share), (3, Rule::ProofDoesNotVerify { .. }));
    let short = with_proved(&w.proved, |b| {
        if let Body::InvoiceProved { proof, .. } = b {
            let mut bytes = base64::engine::general_purpose::STANDARD.decode(&*proof).unwrap();
            bytes.truncate(bytes.len() - 192);
            *proof = base64::engine::general_purpose::STANDARD.encode(bytes);
        }
    });
    assert_refused!(&log, signed(short), (3, Rule::MalformedProof(_)));

    let entry = log.append(signed(w.proved.clone())).unwrap();
    assert_eq!(entry.seq, 3);
    let report = log.audit(&mut ChaCha20Rng::seed_from_u64(5)).unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.proofs, w.partitions as u64);
    assert_eq!(w.partitions, 7, "three blocks, three chunks, the link");
}

#[test]
fn partitions_under_a_v1_key_are_refused() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    // The same MSA commitment anchored with a v1 key: the partitioned proofs are of another
    // statement than its key's.
    let v1 = with_proved(&w.msa, |b| {
        if let Body::MsaAgreed { vk, vk_hash, .. } = b {
            *vk = base64::engine::general_purpose::STANDARD.encode(vk_only().to_bytes());
            *vk_hash = vk_only().hash_hex();
        }
    });
    log.append(signed(v1)).unwrap();
    log.append(signed(w.usage.clone())).unwrap();
    assert_refused!(
        &log,
        signed(w.proved.clone()),
        (3, Rule::ProofDoesNotVerify { .. })
    );
}
