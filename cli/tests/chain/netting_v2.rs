//! The netting of two partitioned invoices on anchor contracts from the command line
//! (`zkinvoice/netting/v2`): the example bilateral's October and the reverse bilateral's, both
//! proven at PS with the CLI and anchored through the library on anchors with the
//! `PartitionVerifier`; then with the CLI alone the netting key's verifier exported
//! (`NettingHeadsVerifier.sol`) and deployed, registered as both anchors' netting verifier, the
//! netting proven (`net --prove`), drafted from each contract with both invoices' parts and
//! recorded by both parties (the contract recomputes both invoice commitments from the parts),
//! and the audit verifying the recorded proof again under the key.

use std::path::Path;

use tempfile::TempDir;
use zkinvoice_anchors::{Body, Proposal};
use zkinvoice_evm::{
    chain::{address_of_key, ChainAnchor},
    Address,
};
use zkinvoice_prover::{netting::NettingHeadsKeys, ProofEnvelope};
use zkinvoice_testkit::node::Compiled;

use super::common::*;
use super::evm::{self, BUYER_KEY, SELLER_KEY};
use super::support::{append_to, deploy_statement_verifier, key_files, october};
use super::{shown, DEPLOYER_KEY};

/// An anchor with the `PartitionVerifier` deployed through the library for the parties of
/// `keys` (its Seller's, its Buyer's), the MSA of the envelope at `env` and October's usage
/// registered by both, and its invoice submitted by the Seller.
fn anchored(url: &str, c: &Compiled, keys: [&str; 2], env: &Path) -> Address {
    let env: ProofEnvelope =
        serde_json::from_str(&std::fs::read_to_string(env).expect("an envelope")).expect("JSON");
    let anchor = ChainAnchor::deploy(
        url,
        DEPLOYER_KEY,
        address_of_key(keys[0]).expect("a key"),
        address_of_key(keys[1]).expect("a key"),
        &c.bytecode["PartitionVerifier"],
        &c.bytecode["InvoiceAnchor"],
    )
    .expect("deploys");
    let set_hash = anchor
        .statement_verifier_key(anchor.state().expect("reads").verifier)
        .expect("the key set's hash");
    let at = anchor.address();
    let parties = keys.map(|k| ChainAnchor::connect(url, at, k).expect("connects"));
    let i = &env.public_inputs;
    for p in &parties {
        p.register_msa(
            &i.msa_commitment,
            &i.state_before,
            set_hash,
            zkinvoice_evm::abi::single_party_setup(),
        )
        .expect("registers the MSA");
    }
    for p in &parties {
        p.register_usage(october(), &i.usage_commitment)
            .expect("registers the usage");
    }
    parties[0]
        .submit_proofs(october(), &env.proof, i)
        .expect("the partitioned invoice is accepted");
    at
}

#[test]
fn a_netting_of_partitioned_invoices_on_two_anchor_contracts_from_the_cli() {
    let dir = TempDir::new().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let manifest = partitioned_october(dir.path());
    std::fs::create_dir_all(d("reverse")).expect("dir");
    let reverse_env = prove_partitioned(
        &d("reverse"),
        &d("params"),
        (
            &example("msa-reverse.json"),
            &example("usage-reverse-2026-10.json"),
        ),
        "GX-2026-10",
    );
    run_ok(
        zk().arg("setup")
            .opt("--statement", "netting")
            .opt("--shape", "PS")
            .opt("--params", d("params")),
    );
    let heads_vk = d("params/netting-v2-heads.vk");
    let heads = NettingHeadsKeys::load_heads(&d("params")).expect("the netting keys");

    // The contracts, exported from the command line: the partition key set's verifier and the
    // anchor, and the netting key's verifier.
    run_ok(
        zk().args(["export", "solidity"])
            .opt("--vk", &manifest)
            .opt("--out", d("contracts")),
    );
    let said = run_ok(
        zk().args(["export", "solidity", "--statement", "netting"])
            .opt("--vk", &heads_vk)
            .opt("--out", d("contracts")),
    );
    assert!(
        said.contains("zkinvoice/netting/v2") && said.contains("NettingHeadsVerifier.sol written"),
        "{said}"
    );
    let c = evm::compile(&[
        d("contracts/PartitionVerifier.sol"),
        d("contracts/InvoiceAnchor.sol"),
        d("contracts/NettingHeadsVerifier.sol"),
    ]);
    std::fs::write(
        d("NettingHeadsVerifier.bin"),
        hex::encode(&c.bytecode["NettingHeadsVerifier"]),
    )
    .expect("writes");
    let node = evm::start_node();
    let url = node.url.as_str();
    let forward = anchored(url, &c, [SELLER_KEY, BUYER_KEY], &d("env.json"));
    let reverse = anchored(url, &c, [BUYER_KEY, SELLER_KEY], &reverse_env);
    let [seller_key, buyer_key, other_key] = key_files(dir.path());
    let hash = heads.verifying_key().hash_hex();
    deploy_statement_verifier(
        url,
        dir.path(),
        "NettingHeadsVerifier",
        &other_key,
        "nv.addr",
        &hash,
    );

    // The netting key's entry of each bilateral, sent as registerNetting by both parties.
    let append = |anchor: Address, key: &Path, file: &Path| append_to(url, anchor, key, file);
    for (anchor, counterpart, msa, file) in [
        (forward, reverse, d("msa.commit.json"), d("fk.json")),
        (reverse, forward, d("reverse/msa.commit.json"), d("rk.json")),
    ] {
        run_ok(
            zk().args(["anchors", "propose", "--single-party-setup"])
                .opt("--msa-commit", &msa)
                .opt("--netting-key", &heads_vk)
                .opt("--out", &file),
        );
        for key in [&seller_key, &buyer_key] {
            shown(
                append(anchor, key, &file)
                    .opt("--counterpart", counterpart.to_string())
                    .opt("--statement-verifier", d("nv.addr")),
            );
        }
    }

    // The netting, proven and drafted from each contract with both invoices' parts.
    run_ok(
        zk().arg("net")
            .opt("--first", d("env.json"))
            .opt("--second", &reverse_env)
            .opt("--prove", d("netting.json"))
            .opt("--params", d("params")),
    );
    let propose = |anchor: Address, out: &str| {
        run_ok(
            zk().args(["anchors", "propose"])
                .opt("--netting", d("netting.json"))
                .opt("--anchors", url)
                .opt("--contract", anchor.to_string())
                .opt("--out", d(out)),
        );
        d(out)
    };
    let (forward_net, reverse_net) = (propose(forward, "fn.json"), propose(reverse, "rn.json"));
    let body_of = |file: &Path| {
        let text = std::fs::read_to_string(file).expect("written");
        serde_json::from_str::<Proposal>(&text).expect("a proposal").body
    };
    let Body::InvoicesNetted {
        parts: Some(parts), ..
    } = body_of(&forward_net)
    else {
        panic!("a netting of partitioned invoices names their parts")
    };
    // Another invoice's parts for this one's: the contract's verifier recomputes the commitment.
    let text = std::fs::read_to_string(&forward_net).expect("written");
    let mut swapped: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let (invoice, other) = (
        swapped["body"]["parts"]["invoice"].take(),
        swapped["body"]["parts"]["other"].take(),
    );
    swapped["body"]["parts"]["invoice"] = other;
    swapped["body"]["parts"]["other"] = invoice;
    std::fs::write(d("swapped.json"), swapped.to_string()).expect("writes");
    assert_ne!(parts.invoice, parts.other);

    for (anchor, file) in [(forward, &forward_net), (reverse, &reverse_net)] {
        let first = shown(&mut append(anchor, &seller_key, file));
        assert!(first.contains("proposed: waiting for the other party"), "{first}");
        if anchor == forward {
            run_fail(
                &mut append(anchor, &buyer_key, &d("swapped.json")),
                65,
                &["InvalidProof"],
                &[],
            );
        }
        let second = shown(&mut append(anchor, &buyer_key, file));
        assert!(
            second.contains("recorded: both parties proposed it and the proof verified on chain"),
            "{second}"
        );
    }

    // The audit recovers the recorded netting (its parts and proof) and verifies it again.
    let out = shown(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", forward.to_string())
            .opt("--vk", &manifest)
            .opt("--netting-vk", &heads_vk),
    );
    assert!(
        out.contains("1 nettings: every proof recovered from its transaction verifies")
            && out.contains("clean"),
        "{out}"
    );
}
