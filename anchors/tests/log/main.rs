//! The anchor log on the example bilateral, one module per part of the crate: the flow and keys
//! (`flow`), the signature rule (`signatures`), the rules of each kind (`rules`), export and
//! import (`exchange`), tampering with the file (`tamper`), a copy whose last entries were
//! removed, against the other party's (`truncate`) and audits (`audit`). One test binary, so that
//! the fixture is proved once.
//!
//! Refusals are matched by their variants and values; the sentences they make are pinned in the
//! crate's unit tests (`src/error/tests.rs`).

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod exchange;
mod flow;
mod netting_v2;
mod partitioned;
mod reconcile_v2;
mod rules;
mod signatures;
mod tamper;
mod truncate;

use std::io::{BufReader, Cursor};

use common::*;
use rusqlite::Connection;
use zkinvoice_anchors::{AnchorError, AnchorLog, Body, ImportReport, Proposal, Rule};

/// Appends `proposal`, which must be refused without writing anything; returns the `seq` it would
/// have had and the rule it breaks.
fn refused(log: &AnchorLog, proposal: Proposal) -> (u64, Rule) {
    let before = state(log);
    let kind = proposal.body.kind();
    let e = log.append(proposal).expect_err("refused");
    assert_eq!(state(log), before, "a refusal wrote something: {e}");
    match e {
        AnchorError::Refused { seq, kind: k, rule } if k == kind => (seq, *rule),
        e => panic!("not refused as {kind}: {e:?}"),
    }
}

/// Asserts that appending a proposal is refused with `(seq, rule)` matching the pattern.
macro_rules! assert_refused {
    ($log:expr, $proposal:expr, $pattern:pat $(if $guard:expr)?) => {{
        let r = crate::refused($log, $proposal);
        assert!(matches!(r.clone(), $pattern $(if $guard)?), "{r:?}");
    }};
}
pub(crate) use assert_refused;

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

fn import(log: &AnchorLog, text: &str) -> Result<ImportReport, AnchorError> {
    log.import_jsonl(&mut BufReader::new(Cursor::new(text.as_bytes())))
}

fn with_proved(body: &Body, f: impl FnOnce(&mut Body)) -> Body {
    let mut b = body.clone();
    f(&mut b);
    b
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
