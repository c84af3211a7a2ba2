//! Helpers shared by the CLI integration tests.
#![allow(dead_code)]

use std::{
    ffi::OsStr,
    fs,
    path::{Path, PathBuf},
};

use assert_cmd::Command;
use serde_json::Value;

pub const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
pub const OCTOBER: &str = "2026-10-01..2026-11-01";
pub const NOVEMBER: &str = "2026-11-01..2026-12-01";

pub const EXIT_USAGE: i32 = 2;
pub const EXIT_DATA: i32 = 65;
pub const EXIT_NO_INPUT: i32 = 66;
pub const EXIT_CANT_CREATE: i32 = 73;

/// A file in `examples/`.
pub fn example(name: &str) -> PathBuf {
    Path::new(EXAMPLES).join(name)
}

/// The `zkinvoice` binary.
pub fn zk() -> Command {
    Command::cargo_bin("zkinvoice").expect("the zkinvoice binary is built")
}

/// `--flag value` in one call.
pub trait Opt {
    fn opt(&mut self, flag: &str, value: impl AsRef<OsStr>) -> &mut Self;
}

impl Opt for Command {
    fn opt(&mut self, flag: &str, value: impl AsRef<OsStr>) -> &mut Self {
        self.arg(flag).arg(value)
    }
}

/// Runs `cmd`, which must succeed; returns its standard output.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{cmd:?} failed ({:?}): {stderr}",
        out.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `cmd`, which must fail with `code`, print nothing on standard output, and print one error
/// starting with `error: ` that contains every one of `needles`; none of `outputs` may exist
/// afterwards. Returns standard error.
pub fn run_fail(cmd: &mut Command, code: i32, needles: &[&str], outputs: &[&Path]) -> String {
    let out = cmd.output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{cmd:?}: stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{cmd:?}: stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{cmd:?}: stderr: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.is_empty(), "{cmd:?}: stdout: {stdout}");
    for n in needles {
        assert!(stderr.contains(n), "{cmd:?}: stderr lacks {n:?}: {stderr}");
    }
    for p in outputs {
        assert!(!p.exists(), "{cmd:?} wrote {} although it failed", p.display());
    }
    stderr
}

/// Reads a JSON file.
pub fn read_json(p: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(p).expect("readable")).expect("JSON")
}
