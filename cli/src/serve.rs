//! `serve` and `publish`: the Seller's MEF 141 API and the Buyer's receiving service over HTTP.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use clap::{Args, ValueEnum};
use zkinvoice_circuits::model::sonata::CustomerBill;
use zkinvoice_service::{
    buyer::{Buyer, BuyerAnchors, BuyerConfig},
    seller::{Seller, SellerConfig, SellerStore},
    ServiceError, LISTENER_BASE, MEF_BASE,
};

use crate::{
    anchors::read_secret,
    commands::load_msa,
    error::CliError,
    io::{read_json, read_text},
};

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
    role: ServeRole,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8141")]
    listen: SocketAddr,
    /// The service's store (SQLite; created if missing): the Seller's bills, listeners and outbox,
    /// or the Buyer's received bills.
    #[arg(long)]
    db: PathBuf,
    /// The party's anchor log. The Seller serves it at GET /anchors; the Buyer (required) checks
    /// bills against it and records its decisions in it. Buyer: or the JSON-RPC URL (http:// or
    /// https://) of the chain holding the anchor contract (with --contract and --vk).
    #[arg(long)]
    anchors: Option<PathBuf>,
    /// Buyer, with a JSON-RPC --anchors: the anchor contract's address.
    #[arg(long)]
    contract: Option<String>,
    /// Buyer, with a JSON-RPC --anchors: the bilateral's verifying key (the contract holds its
    /// hash).
    #[arg(long)]
    vk: Option<PathBuf>,
    /// Buyer, with a JSON-RPC --anchors: decide on a bill only once the contract accepted its
    /// invoice this many blocks deep (until then the listener answers 500: the Seller sends the
    /// event again). Default 0: at the latest block.
    #[arg(long, default_value_t = 0, requires = "contract")]
    confirmations: u64,
    /// A file holding the bearer token callers must present (no token: no authentication).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Seller: a file holding the bearer token to present to listeners.
    #[arg(long)]
    listener_token_file: Option<PathBuf>,
    /// Seller: the URL this service is reached at, for the href of each event.
    #[arg(long)]
    public_url: Option<String>,
    /// Buyer: the Seller's base URL (required).
    #[arg(long)]
    seller_url: Option<String>,
    /// Buyer: a file holding the bearer token to present to the Seller.
    #[arg(long)]
    seller_token_file: Option<PathBuf>,
    /// Buyer: its signing key (`keygen`), to anchor invoice-accepted / invoice-rejected.
    #[arg(long)]
    key: Option<PathBuf>,
    /// Buyer: the MSA, to check the bills' descriptive fields too.
    #[arg(long)]
    msa: Option<PathBuf>,
}

/// `zkinvoice publish`.
#[derive(Args)]
pub struct PublishArgs {
    /// The Seller service's store (`serve --role seller --db`); a running service sends the events.
    #[arg(long)]
    db: PathBuf,
    /// The bill (`zkinvoice invoice` output).
    #[arg(long)]
    bill: PathBuf,
}

/// The CLI's message and exit code for a service error.
pub fn service_err(e: ServiceError) -> CliError {
    match e {
        ServiceError::Store { file, source } => CliError::Write {
            file,
            reason: source.to_string(),
        },
        ServiceError::Io { what, source } => CliError::Write {
            file: what.into(),
            reason: source.to_string(),
        },
        ServiceError::KeyMismatch(m) => CliError::KeyMismatch(m),
        ServiceError::Chain { target, source } => CliError::chain(target, source),
        e => CliError::Mismatch(e.to_string()),
    }
}

fn token(path: Option<&Path>) -> Result<Option<String>, CliError> {
    let Some(path) = path else { return Ok(None) };
    let t = read_text(path)?.trim().to_string();
    if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CliError::Mismatch(format!(
            "{}: a bearer token is one line of visible characters",
            path.display()
        )));
    }
    Ok(Some(t))
}

/// `zkinvoice serve`: runs until interrupted.
pub fn serve(a: ServeArgs) -> Result<(), CliError> {
    let seller_only = [
        ("--listener-token-file", a.listener_token_file.is_some()),
        ("--public-url", a.public_url.is_some()),
    ];
    let buyer_only = [
        ("--seller-url", a.seller_url.is_some()),
        ("--seller-token-file", a.seller_token_file.is_some()),
        ("--key", a.key.is_some()),
        ("--msa", a.msa.is_some()),
        ("--contract", a.contract.is_some()),
        ("--vk", a.vk.is_some()),
    ];
    let (role, wrong) = match a.role {
        ServeRole::Seller => ("seller", &buyer_only[..]),
        ServeRole::Buyer => ("buyer", &seller_only[..]),
    };
    if let Some((flag, _)) = wrong.iter().find(|(_, given)| *given) {
        return Err(CliError::Usage(format!(
            "{flag} is not an option of --role {role}"
        )));
    }
    let chain = match a.anchors.as_deref().and_then(crate::chain::url_of) {
        Some(_) if a.role == ServeRole::Seller => return Err(CliError::Usage(
            "the Seller serves a SQLite anchor log at GET /anchors: --anchors is a file for --role seller"
                .into(),
        )),
        Some(url) => {
            let target = crate::chain::Target::new(url, a.contract.as_deref())?;
            let vk = a.vk.as_deref().ok_or_else(|| {
                CliError::Usage("a JSON-RPC --anchors needs --vk (the contract holds only its hash)".into())
            })?;
            if a.key.is_some() {
                return Err(CliError::Usage(
                    "--key anchors decisions in a SQLite log; the anchor contract records none".into(),
                ));
            }
            Some(target.with_key(crate::proving::load_vk_bytes(vk)?, a.confirmations))
        }
        None if a.contract.is_some() || a.vk.is_some() => {
            return Err(CliError::Usage(
                "--contract and --vk are for a JSON-RPC --anchors (http:// or https://)".into(),
            ))
        }
        None => None,
    };
    let token = token(a.token_file.as_deref())?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Write {
        file: "the Tokio runtime".into(),
        reason: e.to_string(),
    })?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(a.listen).await.map_err(|e| CliError::Write {
            file: a.listen.to_string().into(),
            reason: format!("cannot listen: {e}"),
        })?;
        match a.role {
            ServeRole::Seller => {
                let config = SellerConfig {
                    token,
                    listener_token: self::token(a.listener_token_file.as_deref())?,
                    anchors: a.anchors,
                    public_url: a.public_url,
                    ..SellerConfig::default()
                };
                let seller = Seller::start(listener, &a.db, config).map_err(service_err)?;
                println!(
                    "seller: MEF 141 Billing Management at http://{}{MEF_BASE} (store {})",
                    seller.addr(),
                    a.db.display()
                );
                wait(seller.wait()).await;
            }
            ServeRole::Buyer => {
                let anchors = match chain {
                    Some(target) => BuyerAnchors::Chain(Box::new(target)),
                    None => BuyerAnchors::Log(
                        a.anchors
                            .ok_or_else(|| CliError::Usage("--role buyer needs --anchors".into()))?,
                    ),
                };
                let seller_url = a
                    .seller_url
                    .ok_or_else(|| CliError::Usage("--role buyer needs --seller-url".into()))?;
                let config = BuyerConfig {
                    anchors,
                    seller_url,
                    seller_token: self::token(a.seller_token_file.as_deref())?,
                    token,
                    key: a.key.as_deref().map(read_secret).transpose()?,
                    msa: a.msa.as_deref().map(load_msa).transpose()?,
                    timeout: Duration::from_secs(30),
                };
                let buyer = Buyer::start(listener, &a.db, config).map_err(service_err)?;
                println!(
                    "buyer: listening at http://{}{LISTENER_BASE}/listener/customerBillCreateEvent, decisions at /received (store {})",
                    buyer.addr(),
                    a.db.display()
                );
                wait(buyer.wait()).await;
            }
        }
        Ok(())
    })
}

/// Waits for the server or for Ctrl-C.
async fn wait(server: impl std::future::Future<Output = ()>) {
    tokio::select! {
        _ = server => {}
        _ = tokio::signal::ctrl_c() => eprintln!("interrupted: stopping"),
    }
}

/// `zkinvoice publish`: stores a bill in the Seller's store and queues its events.
pub fn publish(a: PublishArgs) -> Result<(), CliError> {
    let bill: CustomerBill = read_json(&a.bill)?;
    if !a.db.exists() {
        return Err(CliError::Read {
            file: a.db.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no Seller store here"),
        });
    }
    let store = SellerStore::open(&a.db).map_err(service_err)?;
    let p = store.publish(&bill).map_err(|e| match e {
        ServiceError::Bill { .. } => CliError::Mismatch(format!("{}: {e}", a.bill.display())),
        e => service_err(e),
    })?;
    if p.already {
        println!("bill {} was already published (unchanged)", p.id);
    } else {
        println!("published bill {}: {} events queued", p.id, p.events);
    }
    Ok(())
}
