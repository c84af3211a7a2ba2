//! `anchors verify`: the whole chain of a copy, its signatures and rules and its record of
//! written entries; with `--against`, compared with the other party's copy (its log file or its
//! export), naming the entries one copy lacks or where the two diverge.

use std::io::Read;
use std::path::Path;

use zkinvoice_anchors::{AnchorError, AnchorLog, Corruption, Head};

use crate::{
    args::VerifyLogArgs,
    error::{anchor_err, CliError},
    load,
    resolve::AnchorSource,
};

/// `anchors verify`: exit 1 for a bad entry, removed entries, or (with `--against`) copies that
/// differ. Prints only on success.
pub fn run(a: VerifyLogArgs) -> Result<(), CliError> {
    let log = load::log(&AnchorSource::log_only(&a.anchors)?)?;
    // Entries removed from this copy are looked for in the other copy first: its comparison
    // names them (and says whether the other copy has them).
    let verified = match (log.verify_log(), &a.against) {
        (Ok(r), _) => Ok(format!(
            "{}: {} entries, {} MSAs, {} proofs: chain, signatures and rules hold{}",
            a.anchors.display(),
            r.entries,
            r.msas,
            r.proofs,
            head_text(r.head)
        )),
        (
            Err(
                e @ AnchorError::Corrupt {
                    reason: Corruption::Removed { .. },
                    ..
                },
            ),
            Some(_),
        ) => Err(e),
        (Err(e), _) => return Err(invalid(&a.anchors, e)),
    };
    let compared = match &a.against {
        Some(other) => {
            let head = compare(&log, other)?;
            Some(format!(
                "{} and {} hold the same {} entries{}",
                a.anchors.display(),
                other.display(),
                head.map_or(0, |h| h.seq),
                head_text(head)
            ))
        }
        None => None,
    };
    let verified = verified.map_err(|e| invalid(&a.anchors, e))?;
    println!("{verified}");
    if let Some(line) = compared {
        println!("{line}");
    }
    Ok(())
}

/// Compares `log` with the copy at `other`: a log file (SQLite, checked whole first) or an
/// export (JSON lines).
fn compare(log: &AnchorLog, other: &Path) -> Result<Option<Head>, CliError> {
    let read = |source| CliError::Read {
        file: other.into(),
        source,
    };
    let mut magic = [0u8; 16];
    let sqlite = std::fs::File::open(other)
        .and_then(|mut f| f.read(&mut magic))
        .map_err(read)?
        == magic.len()
        && &magic == b"SQLite format 3\0";
    let lines = if sqlite {
        // Checked whole first, so that its own bad entry is named as its.
        let copy = load::log(other)?;
        copy.verify_log().map_err(|e| invalid(other, e))?;
        let mut lines = Vec::new();
        copy.export_jsonl(&mut lines).map_err(anchor_err)?;
        lines
    } else {
        std::fs::read(other).map_err(read)?
    };
    log.compare_jsonl(&mut &lines[..], other).map_err(|e| match e {
        AnchorError::Lacks { .. } | AnchorError::Fork { .. } => CliError::Invalid(e.to_string()),
        e => anchor_err(e),
    })
}

/// A log's bad entry (or its refusal) as invalid (exit 1), naming the file.
fn invalid(file: &Path, e: AnchorError) -> CliError {
    match e {
        AnchorError::Corrupt { .. } | AnchorError::Refused { .. } => {
            CliError::Invalid(format!("{}: {e}", file.display()))
        }
        e => anchor_err(e),
    }
}

fn head_text(head: Option<Head>) -> String {
    head.map(|h| format!("; head {} {}", h.seq, hex::encode(h.hash)))
        .unwrap_or_default()
}
