//! Tampering with the file: any byte flipped in a stored row is named by its entry, a deleted
//! entry is missing, and the triggers refuse updates and deletes.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rusqlite::Connection;
use zkinvoice_anchors::{AnchorError, AnchorLog, Attempt, Corruption};

use crate::common::*;
use crate::{flow_log, tamper_connection};

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
                        seq: named,
                        reason,
                        refused: None,
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
    assert_eq!(
        e,
        AnchorError::Corrupt {
            seq: 4,
            reason: Corruption::Missing { next: 5 },
            refused: None
        }
    );
    // Appending to a corrupt log is refused, naming the entry.
    let e = log
        .append(signed(synthetic_usage(fixture().msa_commitment, 1)))
        .err()
        .unwrap();
    assert_eq!(
        e,
        AnchorError::Corrupt {
            seq: 4,
            reason: Corruption::Missing { next: 5 },
            refused: Some(Attempt::Append)
        }
    );
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
        "UPDATE written SET hash = x'00' WHERE seq = 7",
        "DELETE FROM written WHERE seq = 7",
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
