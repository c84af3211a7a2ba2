//! `serve`: the Seller's MEF 141 Billing Management API, or the Buyer's receiving service (against
//! its anchor log, or the anchor contract on a chain), until interrupted.

use std::time::Duration;

use zkinvoice_service::{
    buyer::{Buyer, BuyerAnchors, BuyerConfig},
    seller::{Seller, SellerConfig},
    LISTENER_BASE, MEF_BASE,
};

use crate::{
    args::{ServeArgs, ServeRole},
    error::{service_err, CliError},
    load,
    resolve::{chain_vk, url_of, AnchorSource},
};

/// Refuses the options of the other role.
fn refuse_other_role(a: &ServeArgs) -> Result<(), CliError> {
    let seller_only = [
        ("--listener-token-file", a.listener_token_file.is_some()),
        ("--public-url", a.public_url.is_some()),
    ];
    let buyer_only = [
        ("--seller-url", a.seller_url.is_some()),
        ("--seller-token-file", a.seller_token_file.is_some()),
        ("--key", a.key.is_some()),
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
    Ok(())
}

/// Where the Buyer's service reads what is anchored.
fn buyer_anchors(a: &ServeArgs) -> Result<BuyerAnchors, CliError> {
    let Some(anchors) = a.anchors.as_deref() else {
        let flags_given = a.contract.is_some() || a.vk.is_some();
        return Err(CliError::Usage(if flags_given {
            "--contract and --vk are for a JSON-RPC --anchors (http:// or https://)".into()
        } else {
            "--role buyer needs --anchors".into()
        }));
    };
    match AnchorSource::resolve(
        anchors,
        a.contract.as_deref(),
        a.confirmations,
        "--contract and --vk",
        a.vk.is_some(),
    )? {
        AnchorSource::Chain(at) => {
            let vk = chain_vk(a.vk.as_deref())?;
            if a.key.is_some() {
                return Err(CliError::Usage(
                    "--key anchors decisions in a SQLite log; the anchor contract records none".into(),
                ));
            }
            Ok(BuyerAnchors::Chain(Box::new(at.with_key(load::keys(&vk)?))))
        }
        AnchorSource::Log(path) => Ok(BuyerAnchors::Log(path)),
    }
}

/// `serve`: runs until interrupted.
pub fn run(a: ServeArgs) -> Result<(), CliError> {
    refuse_other_role(&a)?;
    if a.role == ServeRole::Seller && a.anchors.as_deref().and_then(url_of).is_some() {
        return Err(CliError::Usage(
            "the Seller serves a SQLite anchor log at GET /anchors: --anchors is a file for --role seller"
                .into(),
        ));
    }
    // The Buyer's anchors are resolved (and a chain's key read) and its MSA read before anything
    // listens.
    let buyer = match a.role {
        ServeRole::Buyer => {
            let anchors = buyer_anchors(&a)?;
            let msa = a
                .msa
                .as_deref()
                .ok_or_else(|| CliError::Usage("--role buyer needs --msa (the MSA it holds)".into()))?;
            Some((anchors, load::msa(msa)?))
        }
        ServeRole::Seller => None,
    };
    let seller_msa = match (a.role, a.msa.as_deref()) {
        (ServeRole::Seller, Some(msa)) => Some(load::msa(msa)?),
        _ => None,
    };
    let token = load::token(a.token_file.as_deref())?;
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
                    listener_token: load::token(a.listener_token_file.as_deref())?,
                    anchors: a.anchors,
                    msa: seller_msa,
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
                let (anchors, msa) = buyer.expect("resolved for the Buyer above");
                let seller_url = a
                    .seller_url
                    .ok_or_else(|| CliError::Usage("--role buyer needs --seller-url".into()))?;
                let config = BuyerConfig {
                    anchors,
                    seller_url,
                    seller_token: load::token(a.seller_token_file.as_deref())?,
                    token,
                    key: a.key.as_deref().map(load::secret_key).transpose()?,
                    msa,
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
