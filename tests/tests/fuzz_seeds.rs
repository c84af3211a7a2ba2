//! The seed corpora of the fuzz targets (`fuzz/corpus/<target>/`) and the fixtures the targets
//! rely on (`fuzz/fixtures/`): the example files, and the files the library writes for the
//! example bilateral proved at shape S (keys, commitment and state files, an envelope, a bill,
//! proposals, log exports), seeded so that every run makes the same bytes. The test checks that
//! the committed seeds are what the library writes now (a changed file format fails it, naming
//! the seeds); after such a change, rewrite them and commit what changed:
//!
//! ```sh
//! ZKINVOICE_BLESS=1 cargo test -p zkinvoice-tests --test fuzz_seeds
//! ```
//!
//! Seeds of targets that take an options byte (see each target's doc) start with it.

use std::{collections::BTreeSet, fs, sync::Mutex};

use ark_serialize::CanonicalSerialize;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};
use zkinvoice_anchors::{AnchorLog, Body, CreditCarried, KeySetup, PartySecret, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, MsaCommitDoc, StateOpening, UsageCommitDoc},
    Msa, Period, Salt, Shape, Usage, VolumeState,
};
use zkinvoice_mef141::{CustomerBill, CustomerBillEvent, ZkProof};
use zkinvoice_prover::{
    reconcile::{ProvedReconciliation, ReconcileEnvelope, ReconcileKeys},
    InvoiceKeys, ProveRequest, Proved,
};
use zkinvoice_testkit::{
    bless,
    examples::{weekly_usage, MSA, NOVEMBER, OCTOBER},
    model::usage,
    reconciled::{prove_measurement, BUYER_DECEMBER, SELLER_RECORDS},
};

/// The period the fixture's parties measured.
const DECEMBER: &str = "2026-12-01..2027-01-01";
use zkinvoice_verifier::fr_to_hex;

/// The seeds and fixtures made so far: (path in the workspace, content).
static MADE: Mutex<Vec<(String, Vec<u8>)>> = Mutex::new(Vec::new());

fn made(rel: String, content: Vec<u8>) {
    MADE.lock().expect("not poisoned").push((rel, content));
}

/// Seeds of `target`, each `(name, options byte if the target takes one, content)`.
fn seeds(target: &str, seeds: &[(&str, Option<u8>, &[u8])]) {
    for (name, options, content) in seeds {
        let mut bytes = Vec::from_iter(*options);
        bytes.extend_from_slice(content);
        made(format!("fuzz/corpus/{target}/{name}"), bytes);
    }
}

fn fixture(name: &str, content: &[u8]) {
    made(format!("fuzz/fixtures/{name}"), content.to_vec());
}

/// Every file under `dir` (a path in the workspace), as paths in the workspace.
fn files_under(dir: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_string()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(bless::path(&d)).into_iter().flatten().flatten() {
            let rel = format!("{d}/{}", e.file_name().to_string_lossy());
            if e.path().is_dir() {
                stack.push(rel);
            } else {
                out.insert(rel);
            }
        }
    }
    out
}

/// A document as the CLI writes it: pretty JSON and a newline.
fn pretty<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("serialises");
    bytes.push(b'\n');
    bytes
}

/// The first `n` records of a JSON usage file, and of a CSV one (with its header).
fn first_records(json: &str, csv: &str, n: usize) -> (Value, String) {
    let mut doc: Value = serde_json::from_str(json).expect("usage JSON");
    doc["records"].as_array_mut().expect("records").truncate(n);
    let rows: Vec<&str> = csv.lines().take(n + 1).collect();
    (doc, rows.join("\n") + "\n")
}

/// The usage targets' options: the period (see `zkinvoice_fuzz::period`) and the aggregation.
fn usage_options(period: u8, aggregate_days: u8) -> Option<u8> {
    Some(period | (aggregate_days << 2))
}

fn model_seeds() {
    let edges = json!({
        "id": "MSA-EDGES",
        "seller": {"id": "s", "name": "S", "billingAddress": {"street": "1", "city": "C", "postcode": "1", "country": "GB"}},
        "buyer": {"id": "b", "name": "B", "billingAddress": {"street": "2", "city": "C", "postcode": "2", "country": "US"}},
        "currency": "BHD",
        "taxRatePercent": "100",
        "paymentTerms": {"netDays": 4294967295u32},
        "validity": {"from": "1970-01-01", "until": "9999-12-31"},
        "products": [
            {"id": "v", "name": "V", "unit": "u", "pricing": {"model": "volume", "tiers": [
                {"from": 0, "price": "18446744073.709551615"},
                {"from": "9223372036854775807", "price": "0.000000001"}]},
             "orderReference": "PO"},
            {"id": "r", "name": "R", "unit": "u",
             "recurring": {"fee": "18446744073.709551615", "orderedQuantity": "18446744073709551615"},
             "orderReference": "PO/1/2"}
        ]
    });
    seeds(
        "msa_json",
        &[
            ("example", None, MSA.as_bytes()),
            ("edges", None, &pretty(&edges)),
        ],
    );
    let december = include_str!("../../examples/usage-2026-12.json");
    let (october, november) = first_records(OCTOBER, NOVEMBER, 6);
    let (december, _) = first_records(december, NOVEMBER, 6);
    let (oct, nov, dec) = (pretty(&october), november.as_bytes(), pretty(&december));
    let opt = usage_options;
    seeds(
        "usage_json",
        &[
            ("october-6", opt(0, 0), &oct),
            ("october-6-period", opt(1, 0), &oct),
            ("december-6-weekly", opt(3, 7), &dec),
        ],
    );
    let october_sla = br#"{ "period": { "start": "2026-10-01", "end": "2026-11-01" }, "records": [
  { "product": "eline-ovc-1g", "availabilityPercent": "99.42" },
  { "product": "ip-transit", "availabilityPercent": "98.9999" } ] }"#;
    seeds(
        "sla_json",
        &[
            (
                "november",
                None,
                include_bytes!("../../examples/sla-2026-11.json"),
            ),
            ("october", None, october_sla),
        ],
    );
    seeds(
        "usage_csv",
        &[
            ("november-6", opt(2, 0), nov),
            ("november-6-weekly", opt(2, 7), nov),
            ("november-6-no-period", opt(0, 0), nov),
        ],
    );
}

/// The example bilateral at shape S: keys, commitments, both parties' log, October proved.
struct World {
    msa: Msa,
    keys: InvoiceKeys,
    key_files: tempfile::TempDir,
    seller: PartySecret,
    buyer: PartySecret,
    msa_commit: MsaCommitDoc,
    usage_commits: Vec<UsageCommitDoc>,
    state0: StateOpening,
    proved: Proved,
    /// December measured by both parties (in the agreed fixture) and their reconciliation.
    december: ProvedReconciliation,
    log: AnchorLog,
    _log_dir: tempfile::TempDir,
}

fn both(body: Body, w: (&PartySecret, &PartySecret)) -> Proposal {
    Proposal::new(body)
        .signed(Role::Seller, w.0)
        .signed(Role::Buyer, w.1)
}

fn world() -> World {
    let mut rng = ChaCha20Rng::seed_from_u64(1412);
    let shape = Shape::S;
    let msa = Msa::from_json(MSA).expect("the example MSA");
    let keys = InvoiceKeys::setup(shape, &mut rng).expect("setup");
    let key_files = tempfile::tempdir().expect("a temporary directory");
    keys.write(key_files.path(), false).expect("writes the keys");
    // The fuzz targets' fixture keys (`zkinvoice_fuzz::{seller, buyer}`).
    let (seller, buyer) = (
        PartySecret::from_bytes(&[1; 32]),
        PartySecret::from_bytes(&[2; 32]),
    );
    let msa_salt = Salt::random(&mut rng);
    let msa_c = commit::msa_commitment(&msa, shape, &msa_salt).expect("commits");
    let state0 =
        StateOpening::new(msa_c, VolumeState::initial(&msa), shape, Salt::random(&mut rng)).expect("state 0");
    let msa_commit = MsaCommitDoc {
        shape: shape.name.into(),
        msa_id: msa.id.clone(),
        commitment: msa_c,
        salt: msa_salt.to_hex(),
        state0: state0.commitment,
    };
    let log_dir = tempfile::tempdir().expect("a temporary directory");
    let log =
        AnchorLog::create(&log_dir.path().join("a.db"), &seller.public(), &buyer.public()).expect("a log");
    log.append(both(
        Body::msa_agreed(
            &msa.id,
            msa_c.0,
            state0.commitment.0,
            shape.name,
            &keys.verifying.clone().into(),
            KeySetup::SingleParty,
        ),
        (&seller, &buyer),
    ))
    .expect("msa-agreed");
    let usages: [Usage; 2] = weekly_usage(&msa);
    let mut usage_commits = Vec::new();
    for usage in &usages {
        let salt = Salt::random(&mut rng);
        let c = commit::usage_commitment(msa_c, &msa, usage, shape, &salt).expect("commits");
        let doc = UsageCommitDoc {
            shape: shape.name.into(),
            msa_commitment: msa_c,
            period: usage.period.to_doc(),
            records: usage.records.len(),
            commitment: c,
            detail_root: hex::encode(commit::usage_detail_root(usage, &salt)),
            salt: salt.to_hex(),
        };
        log.append(both(
            Body::UsageAgreed {
                msa_commitment: msa_c.0,
                period_start: doc.period.start.clone(),
                period_end: doc.period.end.clone(),
                usage_commitment: c.0,
                usage_detail_root: doc.detail_root.clone(),
            },
            (&seller, &buyer),
        ))
        .expect("usage-agreed");
        usage_commits.push(doc);
    }
    let december = reconciliation(&log, (&keys, &state0), (&msa, &msa_salt), (&seller, &buyer));
    let usage_salt: Salt = usage_commits[0].salt.parse().expect("a salt");
    let proved = zkinvoice_prover::prove(
        &keys,
        &ProveRequest {
            msa: &msa,
            msa_salt: &msa_salt,
            usage: &usages[0],
            usage_salt: &usage_salt,
            expected_usage: Some(usage_commits[0].commitment),
            before: &state0,
            invoice_number: "INV-2026-10",
        },
        &mut rng,
    )
    .expect("proves October");
    World {
        msa,
        keys,
        key_files,
        seller,
        buyer,
        msa_commit,
        usage_commits,
        state0,
        proved,
        december,
        log,
        _log_dir: log_dir,
    }
}

/// The reconciliation's entries of the agreed fixture (a randomness of their own, so that the
/// other files stay as they were): the reconciliation key (shape S) and December measured by
/// both parties from `state_0` (`zkinvoice_testkit::reconciled`'s quantities, within the
/// thresholds, each proven with the invoice statement), whose reconciliation is returned, proved.
fn reconciliation(
    log: &AnchorLog,
    (keys, state0): (&InvoiceKeys, &StateOpening),
    (msa, msa_salt): (&Msa, &Salt),
    parties: (&PartySecret, &PartySecret),
) -> ProvedReconciliation {
    let mut rng = ChaCha20Rng::seed_from_u64(1416);
    let reconcile_keys = ReconcileKeys::generate(Shape::S, &mut rng).expect("a setup");
    let msa_c = state0.msa_commitment;
    log.append(both(
        Body::statement_key_agreed(msa_c.0, reconcile_keys.verifying_key(), KeySetup::SingleParty),
        parties,
    ))
    .expect("statement-key-agreed");
    let period: Period = DECEMBER.parse().expect("a period");
    let mut measured = Vec::new();
    for (role, records, key) in [
        (Role::Seller, SELLER_RECORDS, parties.0),
        (Role::Buyer, BUYER_DECEMBER, parties.1),
    ] {
        let m = prove_measurement(
            keys,
            (msa, msa_salt),
            state0,
            &usage(msa, period, records),
            role.as_str(),
            &mut rng,
        );
        let env = &m.proved.envelope;
        let body = Body::usage_measured(
            &env.public_inputs,
            &env.invoice.period.start,
            &env.invoice.period.end,
            role,
            &env.proof,
        );
        log.append(Proposal::new(body).signed(role, key))
            .expect("usage-measured");
        measured.push(m);
    }
    let (s, b) = (&measured[0], &measured[1]);
    let proved = reconcile_keys
        .prove(
            msa,
            msa_salt,
            (&s.proved.rated.invoice, &s.invoice_salt),
            (&b.proved.rated.invoice, &b.invoice_salt),
            &mut rng,
        )
        .expect("proves");
    // The reconciliation envelope (`reconcile_envelope`, v1) and its key.
    fixture("reconcile-S.vk", &reconcile_keys.verifying_key().to_bytes());
    let env = ReconcileEnvelope::new(&proved, period.to_doc(), &reconcile_keys);
    seeds("reconcile_envelope", &[("v1", Some(0), &pretty(&env))]);
    proved
}

/// The reconciliation of partitioned invoices (`reconcile_envelope`, bit 0 set): seeded keys at
/// PS (fixtures), the testkit's nine products in three blocks, over on two products.
fn reconcile_v2_seeds() {
    use zkinvoice_circuits::partition::PartitionShape;
    use zkinvoice_prover::reconcile::partitioned::{PartitionedReconcileEnvelope, PartitionedReconcileKeys};
    use zkinvoice_testkit::model::{
        october_invoice, thresholded_partitioned_msa, PARTITIONED_OVER, PARTITIONED_SELLER,
    };
    let mut rng = ChaCha20Rng::seed_from_u64(2614);
    let keys = PartitionedReconcileKeys::generate(PartitionShape::PS, &mut rng).expect("keys");
    fixture("reconcile-v2-block-PS.vk", &keys.block.verifying_key().to_bytes());
    fixture("reconcile-v2-link-link.vk", &keys.link.verifying_key().to_bytes());
    let msa = thresholded_partitioned_msa();
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    let seller = october_invoice(&msa, &PARTITIONED_SELLER, "INV-1");
    let buyer = october_invoice(&msa, &PARTITIONED_OVER, "INV-1-B");
    let proved = keys
        .prove(
            &msa,
            &salts[0],
            (&seller, &salts[1]),
            (&buyer, &salts[2]),
            &mut rng,
        )
        .expect("proves");
    let env = PartitionedReconcileEnvelope::new(&proved, seller.period.to_doc(), &keys);
    env.verify(&keys.verifying_keys()).expect("verifies");
    seeds("reconcile_envelope", &[("v2-over", Some(1), &pretty(&env))]);
    let proof = zkinvoice_verifier::partition::reconcile::PartitionedReconcileProof {
        public: proved.public,
        proofs: proved.proofs,
    };
    seeds(
        "proof",
        &[
            ("reconcile-v2", Some(7), &proof.to_bytes()),
            ("reconcile-key-set", Some(8), &keys.key_set().to_bytes()),
        ],
    );
}

fn export(log: &AnchorLog) -> Vec<u8> {
    let mut out = Vec::new();
    log.export_jsonl(&mut out).expect("exports");
    out
}

/// The October bill (`zkinvoice invoice`).
fn october_bill(w: &World) -> CustomerBill {
    let env = &w.proved.envelope;
    let salt: Salt = env
        .invoice
        .commitment
        .as_ref()
        .expect("an opening")
        .salt
        .parse()
        .expect("a salt");
    let zk = ZkProof::of_envelope(env, &salt);
    CustomerBill::from_proved(&w.proved.rated.invoice, &w.msa, &w.proved.after.state, zk).expect("a bill")
}

fn file_seeds(w: &World) {
    let env = &w.proved.envelope;
    let (state0, state1) = (pretty(&w.state0.to_doc(&w.msa)), pretty(&env.state_after));
    seeds(
        "state_file",
        &[
            ("state-0", Some(0), &state0),
            ("state-1", Some(0), &state1),
            ("state-1-recommitted", Some(1), &state1),
        ],
    );
    let (msa, usage) = (pretty(&w.msa_commit), pretty(&w.usage_commits[0]));
    seeds(
        "commit_files",
        &[("msa", Some(1), &msa), ("usage-2026-10", Some(0), &usage)],
    );
    let env = pretty(env);
    seeds(
        "envelope",
        &[("october", Some(0), &env), ("october-recommitted", Some(1), &env)],
    );
    let bill = october_bill(w);
    let settled = pretty(&bill.settled("SEPA 2026-12-01 globex-cloud/INV-2026-10"));
    // With a credit note applied (its opening made up: the target reads, it does not check the log).
    let line = |product: &str, credit: &str| zkinvoice_prover::credit::CreditOpeningLine {
        product: product.into(),
        credit: credit.into(),
    };
    let credited = bill
        .credited(zkinvoice_prover::credit::CreditOpening {
            credit_commitment: format!("0x{}", "1".repeat(64)),
            number: "CN-INV-2026-10".into(),
            issue_date: "2026-11-02".into(),
            currency: "USD".into(),
            lines: vec![line("eline-ovc-1g", "435.00"), line("ip-transit", "0.00")],
            subtotal: "435.00".into(),
            tax: "38.61".into(),
            total: "473.61".into(),
            salt: "ab".repeat(31),
        })
        .expect("credited");
    let credited = pretty(&credited.settled("SEPA 2026-12-01 globex-cloud/INV-2026-10"));
    let (bill, compact) = (pretty(&bill), serde_json::to_vec(&bill).expect("serialises"));
    seeds(
        "bill",
        &[
            ("october", None, &bill),
            ("october-compact", None, &compact),
            ("october-settled", None, &settled),
            ("october-credited", None, &credited),
        ],
    );
    fixture("bill-2026-10.json", &bill);
}

fn key_seeds(w: &World) {
    let [pk_name, vk_name, manifest_name] = zkinvoice_prover::keys::file_names(Shape::S);
    let read = |name: &str| fs::read(w.key_files.path().join(name)).expect("reads a key file");
    let vk = read(&vk_name);
    fixture("invoice-S.vk", &vk);
    // A proving key of the fixture key with two elements in each query: the whole key (megabytes)
    // is too large to fuzz.
    assert!(!read(&pk_name).is_empty());
    let mut pk = w.keys.proving.as_ark().expect("made by setup").clone();
    for q in [
        &mut pk.a_query,
        &mut pk.b_g1_query,
        &mut pk.h_query,
        &mut pk.l_query,
    ] {
        q.truncate(2);
    }
    pk.b_g2_query.truncate(2);
    let mut pk_bytes = Vec::new();
    pk.serialize_uncompressed(&mut pk_bytes).expect("serialises");
    let manifest = read(&manifest_name);
    // A statement's matrices: x * x = y with y public (wires 0 the one, 1 y, 2 x); the real
    // files (`invoice-S.r1cs`, megabytes) are too large to fuzz.
    let one = zkinvoice_circuits::Fr::from(1u64);
    let (a, b, c) = (vec![vec![(one, 2)]], vec![vec![(one, 2)]], vec![vec![(one, 1)]]);
    let square =
        zkinvoice_circuits::statement::R1cs::from_rows("fuzz", 2, 1, [&a, &b, &c]).expect("matrices");
    let r1cs = zkinvoice_circuits::statement::r1cs::circom::r1cs_file(&square);
    seeds(
        "keys",
        &[
            ("vk", Some(0), &vk),
            ("manifest", Some(1), &manifest),
            ("pk-truncated", Some(2), &pk_bytes),
            ("r1cs", Some(3), &r1cs),
        ],
    );

    let env = &w.proved.envelope;
    let proof = env.proof.to_bytes();
    let inputs = env.public_inputs.to_json();
    let (base64, fr) = (
        env.proof.to_base64(),
        fr_to_hex(&env.public_inputs.msa_commitment),
    );
    seeds(
        "proof",
        &[
            ("bytes", Some(0), &proof),
            ("base64", Some(1), base64.as_bytes()),
            ("public-inputs", Some(2), inputs.as_bytes()),
            ("field-element", Some(3), fr.as_bytes()),
            ("verify", Some(4), &[&proof[..], inputs.as_bytes()].concat()),
        ],
    );
}

fn anchor_seeds(w: &World) {
    let agreed = export(&w.log);
    fixture("agreed.jsonl", &agreed);
    let env = &w.proved.envelope;
    let inputs = &env.public_inputs;
    let period = &env.invoice.period;
    let proved = Proposal::new(Body::invoice_proved(
        inputs,
        &env.invoice.number,
        &period.start,
        &period.end,
        &env.proof,
    ))
    .signed(Role::Seller, &w.seller);
    let accepted = Proposal::new(Body::InvoiceAccepted {
        msa_commitment: inputs.msa_commitment,
        invoice_commitment: inputs.invoice_commitment,
    })
    .signed(Role::Buyer, &w.buyer);
    let rejected = Proposal::new(Body::InvoiceRejected {
        msa_commitment: inputs.msa_commitment,
        invoice_commitment: inputs.invoice_commitment,
        reason: "the rate of ip-transit is not the agreed one".into(),
    })
    .signed(Role::Buyer, &w.buyer);
    let reference = "SEPA 2026-12-01 GLOBEX/INV-2026-10".to_string();
    let payment = Proposal::new(Body::Payment {
        msa_commitment: inputs.msa_commitment,
        invoice_commitment: inputs.invoice_commitment,
        paid_on: "2026-12-01".into(),
        reference: reference.clone(),
    })
    .signed(Role::Buyer, &w.buyer);
    let received = Proposal::new(Body::PaymentReceived {
        msa_commitment: inputs.msa_commitment,
        invoice_commitment: inputs.invoice_commitment,
        received_on: "2026-12-03".into(),
        reference,
    })
    .signed(Role::Seller, &w.seller);
    // A netting of October against an invoice of another bilateral (refused by the agreed
    // fixture: no netting key; the parser and the signature rule read it whole).
    let netted = Proposal::new(Body::InvoicesNetted {
        msa_commitment: inputs.msa_commitment,
        invoice_commitment: inputs.invoice_commitment,
        other_msa_commitment: inputs.usage_commitment,
        other_invoice_commitment: inputs.state_after,
        other_accepted: "ab".repeat(64),
        period_start: period.start.clone(),
        period_end: period.end.clone(),
        payer: Role::Buyer,
        net_commitment: inputs.state_before,
        proof: env.proof.to_base64(),
        parts: None,
    })
    .signed(Role::Seller, &w.seller)
    .signed(Role::Buyer, &w.buyer);
    // The same of two partitioned invoices, with their parts (refused likewise).
    let part = |head, parts| zkinvoice_verifier::partition::Parts { head, parts };
    let netted_parts = both(
        netted.body.clone().with_netted_parts(&[
            part(
                inputs.usage_commitment,
                vec![inputs.state_before, inputs.state_after],
            ),
            part(inputs.msa_commitment, vec![inputs.invoice_commitment]),
        ]),
        (&w.seller, &w.buyer),
    );
    let net_paid = Proposal::new(Body::NetPayment {
        msa_commitment: inputs.msa_commitment,
        net_commitment: inputs.state_before,
        by: Role::Buyer,
        paid_on: "2027-01-31".into(),
        reference: "SWIFT 2027-01-31 NET/INV-2026-10".into(),
    })
    .signed(Role::Buyer, &w.buyer);
    let net_received = Proposal::new(Body::NetPaymentReceived {
        msa_commitment: inputs.msa_commitment,
        net_commitment: inputs.state_before,
        by: Role::Seller,
        received_on: "2027-02-01".into(),
        reference: "SWIFT 2027-01-31 NET/INV-2026-10".into(),
    })
    .signed(Role::Seller, &w.seller);
    // October's SLA performance and a credit note of October (refused by the agreed fixture: no
    // credit key; the parser and the signature rule read them whole).
    let sla_agreed = both(
        Body::SlaAgreed {
            msa_commitment: inputs.msa_commitment,
            period_start: period.start.clone(),
            period_end: period.end.clone(),
            sla_commitment: inputs.usage_commitment,
        },
        (&w.seller, &w.buyer),
    );
    let credit_note = Proposal::new(Body::CreditNote {
        msa_commitment: inputs.msa_commitment,
        invoice_commitment: inputs.invoice_commitment,
        period_start: period.start.clone(),
        period_end: period.end.clone(),
        credit_commitment: inputs.state_after,
        proof: env.proof.to_base64(),
    })
    .signed(Role::Seller, &w.seller);
    // That note carried to October (refused by the agreed fixture: no such note).
    let credit_carried = both(
        Body::CreditCarried(CreditCarried {
            msa_commitment: inputs.msa_commitment,
            credit_commitment: inputs.state_after,
            invoice_commitment: inputs.invoice_commitment,
        }),
        (&w.seller, &w.buyer),
    );
    // A disputed period's part: its partial usage and invoice (refused by the agreed fixture: no
    // dispute is open; the parser and the signature rule read them whole).
    let usage_partial = both(
        Body::UsagePartial {
            msa_commitment: inputs.msa_commitment,
            period_start: period.start.clone(),
            period_end: period.end.clone(),
            usage_commitment: inputs.usage_commitment,
            usage_detail_root: "ab".repeat(32),
        },
        (&w.seller, &w.buyer),
    );
    let invoice_partial = Proposal::new(proved.body.clone().into_partial()).signed(Role::Seller, &w.seller);
    let msa_agreed = both(
        Body::msa_agreed(
            &w.msa.id,
            w.msa_commit.commitment.0,
            w.msa_commit.state0.0,
            "S",
            &w.keys.verifying.clone().into(),
            KeySetup::SingleParty,
        ),
        (&w.seller, &w.buyer),
    );
    let text = |p: &Proposal| p.to_json().into_bytes();
    let (msa_agreed, accepted_text) = (text(&msa_agreed), text(&accepted));
    let (proved_text, rejected) = (text(&proved), text(&rejected));
    let [reconciled, disputed, resolved, measured] = reconciliation_proposals(w).map(|p| text(&p));
    seeds(
        "proposal",
        &[
            ("msa-agreed", Some(0), &msa_agreed),
            ("invoice-proved", Some(0), &proved_text),
            ("invoice-proved-resigned", Some(1), &proved_text),
            ("invoice-accepted", Some(0), &accepted_text),
            ("invoice-rejected", Some(0), &rejected),
            ("usage-reconciled", Some(0), &reconciled),
            ("dispute-opened", Some(1), &disputed),
            ("dispute-resolved", Some(0), &resolved),
            ("usage-measured", Some(0), &measured),
            ("payment", Some(0), &text(&payment)),
            ("payment-received", Some(0), &text(&received)),
            ("invoices-netted", Some(0), &text(&netted)),
            ("invoices-netted-parts", Some(0), &text(&netted_parts)),
            ("net-payment", Some(0), &text(&net_paid)),
            ("net-payment-received", Some(0), &text(&net_received)),
            ("sla-agreed", Some(0), &text(&sla_agreed)),
            ("credit-note", Some(0), &text(&credit_note)),
            ("credit-carried", Some(0), &text(&credit_carried)),
            ("usage-partial", Some(0), &text(&usage_partial)),
            ("invoice-partial", Some(0), &text(&invoice_partial)),
        ],
    );
    w.log.append(proved).expect("invoice-proved");
    w.log.append(accepted).expect("invoice-accepted");
    let all = export(&w.log);
    w.log.append(payment).expect("payment");
    w.log.append(received).expect("payment-received");
    let settled = export(&w.log);
    seeds(
        "jsonl_import",
        &[
            ("agreed", Some(0), &agreed),
            ("accepted", Some(0), &all),
            ("accepted-resealed", Some(1), &all),
            ("settled", Some(0), &settled),
        ],
    );
}

/// December's reconciliation (admitted by the agreed fixture); a dispute of it claiming the
/// first product over (refused: the proof is of another verdict); a resolution (refused: no
/// dispute is open); and a Seller's measurement labelled January, October's invoice proof.
fn reconciliation_proposals(w: &World) -> [Proposal; 4] {
    let p = &w.december.public;
    let (start, end) = ("2026-12-01".to_string(), "2027-01-01".to_string());
    let reconciled = Body::UsageReconciled {
        msa_commitment: p.msa_commitment,
        period_start: start.clone(),
        period_end: end.clone(),
        by: Role::Seller,
        proof: w.december.proof.to_base64(),
    };
    let disputed = Body::DisputeOpened {
        msa_commitment: p.msa_commitment,
        period_start: start.clone(),
        period_end: end.clone(),
        by: Role::Buyer,
        over: zkinvoice_verifier::Fr::from(1u64),
        proof: w.december.proof.to_base64(),
    };
    let resolved = Body::DisputeResolved {
        msa_commitment: p.msa_commitment,
        period_start: start,
        period_end: end,
        usage_commitment: w.usage_commits[0].commitment.0,
        resolution: "the Seller's usage stands".into(),
    };
    let env = &w.proved.envelope;
    let measured = Body::usage_measured(
        &env.public_inputs,
        "2027-01-01",
        "2027-02-01",
        Role::Seller,
        &env.proof,
    );
    [
        Proposal::new(reconciled).signed(Role::Seller, &w.seller),
        Proposal::new(disputed).signed(Role::Buyer, &w.buyer),
        both(resolved, (&w.seller, &w.buyer)),
        Proposal::new(measured).signed(Role::Seller, &w.seller),
    ]
}

fn service_seeds(w: &World) {
    let bill = october_bill(w);
    let event = CustomerBillEvent::created(
        "1",
        "2026-11-01T00:00:05Z",
        &bill.id,
        Some(format!("http://127.0.0.1:8141/customerBill/{}", bill.id)),
    );
    let hub = json!({"callback": "http://127.0.0.1:8142", "query": "eventType=customerBillCreateEvent"});
    let event = serde_json::to_vec(&event).expect("serialises");
    let hub = serde_json::to_vec(&hub).expect("serialises");
    let bill = serde_json::to_vec(&bill).expect("serialises");
    // The Buyer's measurement (the fixture's proved envelope) and December's reconciliation.
    let measurement = pretty(&w.proved.envelope);
    let reconciliation = pretty(&ReconcileEnvelope {
        scheme: zkinvoice_verifier::SCHEME.into(),
        statement: zkinvoice_circuits::statement::reconcile::STATEMENT.into(),
        shape: "S".into(),
        vk_hash: "0".repeat(64),
        period: "2026-12-01..2027-01-01"
            .parse::<Period>()
            .expect("a period")
            .to_doc(),
        public_inputs: w.december.public,
        proof: w.december.proof.clone(),
    });
    seeds(
        "service_bodies",
        &[
            ("event", Some(0), &event),
            ("hub", Some(1), &hub),
            ("bill", Some(2), &bill),
            ("measurement", Some(3), &measurement),
            ("reconciliation", Some(4), &reconciliation),
        ],
    );
    let queries: [(&str, u8, &str); 4] = [
        ("filters", 0, "billingAccount.id=MSA-2026-0042&billingPeriod.startDateTime.gt=2026-09-30T00%3A00%3A00Z&billingPeriod.endDateTime.lt=2026-12-01T00:00:00%2B01:00&category=normal&state=generated&offset=0&limit=10"),
        ("page", 0, "limit=1000&offset=1&buyerId=globex-cloud&sellerId=northwind-carrier"),
        ("hub-both", 1, "eventType=customerBillCreateEvent,customerBillStateChangeEvent"),
        ("hub-spaces", 1, " eventType = customerBillStateChangeEvent "),
    ];
    let queries = queries.map(|(name, options, query)| (name, Some(options), query.as_bytes()));
    seeds("service_queries", &queries);
}

/// A partitioned invoice (partition shape PS) of a seeded bilateral: its envelope (checked
/// against the fixture's v1 key: decoded and opened, then refused), its proofs' encoding and its
/// key set's.
fn partitioned_seeds() {
    use zkinvoice_circuits::partition::PartitionShape;
    use zkinvoice_prover::partition::PartitionKeys;
    let mut rng = ChaCha20Rng::seed_from_u64(2613);
    let keys = PartitionKeys::generate(PartitionShape::PS, &mut rng).expect("keys");
    let (msa, usage, before) = zkinvoice_testkit::model::partitioned_bilateral(&mut rng);
    let env = zkinvoice_testkit::partitioned::prove_period(&keys, &msa, &usage, before, "INV-P-1", &mut rng)
        .envelope;
    seeds("envelope", &[("partitioned", Some(0), &pretty(&env))]);
    let set = keys.key_set().expect("keys").to_bytes();
    seeds(
        "proof",
        &[
            ("partitioned", Some(5), &env.proof.to_bytes()),
            ("key-set", Some(6), &set),
        ],
    );
    evm_seeds(&env.proof);
}

/// The anchor contract's calldata of a partitioned invoice's proofs (`evm_calldata`): its link
/// proof, the whole, a netting's over its invoice and usage parts, the proof's first two points.
fn evm_seeds(proofs: &zkinvoice_verifier::InvoiceProofs) {
    use zkinvoice_evm::encoding::{
        netting_heads_calldata, partitioned_calldata, proof_calldata, G1_BYTES, G2_BYTES,
    };
    let zkinvoice_verifier::InvoiceProofs::Partitioned(p) = proofs else {
        panic!("a partitioned invoice's proofs");
    };
    let proof = proof_calldata(&p.proofs.link);
    let parts = [p.public.invoice.clone(), p.public.usage.clone()];
    seeds(
        "evm_calldata",
        &[
            ("proof", Some(0), &proof),
            ("partitioned", Some(1), &partitioned_calldata(p)),
            (
                "netting-heads",
                Some(2),
                &netting_heads_calldata(&p.proofs.link, &parts),
            ),
            ("g1", Some(3), &proof[..G1_BYTES]),
            ("g2", Some(3), &proof[G1_BYTES..G1_BYTES + G2_BYTES]),
        ],
    );
}

#[test]
fn the_committed_fuzz_seeds_are_what_the_library_writes() {
    model_seeds();
    partitioned_seeds();
    reconcile_v2_seeds();
    let w = world();
    file_seeds(&w);
    key_seeds(&w);
    anchor_seeds(&w);
    service_seeds(&w);
    let made = std::mem::take(&mut *MADE.lock().expect("not poisoned"));
    let mut stale = Vec::new();
    for (rel, bytes) in &made {
        if bless::recorded_bytes(rel, bytes) != *bytes {
            stale.push(format!("{rel}: not what the library writes now"));
        }
    }
    let names: BTreeSet<&str> = made.iter().map(|(rel, _)| rel.as_str()).collect();
    for rel in files_under("fuzz/corpus")
        .into_iter()
        .chain(files_under("fuzz/fixtures"))
    {
        if !names.contains(rel.as_str()) {
            if bless::blessing() {
                fs::remove_file(bless::path(&rel)).expect("removes a file that is not a seed");
            } else {
                stale.push(format!("{rel}: not a seed this test writes (a fuzzer's input?)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrewrite the seeds with {}=1 and commit them (fuzz/README.md)",
        stale.join("\n"),
        bless::VAR
    );
}
