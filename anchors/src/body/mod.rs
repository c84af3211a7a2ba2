//! Anchor bodies: what each kind records, its canonical JSON and digest (what the parties sign),
//! and one party's signature of it.
//!
//! Relies on the keys (to sign); the rules that bodies must follow are in `rules`.

use serde::{Deserialize, Serialize};
use zkinvoice_verifier::Fr;

use crate::role::Role;
use crate::setup::KeySetup;

/// What one anchor records.
///
/// JSON: an object with `kind` (the variant's name in kebab-case, as [`Body::kind`] gives it)
/// and the variant's fields in camelCase; field elements as `0x` and 64 hex digits, dates as
/// `YYYY-MM-DD`. Unknown fields are refused. The canonical bytes (what is signed
/// and hashed) are `serde_json::to_vec` of the body: fields in declaration order, no white space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Body {
    /// Both parties agreed an MSA (signed by both).
    MsaAgreed {
        /// The MSA's id.
        msa_id: String,
        /// `msa_commitment`.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// `state_0`.
        #[serde(with = "fr_hex")]
        state0: Fr,
        /// The shape name the MSA was committed for (a partition shape's for v2).
        shape: String,
        /// The verifying key(s) invoices of this MSA are proved under: base64 of the key's
        /// compressed encoding (v1) or of the partition shape's key set (v2,
        /// `zkinvoice_verifier::PartitionKeySet::to_bytes`).
        vk: String,
        /// The keys' hash, 64 lowercase hex digits: SHA-256 of the key's compressed encoding (v1),
        /// the key set's hash (v2, `zkinvoice_verifier::InvoiceVerifyingKeys::hash`).
        vk_hash: String,
        /// How the keys were made: a multi-party ceremony's transcript, or a single-party setup
        /// both parties accept.
        key_setup: KeySetup,
    },
    /// Both parties agreed a period's usage (signed by both).
    UsageAgreed {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// `usage_commitment`.
        #[serde(with = "fr_hex")]
        usage_commitment: Fr,
        /// `usage_detail_root`, 64 hex digits.
        usage_detail_root: String,
    },
    /// The Seller proved an invoice (signed by the Seller).
    InvoiceProved {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The invoice number.
        invoice_number: String,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// The period's agreed `usage_commitment`.
        #[serde(with = "fr_hex")]
        usage_commitment: Fr,
        /// `invoice_commitment`: identifies the invoice.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// The state the period starts from.
        #[serde(with = "fr_hex")]
        state_before: Fr,
        /// The state it ends with.
        #[serde(with = "fr_hex")]
        state_after: Fr,
        /// The proof: base64 of its 192 compressed bytes (v1) or of a partitioned invoice's
        /// proofs (v2, `zkinvoice_verifier::InvoiceProofs`).
        proof: String,
    },
    /// The Buyer accepted an invoice (signed by the Buyer).
    InvoiceAccepted {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The invoice.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
    },
    /// The Buyer rejected an invoice (signed by the Buyer).
    InvoiceRejected {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The invoice.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// Why.
        reason: String,
    },
    /// Both parties agreed the verifying key of another statement of the MSA (signed by both): the
    /// reconciliation's (`zkinvoice/reconcile/v1`, `/v2` for a partitioned MSA), the netting's, the
    /// credit note's.
    StatementKeyAgreed {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The statement's id, e.g. `zkinvoice/reconcile/v1`.
        statement: String,
        /// Base64 of the key's compressed encoding (`/reconcile/v2`: of the two keys' set).
        vk: String,
        /// SHA-256 of the key's compressed encoding (a set: its hash), 64 lowercase hex digits.
        vk_hash: String,
        /// How the key was made.
        key_setup: KeySetup,
    },
    /// One party measured a period's usage and proved the invoice it rates from it under the MSA
    /// (signed by that party): the two parties' measurements of a period are reconciled before
    /// its usage is agreed.
    UsageMeasured {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// Who measured (and signs).
        by: Role,
        /// The commitment of its measurement (`usage_commitment`).
        #[serde(with = "fr_hex")]
        usage_commitment: Fr,
        /// The commitment of the invoice rated from it (`invoice_commitment`): what the
        /// reconciliation proof opens.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// The state it is rated from: the MSA's latest anchored state.
        #[serde(with = "fr_hex")]
        state_before: Fr,
        /// The state the rating ends with (not anchored as the MSA's state: a measurement is
        /// not an invoice).
        #[serde(with = "fr_hex")]
        state_after: Fr,
        /// The invoice statement's proof that the invoice is the rating of the measurement
        /// (base64, as `invoice-proved`'s).
        proof: String,
    },
    /// The two measurements of a period are within every dispute threshold of the MSA, proved
    /// (signed by the party that proved it).
    UsageReconciled {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// Who proved it (and signs).
        by: Role,
        /// The reconciliation proof, base64 of its 192 compressed bytes: public inputs the MSA,
        /// the two measured invoice commitments and `over = 0` (partitioned: every value and proof).
        proof: String,
    },
    /// The two measurements of a period are over some dispute thresholds of the MSA, proved: a
    /// dispute is open (signed by the party that opens it).
    DisputeOpened {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// Who opens it (and signs).
        by: Role,
        /// The thresholds the two are over, the statement's public input (not zero): bit `i`
        /// product slot `i`, then at `P`, `P + 1`, `P + 2` (the shape's `P` slots) the usage
        /// charges, the recurring charges and the invoice's total. No amount.
        #[serde(with = "fr_hex")]
        over: Fr,
        /// The reconciliation proof, base64 of its 192 compressed bytes (partitioned: of every
        /// public value and proof, `over` then the verdict's digest).
        proof: String,
    },
    /// Both parties resolved a period's dispute on a usage (signed by both): the period's
    /// `usage-agreed` must then agree this usage.
    DisputeResolved {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// The commitment of the usage the parties resolved on.
        #[serde(with = "fr_hex")]
        usage_commitment: Fr,
        /// How it was resolved, in words.
        resolution: String,
    },
    /// The Buyer paid an accepted invoice in full (signed by the Buyer): its amount is the
    /// invoice's proven total, which no entry shows.
    Payment {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The invoice paid.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// The day it was paid, `YYYY-MM-DD`.
        paid_on: String,
        /// The payer's payment reference (a transfer's reference, a transaction's hash): what the
        /// payee finds on its statement.
        reference: String,
    },
    /// The Seller received an invoice's payment in full (signed by the Seller): the invoice is
    /// settled.
    PaymentReceived {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The invoice paid.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// The day it was received, `YYYY-MM-DD`.
        received_on: String,
        /// The payment's reference, as the `payment` entry gives it.
        reference: String,
    },
    /// Two accepted invoices of one period in opposite directions between the same parties
    /// (this log's and one of the opposite bilateral's) netted, proved (signed by both: each
    /// agrees that neither invoice is settled otherwise, which one log cannot see of the other's);
    /// recorded in both bilaterals' logs. No amount: the net is committed.
    InvoicesNetted {
        /// This log's MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// This log's invoice, accepted here.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// The opposite bilateral's MSA.
        #[serde(with = "fr_hex")]
        other_msa_commitment: Fr,
        /// The opposite bilateral's invoice.
        #[serde(with = "fr_hex")]
        other_invoice_commitment: Fr,
        /// Its acceptance: this log's Seller's signature (128 hex digits), as the opposite
        /// bilateral's Buyer, of that log's `invoice-accepted` body of the other invoice.
        other_accepted: String,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// Who pays the net, by this log's roles.
        payer: Role,
        /// The commitment of the net amount (the statement's `netCommitment`).
        #[serde(with = "fr_hex")]
        net_commitment: Fr,
        /// The netting proof, base64 of its 192 compressed bytes.
        proof: String,
        /// Of two partitioned invoices (`zkinvoice/netting/v2`): their parts; absent for v1.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parts: Option<NettedParts>,
    },
    /// The payer of a netting paid its net in full (signed by the payer, `by`): its amount is
    /// the net the netting's proof commits to, which no entry shows.
    NetPayment {
        /// This log's MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The netting's net commitment (its `invoices-netted` entry's).
        #[serde(with = "fr_hex")]
        net_commitment: Fr,
        /// The payer, by this log's roles (and who signs).
        by: Role,
        /// The day it was paid, `YYYY-MM-DD`.
        paid_on: String,
        /// The payer's payment reference.
        reference: String,
    },
    /// The payee of a netting received its net (signed by the payee, `by`): the netting is
    /// settled.
    NetPaymentReceived {
        /// This log's MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The netting's net commitment.
        #[serde(with = "fr_hex")]
        net_commitment: Fr,
        /// The payee, by this log's roles (and who signs).
        by: Role,
        /// The day it was received, `YYYY-MM-DD`.
        received_on: String,
        /// The payment's reference, as the `net-payment` entry gives it.
        reference: String,
    },
    /// Both parties agreed a period's SLA performance (signed by both): the availability measured
    /// per product, committed (`sla_commitment`).
    SlaAgreed {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// `sla_commitment`.
        #[serde(with = "fr_hex")]
        sla_commitment: Fr,
    },
    /// The Seller credited an invoice under the MSA's service levels and the period's agreed SLA
    /// performance, proved (signed by the Seller). No amount: the note is committed.
    CreditNote {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The invoice credited.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// The credit note's commitment (the statement's `creditCommitment`).
        #[serde(with = "fr_hex")]
        credit_commitment: Fr,
        /// The credit-note proof, base64 of its 192 compressed bytes.
        proof: String,
    },
    /// Both parties agreed the usage of a disputed period's undisputed products (signed by both):
    /// the period's usage without the products its open dispute names, which stay open (MEF 114
    /// R79-R81). A partial invoice is proved from it while the dispute is open.
    UsagePartial {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// The partial usage's `usage_commitment`.
        #[serde(with = "fr_hex")]
        usage_commitment: Fr,
        /// Its `usage_detail_root`, 64 hex digits.
        usage_detail_root: String,
    },
    /// The Seller proved a disputed period's partial invoice (signed by the Seller): the invoice
    /// statement's proof of the rating of the period's partial usage from the MSA's latest state.
    /// Its state after is not the MSA's: the final invoice, once the dispute is resolved, rates
    /// the whole period, and the Buyer owes its total less this invoice's.
    InvoicePartial {
        /// The MSA.
        #[serde(with = "fr_hex")]
        msa_commitment: Fr,
        /// The invoice number.
        invoice_number: String,
        /// First day of the period, `YYYY-MM-DD`.
        period_start: String,
        /// First day after the period, `YYYY-MM-DD`.
        period_end: String,
        /// The period's partial usage (`usage-partial`).
        #[serde(with = "fr_hex")]
        usage_commitment: Fr,
        /// `invoice_commitment`: identifies the invoice.
        #[serde(with = "fr_hex")]
        invoice_commitment: Fr,
        /// The MSA's latest state, which the partial usage is rated from.
        #[serde(with = "fr_hex")]
        state_before: Fr,
        /// The state the rating ends with (not anchored as the MSA's).
        #[serde(with = "fr_hex")]
        state_after: Fr,
        /// The proof, as `invoice-proved`'s.
        proof: String,
    },
    /// A credit note carried to a later invoice (signed by both; [`CreditCarried`]).
    CreditCarried(CreditCarried),
}

mod carried;
mod netted;
mod new;
mod reconciled;
mod roles;
mod signature;

pub use carried::CreditCarried;
pub use netted::NettedParts;
pub(crate) use signature::fr_hex;
pub use signature::{Signature, BODY_DOMAIN};
