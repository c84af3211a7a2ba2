//! Netting on the anchor contract (MEF 114 8.6.3): two anchors of the same two parties in opposite
//! directions (the example bilateral and the reverse one, `zkinvoice_testkit::netted`), their
//! October invoices submitted with real proofs, the netting terms registered by both parties in
//! both, the netting proof (`NettingVerifier.sol`, the netting key at shape S) recorded in both,
//! and the net paid by the party the proof names and received by the other. Every refusal
//! changes nothing.

use alloy_sol_types::{SolCall, SolEvent, SolInterface};
use zkinvoice_evm::{
    abi::{self, contracts::IStatementVerifier, contracts::InvoiceAnchor, netting_input_words},
    encoding::proof_calldata,
    solidity, Address, ContractError, B256, U256,
};
use zkinvoice_testkit::{
    bilateral::bilateral,
    netted::netted,
    node::{compile, Compiled},
    revm::{Chain, Outcome},
};
use zkinvoice_verifier::{Fr, NettingPublicInputs};

use super::{october, single, word, BUYER, DEPLOYER, SELLER, STRANGER};

/// The invoice verifier of the example bilateral's key (both directions prove with it), the
/// anchor, the netting verifier of the netting key, the credit verifier of the credit-note key
/// and the reconciliation verifier of the reconciliation key, compiled once.
pub(super) fn contracts() -> &'static Compiled {
    static C: std::sync::OnceLock<Compiled> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut files = Vec::new();
        let [verifier, anchor] = solidity::sources(&bilateral().vk, None);
        let netting = (
            solidity::NETTING_VERIFIER_FILE,
            solidity::netting_verifier_source(netted().keys.verifying_key()),
        );
        let credit = (
            solidity::CREDIT_VERIFIER_FILE,
            solidity::credit_verifier_source(zkinvoice_testkit::credited::credited().keys.verifying_key()),
        );
        let reconcile = (
            solidity::RECONCILE_VERIFIER_FILE,
            solidity::reconcile_verifier_source(&zkinvoice_testkit::reconciled::reconciled().key),
        );
        for (name, text) in [verifier, anchor, netting, credit, reconcile] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("writes");
            files.push(p);
        }
        // A stand-in for a counterpart in states the two example bilaterals do not reach.
        files.push(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contracts/CounterpartStub.sol"),
        );
        compile(&files)
    })
}

/// The two anchors (forward: the example's Seller sells to its Buyer; reverse: the other way
/// round), each with its MSA and October's usage registered, and the netting verifier.
pub(super) struct Pair {
    pub(super) chain: Chain,
    pub(super) forward: Address,
    pub(super) reverse: Address,
    pub(super) netting_verifier: Address,
}

/// What one anchor holds of a period's netting, SLA performance, credit note and payment, and its
/// netting and credit verifiers, with both parties' proposals, as words.
type Held = Vec<B256>;

/// The netting's public inputs and proof.
pub(super) fn inputs() -> NettingPublicInputs {
    netted().proved.public
}

pub(super) fn netting_call(input: &NettingPublicInputs) -> Vec<u8> {
    abi::record_netting_call(october(), &netted().proved.proof, input)
}

/// The forward and reverse October invoices' commitments.
fn invoices() -> (Fr, Fr) {
    (
        bilateral().october_envelope.public_inputs.invoice_commitment,
        netted().invoice(),
    )
}

impl Pair {
    /// Both anchors deployed and registered, October's usage registered in both; the invoices
    /// submitted when `invoiced`.
    pub(super) fn new(invoiced: bool) -> Self {
        let c = contracts();
        let mut chain = Chain::new();
        let verifier = chain.deploy(DEPLOYER, c.bytecode["InvoiceVerifier"].clone());
        let netting_verifier = chain.deploy(DEPLOYER, c.bytecode["NettingVerifier"].clone());
        let anchor = |chain: &mut Chain, seller: Address, buyer: Address| {
            let mut code = c.bytecode["InvoiceAnchor"].clone();
            code.extend(abi::anchor_constructor_args(seller, buyer, verifier));
            chain.deploy(DEPLOYER, code)
        };
        let forward = anchor(&mut chain, SELLER, BUYER);
        let reverse = anchor(&mut chain, BUYER, SELLER);
        let mut p = Pair {
            chain,
            forward,
            reverse,
            netting_verifier,
        };
        let b = bilateral();
        let vk_hash = b.vk.hash();
        let f = &b.october_envelope.public_inputs;
        let r = &netted().envelope.public_inputs;
        for (anchor, inputs) in [(forward, f), (reverse, r)] {
            for party in [SELLER, BUYER] {
                p.ok(
                    party,
                    anchor,
                    abi::register_msa_call(&inputs.msa_commitment, &inputs.state_before, vk_hash, single()),
                );
            }
            for party in [SELLER, BUYER] {
                p.ok(
                    party,
                    anchor,
                    abi::register_usage_call(october(), &inputs.usage_commitment),
                );
            }
        }
        if invoiced {
            p.submit_forward();
            p.submit_reverse();
        }
        p
    }

    pub(super) fn submit_forward(&mut self) {
        let e = &bilateral().october_envelope;
        let proof = e.proof.single().expect("one proof");
        let call = abi::submit_invoice_call(october(), proof, &e.public_inputs);
        self.ok(SELLER, self.forward, call);
    }

    pub(super) fn submit_reverse(&mut self) {
        let e = &netted().envelope;
        let proof = e.proof.single().expect("one proof");
        let call = abi::submit_invoice_call(october(), proof, &e.public_inputs);
        // The reverse bilateral's Seller is the example's Buyer.
        self.ok(BUYER, self.reverse, call);
    }

    pub(super) fn ok(&mut self, from: Address, to: Address, data: Vec<u8>) -> Outcome {
        let out = self.chain.send(from, to, data);
        assert!(out.result.is_success(), "{out:?}");
        out
    }

    pub(super) fn call<C: SolCall>(&mut self, to: Address, call: C) -> C::Return {
        let out = self.chain.view(to, call.abi_encode());
        C::abi_decode_returns(out.output()).expect("decodes")
    }

    /// What either anchor holds of the netting and the payment, to check a refusal changed nothing.
    fn snapshot(&mut self) -> Vec<Held> {
        let word = |a: Address| B256::left_padding_from(a.as_slice());
        let mut out = Vec::new();
        for a in [self.forward, self.reverse] {
            let oct = october();
            let n = self.call(a, InvoiceAnchor::nettingsCall { periodId: oct });
            let mut held = vec![n.netCommitment, B256::with_last_byte(u8::from(n.sellerPays))];
            for party in [SELLER, BUYER] {
                held.push(self.call(a, InvoiceAnchor::nettingProposalCall { periodId: oct, party }));
                held.push(self.call(a, InvoiceAnchor::slaProposalCall { periodId: oct, party }));
                held.push(word(
                    self.call(a, InvoiceAnchor::creditVerifierProposalCall { party }),
                ));
            }
            held.push(word(self.call(a, InvoiceAnchor::nettingVerifierCall {})));
            held.push(word(self.call(a, InvoiceAnchor::creditVerifierCall {})));
            held.push(self.call(a, InvoiceAnchor::slasCall { periodId: oct }));
            held.push(self.call(a, InvoiceAnchor::creditsCall { periodId: oct }));
            // Credits carried forward: October's note's carry, the proposals, and what was carried
            // to October and November.
            let carry = self.call(a, InvoiceAnchor::carriesCall { periodId: oct });
            held.push(B256::with_last_byte(u8::from(carry.afterPayment)));
            held.push(B256::left_padding_from(&carry.to.to_be_bytes()));
            for party in [SELLER, BUYER] {
                let to = self.call(a, InvoiceAnchor::carryProposalCall { periodId: oct, party });
                held.push(B256::left_padding_from(&to.to_be_bytes()));
            }
            for period in [oct, super::november()] {
                let n = self.call(a, InvoiceAnchor::carriedCountCall { periodId: period });
                held.push(B256::from(n.to_be_bytes::<32>()));
            }
            let pay = self.call(a, InvoiceAnchor::paymentsCall { periodId: oct });
            held.push(pay.referenceHash);
            held.push(B256::left_padding_from(&pay.paidOn.to_be_bytes()));
            held.push(B256::left_padding_from(&pay.receivedOn.to_be_bytes()));
            held.extend(super::reconcile::held(self, a));
            out.push(held);
        }
        out
    }

    /// Sends `data` to `to`, which must revert with `expected`, changing nothing.
    pub(super) fn refused(&mut self, from: Address, to: Address, data: Vec<u8>, expected: ContractError) {
        let before = self.snapshot();
        let out = self.chain.send(from, to, data);
        let error = InvoiceAnchor::InvoiceAnchorErrors::abi_decode(out.revert_data())
            .unwrap_or_else(|e| panic!("not an anchor error ({e}): {out:?}"));
        assert_eq!(ContractError::from(error), expected);
        assert_eq!(self.snapshot(), before, "a refused call changed an anchor");
    }

    /// Both parties register the netting terms in both anchors.
    pub(super) fn register_netting(&mut self) {
        let nv = self.netting_verifier;
        for (anchor, counterpart) in [(self.forward, self.reverse), (self.reverse, self.forward)] {
            for party in [SELLER, BUYER] {
                self.ok(party, anchor, abi::register_netting_call(counterpart, nv));
            }
        }
    }

    /// Both parties record the netting in `anchor`; returns the recording call's outcome.
    pub(super) fn record_netting(&mut self, anchor: Address) -> Outcome {
        self.ok(SELLER, anchor, netting_call(&inputs()));
        self.ok(BUYER, anchor, netting_call(&inputs()))
    }
}

/// Who pays the net, as the proof says: `payer` 0 the first (smaller) invoice's buyer. The forward
/// invoice's buyer is the example's Buyer, the reverse one's its Seller.
fn net_payer() -> Address {
    let (f, r) = invoices();
    let first_is_forward = NettingPublicInputs::ordered(f, r)[0] == f;
    let first_pays = inputs().payer == Fr::from(0u64);
    if first_is_forward == first_pays {
        BUYER
    } else {
        SELLER
    }
}

#[test]
fn the_netting_verifier_accepts_the_netting_proof_only() {
    let mut p = Pair::new(false);
    let words = netting_input_words(&inputs());
    let verify = |p: &mut Pair, proof: Vec<u8>, input: [U256; 6]| {
        let out = p.chain.view(
            p.netting_verifier,
            IStatementVerifier::verifyProofCall {
                proof: proof.into(),
                input,
            }
            .abi_encode(),
        );
        (
            IStatementVerifier::verifyProofCall::abi_decode_returns(out.output()).expect("bool"),
            out.execution_gas(),
        )
    };
    let proof = proof_calldata(&netted().proved.proof).to_vec();
    let (ok, gas) = verify(&mut p, proof.clone(), words);
    assert!(ok, "the netting proof verifies on chain");
    eprintln!("NettingVerifier.verifyProof: {gas} gas in execution");
    let key_hash = p.call(p.netting_verifier, IStatementVerifier::VK_HASHCall {});
    assert_eq!(key_hash, B256::from(netted().keys.verifying_key().hash()));
    assert_eq!(
        p.call(p.netting_verifier, IStatementVerifier::PUBLIC_INPUTSCall {}),
        U256::from(6)
    );
    for i in 0..6 {
        let mut bad = words;
        bad[i] += U256::from(1);
        assert!(!verify(&mut p, proof.clone(), bad).0, "input {i} changed");
    }
    // An invoice proof under the netting verifier: refused.
    let invoice = proof_calldata(bilateral().october_envelope.proof.single().expect("one")).to_vec();
    assert!(!verify(&mut p, invoice, words).0);
}

#[test]
fn the_netting_terms_need_both_parties_and_the_reverse_bilateral() {
    let mut p = Pair::new(true);
    let (f, r, nv) = (p.forward, p.reverse, p.netting_verifier);
    p.refused(
        STRANGER,
        f,
        abi::register_netting_call(r, nv),
        ContractError::NotAParty { caller: STRANGER },
    );
    p.refused(
        SELLER,
        f,
        abi::register_netting_call(Address::ZERO, nv),
        ContractError::ZeroValue,
    );
    p.refused(
        SELLER,
        f,
        abi::register_netting_call(r, Address::ZERO),
        ContractError::ZeroValue,
    );
    // An anchor of the same direction (here: itself) is not the counterpart.
    p.refused(
        SELLER,
        f,
        abi::register_netting_call(f, nv),
        ContractError::WrongCounterpart { counterpart: f },
    );
    // Recording before the terms are registered.
    p.refused(
        SELLER,
        f,
        netting_call(&inputs()),
        ContractError::NettingNotRegistered,
    );
    // One party's proposal registers nothing; the other's for another verifier neither.
    p.ok(SELLER, f, abi::register_netting_call(r, nv));
    p.ok(BUYER, f, abi::register_netting_call(r, STRANGER));
    assert_eq!(p.call(f, InvoiceAnchor::nettingVerifierCall {}), Address::ZERO);
    assert_eq!(p.call(f, InvoiceAnchor::counterpartCall {}), Address::ZERO);
    let out = p.ok(BUYER, f, abi::register_netting_call(r, nv));
    eprintln!(
        "registerNetting gas (transaction, the call that registers): {}",
        out.tx_gas()
    );
    let logs = out.result.logs();
    let e = InvoiceAnchor::NettingRegistered::decode_log_data(&logs[logs.len() - 1].data)
        .expect("NettingRegistered");
    assert_eq!(
        (e.counterpart, e.nettingVerifier, e.nettingVkHash),
        (r, nv, B256::from(netted().keys.verifying_key().hash()))
    );
    assert_eq!(p.call(f, InvoiceAnchor::counterpartCall {}), r);
    assert_eq!(p.call(f, InvoiceAnchor::nettingVerifierCall {}), nv);
    p.refused(
        SELLER,
        f,
        abi::register_netting_call(r, nv),
        ContractError::NettingAlreadyRegistered,
    );
}

#[test]
fn a_netting_is_recorded_in_both_anchors_and_its_net_paid_by_the_payer() {
    let mut p = Pair::new(false);
    p.register_netting();
    let (f, r) = (p.forward, p.reverse);
    let good = inputs();
    // Not invoiced here, then not there.
    p.refused(
        SELLER,
        f,
        netting_call(&good),
        ContractError::NotInvoiced { period_id: october() },
    );
    p.submit_forward();
    p.refused(
        SELLER,
        f,
        netting_call(&good),
        ContractError::OtherNotInvoiced { period_id: october() },
    );
    p.submit_reverse();
    assert_eq!(
        p.call(f, InvoiceAnchor::invoiceOfCall { periodId: october() }),
        word(&invoices().0)
    );
    assert_eq!(
        p.call(r, InvoiceAnchor::invoiceOfCall { periodId: october() }),
        word(&invoices().1)
    );

    // Inputs that do not name the two invoices in order, the period, or a net.
    let [first, second] = NettingPublicInputs::ordered(invoices().0, invoices().1);
    let expected = ContractError::WrongInvoices {
        first: word(&first),
        second: word(&second),
    };
    let swapped = NettingPublicInputs {
        first_invoice: good.second_invoice,
        second_invoice: good.first_invoice,
        ..good
    };
    p.refused(SELLER, f, netting_call(&swapped), expected);
    let other = NettingPublicInputs {
        first_invoice: good.first_invoice + Fr::from(1u64),
        ..good
    };
    p.refused(SELLER, f, netting_call(&other), expected);
    for bad in [
        NettingPublicInputs {
            period_start: good.period_start + Fr::from(1u64),
            ..good
        },
        NettingPublicInputs {
            period_end: good.period_end - Fr::from(1u64),
            ..good
        },
    ] {
        p.refused(
            SELLER,
            f,
            netting_call(&bad),
            ContractError::WrongPeriod { period_id: october() },
        );
    }
    let zero = NettingPublicInputs {
        net_commitment: Fr::from(0u64),
        ..good
    };
    p.refused(SELLER, f, netting_call(&zero), ContractError::ZeroValue);
    p.refused(
        STRANGER,
        f,
        netting_call(&good),
        ContractError::NotAParty { caller: STRANGER },
    );

    // The Seller proposes; the Buyer's proposal of another net records nothing; with a proof
    // that does not verify, refused; with the netting's proof, recorded.
    let proposed = p.ok(SELLER, f, netting_call(&good));
    let proposing_gas = proposed.tx_gas();
    let e = InvoiceAnchor::NettingProposed::decode_log_data(&proposed.result.logs()[0].data)
        .expect("NettingProposed");
    assert_eq!(
        (e.party, e.periodId, e.netCommitment),
        (SELLER, october(), word(&good.net_commitment))
    );
    let another = NettingPublicInputs {
        net_commitment: good.net_commitment + Fr::from(1u64),
        ..good
    };
    p.ok(BUYER, f, netting_call(&another));
    assert_eq!(
        p.call(f, InvoiceAnchor::nettingsCall { periodId: october() })
            .netCommitment,
        B256::ZERO
    );
    let mut tampered = proof_calldata(&netted().proved.proof).to_vec();
    tampered[100] ^= 1;
    let with_tampered = InvoiceAnchor::recordNettingCall {
        periodId: october(),
        proof: tampered.into(),
        input: netting_input_words(&good),
    }
    .abi_encode();
    p.refused(BUYER, f, with_tampered, ContractError::InvalidProof);
    let out = p.ok(BUYER, f, netting_call(&good));
    let recorded_gas = out.tx_gas();
    let logs = out.result.logs();
    let e =
        InvoiceAnchor::InvoicesNetted::decode_log_data(&logs[logs.len() - 1].data).expect("InvoicesNetted");
    let payer = net_payer();
    assert_eq!(
        (
            e.periodId,
            e.invoiceCommitment,
            e.otherInvoiceCommitment,
            e.netCommitment,
            e.payer
        ),
        (
            october(),
            word(&invoices().0),
            word(&invoices().1),
            word(&good.net_commitment),
            payer
        )
    );
    let n = p.call(f, InvoiceAnchor::nettingsCall { periodId: october() });
    assert_eq!(
        (n.netCommitment, n.sellerPays),
        (word(&good.net_commitment), payer == SELLER)
    );
    p.refused(
        SELLER,
        f,
        netting_call(&good),
        ContractError::AlreadyNetted { period_id: october() },
    );

    // The reverse anchor: another net than the one the forward anchor recorded is refused; the
    // same net is recorded, the same party paying.
    p.refused(
        SELLER,
        r,
        netting_call(&another),
        ContractError::OtherNetting {
            period_id: october(),
            net_commitment: word(&good.net_commitment),
        },
    );
    let out = p.record_netting(r);
    let logs = out.result.logs();
    let e =
        InvoiceAnchor::InvoicesNetted::decode_log_data(&logs[logs.len() - 1].data).expect("InvoicesNetted");
    assert_eq!(
        (e.invoiceCommitment, e.otherInvoiceCommitment, e.payer),
        (word(&invoices().1), word(&invoices().0), payer)
    );
    // In the reverse anchor the roles swap: the payer is its Seller if it is the forward Buyer.
    let n = p.call(r, InvoiceAnchor::nettingsCall { periodId: october() });
    assert_eq!(n.sellerPays, payer == BUYER);

    // The net's payment, in each anchor: by the payer, received by the other party.
    let payee = if payer == SELLER { BUYER } else { SELLER };
    let reference = "SEPA 2026-12-01 net/2026-10";
    let day = 20788u32;
    for anchor in [f, r] {
        // Who is refused is named by the role the expected party has in this anchor (the
        // forward anchor's Seller is SELLER, the reverse's BUYER).
        let seller_here = if anchor == f { SELLER } else { BUYER };
        let not = |expected: Address, caller: Address| {
            if expected == seller_here {
                ContractError::NotTheSeller { caller }
            } else {
                ContractError::NotTheBuyer { caller }
            }
        };
        p.refused(
            payee,
            anchor,
            abi::record_payment_call(october(), day, reference),
            not(payer, payee),
        );
        p.ok(payer, anchor, abi::record_payment_call(october(), day, reference));
        p.refused(
            payer,
            anchor,
            abi::record_receipt_call(october(), day, reference),
            not(payee, payer),
        );
        p.ok(payee, anchor, abi::record_receipt_call(october(), day, reference));
        let pay = p.call(anchor, InvoiceAnchor::paymentsCall { periodId: october() });
        assert_eq!((pay.paidOn, pay.receivedOn), (day, day));
    }
    eprintln!(
        "recordNetting gas (transaction): proposing {proposing_gas}, recording {recorded_gas}; NettingVerifier {} B, InvoiceAnchor {} B deployed",
        contracts().deployed["NettingVerifier"].len(),
        contracts().deployed["InvoiceAnchor"].len()
    );
}

#[test]
fn a_paid_invoice_is_not_netted_on_either_side() {
    let mut p = Pair::new(true);
    p.register_netting();
    let (f, r) = (p.forward, p.reverse);
    let reference = "SEPA 2026-12-01 globex-cloud/INV-202610-0001";
    // The reverse invoice paid in full (by its Buyer, the example's Seller): the forward anchor
    // refuses the netting, and the reverse one too.
    p.ok(SELLER, r, abi::record_payment_call(october(), 20788, reference));
    p.refused(
        SELLER,
        f,
        netting_call(&inputs()),
        ContractError::OtherPaid { period_id: october() },
    );
    p.refused(
        SELLER,
        r,
        netting_call(&inputs()),
        ContractError::AlreadyPaid { period_id: october() },
    );
}

/// The same over JSON-RPC (a Hardhat node), through `ChainAnchor`: the netting verifier deployed,
/// the terms registered and the netting recorded by both parties in both anchors, read back, and
/// the net paid and received.
#[cfg(feature = "chain")]
#[test]
fn a_netting_over_json_rpc() {
    use zkinvoice_evm::chain::{address_of_key, ChainAnchor, ChainNetting};
    use zkinvoice_testkit::node::{self, BUYER_KEY, OTHER_KEY, SELLER_KEY};

    let c = contracts();
    let node = node::start_node();
    let url = &node.url;
    let (s, b) = (
        address_of_key(SELLER_KEY).expect("a key"),
        address_of_key(BUYER_KEY).expect("a key"),
    );
    let deploy = |seller, buyer| {
        ChainAnchor::deploy(
            url,
            OTHER_KEY,
            seller,
            buyer,
            &c.bytecode["InvoiceVerifier"],
            &c.bytecode["InvoiceAnchor"],
        )
        .expect("deploys")
        .address()
    };
    let (forward, reverse) = (deploy(s, b), deploy(b, s));
    let nv = ChainAnchor::deploy_statement_verifier(url, OTHER_KEY, &c.bytecode["NettingVerifier"])
        .expect("deploys");
    let party = |anchor, key| ChainAnchor::connect(url, anchor, key).expect("connects");
    // Each anchor as its Seller and its Buyer (the reverse anchor's Seller is the Buyer's key).
    let f = [party(forward, SELLER_KEY), party(forward, BUYER_KEY)];
    let r = [party(reverse, BUYER_KEY), party(reverse, SELLER_KEY)];
    let hash = bilateral().vk.hash();
    let envelopes = [&bilateral().october_envelope, &netted().envelope];
    for (parties, env) in [(&f, envelopes[0]), (&r, envelopes[1])] {
        let i = &env.public_inputs;
        for p in parties {
            p.register_msa(&i.msa_commitment, &i.state_before, hash, single())
                .expect("registers the MSA");
        }
        for p in parties {
            p.register_usage(october(), &i.usage_commitment)
                .expect("registers the usage");
        }
        parties[0]
            .submit_invoice(october(), env.proof.single().expect("one"), i)
            .expect("the Seller submits");
    }
    assert_eq!(f[0].netting_terms().expect("reads"), None);
    for (parties, counterpart) in [(&f, reverse), (&r, forward)] {
        for p in parties {
            p.register_netting(counterpart, nv).expect("registers the terms");
        }
    }
    assert_eq!(f[1].netting_terms().expect("reads"), Some((reverse, nv)));
    let (proof, good) = (&netted().proved.proof, inputs());
    // net_payer names the revm test's addresses: the example's Buyer or Seller.
    let payer = if net_payer() == BUYER { b } else { s };
    for (parties, seller) in [(&f, s), (&r, b)] {
        for p in parties {
            p.record_netting(october(), proof, &good).expect("records");
        }
        assert_eq!(
            parties[0].netting(october()).expect("reads"),
            Some(ChainNetting {
                net_commitment: good.net_commitment,
                seller_pays: payer == seller,
            })
        );
        // The net's payment: by the payer (this anchor's Seller or Buyer), received by the other.
        let (by, to) = if payer == seller {
            (&parties[0], &parties[1])
        } else {
            (&parties[1], &parties[0])
        };
        let reference = "SEPA 2026-12-01 net/2026-10";
        by.record_payment(october(), 20788, reference).expect("paid");
        to.record_receipt(october(), 20789, reference).expect("received");
        let paid = by.payment(october()).expect("reads").expect("recorded");
        assert_eq!((paid.paid_on, paid.received_on), (20788, Some(20789)));
    }
    match f[0].record_netting(october(), proof, &good) {
        Err(zkinvoice_evm::EvmError::Refused(e)) => {
            assert_eq!(e, ContractError::AlreadyPaid { period_id: october() })
        }
        other => panic!("expected AlreadyPaid, got {other:?}"),
    }
}

alloy_sol_types::sol! {
    /// The test's counterpart stand-in (`CounterpartStub.sol`).
    contract CounterpartStub {
        function setInvoice(uint64 periodId, bytes32 invoice) external;
        function setPartial(uint64 periodId, bytes32 invoice) external;
        function setCarried(uint64 periodId, uint256 count) external;
    }
}

/// A counterpart whose invoice of the period is invoiced in part (its period disputed): the
/// netting is refused (`OtherNotWhole`, nets take whole invoices) before anything is proposed,
/// and proposed once the counterpart holds none. The example bilaterals do not reach that state
/// (their reverse bilateral has no dispute), so a stand-in counterpart holds it.
#[test]
fn a_netting_is_refused_while_the_counterparts_invoice_is_partial() {
    use alloy_sol_types::SolValue;
    let mut p = Pair::new(true);
    let mut code = contracts().bytecode["CounterpartStub"].clone();
    // The counterpart's Seller is this anchor's Buyer.
    code.extend((BUYER, SELLER).abi_encode_params());
    let stub = p.chain.deploy(DEPLOYER, code);
    let nv = p.netting_verifier;
    for party in [SELLER, BUYER] {
        p.ok(party, p.forward, abi::register_netting_call(stub, nv));
    }
    let (_, reverse) = invoices();
    let invoice = abi::fr_word(&reverse);
    p.ok(
        DEPLOYER,
        stub,
        CounterpartStub::setInvoiceCall {
            periodId: october(),
            invoice,
        }
        .abi_encode(),
    );
    let set_partial = |invoice: B256| {
        CounterpartStub::setPartialCall {
            periodId: october(),
            invoice,
        }
        .abi_encode()
    };
    p.ok(DEPLOYER, stub, set_partial(B256::repeat_byte(7)));
    let f = p.forward;
    p.refused(
        SELLER,
        f,
        netting_call(&inputs()),
        ContractError::OtherNotWhole { period_id: october() },
    );
    p.ok(DEPLOYER, stub, set_partial(B256::ZERO));
    let out = p.ok(SELLER, f, netting_call(&inputs()));
    let logs = out.result.logs();
    let e = InvoiceAnchor::NettingProposed::decode_log_data(&logs[0].data).expect("NettingProposed");
    assert_eq!((e.party, e.periodId), (SELLER, october()));
}
