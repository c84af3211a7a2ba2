//! The reconciliation's entries on the example bilateral (`zkinvoice_testkit::reconciled`):
//! the whole sequence is admitted, replayed and audited; every rule refuses what breaks it, with
//! nothing written: a measurement without a reconciliation key, twice, after the usage is agreed,
//! signed by the other party, with a field its proof does not prove, or from a stale state; a reconciliation before both measured, twice, with a proof of
//! another verdict or another period, of measurements from different states; a dispute over nothing; a usage agreed before the period is
//! reconciled, while it is disputed, or other than the resolution's; a resolution without a
//! dispute, twice, without words or by one party; a key of another statement, another hash, or
//! agreed twice.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{
    AnchorError, AnchorLog, Body, Fr, KeySetup, Proposal, ReconcileRule, Role, Rule, SignatureError,
};
use zkinvoice_circuits::commit::StateOpening;
use zkinvoice_testkit::{
    bilateral::{bilateral, Bilateral},
    model::usage,
    reconciled::{prove_measurement, reconciled, Reconciled, BUYER_DECEMBER},
};
use zkinvoice_verifier::VerifyError;

/// The proposals' places in [`Reconciled::proposals`].
const KEY: usize = 0;
const DEC_SELLER: usize = 1;
const DEC_BUYER: usize = 2;
const DEC_RECONCILED: usize = 3;
const DEC_AGREED: usize = 4;
const JAN_SELLER: usize = 5;
const JAN_BUYER: usize = 6;
const JAN_DISPUTE: usize = 7;
const JAN_RESOLVED: usize = 8;
const JAN_AGREED: usize = 9;
/// The bilateral's entries before them: msa-agreed and two usage-agreed.
const BEFORE: u64 = 3;

fn world() -> (&'static Bilateral, &'static Reconciled) {
    (bilateral(), reconciled())
}

/// A log holding the bilateral's agreed entries and the first `n` reconciliation proposals.
fn log_with(dir: &tempfile::TempDir, n: usize) -> AnchorLog {
    let (w, r) = world();
    let log = w.log(&dir.path().join(format!("log-{n}.db")));
    for p in &r.proposals[..n] {
        log.append(p.clone()).expect("the entries before");
    }
    log
}

/// `body`, signed by every role it requires.
fn signed(body: Body) -> Proposal {
    let w = bilateral();
    let roles = body.required_roles();
    roles.iter().fold(Proposal::new(body), |p, &role| {
        let key = if role == Role::Seller { &w.seller } else { &w.buyer };
        p.signed(role, key)
    })
}

/// Proposal `i` with its body changed by `f`, signed again.
fn edited(i: usize, f: impl FnOnce(&mut Body)) -> Proposal {
    let mut body = reconciled().proposals[i].body.clone();
    f(&mut body);
    signed(body)
}

/// Appends `p`, which must be refused as entry `seq` without writing anything; the rule.
fn refused(log: &AnchorLog, p: Proposal, seq: u64) -> Rule {
    let before = log.len().expect("a length");
    let e = log.append(p).expect_err("refused");
    assert_eq!(
        log.len().expect("a length"),
        before,
        "a refusal wrote something: {e}"
    );
    match e {
        AnchorError::Refused { seq: s, rule, .. } if s == seq => *rule,
        e => panic!("not refused as entry {seq}: {e:?}"),
    }
}

#[test]
fn the_whole_reconciliation_is_admitted_replayed_and_audited_and_no_entry_twice() {
    let (_, r) = world();
    let dir = tempfile::tempdir().expect("a directory");
    let log = log_with(&dir, r.proposals.len());
    let n = BEFORE + r.proposals.len() as u64;
    assert_eq!(log.verify_log().expect("verifies").entries, n);
    let report = log.audit(&mut ChaCha20Rng::seed_from_u64(1)).expect("audits");
    assert!(report.is_clean(), "{:?}", report.failures);
    // Four measurements', the reconciliation's and the dispute's; the bilateral's log proves no
    // invoice.
    assert_eq!(report.proofs, 6);
    let kinds: Vec<&str> = r.proposals.iter().map(|p| p.body.kind()).collect();
    for kind in [
        "statement-key-agreed",
        "usage-measured",
        "usage-reconciled",
        "dispute-opened",
        "dispute-resolved",
    ] {
        assert!(kinds.contains(&kind), "{kind}");
    }
    for (i, p) in r.proposals.iter().enumerate() {
        let at = BEFORE + i as u64 + 1;
        let rule = refused(&log, p.clone(), n + 1);
        let ok = match i {
            KEY => {
                matches!(rule, Rule::Reconcile(ReconcileRule::StatementKeyAlreadyAgreed { seq, .. }) if seq == at)
            }
            DEC_SELLER | DEC_BUYER | JAN_SELLER | JAN_BUYER | DEC_AGREED | JAN_AGREED => {
                matches!(rule, Rule::UsageAlreadyAgreed { .. })
            }
            DEC_RECONCILED => {
                matches!(rule, Rule::Reconcile(ReconcileRule::AlreadyReconciled { what: "reconciled", seq, .. }) if seq == at)
            }
            _ => matches!(
                rule,
                Rule::Reconcile(ReconcileRule::AlreadyReconciled { what: "resolved", .. })
            ),
        };
        assert!(ok, "proposal {i} again: {rule:?}");
    }
}

#[test]
fn a_measurement_needs_the_key_comes_once_per_party_before_the_usage_is_agreed_signed_by_its_party() {
    let (w, r) = world();
    let dir = tempfile::tempdir().expect("a directory");
    let log = log_with(&dir, 0);
    let rule = refused(&log, r.proposals[DEC_SELLER].clone(), BEFORE + 1);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::NoReconcileKey { msa }) if msa == w.msa_commitment.0),
        "{rule:?}"
    );

    let log = log_with(&dir, DEC_BUYER);
    let rule = refused(&log, r.proposals[DEC_SELLER].clone(), BEFORE + 3);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::AlreadyMeasured { by: Role::Seller, seq, .. }) if seq == BEFORE + 2),
        "{rule:?}"
    );
    let october = edited(DEC_BUYER, |b| {
        if let Body::UsageMeasured {
            period_start,
            period_end,
            ..
        } = b
        {
            *period_start = "2026-10-01".into();
            *period_end = "2026-11-01".into();
        }
    });
    let rule = refused(&log, october, BEFORE + 3);
    assert!(
        matches!(rule, Rule::UsageAlreadyAgreed { seq: 2, .. }),
        "{rule:?}"
    );

    // The Buyer's measurement signed by the Seller, and one that names the Seller but is the
    // Buyer's invoice, signed by the Buyer.
    let mut forged = Proposal::new(r.proposals[DEC_BUYER].body.clone()).signed(Role::Seller, &w.seller);
    let rule = refused(&log, forged.clone(), BEFORE + 3);
    assert!(matches!(rule, Rule::Signatures(_)), "{rule:?}");
    forged.signatures.clear();
    forged.sign(Role::Buyer, &w.buyer);
    forged.body = match forged.body {
        Body::UsageMeasured { .. } => {
            edited(DEC_BUYER, |b| {
                if let Body::UsageMeasured { by, .. } = b {
                    *by = Role::Seller;
                }
            })
            .body
        }
        b => b,
    };
    let rule = refused(&log, forged, BEFORE + 3);
    assert!(
        matches!(
            rule,
            Rule::Signatures(SignatureError::NotRequired { .. } | SignatureError::Missing { .. })
        ),
        "{rule:?}"
    );
}

/// A measurement is the invoice statement's proof of the rating of the measured usage, from the
/// MSA's latest state: another invoice commitment, usage commitment or state than the proof's,
/// another party's proof, or a state other than the latest is refused; and two measurements
/// rated from different states (an invoice proved between them) are not reconciled.
#[test]
fn a_measurement_is_proven_from_the_latest_state_and_both_from_one() {
    let (w, r) = world();
    let dir = tempfile::tempdir().expect("a directory");
    let log = log_with(&dir, DEC_BUYER);
    let at = BEFORE + DEC_BUYER as u64 + 1;
    let seller = r.december.seller.public_inputs;
    let field = |f: &dyn Fn(&mut Body)| edited(DEC_BUYER, f);
    for (what, changed) in [
        (
            "the Seller's invoice commitment",
            field(&|b| {
                if let Body::UsageMeasured {
                    invoice_commitment, ..
                } = b
                {
                    *invoice_commitment = seller.invoice_commitment;
                }
            }),
        ),
        (
            "the Seller's usage commitment",
            field(&|b| {
                if let Body::UsageMeasured { usage_commitment, .. } = b {
                    *usage_commitment = seller.usage_commitment;
                }
            }),
        ),
        (
            "another state after",
            field(&|b| {
                if let Body::UsageMeasured { state_after, .. } = b {
                    *state_after += Fr::from(1u64);
                }
            }),
        ),
        (
            "the Seller's proof",
            field(&|b| {
                if let Body::UsageMeasured { proof, .. } = b {
                    *proof = r.december.seller.proof.to_base64();
                }
            }),
        ),
    ] {
        let rule = refused(&log, changed, at);
        assert!(
            matches!(rule, Rule::ProofDoesNotVerify { .. }),
            "{what}: {rule:?}"
        );
    }
    let stale = field(&|b| {
        if let Body::UsageMeasured { state_before, .. } = b {
            *state_before += Fr::from(1u64);
        }
    });
    let rule = refused(&log, stale, at);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::MeasuredFromAnotherState { latest, .. }) if latest == w.state0.commitment.0),
        "{rule:?}"
    );

    // October invoiced between the two measurements: the Buyer measures from the state after it.
    log.append(w.october_proved.clone()).expect("October");
    let doc = &w.october_envelope.state_after;
    let state1 = StateOpening::from_doc(&w.msa, doc).expect("October's state after");
    let usage = usage(&w.msa, r.december.period, BUYER_DECEMBER);
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let m = prove_measurement(&w.keys, (&w.msa, &w.msa_salt), &state1, &usage, "B-2", &mut rng);
    let env = &m.proved.envelope;
    let (start, end) = (
        r.december.period.start.to_string(),
        r.december.period.end.to_string(),
    );
    log.append(signed(Body::usage_measured(
        &env.public_inputs,
        start,
        end,
        Role::Buyer,
        &env.proof,
    )))
    .expect("the Buyer's measurement, from the latest state");
    let rule = refused(&log, r.proposals[DEC_RECONCILED].clone(), at + 2);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::MeasuredFromDifferentStates { seller, buyer })
            if seller == w.state0.commitment.0 && buyer == state1.commitment.0),
        "{rule:?}"
    );
}

#[test]
fn a_reconciliation_needs_both_measurements_and_a_proof_of_its_own_verdict_and_period() {
    let (_, r) = world();
    let dir = tempfile::tempdir().expect("a directory");
    let log = log_with(&dir, DEC_SELLER + 1);
    let rule = refused(&log, r.proposals[DEC_RECONCILED].clone(), BEFORE + 3);
    assert!(
        matches!(
            rule,
            Rule::Reconcile(ReconcileRule::NotMeasured { by: Role::Buyer, .. })
        ),
        "{rule:?}"
    );

    let log = log_with(&dir, DEC_RECONCILED);
    let at = BEFORE + DEC_RECONCILED as u64 + 1;
    // December's usage cannot be agreed before its measurements are reconciled.
    let rule = refused(&log, r.proposals[DEC_AGREED].clone(), at);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::NotReconciled { .. })),
        "{rule:?}"
    );
    // January's proof (another period's invoices) and a dispute with December's within proof.
    let other_period = edited(DEC_RECONCILED, |b| {
        if let Body::UsageReconciled { proof, .. } = b {
            *proof = r.january.proof.to_base64();
        }
    });
    let rule = refused(&log, other_period, at);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::ReconcileProofDoesNotVerify { over, .. }) if over == Fr::from(0u64)),
        "{rule:?}"
    );
    let dispute = |over: Fr, proof: String| {
        signed(Body::DisputeOpened {
            msa_commitment: r.december.public.msa_commitment,
            period_start: r.december.period.start.to_string(),
            period_end: r.december.period.end.to_string(),
            by: Role::Buyer,
            over,
            proof,
        })
    };
    let rule = refused(
        &log,
        dispute(r.january.public.over, r.december.proof.to_base64()),
        at,
    );
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::ReconcileProofDoesNotVerify { over, .. }) if over == r.january.public.over),
        "{rule:?}"
    );
    let rule = refused(&log, dispute(Fr::from(0u64), r.december.proof.to_base64()), at);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::EmptyDispute)),
        "{rule:?}"
    );
    let garbage = edited(DEC_RECONCILED, |b| {
        if let Body::UsageReconciled { proof, .. } = b {
            *proof = "AAAA".into();
        }
    });
    let rule = refused(&log, garbage, at);
    assert!(
        matches!(rule, Rule::MalformedProof(VerifyError::Malformed { .. })),
        "{rule:?}"
    );
    // The honest one; then no dispute or resolution of a reconciled period.
    log.append(r.proposals[DEC_RECONCILED].clone())
        .expect("reconciled");
    let rule = refused(
        &log,
        dispute(r.january.public.over, r.january.proof.to_base64()),
        at + 1,
    );
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::AlreadyReconciled { what: "reconciled", seq, .. }) if seq == at),
        "{rule:?}"
    );
    let resolution = edited(JAN_RESOLVED, |b| {
        if let Body::DisputeResolved {
            period_start,
            period_end,
            ..
        } = b
        {
            *period_start = r.december.period.start.to_string();
            *period_end = r.december.period.end.to_string();
        }
    });
    let rule = refused(&log, resolution, at + 1);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::NoOpenDispute { .. })),
        "{rule:?}"
    );
}

#[test]
fn a_disputed_period_is_agreed_only_on_the_usage_both_resolved_it_on() {
    let (w, r) = world();
    let dir = tempfile::tempdir().expect("a directory");
    let log = log_with(&dir, JAN_DISPUTE);
    let at = BEFORE + JAN_DISPUTE as u64 + 1;
    // January's over proof claimed within.
    let within = signed(Body::UsageReconciled {
        msa_commitment: r.january.public.msa_commitment,
        period_start: r.january.period.start.to_string(),
        period_end: r.january.period.end.to_string(),
        by: Role::Seller,
        proof: r.january.proof.to_base64(),
    });
    let rule = refused(&log, within, at);
    assert!(
        matches!(
            rule,
            Rule::Reconcile(ReconcileRule::ReconcileProofDoesNotVerify { .. })
        ),
        "{rule:?}"
    );
    let rule = refused(&log, r.proposals[JAN_RESOLVED].clone(), at);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::NoOpenDispute { .. })),
        "{rule:?}"
    );
    log.append(r.proposals[JAN_DISPUTE].clone()).expect("disputed");

    let rule = refused(&log, r.proposals[JAN_AGREED].clone(), at + 1);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::DisputeOpen { seq, .. }) if seq == at),
        "{rule:?}"
    );
    let silent = edited(JAN_RESOLVED, |b| {
        if let Body::DisputeResolved { resolution, .. } = b {
            *resolution = " ".into();
        }
    });
    assert!(matches!(
        refused(&log, silent, at + 1),
        Rule::Reconcile(ReconcileRule::NoResolution)
    ));
    let one_party = Proposal::new(r.proposals[JAN_RESOLVED].body.clone()).signed(Role::Buyer, &w.buyer);
    let rule = refused(&log, one_party, at + 1);
    assert!(
        matches!(rule, Rule::Signatures(SignatureError::Missing { .. })),
        "{rule:?}"
    );
    log.append(r.proposals[JAN_RESOLVED].clone()).expect("resolved");

    let rule = refused(&log, r.proposals[JAN_RESOLVED].clone(), at + 2);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::AlreadyReconciled { what: "resolved", seq, .. }) if seq == at + 1),
        "{rule:?}"
    );
    let buyers = edited(JAN_AGREED, |b| {
        if let Body::UsageAgreed { usage_commitment, .. } = b {
            *usage_commitment = r.january.buyer_usage.0;
        }
    });
    let rule = refused(&log, buyers, at + 2);
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::NotTheResolvedUsage { given, resolved, seq })
            if given == r.january.buyer_usage.0 && resolved == r.january.seller_usage.0 && seq == at + 1),
        "{rule:?}"
    );
    log.append(r.proposals[JAN_AGREED].clone()).expect("agreed");
}

#[test]
fn a_reconciliation_key_is_of_the_statement_its_hash_names_agreed_once_for_an_anchored_msa() {
    let (w, r) = world();
    let dir = tempfile::tempdir().expect("a directory");
    let log = log_with(&dir, 0);
    let at = BEFORE + 1;
    let key = |f: &dyn Fn(&mut Body)| edited(KEY, f);
    let rule = refused(
        &log,
        key(&|b| {
            if let Body::StatementKeyAgreed { statement, .. } = b {
                *statement = "zkinvoice/invoice/v1".into();
            }
        }),
        at,
    );
    assert!(
        matches!(rule, Rule::Reconcile(ReconcileRule::UnknownStatement { ref given }) if given == "zkinvoice/invoice/v1"),
        "{rule:?}"
    );
    let rule = refused(
        &log,
        key(&|b| {
            if let Body::StatementKeyAgreed { vk_hash, .. } = b {
                *vk_hash = "00".repeat(32);
            }
        }),
        at,
    );
    assert!(
        matches!(rule, Rule::VkHashMismatch { ref actual, .. } if *actual == r.key.hash_hex()),
        "{rule:?}"
    );
    // The invoice statement's key (five public inputs) is not a reconciliation key.
    let invoice_key = signed(Body::StatementKeyAgreed {
        msa_commitment: w.msa_commitment.0,
        statement: "zkinvoice/reconcile/v1".into(),
        vk: base64_of(&w.vk.to_bytes()),
        vk_hash: w.vk.hash_hex(),
        key_setup: KeySetup::SingleParty,
    });
    let rule = refused(&log, invoice_key, at);
    assert!(
        matches!(
            rule,
            Rule::Reconcile(ReconcileRule::NotAStatementKey {
                error: VerifyError::KeyMismatch { .. },
                ..
            })
        ),
        "{rule:?}"
    );
    let rule = refused(
        &log,
        key(&|b| {
            if let Body::StatementKeyAgreed { key_setup, .. } = b {
                *key_setup = KeySetup::ceremony("ab".repeat(32), vec!["seller".into()]);
            }
        }),
        at,
    );
    assert!(matches!(rule, Rule::NotMultiParty { .. }), "{rule:?}");
    let rule = refused(
        &log,
        key(&|b| {
            if let Body::StatementKeyAgreed { msa_commitment, .. } = b {
                *msa_commitment += Fr::from(1u64);
            }
        }),
        at,
    );
    assert!(matches!(rule, Rule::MsaNotAnchored { .. }), "{rule:?}");
    log.append(r.proposals[KEY].clone()).expect("agreed");
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A disputed period invoiced in part, then finally: a module of this binary (one link fewer).
#[path = "reconcile/partial.rs"]
mod partial;
