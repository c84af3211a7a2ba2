//! Helpers shared by the CLI integration tests.
#![allow(dead_code)]

use std::{
    ffi::OsStr,
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

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

/// Runs `zkinvoice anchors ARGS...`.
pub fn anchors(args: &[&dyn AsRef<OsStr>]) -> Command {
    let mut c = zk();
    c.arg("anchors");
    for a in args {
        c.arg(a);
    }
    c
}

/// October of the example bilateral proven as partitions of shape PS in `dir` (CDRs aggregated
/// per week): `params/` (the keys), `msa.commit.json`, `state-0.json`, `usage.commit.json` and
/// `env.json`. Returns the keys' manifest, `params/partition-PS.json`.
pub fn partitioned_october(dir: &Path) -> PathBuf {
    run_ok(
        zk().arg("setup")
            .opt("--shape", "PS")
            .opt("--params", dir.join("params")),
    );
    prove_partitioned_october(dir)
}

/// [`partitioned_october`] with the keys already in `dir/params` (from a ceremony, say).
pub fn prove_partitioned_october(dir: &Path) -> PathBuf {
    let params = dir.join("params");
    let (msa, usage) = (example("msa.json"), example("usage-2026-10.json"));
    prove_partitioned(dir, &params, (&msa, &usage), "INV-2026-10");
    params.join("partition-PS.json")
}

/// `msa` committed at PS into `dir` (`msa.commit.json`, `state-0.json`), `usage` (aggregated per
/// week) committed (`usage.commit.json`) and proven from the initial state with the keys in
/// `params` as invoice `number` (`env.json`, returned).
pub fn prove_partitioned(dir: &Path, params: &Path, (msa, usage): (&Path, &Path), number: &str) -> PathBuf {
    let p = |n: &str| dir.join(n);
    run_ok(
        zk().args(["msa", "commit"])
            .opt("--msa", msa)
            .opt("--shape", "PS")
            .opt("--out", p("msa.commit.json"))
            .opt("--state-out", p("state-0.json")),
    );
    run_ok(
        zk().args(["usage", "commit"])
            .opt("--msa", msa)
            .opt("--msa-commit", p("msa.commit.json"))
            .opt("--usage", usage)
            .opt("--aggregate-days", "7")
            .opt("--out", p("usage.commit.json")),
    );
    run_ok(
        zk().arg("prove")
            .opt("--params", params)
            .opt("--msa", msa)
            .opt("--msa-commit", p("msa.commit.json"))
            .opt("--usage", usage)
            .opt("--aggregate-days", "7")
            .opt("--usage-commit", p("usage.commit.json"))
            .opt("--state", p("state-0.json"))
            .opt("--invoice-number", number)
            .opt("--out", p("env.json")),
    );
    p("env.json")
}

/// `zkinvoice verify` with the MSA the Buyer holds (`--msa`, the example MSA).
pub fn zk_verify() -> Command {
    let mut c = zk();
    c.arg("verify").opt("--msa", example("msa.json"));
    c
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

/// Whether the JSON `text` states the amount `minor` (in minor units) anywhere: as a number, as
/// a string of its digits, or in decimal text (`241.17`). A search for the digits in the raw text
/// would fail by chance on a salted commitment's hex or a proof's base64 that holds them.
pub fn states_amount(text: &str, minor: u64) -> bool {
    fn any(v: &Value, f: &dyn Fn(&Value) -> bool) -> bool {
        f(v) || match v {
            Value::Array(a) => a.iter().any(|x| any(x, f)),
            Value::Object(o) => o.values().any(|x| any(x, f)),
            _ => false,
        }
    }
    let (digits, decimal) = (minor.to_string(), format!("{}.{:02}", minor / 100, minor % 100));
    let v: Value = serde_json::from_str(text).expect("JSON");
    any(&v, &|x| match x {
        Value::Number(n) => n.as_u64() == Some(minor) || n.to_string() == decimal,
        Value::String(s) => *s == digits || s.contains(&decimal),
        _ => false,
    })
}

/// A directory holding shape S keys (`params/`), the example MSA committed at shape S
/// (`msa.commit.json`, `state-0.json`), October's and November's usage committed as weekly
/// aggregates (`usage-10.commit.json`, `usage-11.commit.json`), and October proved
/// (`env-10.json`, `state-1.json`): made once per test binary.
pub struct World {
    dir: TempDir,
}

impl World {
    /// A file in the world's directory.
    pub fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The test binary's [`World`].
pub fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let w = World {
            dir: TempDir::new().expect("a temporary directory"),
        };
        run_ok(
            zk().args(["setup", "--shape", "S"])
                .opt("--params", w.p("params")),
        );
        run_ok(
            zk().args(["msa", "commit", "--shape", "S"])
                .opt("--msa", example("msa.json"))
                .opt("--out", w.p("msa.commit.json"))
                .opt("--state-out", w.p("state-0.json")),
        );
        for (usage, period, out) in [
            ("usage-2026-10.json", OCTOBER, "usage-10.commit.json"),
            ("usage-2026-11.csv", NOVEMBER, "usage-11.commit.json"),
        ] {
            run_ok(
                zk().args(["usage", "commit", "--aggregate-days", "7"])
                    .opt("--msa", example("msa.json"))
                    .opt("--msa-commit", w.p("msa.commit.json"))
                    .opt("--usage", example(usage))
                    .opt("--period", period)
                    .opt("--out", w.p(out)),
            );
        }
        let out = run_ok(
            zk().args(["prove", "--aggregate-days", "7"])
                .opt("--params", w.p("params"))
                .opt("--msa", example("msa.json"))
                .opt("--msa-commit", w.p("msa.commit.json"))
                .opt("--usage", example("usage-2026-10.json"))
                .opt("--period", OCTOBER)
                .opt("--usage-commit", w.p("usage-10.commit.json"))
                .opt("--state", w.p("state-0.json"))
                .opt("--invoice-number", "INV-10")
                .opt("--out", w.p("env-10.json"))
                .opt("--state-out", w.p("state-1.json")),
        );
        assert!(out.contains("proved in"), "{out}");
        w
    })
}

/// `rate`'s output of the example MSA `msa.0` committed at shape `msa.1` (a v1 or partition
/// shape) for the example usage `usage` (aggregated per week) from its `state_0`, in `dir`.
pub fn rated_at(dir: &Path, msa: (&str, &str), usage: &str, number: &str) -> PathBuf {
    let (state, out) = (
        dir.join(format!("{number}.s0.json")),
        dir.join(format!("{number}.json")),
    );
    run_ok(
        zk().args(["msa", "commit"])
            .opt("--msa", example(msa.0))
            .opt("--shape", msa.1)
            .opt("--out", dir.join(format!("{number}.msa.json")))
            .opt("--state-out", &state),
    );
    run_ok(
        zk().arg("rate")
            .opt("--msa", example(msa.0))
            .opt("--usage", example(usage))
            .opt("--aggregate-days", "7")
            .opt("--state", &state)
            .opt("--invoice-number", number)
            .opt("--out", &out),
    );
    out
}

/// Writes `usage` (the example's `name` with each `product`'s quantities scaled by `num / den`)
/// to `out`.
pub fn scaled(name: &str, product: &str, num: u64, den: u64, out: &Path) {
    let mut usage = read_json(&example(name));
    for r in usage["records"].as_array_mut().expect("records") {
        if r["product"] == product {
            r["quantity"] = (r["quantity"].as_u64().expect("a quantity") * num / den).into();
        }
    }
    std::fs::write(out, usage.to_string()).expect("writes");
}
