//! The arguments of `serve` and `publish`.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, ValueEnum};

/// Which side of the bilateral a service plays.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServeRole {
    /// Serve proved bills (MEF 141 Billing Management) and notify listeners.
    Seller,
    /// Receive bills: listen for events, fetch, verify against the anchors, record the decision.
    Buyer,
}

/// `zkinvoice serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// The role.
    #[arg(long, value_enum)]
    pub role: ServeRole,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8141")]
    pub listen: SocketAddr,
    /// The service's store (SQLite; created if missing): the Seller's bills, listeners and outbox,
    /// or the Buyer's received bills.
    #[arg(long)]
    pub db: PathBuf,
    /// The party's anchor log. Both serve it at GET /anchors, take the other party's entries at
    /// POST /anchors and list its disputes at GET /disputes; the Buyer (required) checks bills
    /// against it and records its decisions, measurements and reconciliations in it. Buyer: or
    /// the JSON-RPC URL (http:// or https://) of the chain holding the anchor contract (with
    /// --contract and --vk).
    #[arg(long)]
    pub anchors: Option<PathBuf>,
    /// Buyer, with a JSON-RPC --anchors: the anchor contract's address.
    #[arg(long)]
    pub contract: Option<String>,
    /// Buyer, with a JSON-RPC --anchors: the bilateral's verifying key (the contract holds its
    /// hash).
    #[arg(long)]
    pub vk: Option<PathBuf>,
    /// Buyer, with a JSON-RPC --anchors: decide on a bill only once the contract accepted its
    /// invoice this many blocks deep (until then the listener answers 500: the Seller sends the
    /// event again). Default 0: at the latest block.
    #[arg(long, default_value_t = 0, requires = "contract")]
    pub confirmations: u64,
    /// A file holding the bearer token callers must present (no token: no authentication).
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Seller: a file holding the bearer token to present to listeners.
    #[arg(long)]
    pub listener_token_file: Option<PathBuf>,
    /// Seller: the URL this service is reached at, for the href of each event.
    #[arg(long)]
    pub public_url: Option<String>,
    /// Buyer: the Seller's base URL (required).
    #[arg(long)]
    pub seller_url: Option<String>,
    /// Buyer: a file holding the bearer token to present to the Seller.
    #[arg(long)]
    pub seller_token_file: Option<PathBuf>,
    /// Buyer: its signing key (`keygen`), to anchor invoice-accepted / invoice-rejected and what
    /// it posts at /measurements and /reconciliations.
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// Buyer (required): the MSA it holds; every field of a bill that its proof does not bind
    /// (names, addresses, units, order references, rates, the tier split) is checked against it.
    /// Seller (optional): only to name the products of a dispute at GET /disputes.
    #[arg(long)]
    pub msa: Option<PathBuf>,
}

/// `zkinvoice publish`.
#[derive(Args)]
pub struct PublishArgs {
    /// The Seller service's store (`serve --role seller --db`); a running service sends the events.
    #[arg(long)]
    pub db: PathBuf,
    /// The bill (`zkinvoice invoice` output).
    #[arg(long)]
    pub bill: PathBuf,
}
