//! A party's copy of the anchor log whose last entries were removed behind its back (rows
//! deleted from the SQLite file), end to end: `anchors verify` names them from the copy's record
//! of written entries, `anchors verify --against` the other party's copy (its file or its export)
//! names them even with that record gone, an append after them is refused, a different
//! continuation is a fork either way, and `anchors import` from the other copy restores them.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

const EXIT_INVALID: i32 = 1;

/// The Seller's copy with the MSA and three months of usage agreed (4 entries), and the Buyer's
/// copy imported from it.
struct Copies {
    dir: TempDir,
}

impl Copies {
    fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn new() -> Self {
        let c = Copies {
            dir: TempDir::new().unwrap(),
        };
        let p = |n: &str| c.p(n);
        run_ok(zk().args(["setup", "--shape", "S"]).opt("--params", p("params")));
        run_ok(
            zk().args(["msa", "commit", "--shape", "S"])
                .opt("--msa", example("msa.json"))
                .opt("--out", p("msa.commit.json"))
                .opt("--state-out", p("state-0.json")),
        );
        for party in ["seller", "buyer"] {
            run_ok(zk().args(["keygen", "--party", party]).opt("--dir", c.dir.path()));
        }
        for db in ["seller.db", "buyer.db", "spare.db"] {
            run_ok(&mut anchors(&[
                &"init",
                &"--anchors",
                &p(db),
                &"--seller",
                &p("seller.pub"),
                &"--buyer",
                &p("buyer.pub"),
            ]));
        }
        c.propose(
            "msa.json",
            &[
                &"--msa-commit",
                &p("msa.commit.json"),
                &"--vk",
                &p("params/invoice-S.vk"),
                &"--single-party-setup",
            ],
        );
        for (usage, period, name) in [
            ("usage-2026-10.json", OCTOBER, "u10"),
            ("usage-2026-11.csv", NOVEMBER, "u11"),
            ("usage-2026-12.json", "2026-12-01..2027-01-01", "u12"),
        ] {
            let commit = p(&format!("{name}.commit.json"));
            run_ok(
                zk().args(["usage", "commit", "--aggregate-days", "7"])
                    .opt("--msa", example("msa.json"))
                    .opt("--msa-commit", p("msa.commit.json"))
                    .opt("--usage", example(usage))
                    .opt("--period", period)
                    .opt("--out", &commit),
            );
            c.propose(&format!("{name}.json"), &[&"--usage-commit", &commit]);
        }
        for proposal in ["msa.json", "u10.json", "u11.json"] {
            c.append("seller.db", proposal);
        }
        c.export("seller.db", "seller.jsonl");
        run_ok(&mut anchors(&[
            &"import",
            &"--anchors",
            &p("buyer.db"),
            &"--from",
            &p("seller.jsonl"),
        ]));
        c
    }

    /// Writes proposal `out` (`args` say what) signed by both parties.
    fn propose(&self, out: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) {
        let mut cmd = anchors(&[&"propose", &"--out", &self.p(out)]);
        for a in args {
            cmd.arg(a);
        }
        run_ok(&mut cmd);
        for party in ["seller", "buyer"] {
            run_ok(&mut anchors(&[
                &"sign",
                &"--proposal",
                &self.p(out),
                &"--key",
                &self.p(&format!("{party}.key")),
                &"--role",
                &party,
            ]));
        }
    }

    fn append(&self, db: &str, proposal: &str) -> String {
        run_ok(&mut anchors(&[
            &"append",
            &"--anchors",
            &self.p(db),
            &"--proposal",
            &self.p(proposal),
        ]))
    }

    fn export(&self, db: &str, out: &str) {
        let _ = std::fs::remove_file(self.p(out));
        run_ok(&mut anchors(&[
            &"export",
            &"--anchors",
            &self.p(db),
            &"--out",
            &self.p(out),
        ]));
    }

    fn verify(&self, db: &str, against: Option<&str>) -> assert_cmd::Command {
        let mut cmd = anchors(&[&"verify", &"--anchors", &self.p(db)]);
        if let Some(other) = against {
            cmd.opt("--against", self.p(other));
        }
        cmd
    }
}

/// Deletes the entries after `keep` from the log file, behind its back (its record of written
/// entries too when `record_too`).
fn remove_after(path: &Path, keep: u64, record_too: bool) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("DROP TRIGGER entries_no_delete;").unwrap();
    conn.execute("DELETE FROM entries WHERE seq > ?1", [keep])
        .unwrap();
    if record_too {
        conn.execute_batch("DROP TRIGGER written_no_delete;").unwrap();
        conn.execute("DELETE FROM written WHERE seq > ?1", [keep])
            .unwrap();
    }
}

#[test]
fn removed_entries_are_named_refused_a_continuation_and_restored_by_import() {
    let c = Copies::new();
    let same = run_ok(&mut c.verify("buyer.db", Some("seller.db")));
    assert!(same.contains("hold the same 3 entries; head 3 "), "{same}");

    // The Buyer's last two entries removed; its record of written entries is left.
    remove_after(&c.p("buyer.db"), 1, false);
    run_fail(
        &mut c.verify("buyer.db", None),
        EXIT_INVALID,
        &["buyer.db: entry 2 is corrupt: removed: this copy had written entries up to 3"],
        &[],
    );
    for against in ["seller.db", "seller.jsonl"] {
        let out = c.verify("buyer.db", Some(against)).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(EXIT_INVALID), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "buyer.db lacks entries 2 to 3, which {} has (it had written entries 2 to 3: they were removed from it)",
                c.p(against).display()
            )),
            "{stderr}"
        );
    }
    // The Seller's comparison checks the Buyer's file first, and names it.
    run_fail(
        &mut c.verify("seller.db", Some("buyer.db")),
        EXIT_INVALID,
        &["buyer.db: entry 2 is corrupt: removed"],
        &[],
    );
    // Nothing is appended after the removed entries.
    run_fail(
        &mut anchors(&[
            &"append",
            &"--anchors",
            &c.p("buyer.db"),
            &"--proposal",
            &c.p("u12.json"),
        ]),
        EXIT_INVALID,
        &["entry 2 is corrupt: removed", "nothing appended"],
        &[],
    );
    // An import from the Seller's export restores them.
    let restored = run_ok(&mut anchors(&[
        &"import",
        &"--anchors",
        &c.p("buyer.db"),
        &"--from",
        &c.p("seller.jsonl"),
    ]));
    assert!(
        restored.contains("2 entries appended, 1 already present"),
        "{restored}"
    );
    assert!(restored.contains("2 of them restored"), "{restored}");
    run_ok(&mut c.verify("buyer.db", Some("seller.db")));
}

#[test]
fn with_its_record_removed_too_the_other_copy_names_the_entries_and_a_fork_is_refused() {
    let c = Copies::new();
    // The spare copy: the Seller's entries, then its last two removed with their record.
    run_ok(&mut anchors(&[
        &"import",
        &"--anchors",
        &c.p("spare.db"),
        &"--from",
        &c.p("seller.jsonl"),
    ]));
    remove_after(&c.p("spare.db"), 1, true);
    let alone = run_ok(&mut c.verify("spare.db", None));
    assert!(alone.contains("1 entries"), "{alone}");
    c.export("spare.db", "spare.jsonl");
    // (the copy verified, the other copy, the one that lacks the entries, the one that has them)
    for (db, against, lacking, has) in [
        ("spare.db", "seller.db", "spare.db", "seller.db"),
        ("seller.db", "spare.db", "spare.db", "seller.db"),
        ("seller.db", "spare.jsonl", "spare.jsonl", "seller.db"),
    ] {
        run_fail(
            &mut c.verify(db, Some(against)),
            EXIT_INVALID,
            &[&format!(
                "{} lacks entries 2 to 3, which {} has (not imported yet, or removed)",
                c.p(lacking).display(),
                c.p(has).display()
            )],
            &[],
        );
    }
    // The Seller's import of that export says what it lacks.
    let told = run_ok(&mut anchors(&[
        &"import",
        &"--anchors",
        &c.p("seller.db"),
        &"--from",
        &c.p("spare.jsonl"),
    ]));
    assert!(told.contains("spare.jsonl: lacks entries 2 to 3"), "{told}");
    // A different entry 2 (December's usage) on the truncated copy forks it: named both ways.
    c.append("spare.db", "u12.json");
    c.export("spare.db", "spare.jsonl");
    for (db, against) in [("spare.db", "seller.db"), ("seller.db", "spare.jsonl")] {
        run_fail(
            &mut c.verify(db, Some(against)),
            EXIT_INVALID,
            &["the copies diverge at entry 2"],
            &[],
        );
    }
    run_fail(
        &mut anchors(&[
            &"import",
            &"--anchors",
            &c.p("seller.db"),
            &"--from",
            &c.p("spare.jsonl"),
        ]),
        EXIT_DATA,
        &["the copies diverge at entry 2"],
        &[],
    );
}
