//! Known-answer vectors, in files, so that a second implementation of the protocol can test itself
//! against this one (`docs/protocol.md`, "Known-answer vectors"):
//!
//! * `tests/vectors/poseidon.json`: the Poseidon sponge on several inputs;
//! * `tests/vectors/commitments.json`: the encoding of identifiers and tags, and every
//!   commitment (MSA, usage, usage detail root, both states, invoice) with the aggregation
//!   challenge, for stated inputs: the example MSA, usage, states, invoice numbers and salts.
//!
//! The test recomputes both files from the code and fails on any change, showing the lines that
//! differ. After a deliberate change, regenerate them with
//!
//! ```text
//! ZKINVOICE_BLESS=1 cargo test -p zkinvoice-circuits --test vectors
//! ```

mod common;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use zkinvoice_circuits::{
    commit::{
        self,
        invoice::invoice_fields,
        msa::msa_fields,
        sla::{credit_commitment, credit_fields, sla_commitment, sla_fields, CreditBody},
        state::state_fields,
        usage::usage_fields,
    },
    encoding::{id_fe, tag, tag_fe},
    model::performance::{Sla, SlaDoc, SlaRecordDoc},
    native::credit::credit_note,
    native::{aggregate, poseidon},
    rate, Commitment, Fr, Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};
use zkinvoice_testkit::bless;

const REGENERATE: &str = "ZKINVOICE_BLESS=1 cargo test -p zkinvoice-circuits --test vectors";
const EXAMPLE_MSA: &str = include_str!("../../examples/msa.json");
const EXAMPLE_USAGE: &str = include_str!("../../examples/usage-2026-10.json");

/// A field element as `0x` and 64 big-endian hex digits (the commitments' text form).
fn fe(v: Fr) -> String {
    Commitment(v).to_string()
}

fn fes(v: &[Fr]) -> Vec<String> {
    v.iter().map(|&x| fe(x)).collect()
}

/// The salt whose 31 bytes are all `byte`.
fn salt(byte: u8) -> Salt {
    hex::encode([byte; 31]).parse().expect("62 hex digits")
}

fn poseidon_vectors() -> Value {
    let n = |v: u64| Fr::from(v);
    let inputs: Vec<(&str, Vec<Fr>)> = vec![
        ("empty", vec![]),
        ("one zero (absorbs like the empty input)", vec![n(0)]),
        ("one element", vec![n(1)]),
        ("two elements", vec![n(1), n(2)]),
        ("a trailing zero (absorbs like [1, 2])", vec![n(1), n(2), n(0)]),
        ("one full block", (1..=8).map(n).collect()),
        ("one block and one element", (1..=9).map(n).collect()),
        ("three blocks", (1..=24).map(n).collect()),
        ("the largest element, p - 1", vec![-n(1)]),
        (
            "a tag, a length and an element",
            vec![tag_fe(tag::ID), n(1), n(0x61)],
        ),
    ];
    let vectors: Vec<Value> = inputs
        .into_iter()
        .map(|(about, x)| json!({ "about": about, "inputs": fes(&x), "output": fe(poseidon::hash(&x)) }))
        .collect();
    json!({
        "about": "Known-answer vectors of the Poseidon sponge (docs/protocol.md, \"Poseidon\"): \
                  BLS12-381 scalar field, width 9 (rate 8, capacity 1), S-box x^5, 8 full and 63 \
                  partial rounds, round constants and MDS matrix from \
                  find_poseidon_ark_and_mds(255, 8, 8, 63, 0). output = absorb every input into a \
                  fresh sponge, squeeze one element. Field elements are 0x and 64 big-endian hex digits.",
        "regenerate": REGENERATE,
        "parameters": {
            "rate": poseidon::RATE,
            "capacity": poseidon::CAPACITY,
            "fullRounds": poseidon::FULL_ROUNDS,
            "partialRounds": poseidon::PARTIAL_ROUNDS,
            "alpha": poseidon::ALPHA,
        },
        "vectors": vectors,
    })
}

fn encoding_vectors() -> Value {
    let tags: BTreeMap<&str, String> = [
        tag::ID,
        tag::MSA,
        tag::MSA_TEXT,
        tag::MSA_TERMS,
        tag::MSA_PAYMENT,
        tag::MSA_THRESHOLDS,
        tag::MSA_SLA,
        tag::MSA_SLA_BANDS,
        tag::SLA,
        tag::CREDIT_NOTE,
        tag::NETTING,
        tag::USAGE,
        tag::STATE,
        tag::INVOICE,
        tag::AGGREGATE,
    ]
    .into_iter()
    .map(|t| (t, fe(tag_fe(t))))
    .collect();
    let ids: Vec<Value> = [
        "",
        "a",
        "MSA-2026-0042",
        &"x".repeat(31),
        &"x".repeat(32),
        "Zürich–Genève",
    ]
    .into_iter()
    .map(|s| json!({ "id": s, "idFe": fe(id_fe(s)) }))
    .collect();
    json!({ "tags": tags, "ids": ids })
}

/// One bilateral period: its inputs and every commitment made from them.
struct Case {
    about: &'static str,
    shape: Shape,
    /// The usage: the example file's name, or an inline document.
    usage: Result<&'static str, Value>,
    /// `k` and the volumes of the state the period starts from.
    before: (u64, BTreeMap<&'static str, &'static str>),
    number: &'static str,
    /// With the encoded bodies (the field elements each commitment absorbs).
    bodies: bool,
}

fn cases() -> Vec<Case> {
    let small_usage = json!({
        "period": { "start": "2026-10-01", "end": "2026-11-01" },
        "records": [
            { "id": "r1", "product": "ip-transit", "quantity": 120000,
              "start": "2026-10-05T00:00:00Z", "end": "2026-10-05T01:00:00Z", "source": "seller" },
            { "id": "r2", "product": "voice-termination", "quantity": 5400,
              "start": "2026-10-06T10:00:00Z", "end": "2026-10-06T11:30:00Z", "source": "both" },
            { "id": "r3", "product": "compute-vcpu", "quantity": 720,
              "start": "2026-10-07T00:00:00Z", "end": "2026-10-08T00:00:00Z", "source": "seller" },
            { "id": "r0", "product": "ip-transit", "quantity": "30000",
              "start": "2026-10-31T23:00:00Z", "end": "2026-11-01T00:00:00Z", "source": "buyer" }
        ]
    });
    vec![
        Case {
            about: "shape S: the example MSA, four records crossing a tier of each tiered product \
                    from a state at k = 3",
            shape: Shape::S,
            usage: Err(small_usage),
            before: (
                3,
                BTreeMap::from([
                    ("compute-vcpu", "49500"),
                    ("eline-ovc-1g", "0"),
                    ("ip-transit", "90000"),
                    ("voice-termination", "995000"),
                ]),
            ),
            number: "INV-2026-10-S",
            bodies: true,
        },
        Case {
            about: "shape M: the example MSA and October's example usage (992 records) from state_0",
            shape: Shape::M,
            usage: Ok("examples/usage-2026-10.json"),
            before: (
                0,
                BTreeMap::from([
                    ("compute-vcpu", "0"),
                    ("eline-ovc-1g", "0"),
                    ("ip-transit", "0"),
                    ("voice-termination", "0"),
                ]),
            ),
            number: "INV-2026-10",
            bodies: false,
        },
    ]
}

/// The salts of a case, by what they open.
const SALTS: [(&str, u8); 7] = [
    ("msa", 0x01),
    ("usage", 0x02),
    ("stateBefore", 0x03),
    ("stateAfter", 0x04),
    ("invoice", 0x05),
    ("sla", 0x06),
    ("creditNote", 0x07),
];

/// The SLA performance of every case: the Ethernet line at 99.42 percent (below its 99.5 band),
/// IP transit at 98.9999 (below its 99 band).
const SLA_RECORDS: [(&str, &str); 2] = [("eline-ovc-1g", "99.42"), ("ip-transit", "98.9999")];

fn case_vectors(msa: &Msa, case: &Case) -> Value {
    let shape = case.shape;
    let [s_msa, s_usage, s_before, s_after, s_invoice, s_sla, s_credit] = SALTS.map(|(_, b)| salt(b));
    let usage = match &case.usage {
        Ok(_) => Usage::parse(EXAMPLE_USAGE, UsageFormat::Json, msa, None),
        Err(doc) => Usage::parse(&doc.to_string(), UsageFormat::Json, msa, None),
    }
    .expect("valid usage");
    let volumes = case
        .before
        .1
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let before = VolumeState::from_map(msa, case.before.0, &volumes).expect("valid state");
    let rated = rate(msa, &usage, &before, case.number).expect("rates");
    let (invoice, after) = (&rated.invoice, &rated.after);

    let mc = commit::msa_commitment(msa, shape, &s_msa).unwrap();
    let uc = commit::usage_commitment(mc, msa, &usage, shape, &s_usage).unwrap();
    let bc = commit::state_commitment(mc, &before, shape, &s_before).unwrap();
    let ac = commit::state_commitment(mc, after, shape, &s_after).unwrap();
    let ic = commit::invoice_commitment(invoice, shape, &s_invoice).unwrap();
    let detail_root = commit::usage_detail_root(&usage, &s_usage);
    let z = aggregate::challenge(uc.0, bc.0, ac.0);
    let sla = Sla::from_doc(
        &SlaDoc {
            period: invoice.period.to_doc(),
            records: SLA_RECORDS
                .iter()
                .map(|(p, a)| SlaRecordDoc {
                    product: (*p).into(),
                    availability_percent: (*a).into(),
                })
                .collect(),
        },
        msa,
    )
    .expect("valid SLA records");
    let sc = sla_commitment(mc, msa, &sla, shape, &s_sla).unwrap();
    let note = credit_note(msa, invoice, &sla, "CN-1", invoice.issue_date).expect("credits");
    let body = CreditBody::of(&note, shape);
    let cc = credit_commitment(&body, ic, &s_credit);

    // The body beside the commitment, if the case lists bodies.
    let opened = |mut v: Value, fields: Vec<Fr>| {
        if case.bodies {
            v["body"] = json!(fes(&fields));
        }
        v
    };
    let state = |s: &VolumeState, c: Commitment, fields: Vec<Fr>| {
        opened(
            json!({ "index": s.index, "volumes": s.to_map(msa), "commitment": c }),
            fields,
        )
    };
    let slots = invoice.slots().unwrap();
    json!({
        "about": case.about,
        "inputs": {
            "shape": shape.name,
            "msa": "examples/msa.json",
            "usage": match &case.usage { Ok(file) => json!(file), Err(doc) => doc.clone() },
            "stateBefore": { "index": case.before.0, "volumes": case.before.1 },
            "invoiceNumber": case.number,
            "salts": SALTS.iter().map(|&(what, b)| (what, salt(b).to_hex())).collect::<BTreeMap<_, _>>(),
        },
        "msa": opened(json!({ "commitment": mc }), msa_fields(msa, shape)),
        "usage": opened(
            json!({
                "records": usage.records.len(),
                "commitment": uc,
                "detailRoot": hex::encode(detail_root),
            }),
            usage_fields(mc.0, &usage, shape),
        ),
        "stateBefore": state(&before, bc, state_fields(mc.0, &before, shape)),
        "invoice": opened(
            json!({ "document": invoice.to_doc(None), "commitment": ic }),
            invoice_fields(invoice, &slots, shape),
        ),
        "stateAfter": state(after, ac, state_fields(mc.0, after, shape)),
        "aggregationChallenge": fe(z),
        "sla": opened(
            json!({ "records": SLA_RECORDS, "commitment": sc }),
            sla_fields(mc.0, &sla, shape),
        ),
        "creditNote": opened(
            json!({
                "number": note.number,
                "issueDate": note.issue_date.to_string(),
                "credits": body.slot_credits,
                "subtotal": note.subtotal,
                "tax": note.tax,
                "total": note.total,
                "commitment": cc,
            }),
            credit_fields(&body, ic.0),
        ),
    })
}

fn commitment_vectors() -> Value {
    let msa = Msa::from_json(EXAMPLE_MSA).expect("the example MSA is valid");
    let cases: Vec<Value> = cases().iter().map(|c| case_vectors(&msa, c)).collect();
    json!({
        "about": "Known-answer vectors of the canonical encoding and the commitments \
                  (docs/protocol.md, \"Canonical encoding\" and \"Commitments\"). Each case states its \
                  inputs: the MSA and usage (a file of the repository or an inline document), the \
                  state the period starts from, the invoice number and the salts (31 bytes, hex; \
                  the usage's salt also salts the usage detail root). The invoice and the state after are \
                  the reference rater's; the SLA performance is every case's (its records, the \
                  invoice's period) and the credit note the reference one of the invoice under it. A body lists the field elements a commitment absorbs between \
                  its length and its salt. Field elements are 0x and 64 big-endian hex digits.",
        "regenerate": REGENERATE,
        "encoding": encoding_vectors(),
        "cases": cases,
    })
}

/// The lines of `want` and `got` that differ, with their line numbers; `None` if equal.
fn diff(want: &str, got: &str) -> Option<String> {
    if want == got {
        return None;
    }
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = String::new();
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b {
            if let Some(a) = a {
                out += &format!("{:>5} - {a}\n", i + 1);
            }
            if let Some(b) = b {
                out += &format!("{:>5} + {b}\n", i + 1);
            }
        }
    }
    Some(out)
}

fn check(file: &str, v: &Value) {
    let text = serde_json::to_string_pretty(v).expect("serialises") + "\n";
    let recorded = bless::recorded(file, &text);
    if let Some(d) = diff(&recorded, &text) {
        panic!("{file} (-) differs from the code (+); if the change is deliberate, run `{REGENERATE}`:\n{d}");
    }
}

#[test]
fn poseidon_matches_its_known_answers() {
    check("circuits/tests/vectors/poseidon.json", &poseidon_vectors());
}

#[test]
fn encoding_and_commitments_match_their_known_answers() {
    check("circuits/tests/vectors/commitments.json", &commitment_vectors());
}

/// An MSA without the terms after the invoice (issue 16) commits exactly as before they existed:
/// the example MSA without them gives the commitments recorded in the known answers before the
/// example gained them (shape S and M, the MSA's salt of bytes 0x01).
#[test]
fn an_msa_without_the_terms_after_the_invoice_commits_as_before_them() {
    let mut msa = Msa::from_json(EXAMPLE_MSA).expect("the example MSA");
    assert!(!msa.terms.is_empty(), "the example sets them");
    let with = commit::msa_commitment(&msa, Shape::S, &salt(1)).unwrap();
    msa.terms = zkinvoice_circuits::model::msa::Terms::default();
    for (shape, before) in [
        (
            Shape::S,
            "0x0d80ea6b079853a853d1bd0e751490b92dcc095e482775c6e10b306e6d6f1ec6",
        ),
        (
            Shape::M,
            "0x4d64b7c951bdc2070d868c586ba3c24e21968dc43c31fbb2c84e9829dc51d8cd",
        ),
    ] {
        let c = commit::msa_commitment(&msa, shape, &salt(1)).unwrap();
        assert_eq!(fe(c.0), before, "shape {shape:?}");
    }
    assert_ne!(
        fe(with.0),
        fe(commit::msa_commitment(&msa, Shape::S, &salt(1)).unwrap().0)
    );
}
