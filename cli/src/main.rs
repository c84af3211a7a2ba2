//! `zkinvoice`: zero-knowledge invoice proofs between telecom and cloud providers (MEF 114
//! Option 1). See `zkinvoice --help` and the README.
#![forbid(unsafe_code)]

mod anchors;
mod chain;
mod commands;
mod demo;
mod error;
mod exchange;
mod export;
mod io;
mod payload;
mod proving;
mod render;
mod serve;
mod table;

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand, ValueEnum};
use zkinvoice_circuits::{Period, Shape};

/// Zero-knowledge invoice proofs for MEF 114 bilateral billing.
#[derive(Parser)]
#[command(name = "zkinvoice", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    /// Make the Groth16 keys of a shape (run by the Buyer, who then publishes the verifying key).
    Setup(SetupArgs),
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
        command: export::ExportCommand,
    },
    /// Serve over HTTP: the Seller's MEF 141 Billing API (bills, listeners, events) or the Buyer's
    /// receiving service (listener, verification against the anchors, decisions).
    Serve(serve::ServeArgs),
    /// Publish a bill (`invoice` output) into the Seller service's store: a running
    /// `serve --role seller` notifies the listeners.
    Publish(serve::PublishArgs),
    /// Run the whole flow on the built-in example data (examples/).
    Demo(DemoArgs),
}

#[derive(Args)]
struct KeygenArgs {
    /// The party's name (file names).
    #[arg(long)]
    party: String,
    /// Where to write the key files.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Replace an existing public key file (a signing key file is never replaced).
    #[arg(long)]
    force: bool,
    /// Make a secp256k1 account key for an anchor contract on an EVM chain instead:
    /// `NAME.eth.key` (owner-only) and `NAME.eth.addr` (its address, for the other party and the
    /// deployment).
    #[arg(long)]
    chain: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    /// The party that bills.
    Seller,
    /// The party that is billed.
    Buyer,
}

#[derive(Subcommand)]
enum AnchorsCommand {
    /// Create a bilateral's anchor log with both parties' public keys; or, given a JSON-RPC URL,
    /// deploy the verifier and anchor contracts for both parties' addresses.
    Init {
        /// The log file (SQLite) to create, or the JSON-RPC URL (http:// or https://) of the chain
        /// to deploy the contracts on.
        #[arg(long)]
        anchors: PathBuf,
        /// The Seller's public key file (on a chain: its address file `NAME.eth.addr`, or the
        /// address).
        #[arg(long)]
        seller: PathBuf,
        /// The Buyer's public key file (on a chain: its address file, or the address).
        #[arg(long)]
        buyer: PathBuf,
        /// On a chain: `InvoiceVerifier`'s creation code, hex (`solc --bin` of the
        /// `export solidity` output).
        #[arg(long)]
        verifier_bin: Option<PathBuf>,
        /// On a chain: `InvoiceAnchor`'s creation code, hex.
        #[arg(long)]
        anchor_bin: Option<PathBuf>,
        /// On a chain: the deploying account's secp256k1 key file (`keygen --chain`).
        #[arg(long)]
        key: Option<PathBuf>,
        /// On a chain: also write the anchor contract's address to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an existing --out file.
        #[arg(long)]
        force: bool,
    },
    /// Draft an entry (optionally signed) for the other party to sign.
    Propose(ProposeArgs),
    /// Add a signature to a proposal (in place).
    Sign {
        /// The proposal file.
        #[arg(long)]
        proposal: PathBuf,
        /// The signing key.
        #[arg(long)]
        key: PathBuf,
        /// The role signing.
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Append a fully signed proposal; its signatures and the log's rules are checked first. On
    /// a chain, send it as the anchor contract's call (`msa-agreed`: registerMsa, `usage-agreed`:
    /// registerUsage, `invoice-proved`: submitInvoice), signed by --key.
    Append {
        /// The log, or the JSON-RPC URL (http:// or https://) of the chain holding the anchor
        /// contract.
        #[arg(long)]
        anchors: PathBuf,
        /// The proposal (on a chain its Ed25519 signatures are not needed).
        #[arg(long)]
        proposal: PathBuf,
        /// On a chain: the anchor contract's address (0x and 40 hex digits).
        #[arg(long)]
        contract: Option<String>,
        /// On a chain: the sending party's secp256k1 key file (`keygen --chain`).
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Write the log's entries as JSON lines (for the other party's copy).
    Export {
        /// The log.
        #[arg(long)]
        anchors: PathBuf,
        /// The file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Append the entries of an export that this copy lacks; refuses forks, nothing written on
    /// any refusal.
    Import {
        /// The log.
        #[arg(long)]
        anchors: PathBuf,
        /// The export.
        #[arg(long)]
        from: PathBuf,
    },
    /// Check the whole log: chain, signatures, rules; names the first bad entry (exit 1).
    Verify {
        /// The log.
        #[arg(long)]
        anchors: PathBuf,
    },
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["msa_commit", "usage_commit", "envelope", "accept", "reject"])))]
struct ProposeArgs {
    /// `msa-agreed` from an MSA commitment file (with `--vk`).
    #[arg(long)]
    msa_commit: Option<PathBuf>,
    /// The verifying key the MSA's invoices are proved under.
    #[arg(long)]
    vk: Option<PathBuf>,
    /// `usage-agreed` from a usage commitment file.
    #[arg(long)]
    usage_commit: Option<PathBuf>,
    /// `invoice-proved` from a proof envelope (signed by the Seller).
    #[arg(long)]
    envelope: Option<PathBuf>,
    /// `invoice-accepted` for a proof envelope (signed by the Buyer).
    #[arg(long)]
    accept: Option<PathBuf>,
    /// `invoice-rejected` for a proof envelope (signed by the Buyer, with `--reason`).
    #[arg(long)]
    reject: Option<PathBuf>,
    /// Why the invoice is rejected.
    #[arg(long)]
    reason: Option<String>,
    /// Sign with this key.
    #[arg(long, requires = "role")]
    key: Option<PathBuf>,
    /// The role signing.
    #[arg(long, value_enum, requires = "key")]
    role: Option<RoleArg>,
    /// The proposal file to write.
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing proposal file.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct AuditArgs {
    /// The log: a SQLite anchor log, or the JSON-RPC URL (http:// or https://) of a chain holding
    /// the bilateral's anchor contract (then give --contract and --vk).
    #[arg(long)]
    anchors: PathBuf,
    /// With a JSON-RPC URL: the anchor contract's address (0x and 40 hex digits).
    #[arg(long)]
    contract: Option<String>,
    /// With a JSON-RPC URL: the bilateral's verifying key (the contract holds only its hash).
    #[arg(long)]
    vk: Option<PathBuf>,
    /// Verify proofs one at a time instead of batched (for comparison).
    #[arg(long)]
    one_by_one: bool,
}

#[derive(Subcommand)]
enum MsaCommand {
    /// Validate an MSA and compute its commitment and the initial state `state_0`.
    Commit(MsaCommitArgs),
}

#[derive(Subcommand)]
enum UsageCommand {
    /// Validate a period's usage and compute its commitment and detail root.
    Commit(UsageCommitArgs),
}

#[derive(Args)]
struct MsaCommitArgs {
    /// The MSA (JSON).
    #[arg(long)]
    msa: PathBuf,
    /// The circuit shape (default: the smallest that fits the MSA and `--records`).
    #[arg(long)]
    shape: Option<Shape>,
    /// Usage records per period the shape must hold (for choosing the default shape).
    #[arg(long, default_value_t = 0)]
    records: usize,
    /// The MSA commitment's salt, 62 hex digits (default: fresh random).
    #[arg(long)]
    salt: Option<String>,
    /// Where to write the commitment (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where to write the state file of `state_0`.
    #[arg(long)]
    state_out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct UsageCommitArgs {
    /// The MSA (JSON).
    #[arg(long)]
    msa: PathBuf,
    /// The MSA commitment written by `zkinvoice msa commit`.
    #[arg(long)]
    msa_commit: PathBuf,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long)]
    usage: PathBuf,
    /// The billing period START..END (end exclusive), e.g. 2026-10-01..2026-11-01.
    #[arg(long)]
    period: Option<Period>,
    /// Aggregate the records per product over buckets of this many days (a month of CDRs then
    /// fits shape S; the invoice is the same).
    #[arg(long)]
    aggregate_days: Option<u32>,
    /// The salt, 62 hex digits (default: fresh random).
    #[arg(long)]
    salt: Option<String>,
    /// Where to write the commitment (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct RateArgs {
    /// The MSA (JSON).
    #[arg(long)]
    msa: PathBuf,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long)]
    usage: PathBuf,
    /// The state file the period starts from (`state_0` from `msa commit --state-out`, or the
    /// previous invoice's state after).
    #[arg(long)]
    state: PathBuf,
    /// The invoice number.
    #[arg(long)]
    invoice_number: String,
    /// The billing period START..END (required for CSV usage).
    #[arg(long)]
    period: Option<Period>,
    /// Aggregate the records per product over buckets of this many days first.
    #[arg(long)]
    aggregate_days: Option<u32>,
    /// Where to write the invoice and state after (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where to write the state file after this period.
    #[arg(long)]
    state_out: Option<PathBuf>,
    /// Output format on standard output (default: a table on a terminal, JSON otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct SetupArgs {
    /// The shape.
    #[arg(long)]
    shape: Shape,
    /// The parameter directory to write invoice-<shape>.pk, .vk and .json into.
    #[arg(long, default_value = "params")]
    params: PathBuf,
    /// Replace existing key files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct ProveArgs {
    /// The parameter directory holding the shape's keys.
    #[arg(long, default_value = "params")]
    params: PathBuf,
    /// Prove every `*.job.json` in this directory, in parallel (see the README for the job
    /// format); each job writes `<name>.envelope.json` and `<name>.state-after.json` beside it.
    #[arg(long, conflicts_with_all = ["msa", "msa_commit", "usage", "usage_commit", "state", "invoice_number", "out"])]
    batch: Option<PathBuf>,
    /// The MSA (JSON).
    #[arg(long, required_unless_present = "batch")]
    msa: Option<PathBuf>,
    /// The MSA commitment written by `zkinvoice msa commit`.
    #[arg(long, required_unless_present = "batch")]
    msa_commit: Option<PathBuf>,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long, required_unless_present = "batch")]
    usage: Option<PathBuf>,
    /// The usage commitment written by `zkinvoice usage commit` for the same usage.
    #[arg(long, required_unless_present = "batch")]
    usage_commit: Option<PathBuf>,
    /// The billing period START..END (required for CSV usage).
    #[arg(long)]
    period: Option<Period>,
    /// Aggregate the records per product over buckets of this many days first (as for
    /// `usage commit`).
    #[arg(long)]
    aggregate_days: Option<u32>,
    /// The state file the period starts from.
    #[arg(long, required_unless_present = "batch")]
    state: Option<PathBuf>,
    /// The invoice number.
    #[arg(long, required_unless_present = "batch")]
    invoice_number: Option<String>,
    /// Where to write the proof envelope.
    #[arg(long, required_unless_present = "batch")]
    out: Option<PathBuf>,
    /// Where to write the state file after this period.
    #[arg(long)]
    state_out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct VerifyArgs {
    /// The verifying key (`invoice-<shape>.vk` from `zkinvoice setup`).
    #[arg(long, required_unless_present = "anchors")]
    vk: Option<PathBuf>,
    /// Take the key and the agreed commitments from this anchor log instead; or from the anchor
    /// contract on the chain of this JSON-RPC URL (http:// or https://; with --contract, and --vk
    /// since the contract holds only its hash).
    #[arg(long)]
    anchors: Option<PathBuf>,
    /// With a JSON-RPC --anchors: the anchor contract's address (0x and 40 hex digits).
    #[arg(long, requires = "anchors")]
    contract: Option<String>,
    /// With a JSON-RPC --anchors: read the contract this many blocks below the latest, and count
    /// the invoice valid only once the contract accepted it that deep (default 0: the latest
    /// block, and an invoice not submitted yet is checked against the current state).
    #[arg(long, default_value_t = 0, requires = "contract")]
    confirmations: u64,
    /// The proof envelope; several (repeat the flag, or list them) are verified in one batch.
    #[arg(long, required_unless_present = "payload", num_args = 1..)]
    envelope: Vec<PathBuf>,
    /// An MEF 141 CustomerBill with `zkProof` (from `zkinvoice invoice`) instead of an envelope.
    #[arg(long, conflicts_with = "envelope")]
    payload: Option<PathBuf>,
    /// With `--payload`: also check the bill's descriptive fields (products, names, units, order
    /// references, unit rates) against this MSA.
    #[arg(long, requires = "payload")]
    msa: Option<PathBuf>,
    /// The agreed MSA commitment (`msa commit` output): the proof must be against it.
    #[arg(long)]
    msa_commit: Option<PathBuf>,
    /// The agreed usage commitment (`usage commit` output): the proof must be against it.
    #[arg(long)]
    usage_commit: Option<PathBuf>,
    /// The state the period must start from (the latest agreed state file).
    #[arg(long)]
    state: Option<PathBuf>,
}

#[derive(Args)]
struct InvoiceArgs {
    /// The proof envelope (from `zkinvoice prove`).
    #[arg(long)]
    envelope: PathBuf,
    /// The MSA (JSON) the invoice bills under.
    #[arg(long)]
    msa: PathBuf,
    /// Where to write the CustomerBill (JSON).
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct RenderArgs {
    /// The proof envelope (from `zkinvoice prove`).
    #[arg(long)]
    envelope: PathBuf,
    /// The MSA (JSON) the invoice bills under (names, addresses, units, tiers).
    #[arg(long)]
    msa: PathBuf,
    /// Verify the proof with this verifying key (the agreed commitments are not checked);
    /// without it the invoice says "not verified".
    #[arg(long)]
    vk: Option<PathBuf>,
    /// Where to write the invoice (HTML).
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct DemoArgs {
    /// Keep every file the demo produces in this directory (it must not exist yet, or be empty).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The Master Services Agreement.
    Msa,
    /// Usage records of a period.
    Usage,
    /// An invoice.
    Invoice,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A readable table.
    Table,
    /// JSON.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Msa {
            command: MsaCommand::Commit(a),
        } => commands::msa_commit(a),
        Command::Usage {
            command: UsageCommand::Commit(a),
        } => commands::usage_commit(a),
        Command::Rate(a) => commands::rate(a),
        Command::Setup(a) => proving::setup(a),
        Command::Prove(a) => proving::prove(a),
        Command::Verify(a) => proving::verify(a),
        Command::Invoice(a) => payload::invoice(a),
        Command::Render(a) => render::render(a),
        Command::Schema { what } => commands::schema(what),
        Command::Keygen(a) => anchors::keygen(a),
        Command::Anchors { command } => anchors::run(command),
        Command::Audit(a) => anchors::audit(a),
        Command::Export { command } => export::run(command),
        Command::Serve(a) => serve::serve(a),
        Command::Publish(a) => serve::publish(a),
        Command::Demo(a) => demo::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
