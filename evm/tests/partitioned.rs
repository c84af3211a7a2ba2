//! Partitioned invoices (protocol v2, partition shape PS) on the EVM (revm, Prague): the generated
//! `PartitionVerifier` (the block, chunk and link keys embedded) verifies every partition of an
//! invoice in one pairing check against its five commitments, and refuses swapped proofs, a changed
//! share, another invoice's commitments and malformed input; an `InvoiceAnchor` deployed with it
//! anchors partitioned invoices. Gas is reported per partition (two invoices of different sizes).

use std::sync::OnceLock;

use alloy_sol_types::SolCall;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{partition::PartitionShape, Msa, Usage, VolumeState};
use zkinvoice_evm::{
    abi::{self, contracts::IInvoiceVerifier, contracts::InvoiceAnchor},
    solidity, Address,
};
use zkinvoice_prover::{netting::NettingHeadsKeys, partition::PartitionKeys};
use zkinvoice_testkit::{node::compile, revm::Chain};
use zkinvoice_verifier::{
    partition::PartitionedProof, Fr, InvoiceProofs, InvoicePublicInputs, PartitionKeySet,
};

const SELLER: Address = Address::repeat_byte(0x5e);
const BUYER: Address = Address::repeat_byte(0xb0);
const DEPLOYER: Address = Address::repeat_byte(0xde);

/// One proven partitioned invoice.
struct Invoice {
    proofs: InvoiceProofs,
    inputs: InvoicePublicInputs,
    /// The invoice and its salt (what a netting opens).
    invoice: zkinvoice_circuits::Invoice,
    salt: zkinvoice_circuits::Salt,
}

impl Invoice {
    fn partitioned(&self) -> &PartitionedProof {
        self.proofs.partitioned().expect("partitions")
    }
}

struct World {
    set: PartitionKeySet,
    /// Three blocks, three chunks and the link.
    large: Invoice,
    /// The example bilateral's October: fewer partitions, under the same keys.
    small: Invoice,
    /// The reverse bilateral's October (its Seller the example's Buyer), under the same keys.
    reverse: Invoice,
    /// The key of the netting of partitioned invoices.
    netting: NettingHeadsKeys,
    bytecode: std::collections::HashMap<String, Vec<u8>>,
    /// Runtime code by contract name (the sizes are reported).
    deployed: std::collections::HashMap<String, Vec<u8>>,
}

fn prove(
    keys: &PartitionKeys,
    msa: &Msa,
    usage: &Usage,
    before: VolumeState,
    rng: &mut ChaCha20Rng,
) -> Invoice {
    let env = zkinvoice_testkit::partitioned::prove_period(keys, msa, usage, before, "INV-P-1", rng).envelope;
    let salt = env
        .invoice
        .commitment
        .as_ref()
        .expect("committed")
        .salt
        .parse()
        .expect("a salt");
    Invoice {
        invoice: zkinvoice_circuits::Invoice::from_doc(&env.invoice).expect("an invoice"),
        salt,
        proofs: env.proof,
        inputs: env.public_inputs,
    }
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(4242);
        let shape = PartitionShape::PS;
        let keys = PartitionKeys::generate(shape, &mut rng).unwrap();
        let (msa, usage, before) = zkinvoice_testkit::model::partitioned_bilateral(&mut rng);
        let large = prove(&keys, &msa, &usage, before, &mut rng);
        let example = Msa::from_json(zkinvoice_testkit::examples::MSA).unwrap();
        let october = zkinvoice_testkit::examples::weekly_usage(&example)[0].clone();
        let small = prove(
            &keys,
            &example,
            &october,
            VolumeState::initial(&example),
            &mut rng,
        );
        let reverse_msa = zkinvoice_testkit::model::reverse_msa();
        let reverse = prove(
            &keys,
            &reverse_msa,
            &zkinvoice_testkit::model::usage(
                &reverse_msa,
                zkinvoice_testkit::model::october(),
                &[(0, 61_250)],
            ),
            VolumeState::initial(&reverse_msa),
            &mut rng,
        );
        let netting = NettingHeadsKeys::generate_heads(&mut rng).unwrap();
        let set = keys.key_set().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        let heads = (
            solidity::NETTING_HEADS_VERIFIER_FILE,
            solidity::netting_heads_verifier_source(netting.verifying_key()),
        );
        for (name, text) in solidity::partition_sources(&set, shape.name, shape.sizes(), None)
            .into_iter()
            .chain([heads])
        {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            files.push(p);
        }
        let compiled = compile(&files);
        let (bytecode, deployed) = (compiled.bytecode, compiled.deployed);
        World {
            set,
            large,
            small,
            reverse,
            netting,
            bytecode,
            deployed,
        }
    })
}

#[path = "partitioned/netting.rs"]
mod netting;

fn verify(chain: &mut Chain, verifier: Address, proof: Vec<u8>, inputs: &InvoicePublicInputs) -> (bool, u64) {
    let out = chain.view(
        verifier,
        IInvoiceVerifier::verifyProofCall {
            proof: proof.into(),
            input: abi::public_input_words(inputs),
        }
        .abi_encode(),
    );
    let ok = IInvoiceVerifier::verifyProofCall::abi_decode_returns(out.output()).unwrap_or(false);
    (ok, out.execution_gas())
}

fn changed(i: &Invoice, f: impl FnOnce(&mut PartitionedProof)) -> Vec<u8> {
    let mut p = i.partitioned().clone();
    f(&mut p);
    abi::proofs_calldata(&p.into())
}

#[test]
fn the_partition_verifier_checks_every_partition_in_one_pairing() {
    let w = world();
    let mut chain = Chain::new();
    let verifier = chain.deploy(DEPLOYER, w.bytecode["PartitionVerifier"].clone());
    let hash = chain.view(verifier, IInvoiceVerifier::VK_HASHCall {}.abi_encode());
    assert_eq!(
        IInvoiceVerifier::VK_HASHCall::abi_decode_returns(hash.output())
            .unwrap()
            .0,
        w.set.hash()
    );
    let mut gas = Vec::new();
    for inv in [&w.small, &w.large] {
        let (ok, g) = verify(
            &mut chain,
            verifier,
            abi::proofs_calldata(&inv.proofs),
            &inv.inputs,
        );
        assert!(ok, "a real partitioned invoice verifies");
        gas.push((inv.proofs.count() as u64, g));
    }
    let [(n0, g0), (n1, g1)] = [gas[0], gas[1]];
    assert!(n1 > n0);
    let per = (g1 - g0) / (n1 - n0);
    eprintln!(
        "PartitionVerifier.verifyProof: {n0} partitions {g0} gas, {n1} partitions {g1} gas: {per} gas per partition, {} fixed",
        g0 - per * n0
    );

    let l = &w.large;
    let refused = |chain: &mut Chain, proof: Vec<u8>, inputs: &InvoicePublicInputs, what: &str| {
        let (ok, _) = verify(chain, verifier, proof, inputs);
        assert!(!ok, "{what} is accepted");
    };
    refused(
        &mut chain,
        changed(l, |p| p.proofs.chunks.swap(0, 1)),
        &l.inputs,
        "swapped chunks",
    );
    refused(
        &mut chain,
        changed(l, |p| std::mem::swap(&mut p.proofs.link, &mut p.proofs.blocks[0])),
        &l.inputs,
        "the link's proof at block 0",
    );
    refused(
        &mut chain,
        changed(l, |p| {
            p.public.y[0] += Fr::from(1u64);
            p.public.y[1] -= Fr::from(1u64);
        }),
        &l.inputs,
        "shifted shares",
    );
    refused(
        &mut chain,
        changed(l, |p| p.public.y[0] += Fr::from(1u64)),
        &l.inputs,
        "a share changed",
    );
    refused(
        &mut chain,
        changed(l, |p| {
            p.proofs.blocks[1] = w.small.partitioned().proofs.blocks[0].clone()
        }),
        &l.inputs,
        "another invoice's block proof",
    );
    refused(
        &mut chain,
        abi::proofs_calldata(&w.small.proofs),
        &l.inputs,
        "another invoice's partitions",
    );
    let mut other = l.inputs;
    other.state_before = w.small.inputs.state_before;
    refused(
        &mut chain,
        abi::proofs_calldata(&l.proofs),
        &other,
        "another state before",
    );
    let mut big = l.inputs;
    big.invoice_commitment += Fr::from(1u64);
    refused(
        &mut chain,
        abi::proofs_calldata(&l.proofs),
        &big,
        "another invoice commitment",
    );
    let good = abi::proofs_calldata(&l.proofs);
    for cut in [0, 95, 96, good.len() - 1] {
        refused(&mut chain, good[..cut].to_vec(), &l.inputs, "a cut input");
    }
    let mut longer = good.clone();
    longer.extend_from_slice(&[0; 32]);
    refused(&mut chain, longer, &l.inputs, "a longer input");
    let mut above = good.clone();
    above[96..128].copy_from_slice(&[0xff; 32]);
    refused(&mut chain, above, &l.inputs, "a value above r");
}

#[test]
fn an_anchor_with_the_partition_verifier_anchors_partitioned_invoices() {
    let w = world();
    let mut chain = Chain::new();
    let verifier = chain.deploy(DEPLOYER, w.bytecode["PartitionVerifier"].clone());
    let mut code = w.bytecode["InvoiceAnchor"].clone();
    code.extend(abi::anchor_constructor_args(SELLER, BUYER, verifier));
    let anchor = chain.deploy(DEPLOYER, code);
    let l = &w.large;
    let p = l.inputs;
    for party in [SELLER, BUYER] {
        let out = chain.send(
            party,
            anchor,
            abi::register_msa_call(
                &p.msa_commitment,
                &p.state_before,
                w.set.hash(),
                abi::single_party_setup(),
            ),
        );
        assert!(out.result.is_success(), "{out:?}");
    }
    let period = abi::period_id(20727, 20758);
    for party in [SELLER, BUYER] {
        let out = chain.send(
            party,
            anchor,
            abi::register_usage_call(period, &p.usage_commitment),
        );
        assert!(out.result.is_success(), "{out:?}");
    }
    // Swapped proofs: InvalidProof, nothing changes.
    let swapped = {
        let mut q = l.partitioned().clone();
        q.proofs.chunks.swap(1, 2);
        InvoiceProofs::from(q)
    };
    let out = chain.send(SELLER, anchor, abi::submit_proofs_call(period, &swapped, &p));
    assert!(!out.result.is_success());
    let out = chain.send(SELLER, anchor, abi::submit_proofs_call(period, &l.proofs, &p));
    assert!(out.result.is_success(), "{out:?}");
    eprintln!(
        "submitInvoice of {} partitions: {} gas in execution, {} for the transaction",
        l.proofs.count(),
        out.execution_gas(),
        out.tx_gas()
    );
    let state = chain.view(anchor, InvoiceAnchor::currentStateCall {}.abi_encode());
    assert_eq!(
        InvoiceAnchor::currentStateCall::abi_decode_returns(state.output()).unwrap(),
        abi::fr_word(&p.state_after)
    );
    // The same invoice again: AlreadyInvoiced.
    let again = chain.send(SELLER, anchor, abi::submit_proofs_call(period, &l.proofs, &p));
    assert!(!again.result.is_success());
}

#[test]
fn partitioned_calldata_round_trips_and_refuses_bad_input() {
    use zkinvoice_evm::encoding::{partitioned_calldata, partitioned_from_calldata};
    let w = world();
    let p = w.large.partitioned();
    let sizes = PartitionShape::PS.sizes();
    let bytes = partitioned_calldata(p);
    assert_eq!(&partitioned_from_calldata(&bytes, sizes).unwrap(), p);
    for cut in [0, 64, 96, bytes.len() - 1] {
        assert!(
            partitioned_from_calldata(&bytes[..cut], sizes).is_err(),
            "cut at {cut}"
        );
    }
    let mut above = bytes.clone();
    above[96..128].copy_from_slice(&[0xff; 32]);
    assert!(partitioned_from_calldata(&above, sizes).is_err());
    let mut huge = bytes.clone();
    huge[0..32].copy_from_slice(&[0xff; 32]);
    assert!(partitioned_from_calldata(&huge, sizes).is_err());
}
