//! Every reason's sentence, pinned: the CLI and the services show them as they are, and their
//! tests match the text.

use std::path::PathBuf;
use std::time::Duration;

use zkinvoice_anchors::{
    AnchorError, Attempt, Corruption, CreditRule, ImportError, NetRule, PartialRule, ReconcileRule, Role,
    Rule, SettleRule, SignatureError,
};
use zkinvoice_verifier::{fr_from_hex, Fr, VerifyError};

fn fr(prefix: &str) -> Fr {
    fr_from_hex(&format!("0x{prefix}{}", "0".repeat(64 - prefix.len()))).unwrap()
}

fn malformed_proof() -> VerifyError {
    VerifyError::Malformed {
        what: "proof".into(),
        reason: "192 bytes expected".into(),
    }
}

#[test]
fn rules_read_as_before() {
    let (a, b, c) = (fr("11111111111111"), fr("22222222222222"), fr("0ccccccccccccc"));
    let oct = || ("2026-10-01".to_string(), "2026-11-01".to_string());
    let cases: Vec<(Rule, &str)> = vec![
        (
            Rule::Signatures(SignatureError::Duplicate { role: Role::Seller }),
            "signatures: two signatures by the Seller",
        ),
        (
            Rule::InvalidText {
                field: "msaId",
                value: " x".into(),
            },
            "msaId \" x\" must be 1 to 256 bytes without control characters or surrounding white space",
        ),
        (
            Rule::InvalidDate {
                field: "periodEnd",
                value: "2026-11-31".into(),
            },
            "periodEnd \"2026-11-31\" is not a date YYYY-MM-DD",
        ),
        (
            Rule::EmptyPeriod {
                start: "2026-11-01".into(),
                end: "2026-10-01".into(),
            },
            "period 2026-11-01..2026-10-01: the end is not after the start",
        ),
        (
            Rule::MsaAlreadyAnchored { msa: a, seq: 1 },
            "MSA 111111111111 is already anchored (entry 1)",
        ),
        (
            Rule::VkNotBase64 {
                reason: "Invalid padding".into(),
            },
            "vk is not base64 (Invalid padding)",
        ),
        (
            Rule::VkHashMismatch {
                given: "00".repeat(32),
                actual: "ab".repeat(32),
            },
            "vkHash 000000000000 is not the SHA-256 of vk (abababababab)",
        ),
        (
            Rule::NotAVerifyingKey(malformed_proof()),
            "vk is not an invoice verifying key (proof is malformed: 192 bytes expected)",
        ),
        (
            Rule::InvalidDetailRoot { value: "zz".into() },
            "usageDetailRoot \"zz\" is not 64 hex digits",
        ),
        (
            Rule::MsaNotAnchored { msa: a },
            "MSA 111111111111 is not anchored (no msa-agreed entry)",
        ),
        (
            Rule::UsageAlreadyAgreed {
                msa: a,
                period_start: oct().0,
                period_end: oct().1,
                seq: 2,
            },
            "usage for MSA 111111111111 and period 2026-10-01..2026-11-01 is already agreed (entry 2)",
        ),
        (
            Rule::InvoiceAlreadyAnchored { invoice: b, seq: 3 },
            "invoice 222222222222 is already anchored (entry 3)",
        ),
        (
            Rule::UsageNotAgreed {
                msa: a,
                period_start: oct().0,
                period_end: oct().1,
            },
            "no usage is agreed for MSA 111111111111 and period 2026-10-01..2026-11-01",
        ),
        (
            Rule::WrongUsage {
                given: b,
                agreed: c,
                period_start: oct().0,
                period_end: oct().1,
                seq: 2,
            },
            "usage commitment 222222222222 is not the usage agreed for 2026-10-01..2026-11-01 (0ccccccccccc, entry 2)",
        ),
        (
            Rule::StateAlreadyUsed {
                given: b,
                by: 3,
                latest: c,
            },
            "state already used: state_before 222222222222 was the state_before of entry 3; the MSA's latest state is 0ccccccccccc",
        ),
        (
            Rule::StaleState {
                expected: c,
                given: b,
            },
            "stale state: state_before 222222222222 is not the MSA's latest state 0ccccccccccc",
        ),
        (
            Rule::AlreadyInvoiced {
                period_start: oct().0,
                period_end: oct().1,
                seq: 3,
            },
            "the usage of 2026-10-01..2026-11-01 is already invoiced (entry 3)",
        ),
        (
            Rule::StateAfterAnchored { state: c },
            "state_after 0ccccccccccc is already an anchored state of the MSA",
        ),
        (
            Rule::MalformedProof(malformed_proof()),
            "proof is malformed: 192 bytes expected",
        ),
        (
            Rule::ProofDoesNotVerify {
                key_hash: "12".repeat(32),
                invoice: b,
            },
            "the proof does not verify under the MSA's verifying key 121212121212 for invoice 222222222222",
        ),
        (Rule::NoRejectionReason, "a rejection must give a reason"),
        (
            Rule::InvoiceNotAnchored { invoice: b },
            "invoice 222222222222 is not anchored (no invoice-proved entry)",
        ),
        (
            Rule::InvoiceOfAnotherMsa {
                invoice: b,
                msa: a,
                given: c,
            },
            "invoice 222222222222 belongs to MSA 111111111111, not 0ccccccccccc",
        ),
        (
            Rule::AlreadyAccepted { invoice: b, seq: 4 },
            "invoice 222222222222 is already accepted (entry 4)",
        ),
        (
            Rule::AlreadyRejected { invoice: b, seq: 7 },
            "invoice 222222222222 is already rejected (entry 7)",
        ),
    ];
    for (rule, sentence) in cases {
        assert_eq!(rule.to_string(), sentence, "{rule:?}");
    }
    let e = AnchorError::Refused {
        seq: 5,
        kind: "invoice-proved".into(),
        rule: Box::new(Rule::StaleState {
            expected: c,
            given: b,
        }),
    };
    assert_eq!(
        e.to_string(),
        "entry 5 (invoice-proved) refused: stale state: state_before 222222222222 is not the MSA's latest state 0ccccccccccc"
    );
}

/// The reconciliation's rules (`docs/lifecycle.md`).
#[test]
fn reconciliation_rules_read_as_written() {
    let (a, b) = (fr("11111111111111"), fr("22222222222222"));
    let dec = || ("2026-12-01".to_string(), "2027-01-01".to_string());
    let cases: Vec<(Rule, String)> = vec![
        (
            Rule::Reconcile(ReconcileRule::UnknownStatement {
                given: "zkinvoice/refund/v1".into(),
            }),
            "statement \"zkinvoice/refund/v1\" is not one the log knows (zkinvoice/reconcile/v1, zkinvoice/reconcile/v2, zkinvoice/netting/v1, zkinvoice/netting/v2, zkinvoice/credit/v1)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::NotAStatementKey {
                statement: "zkinvoice/reconcile/v1".into(),
                error: malformed_proof(),
            }),
            format!("vk is not a verifying key of zkinvoice/reconcile/v1 ({})", malformed_proof()),
        ),
        (
            Rule::Reconcile(ReconcileRule::StatementKeyAlreadyAgreed {
                statement: "zkinvoice/reconcile/v1".into(),
                seq: 4,
            }),
            "the MSA already agreed a key of zkinvoice/reconcile/v1 (entry 4)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::NoReconcileKey { msa: a }),
            "MSA 111111111111 agreed no key of zkinvoice/reconcile/v1 (no statement-key-agreed entry)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::AlreadyMeasured {
                by: Role::Buyer,
                period_start: dec().0,
                period_end: dec().1,
                seq: 6,
            }),
            "the Buyer already measured 2026-12-01..2027-01-01 (entry 6)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::NotMeasured {
                by: Role::Seller,
                period_start: dec().0,
                period_end: dec().1,
            }),
            "the Seller has not measured 2026-12-01..2027-01-01 (no usage-measured entry)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::AlreadyReconciled {
                period_start: dec().0,
                period_end: dec().1,
                what: "disputed",
                seq: 7,
            }),
            "2026-12-01..2027-01-01 is already disputed (entry 7)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::EmptyDispute),
            "a dispute must be over some threshold (over is 0: use usage-reconciled)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::ReconcileProofDoesNotVerify {
                key_hash: "ab".repeat(32),
                over: b,
            }),
            "the reconciliation proof does not verify under the MSA's key abababababab for the two measurements and over = 222222222222".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::ReconcileKeyOfAnotherProtocol {
                statement: "zkinvoice/reconcile/v1".into(),
                partitioned: true,
            }),
            "zkinvoice/reconcile/v1 does not reconcile the invoices of a partitioned MSA".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::ReconcileKeyOfAnotherProtocol {
                statement: "zkinvoice/reconcile/v2".into(),
                partitioned: false,
            }),
            "zkinvoice/reconcile/v2 does not reconcile the invoices of a v1 MSA".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::ProofOfAnotherPeriod {
                period_start: dec().0,
                period_end: dec().1,
            }),
            "the reconciliation proof is of another period than 2026-12-01..2027-01-01".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::ProvenOver),
            "the reconciliation proof's verdict is over some threshold: use dispute-opened".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::ProvenWithin),
            "the reconciliation proof's verdict is within every threshold: use usage-reconciled".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::OverNotTheVerdict { over: a, verdict: b }),
            "over 111111111111 is not the digest of the proof's verdict (222222222222)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::PartitionedProofDoesNotVerify {
                key_hash: "ab".repeat(32),
                error: zkinvoice_verifier::partition::reconcile::ReconcileProofError::Block(
                    2,
                    VerifyError::InvalidProof,
                ),
            }),
            "the reconciliation proof does not verify under the MSA's keys abababababab for the two measurements: block 2's proof: the proof does not verify against the key and the public inputs".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::NoOpenDispute {
                period_start: dec().0,
                period_end: dec().1,
            }),
            "2026-12-01..2027-01-01 has no open dispute".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::NoResolution),
            "a resolution must say how the dispute was resolved".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::NotReconciled {
                period_start: dec().0,
                period_end: dec().1,
            }),
            "2026-12-01..2027-01-01 was measured by the parties and is not reconciled (no usage-reconciled or dispute-resolved entry)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::DisputeOpen {
                period_start: dec().0,
                period_end: dec().1,
                seq: 8,
            }),
            "2026-12-01..2027-01-01 is disputed (entry 8) and not resolved".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::NotTheResolvedUsage {
                given: a,
                resolved: b,
                seq: 9,
            }),
            "usage commitment 111111111111 is not the usage the dispute was resolved on (222222222222, entry 9)".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::MeasuredFromAnotherState { given: a, latest: b }),
            "the measurement is rated from state 111111111111, not the MSA's latest state 222222222222".into(),
        ),
        (
            Rule::Reconcile(ReconcileRule::MeasuredFromDifferentStates { seller: a, buyer: b }),
            "the Seller's measurement is rated from state 111111111111 and the Buyer's from 222222222222: measure again from one state".into(),
        ),
    ];
    for (rule, sentence) in cases {
        assert_eq!(rule.to_string(), sentence, "{rule:?}");
    }
}

#[test]
fn settlement_rules_read_as_written() {
    let a = fr("11111111111111");
    let cases: Vec<(Rule, &str)> = vec![
        (
            Rule::Settle(SettleRule::NotAccepted {
                invoice: a,
                status: "rejected at entry 7".into(),
            }),
            "invoice 111111111111 is not accepted by the Buyer (rejected at entry 7): only an accepted invoice is paid",
        ),
        (
            Rule::Settle(SettleRule::AlreadyPaid { invoice: a, seq: 8 }),
            "invoice 111111111111 is already paid (entry 8)",
        ),
        (
            Rule::Settle(SettleRule::NotPaid { invoice: a }),
            "invoice 111111111111 has no payment (no payment entry)",
        ),
        (
            Rule::Settle(SettleRule::AlreadyReceived { invoice: a, seq: 9 }),
            "the payment of invoice 111111111111 is already received (entry 9)",
        ),
        (
            Rule::Settle(SettleRule::OtherReference {
                given: "B".into(),
                paid: "A".into(),
                seq: 8,
            }),
            "reference \"B\" is not the payment's (\"A\", entry 8)",
        ),
        (
            Rule::Settle(SettleRule::ReceivedBeforePaid {
                received_on: "2026-11-30".into(),
                paid_on: "2026-12-01".into(),
                seq: 8,
            }),
            "received on 2026-11-30, before the payment of 2026-12-01 (entry 8)",
        ),
        (
            Rule::Settle(SettleRule::Netted { invoice: a, seq: 9 }),
            "invoice 111111111111 is netted (entry 9): its net is paid, not the invoice",
        ),
    ];
    for (rule, sentence) in cases {
        assert_eq!(rule.to_string(), sentence, "{rule:?}");
    }
}

/// The netting's rule (`docs/lifecycle.md`).
#[test]
fn netting_rules_read_as_written() {
    let a = fr("11111111111111");
    let cases: Vec<(Rule, &str)> = vec![
        (
            Rule::Net(NetRule::NoNettingKey {
                msa: a,
                statement: "zkinvoice/netting/v1",
            }),
            "MSA 111111111111 agreed no key of zkinvoice/netting/v1 (no statement-key-agreed entry)",
        ),
        (
            Rule::Net(NetRule::NotTheParts {
                which: "the other",
                invoice: a,
            }),
            "the parts of the other invoice are not those of 111111111111: their top differs",
        ),
        (
            Rule::Net(NetRule::SameMsa { msa: a }),
            "the other MSA is this log's own (111111111111): netting takes two bilaterals",
        ),
        (
            Rule::Net(NetRule::NotAccepted {
                invoice: a,
                status: "proved, not decided".into(),
            }),
            "invoice 111111111111 is not accepted by the Buyer (proved, not decided): only accepted invoices are netted",
        ),
        (
            Rule::Net(NetRule::AlreadyPaid { invoice: a, seq: 8 }),
            "invoice 111111111111 is already paid (entry 8)",
        ),
        (
            Rule::Net(NetRule::AlreadyNetted { invoice: a, seq: 9 }),
            "invoice 111111111111 is already netted (entry 9)",
        ),
        (
            Rule::Net(NetRule::UnknownNet { net: a }),
            "no invoices-netted entry of this MSA has the net commitment 111111111111",
        ),
        (
            Rule::Net(NetRule::WrongParty {
                by: Role::Seller,
                payer: Role::Buyer,
                what: "payment",
                seq: 9,
            }),
            "the Buyer pays this net (entry 9): the Seller cannot sign its payment",
        ),
        (
            Rule::Net(NetRule::NetAlreadyPaid { net: a, seq: 10 }),
            "the net 111111111111 is already paid (entry 10)",
        ),
        (
            Rule::Net(NetRule::NetNotPaid { net: a }),
            "the net 111111111111 has no payment (no net-payment entry)",
        ),
        (
            Rule::Net(NetRule::NetAlreadyReceived { net: a, seq: 11 }),
            "the payment of the net 111111111111 is already received (entry 11)",
        ),
        (
            Rule::Net(NetRule::NettingProofDoesNotVerify {
                key_hash: "abcdef0123456789".into(),
                payer: Role::Buyer,
            }),
            "the netting proof does not verify under the MSA's key abcdef012345 for the two invoices, the net and the Buyer as payer",
        ),
        (
            Rule::Signatures(SignatureError::OtherAcceptance {
                invoice: a,
                reason: "it does not verify",
            }),
            "signatures: otherAccepted is not the Seller's signature (as the other bilateral's Buyer) of the acceptance of invoice 111111111111: it does not verify",
        ),
    ];
    for (rule, sentence) in cases {
        assert_eq!(rule.to_string(), sentence, "{rule:?}");
    }
}

#[test]
fn credit_rules_read_as_written() {
    let a = fr("11111111111111");
    let cases: Vec<(Rule, &str)> = vec![
        (
            Rule::Credit(CreditRule::SlaAlreadyAgreed {
                period_start: "2026-10-01".into(),
                period_end: "2026-11-01".into(),
                seq: 5,
            }),
            "the SLA performance of 2026-10-01..2026-11-01 is already agreed (entry 5)",
        ),
        (
            Rule::Credit(CreditRule::NoSlaAgreed {
                period_start: "2026-10-01".into(),
                period_end: "2026-11-01".into(),
            }),
            "the SLA performance of 2026-10-01..2026-11-01 is not agreed (no sla-agreed entry)",
        ),
        (
            Rule::Credit(CreditRule::NoCreditKey { msa: a }),
            "MSA 111111111111 agreed no key of zkinvoice/credit/v1 (no statement-key-agreed entry)",
        ),
        (
            Rule::Credit(CreditRule::Rejected { invoice: a, seq: 6 }),
            "invoice 111111111111 is rejected (entry 6): there is nothing to credit",
        ),
        (
            Rule::Credit(CreditRule::AlreadyCredited { invoice: a, seq: 7 }),
            "invoice 111111111111 is already credited (entry 7)",
        ),
        (
            Rule::Credit(CreditRule::AlreadySettled {
                invoice: a,
                what: "netted",
                seq: 8,
            }),
            "invoice 111111111111 is already netted (entry 8): a credit comes before",
        ),
        (
            Rule::Credit(CreditRule::NoSuchNote { credit: a }),
            "no credit note 111111111111 is anchored (no credit-note entry)",
        ),
        (
            Rule::Credit(CreditRule::NotCarried { credit: a, invoice: a }),
            "credit note 111111111111 was recorded before invoice 111111111111 was paid: it applies to that invoice, it is not carried",
        ),
        (
            Rule::Credit(CreditRule::AlreadyCarried { credit: a, seq: 9 }),
            "credit note 111111111111 is already carried (entry 9)",
        ),
        (
            Rule::Credit(CreditRule::CreditProofDoesNotVerify {
                key_hash: "ab".repeat(32),
            }),
            "the credit-note proof does not verify under the MSA's key abababababab for the invoice, the period's agreed SLA performance and the note",
        ),
        (
            Rule::Net(NetRule::Credited { invoice: a, seq: 9 }),
            "invoice 111111111111 is credited (entry 9): a credited invoice is paid, not netted",
        ),
    ];
    for (rule, sentence) in cases {
        assert_eq!(rule.to_string(), sentence, "{rule:?}");
    }
}

#[test]
fn partial_invoice_rules_read_as_written() {
    let (a, b) = (fr("11111111111111"), fr("22222222222222"));
    let period = || ("2027-01-01".to_string(), "2027-02-01".to_string());
    let cases: Vec<(Rule, &str)> = vec![
        (
            Rule::Partial(PartialRule::NotDisputed {
                period_start: period().0,
                period_end: period().1,
                status: "reconciled at entry 7".into(),
            }),
            "2027-01-01..2027-02-01 has no open dispute (reconciled at entry 7): only a disputed period is invoiced in part",
        ),
        (
            Rule::Partial(PartialRule::PartialAlreadyAgreed {
                period_start: period().0,
                period_end: period().1,
                seq: 12,
            }),
            "2027-01-01..2027-02-01 already has a partial usage (entry 12)",
        ),
        (
            Rule::Partial(PartialRule::NoPartialUsage {
                period_start: period().0,
                period_end: period().1,
            }),
            "2027-01-01..2027-02-01 has no partial usage (no usage-partial entry)",
        ),
        (
            Rule::Partial(PartialRule::NotThePartialUsage {
                given: a,
                agreed: b,
                seq: 12,
            }),
            "usage 111111111111 is not the period's partial usage 222222222222 (entry 12)",
        ),
        (
            Rule::Partial(PartialRule::AlreadyPartiallyInvoiced {
                period_start: period().0,
                period_end: period().1,
                seq: 13,
            }),
            "2027-01-01..2027-02-01 is already invoiced in part (entry 13)",
        ),
        (
            Rule::Partial(PartialRule::NotWhole {
                invoice: a,
                what: "the final invoice of a period invoiced in part",
                seq: 13,
            }),
            "invoice 111111111111 is the final invoice of a period invoiced in part (entry 13): nettings take whole invoices only, credit notes whole or final ones",
        ),
    ];
    for (rule, sentence) in cases {
        assert_eq!(rule.to_string(), sentence, "{rule:?}");
    }
}

#[test]
fn signature_refusals_read_as_before() {
    const BOTH: &[Role] = &[Role::Seller, Role::Buyer];
    const SELLER: &[Role] = &[Role::Seller];
    const BUYER: &[Role] = &[Role::Buyer];
    let cases: Vec<(SignatureError, &str)> = vec![
        (
            SignatureError::NotRequired {
                kind: "invoice-proved",
                required: SELLER,
                signer: Role::Buyer,
            },
            "invoice-proved must be signed by the Seller only, but it carries a signature by the Buyer",
        ),
        (
            SignatureError::Duplicate { role: Role::Buyer },
            "two signatures by the Buyer",
        ),
        (
            SignatureError::MalformedKey {
                role: Role::Seller,
                key: "ab".into(),
                reason: "1 bytes, expected 32".into(),
            },
            "the Seller's public key \"ab\" is not 64 hex digits (1 bytes, expected 32)",
        ),
        (
            SignatureError::WrongKey {
                role: Role::Buyer,
                key: "cd".repeat(32),
                expected: "ef".repeat(32),
            },
            "the Buyer signature is by key cdcdcdcdcdcd, not the log's Buyer key efefefefefef",
        ),
        (
            SignatureError::MalformedSignature { role: Role::Seller },
            "the Seller's signature is not 128 hex digits",
        ),
        (
            SignatureError::DoesNotVerify {
                role: Role::Buyer,
                digest: [0x9a; 32],
            },
            "the Buyer's signature does not verify for this body (digest 9a9a9a9a9a9a)",
        ),
        (
            SignatureError::Missing {
                kind: "msa-agreed",
                required: BOTH,
                role: Role::Buyer,
            },
            "msa-agreed must be signed by both the Seller and the Buyer; the Buyer's signature is missing",
        ),
        (
            SignatureError::Missing {
                kind: "invoice-accepted",
                required: BUYER,
                role: Role::Buyer,
            },
            "invoice-accepted must be signed by the Buyer only; the Buyer's signature is missing",
        ),
    ];
    for (error, sentence) in cases {
        assert_eq!(error.to_string(), sentence, "{error:?}");
    }
    let e = AnchorError::Signatures {
        kind: "usage-agreed".into(),
        reason: SignatureError::Duplicate { role: Role::Seller },
    };
    assert_eq!(
        e.to_string(),
        "the usage-agreed proposal's signatures are refused: two signatures by the Seller"
    );
}

#[test]
fn corruptions_read_as_before() {
    let bytes = vec![b'a', 0xff];
    let utf8 = std::str::from_utf8(&bytes).unwrap_err();
    let cases: Vec<(Corruption, String)> = vec![
        (
            Corruption::Missing { next: 5 },
            "missing: the next stored entry is 5".into(),
        ),
        (Corruption::OutOfOrder { seq: 2 }, "seq 2 is out of order".into()),
        (
            Corruption::SeqNotPositive { seq: -1 },
            "seq -1 is not positive".into(),
        ),
        (Corruption::Null { column: "body" }, "body is NULL".into()),
        (
            Corruption::Number { column: "kind" },
            "kind is a number, not text or bytes".into(),
        ),
        (
            Corruption::HashLength {
                column: "prev_hash",
                len: 31,
            },
            "prev_hash has 31 bytes, not 32".into(),
        ),
        (
            Corruption::NotUtf8 {
                column: "signatures",
                reason: utf8,
            },
            format!("signatures is not UTF-8 ({utf8})"),
        ),
        (
            Corruption::BodyDoesNotParse { reason: "EOF".into() },
            "body does not parse (EOF)".into(),
        ),
        (
            Corruption::BodyNotCanonical,
            "body is not in canonical form (the stored text was altered)".into(),
        ),
        (
            Corruption::KindMismatch {
                kind: "msa-agreeD".into(),
                body: "msa-agreed",
            },
            "kind \"msa-agreeD\" is not the body's kind \"msa-agreed\"".into(),
        ),
        (
            Corruption::SignaturesDoNotParse { reason: "EOF".into() },
            "signatures do not parse (EOF)".into(),
        ),
        (
            Corruption::SignaturesNotCanonical,
            "signatures are not in canonical form (the stored text was altered)".into(),
        ),
        (
            Corruption::BrokenLink {
                prev_hash: [1; 32],
                previous: 3,
                hash: [2; 32],
            },
            format!(
                "prev_hash {} does not link to entry 3's hash {}",
                "01".repeat(32),
                "02".repeat(32)
            ),
        ),
        (
            Corruption::UnreadablePrevious { previous: 3 },
            "entry 3 before it has no readable hash".into(),
        ),
        (
            Corruption::HashMismatch {
                stored: [1; 32],
                computed: [2; 32],
            },
            format!(
                "the stored hash {} does not recompute ({})",
                "01".repeat(32),
                "02".repeat(32)
            ),
        ),
        (
            Corruption::Signatures(SignatureError::Duplicate { role: Role::Seller }),
            "signatures: two signatures by the Seller".into(),
        ),
        (
            Corruption::Rule {
                kind: "invoice-rejected",
                rule: Box::new(Rule::NoRejectionReason),
            },
            "invoice-rejected breaks a rule: a rejection must give a reason".into(),
        ),
        (
            Corruption::ProofFails {
                key_hash: "34".repeat(32),
            },
            "invoice-proved: the proof does not verify under the MSA's verifying key 343434343434".into(),
        ),
        (
            Corruption::Removed { last: 7 },
            "removed: this copy had written entries up to 7, its rows end before this one".into(),
        ),
        (
            Corruption::NotAsWritten { written: [3; 32] },
            format!(
                "its hash is not the one recorded when it was written ({}): the row was replaced",
                "03".repeat(32)
            ),
        ),
        (
            Corruption::ProofUnchecked(VerifyError::InvalidProof),
            "invoice-proved: the proof does not verify against the key and the public inputs".into(),
        ),
    ];
    for (reason, sentence) in cases {
        assert_eq!(reason.to_string(), sentence, "{reason:?}");
    }
    let found = |refused| AnchorError::Corrupt {
        seq: 4,
        reason: Corruption::Missing { next: 5 },
        refused,
    };
    assert_eq!(
        found(None).to_string(),
        "entry 4 is corrupt: missing: the next stored entry is 5"
    );
    assert_eq!(
        found(Some(Attempt::Append)).to_string(),
        "entry 4 is corrupt: missing: the next stored entry is 5 (nothing appended; run verify)"
    );
    assert_eq!(
        found(Some(Attempt::Import)).to_string(),
        "entry 4 is corrupt: missing: the next stored entry is 5 (nothing imported; run verify)"
    );
}

#[test]
fn import_refusals_read_as_before() {
    let cases: Vec<(ImportError, String)> = vec![
        (
            ImportError::Unreadable {
                reason: "stream did not contain valid UTF-8".into(),
            },
            "cannot be read (stream did not contain valid UTF-8)".into(),
        ),
        (
            ImportError::NotAnEntry {
                reason: "missing field `prevHash`".into(),
            },
            "not an entry (missing field `prevHash`)".into(),
        ),
        (
            ImportError::HashMismatch {
                stored: [1; 32],
                computed: [2; 32],
            },
            format!(
                "its hash {} does not recompute ({})",
                "01".repeat(32),
                "02".repeat(32)
            ),
        ),
        (ImportError::SeqZero, "seq 0: entries are numbered from 1".into()),
        (
            ImportError::Gap { len: 2 },
            "a gap: the log ends at entry 2, so the next entry is 3; import the entries in order".into(),
        ),
        (
            ImportError::BrokenLink {
                prev_hash: [1; 32],
                head: [0; 32],
            },
            format!(
                "prev_hash {} does not link to the local head {}",
                "01".repeat(32),
                "00".repeat(32)
            ),
        ),
        (
            ImportError::Signatures(SignatureError::MalformedSignature { role: Role::Buyer }),
            "signatures: the Buyer's signature is not 128 hex digits".into(),
        ),
        (
            ImportError::Refused {
                kind: "invoice-rejected",
                rule: Box::new(Rule::NoRejectionReason),
            },
            "invoice-rejected refused: a rejection must give a reason".into(),
        ),
    ];
    for (reason, sentence) in cases {
        assert_eq!(reason.to_string(), sentence, "{reason:?}");
    }
    let e = AnchorError::Import {
        line: 3,
        seq: Some(4),
        reason: ImportError::Gap { len: 2 },
    };
    assert_eq!(
        e.to_string(),
        "import line 3 (entry 4): a gap: the log ends at entry 2, so the next entry is 3; import the entries in order"
    );
}

#[test]
fn comparisons_and_a_busy_log_read_as_before() {
    let lacks = |written| AnchorError::Lacks {
        copy: PathBuf::from("buyer.db"),
        first: 5,
        last: 7,
        has: PathBuf::from("seller.jsonl"),
        written,
    };
    assert_eq!(
        lacks(None).to_string(),
        "buyer.db lacks entries 5 to 7, which seller.jsonl has (not imported yet, or removed)"
    );
    assert_eq!(
        lacks(Some(6)).to_string(),
        "buyer.db lacks entries 5 to 7, which seller.jsonl has (it had written entries 5 to 6: they were removed from it)"
    );
    let fork = AnchorError::Fork {
        seq: 5,
        local: "0a".repeat(32),
        imported: "0b".repeat(32),
    };
    assert_eq!(
        fork.to_string(),
        format!(
            "the copies diverge at entry 5: this copy's entry has hash {}, the other copy's {}",
            "0a".repeat(32),
            "0b".repeat(32)
        )
    );
    let busy = AnchorError::Busy {
        path: PathBuf::from("seller-anchors.db"),
        waited: Duration::from_millis(180_400),
        attempts: 181,
    };
    assert_eq!(
        busy.to_string(),
        "seller-anchors.db: the anchor log stayed busy (locked by another process) for 180 s over 181 attempts; nothing was written, try again"
    );
}
