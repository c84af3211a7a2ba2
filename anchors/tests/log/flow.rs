//! The whole flow appended, verified, reopened and read back; the parties' keys.

use zkinvoice_anchors::{AnchorError, AnchorLog, Entry, Fr, InvoiceStatus, PartySecret, Proposal};

use crate::common::*;
use crate::export;

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
    assert!(
        matches!(&e, AnchorError::Io { path: p, .. } if *p == path),
        "{e:?}"
    );
    assert!(e.to_string().contains("already exists"), "{e}");
    assert!(AnchorLog::open(&dir.path().join("missing.db")).is_err());
    assert!(!dir.path().join("missing.db").exists());
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
    assert!(
        matches!(&e, AnchorError::Io { path: p, .. } if *p == path),
        "{e:?}"
    );
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
    assert!(matches!(e, AnchorError::Key { .. }), "{e:?}");
    assert!(e.to_string().contains("different keys"), "{e}");
}
