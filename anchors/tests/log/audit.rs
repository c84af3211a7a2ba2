//! Audits: the proofs counted, batched or one by one, with progress; a bad proof inserted behind
//! the log's back is named by its entry.

use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{AnchorError, AuditOptions, Body, Corruption, Entry, Role, Rule, Signature};

use crate::common::*;
use crate::{flow_log, tamper_connection, with_proved};

#[test]
fn audits_count_the_proofs_and_name_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let log = flow_log(dir.path(), "clean.db");
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let mut calls = Vec::new();
    let mut progress = |done: u64, total: u64| calls.push((done, total));
    let t = Instant::now();
    let report = log
        .audit_with(
            &mut rng,
            AuditOptions {
                one_by_one: false,
                progress: Some(&mut progress),
            },
        )
        .unwrap();
    let batched = t.elapsed();
    assert!(report.is_clean(), "{:?}", report.failures);
    assert_eq!((report.entries, report.msas, report.proofs), (7, 1, 2));
    assert_eq!(calls.last(), Some(&(9, 9)));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
    let t = Instant::now();
    let one = log
        .audit_with(
            &mut rng,
            AuditOptions {
                one_by_one: true,
                progress: None,
            },
        )
        .unwrap();
    let one_by_one = t.elapsed();
    assert!(one.is_clean());
    let t = Instant::now();
    log.verify_log().unwrap();
    let verify = t.elapsed();
    eprintln!(
        "audit of {} entries, {} proofs: batched {batched:?} (proofs {:?}), one by one {one_by_one:?} (proofs {:?}); verify_log {verify:?}",
        report.entries, report.proofs, report.proof_time, one.proof_time
    );

    // October's invoice anchored with November's proof, inserted behind the log's back; entries
    // after it are appended normally (appends trust stored proofs).
    let fx = fixture();
    let path = dir.path().join("bad.db");
    let bad = new_log(&path);
    bad.append(signed(msa_body())).unwrap();
    bad.append(signed(usage_body(0))).unwrap();
    let nov_proof = match &fx.months[1].proved {
        Body::InvoiceProved { proof, .. } => proof.clone(),
        _ => unreachable!(),
    };
    let body = with_proved(&fx.months[0].proved, |b| {
        if let Body::InvoiceProved { proof, .. } = b {
            *proof = nov_proof;
        }
    });
    let head = bad.head().unwrap().unwrap();
    let sig = Signature::new(Role::Seller, &seller(), &body);
    let entry = Entry::seal(3, head.hash, body, vec![sig]);
    let conn = tamper_connection(&path);
    conn.execute(
        "INSERT INTO entries (seq, prev_hash, hash, kind, body, signatures) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            3,
            entry.prev_hash.as_slice(),
            entry.hash.as_slice(),
            entry.body.kind(),
            entry.body.canonical_json(),
            entry.signatures_json()
        ],
    )
    .unwrap();
    bad.append(signed(accepted(0))).unwrap();
    bad.append(signed(usage_body(1))).unwrap();
    bad.append(signed(fx.months[1].proved.clone())).unwrap();
    for one_by_one in [false, true] {
        let report = bad
            .audit_with(
                &mut rng,
                AuditOptions {
                    one_by_one,
                    progress: None,
                },
            )
            .unwrap();
        assert_eq!(report.proofs, 2);
        assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
        assert_eq!(report.failures[0].0, 3);
        assert_eq!(
            report.failures[0].1,
            Corruption::ProofFails {
                key_hash: fx.vk.hash_hex()
            }
        );
    }
    let e = bad.verify_log().err().unwrap();
    assert!(
        matches!(
            &e,
            AnchorError::Corrupt {
                seq: 3,
                reason: Corruption::Rule {
                    kind: "invoice-proved",
                    rule,
                },
                refused: None
            } if matches!(**rule, Rule::ProofDoesNotVerify { .. })
        ),
        "{e:?}"
    );
}
