//! The rules of each kind: replays refused, and what an MSA, a usage agreement, a proved invoice
//! and a decision must follow.

use zkinvoice_anchors::{Body, Fr, KeySetup, Rule};
use zkinvoice_verifier::VerifyError;

use crate::common::*;
use crate::{assert_refused, refused, with_proved};

#[test]
fn replayed_entries_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    let flow = full_flow();
    for (i, p) in flow.iter().enumerate() {
        log.append(p.clone()).unwrap();
        let (seq, rule) = refused(&log, p.clone());
        assert_eq!(seq, i as u64 + 2);
        let why = match i {
            0 => matches!(rule, Rule::MsaAlreadyAnchored { seq: 1, .. }),
            1 | 4 => matches!(rule, Rule::UsageAlreadyAgreed { seq, .. } if seq == i as u64 + 1),
            2 | 5 => matches!(rule, Rule::InvoiceAlreadyAnchored { seq, .. } if seq == i as u64 + 1),
            3 => matches!(rule, Rule::AlreadyAccepted { seq: 4, .. }),
            _ => matches!(rule, Rule::AlreadyRejected { seq: 7, .. }),
        };
        assert!(why, "entry {}: {rule:?}", i + 1);
    }
    // Every earlier entry replayed at the end is refused too.
    for p in &flow {
        assert_eq!(refused(&log, p.clone()).0, 8);
    }
    assert_eq!(log.verify_log().unwrap().entries, 7);
}

/// `msa-agreed` names how the keys were made: a ceremony with a transcript hash and two or more
/// distinct contributors, or an explicit single-party setup (both parties sign every
/// `msa-agreed`); a ceremony by one party, a malformed hash, a bad name or no `keySetup` at all is
/// refused.
#[test]
fn keys_are_anchored_only_with_a_multi_party_ceremony_or_a_single_party_setup_both_signed() {
    let hash = "ab".repeat(32);
    let with = |setup: KeySetup| {
        with_proved(&msa_body(), |b| {
            if let Body::MsaAgreed { key_setup, .. } = b {
                *key_setup = setup;
            }
        })
    };
    let ceremony = |h: &str, names: &[&str]| {
        with(KeySetup::ceremony(
            h,
            names.iter().map(|n| n.to_string()).collect(),
        ))
    };
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    for names in [&[][..], &["seller"], &["buyer", "buyer"]] {
        assert_refused!(
            &log,
            signed(ceremony(&hash, names)),
            (1, Rule::NotMultiParty { contributors }) if contributors == names
        );
    }
    for bad in [
        "AB".repeat(32),
        "ab".repeat(31),
        "ab".repeat(33),
        "xy".repeat(32),
        String::new(),
    ] {
        assert_refused!(
            &log,
            signed(ceremony(&bad, &["seller", "buyer"])),
            (1, Rule::InvalidTranscriptHash { given }) if given == bad
        );
    }
    assert_refused!(
        &log,
        signed(ceremony(&hash, &["seller", " buyer"])),
        (1, Rule::InvalidText { field: "keySetup.contributors", value }) if value == " buyer"
    );
    // Signed by one party only: refused before the rules (both must sign every msa-agreed).
    let mut one = zkinvoice_anchors::Proposal::new(with(KeySetup::SingleParty));
    one.sign(zkinvoice_anchors::Role::Seller, &seller());
    assert!(matches!(crate::refused(&log, one), (1, Rule::Signatures(_))));
    // Without keySetup, the body does not parse (the field is required).
    let mut json: serde_json::Value = serde_json::from_str(&msa_body().canonical_json()).unwrap();
    json.as_object_mut().unwrap().remove("keySetup");
    let e = serde_json::from_value::<Body>(json).expect_err("refused");
    assert!(e.to_string().contains("keySetup"), "{e}");

    // A ceremony by two (or more) distinct contributors is admitted, and so, in another log, is an
    // explicit single-party setup.
    let entry = log
        .append(signed(ceremony(&hash, &["seller", "buyer", "auditor"])))
        .unwrap();
    assert!(matches!(
        &entry.body,
        Body::MsaAgreed { key_setup: KeySetup::Ceremony { transcript_hash, .. }, .. } if *transcript_hash == hash
    ));
    let other = new_log(&dir.path().join("other.db"));
    other.append(signed(with(KeySetup::SingleParty))).unwrap();
    assert!(msa_body()
        .canonical_json()
        .contains(r#""keySetup":{"kind":"single-party"}"#));
}

#[test]
fn invoices_follow_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    let fx = fixture();
    let (oct, nov) = (&fx.months[0].proved, &fx.months[1].proved);
    let period = |start: &str, end: &str, s: &String, e: &String| s == start && e == end;

    // Nothing before the MSA.
    assert_refused!(
        &log,
        signed(usage_body(0)),
        (1, Rule::MsaNotAnchored { msa }) if msa == fx.msa_commitment
    );
    assert_refused!(&log, signed(oct.clone()), (1, Rule::MsaNotAnchored { .. }));
    log.append(signed(msa_body())).unwrap();
    // A second MSA with a bad key or hash.
    let bad_hash = with_proved(&msa_body_with(&fx.vk, Fr::from(9u64), Fr::from(10u64)), |b| {
        if let Body::MsaAgreed { vk_hash, .. } = b {
            *vk_hash = "00".repeat(32);
        }
    });
    assert_refused!(
        &log,
        signed(bad_hash),
        (2, Rule::VkHashMismatch { given, actual }) if given == "00".repeat(32) && actual == fx.vk.hash_hex()
    );
    let bad_vk = with_proved(&msa_body_with(&fx.vk, Fr::from(9u64), Fr::from(10u64)), |b| {
        if let Body::MsaAgreed { vk, vk_hash, .. } = b {
            use base64::Engine as _;
            let bytes = vec![7u8; 100];
            *vk = base64::engine::general_purpose::STANDARD.encode(&bytes);
            *vk_hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        }
    });
    assert_refused!(&log, signed(bad_vk), (2, Rule::NotAVerifyingKey(_)));

    // An invoice whose period's usage is not agreed.
    assert_refused!(
        &log,
        signed(oct.clone()),
        (2, Rule::UsageNotAgreed { period_start: s, period_end: e, .. })
            if period("2026-10-01", "2026-11-01", &s, &e)
    );
    log.append(signed(usage_body(0))).unwrap();
    assert_refused!(
        &log,
        signed(nov.clone()),
        (3, Rule::UsageNotAgreed { period_start: s, period_end: e, .. })
            if period("2026-11-01", "2026-12-01", &s, &e)
    );
    // Usage periods must be dates, the end after the start.
    let bad_period = with_proved(&usage_body(1), |b| {
        if let Body::UsageAgreed { period_end, .. } = b {
            *period_end = "2026-11-31".into();
        }
    });
    assert_refused!(
        &log,
        signed(bad_period),
        (3, Rule::InvalidDate { field: "periodEnd", value }) if value == "2026-11-31"
    );
    // Another usage commitment than the agreed one.
    let other_usage = with_proved(oct, |b| {
        if let Body::InvoiceProved { usage_commitment, .. } = b {
            *usage_commitment = Fr::from(3u64);
        }
    });
    assert_refused!(
        &log,
        signed(other_usage),
        (3, Rule::WrongUsage { given, agreed, period_start: s, period_end: e, seq: 2 })
            if given == Fr::from(3u64)
                && agreed == fx.months[0].usage_commitment
                && period("2026-10-01", "2026-11-01", &s, &e)
    );
    // A proof that does not verify: November's proof on October's inputs.
    let nov_proof = match nov {
        Body::InvoiceProved { proof, .. } => proof.clone(),
        _ => unreachable!(),
    };
    let wrong_proof = with_proved(oct, |b| {
        if let Body::InvoiceProved { proof, .. } = b {
            *proof = nov_proof.clone();
        }
    });
    assert_refused!(
        &log,
        signed(wrong_proof),
        (3, Rule::ProofDoesNotVerify { key_hash, invoice })
            if key_hash == fx.vk.hash_hex() && invoice == fx.months[0].invoice_commitment
    );
    let garbage_proof = with_proved(oct, |b| {
        if let Body::InvoiceProved { proof, .. } = b {
            *proof = "AAAA".into();
        }
    });
    assert_refused!(
        &log,
        signed(garbage_proof),
        (3, Rule::MalformedProof(VerifyError::Malformed { what, .. })) if what == "proof"
    );
    // Decisions need an anchored invoice.
    assert_refused!(
        &log,
        signed(accepted(0)),
        (3, Rule::InvoiceNotAnchored { invoice }) if invoice == fx.months[0].invoice_commitment
    );
    log.append(signed(oct.clone())).unwrap();
    assert_refused!(&log, signed(rejected(0, " ")), (4, Rule::NoRejectionReason));

    // November: from a stale state, from an already used state, then the right one.
    log.append(signed(usage_body(1))).unwrap();
    let stale = with_proved(nov, |b| {
        if let Body::InvoiceProved { state_before, .. } = b {
            *state_before = Fr::from(12345u64);
        }
    });
    assert_refused!(
        &log,
        signed(stale),
        (5, Rule::StaleState { expected, given })
            if expected == fx.months[0].state_after && given == Fr::from(12345u64)
    );
    let used = with_proved(nov, |b| {
        if let Body::InvoiceProved { state_before, .. } = b {
            *state_before = fx.state0;
        }
    });
    assert_refused!(
        &log,
        signed(used),
        (5, Rule::StateAlreadyUsed { given, by: 3, latest })
            if given == fx.state0 && latest == fx.months[0].state_after
    );
    // October's usage again under another invoice number and commitment, from the latest state.
    let again = with_proved(oct, |b| {
        if let Body::InvoiceProved {
            state_before,
            invoice_commitment,
            ..
        } = b
        {
            *state_before = fx.months[0].state_after;
            *invoice_commitment = Fr::from(77u64);
        }
    });
    assert_refused!(&log, signed(again), (5, Rule::AlreadyInvoiced { seq: 3, .. }));
    log.append(signed(nov.clone())).unwrap();
    log.append(signed(rejected(1, "disputed"))).unwrap();
    assert_refused!(
        &log,
        signed(accepted(1)),
        (7, Rule::AlreadyRejected { seq: 6, .. })
    );
    // A decision naming the invoice under another MSA.
    let other_msa = Body::InvoiceAccepted {
        msa_commitment: Fr::from(9u64),
        invoice_commitment: fx.months[0].invoice_commitment,
    };
    assert_refused!(
        &log,
        signed(other_msa),
        (7, Rule::MsaNotAnchored { msa }) if msa == Fr::from(9u64)
    );
    assert_eq!(log.verify_log().unwrap().entries, 6);
}
