//! The netting of two partitioned invoices in the log (`zkinvoice/netting/v2`): the partitioned
//! bilateral's invoice (shape PS), accepted, netted against an opposite bilateral's partitioned
//! invoice (shape PM, only its parts and acceptance in this log) under the MSA's heads key.
//! Refused, with nothing written: without that key, without the parts (v1's statement), with
//! either invoice's parts not its commitment's or swapped, another payer; every field of the
//! parts is bound. Admitted once, and the audit verifies it again.

use std::sync::OnceLock;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{Body, Fr, KeySetup, NetRule, Role, Rule, Signature};
use zkinvoice_circuits::{partition::PartitionShape, Invoice, Salt};
use zkinvoice_prover::netting::{NettingHeadsKeys, ProvedNetting};

use super::partitioned::world;
use crate::assert_refused;
use crate::common::*;

struct Net {
    keys: NettingHeadsKeys,
    proved: ProvedNetting,
    /// The other bilateral's MSA and invoice commitments.
    other: (Fr, Fr),
}

fn net() -> &'static Net {
    static N: OnceLock<Net> = OnceLock::new();
    N.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(1717);
        let env = &world().envelope;
        let forward = Invoice::from_doc(&env.invoice).unwrap();
        let salt: Salt = env.invoice.commitment.as_ref().unwrap().salt.parse().unwrap();
        // The opposite bilateral's invoice of the period: the parties crossed, its own agreement.
        let mut reverse = forward.clone();
        std::mem::swap(&mut reverse.seller_id, &mut reverse.buyer_id);
        reverse.msa_id = "MSA-REVERSE".into();
        reverse.number = "REV-1".into();
        reverse.total = forward.total / 3;
        let reverse_salt = Salt::random(&mut rng);
        let keys = NettingHeadsKeys::generate_heads(&mut rng).unwrap();
        let proved = keys
            .prove(
                (&forward, PartitionShape::PS, &salt),
                (&reverse, PartitionShape::PM, &reverse_salt),
                &mut rng,
            )
            .unwrap();
        let invoice = env.public_inputs.invoice_commitment;
        let p = &proved.public;
        let other_invoice = if p.first_invoice == invoice {
            p.second_invoice
        } else {
            p.first_invoice
        };
        Net {
            keys,
            proved,
            other: (Fr::from(4242u64), other_invoice),
        }
    })
}

/// The `invoices-netted` body of this log's invoice, with the invoices' parts.
fn netted() -> Body {
    let (w, n) = (world(), net());
    let env = &w.envelope;
    let (msa, invoice) = (
        env.public_inputs.msa_commitment,
        env.public_inputs.invoice_commitment,
    );
    // The other invoice accepted in its log: its Buyer is this log's Seller.
    let acceptance = Body::InvoiceAccepted {
        msa_commitment: n.other.0,
        invoice_commitment: n.other.1,
    };
    let other_accepted = Signature::new(Role::Buyer, &seller(), &acceptance).signature;
    let p = &env.invoice.period;
    Body::invoices_netted(
        msa,
        invoice,
        (n.other.0, other_accepted),
        &n.proved.public,
        (p.start.clone(), p.end.clone()),
        &n.proved.proof,
    )
    .unwrap()
    .with_netted_parts(n.proved.parts.as_ref().unwrap())
}

/// Which invoice's parts a change breaks, and the change.
type Case = (&'static str, fn(&mut Body));

/// `netted()` changed by `f`.
fn edited(f: impl FnOnce(&mut Body)) -> Body {
    let mut b = netted();
    f(&mut b);
    b
}

fn parts_of(b: &mut Body) -> &mut zkinvoice_anchors::NettedParts {
    match b {
        Body::InvoicesNetted { parts: Some(p), .. } => p,
        _ => unreachable!("a netting with parts"),
    }
}

#[test]
fn two_partitioned_invoices_are_netted_under_the_heads_key_with_their_parts() {
    let (w, n) = (world(), net());
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    for body in [w.msa.clone(), w.usage.clone(), w.proved.clone()] {
        log.append(signed(body)).unwrap();
    }
    let msa = w.envelope.public_inputs.msa_commitment;
    log.append(signed(Body::InvoiceAccepted {
        msa_commitment: msa,
        invoice_commitment: w.envelope.public_inputs.invoice_commitment,
    }))
    .unwrap();
    // No key of the statement yet.
    assert_refused!(
        &log,
        signed(netted()),
        (5, Rule::Net(NetRule::NoNettingKey { statement, .. })) if statement == "zkinvoice/netting/v2"
    );
    log.append(signed(Body::statement_key_agreed(
        msa,
        n.keys.verifying_key(),
        KeySetup::SingleParty,
    )))
    .unwrap();
    // Without the parts the netting is v1's, whose key the MSA did not agree.
    let bare = edited(|b| {
        if let Body::InvoicesNetted { parts, .. } = b {
            *parts = None;
        }
    });
    assert_refused!(
        &log,
        signed(bare),
        (6, Rule::Net(NetRule::NoNettingKey { statement, .. })) if statement == "zkinvoice/netting/v1"
    );
    // Parts that are not the invoices': refused before the proof is read.
    let cases: [Case; 4] = [
        ("this log's", |b| parts_of(b).invoice.head += Fr::from(1u64)),
        ("this log's", |b| {
            parts_of(b).invoice.parts.pop();
        }),
        ("the other", |b| parts_of(b).other.parts[0] += Fr::from(1u64)),
        ("this log's", |b| {
            let p = parts_of(b);
            std::mem::swap(&mut p.invoice, &mut p.other);
        }),
    ];
    for (which, f) in cases {
        assert_refused!(
            &log,
            signed(edited(f)),
            (6, Rule::Net(NetRule::NotTheParts { which: w, .. })) if w == which
        );
    }
    // Another payer: the proof does not verify.
    let payer = edited(|b| {
        if let Body::InvoicesNetted { payer, .. } = b {
            *payer = payer.other();
        }
    });
    assert_refused!(
        &log,
        signed(payer),
        (6, Rule::Net(NetRule::NettingProofDoesNotVerify { .. }))
    );

    // The netting as proved: admitted once, in a body whose JSON names the parts.
    let good = netted();
    assert!(good.canonical_json().contains("\"parts\":{\"invoice\":{\"head\""));
    log.append(signed(good.clone())).unwrap();
    assert_refused!(&log, signed(good), (7, Rule::Net(NetRule::AlreadyNetted { .. })));
    let report = log.audit(&mut ChaCha20Rng::seed_from_u64(5)).unwrap();
    assert!(report.is_clean(), "{report:?}");
}
