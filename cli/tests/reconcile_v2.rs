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

/// The example usage with `product`'s quantities scaled by `num / den`, written to `out`.
fn scaled(product: &str, num: u64, den: u64, out: &Path) {
    let mut usage = read_json(&example("usage-2026-10.json"));
    for r in usage["records"].as_array_mut().expect("records") {
        if r["product"] == product {
            r["quantity"] = (r["quantity"].as_u64().expect("a quantity") * num / den).into();
        }
    }
    std::fs::write(out, usage.to_string()).expect("writes");
}

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
    scaled("voice-termination", 99, 100, &d("near.usage.json"));
    scaled("ip-transit", 1, 2, &d("far.usage.json"));
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
