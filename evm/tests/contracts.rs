//! The generated contracts in a real EVM (revm, Prague: the EIP-2537 precompiles), compiled with
//! the pinned solc-js, on real proofs of the invoice statement; the encodings and the snarkjs
//! form. The EVM's BLS12-381 (blst) is independent of arkworks: this is also an interop check.

use alloy_sol_types::{SolCall, SolEvent, SolInterface};
use ark_bls12_381::{Bls12_381, Fq, Fq2, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{One, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use zkinvoice_evm::{
    abi::{
        self,
        contracts::{IInvoiceVerifier, InvoiceAnchor},
        period_id, public_input_words,
    },
    encoding::{proof_calldata, proof_from_calldata, PROOF_CALLDATA_BYTES},
    snarkjs::{public_signals, ProofJson, VerificationKeyJson},
    solidity, Address, ContractError, B256, U256,
};
use zkinvoice_testkit::{
    proofs::{compiled, world, Proved},
    revm::{Chain, Outcome},
};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoicePublicInputs};

const SELLER: Address = Address::repeat_byte(0x5e);
const BUYER: Address = Address::repeat_byte(0xb0);
const STRANGER: Address = Address::repeat_byte(0x77);
const DEPLOYER: Address = Address::repeat_byte(0xde);

/// `registerMsa`'s key setup for a key one party made (`SINGLE_PARTY_SETUP`).
fn single() -> [u8; 32] {
    abi::single_party_setup()
}

fn october() -> u64 {
    period_id(20727, 20758)
}

fn november() -> u64 {
    period_id(20758, 20788)
}

// ---------------------------------------------------------------- without an EVM

#[test]
fn sources_are_deterministic_and_filled_in() {
    let vk = &world().vk;
    let [(vf, v), (af, a)] = solidity::sources(vk, None);
    assert_eq!((vf, af), ("InvoiceVerifier.sol", "InvoiceAnchor.sol"));
    assert_eq!(solidity::sources(vk, None), [(vf, v.clone()), (af, a.clone())]);
    for text in [&v, &a] {
        assert!(!text.contains("{{"), "a placeholder is left: {text}");
        assert!(text.contains(&vk.hash_hex()));
    }
    assert!(v.contains(&format!("VK_HASH = 0x{};", vk.hash_hex())));
    // alpha, -beta, -gamma, -delta (4 + 3 * 8 words), IC[1..5] (5 * 4), IC[0] (4).
    assert_eq!(
        v.matches("mstore(add(m, ").count() + v.matches("mstore(m, ").count(),
        28
    );
    assert_eq!(
        v.matches("mstore(add(s, ").count() + v.matches("mstore(s, ").count(),
        20 + 5
    );
}

#[test]
fn proof_calldata_round_trips_and_refuses_bad_points() {
    let w = world();
    let bytes = proof_calldata(&w.october.proof);
    assert_eq!(bytes.len(), PROOF_CALLDATA_BYTES);
    assert_eq!(proof_from_calldata(&bytes).expect("decodes"), w.october.proof);
    // Every field element has 16 zero bytes of padding.
    for fe in bytes.chunks(64) {
        assert!(fe[..16].iter().all(|b| *b == 0));
    }
    assert!(proof_from_calldata(&bytes[..511]).is_err());
    let mut padded = bytes;
    padded[0] = 1;
    assert!(proof_from_calldata(&padded).is_err());
    for (name, bad) in bad_proofs(&w.october.proof) {
        let e = proof_from_calldata(&bad).expect_err(name).to_string();
        assert!(
            e.contains("not on the curve") || e.contains("subgroup"),
            "{name}: {e}"
        );
    }
}

#[test]
fn snarkjs_form_of_key_proof_and_inputs() {
    let w = world();
    let vk = serde_json::to_value(VerificationKeyJson::new(&w.vk)).expect("JSON");
    assert_eq!(vk["protocol"], "groth16");
    assert_eq!(vk["curve"], "bls12381");
    assert_eq!(vk["nPublic"], 5);
    assert_eq!(vk["IC"].as_array().map(Vec::len), Some(6));
    assert_eq!(vk["vk_alpha_1"][2], "1");
    assert_eq!(vk["vk_beta_2"][2], serde_json::json!(["1", "0"]));
    let proof = serde_json::to_value(ProofJson::new(&w.october.proof)).expect("JSON");
    assert_eq!(proof["pi_b"][0].as_array().map(Vec::len), Some(2));
    let signals = public_signals(&w.october.inputs);
    assert_eq!(signals.len(), 5);
    for (s, x) in signals.iter().zip(w.october.inputs.to_field_elements()) {
        assert_eq!(from_decimal(s), x);
    }
    let small = InvoicePublicInputs {
        msa_commitment: Fr::from(123u64),
        ..w.october.inputs
    };
    assert_eq!(public_signals(&small)[0], "123");
}

/// Parses a decimal string into a field element (so the test needs no big-integer crate).
fn from_decimal(s: &str) -> Fr {
    s.chars().fold(Fr::zero(), |acc, c| {
        acc * Fr::from(10u64) + Fr::from(u64::from(c.to_digit(10).expect("a decimal digit")))
    })
}

// ---------------------------------------------------------------- points for the tampering tests

/// A G1 point on the curve, not in the prime-order subgroup.
fn g1_outside_subgroup() -> G1Affine {
    (1u64..)
        .filter_map(|x| G1Affine::get_point_from_x_unchecked(Fq::from(x), true))
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .expect("exists")
}

/// A G2 point on the curve, not in the prime-order subgroup.
fn g2_outside_subgroup() -> G2Affine {
    (1u64..)
        .filter_map(|x| G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(x), Fq::zero()), true))
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .expect("exists")
}

/// Proofs (calldata) with A or B outside the subgroup, or C off the curve: the EVM and arkworks
/// must both refuse them.
fn bad_proofs(proof: &InvoiceProof) -> Vec<(&'static str, Vec<u8>)> {
    let p = proof.as_ark();
    let mut out = Vec::new();
    let with = |f: &dyn Fn(&mut ark_groth16::Proof<Bls12_381>)| {
        let mut q = p.clone();
        f(&mut q);
        let mut ark = Vec::new();
        q.serialize_uncompressed(&mut ark).expect("serialises");
        assert!(
            ark_groth16::Proof::<Bls12_381>::deserialize_uncompressed(&ark[..]).is_err(),
            "arkworks accepts the bad point"
        );
        let mut cd = proof_calldata(&InvoiceProof::from(p.clone())).to_vec();
        cd[..128].copy_from_slice(&zkinvoice_evm::encoding::g1_bytes(&q.a));
        cd[128..384].copy_from_slice(&zkinvoice_evm::encoding::g2_bytes(&q.b));
        cd[384..].copy_from_slice(&zkinvoice_evm::encoding::g1_bytes(&q.c));
        cd
    };
    out.push(("A outside the subgroup", with(&|q| q.a = g1_outside_subgroup())));
    out.push(("B outside the subgroup", with(&|q| q.b = g2_outside_subgroup())));
    out.push((
        "C off the curve",
        with(&|q| {
            let (x, y) = q.c.xy().expect("finite");
            q.c = G1Affine::new_unchecked(x, y + Fq::one());
        }),
    ));
    out
}

// ---------------------------------------------------------------- the verifier

fn deploy_verifier(chain: &mut Chain) -> Address {
    chain.deploy(DEPLOYER, compiled().bytecode["InvoiceVerifier"].clone())
}

fn verify_raw(chain: &mut Chain, verifier: Address, proof: Vec<u8>, input: [U256; 5]) -> (bool, u64) {
    let out = chain.view(
        verifier,
        IInvoiceVerifier::verifyProofCall {
            proof: proof.into(),
            input,
        }
        .abi_encode(),
    );
    let ok = IInvoiceVerifier::verifyProofCall::abi_decode_returns(out.output()).expect("bool");
    (ok, out.execution_gas())
}

#[test]
fn verifier_accepts_real_proofs_and_rejects_tampering() {
    let mut chain = Chain::new();
    let verifier = deploy_verifier(&mut chain);
    let w = world();
    let vk_hash = chain.view(verifier, IInvoiceVerifier::VK_HASHCall {}.abi_encode());
    assert_eq!(
        IInvoiceVerifier::VK_HASHCall::abi_decode_returns(vk_hash.output()).expect("bytes32"),
        B256::from(w.vk.hash())
    );
    for proved in [&w.october, &w.october_again, &w.november] {
        let out = chain.view(verifier, abi::verify_proof_call(&proved.proof, &proved.inputs));
        assert!(IInvoiceVerifier::verifyProofCall::abi_decode_returns(out.output()).expect("bool"));
        eprintln!(
            "verifyProof: {} gas in execution, {} for the transaction",
            out.execution_gas(),
            out.tx_gas()
        );
    }
    let Proved { proof, inputs } = &w.october;
    let good = proof_calldata(proof).to_vec();
    let words = public_input_words(inputs);
    // Each public input changed.
    for i in 0..5 {
        let mut x = inputs.to_field_elements();
        x[i] += Fr::one();
        let changed = InvoicePublicInputs {
            msa_commitment: x[0],
            usage_commitment: x[1],
            state_before: x[2],
            state_after: x[3],
            invoice_commitment: x[4],
        };
        assert!(
            !verify_raw(&mut chain, verifier, good.clone(), public_input_words(&changed)).0,
            "input {i}"
        );
        // The same scalar plus r is refused, not reduced.
        let r = U256::from_str_radix(
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001",
            16,
        )
        .expect("r");
        let mut plus_r = words;
        plus_r[i] += r;
        assert!(
            !verify_raw(&mut chain, verifier, good.clone(), plus_r).0,
            "input {i} + r"
        );
    }
    // A byte of A, B or C changed (the point leaves the curve: the precompile refuses it).
    for (name, at) in [("A", 100), ("B", 300), ("C", 500)] {
        let mut bad = good.clone();
        bad[at] ^= 1;
        assert!(!verify_raw(&mut chain, verifier, bad, words).0, "{name}");
    }
    // A valid point, but not the proof's: A + G1 generator.
    let mut other = proof.as_ark().clone();
    other.a = (other.a + G1Affine::generator()).into_affine();
    let other = proof_calldata(&InvoiceProof::from(other)).to_vec();
    assert!(!verify_raw(&mut chain, verifier, other, words).0, "another A");
    // The wrong length, and the proof of another invoice.
    assert!(!verify_raw(&mut chain, verifier, good[..511].to_vec(), words).0);
    let mut longer = good.clone();
    longer.push(0);
    assert!(!verify_raw(&mut chain, verifier, longer, words).0);
    let nov = proof_calldata(&w.november.proof).to_vec();
    assert!(
        !verify_raw(&mut chain, verifier, nov, words).0,
        "November's proof"
    );
    // Still accepted.
    assert!(verify_raw(&mut chain, verifier, good, words).0);
}

#[test]
fn verifier_agrees_with_arkworks_on_points_outside_the_group() {
    let mut chain = Chain::new();
    let verifier = deploy_verifier(&mut chain);
    let w = world();
    let words = public_input_words(&w.october.inputs);
    for (name, bad) in bad_proofs(&w.october.proof) {
        assert!(proof_from_calldata(&bad).is_err(), "{name}");
        assert!(
            !verify_raw(&mut chain, verifier, bad, words).0,
            "the EVM accepts {name}"
        );
    }
}

// ---------------------------------------------------------------- the anchor

struct Anchored {
    chain: Chain,
    anchor: Address,
}

/// Verifier and anchor deployed; the MSA registered by both parties, and October's usage too.
fn anchored() -> Anchored {
    let mut chain = Chain::new();
    let verifier = deploy_verifier(&mut chain);
    let c = compiled();
    let mut code = c.bytecode["InvoiceAnchor"].clone();
    code.extend(abi::anchor_constructor_args(SELLER, BUYER, verifier));
    let anchor = chain.deploy(DEPLOYER, code);
    let mut a = Anchored { chain, anchor };
    let w = world();
    for party in [SELLER, BUYER] {
        a.ok(
            party,
            abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), single()),
        );
    }
    a.register_usage(october(), &w.october_usage);
    a
}

/// What the anchor holds, to check nothing changed on a refusal.
#[derive(Debug, PartialEq)]
struct Snapshot {
    current: B256,
    october: (B256, bool),
    november: (B256, bool),
    /// October's payment: its reference's hash, the days paid and received.
    october_paid: (B256, u32, u32),
}

impl Anchored {
    fn ok(&mut self, from: Address, data: Vec<u8>) -> Outcome {
        let out = self.chain.send(from, self.anchor, data);
        assert!(out.result.is_success(), "{out:?}");
        out
    }

    fn register_usage(&mut self, period: u64, usage: &Fr) {
        for party in [SELLER, BUYER] {
            self.ok(party, abi::register_usage_call(period, usage));
        }
    }

    /// Sends `data`, which must revert with the anchor error `expected`, changing nothing.
    fn refused(&mut self, from: Address, data: Vec<u8>, expected: ContractError) {
        let before = self.snapshot();
        let out = self.chain.send(from, self.anchor, data);
        let error = InvoiceAnchor::InvoiceAnchorErrors::abi_decode(out.revert_data())
            .unwrap_or_else(|e| panic!("not an anchor error ({e}): {out:?}"));
        assert_eq!(ContractError::from(error), expected);
        assert_eq!(self.snapshot(), before, "a refused call changed the anchor");
    }

    fn call<C: SolCall>(&mut self, call: C) -> C::Return {
        let out = self.chain.view(self.anchor, call.abi_encode());
        C::abi_decode_returns(out.output()).expect("decodes")
    }

    fn period(&mut self, id: u64) -> (B256, bool) {
        let p = self.call(InvoiceAnchor::periodCall { periodId: id });
        (p.usageCommitment, p.invoiced)
    }

    fn payment(&mut self, id: u64) -> (B256, u32, u32) {
        let p = self.call(InvoiceAnchor::paymentsCall { periodId: id });
        (p.referenceHash, p.paidOn, p.receivedOn)
    }

    fn snapshot(&mut self) -> Snapshot {
        Snapshot {
            current: self.call(InvoiceAnchor::currentStateCall {}),
            october: self.period(october()),
            november: self.period(november()),
            october_paid: self.payment(october()),
        }
    }

    fn submit(&mut self, from: Address, period: u64, p: &Proved) -> Outcome {
        self.chain.send(
            from,
            self.anchor,
            abi::submit_invoice_call(period, &p.proof, &p.inputs),
        )
    }
}

fn word(x: &Fr) -> B256 {
    abi::fr_word(x)
}

#[test]
fn a_valid_invoice_advances_the_state_and_is_logged() {
    let mut a = anchored();
    let w = world();
    assert!(a.call(InvoiceAnchor::msaRegisteredCall {}));
    assert_eq!(a.call(InvoiceAnchor::currentStateCall {}), word(&w.state0));
    assert_eq!(a.call(InvoiceAnchor::vkHashCall {}), B256::from(w.vk.hash()));
    assert_eq!(a.call(InvoiceAnchor::sellerCall {}), SELLER);
    assert_eq!(a.call(InvoiceAnchor::buyerCall {}), BUYER);
    // The key is from one party's setup, not a ceremony: only the Seller submits.
    assert_eq!(a.call(InvoiceAnchor::CEREMONY_TRANSCRIPTCall {}), B256::ZERO);

    let out = a.submit(SELLER, october(), &w.october);
    assert!(out.result.is_success(), "{out:?}");
    let october_gas = (out.execution_gas(), out.tx_gas());
    let logs = out.result.logs();
    assert_eq!(logs.len(), 1);
    let event = InvoiceAnchor::InvoiceSubmitted::decode_log_data(&logs[0].data).expect("InvoiceSubmitted");
    assert_eq!(event.periodId, october());
    assert_eq!(
        event.invoiceCommitment,
        word(&w.october.inputs.invoice_commitment)
    );
    assert_eq!(event.stateBefore, word(&w.state0));
    assert_eq!(event.stateAfter, word(&w.october.inputs.state_after));
    assert_eq!(
        a.call(InvoiceAnchor::currentStateCall {}),
        word(&w.october.inputs.state_after)
    );
    assert!(a.call(InvoiceAnchor::invoicedCall { periodId: october() }));
    // The usage commitment reads back without the invoiced mark (bit 255 of its slot).
    assert_eq!(a.period(october()), (word(&w.october_usage), true));
    assert_eq!(a.period(november()), (B256::ZERO, false));

    // November continues from October's state.
    let proposed = a.ok(SELLER, abi::register_usage_call(november(), &w.november_usage));
    let registered = a.ok(BUYER, abi::register_usage_call(november(), &w.november_usage));
    eprintln!(
        "registerUsage gas (transaction): proposing {}, registering {}",
        proposed.tx_gas(),
        registered.tx_gas()
    );
    let out = a.submit(SELLER, november(), &w.november);
    assert!(out.result.is_success(), "{out:?}");
    let november_gas = (out.execution_gas(), out.tx_gas());
    // The history is the events: November's continues from October's state after.
    let logs = out.result.logs();
    assert_eq!(logs.len(), 1);
    let event = InvoiceAnchor::InvoiceSubmitted::decode_log_data(&logs[0].data).expect("InvoiceSubmitted");
    assert_eq!(
        (
            event.periodId,
            event.invoiceCommitment,
            event.stateBefore,
            event.stateAfter
        ),
        (
            november(),
            word(&w.november.inputs.invoice_commitment),
            word(&w.october.inputs.state_after),
            word(&w.november.inputs.state_after)
        )
    );
    assert_eq!(
        a.call(InvoiceAnchor::currentStateCall {}),
        word(&w.november.inputs.state_after)
    );
    assert_eq!(a.period(november()), (word(&w.november_usage), true));
    assert_eq!(a.period(october()), (word(&w.october_usage), true));

    let sizes: Vec<String> = ["InvoiceVerifier", "InvoiceAnchor"]
        .iter()
        .map(|n| format!("{n} {} B", compiled().deployed[*n].len()))
        .collect();
    eprintln!(
        "submitInvoice gas: first invoice {} execution / {} transaction; second {} / {}; deployed sizes: {}",
        october_gas.0,
        october_gas.1,
        november_gas.0,
        november_gas.1,
        sizes.join(", ")
    );
    // The target: verification and state update within 250,000 gas of execution, for the first
    // invoice (the first write of the slots it touches) as for the next ones.
    assert!(october_gas.0 <= 250_000, "first submitInvoice: {october_gas:?}");
    assert!(
        november_gas.0 <= 250_000,
        "second submitInvoice: {november_gas:?}"
    );
}

/// The settlement on the anchor (MEF 114 R82-R89): the Buyer records the invoiced period paid on a
/// day under its payment's reference, the Seller records it received under the same reference on
/// or after that day; each once, by that party only; every refusal changes nothing.
#[test]
fn a_payment_is_recorded_by_the_buyer_and_received_by_the_seller() {
    let mut a = anchored();
    let w = world();
    let (oct, day) = (october(), 20788u32);
    let reference = "SEPA 2026-12-01 globex-cloud/INV-202610-0001";
    let pay = |on: u32, r: &str| abi::record_payment_call(oct, on, r);
    let receive = |on: u32, r: &str| abi::record_receipt_call(oct, on, r);
    // Nothing to pay before the invoice.
    a.refused(
        BUYER,
        pay(day, reference),
        ContractError::NotInvoiced { period_id: oct },
    );
    assert!(a.submit(SELLER, oct, &w.october).result.is_success());
    a.refused(
        BUYER,
        abi::record_payment_call(november(), day, reference),
        ContractError::NotInvoiced {
            period_id: november(),
        },
    );
    for who in [SELLER, STRANGER] {
        a.refused(
            who,
            pay(day, reference),
            ContractError::NotTheBuyer { caller: who },
        );
    }
    a.refused(BUYER, pay(0, reference), ContractError::ZeroValue);
    a.refused(BUYER, pay(day, ""), ContractError::ZeroValue);
    a.refused(
        SELLER,
        receive(day, reference),
        ContractError::NotPaid { period_id: oct },
    );

    let out = a.ok(BUYER, pay(day, reference));
    let paid_gas = out.tx_gas();
    let logs = out.result.logs();
    assert_eq!(logs.len(), 1);
    let e = InvoiceAnchor::PaymentRecorded::decode_log_data(&logs[0].data).expect("PaymentRecorded");
    assert_eq!(
        (e.periodId, e.paidOn, e.paymentReference.as_str()),
        (oct, day, reference)
    );
    let hash = alloy_primitives::keccak256(reference.as_bytes());
    assert_eq!(a.payment(oct), (hash, day, 0));
    a.refused(
        BUYER,
        pay(day, reference),
        ContractError::AlreadyPaid { period_id: oct },
    );

    for who in [BUYER, STRANGER] {
        a.refused(
            who,
            receive(day, reference),
            ContractError::NotTheSeller { caller: who },
        );
    }
    a.refused(
        SELLER,
        receive(day, "SEPA 2026-12-01 globex-cloud/INV-202611-0002"),
        ContractError::OtherReference { period_id: oct },
    );
    a.refused(
        SELLER,
        receive(day - 1, reference),
        ContractError::ReceivedBeforePaid {
            period_id: oct,
            paid_on: day,
            received_on: day - 1,
        },
    );
    let out = a.ok(SELLER, receive(day + 1, reference));
    let logs = out.result.logs();
    assert_eq!(logs.len(), 1);
    let e = InvoiceAnchor::PaymentReceived::decode_log_data(&logs[0].data).expect("PaymentReceived");
    assert_eq!(
        (e.periodId, e.receivedOn, e.paymentReference.as_str()),
        (oct, day + 1, reference)
    );
    assert_eq!(a.payment(oct), (hash, day, day + 1));
    a.refused(
        SELLER,
        receive(day + 1, reference),
        ContractError::AlreadyReceived { period_id: oct },
    );
    eprintln!(
        "recordPayment gas (transaction): {paid_gas}; recordReceipt: {}",
        out.tx_gas()
    );
}

#[test]
fn tampered_proofs_and_wrong_inputs_are_refused() {
    let mut a = anchored();
    let w = world();
    let Proved { proof, inputs } = &w.october;
    let good = proof_calldata(proof).to_vec();
    let submit = |proof: Vec<u8>, inputs: &InvoicePublicInputs| {
        InvoiceAnchor::submitInvoiceCall {
            periodId: october(),
            proof: proof.into(),
            publicInputs: public_input_words(inputs),
        }
        .abi_encode()
    };
    // A byte of A, B or C changed.
    for at in [90, 200, 450] {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        a.refused(SELLER, submit(bad, inputs), ContractError::InvalidProof);
    }
    for (_, bad) in bad_proofs(proof) {
        a.refused(SELLER, submit(bad, inputs), ContractError::InvalidProof);
    }
    let one = Fr::one();
    let cases = [
        (
            InvoicePublicInputs {
                msa_commitment: inputs.msa_commitment + one,
                ..*inputs
            },
            ContractError::WrongMsa {
                expected: word(&inputs.msa_commitment),
                given: word(&(inputs.msa_commitment + one)),
            },
        ),
        (
            InvoicePublicInputs {
                usage_commitment: inputs.usage_commitment + one,
                ..*inputs
            },
            ContractError::WrongUsage {
                period_id: october(),
                expected: word(&inputs.usage_commitment),
                given: word(&(inputs.usage_commitment + one)),
            },
        ),
        (
            InvoicePublicInputs {
                state_before: inputs.state_before + one,
                ..*inputs
            },
            ContractError::StaleState {
                expected: word(&inputs.state_before),
                given: word(&(inputs.state_before + one)),
            },
        ),
        (
            InvoicePublicInputs {
                state_after: inputs.state_after + one,
                ..*inputs
            },
            ContractError::InvalidProof,
        ),
        (
            InvoicePublicInputs {
                invoice_commitment: inputs.invoice_commitment + one,
                ..*inputs
            },
            ContractError::InvalidProof,
        ),
        (
            InvoicePublicInputs {
                invoice_commitment: Fr::zero(),
                ..*inputs
            },
            ContractError::ZeroValue,
        ),
    ];
    for (changed, error) in cases {
        a.refused(SELLER, submit(good.clone(), &changed), error);
    }
    // The anchor still takes the untouched proof.
    assert!(a.submit(SELLER, october(), &w.october).result.is_success());
}

#[test]
fn stale_states_replays_and_unregistered_periods_are_refused() {
    let mut a = anchored();
    let w = world();
    // November before its usage is registered, or before October moved the state.
    a.refused(
        SELLER,
        abi::submit_invoice_call(november(), &w.november.proof, &w.november.inputs),
        ContractError::UsageNotRegistered {
            period_id: november(),
        },
    );
    a.register_usage(november(), &w.november_usage);
    a.refused(
        SELLER,
        abi::submit_invoice_call(november(), &w.november.proof, &w.november.inputs),
        ContractError::StaleState {
            expected: word(&w.state0),
            given: word(&w.november.inputs.state_before),
        },
    );
    // October under November's period id: another usage commitment.
    a.refused(
        SELLER,
        abi::submit_invoice_call(november(), &w.october.proof, &w.october.inputs),
        ContractError::WrongUsage {
            period_id: november(),
            expected: word(&w.november_usage),
            given: word(&w.october_usage),
        },
    );
    assert!(a.submit(SELLER, october(), &w.october).result.is_success());
    // The same invoice again, and October proved a second time from the consumed state_0.
    a.refused(
        SELLER,
        abi::submit_invoice_call(october(), &w.october.proof, &w.october.inputs),
        ContractError::AlreadyInvoiced { period_id: october() },
    );
    a.refused(
        SELLER,
        abi::submit_invoice_call(october(), &w.october_again.proof, &w.october_again.inputs),
        ContractError::AlreadyInvoiced { period_id: october() },
    );
    // The same usage registered under a third period id: the second October proof starts from a
    // state already consumed.
    let again = period_id(20727, 20759);
    a.register_usage(again, &w.october_usage);
    a.refused(
        SELLER,
        abi::submit_invoice_call(again, &w.october_again.proof, &w.october_again.inputs),
        ContractError::StaleState {
            expected: word(&w.october.inputs.state_after),
            given: word(&w.october_again.inputs.state_before),
        },
    );
    assert!(a.submit(SELLER, november(), &w.november).result.is_success());
}

#[test]
fn only_the_two_parties_write_and_only_the_seller_submits() {
    let mut a = anchored();
    let w = world();
    // A valid invoice, from the Buyer (who made the key and could forge proofs under it) or a
    // third address: refused, nothing changes.
    for caller in [BUYER, STRANGER] {
        a.refused(
            caller,
            abi::submit_invoice_call(october(), &w.october.proof, &w.october.inputs),
            ContractError::NotTheSeller { caller },
        );
    }
    a.refused(
        STRANGER,
        abi::register_usage_call(november(), &w.november_usage),
        ContractError::NotAParty { caller: STRANGER },
    );
    a.refused(
        STRANGER,
        abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), single()),
        ContractError::NotAParty { caller: STRANGER },
    );
    // And the MSA is registered once.
    a.refused(
        SELLER,
        abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), single()),
        ContractError::MsaAlreadyRegistered,
    );
    // The same invoice from the Seller is accepted; the Buyer still may not submit the next.
    assert!(a.submit(SELLER, october(), &w.october).result.is_success());
    a.register_usage(november(), &w.november_usage);
    a.refused(
        BUYER,
        abi::submit_invoice_call(november(), &w.november.proof, &w.november.inputs),
        ContractError::NotTheSeller { caller: BUYER },
    );
}

/// A key from a multi-party ceremony: the anchor generated with its transcript hash in
/// `CEREMONY_TRANSCRIPT` registers the MSA only with that hash as the key setup (not the
/// single-party marker, not another transcript's hash) and lets the Buyer submit too; a third
/// address still not.
#[test]
fn with_a_ceremony_transcript_the_buyer_may_submit_too() {
    let w = world();
    let transcript = [0xce; 32];
    let source = solidity::anchor_source(&w.vk.hash_hex(), Some(transcript));
    assert!(
        source.contains(&format!("CEREMONY_TRANSCRIPT = 0x{};", hex::encode(transcript))),
        "{source}"
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join(solidity::ANCHOR_FILE);
    std::fs::write(&file, source).expect("writes");
    let code = zkinvoice_testkit::node::compile(&[file]).bytecode["InvoiceAnchor"].clone();

    let mut chain = Chain::new();
    let verifier = deploy_verifier(&mut chain);
    let anchor = chain.deploy(
        DEPLOYER,
        [code, abi::anchor_constructor_args(SELLER, BUYER, verifier)].concat(),
    );
    let mut a = Anchored { chain, anchor };
    let mut other = transcript;
    other[31] ^= 1;
    for given in [single(), other] {
        a.refused(
            SELLER,
            abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), given),
            ContractError::WrongKeySetup {
                expected: B256::from(transcript),
                given: B256::from(given),
            },
        );
    }
    for party in [SELLER, BUYER] {
        a.ok(
            party,
            abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), transcript),
        );
    }
    a.register_usage(october(), &w.october_usage);
    assert_eq!(
        a.call(InvoiceAnchor::CEREMONY_TRANSCRIPTCall {}),
        B256::from(transcript)
    );
    a.refused(
        STRANGER,
        abi::submit_invoice_call(october(), &w.october.proof, &w.october.inputs),
        ContractError::NotTheSeller { caller: STRANGER },
    );
    assert!(a.submit(BUYER, october(), &w.october).result.is_success());
    assert_eq!(a.period(october()), (word(&w.october_usage), true));
}

#[test]
fn registrations_need_both_parties_with_identical_values() {
    let mut chain = Chain::new();
    let verifier = deploy_verifier(&mut chain);
    let c = compiled();
    let mut code = c.bytecode["InvoiceAnchor"].clone();
    code.extend(abi::anchor_constructor_args(SELLER, BUYER, verifier));
    let anchor = chain.deploy(DEPLOYER, code);
    let mut a = Anchored { chain, anchor };
    let w = world();
    let one = Fr::one();

    // Nothing before the MSA.
    a.refused(
        SELLER,
        abi::register_usage_call(october(), &w.october_usage),
        ContractError::MsaNotRegistered,
    );
    a.refused(
        SELLER,
        abi::submit_invoice_call(october(), &w.october.proof, &w.october.inputs),
        ContractError::MsaNotRegistered,
    );
    // A key one party made is registered only as a single-party setup: a transcript hash (or
    // zero) as the setup is refused outright.
    assert_eq!(
        a.call(InvoiceAnchor::SINGLE_PARTY_SETUPCall {}),
        B256::from(single())
    );
    for given in [[0xce; 32], [0; 32]] {
        a.refused(
            SELLER,
            abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), given),
            ContractError::WrongKeySetup {
                expected: B256::from(single()),
                given: B256::from(given),
            },
        );
    }
    // Another key's hash is refused outright.
    let mut other_key = w.vk.hash();
    other_key[0] ^= 1;
    a.refused(
        SELLER,
        abi::register_msa_call(&w.msa, &w.state0, other_key, single()),
        ContractError::WrongVerifyingKey {
            expected: B256::from(w.vk.hash()),
            given: B256::from(other_key),
        },
    );
    // The Seller proposes, the Buyer proposes another state 0: not registered.
    let out = a.ok(
        SELLER,
        abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), single()),
    );
    assert!(InvoiceAnchor::MsaProposed::decode_log_data(&out.result.logs()[0].data).is_ok());
    let out = a.ok(
        BUYER,
        abi::register_msa_call(&w.msa, &(w.state0 + one), w.vk.hash(), single()),
    );
    assert_eq!(out.result.logs().len(), 1);
    assert!(!a.call(InvoiceAnchor::msaRegisteredCall {}));
    assert_eq!(a.call(InvoiceAnchor::currentStateCall {}), B256::ZERO);
    // The Buyer corrects its proposal: registered.
    let out = a.ok(
        BUYER,
        abi::register_msa_call(&w.msa, &w.state0, w.vk.hash(), single()),
    );
    let logs = out.result.logs();
    assert_eq!(logs.len(), 2);
    let reg = InvoiceAnchor::MsaRegistered::decode_log_data(&logs[1].data).expect("MsaRegistered");
    assert_eq!((reg.msaCommitment, reg.state0), (word(&w.msa), word(&w.state0)));
    assert!(a.call(InvoiceAnchor::msaRegisteredCall {}));
    assert_eq!(a.call(InvoiceAnchor::currentStateCall {}), word(&w.state0));

    // Usage: the parties disagree, so the period cannot be invoiced.
    a.ok(SELLER, abi::register_usage_call(october(), &w.october_usage));
    a.ok(
        BUYER,
        abi::register_usage_call(october(), &(w.october_usage + one)),
    );
    assert_eq!(a.period(october()).0, B256::ZERO);
    a.refused(
        SELLER,
        abi::submit_invoice_call(october(), &w.october.proof, &w.october.inputs),
        ContractError::UsageNotRegistered { period_id: october() },
    );
    // They agree: registered once, with events.
    let out = a.ok(BUYER, abi::register_usage_call(october(), &w.october_usage));
    let logs = out.result.logs();
    assert_eq!(logs.len(), 2);
    assert!(InvoiceAnchor::UsageProposed::decode_log_data(&logs[0].data).is_ok());
    let reg = InvoiceAnchor::UsageRegistered::decode_log_data(&logs[1].data).expect("UsageRegistered");
    assert_eq!(
        (reg.periodId, reg.usageCommitment),
        (october(), word(&w.october_usage))
    );
    assert_eq!(a.period(october()).0, word(&w.october_usage));
    a.refused(
        SELLER,
        abi::register_usage_call(october(), &w.november_usage),
        ContractError::UsageAlreadyRegistered { period_id: october() },
    );
    // A usage commitment that is not a scalar (r, or with bit 255 set: the invoiced mark) is
    // refused.
    let r = U256::from_be_bytes(word(&-one).0) + U256::from(1u8);
    for bad in [
        r,
        U256::from(1u8) << 255,
        (U256::from(1u8) << 255) | U256::from_be_bytes(word(&w.november_usage).0),
    ] {
        let mut call = abi::register_usage_call(november(), &w.november_usage);
        call[4 + 32..].copy_from_slice(&bad.to_be_bytes::<32>());
        let value = B256::from(bad.to_be_bytes::<32>());
        a.refused(SELLER, call, ContractError::NotAScalar { value });
    }
    assert!(a.submit(SELLER, october(), &w.october).result.is_success());
}

// ---------------------------------------------------------------- netting (two anchors)

#[path = "contracts/netting.rs"]
mod netting;

#[path = "contracts/credit.rs"]
mod credit;

#[path = "contracts/carried.rs"]
mod carried;

#[path = "contracts/reconcile.rs"]
mod reconcile;

#[path = "contracts/partial.rs"]
mod partial;

// ---------------------------------------------------------------- over JSON-RPC (a Hardhat node)

#[cfg(feature = "chain")]
mod over_json_rpc {
    use zkinvoice_evm::{
        abi::period_id,
        chain::{address_of_key, AuditFailure, ChainAnchor},
        ContractError, EvmError,
    };

    use ark_bls12_381::G1Affine;
    use ark_ec::{AffineRepr, CurveGroup};

    use zkinvoice_testkit::node::{self, BUYER_KEY, OTHER_KEY, SELLER_KEY};

    use super::{single, world};

    fn refused(r: Result<impl std::fmt::Debug, EvmError>, error: ContractError) {
        match r {
            Err(EvmError::Refused(e)) => assert_eq!(e, error),
            r => panic!("expected the anchor to refuse with {error}, got {r:?}"),
        }
    }

    #[test]
    fn the_anchor_over_json_rpc_registers_submits_reads_back_and_audits() {
        let c = super::compiled();
        let node = node::start_node();
        let w = world();
        let url = &node.url;
        let addr = |key| ChainAnchor::connect(url, zkinvoice_evm::Address::ZERO, key).err();
        // No contract at address zero.
        assert!(matches!(addr(SELLER_KEY), Some(EvmError::Rpc(_))));

        let seller_address = address_of_key(SELLER_KEY).expect("a key");
        let buyer_address = address_of_key(BUYER_KEY).expect("a key");
        let other = ChainAnchor::deploy(
            url,
            OTHER_KEY,
            seller_address,
            buyer_address,
            &c.bytecode["InvoiceVerifier"],
            &c.bytecode["InvoiceAnchor"],
        )
        .expect("deploys");
        let anchor = other.address();
        let seller = ChainAnchor::connect(url, anchor, SELLER_KEY).expect("connects");
        let buyer = ChainAnchor::connect(url, anchor, BUYER_KEY).expect("connects");
        assert_eq!((seller.party(), buyer.party()), (seller_address, buyer_address));

        let state = seller.state().expect("reads");
        assert_eq!(
            (state.seller, state.buyer, state.vk_hash),
            (seller_address, buyer_address, w.vk.hash())
        );
        assert_eq!((state.msa, state.invoice_count), (None, 0));

        let october = period_id(20727, 20758);
        let november = period_id(20758, 20788);
        let stranger = address_of_key(OTHER_KEY).expect("a key");
        refused(
            other.register_msa(&w.msa, &w.state0, w.vk.hash(), single()),
            ContractError::NotAParty { caller: stranger },
        );
        seller
            .register_msa(&w.msa, &w.state0, w.vk.hash(), single())
            .expect("proposes");
        assert_eq!(seller.state().expect("reads").msa, None);
        buyer
            .register_msa(&w.msa, &w.state0, w.vk.hash(), single())
            .expect("registers");
        let state = buyer.state().expect("reads");
        assert_eq!(
            (state.msa, state.current_state),
            (Some((w.msa, w.state0)), Some(w.state0))
        );
        for p in [&seller, &buyer] {
            p.register_usage(october, &w.october_usage).expect("registers");
        }
        assert_eq!(
            seller.period(october).expect("reads"),
            (Some(w.october_usage), false)
        );

        // Only the Seller submits: the Buyer (the key's maker) and a third address are refused.
        refused(
            other.submit_invoice(october, &w.october.proof, &w.october.inputs),
            ContractError::NotTheSeller { caller: stranger },
        );
        refused(
            buyer.submit_invoice(october, &w.october.proof, &w.october.inputs),
            ContractError::NotTheSeller {
                caller: buyer_address,
            },
        );
        assert_eq!(
            seller.period(october).expect("reads"),
            (Some(w.october_usage), false)
        );
        refused(
            seller.submit_invoice(november, &w.november.proof, &w.november.inputs),
            ContractError::UsageNotRegistered { period_id: november },
        );
        let included = seller
            .submit_invoice(october, &w.october.proof, &w.october.inputs)
            .expect("accepted");
        eprintln!("submitInvoice over JSON-RPC: {} gas", included.gas_used);
        refused(
            seller.submit_invoice(october, &w.october_again.proof, &w.october_again.inputs),
            ContractError::AlreadyInvoiced { period_id: october },
        );
        for p in [&seller, &buyer] {
            p.register_usage(november, &w.november_usage).expect("registers");
        }
        let mut tampered = w.november.inputs;
        tampered.invoice_commitment += zkinvoice_verifier::Fr::from(1u64);
        refused(
            seller.submit_invoice(november, &w.november.proof, &tampered),
            ContractError::InvalidProof,
        );
        seller
            .submit_invoice(november, &w.november.proof, &w.november.inputs)
            .expect("accepted");

        // Read back by the other party: the log, the proofs from the transactions, the audit.
        let invoices = buyer.invoices().expect("reads the log");
        assert_eq!(invoices.len(), 2);
        assert_eq!(
            (invoices[0].period_id, invoices[1].period_id),
            (october, november)
        );
        assert_eq!(invoices[0].inputs, w.october.inputs);
        assert_eq!(invoices[1].inputs, w.november.inputs);
        assert_eq!(
            invoices[0].proof.as_ref().ok(),
            Some(&w.october.proof.clone().into())
        );
        assert_eq!(
            invoices[1].proof.as_ref().ok(),
            Some(&w.november.proof.clone().into())
        );
        let audit = buyer.audit(&w.vk).expect("audits");
        assert_eq!(audit.invoices, 2);
        assert!(audit.failures.is_empty(), "{:?}", audit.failures);
        let state = buyer.state().expect("reads");
        assert_eq!(
            (state.current_state, state.invoice_count),
            (Some(w.november.inputs.state_after), 2)
        );
        assert_eq!(
            seller.period(october).expect("reads"),
            (Some(w.october_usage), true)
        );
        // Audited with another key: the key and both proofs are named.
        let mut ark = w.vk.as_ark().clone();
        ark.alpha_g1 = (ark.alpha_g1 + G1Affine::generator()).into_affine();
        let other_key = zkinvoice_verifier::InvoiceVerifyingKey::new(ark).expect("a key");
        let audit = buyer.audit(&other_key).expect("audits");
        assert_eq!(audit.failures.len(), 3, "{:?}", audit.failures);
        assert_eq!(
            audit.failures[0],
            AuditFailure::WrongKey {
                anchor: w.vk.hash(),
                key: other_key.hash_hex()
            }
        );
        assert_eq!(audit.failures[1], AuditFailure::ProofFails { index: 0 });
        assert_eq!(audit.failures[2], AuditFailure::ProofFails { index: 1 });
        // The sentences the CLI prints.
        assert_eq!(
            audit.failures[0].to_string(),
            format!(
                "the anchor's verifier is for key {}, not {}",
                w.vk.hash_hex(),
                other_key.hash_hex()
            )
        );
        assert_eq!(
            audit.failures[2].to_string(),
            "invoice 1: the proof does not verify"
        );
    }
}
