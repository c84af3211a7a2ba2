//! The anchor log on the example bilateral: the flow, signatures, rules, export and import,
//! tampering and audits.

mod common;

use std::io::{BufReader, Cursor};
use std::time::Instant;

use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rusqlite::Connection;
use zkinvoice_anchors::{
    AnchorError, AnchorLog, AuditOptions, Body, Entry, Fr, InvoiceStatus, PartySecret, Proposal, Role,
    Signature,
};

fn refused(log: &AnchorLog, proposal: Proposal, expect: &[&str]) -> AnchorError {
    let before = state(log);
    let e = log.append(proposal).expect_err("refused");
    let text = e.to_string();
    for want in expect {
        assert!(text.contains(want), "{text:?} does not contain {want:?}");
    }
    assert!(matches!(e, AnchorError::Refused { .. }), "{e:?}");
    assert_eq!(state(log), before, "a refusal wrote something: {text}");
    e
}

fn flow_log(dir: &std::path::Path, name: &str) -> AnchorLog {
    let log = new_log(&dir.join(name));
    for p in full_flow() {
        log.append(p).unwrap();
    }
    log
}

fn export(log: &AnchorLog) -> String {
    let mut out = Vec::new();
    log.export_jsonl(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn import(log: &AnchorLog, text: &str) -> Result<zkinvoice_anchors::ImportReport, AnchorError> {
    log.import_jsonl(&mut BufReader::new(Cursor::new(text.as_bytes())))
}

#[test]
fn the_whole_flow_appends_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let log = new_log(&path);
    assert_eq!(state(&log), (0, None));
    let f = fixture();
    let mut prev = [0u8; 32];
    for (i, p) in full_flow().into_iter().enumerate() {
        let e = log.append(p).unwrap();
        assert_eq!(e.seq, i as u64 + 1);
        assert_eq!(e.prev_hash, prev);
        assert_eq!(e.hash, e.compute_hash());
        prev = e.hash;
    }
    let report = log.verify_log().unwrap();
    assert_eq!((report.entries, report.msas, report.proofs), (7, 1, 2));
    assert_eq!(report.head.unwrap().hash, prev);
    assert_eq!(
        log.latest_state(&f.msa_commitment).unwrap(),
        Some(f.months[1].state_after)
    );
    assert_eq!(log.latest_state(&Fr::from(5u64)).unwrap(), None);
    let view = log.view().unwrap();
    assert_eq!(
        view.invoice_status(&f.months[0].invoice_commitment),
        Some(&InvoiceStatus::Accepted {
            proved: 3,
            decided: 4
        })
    );
    assert!(matches!(
        view.invoice_status(&f.months[1].invoice_commitment),
        Some(InvoiceStatus::Rejected {
            proved: 6,
            decided: 7,
            ..
        })
    ));
    assert_eq!(
        view.agreed_usage(&f.msa_commitment, "2026-11-01", "2026-12-01"),
        Some(f.months[1].usage_commitment)
    );
    drop(log);

    // Reopened: the same entries and parties; the entries survive their JSON lines.
    let log = AnchorLog::open(&path).unwrap();
    assert_eq!(log.parties().seller, seller().public());
    assert_eq!(log.parties().buyer, buyer().public());
    let entries = log.entries().unwrap();
    assert_eq!(entries.len(), 7);
    for e in &entries {
        let back: Entry = serde_json::from_str(&e.to_json_line()).unwrap();
        assert_eq!(&back, e);
    }
    let text = export(&log);
    assert_eq!(text.lines().count(), 7);
    assert!(text
        .lines()
        .next()
        .unwrap()
        .starts_with("{\"seq\":1,\"prevHash\":\"0000"));
    // The body's JSON form.
    let json = fixture().months[0].proved.canonical_json();
    assert!(
        json.starts_with("{\"kind\":\"invoice-proved\",\"msaCommitment\":\"0x"),
        "{json}"
    );
    // A proposal survives JSON.
    let p = signed(usage_body(0));
    assert_eq!(Proposal::from_json(&p.to_json()).unwrap(), p);
    // An existing file is never replaced; a missing one is not created by open.
    let e = AnchorLog::create(&path, &seller().public(), &buyer().public())
        .err()
        .unwrap();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert!(AnchorLog::open(&dir.path().join("missing.db")).is_err());
    assert!(!dir.path().join("missing.db").exists());
}

#[test]
fn signatures_must_be_exactly_the_required_roles_by_the_logs_keys() {
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    let (s, b, t) = parties();
    let f = fixture();

    // msa-agreed: both.
    let only_seller = Proposal::new(msa_body()).signed(Role::Seller, &s);
    refused(
        &log,
        only_seller.clone(),
        &["entry 1 (msa-agreed)", "Buyer's signature is missing"],
    );
    assert!(only_seller.check_signatures(&s.public(), &b.public()).is_err());
    let third_as_buyer = Proposal::new(msa_body())
        .signed(Role::Seller, &s)
        .signed(Role::Buyer, &t);
    refused(&log, third_as_buyer, &["not the log's Buyer key"]);
    let unsigned = Proposal::new(msa_body());
    refused(&log, unsigned, &["Seller's signature is missing"]);
    let good = signed(msa_body());
    good.check_signatures(&s.public(), &b.public()).unwrap();
    log.append(good).unwrap();

    // usage-agreed: both; a signature of another body does not verify.
    refused(
        &log,
        Proposal::new(usage_body(0)).signed(Role::Buyer, &b),
        &["Seller's signature is missing"],
    );
    let mut forged = signed(usage_body(0));
    forged.signatures[1] = Signature::new(Role::Buyer, &b, &usage_body(1));
    refused(&log, forged, &["Buyer's signature does not verify"]);
    let mut dup = signed(usage_body(0));
    dup.signatures.push(dup.signatures[0].clone());
    refused(&log, dup, &["two signatures by the Seller"]);
    log.append(signed(usage_body(0))).unwrap();

    // invoice-proved: the Seller only.
    let proved = f.months[0].proved.clone();
    refused(
        &log,
        Proposal::new(proved.clone()).signed(Role::Buyer, &b),
        &["Seller only"],
    );
    refused(
        &log,
        Proposal::new(proved.clone())
            .signed(Role::Seller, &s)
            .signed(Role::Buyer, &b),
        &["Seller only", "signature by the Buyer"],
    );
    refused(
        &log,
        Proposal::new(proved.clone()).signed(Role::Seller, &t),
        &["not the log's Seller key"],
    );
    // The Buyer's key claimed as the Seller's.
    refused(
        &log,
        Proposal::new(proved.clone()).signed(Role::Seller, &b),
        &["not the log's Seller key"],
    );
    log.append(signed(proved)).unwrap();

    // invoice-accepted / -rejected: the Buyer only.
    refused(
        &log,
        Proposal::new(accepted(0)).signed(Role::Seller, &s),
        &["Buyer only", "signature by the Seller"],
    );
    refused(
        &log,
        Proposal::new(rejected(0, "no"))
            .signed(Role::Buyer, &b)
            .signed(Role::Seller, &s),
        &["Buyer only"],
    );
    refused(
        &log,
        Proposal::new(rejected(0, "no")).signed(Role::Buyer, &t),
        &["not the log's Buyer key"],
    );
    log.append(signed(accepted(0))).unwrap();
    assert_eq!(log.verify_log().unwrap().entries, 4);
}

#[test]
fn replayed_entries_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    let flow = full_flow();
    for (i, p) in flow.iter().enumerate() {
        log.append(p.clone()).unwrap();
        let why = match i {
            0 => "already anchored (entry 1)",
            1 | 4 => "already agreed",
            2 | 5 => "is already anchored",
            3 => "already accepted (entry 4)",
            _ => "already rejected (entry 7)",
        };
        refused(&log, p.clone(), &[&format!("entry {}", i + 2), why]);
    }
    // Every earlier entry replayed at the end is refused too.
    for p in &flow {
        refused(&log, p.clone(), &["entry 8"]);
    }
    assert_eq!(log.verify_log().unwrap().entries, 7);
}

fn with_proved(body: &Body, f: impl FnOnce(&mut Body)) -> Body {
    let mut b = body.clone();
    f(&mut b);
    b
}

#[test]
fn invoices_follow_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    let fx = fixture();
    let (oct, nov) = (&fx.months[0].proved, &fx.months[1].proved);

    // Nothing before the MSA.
    refused(
        &log,
        signed(usage_body(0)),
        &["entry 1 (usage-agreed)", "is not anchored"],
    );
    refused(&log, signed(oct.clone()), &["is not anchored"]);
    log.append(signed(msa_body())).unwrap();
    // A second MSA with a bad key or hash.
    let bad_hash = with_proved(&msa_body_with(&fx.vk, Fr::from(9u64), Fr::from(10u64)), |b| {
        if let Body::MsaAgreed { vk_hash, .. } = b {
            *vk_hash = "00".repeat(32);
        }
    });
    refused(&log, signed(bad_hash), &["vkHash", "is not the SHA-256 of vk"]);
    let bad_vk = with_proved(&msa_body_with(&fx.vk, Fr::from(9u64), Fr::from(10u64)), |b| {
        if let Body::MsaAgreed { vk, vk_hash, .. } = b {
            use base64::Engine as _;
            let bytes = vec![7u8; 100];
            *vk = base64::engine::general_purpose::STANDARD.encode(&bytes);
            *vk_hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        }
    });
    refused(&log, signed(bad_vk), &["vk is not an invoice verifying key"]);

    // An invoice whose period's usage is not agreed.
    refused(
        &log,
        signed(oct.clone()),
        &[
            "entry 2 (invoice-proved)",
            "no usage is agreed",
            "2026-10-01..2026-11-01",
        ],
    );
    log.append(signed(usage_body(0))).unwrap();
    refused(
        &log,
        signed(nov.clone()),
        &["no usage is agreed", "2026-11-01..2026-12-01"],
    );
    // Usage periods must be dates, the end after the start.
    let bad_period = with_proved(&usage_body(1), |b| {
        if let Body::UsageAgreed { period_end, .. } = b {
            *period_end = "2026-11-31".into();
        }
    });
    refused(
        &log,
        signed(bad_period),
        &["periodEnd \"2026-11-31\" is not a date"],
    );
    // Another usage commitment than the agreed one.
    let other_usage = with_proved(oct, |b| {
        if let Body::InvoiceProved { usage_commitment, .. } = b {
            *usage_commitment = Fr::from(3u64);
        }
    });
    refused(
        &log,
        signed(other_usage),
        &["is not the usage agreed for 2026-10-01..2026-11-01"],
    );
    // A proof that does not verify: November's proof on October's inputs.
    let nov_proof = match nov {
        Body::InvoiceProved { proof, .. } => proof.clone(),
        _ => unreachable!(),
    };
    let wrong_proof = with_proved(oct, |b| {
        if let Body::InvoiceProved { proof, .. } = b {
            *proof = nov_proof.clone();
        }
    });
    refused(&log, signed(wrong_proof), &["the proof does not verify"]);
    let garbage_proof = with_proved(oct, |b| {
        if let Body::InvoiceProved { proof, .. } = b {
            *proof = "AAAA".into();
        }
    });
    refused(&log, signed(garbage_proof), &["proof is malformed"]);
    // Decisions need an anchored invoice.
    refused(
        &log,
        signed(accepted(0)),
        &["entry 3 (invoice-accepted)", "is not anchored"],
    );
    log.append(signed(oct.clone())).unwrap();
    refused(&log, signed(rejected(0, " ")), &["must give a reason"]);

    // November: from a stale state, from an already used state, then the right one.
    log.append(signed(usage_body(1))).unwrap();
    let stale = with_proved(nov, |b| {
        if let Body::InvoiceProved { state_before, .. } = b {
            *state_before = Fr::from(12345u64);
        }
    });
    refused(&log, signed(stale), &["entry 5 (invoice-proved)", "stale state"]);
    let used = with_proved(nov, |b| {
        if let Body::InvoiceProved { state_before, .. } = b {
            *state_before = fx.state0;
        }
    });
    refused(&log, signed(used), &["state already used", "entry 3"]);
    // October's usage again under another invoice number and commitment, from the latest state.
    let again = with_proved(oct, |b| {
        if let Body::InvoiceProved {
            state_before,
            invoice_commitment,
            ..
        } = b
        {
            *state_before = fx.months[0].state_after;
            *invoice_commitment = Fr::from(77u64);
        }
    });
    refused(&log, signed(again), &["already invoiced (entry 3)"]);
    log.append(signed(nov.clone())).unwrap();
    log.append(signed(rejected(1, "disputed"))).unwrap();
    refused(&log, signed(accepted(1)), &["already rejected (entry 6)"]);
    // A decision naming the invoice under another MSA.
    let other_msa = Body::InvoiceAccepted {
        msa_commitment: Fr::from(9u64),
        invoice_commitment: fx.months[0].invoice_commitment,
    };
    refused(&log, signed(other_msa), &["is not anchored"]);
    assert_eq!(log.verify_log().unwrap().entries, 6);
}

#[test]
fn export_then_import_gives_identical_copies_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let seller_copy = flow_log(dir.path(), "seller.db");
    let text = export(&seller_copy);

    // The Buyer's copy: the first three entries first, then everything.
    let buyer_copy = new_log(&dir.path().join("buyer.db"));
    let first3: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    let r = import(&buyer_copy, &first3).unwrap();
    assert_eq!((r.appended, r.already_present), (3, 0));
    let r = import(&buyer_copy, &text).unwrap();
    assert_eq!((r.appended, r.already_present), (4, 3));
    assert_eq!(buyer_copy.head().unwrap(), seller_copy.head().unwrap());
    assert_eq!(export(&buyer_copy), text);
    buyer_copy.verify_log().unwrap();
    // Again: nothing to do.
    let r = import(&buyer_copy, &text).unwrap();
    assert_eq!((r.appended, r.already_present), (0, 7));
    // Appending on one copy and importing into the other keeps them equal.
    let extra = signed(synthetic_usage(fixture().msa_commitment, 0));
    buyer_copy.append(extra).unwrap();
    let r = import(&seller_copy, &export(&buyer_copy)).unwrap();
    assert_eq!((r.appended, r.already_present), (1, 7));
    assert_eq!(buyer_copy.head().unwrap(), seller_copy.head().unwrap());
    // Blank lines are ignored.
    assert_eq!(
        import(&seller_copy, &format!("\n{}\n\n", export(&seller_copy)))
            .unwrap()
            .already_present,
        8
    );
}

#[test]
fn forks_gaps_reordering_and_bad_lines_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture();
    // Two copies that share two entries, then differ at entry 3.
    let a = new_log(&dir.path().join("a.db"));
    let b = new_log(&dir.path().join("b.db"));
    for p in [signed(msa_body()), signed(usage_body(0))] {
        a.append(p.clone()).unwrap();
        b.append(p).unwrap();
    }
    a.append(signed(fx.months[0].proved.clone())).unwrap();
    a.append(signed(accepted(0))).unwrap();
    b.append(signed(usage_body(1))).unwrap();
    let before = state(&b);
    let e = import(&b, &export(&a)).err().unwrap();
    let (la, lb) = (a.entries().unwrap(), b.entries().unwrap());
    assert_eq!(
        e,
        AnchorError::Fork {
            seq: 3,
            local: hex::encode(lb[2].hash),
            imported: hex::encode(la[2].hash)
        }
    );
    assert!(e.to_string().contains("the copies diverge at entry 3"), "{e}");
    assert_eq!(state(&b), before);

    // Reordered lines into an empty copy: a gap at the first out-of-order line; nothing written.
    let full = flow_log(dir.path(), "full.db");
    let text = export(&full);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(2, 3);
    let c = new_log(&dir.path().join("c.db"));
    let e = import(&c, &lines.join("\n")).err().unwrap();
    assert!(
        matches!(
            e,
            AnchorError::Import {
                line: 3,
                seq: Some(4),
                ..
            }
        ) && e.to_string().contains("a gap"),
        "{e}"
    );
    assert_eq!(state(&c), (0, None));
    // A gap at the start.
    let e = import(&c, &text.lines().skip(1).collect::<Vec<_>>().join("\n"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("import line 1 (entry 2)"), "{e}");
    // An altered line: its hash does not recompute.
    let altered = text.replacen("INV-2026-10", "INV-2026-1O", 1);
    let e = import(&c, &altered).err().unwrap();
    assert!(
        e.to_string().contains("(entry 3)") && e.to_string().contains("does not recompute"),
        "{e}"
    );
    // Not JSON.
    let e = import(&c, "{\"seq\": 1}\n").err().unwrap();
    assert!(e.to_string().starts_with("import line 1: not an entry"), "{e}");
    assert_eq!(state(&c), (0, None));
    // Another bilateral's export: the signatures are not by this log's keys.
    let (s, _, t) = parties();
    let other = AnchorLog::create(&dir.path().join("other.db"), &s.public(), &t.public()).unwrap();
    let e = import(&other, &text).err().unwrap();
    assert!(e.to_string().contains("not the log's Buyer key"), "{e}");
    assert_eq!(state(&other), (0, None));
    // A good prefix then a refused line: nothing of the prefix is kept.
    let mut mixed: Vec<String> = text.lines().take(2).map(String::from).collect();
    mixed.push(text.lines().nth(3).unwrap().into());
    let e = import(&c, &mixed.join("\n")).err().unwrap();
    assert!(e.to_string().contains("a gap"), "{e}");
    assert_eq!(state(&c), (0, None));
}

/// Drops the append-only triggers of a log file (to tamper with it).
fn tamper_connection(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_in_order;",
    )
    .unwrap();
    conn
}

#[test]
fn a_byte_flipped_anywhere_in_a_stored_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    drop(flow_log(dir.path(), "log.db"));
    let conn = tamper_connection(&path);
    let log = AnchorLog::open(&path).unwrap();
    let clean = log.verify_log().unwrap();
    let masks = [0x01u8, 0x20, 0x80, 0x04, 0x10];
    let mut checked = 0;
    for seq in 1..=7i64 {
        for column in ["body", "signatures", "hash", "prev_hash", "kind"] {
            let original: Vec<u8> = conn
                .query_row(
                    &format!("SELECT CAST({column} AS BLOB) FROM entries WHERE seq = ?1"),
                    [seq],
                    |r| r.get(0),
                )
                .unwrap();
            let text = column != "hash" && column != "prev_hash";
            let n = original.len();
            let step = (n / 24).max(1);
            let positions: Vec<usize> = (0..n).step_by(step).chain([n - 1]).collect();
            for (k, &pos) in positions.iter().enumerate() {
                let mut bytes = original.clone();
                bytes[pos] ^= masks[k % masks.len()];
                let sql = if text {
                    format!("UPDATE entries SET {column} = CAST(?1 AS TEXT) WHERE seq = ?2")
                } else {
                    format!("UPDATE entries SET {column} = ?1 WHERE seq = ?2")
                };
                conn.execute(&sql, rusqlite::params![bytes, seq]).unwrap();
                match log.verify_log() {
                    Err(AnchorError::Corrupt {
                        seq: named, reason, ..
                    }) => {
                        assert_eq!(named, seq as u64, "{column} byte {pos}: {reason}")
                    }
                    other => panic!("{column} of entry {seq}, byte {pos} flipped: {other:?}"),
                }
                let audit = log.audit(&mut ChaCha20Rng::seed_from_u64(1)).unwrap();
                assert_eq!(
                    audit.failures.first().map(|f| f.0),
                    Some(seq as u64),
                    "{column} {pos}"
                );
                checked += 1;
                let restore = if text {
                    format!("UPDATE entries SET {column} = CAST(?1 AS TEXT) WHERE seq = ?2")
                } else {
                    format!("UPDATE entries SET {column} = ?1 WHERE seq = ?2")
                };
                conn.execute(&restore, rusqlite::params![original, seq]).unwrap();
            }
        }
    }
    assert!(checked > 500, "{checked}");
    assert_eq!(log.verify_log().unwrap(), clean);
    // A deleted entry is named as missing; an appended row out of sequence too.
    let row: (Vec<u8>, Vec<u8>, String, String, String) = conn
        .query_row(
            "SELECT prev_hash, hash, kind, body, signatures FROM entries WHERE seq = 4",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    conn.execute("DELETE FROM entries WHERE seq = 4", []).unwrap();
    let e = log.verify_log().err().unwrap();
    assert!(matches!(e, AnchorError::Corrupt { seq: 4, .. }), "{e}");
    assert!(e.to_string().contains("missing"), "{e}");
    // Appending to a corrupt log is refused, naming the entry.
    let e = log
        .append(signed(synthetic_usage(fixture().msa_commitment, 1)))
        .err()
        .unwrap();
    assert!(matches!(e, AnchorError::Corrupt { seq: 4, .. }), "{e}");
    conn.execute(
        "INSERT INTO entries (seq, prev_hash, hash, kind, body, signatures) VALUES (4, ?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![row.0, row.1, row.2, row.3, row.4],
    )
    .unwrap();
    assert_eq!(log.verify_log().unwrap(), clean);
}

#[test]
fn the_triggers_refuse_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let log = flow_log(dir.path(), "log.db");
    let before = state(&log);
    let conn = Connection::open(&path).unwrap();
    for sql in [
        "UPDATE entries SET body = body || ' ' WHERE seq = 2",
        "UPDATE entries SET seq = 100 WHERE seq = 7",
        "DELETE FROM entries WHERE seq = 7",
        "DELETE FROM entries",
        "UPDATE meta SET value = 'x' WHERE key = 'buyer'",
        "DELETE FROM meta",
    ] {
        let e = conn
            .execute(sql, [])
            .err()
            .unwrap_or_else(|| panic!("{sql} was allowed"));
        assert!(e.to_string().contains("refused"), "{sql}: {e}");
    }
    let e = conn
        .execute(
            "INSERT INTO entries (seq, prev_hash, hash, kind, body, signatures) VALUES (20, x'00', x'01', 'k', 'b', 's')",
            [],
        )
        .err()
        .unwrap();
    assert!(e.to_string().contains("next seq"), "{e}");
    assert_eq!(state(&log), before);
    log.verify_log().unwrap();
}

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
        assert!(
            report.failures[0].1.to_string().contains("does not verify"),
            "{:?}",
            report.failures
        );
    }
    let e = bad.verify_log().err().unwrap();
    assert!(
        matches!(e, AnchorError::Corrupt { seq: 3, .. }) && e.to_string().contains("does not verify"),
        "{e}"
    );
}

#[test]
fn keys_round_trip_and_secrets_stay_out_of_debug() {
    let dir = tempfile::tempdir().unwrap();
    let s = seller();
    let dbg = format!("{s:?}");
    assert!(!dbg.contains(&s.to_hex()) && dbg.contains("redacted"), "{dbg}");
    assert_eq!(PartySecret::from_hex(&s.to_hex()).unwrap().public(), s.public());
    assert_eq!(
        zkinvoice_anchors::PartyPublic::from_hex(&s.public().to_hex()).unwrap(),
        s.public()
    );
    let path = dir.path().join("seller.key");
    s.write_file(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert_eq!(PartySecret::read_file(&path).unwrap().public(), s.public());
    let e = buyer().write_file(&path).err().unwrap();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(PartySecret::read_file(&path).unwrap().public(), s.public());
    assert!(PartySecret::from_hex("abcd").is_err());
    assert!(zkinvoice_anchors::PartyPublic::from_hex(&"00".repeat(32)).is_err());
    let g = PartySecret::generate();
    assert_ne!(g.public(), s.public());
    // The same key for both parties is refused.
    let e = AnchorLog::create(&dir.path().join("x.db"), &s.public(), &s.public())
        .err()
        .unwrap();
    assert!(e.to_string().contains("different keys"), "{e}");
}
