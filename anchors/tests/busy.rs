//! A busy log: a writer that finds the file locked by another process waits past SQLite's busy
//! timeout, trying again with back-off, and gives up only after its patience, naming the log and
//! writing nothing. (Writers appending non-stop while a reader verifies: `processes.rs`.)

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use rusqlite::Connection;
use zkinvoice_anchors::{AnchorError, AnchorLog, Fr, BUSY_TIMEOUT};

/// A log with one MSA (a made-up commitment under the tiny key).
fn log_with_msa(path: &Path) -> (AnchorLog, Fr) {
    let log = new_log(path);
    let msa = Fr::from(4242u64);
    log.append(signed(msa_body_with(vk_only(), msa, Fr::from(4243u64))))
        .unwrap();
    (log, msa)
}

/// Holds the log's write lock from another connection for `hold`, in a thread; returns once the
/// lock is taken.
fn hold_write_lock(path: &Path, hold: Duration) -> thread::JoinHandle<()> {
    let path = path.to_path_buf();
    let (taken, wait) = mpsc::channel();
    let holder = thread::spawn(move || {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE;").unwrap();
        taken.send(()).unwrap();
        thread::sleep(hold);
        conn.execute_batch("COMMIT;").unwrap();
    });
    wait.recv().unwrap();
    holder
}

#[test]
fn a_writer_waits_past_the_busy_timeout_and_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let (log, msa) = log_with_msa(&path);
    let hold = BUSY_TIMEOUT * 2 + Duration::from_millis(500);
    let holder = hold_write_lock(&path, hold);
    let start = Instant::now();
    let entry = log.append(signed(synthetic_usage(msa, 0))).unwrap();
    let waited = start.elapsed();
    holder.join().unwrap();
    assert_eq!(entry.seq, 2);
    assert!(waited >= hold - Duration::from_millis(100), "{waited:?}");
    // An import waits the same way.
    let other = new_log(&dir.path().join("other.db"));
    let mut export = Vec::new();
    log.export_jsonl(&mut export).unwrap();
    let holder = hold_write_lock(other.path(), hold);
    let report = other.import_jsonl(&mut &export[..]).unwrap();
    holder.join().unwrap();
    assert_eq!(report.appended, 2);
    log.verify_log().unwrap();
    other.verify_log().unwrap();
}

#[test]
fn a_writer_gives_up_after_its_patience_naming_the_log_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let (log, msa) = log_with_msa(&path);
    let patience = BUSY_TIMEOUT + Duration::from_millis(500);
    let log = log.with_busy_patience(patience);
    let holder = hold_write_lock(&path, patience * 3);
    let start = Instant::now();
    let e = log.append(signed(synthetic_usage(msa, 0))).unwrap_err();
    let gave_up = start.elapsed();
    match &e {
        AnchorError::Busy {
            path: named,
            waited,
            attempts,
        } => {
            assert_eq!(named, &path);
            assert!(*waited >= patience - BUSY_TIMEOUT, "{waited:?}");
            assert!(*attempts >= 2, "{attempts}");
        }
        e => panic!("not busy: {e:?}"),
    }
    assert!(gave_up < patience * 2, "{gave_up:?}");
    assert!(e
        .to_string()
        .starts_with(&format!("{}: the anchor log stayed busy", path.display())));
    holder.join().unwrap();
    // Nothing was written; the log takes the same proposal once the lock is free.
    assert_eq!(log.len().unwrap(), 1);
    assert_eq!(log.append(signed(synthetic_usage(msa, 0))).unwrap().seq, 2);
    log.verify_log().unwrap();
}
