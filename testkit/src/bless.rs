//! Recorded files (the count table, the known-answer vectors, the fuzz seeds): checked by
//! default, rewritten from the code with `ZKINVOICE_BLESS=1`.

use std::{fs, path::PathBuf};

/// The environment variable that rewrites recorded files.
pub const VAR: &str = "ZKINVOICE_BLESS";

/// `rel` in the workspace.
pub fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

/// Whether this run rewrites recorded files (`ZKINVOICE_BLESS` set, and not to `0`).
pub fn blessing() -> bool {
    std::env::var_os(VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The recorded bytes of `rel` (a path in the workspace), to compare with `bytes`, what the code
/// makes now. When blessing, `bytes` are written to `rel` first, so the comparison passes. A
/// missing file reads as empty.
pub fn recorded_bytes(rel: &str, bytes: &[u8]) -> Vec<u8> {
    let p = path(rel);
    if blessing() {
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).expect("the directory can be made");
        }
        fs::write(&p, bytes).expect("the recorded file can be written");
        eprintln!("{VAR}: wrote {rel}");
    }
    fs::read(&p).unwrap_or_default()
}

/// [`recorded_bytes`] of a text file (read lossily).
pub fn recorded(rel: &str, text: &str) -> String {
    String::from_utf8_lossy(&recorded_bytes(rel, text.as_bytes())).into_owned()
}
