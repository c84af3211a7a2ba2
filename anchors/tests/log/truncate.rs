//! A copy whose last entries were removed behind its back (rows deleted from the file), against
//! the other party's copy: its record of written entries names them and keeps it from taking any
//! entry but those back; with that record gone too, the comparison with the other copy names
//! them; either way a different continuation (a fork) is refused.

use std::path::Path;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{AnchorError, AnchorLog, Attempt, Corruption, Head};

use crate::common::*;
use crate::{export, flow_log, import, tamper_connection};

/// Deletes the entries after `keep` from the log file (its record of written entries stays
/// unless `record_too`).
fn remove_after(path: &Path, keep: u64, record_too: bool) {
    let conn = tamper_connection(path);
    conn.execute("DELETE FROM entries WHERE seq > ?1", [keep])
        .unwrap();
    if record_too {
        conn.execute_batch("DROP TRIGGER written_no_delete;").unwrap();
        conn.execute("DELETE FROM written WHERE seq > ?1", [keep])
            .unwrap();
    }
}

/// The Seller's copy (the whole flow, 7 entries) and the Buyer's, imported from it.
fn two_copies(dir: &Path) -> (AnchorLog, AnchorLog) {
    let seller = flow_log(dir, "seller.db");
    let buyer = new_log(&dir.join("buyer.db"));
    import(&buyer, &export(&seller)).unwrap();
    (seller, buyer)
}

fn compare(log: &AnchorLog, other: &AnchorLog) -> Result<Option<Head>, AnchorError> {
    log.compare_jsonl(&mut export(other).as_bytes(), other.path())
}

#[test]
fn a_copy_names_its_removed_entries_refuses_to_append_after_them_and_takes_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let (seller, buyer) = two_copies(dir.path());
    let head = buyer.head().unwrap();
    remove_after(buyer.path(), 4, false);
    let removed = |refused| AnchorError::Corrupt {
        seq: 5,
        reason: Corruption::Removed { last: 7 },
        refused,
    };
    // On its own: verify and audit name them; an append after them is refused, nothing written.
    assert_eq!(buyer.verify_log(), Err(removed(None)));
    let audit = buyer.audit(&mut ChaCha20Rng::seed_from_u64(1)).unwrap();
    assert_eq!(audit.failures, vec![(5, Corruption::Removed { last: 7 })]);
    let before = state(&buyer);
    let fork = signed(synthetic_usage(fixture().msa_commitment, 0));
    assert_eq!(buyer.append(fork), Err(removed(Some(Attempt::Append))));
    assert_eq!(state(&buyer), before);
    // Against the Seller's copy: the entries it lacks, which it had written.
    assert_eq!(
        compare(&buyer, &seller),
        Err(AnchorError::Lacks {
            copy: buyer.path().into(),
            first: 5,
            last: 7,
            has: seller.path().into(),
            written: Some(7),
        })
    );
    // The Seller's comparison checks the Buyer's copy first, and finds the same.
    assert_eq!(seller.compare_log(&buyer), Err(removed(None)));
    // An import from the Seller restores them, as they were.
    let r = import(&buyer, &export(&seller)).unwrap();
    assert_eq!((r.appended, r.restored, r.already_present), (3, 3, 4));
    assert_eq!(r.beyond_export, None);
    assert_eq!(buyer.head().unwrap(), head);
    buyer.verify_log().unwrap();
    assert_eq!(compare(&buyer, &seller).unwrap(), head);
    assert_eq!(seller.compare_log(&buyer).unwrap(), head);
}

#[test]
fn a_copy_with_removed_entries_takes_back_only_those_no_other_continuation() {
    let dir = tempfile::tempdir().unwrap();
    let (seller, buyer) = two_copies(dir.path());
    let written = buyer.entries().unwrap();
    remove_after(buyer.path(), 4, false);
    // Another history after entry 4: the first four entries, then a usage of another period.
    let other = new_log(&dir.path().join("other.db"));
    import(&other, &export(&buyer)).unwrap();
    other
        .append(signed(synthetic_usage(fixture().msa_commitment, 0)))
        .unwrap();
    let forked = other.entries().unwrap()[4].hash;
    let fork = AnchorError::Fork {
        seq: 5,
        local: hex::encode(written[4].hash),
        imported: hex::encode(forked),
    };
    let before = state(&buyer);
    assert_eq!(import(&buyer, &export(&other)), Err(fork.clone()));
    assert_eq!(state(&buyer), before);
    assert_eq!(compare(&buyer, &other), Err(fork));
    // The Seller's copy still restores it.
    import(&buyer, &export(&seller)).unwrap();
    buyer.verify_log().unwrap();
}

#[test]
fn with_its_record_removed_too_the_other_copy_names_what_it_lacks_and_a_fork_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (seller, buyer) = two_copies(dir.path());
    remove_after(buyer.path(), 4, true);
    // On its own the copy cannot tell (a prefix of a valid chain is valid)...
    assert_eq!(buyer.verify_log().unwrap().entries, 4);
    // ...but the comparison with the other copy names the entries, from either side.
    let lacks = AnchorError::Lacks {
        copy: buyer.path().into(),
        first: 5,
        last: 7,
        has: seller.path().into(),
        written: None,
    };
    assert_eq!(compare(&buyer, &seller), Err(lacks.clone()));
    assert_eq!(seller.compare_log(&buyer), Err(lacks));
    // An import from the Seller's copy tells the Seller what the Buyer's export lacks.
    let r = import(&seller, &export(&buyer)).unwrap();
    assert_eq!(
        (r.appended, r.already_present, r.beyond_export),
        (0, 4, Some((5, 7)))
    );
    // A different entry 5 appended to the truncated copy forks it: both sides refuse it.
    buyer
        .append(signed(synthetic_usage(fixture().msa_commitment, 0)))
        .unwrap();
    let (s5, b5) = (
        seller.entries().unwrap()[4].hash,
        buyer.entries().unwrap()[4].hash,
    );
    let fork = |local: [u8; 32], imported: [u8; 32]| AnchorError::Fork {
        seq: 5,
        local: hex::encode(local),
        imported: hex::encode(imported),
    };
    assert_eq!(compare(&buyer, &seller), Err(fork(b5, s5)));
    assert_eq!(seller.compare_log(&buyer), Err(fork(s5, b5)));
    assert_eq!(import(&seller, &export(&buyer)), Err(fork(s5, b5)));
    assert_eq!(import(&buyer, &export(&seller)), Err(fork(b5, s5)));
}

#[test]
fn copies_that_agree_compare_equal_and_a_copy_behind_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (seller, buyer) = two_copies(dir.path());
    let head = seller.head().unwrap();
    assert_eq!(compare(&buyer, &seller).unwrap(), head);
    assert_eq!(buyer.compare_log(&seller).unwrap(), head);
    // The Seller anchors one more entry; the Buyer has not imported it yet.
    seller
        .append(signed(synthetic_usage(fixture().msa_commitment, 0)))
        .unwrap();
    let behind = |copy: &AnchorLog, has: &AnchorLog| AnchorError::Lacks {
        copy: copy.path().into(),
        first: 8,
        last: 8,
        has: has.path().into(),
        written: None,
    };
    assert_eq!(compare(&buyer, &seller), Err(behind(&buyer, &seller)));
    assert_eq!(compare(&seller, &buyer), Err(behind(&buyer, &seller)));
    // Nothing was written by the comparisons.
    assert_eq!(buyer.len().unwrap(), 7);
    import(&buyer, &export(&seller)).unwrap();
    assert_eq!(compare(&seller, &buyer).unwrap(), seller.head().unwrap());
}

#[test]
fn a_log_made_before_the_record_of_written_entries_gets_one_on_its_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let log = flow_log(dir.path(), "old.db");
    // As an older build left it: no record.
    let conn = tamper_connection(&path);
    conn.execute_batch("DROP TABLE written;").unwrap();
    log.verify_log().unwrap();
    log.append(signed(synthetic_usage(fixture().msa_commitment, 0)))
        .unwrap();
    // The record holds every entry now: removing the last two is named.
    conn.execute("DELETE FROM entries WHERE seq > 6", []).unwrap();
    assert_eq!(
        log.verify_log(),
        Err(AnchorError::Corrupt {
            seq: 7,
            reason: Corruption::Removed { last: 8 },
            refused: None,
        })
    );
}
