//! Every command's arguments, as clap parses them (the help texts are the doc comments). Nothing
//! here is interpreted: [`crate::resolve`] turns what needs it into typed values once.

mod anchors;
mod ceremony;
mod credit;
mod files;
mod proofs;
mod serve;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use anchors::*;
pub use ceremony::*;
pub use credit::*;
pub use files::*;
pub use proofs::*;
pub use serve::*;

/// Zero-knowledge invoice proofs for MEF 114 bilateral billing.
#[derive(Parser)]
#[command(name = "zkinvoice", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Work with a Master Services Agreement.
    Msa {
        #[command(subcommand)]
        command: MsaCommand,
    },
    /// Work with the usage records of a billing period.
    Usage {
        #[command(subcommand)]
        command: UsageCommand,
    },
    /// Rate a period's usage against the MSA: the invoice and the cumulative volumes after it.
    Rate(RateArgs),
    /// Compare the Seller's invoice with the one rated from the Buyer's own measurement of the
    /// same period against the MSA's dispute thresholds (MEF 114 §8.5.3): per product, per charge
    /// kind and in total.
    ///
    /// Exit codes: 0 within every threshold; 1 over one (a dispute may be opened); 65 malformed or
    /// mismatched input; 66 unreadable file.
    Reconcile(ReconcileArgs),
    /// Net two invoices of one period in opposite directions between the same two parties (two
    /// bilaterals, MEF 114 §8.6.3): the net amount and who pays it; with --prove, the proof of
    /// it over the two invoice commitments, naming no amount.
    Net(NetArgs),
    /// SLA performance records of a period (MEF 114 §8.4): the availability measured per product.
    Sla {
        #[command(subcommand)]
        command: SlaCommand,
    },
    /// The credit note of an invoice under the MSA's service levels and the period's agreed SLA
    /// performance (MEF 114 §8.4, §8.6.4): per product the band its availability falls in and
    /// the credit; with --prove, the proof of it over the committed invoice, MSA and SLA
    /// performance, naming no amount.
    Credit(CreditArgs),
    /// Make the Groth16 keys of a shape (run by the Buyer, who then publishes the verifying key).
    Setup(SetupArgs),
    /// Make a shape's keys in a ceremony of several parties (Seller, Buyer, an auditor), so that
    /// no single party can forge proofs: start, contribute, prepare, contribute, verify, finish.
    Ceremony {
        #[command(subcommand)]
        command: CeremonyCommand,
    },
    /// Rate a period and prove the invoice: writes a proof envelope and the state after.
    Prove(ProveArgs),
    /// Check a proof envelope against the verifying key and the agreed commitments.
    ///
    /// Exit codes: 0 valid; 1 invalid (the proof, or the envelope against the commitments);
    /// 3 the envelope names another verifying key; 65 malformed input; 66 unreadable file.
    Verify(VerifyArgs),
    /// Render a proof envelope as an MEF 141 (Sonata Billing) CustomerBill, the proof as `zkProof`.
    Invoice(InvoiceArgs),
    /// Render a proof envelope as a human-readable invoice: one self-contained HTML file (MEF 114
    /// R73) with the lines, tiers, totals and the proof's status.
    Render(RenderArgs),
    /// Print the JSON Schema of an input format.
    Schema {
        /// Which format.
        #[arg(value_enum)]
        what: SchemaKind,
    },
    /// Make a party's Ed25519 signing key (`NAME.key`, owner-only) and public key (`NAME.pub`).
    Keygen(KeygenArgs),
    /// The bilateral's anchor log: what both parties agreed and signed.
    Anchors {
        #[command(subcommand)]
        command: AnchorsCommand,
    },
    /// Audit an anchor log without private data: chain, signatures, state chaining and every
    /// anchored proof (batched). Exit code 1 on any failure.
    Audit(AuditArgs),
    /// Export the verifying key and proofs for other verifiers: a Solidity verifier and anchor
    /// contract (EIP-2537), or snarkjs JSON.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Serve over HTTP: the Seller's MEF 141 Billing API (bills, listeners, events) or the Buyer's
    /// receiving service (listener, verification against the anchors, decisions).
    Serve(ServeArgs),
    /// Publish a bill (`invoice` output) into the Seller service's store: a running
    /// `serve --role seller` notifies the listeners.
    Publish(PublishArgs),
    /// Run the whole flow on the built-in example data (examples/).
    Demo(DemoArgs),
}

/// A party's role, on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// The party that bills.
    Seller,
    /// The party that is billed.
    Buyer,
}

/// `demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Keep every file the demo produces in this directory (it must not exist yet, or be empty).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The shape: `S` (one proof per invoice, protocol v1) or `PS` (every invoice proven as
    /// partitions of partition shape PS, protocol v2).
    #[arg(long, default_value = "S")]
    pub shape: zkinvoice_circuits::Layout,
    /// The Buyer makes the keys alone, as `zkinvoice setup` does, and both parties sign
    /// `msa-agreed` as a single-party setup: seconds instead of minutes, for a quick look and for
    /// tests. Without it the Seller and the Buyer make the keys in a two-party ceremony
    /// (`zkinvoice ceremony`), so that neither can forge, and `msa-agreed` anchors its transcript
    /// hash: about 4 minutes at shape S on 2 cores, most of it phase 2's start.
    #[arg(long)]
    pub single_party_setup: bool,
}

/// The input formats `schema` prints.
#[derive(Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The Master Services Agreement.
    Msa,
    /// Usage records of a period.
    Usage,
    /// An invoice.
    Invoice,
    /// SLA performance records of a period.
    Sla,
}

/// How `rate` prints on standard output.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// JSON.
    Json,
}
