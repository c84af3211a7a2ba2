//! The arguments of the commands that make, check and present proofs: `setup`, `prove`,
//! `verify`, `invoice`, `render`, `export`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use zkinvoice_circuits::{Layout, Period};

/// `setup`.
#[derive(Args)]
pub struct SetupArgs {
    /// The shape: `S` or `M` (the invoice statement's keys), `PS` or `PM` (the block, chunk and
    /// link statements' keys).
    #[arg(long)]
    pub shape: Layout,
    /// The parameter directory to write invoice-X.pk, .vk and .json (or
    /// partition-X-{block,chunk,link}.pk, .vk and partition-X.json) into.
    #[arg(long, default_value = "params")]
    pub params: PathBuf,
    /// Replace existing key files.
    #[arg(long)]
    pub force: bool,
    /// The statement: the invoice statement's keys (`invoice`, the default), or the
    /// reconciliation statement's (`reconcile`: reconcile-X.pk, .vk and .json, v1 shapes).
    #[arg(long, value_enum, default_value = "invoice")]
    pub statement: StatementArg,
}

/// The statement `setup` makes keys of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatementArg {
    /// `zkinvoice/invoice/v1` (or a partition shape's statements).
    Invoice,
    /// `zkinvoice/reconcile/v1`.
    Reconcile,
    /// `zkinvoice/netting/v1` (at a partition shape `zkinvoice/netting/v2`, the netting of
    /// partitioned invoices: one key, `netting-v2-heads`, for every partition shape).
    Netting,
    /// `zkinvoice/credit/v1`.
    Credit,
}

/// `prove`.
#[derive(Args)]
pub struct ProveArgs {
    /// The parameter directory holding the shape's keys.
    #[arg(long, default_value = "params")]
    pub params: PathBuf,
    /// Prove every `*.job.json` in this directory, in parallel (see the README for the job
    /// format); each job writes `<name>.envelope.json` and `<name>.state-after.json` beside it.
    #[arg(long, conflicts_with_all = ["msa", "msa_commit", "usage", "usage_commit", "state", "invoice_number", "out"])]
    pub batch: Option<PathBuf>,
    /// The MSA (JSON).
    #[arg(long, required_unless_present = "batch")]
    pub msa: Option<PathBuf>,
    /// The MSA commitment written by `zkinvoice msa commit`.
    #[arg(long, required_unless_present = "batch")]
    pub msa_commit: Option<PathBuf>,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long, required_unless_present = "batch")]
    pub usage: Option<PathBuf>,
    /// The usage commitment written by `zkinvoice usage commit` for the same usage.
    #[arg(long, required_unless_present = "batch")]
    pub usage_commit: Option<PathBuf>,
    /// The billing period START..END (required for CSV usage).
    #[arg(long)]
    pub period: Option<Period>,
    /// Aggregate the records per product over buckets of this many days first (as for
    /// `usage commit`).
    #[arg(long)]
    pub aggregate_days: Option<u32>,
    /// The state file the period starts from.
    #[arg(long, required_unless_present = "batch")]
    pub state: Option<PathBuf>,
    /// The invoice number.
    #[arg(long, required_unless_present = "batch")]
    pub invoice_number: Option<String>,
    /// Where to write the proof envelope.
    #[arg(long, required_unless_present = "batch")]
    pub out: Option<PathBuf>,
    /// Where to write the state file after this period.
    #[arg(long)]
    pub state_out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    /// A partitioned invoice's work directory: its salts (`job.json`, made on the first run) and
    /// each partition's proof as it finishes. A run that stops resumes without redoing finished
    /// partitions; runs in other processes or machines (the same inputs and a copy of the
    /// directory) prove `--partition`s into it.
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// Prove only this partition (`block N`, `chunk N` or `link`; repeatable) into `--work`, and
    /// write no envelope.
    #[arg(long, requires = "work")]
    pub partition: Vec<String>,
}

/// `verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The verifying key (`invoice-X.vk` from `zkinvoice setup`).
    #[arg(long, required_unless_present = "anchors")]
    pub vk: Option<PathBuf>,
    /// Take the key and the agreed commitments from this anchor log instead; or from the anchor
    /// contract on the chain of this JSON-RPC URL (http:// or https://; with --contract, and --vk
    /// since the contract holds only its hash).
    #[arg(long)]
    pub anchors: Option<PathBuf>,
    /// With a JSON-RPC --anchors: the anchor contract's address (0x and 40 hex digits).
    #[arg(long, requires = "anchors")]
    pub contract: Option<String>,
    /// With a JSON-RPC --anchors: read the contract this many blocks below the latest, and count
    /// the invoice valid only once the contract accepted it that deep (default 0: the latest
    /// block, and an invoice not submitted yet is checked against the current state).
    #[arg(long, default_value_t = 0, requires = "contract")]
    pub confirmations: u64,
    /// The proof envelope; several (repeat the flag, or list them) are verified in one batch.
    #[arg(long, required_unless_present = "payload", num_args = 1..)]
    pub envelope: Vec<PathBuf>,
    /// An MEF 141 CustomerBill with `zkProof` (from `zkinvoice invoice`) instead of an envelope.
    #[arg(long, conflicts_with = "envelope")]
    pub payload: Option<PathBuf>,
    /// The MSA (JSON) the Buyer holds: every field of the envelope or bill that the proof does
    /// not bind (the state after, names, addresses, units, order references, rates, the tier
    /// split) is checked against it.
    #[arg(long)]
    pub msa: PathBuf,
    /// The agreed MSA commitment (`msa commit` output): the proof must be against it.
    #[arg(long)]
    pub msa_commit: Option<PathBuf>,
    /// The agreed usage commitment (`usage commit` output): the proof must be against it.
    #[arg(long)]
    pub usage_commit: Option<PathBuf>,
    /// The state the period must start from (the latest agreed state file).
    #[arg(long)]
    pub state: Option<PathBuf>,
}

/// `invoice`.
#[derive(Args)]
pub struct InvoiceArgs {
    /// The proof envelope (from `zkinvoice prove`).
    #[arg(long)]
    pub envelope: PathBuf,
    /// The MSA (JSON) the invoice bills under.
    #[arg(long)]
    pub msa: PathBuf,
    /// Where to write the CustomerBill (JSON).
    #[arg(long)]
    pub out: PathBuf,
    /// The Seller's anchor log: when it records the invoice's credit note (`credit-note`), the
    /// bill applies it (give its opening with `--credit`); when it records the invoice's payment
    /// received (`payment-received`), the bill is written settled (state `settled`, what is due
    /// applied as the payment's reference, nothing remaining), as the Seller publishes it again;
    /// a partial invoice (`invoice-partial`) is written `interim`, the final invoice of a period
    /// invoiced in part `final` (with `--partial-invoice`). Or the JSON-RPC URL of a node with
    /// `--contract`: the bill is written settled once the anchor contract records its payment
    /// received (`recordReceipt`).
    #[arg(long)]
    pub anchors: Option<PathBuf>,
    /// With a JSON-RPC `--anchors`: the anchor contract's address (0x…).
    #[arg(long, requires = "anchors")]
    pub contract: Option<String>,
    /// The opening of the invoice's credit note (`credit --prove --opening`), which `--anchors`
    /// must record.
    #[arg(long, requires = "anchors")]
    pub credit: Option<PathBuf>,
    /// The opening of a credit note the anchor log carries to the invoice (`credit-carried`:
    /// a note of an earlier invoice recorded after that one was paid); once per note carried.
    #[arg(long, requires = "anchors")]
    pub carried: Vec<PathBuf>,
    /// For the final invoice of a period invoiced in part (`--anchors` records its
    /// `invoice-partial`): the partial invoice's proof envelope, whose total the bill deducts
    /// (`zkPart` `final`, `zkPartial`). A partial invoice's own bill is written `zkPart` `interim`.
    #[arg(long, requires = "anchors")]
    pub partial_invoice: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
}

/// `render`.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["envelope", "bill"])))]
pub struct RenderArgs {
    /// The proof envelope (from `zkinvoice prove`).
    #[arg(long)]
    pub envelope: Option<PathBuf>,
    /// Or an MEF 141 bill (`zkinvoice invoice`, or as received): the invoice with what the bill
    /// says is due (its part, a credit note or partial invoice deducted, its payment).
    #[arg(long)]
    pub bill: Option<PathBuf>,
    /// The MSA (JSON) the invoice bills under (names, addresses, units, tiers).
    #[arg(long)]
    pub msa: PathBuf,
    /// Verify the proof with this verifying key (the agreed commitments are not checked);
    /// without it (or --anchors) the invoice says "not verified".
    #[arg(long)]
    pub vk: Option<PathBuf>,
    /// Or check it as `verify --anchors` does: against this anchor log's key and anchored
    /// commitments, and a bill's part, credit note and payment against what the log records
    /// (an interim or final bill can be checked only so).
    #[arg(long, conflicts_with = "vk")]
    pub anchors: Option<PathBuf>,
    /// Where to write the invoice (HTML).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
}

/// What to export.
#[derive(Subcommand)]
pub enum ExportCommand {
    /// snarkjs JSON (`curve: "bls12381"`): `verification_key.json`, and with an envelope
    /// `proof.json` and `public.json`, for `snarkjs groth16 verify`.
    Snarkjs(SnarkjsArgs),
    /// Solidity for an EVM ledger with the Prague precompiles (EIP-2537): `InvoiceVerifier.sol`
    /// (this verifying key embedded) and `InvoiceAnchor.sol` (the bilateral's anchor contract).
    Solidity(SolidityArgs),
    /// circom's binary constraint system (`.r1cs`, over BLS12-381's scalar field) of a shape's
    /// statements, wire for wire zkinvoice's variables: `invoice-X.r1cs`, or for a partition
    /// shape `partition-X-{block,chunk,link}.r1cs`, for snarkjs to set up and prove the
    /// identical statement (`snarkjs r1cs info`, `groth16 setup`).
    Circom(CircomArgs),
}

/// `export circom`.
#[derive(Args)]
pub struct CircomArgs {
    /// The shape: `S` or `M` (the invoice statement), `PS` or `PM` (the block, chunk and link
    /// statements).
    #[arg(long)]
    pub shape: Layout,
    /// The directory to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}

/// `export snarkjs`.
#[derive(Args)]
pub struct SnarkjsArgs {
    /// The verifying key (`invoice-X.vk`).
    #[arg(long)]
    pub vk: PathBuf,
    /// A proof envelope (from `zkinvoice prove`) made under that key: also writes `proof.json`
    /// and `public.json`.
    #[arg(long)]
    pub envelope: Option<PathBuf>,
    /// The directory to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}

/// `export solidity`.
#[derive(Args)]
pub struct SolidityArgs {
    /// The verifying key (`invoice-X.vk`, a partition key manifest `partition-X.json`, or with
    /// `--statement netting`, `credit` or `reconcile` that statement's key, `netting-X.vk` or
    /// `netting-v2-heads.vk`, `credit-X.vk`, `reconcile-X.vk`).
    #[arg(long)]
    pub vk: PathBuf,
    /// The statement of `--vk`: `invoice` (the default: the verifier and the anchor), `netting`
    /// (`NettingVerifier.sol` only, or for `netting-v2-heads.vk` `NettingHeadsVerifier.sol`,
    /// which both bilaterals' anchors register with `registerNetting`), `credit` (`CreditVerifier.sol` only, which the anchor registers
    /// with `registerCreditVerifier`) or `reconcile` (`ReconcileVerifier.sol` only,
    /// registered with `registerReconcileVerifier`).
    #[arg(long, value_enum, default_value = "invoice")]
    pub statement: StatementArg,
    /// The directory to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}
