//! The netting of two partitioned invoices on the EVM (`zkinvoice/netting/v2`): the generated
//! `NettingHeadsVerifier` recomputes both anchored invoice commitments from their parts (SHA-256)
//! and checks the proof over the eight public inputs, and refuses every part, input or proof
//! changed and malformed calldata; two `InvoiceAnchor`s with the `PartitionVerifier` (the example
//! bilateral's October and the reverse bilateral's, both at PS) register it as their netting
//! verifier and record the netting, as they record v1's.

use alloy_sol_types::{SolCall, SolEvent, SolInterface};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::partition::PartitionShape;
use zkinvoice_evm::{
    abi::{self, contracts::IStatementVerifier, contracts::InvoiceAnchor},
    encoding::{netting_heads_calldata, proof_calldata},
    Address, ContractError, B256, U256,
};
use zkinvoice_prover::netting::ProvedNetting;
use zkinvoice_testkit::revm::{Chain, Outcome};
use zkinvoice_verifier::{partition::Parts, Fr};

use super::{world, Invoice, BUYER, DEPLOYER, SELLER};

/// October 2026's period id.
fn october() -> u64 {
    abi::period_id(20727, 20758)
}

/// The netting of the example's October (forward) and the reverse bilateral's, proven with `seed`.
fn proved(seed: u64) -> ProvedNetting {
    let w = world();
    let at = |i: &'static Invoice| (&i.invoice, PartitionShape::PS, &i.salt);
    w.netting
        .prove(
            at(&w.small),
            at(&w.reverse),
            &mut ChaCha20Rng::seed_from_u64(seed),
        )
        .expect("the two invoices net")
}

fn parts(n: &ProvedNetting) -> [Parts; 2] {
    n.parts
        .clone()
        .expect("a netting of partitioned invoices names their parts")
}

/// `verifyProof(proof, input)` of the verifier at `at`, and its execution gas.
fn verify(chain: &mut Chain, at: Address, proof: Vec<u8>, input: [U256; 6]) -> (bool, u64) {
    let out = chain.view(
        at,
        IStatementVerifier::verifyProofCall {
            proof: proof.into(),
            input,
        }
        .abi_encode(),
    );
    let ok = IStatementVerifier::verifyProofCall::abi_decode_returns(out.output()).expect("a bool");
    (ok, out.execution_gas())
}

/// A change of the two invoices' parts.
type Edit = fn(&mut [Parts; 2]);

#[test]
fn the_netting_heads_verifier_recomputes_both_invoices_and_checks_the_proof() {
    let w = world();
    let mut chain = Chain::new();
    let verifier = chain.deploy(DEPLOYER, w.bytecode["NettingHeadsVerifier"].clone());
    let key = chain.view(verifier, IStatementVerifier::VK_HASHCall {}.abi_encode());
    assert_eq!(
        IStatementVerifier::VK_HASHCall::abi_decode_returns(key.output()).unwrap(),
        B256::from(w.netting.verifying_key().hash())
    );
    let n = proved(1);
    let words = abi::netting_input_words(&n.public);
    let good = |p: &[Parts; 2]| netting_heads_calldata(&n.proof, p);
    let (ok, gas) = verify(&mut chain, verifier, good(&parts(&n)), words);
    assert!(ok, "the netting of two partitioned invoices verifies on chain");
    eprintln!(
        "NettingHeadsVerifier.verifyProof: {gas} gas in execution; {} bytes deployed",
        w.deployed["NettingHeadsVerifier"].len()
    );

    let mut refused = |proof: Vec<u8>, input: [U256; 6], what: &str| {
        assert!(
            !verify(&mut chain, verifier, proof, input).0,
            "{what} is accepted"
        );
    };
    for i in 0..6 {
        let mut bad = words;
        bad[i] += U256::from(1);
        refused(good(&parts(&n)), bad, &format!("input {i} changed"));
    }
    let mut above = words;
    above[2] = U256::from_be_bytes(abi::fr_word(&-Fr::from(1u64)).0) + U256::from(1);
    refused(good(&parts(&n)), above, "an input not below r");
    let edits: [(&str, Edit); 6] = [
        ("the parts swapped", |p| p.swap(0, 1)),
        ("the first head changed", |p| p[0].head += Fr::from(1u64)),
        ("the second head changed", |p| p[1].head += Fr::from(1u64)),
        ("a block of the first changed", |p| {
            p[0].parts[0] += Fr::from(1u64)
        }),
        ("a block added to the second", |p| p[1].parts.push(Fr::from(7u64))),
        ("a block of the second dropped", |p| {
            let _ = p[1].parts.pop();
        }),
    ];
    for (what, edit) in edits {
        let mut p = parts(&n);
        edit(&mut p);
        if p[1].parts.is_empty() {
            p[1].parts.push(Fr::from(0u64));
        }
        refused(good(&p), words, what);
    }
    // Another netting of the same invoices (another net salt): its proof is not this one's.
    let other = proved(2);
    assert_ne!(other.public.net_commitment, n.public.net_commitment);
    refused(
        netting_heads_calldata(&other.proof, &parts(&n)),
        words,
        "another netting's proof",
    );
    let mut tampered = good(&parts(&n));
    let at = tampered.len() - 100;
    tampered[at] ^= 1;
    refused(tampered, words, "a proof byte changed");
    // v1's calldata (the proof alone), cut, padded, zero blocks, a word not below r.
    refused(
        proof_calldata(&n.proof).to_vec(),
        words,
        "the proof without the parts",
    );
    let bytes = good(&parts(&n));
    refused(bytes[..bytes.len() - 1].to_vec(), words, "a byte short");
    refused([bytes.as_slice(), &[0u8; 32]].concat(), words, "a word too many");
    let mut zero = bytes.clone();
    zero[31] = 0;
    refused(zero, words, "no blocks in the first invoice");
    let mut big = bytes.clone();
    big[64..96].fill(0xff);
    refused(big, words, "a head not below r");
}

/// The partitioned anchors of both directions, both invoices submitted, the netting verifier
/// registered in both.
struct Pair {
    chain: Chain,
    forward: Address,
    reverse: Address,
}

impl Pair {
    fn new() -> Self {
        let w = world();
        let mut chain = Chain::new();
        let verifier = chain.deploy(DEPLOYER, w.bytecode["PartitionVerifier"].clone());
        let heads = chain.deploy(DEPLOYER, w.bytecode["NettingHeadsVerifier"].clone());
        let mut anchor = |seller: Address, buyer: Address| {
            let mut code = w.bytecode["InvoiceAnchor"].clone();
            code.extend(abi::anchor_constructor_args(seller, buyer, verifier));
            chain.deploy(DEPLOYER, code)
        };
        let (forward, reverse) = (anchor(SELLER, BUYER), anchor(BUYER, SELLER));
        let mut p = Pair {
            chain,
            forward,
            reverse,
        };
        for (at, inv, seller) in [(forward, &w.small, SELLER), (reverse, &w.reverse, BUYER)] {
            let i = &inv.inputs;
            for party in [SELLER, BUYER] {
                let setup = abi::single_party_setup();
                p.ok(
                    party,
                    at,
                    abi::register_msa_call(&i.msa_commitment, &i.state_before, w.set.hash(), setup),
                );
            }
            for party in [SELLER, BUYER] {
                p.ok(
                    party,
                    at,
                    abi::register_usage_call(october(), &i.usage_commitment),
                );
            }
            p.ok(seller, at, abi::submit_proofs_call(october(), &inv.proofs, i));
        }
        for (at, counterpart) in [(forward, reverse), (reverse, forward)] {
            for party in [SELLER, BUYER] {
                p.ok(party, at, abi::register_netting_call(counterpart, heads));
            }
        }
        p
    }

    fn ok(&mut self, from: Address, to: Address, data: Vec<u8>) -> Outcome {
        let out = self.chain.send(from, to, data);
        assert!(out.result.is_success(), "{out:?}");
        out
    }

    fn netted(&mut self, at: Address) -> (B256, bool) {
        let out = self.chain.view(
            at,
            InvoiceAnchor::nettingsCall { periodId: october() }.abi_encode(),
        );
        let n = InvoiceAnchor::nettingsCall::abi_decode_returns(out.output()).expect("decodes");
        (n.netCommitment, n.sellerPays)
    }
}

#[test]
fn two_anchors_of_partitioned_invoices_record_their_netting() {
    let w = world();
    let mut p = Pair::new();
    let n = proved(3);
    let call = |proof: &zkinvoice_verifier::InvoiceProof, parts: &[Parts; 2]| {
        abi::record_netting_heads_call(october(), proof, &n.public, parts)
    };
    let good = call(&n.proof, &parts(&n));
    let net = abi::fr_word(&n.public.net_commitment);
    for at in [p.forward, p.reverse] {
        p.ok(SELLER, at, good.clone());
        // The same inputs with another invoice's parts: the proof is checked, InvalidProof.
        let mut swapped = parts(&n);
        swapped.swap(0, 1);
        let out = p.chain.send(BUYER, at, call(&n.proof, &swapped));
        let error =
            InvoiceAnchor::InvoiceAnchorErrors::abi_decode(out.revert_data()).expect("an anchor error");
        assert_eq!(ContractError::from(error), ContractError::InvalidProof);
        assert_eq!(p.netted(at).0, B256::ZERO, "a refused netting is not recorded");
        let out = p.ok(BUYER, at, good.clone());
        eprintln!(
            "recordNetting of partitioned invoices: {} gas for the transaction",
            out.tx_gas()
        );
        let logs = out.result.logs();
        let e = InvoiceAnchor::InvoicesNetted::decode_log_data(&logs[logs.len() - 1].data)
            .expect("InvoicesNetted");
        assert_eq!((e.periodId, e.netCommitment), (october(), net));
    }
    // One party pays the net in both anchors: the forward anchor's Seller is the reverse one's Buyer.
    let (f, r) = (p.netted(p.forward), p.netted(p.reverse));
    assert_eq!((f.0, r.0), (net, net));
    assert_ne!(f.1, r.1, "the payer is one party");
    let forward_first = n.public.first_invoice == w.small.inputs.invoice_commitment;
    let first_pays = n.public.payer == Fr::from(0u64);
    // payer 0: the first invoice's buyer pays; the forward invoice's buyer is the forward Buyer.
    assert_eq!(
        f.1,
        forward_first != first_pays,
        "the forward Seller pays when the proof says so"
    );
}

#[test]
fn an_auditor_checks_a_recorded_netting_again_with_its_parts() {
    use zkinvoice_evm::chain::{NettingKey, RecordedNetting};
    let w = world();
    let n = proved(4);
    let key = NettingKey::Heads(w.netting.verifying_key());
    assert_eq!(key.hash(), w.netting.verifying_key().hash());
    let recorded =
        |p: &[Parts; 2]| RecordedNetting::decode(&netting_heads_calldata(&n.proof, p)).expect("decodes");
    assert_eq!(
        recorded(&parts(&n)),
        RecordedNetting::Heads(n.proof.clone(), parts(&n))
    );
    assert!(key.verifies(&recorded(&parts(&n)), &n.public));
    let mut swapped = parts(&n);
    swapped.swap(0, 1);
    assert!(!key.verifies(&recorded(&swapped), &n.public), "the parts swapped");
    let mut block = parts(&n);
    block[1].parts[0] += Fr::from(1u64);
    assert!(!key.verifies(&recorded(&block), &n.public), "a block changed");
    let mut other = n.public;
    other.net_commitment += Fr::from(1u64);
    assert!(!key.verifies(&recorded(&parts(&n)), &other), "another net");
    // v1's calldata is v1's proof, which the key of the netting of partitioned invoices refuses.
    let v1 = RecordedNetting::decode(&proof_calldata(&n.proof)).expect("decodes");
    assert_eq!(v1, RecordedNetting::V1(n.proof.clone()));
    assert!(!key.verifies(&v1, &n.public));
    assert!(RecordedNetting::decode(&[0u8; 100]).is_err());
}
