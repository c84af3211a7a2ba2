//! The arguments of the commands on party keys and the anchors: `keygen`, `anchors ...`,
//! `audit`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::RoleArg;

/// `keygen`.
#[derive(Args)]
pub struct KeygenArgs {
    /// The party's name (file names).
    #[arg(long)]
    pub party: String,
    /// Where to write the key files.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// Replace an existing public key file (a signing key file is never replaced).
    #[arg(long)]
    pub force: bool,
    /// Make a secp256k1 account key for an anchor contract on an EVM chain instead:
    /// `NAME.eth.key` (owner-only) and `NAME.eth.addr` (its address, for the other party and the
    /// deployment).
    #[arg(long)]
    pub chain: bool,
}

/// `anchors ...`.
#[derive(Subcommand)]
pub enum AnchorsCommand {
    /// Create a bilateral's anchor log with both parties' public keys; or, given a JSON-RPC URL,
    /// deploy the verifier and anchor contracts for both parties' addresses.
    Init(AnchorsInitArgs),
    /// Draft an entry (optionally signed) for the other party to sign.
    Propose(Box<ProposeArgs>),
    /// Add a signature to a proposal (in place).
    Sign(SignArgs),
    /// Append a fully signed proposal; its signatures and the log's rules are checked first. On
    /// a chain, send it as the anchor contract's call (`msa-agreed`: registerMsa, `usage-agreed`:
    /// registerUsage, `invoice-proved`: submitInvoice, the Seller's key only), signed by --key.
    Append(AppendArgs),
    /// Write the log's entries as JSON lines (for the other party's copy).
    Export(ExportLogArgs),
    /// Append the entries of an export that this copy lacks; refuses forks, nothing written on
    /// any refusal.
    Import(ImportArgs),
    /// Check the whole log: chain, signatures, rules, its record of written entries; names the
    /// first bad entry or the removed ones (exit 1). With --against, compare it with the other
    /// party's copy: names the entries either copy lacks, or where they diverge (exit 1).
    Verify(VerifyLogArgs),
}

/// `anchors verify`.
#[derive(Args)]
pub struct VerifyLogArgs {
    /// The log.
    #[arg(long)]
    pub anchors: PathBuf,
    /// The other party's copy: its log file (SQLite, checked whole too) or its export (JSON
    /// lines, `anchors export`). The two must hold the same entries.
    #[arg(long)]
    pub against: Option<PathBuf>,
}

/// `anchors init`.
#[derive(Args)]
pub struct AnchorsInitArgs {
    /// The log file (SQLite) to create, or the JSON-RPC URL (http:// or https://) of the chain
    /// to deploy the contracts on.
    #[arg(long)]
    pub anchors: PathBuf,
    /// The Seller's public key file (on a chain: its address file `NAME.eth.addr`, or the
    /// address).
    #[arg(long, required_unless_present = "statement_verifier_bin")]
    pub seller: Option<PathBuf>,
    /// The Buyer's public key file (on a chain: its address file, or the address).
    #[arg(long, required_unless_present = "statement_verifier_bin")]
    pub buyer: Option<PathBuf>,
    /// On a chain: deploy only a statement's verifier, a `NettingVerifier` (or a
    /// `NettingHeadsVerifier`) or a `CreditVerifier` (its creation code, hex, as `solc --bin`
    /// compiles `export solidity --statement netting` or `credit`), which anchors register with
    /// `registerNetting` or `registerCreditVerifier`.
    #[arg(long, conflicts_with_all = ["seller", "buyer", "verifier_bin", "anchor_bin"])]
    pub statement_verifier_bin: Option<PathBuf>,
    /// On a chain: `InvoiceVerifier`'s creation code, hex (`solc --bin` of the
    /// `export solidity` output).
    #[arg(long)]
    pub verifier_bin: Option<PathBuf>,
    /// On a chain: `InvoiceAnchor`'s creation code, hex.
    #[arg(long)]
    pub anchor_bin: Option<PathBuf>,
    /// On a chain: the deploying account's secp256k1 key file (`keygen --chain`).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// On a chain: also write the anchor contract's (or the netting verifier's) address to this
    /// file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file.
    #[arg(long)]
    pub force: bool,
}

/// `anchors sign`.
#[derive(Args)]
pub struct SignArgs {
    /// The proposal file.
    #[arg(long)]
    pub proposal: PathBuf,
    /// The signing key.
    #[arg(long)]
    pub key: PathBuf,
    /// The role signing.
    #[arg(long, value_enum)]
    pub role: RoleArg,
}

/// `anchors append`.
#[derive(Args)]
pub struct AppendArgs {
    /// The log, or the JSON-RPC URL (http:// or https://) of the chain holding the anchor
    /// contract.
    #[arg(long)]
    pub anchors: PathBuf,
    /// The proposal (on a chain its Ed25519 signatures are not needed).
    #[arg(long)]
    pub proposal: PathBuf,
    /// On a chain: the anchor contract's address (0x and 40 hex digits).
    #[arg(long)]
    pub contract: Option<String>,
    /// On a chain: the sending party's secp256k1 key file (`keygen --chain`).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// On a chain, with the netting key's `statement-key-agreed`: the anchor contract of the
    /// bilateral the other way round (its address, or the file holding it), sent with
    /// `--statement-verifier` as `registerNetting`.
    #[arg(long, requires = "statement_verifier")]
    pub counterpart: Option<PathBuf>,
    /// On a chain, with a netting or credit-note key's `statement-key-agreed`: that key's
    /// verifier (`anchors init --statement-verifier-bin`), its address or the file holding it; it
    /// must embed the key the entry agrees. Sent as `registerNetting` (with `--counterpart`) or
    /// `registerCreditVerifier`.
    #[arg(long)]
    pub statement_verifier: Option<PathBuf>,
}

/// `anchors export`.
#[derive(Args)]
pub struct ExportLogArgs {
    /// The log.
    #[arg(long)]
    pub anchors: PathBuf,
    /// The file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `anchors import`.
#[derive(Args)]
pub struct ImportArgs {
    /// The log.
    #[arg(long)]
    pub anchors: PathBuf,
    /// The export.
    #[arg(long)]
    pub from: PathBuf,
}

/// `anchors propose`.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["msa_commit", "usage_commit", "envelope", "accept", "reject", "measured", "reconciliation", "resolve", "paid", "received", "netting", "net_paid", "net_received", "sla_commit", "credit_note", "carry"])))]
pub struct ProposeArgs {
    /// `msa-agreed` from an MSA commitment file (with `--vk`; with `--reconcile-key`, the MSA
    /// that key is agreed for).
    #[arg(long)]
    pub msa_commit: Option<PathBuf>,
    /// The verifying key the MSA's invoices are proved under: a v1 key file (its manifest beside
    /// it) or a partition key manifest. The manifest's ceremony record (`zkinvoice ceremony
    /// finish`) goes into the entry as its `keySetup`.
    #[arg(long)]
    pub vk: Option<PathBuf>,
    /// With `--msa-commit`: the keys were made by one party alone (`zkinvoice setup`), which could
    /// forge proofs under them, and both parties accept that (the entry says so and both sign
    /// it). Without it, keys without a multi-party ceremony are refused.
    #[arg(long, requires = "msa_commit")]
    pub single_party_setup: bool,
    /// `usage-agreed` from a usage commitment file.
    #[arg(long)]
    pub usage_commit: Option<PathBuf>,
    /// `invoice-proved` from a proof envelope (signed by the Seller).
    #[arg(long)]
    pub envelope: Option<PathBuf>,
    /// With `--usage-commit` or `--envelope`: a disputed period's part, while its dispute is open:
    /// `usage-partial` (the usage of the products the dispute does not name; signed by both) or
    /// `invoice-partial` (that usage's invoice, proved from the MSA's latest state; signed by the
    /// Seller). The final invoice, once the dispute is resolved, is an `invoice-proved`.
    #[arg(long)]
    pub partial: bool,
    /// `invoice-accepted` for a proof envelope (signed by the Buyer).
    #[arg(long)]
    pub accept: Option<PathBuf>,
    /// `invoice-rejected` for a proof envelope (signed by the Buyer, with `--reason`).
    #[arg(long)]
    pub reject: Option<PathBuf>,
    /// Why the invoice is rejected.
    #[arg(long)]
    pub reason: Option<String>,
    /// `statement-key-agreed` for the MSA of `--msa-commit`: the reconciliation statement's
    /// verifying key file (reconcile-X.vk, its manifest beside it; for a partitioned MSA
    /// reconcile-v2-block-X.vk, its manifest and reconcile-v2-link-link.vk beside it; signed by
    /// both).
    #[arg(long, requires = "msa_commit", conflicts_with = "vk")]
    pub reconcile_key: Option<PathBuf>,
    /// `statement-key-agreed` for the MSA of `--msa-commit`: the netting statement's verifying
    /// key file (netting-X.vk, or netting-v2-heads.vk for partitioned invoices; its manifest
    /// beside it; signed by both).
    #[arg(long, requires = "msa_commit", conflicts_with_all = ["vk", "reconcile_key"])]
    pub netting_key: Option<PathBuf>,
    /// `statement-key-agreed` for the MSA of `--msa-commit`: the credit-note statement's
    /// verifying key file (credit-X.vk, its manifest beside it; signed by both).
    #[arg(long, requires = "msa_commit", conflicts_with_all = ["vk", "reconcile_key", "netting_key"])]
    pub credit_key: Option<PathBuf>,
    /// `sla-agreed` from an SLA commitment file (`sla commit`; signed by both).
    #[arg(long)]
    pub sla_commit: Option<PathBuf>,
    /// `credit-note` from a credit-note envelope (`credit --prove`; signed by the Seller).
    #[arg(long)]
    pub credit_note: Option<PathBuf>,
    /// `credit-carried` (signed by both): this credit-note envelope's note (`credit --prove`),
    /// recorded after its invoice was paid, carried to the invoice `--to`.
    #[arg(long, requires = "to")]
    pub carry: Option<PathBuf>,
    /// With `--carry`: the invoice the note is carried to, as its bill or proof envelope.
    #[arg(long, requires = "carry")]
    pub to: Option<PathBuf>,
    /// `usage-measured` by `--role`: the proof envelope of its own measurement (`prove` on the
    /// usage it measured, from the MSA's latest state), whose invoice the reconciliation compares.
    #[arg(long, requires = "role")]
    pub measured: Option<PathBuf>,
    /// `usage-reconciled` (within) or `dispute-opened` (over) by `--role`, from a reconciliation
    /// envelope (`reconcile --prove`; of v1 invoices or of partitioned ones).
    #[arg(long, requires = "role")]
    pub reconciliation: Option<PathBuf>,
    /// `dispute-resolved` on the usage of this usage commitment file (signed by both, with
    /// `--resolution`).
    #[arg(long, requires = "resolution")]
    pub resolve: Option<PathBuf>,
    /// How the dispute was resolved, in words.
    #[arg(long, requires = "resolve")]
    pub resolution: Option<String>,
    /// `payment` (signed by the Buyer): the invoice paid in full, as its bill (MEF 141
    /// `CustomerBill`) or proof envelope; with `--reference` and `--on`.
    #[arg(long, requires_all = ["reference", "on"])]
    pub paid: Option<PathBuf>,
    /// `payment-received` (signed by the Seller): the invoice whose payment was received, as its
    /// bill or proof envelope; with the payment's `--reference` and `--on`.
    #[arg(long, requires_all = ["reference", "on"])]
    pub received: Option<PathBuf>,
    /// `invoices-netted` (signed by both), from a netting envelope (`net --prove`), in the log
    /// `--anchors`, whose invoice is one of the two; the other, of the opposite bilateral, must be
    /// accepted in `--other-anchors` (its acceptance's signature goes into the entry).
    /// On a chain (`--anchors URL --contract A`), this anchor's invoice of the period is the
    /// one, the other bilateral's MSA is its registered counterpart's and `otherAccepted` is
    /// empty (the counterpart accepted its invoice by verifying its proof).
    #[arg(long, requires = "anchors")]
    pub netting: Option<PathBuf>,
    /// `net-payment` by `--role` (the party that pays the net, by this log's roles): the net of
    /// this netting envelope paid in full, in the log `--anchors` (which holds its
    /// `invoices-netted`); with `--reference` and `--on`.
    #[arg(long, requires_all = ["role", "anchors", "reference", "on"])]
    pub net_paid: Option<PathBuf>,
    /// `net-payment-received` by `--role` (the party paid): the net of this netting envelope
    /// received, in the log `--anchors`; with the payment's `--reference` and `--on`.
    #[arg(long, requires_all = ["role", "anchors", "reference", "on"])]
    pub net_received: Option<PathBuf>,
    /// With `--netting`, `--net-paid` or `--net-received`: this bilateral's anchor log, or the
    /// JSON-RPC URL of the chain holding its anchor contract (with `--contract`).
    #[arg(long)]
    pub anchors: Option<PathBuf>,
    /// With a JSON-RPC `--anchors`: this bilateral's anchor contract (0x and 40 hex digits).
    #[arg(long, requires = "anchors")]
    pub contract: Option<String>,
    /// With `--netting` and a log: the opposite bilateral's anchor log (or its export, JSON
    /// lines).
    #[arg(long, requires = "netting")]
    pub other_anchors: Option<PathBuf>,
    /// The payment's reference (a transfer's reference, a transaction's hash).
    #[arg(long)]
    pub reference: Option<String>,
    /// The day paid or received, YYYY-MM-DD.
    #[arg(long)]
    pub on: Option<String>,
    /// Sign with this key.
    #[arg(long, requires = "role")]
    pub key: Option<PathBuf>,
    /// The role signing.
    #[arg(long, value_enum, requires = "key")]
    pub role: Option<RoleArg>,
    /// The proposal file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace an existing proposal file.
    #[arg(long)]
    pub force: bool,
}

/// `audit`.
#[derive(Args)]
pub struct AuditArgs {
    /// The log: a SQLite anchor log, or the JSON-RPC URL (http:// or https://) of a chain holding
    /// the bilateral's anchor contract (then give --contract and --vk).
    #[arg(long)]
    pub anchors: PathBuf,
    /// With a JSON-RPC URL: the anchor contract's address (0x and 40 hex digits).
    #[arg(long)]
    pub contract: Option<String>,
    /// With a JSON-RPC URL: the bilateral's verifying key (the contract holds only its hash).
    #[arg(long)]
    pub vk: Option<PathBuf>,
    /// With a JSON-RPC URL: the netting statement's verifying key (`netting-X.vk`, or
    /// `netting-v2-heads.vk` for partitioned invoices), to verify again the proofs of the
    /// nettings the contract recorded (without it they are counted, not
    /// verified). A log holds its statements' keys in its entries.
    #[arg(long)]
    pub netting_vk: Option<PathBuf>,
    /// With a JSON-RPC URL: the credit-note statement's verifying key (`credit-X.vk`), likewise
    /// for the credit notes the contract recorded.
    #[arg(long)]
    pub credit_vk: Option<PathBuf>,
    /// With a JSON-RPC URL: the reconciliation statement's verifying key (`reconcile-X.vk`),
    /// likewise for the reconciliations and disputes the contract recorded (the measurements'
    /// proofs are verified again under --vk).
    #[arg(long)]
    pub reconcile_vk: Option<PathBuf>,
    /// Verify proofs one at a time instead of batched (for comparison).
    #[arg(long)]
    pub one_by_one: bool,
}
