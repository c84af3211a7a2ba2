//! [`NetRule`]: the netting's rules an entry breaks (`rules::net`), with the values that break
//! them.

use thiserror::Error;
use zkinvoice_verifier::Fr;

use crate::short::{short, short_fr};

/// A rule of `invoices-netted`, `net-payment` or `net-payment-received` that an entry breaks, as
/// [`super::Rule::Net`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NetRule {
    /// A netting under an MSA that agreed no key of its statement.
    #[error(
        "MSA {} agreed no key of {statement} (no statement-key-agreed entry)",
        short_fr(msa)
    )]
    NoNettingKey {
        /// The MSA commitment.
        msa: Fr,
        /// The statement: `zkinvoice/netting/v1`, or `zkinvoice/netting/v2` for partitioned
        /// invoices.
        statement: &'static str,
    },
    /// A netting of partitioned invoices whose parts are not an invoice's: the top of `which`
    /// invoice's parts is not its commitment.
    #[error(
        "the parts of {which} invoice are not those of {}: their top differs",
        short_fr(invoice)
    )]
    NotTheParts {
        /// `this log's` or `the other`.
        which: &'static str,
        /// The invoice commitment.
        invoice: Fr,
    },
    /// A netting whose other bilateral is this log's.
    #[error(
        "the other MSA is this log's own ({}): netting takes two bilaterals",
        short_fr(msa)
    )]
    SameMsa {
        /// The MSA commitment.
        msa: Fr,
    },
    /// A netting of an invoice the Buyer has not accepted.
    #[error(
        "invoice {} is not accepted by the Buyer ({status}): only accepted invoices are netted",
        short_fr(invoice)
    )]
    NotAccepted {
        /// The invoice commitment.
        invoice: Fr,
        /// What it is: `proved, not decided` or `rejected at entry N`.
        status: String,
    },
    /// A netting of an invoice already paid on its own.
    #[error("invoice {} is already paid (entry {seq})", short_fr(invoice))]
    AlreadyPaid {
        /// The invoice commitment.
        invoice: Fr,
        /// The `payment` entry.
        seq: u64,
    },
    /// A netting of an invoice credited (`credit-note`, or a note carried to it:
    /// `credit-carried`): the netting statement nets totals.
    #[error(
        "invoice {} is credited (entry {seq}): a credited invoice is paid, not netted",
        short_fr(invoice)
    )]
    Credited {
        /// The invoice commitment.
        invoice: Fr,
        /// The `credit-note` (or `credit-carried`) entry.
        seq: u64,
    },
    /// A netting of an invoice (this log's or the other's) already netted in this log.
    #[error("invoice {} is already netted (entry {seq})", short_fr(invoice))]
    AlreadyNetted {
        /// The invoice commitment.
        invoice: Fr,
        /// The `invoices-netted` entry.
        seq: u64,
    },
    /// A net's payment or receipt naming a net commitment no netting of this log has.
    #[error(
        "no invoices-netted entry of this MSA has the net commitment {}",
        short_fr(net)
    )]
    UnknownNet {
        /// The net commitment.
        net: Fr,
    },
    /// A net's payment by the party that does not pay it, or its receipt by the party that pays.
    #[error("the {payer} pays this net (entry {seq}): the {by} cannot sign its {what}")]
    WrongParty {
        /// Who the entry names.
        by: crate::role::Role,
        /// Who pays the net.
        payer: crate::role::Role,
        /// `payment` or `receipt`.
        what: &'static str,
        /// The `invoices-netted` entry.
        seq: u64,
    },
    /// A second payment of a net.
    #[error("the net {} is already paid (entry {seq})", short_fr(net))]
    NetAlreadyPaid {
        /// The net commitment.
        net: Fr,
        /// The `net-payment` entry.
        seq: u64,
    },
    /// A receipt of a net that has no payment.
    #[error("the net {} has no payment (no net-payment entry)", short_fr(net))]
    NetNotPaid {
        /// The net commitment.
        net: Fr,
    },
    /// A second receipt of a net's payment.
    #[error("the payment of the net {} is already received (entry {seq})", short_fr(net))]
    NetAlreadyReceived {
        /// The net commitment.
        net: Fr,
        /// The `net-payment-received` entry.
        seq: u64,
    },
    /// A netting proof that does not verify.
    #[error(
        "the netting proof does not verify under the MSA's key {} for the two invoices, the net and the {payer} as payer",
        short(key_hash)
    )]
    NettingProofDoesNotVerify {
        /// The hash of the netting key (hex).
        key_hash: String,
        /// Who the entry says pays.
        payer: crate::role::Role,
    },
}
