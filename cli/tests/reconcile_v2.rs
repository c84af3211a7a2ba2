//! `zkinvoice reconcile --prove` of a partitioned bilateral (partition shape PS, single-party
//! keys from `setup --statement reconcile --shape PS`): the example MSA committed at PS, October
//! rated by the Seller and by the Buyer (1% less voice termination: within; half the IP transit:
//! over), each reconciliation proved into a v2 envelope that verifies under the keys and opens
//! the committed MSA and invoices; without the keys, the error says how to make them.

mod common;

use std::path::Path;

use common::*;
use tempfile::TempDir;
use zkinvoice_circuits::partition::PartitionShape;
use zkinvoice_prover::reconcile::partitioned::{PartitionedReconcileEnvelope, PartitionedReconcileKeys};
use zkinvoice_verifier::fr_to_hex;

#[test]
fn a_partitioned_reconciliation_is_proved_from_the_command_line() {
    let dir = TempDir::new().expect("a temporary directory");
    let d = |n: &str| dir.path().join(n);
    let params = d("params");
    let out = run_ok(
        zk().args(["setup", "--shape", "PS", "--statement", "reconcile"])
            .opt("--params", &params),
    );
    for line in [
        "zkinvoice/reconcile-block/v2 (PS): 10747 constraints",
        "zkinvoice/reconcile-link/v2 (link): 7449 constraints",
        "key-set hash ",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    run_ok(
        zk().args(["msa", "commit", "--shape", "PS"])
            .opt("--msa", example("msa.json"))
            .opt("--out", d("msa.commit.json"))
            .opt("--state-out", d("state-0.json")),
    );
    let rate = |usage: &Path, number: &str| {
        let out = d(&format!("{number}.json"));
        run_ok(
            zk().arg("rate")
                .opt("--msa", example("msa.json"))
                .opt("--usage", usage)
                .opt("--aggregate-days", "7")
                .opt("--state", d("state-0.json"))
                .opt("--invoice-number", number)
                .opt("--out", &out),
        );
        out
    };
    scaled(
        "usage-2026-10.json",
        "voice-termination",
        99,
        100,
        &d("near.usage.json"),
    );
    scaled("usage-2026-10.json", "ip-transit", 1, 2, &d("far.usage.json"));
    let seller = rate(&example("usage-2026-10.json"), "INV-2026-10");
    let near = rate(&d("near.usage.json"), "B-NEAR");
    let far = rate(&d("far.usage.json"), "B-FAR");
    let prove_with = |buyer: &Path, out: &Path, params: &Path| {
        let mut c = zk();
        c.arg("reconcile")
            .opt("--msa", example("msa.json"))
            .opt("--seller", &seller)
            .opt("--buyer", buyer)
            .opt("--format", "json")
            .opt("--prove", out)
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--params", params);
        c
    };
    let prove = |buyer: &Path, out: &Path| prove_with(buyer, out, &params);
    let keys = PartitionedReconcileKeys::load(&params, PartitionShape::PS)
        .expect("the keys setup wrote")
        .verifying_keys();
    let read = |p: &Path| -> PartitionedReconcileEnvelope {
        serde_json::from_str(&std::fs::read_to_string(p).expect("written")).expect("an envelope")
    };
    let value = |file: &Path, pointer: &str| read_json(file).pointer(pointer).expect(pointer).clone();

    // Within: exit 0, one block proof and the link's.
    run_ok(&mut prove(&near, &d("rec-near.json")));
    let env = read(&d("rec-near.json"));
    assert_eq!(
        (env.statement.as_str(), env.shape.as_str()),
        ("zkinvoice/reconcile/v2", "PS")
    );
    assert_eq!(env.proofs.blocks.len(), 1);
    assert!(env.within());
    let tops = env.verify(&keys).expect("verifies");
    assert_eq!(fr_to_hex(&tops.msa), value(&d("msa.commit.json"), "/commitment"));
    assert_eq!(
        fr_to_hex(&tops.seller),
        value(&seller, "/invoice/commitment/value")
    );
    assert_eq!(fr_to_hex(&tops.buyer), value(&near, "/invoice/commitment/value"));

    // Over on ip-transit (slot 2), the usage charges and the total: exit 1, the envelope written.
    let o = prove(&far, &d("rec-far.json")).output().expect("runs");
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let env = read(&d("rec-far.json"));
    assert_eq!(env.public.products_over, [false, false, true, false]);
    assert!(
        env.public.usage_over && !env.public.recurring_over,
        "{:?}",
        env.public
    );
    env.verify(&keys).expect("verifies");

    // Without the keys: the error names the file and the command that makes them; nothing
    // written.
    let mut c = prove_with(&near, &d("rec-none.json"), &d("empty"));
    let err = String::from_utf8_lossy(&c.output().expect("runs").stderr).into_owned();
    assert!(
        err.contains("reconcile-v2-block-PS.json")
            && err.contains("zkinvoice setup --statement reconcile --shape PS"),
        "{err}"
    );
    assert!(!d("rec-none.json").exists());
}

/// The reconciliation of partitioned invoices anchored from the command line: the example MSA
/// committed at PS and agreed with the partition keys, its reconciliation keys agreed
/// (`--reconcile-key reconcile-v2-block-PS.vk`, the link's beside it), October measured by both
/// (the Buyer half the IP transit) and proven as partitioned invoices, their reconciliation
/// proved from the two envelopes (over: exit 1) and anchored by the Buyer as `dispute-opened`;
/// the audit replays it.
#[test]
fn a_partitioned_dispute_is_anchored_from_the_command_line() {
    let dir = TempDir::new().expect("a temporary directory");
    let d = |n: &str| dir.path().join(n);
    let (msa, params) = (example("msa.json"), d("params"));
    run_ok(zk().args(["setup", "--shape", "PS"]).opt("--params", &params));
    run_ok(
        zk().args(["setup", "--shape", "PS", "--statement", "reconcile"])
            .opt("--params", &params),
    );
    run_ok(
        zk().args(["msa", "commit", "--shape", "PS"])
            .opt("--msa", &msa)
            .opt("--out", d("msa.commit.json"))
            .opt("--state-out", d("state-0.json")),
    );
    for party in ["seller", "buyer"] {
        run_ok(zk().args(["keygen", "--party", party]).opt("--dir", dir.path()));
    }
    run_ok(
        zk().args(["anchors", "init"])
            .opt("--anchors", d("log.db"))
            .opt("--seller", d("seller.pub"))
            .opt("--buyer", d("buyer.pub")),
    );
    // Proposes with `args`, signs it by `signers` and appends it.
    let anchor = |name: &str, args: &[&dyn AsRef<std::ffi::OsStr>], signers: &[&str]| {
        let mut c = zk();
        c.args(["anchors", "propose"]).opt("--out", d(name));
        for a in args {
            c.arg(a);
        }
        run_ok(&mut c);
        for role in signers {
            run_ok(
                zk().args(["anchors", "sign"])
                    .opt("--proposal", d(name))
                    .opt("--key", d(&format!("{role}.key")))
                    .opt("--role", role),
            );
        }
        run_ok(
            zk().args(["anchors", "append"])
                .opt("--anchors", d("log.db"))
                .opt("--proposal", d(name)),
        )
    };
    let both = ["seller", "buyer"];
    let commit = d("msa.commit.json");
    let (vk, block) = (
        params.join("partition-PS.json"),
        params.join("reconcile-v2-block-PS.vk"),
    );
    anchor(
        "msa.json",
        &[&"--msa-commit", &commit, &"--vk", &vk, &"--single-party-setup"],
        &both,
    );
    anchor(
        "key.json",
        &[
            &"--msa-commit",
            &commit,
            &"--reconcile-key",
            &block,
            &"--single-party-setup",
        ],
        &both,
    );
    let key = read_json(&d("key.json"));
    assert_eq!(key["body"]["statement"], "zkinvoice/reconcile/v2", "{key}");

    // Each party commits and proves its measurement, and anchors it.
    let measure = |role: &str, usage: &Path| {
        let (uc, env) = (d(&format!("{role}.usage.json")), d(&format!("{role}.env.json")));
        run_ok(
            zk().args(["usage", "commit", "--aggregate-days", "7"])
                .opt("--msa", &msa)
                .opt("--msa-commit", &commit)
                .opt("--usage", usage)
                .opt("--out", &uc),
        );
        run_ok(
            zk().args(["prove", "--aggregate-days", "7"])
                .opt("--params", &params)
                .opt("--msa", &msa)
                .opt("--msa-commit", &commit)
                .opt("--usage", usage)
                .opt("--usage-commit", &uc)
                .opt("--state", d("state-0.json"))
                .opt("--invoice-number", format!("M-{role}"))
                .opt("--out", &env),
        );
        let key = d(&format!("{role}.key"));
        let name = format!("{role}.measured.json");
        anchor(
            &name,
            &[&"--measured", &env, &"--role", &role, &"--key", &key],
            &[],
        );
        env
    };
    scaled("usage-2026-10.json", "ip-transit", 1, 2, &d("far.usage.json"));
    let seller = measure("seller", &example("usage-2026-10.json"));
    let buyer = measure("buyer", &d("far.usage.json"));
    let o = zk()
        .arg("reconcile")
        .opt("--msa", &msa)
        .opt("--seller", &seller)
        .opt("--buyer", &buyer)
        .opt("--format", "json")
        .opt("--prove", d("rec.json"))
        .opt("--msa-commit", &commit)
        .opt("--params", &params)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let buyer_key = d("buyer.key");
    anchor(
        "dispute.json",
        &[
            &"--reconciliation",
            &d("rec.json"),
            &"--role",
            &"buyer",
            &"--key",
            &buyer_key,
        ],
        &[],
    );
    let dispute = read_json(&d("dispute.json"));
    assert_eq!(dispute["body"]["kind"], "dispute-opened", "{dispute}");
    let audit = run_ok(zk().arg("audit").opt("--anchors", d("log.db")));
    for line in [
        ": 5 entries, 1 MSAs",
        "clean: chain, signatures, state chaining and every proof hold",
    ] {
        assert!(audit.contains(line), "{line}: {audit}");
    }
}
