//! The stored rows against the record of written entries (`store`'s `written` table): a row
//! whose hash is not the one recorded was replaced ([`Corruption::NotAsWritten`]); a record that
//! goes past the last row means the last rows were deleted ([`Corruption::Removed`]).

use crate::error::Corruption;

use super::store::{hash32, RawRow};

/// Where `rows` (in `seq` order) depart from `written` (the recorded hashes from entry 1), in
/// `seq` order: each replaced row, then the removal of the last ones.
pub(crate) fn check_written(rows: &[RawRow], written: &[[u8; 32]]) -> Vec<(u64, Corruption)> {
    let mut found = Vec::new();
    let mut last = 0u64;
    for row in rows {
        let Ok(seq) = u64::try_from(row.seq) else {
            continue;
        };
        last = last.max(seq);
        let recorded = usize::try_from(seq)
            .ok()
            .and_then(|s| written.get(s.wrapping_sub(1)));
        if let (Some(recorded), Ok(hash)) = (recorded, hash32(&row.hash, "hash")) {
            if *recorded != hash {
                found.push((seq, Corruption::NotAsWritten { written: *recorded }));
            }
        }
    }
    let recorded = written.len() as u64;
    if recorded > last {
        found.push((last + 1, Corruption::Removed { last: recorded }));
    }
    found
}
