//! Several processes on one log file: a writer killed mid-append, writers at once, and writers
//! appending non-stop while a reader verifies.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use zkinvoice_anchors::{AnchorLog, Fr};

const CHILD: &str = "child_append_loop";

/// Appends `ZKA_COUNT` usage agreements from month `ZKA_FROM` to the log at `ZKA_LOG`, or as
/// many as it can in `ZKA_FOR_MS` milliseconds, and prints how many (run as a child process by
/// the tests below). Any refusal fails it.
#[test]
#[ignore = "run as a child process by the other tests"]
fn child_append_loop() {
    let path = PathBuf::from(std::env::var("ZKA_LOG").expect("ZKA_LOG"));
    let from: u64 = std::env::var("ZKA_FROM").unwrap().parse().unwrap();
    let count: u64 = std::env::var("ZKA_COUNT").unwrap().parse().unwrap();
    let msa = zkinvoice_verifier::fr_from_hex(&std::env::var("ZKA_MSA").unwrap()).unwrap();
    let pause: u64 = std::env::var("ZKA_PAUSE_MS").map_or(0, |p| p.parse().unwrap());
    let until = std::env::var("ZKA_FOR_MS")
        .ok()
        .map(|ms| Instant::now() + Duration::from_millis(ms.parse().unwrap()));
    let log = AnchorLog::open(&path).unwrap();
    let mut appended = 0;
    for i in from..from + count {
        if until.is_some_and(|t| Instant::now() >= t) {
            break;
        }
        log.append(signed(synthetic_usage(msa, i))).unwrap();
        appended += 1;
        std::thread::sleep(Duration::from_millis(pause));
    }
    println!("appended {appended}");
}

fn command(path: &Path, msa: &Fr, from: u64, count: u64, pause_ms: u64) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([CHILD, "--exact", "--nocapture", "--ignored", "--test-threads=1"])
        .env("ZKA_LOG", path)
        .env("ZKA_FROM", from.to_string())
        .env("ZKA_COUNT", count.to_string())
        .env("ZKA_MSA", zkinvoice_verifier::fr_to_hex(msa))
        .env("ZKA_PAUSE_MS", pause_ms.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn spawn(path: &Path, msa: &Fr, from: u64, count: u64, pause_ms: u64) -> Child {
    command(path, msa, from, count, pause_ms).spawn().unwrap()
}

/// A log with one MSA (a made-up commitment under the tiny key).
fn log_with_msa(path: &Path) -> (AnchorLog, Fr) {
    let log = new_log(path);
    let msa = Fr::from(4242u64);
    log.append(signed(msa_body_with(vk_only(), msa, Fr::from(4243u64))))
        .unwrap();
    (log, msa)
}

/// Asserts that the log holds the usage of each synthetic month in `months` (appended by `who`).
fn assert_agreed(log: &AnchorLog, msa: Fr, months: impl Iterator<Item = u64>, who: &str) {
    let view = log.view().unwrap();
    for i in months {
        let zkinvoice_anchors::Body::UsageAgreed {
            period_start,
            period_end,
            usage_commitment,
            ..
        } = synthetic_usage(msa, i)
        else {
            unreachable!()
        };
        assert_eq!(
            view.agreed_usage(&msa, &period_start, &period_end),
            Some(usage_commitment),
            "{who}, month {i}"
        );
    }
}

#[test]
fn a_writer_killed_mid_append_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let (log, msa) = log_with_msa(&path);
    let mut from = 0;
    for round in 0..3u64 {
        let before = log.len().unwrap();
        let mut child = spawn(&path, &msa, from, 4000, 0);
        let deadline = Instant::now() + Duration::from_secs(120);
        // Let it append a few entries (more each round), then kill it while it is appending.
        while log.len().unwrap() < before + 5 + 7 * round {
            assert!(Instant::now() < deadline, "the child appends nothing");
            assert!(child.try_wait().unwrap().is_none(), "the child ended early");
            std::thread::sleep(Duration::from_millis(3));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let seen = log.len().unwrap();
        let report = log.verify_log().unwrap();
        assert!(
            report.entries >= seen && report.entries > before,
            "{} < {seen}",
            report.entries
        );
        let reopened = AnchorLog::open(&path).unwrap();
        assert_eq!(reopened.verify_log().unwrap(), report);
        // The log takes appends again: the child's lock died with it.
        from += 4000;
        log.append(signed(synthetic_usage(msa, from))).unwrap();
        from += 1;
        eprintln!(
            "round {round}: {before} -> {} entries at the kill",
            report.entries
        );
    }
    log.verify_log().unwrap();
}

#[test]
fn four_writers_append_at_once_and_the_chain_holds_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let (log, msa) = log_with_msa(&path);
    // Back to back (one writer may hold the lock for all its appends while the other waits), then
    // with a pause between appends (the writers interleave).
    let n = 60;
    let children = [
        spawn(&path, &msa, 0, n, 0),
        spawn(&path, &msa, 1000, n, 0),
        spawn(&path, &msa, 2000, n, 2),
        spawn(&path, &msa, 3000, n, 2),
    ];
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let report = log.verify_log().unwrap();
    assert_eq!(report.entries, 1 + 4 * n);
    assert_agreed(&log, msa, (0..4).flat_map(|w| w * 1000..w * 1000 + n), "a writer");
    // The two writers interleaved (each waited on the other's lock at least once).
    let kinds: Vec<u64> = log
        .entries()
        .unwrap()
        .iter()
        .skip(1)
        .map(|e| match &e.body {
            // Writer w appends the months from w * 1000, in the years from 3000 + w * 1000 / 12.
            zkinvoice_anchors::Body::UsageAgreed { period_start, .. } => ["3083", "3166", "3250"]
                .iter()
                .filter(|y| period_start.as_str() >= **y)
                .count() as u64,
            _ => 9,
        })
        .collect();
    let switches = kinds.windows(2).filter(|w| w[0] != w[1]).count();
    eprintln!(
        "{switches} switches between the writers in {} entries",
        kinds.len()
    );
}

#[test]
fn writers_appending_non_stop_while_a_reader_verifies_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let (log, msa) = log_with_msa(&path);
    // Four writers append for 3 s each, from their own months, two back to back and two with a
    // millisecond between appends (back to back, the writer that just committed takes the lock
    // again before the others wake: they wait past SQLite's busy timeout, and try again);
    // meanwhile this process verifies the whole log again and again.
    let (writers, seconds) = (4u64, 3u64);
    let start = Instant::now();
    let children: Vec<Child> = (0..writers)
        .map(|w| {
            command(&path, &msa, w * 10_000, 10_000, w / 2)
                .env("ZKA_FOR_MS", (seconds * 1000).to_string())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let reader = AnchorLog::open(&path).unwrap();
    let (mut verified, mut seen) = (0u64, 0u64);
    while start.elapsed() < Duration::from_secs(seconds) {
        let report = reader.verify_log().expect("the chain holds while it grows");
        assert!(report.entries >= seen, "{} < {seen}", report.entries);
        seen = report.entries;
        verified += 1;
    }
    let mut counts = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a writer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let n: u64 = text
            .lines()
            .find_map(|l| l.split_once("appended ").map(|(_, n)| n))
            .unwrap_or_else(|| panic!("no count in {text:?}"))
            .parse()
            .unwrap();
        counts.push(n);
    }
    let elapsed = start.elapsed();
    // Every entry each writer appended is there once, and the chain verifies.
    let report = log.verify_log().unwrap();
    let total: u64 = counts.iter().sum();
    assert_eq!(report.entries, 1 + total, "{counts:?}");
    assert!(counts.iter().all(|n| *n > 0), "{counts:?}");
    for (w, n) in counts.iter().enumerate() {
        let from = w as u64 * 10_000;
        assert_agreed(&log, msa, from..from + n, &format!("writer {w}"));
    }
    eprintln!(
        "{writers} writers appended {total} entries ({counts:?}) in {:.1} s; the reader verified the log {verified} times",
        elapsed.as_secs_f64()
    );
}
