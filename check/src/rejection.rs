//! Why a received invoice is refused ([`Rejection`]): typed, with the values that broke the
//! check; the CLI and the services make exit codes, messages and MEF error bodies of them.

use std::fmt;

use zkinvoice_circuits::Commitment;
use zkinvoice_verifier::{Fr, VerifyError, SCHEME};

use crate::Form;

/// Which of the agreed commitments a proof is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commitments {
    /// `msa_commitment`.
    Msa,
    /// `usage_commitment`.
    Usage,
    /// `state_before`.
    StateBefore,
}

impl fmt::Display for Commitments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Msa => "MSA commitment",
            Self::Usage => "usage commitment",
            Self::StateBefore => "state before",
        })
    }
}

fn c(x: &Fr) -> Commitment {
    Commitment(*x)
}

/// Why a received invoice is refused.
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    /// Proved under another scheme or statement than this verifier's.
    #[error(
        "the {form} is for {scheme} / {statement}, this verifier checks {SCHEME} / {}",
        zkinvoice_circuits::statement::STATEMENT
    )]
    Scheme {
        /// The form it arrived in.
        form: Form,
        /// The scheme it names.
        scheme: String,
        /// The statement it names.
        statement: String,
    },
    /// Proved under another verifying key than the one held for its MSA (or a key hash that is
    /// not one).
    #[error("{0}")]
    Key(VerifyError),
    /// A field that cannot be decoded: the shape, the commitment opening, the public inputs.
    #[error("{field}: {reason}")]
    Malformed {
        /// Where.
        field: String,
        /// Why.
        reason: String,
    },
    /// The document does not read as an invoice (a field the model refuses, amounts that do not
    /// add up, a bill's duplicated amounts that disagree, a field that is not the MSA's).
    #[error("{}: {error}", match form { Form::Envelope => "the envelope's invoice", Form::Bill => "the bill" })]
    Unreadable {
        /// The form it arrived in.
        form: Form,
        /// Why.
        error: zkinvoice_circuits::Error,
    },
    /// The invoice does not open the proven invoice commitment: it is not the invoice the proof
    /// is about.
    #[error("the {} does not open the proven invoice commitment (it was changed after proving)", form.document())]
    NotTheInvoice {
        /// The form it arrived in.
        form: Form,
    },
    /// A field of the document does not name what the proof proves (an envelope's commitment
    /// opening names another commitment or shape).
    #[error("{field}: {reason}")]
    Mismatch {
        /// Where.
        field: String,
        /// Why.
        reason: String,
    },
    /// The state after the document carries does not open the proven `state_after` (or belongs to
    /// another MSA).
    #[error("{field}: {reason}")]
    StateAfter {
        /// `stateAfter` (envelope) or `zkProof.stateAfter` (bill).
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The bill is not exactly the bill of the proven invoice: a field the proof does not bind
    /// (a name, an address, a rate, the tier split, an item's id or description, a date, ...) was
    /// changed.
    #[error("the bill is not the proven invoice's bill: {field} {reason}")]
    NotTheBill {
        /// The first field that differs.
        field: String,
        /// Why.
        reason: String,
    },
    /// The proof is against an MSA that is not anchored.
    #[error("the proof is against MSA commitment {}, which is not anchored", c(msa))]
    MsaNotAnchored {
        /// The proof's MSA commitment.
        msa: Fr,
    },
    /// No usage is anchored for the invoice's period.
    #[error("no usage is anchored for the period {start}..{end}")]
    NoUsage {
        /// First day (`YYYY-MM-DD`).
        start: String,
        /// First day after the period.
        end: String,
    },
    /// The proof is against another commitment than the agreed one.
    #[error("the proof is against {what} {}, not the agreed {}", c(proven), c(agreed))]
    NotAgreed {
        /// Which commitment.
        what: Commitments,
        /// The proof's.
        proven: Fr,
        /// The agreed one.
        agreed: Fr,
    },
    /// The invoice is anchored, between other states than the proof's.
    #[error("the {form}'s states are not those of the anchored invoice")]
    NotTheAnchoredStates {
        /// The form it arrived in.
        form: Form,
        /// The proof's `(state_before, state_after)` and the anchored invoice's.
        states: Box<[(Fr, Fr); 2]>,
    },
    /// The invoice is not anchored yet and its proof does not start from the MSA's latest
    /// anchored state.
    #[error("the proof starts from state {}, not the latest anchored state", c(proven))]
    NotTheLatestState {
        /// The proof's `state_before`.
        proven: Fr,
        /// The latest anchored state.
        latest: Option<Fr>,
    },
    /// Confirmations were asked and the anchor contract has not accepted the invoice that deep
    /// (it may later: not a refusal of the invoice).
    #[error("the anchor contract has not accepted this invoice {confirmations} blocks deep yet (read at block {block})")]
    Unconfirmed {
        /// The confirmations asked.
        confirmations: u64,
        /// The block read.
        block: u64,
    },
    /// A bill that says its payment is applied (`appliedPayment`, `state` `settled`) when the
    /// anchors do not record that payment received, under that reference (or the check has no
    /// anchor log to look it up in).
    #[error("appliedPayment: {reason}")]
    NotSettled {
        /// Why.
        reason: String,
    },
    /// The bill applies a credit note (`zkCredit`) that the anchors do not record for the
    /// invoice, or that does not open the anchored credit note's commitment (or the check has no
    /// anchor log to look it up in).
    #[error("zkCredit: {reason}")]
    NotCredited {
        /// Why.
        reason: String,
    },
    /// A bill whose part of its period (`zkPart`, `zkPartial`) is not the one the anchors
    /// record: an `interim` bill of a whole period, a `final` one whose `zkPartial` does not open
    /// the partial invoice anchored for the period, a `normal` one of a period invoiced in part
    /// (or the check has no anchor log to look it up in).
    #[error("{field}: {reason}")]
    NotThePart {
        /// The bill's field: `zkPart` or `zkPartial`.
        field: String,
        /// Why.
        reason: String,
    },
    /// Everything else holds, but the proof does not verify.
    #[error("the proof does not verify")]
    InvalidProof,
    /// A partitioned envelope's parts do not open the proven commitments, its shares do not sum to
    /// zero, or some of its partitions' proofs do not verify (named).
    #[error("{0}")]
    Partitions(zkinvoice_verifier::partition::PartitionedError),
}

impl Rejection {
    /// Whether the invoice is proved under another scheme or key than the one held.
    pub fn is_key_mismatch(&self) -> bool {
        matches!(self, Self::Scheme { .. } | Self::Key(_))
    }

    /// Whether a field cannot be decoded at all (rather than decoded and refused).
    pub fn is_malformed(&self) -> bool {
        matches!(self, Self::Malformed { .. })
    }

    /// The MEF error code the services answer with: `keyMismatch`, `invalidProof` or
    /// `invalidBill`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Scheme { .. } | Self::Key(_) => "keyMismatch",
            Self::InvalidProof | Self::Partitions(_) => "invalidProof",
            _ => "invalidBill",
        }
    }

    /// Whether the refusal is about the invoice the proof commits to (so the Buyer may anchor an
    /// `invoice-rejected` for it), rather than about a document that is not that invoice.
    pub fn is_about_the_invoice(&self) -> bool {
        matches!(
            self,
            Self::MsaNotAnchored { .. }
                | Self::NoUsage { .. }
                | Self::NotAgreed { .. }
                | Self::NotTheAnchoredStates { .. }
                | Self::NotTheLatestState { .. }
                | Self::InvalidProof
                | Self::Partitions(_)
        )
    }
}
