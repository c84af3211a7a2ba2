//! The demo's HTTP exchange: the Seller's and the Buyer's services on loopback, a bill delivered
//! through MEF 141 events, the Buyer's decisions, measurements and disputes delivered by its
//! service into the Seller's anchor log (`POST /anchors` there), the Seller's disputes listed.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use serde_json::json;
use tokio::{net::TcpListener, runtime::Runtime};
use zkinvoice_anchors::{AnchorLog, PartySecret};
use zkinvoice_circuits::Msa;
use zkinvoice_mef141::CustomerBill;
use zkinvoice_service::{
    buyer::{Anchored, Buyer, BuyerAnchors, BuyerConfig, Received},
    disputes::Dispute,
    seller::{Seller, SellerConfig},
    MEF_BASE,
};

use zkinvoice_circuits::commit::StateOpening;
use zkinvoice_prover::ProofEnvelope;

use super::{partial::BillPart, Demo};
use crate::{
    actions,
    error::{anchor_err, service_err, CliError},
    report::since,
};

/// Both services, running.
pub struct Exchange {
    runtime: Runtime,
    seller: Seller,
    buyer: Buyer,
}

/// Whether the Buyer's service delivered its decision (entry `entry`) to the Seller's copy `log`.
fn delivered(log: &AnchorLog, entry: u64) -> Result<(), CliError> {
    if log.len().map_err(anchor_err)? < entry {
        return Err(CliError::Mismatch(format!(
            "the buyer's service did not deliver its decision (entry {entry}) to the seller's copy"
        )));
    }
    Ok(())
}

fn failed(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Write {
        file: what.into(),
        reason: e.to_string(),
    }
}

impl Exchange {
    /// Starts the Seller (store `seller.db` in `dir`, serving `seller_anchors`) and the Buyer
    /// (store `buyer.db`, checking against and signing into `buyer_anchors`), on loopback, and
    /// registers the Buyer as the Seller's listener over HTTP.
    pub fn start(
        dir: &Path,
        seller_anchors: &Path,
        buyer_anchors: &Path,
        buyer_key: PartySecret,
        msa: Msa,
    ) -> Result<Self, CliError> {
        let runtime = Runtime::new().map_err(|e| failed("the Tokio runtime", e))?;
        let (seller, buyer) = runtime.block_on(async {
            let bind = || async {
                TcpListener::bind("127.0.0.1:0")
                    .await
                    .map_err(|e| failed("127.0.0.1", e))
            };
            let seller = Seller::start(
                bind().await?,
                &dir.join("seller.db"),
                SellerConfig {
                    anchors: Some(seller_anchors.into()),
                    msa: Some(msa.clone()),
                    ..SellerConfig::default()
                },
            )
            .map_err(service_err)?;
            let buyer = Buyer::start(
                bind().await?,
                &dir.join("buyer.db"),
                BuyerConfig {
                    anchors: BuyerAnchors::Log(buyer_anchors.into()),
                    seller_url: format!("http://{}", seller.addr()),
                    seller_token: None,
                    token: None,
                    key: Some(buyer_key),
                    msa,
                    timeout: Duration::from_secs(30),
                },
            )
            .map_err(service_err)?;
            let r = reqwest::Client::new()
                .post(format!("http://{}{MEF_BASE}/hub", seller.addr()))
                .json(&json!({
                    "callback": format!("http://{}", buyer.addr()),
                    "query": "eventType=customerBillCreateEvent,customerBillStateChangeEvent",
                }))
                .send()
                .await
                .map_err(|e| failed("POST /hub", e))?;
            if r.status() != reqwest::StatusCode::CREATED {
                return Err(failed("POST /hub", format!("HTTP {}", r.status())));
            }
            Ok::<_, CliError>((seller, buyer))
        })?;
        Ok(Self {
            runtime,
            seller,
            buyer,
        })
    }

    /// Where the services listen, for people.
    pub fn describe(&self) -> String {
        format!(
            "seller http://{}{MEF_BASE}, buyer http://{}",
            self.seller.addr(),
            self.buyer.addr()
        )
    }

    /// Publishes `bill` at the Seller and waits (up to a minute) for the Buyer's decision.
    pub fn deliver(&self, bill: &CustomerBill) -> Result<Received, CliError> {
        self.seller.publish(bill).map_err(service_err)?;
        let start = Instant::now();
        loop {
            if let Some((r, _)) = self.buyer.store().get(&bill.id).map_err(service_err)? {
                return Ok(r);
            }
            if start.elapsed() > Duration::from_secs(60) {
                return Err(CliError::Mismatch(format!(
                    "the buyer's service did not decide bill {} within a minute",
                    bill.id
                )));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Publishes `bill` settled at the Seller and waits (up to a minute) for the Buyer's service
    /// to check it (`customerBillStateChangeEvent`): the payment's reference it recorded.
    pub fn settle(&self, bill: &CustomerBill) -> Result<String, CliError> {
        self.seller.publish(bill).map_err(service_err)?;
        let start = Instant::now();
        loop {
            if let Some((r, _)) = self.buyer.store().get(&bill.id).map_err(service_err)? {
                if let Some(why) = r.change_refused {
                    return Err(CliError::Invalid(format!(
                        "the buyer's service refused {} settled: {why}",
                        bill.id
                    )));
                }
                if let Some(reference) = r.settled {
                    return Ok(reference);
                }
            }
            if start.elapsed() > Duration::from_secs(60) {
                return Err(CliError::Mismatch(format!(
                    "the buyer's service did not record {} settled within a minute",
                    bill.id
                )));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Posts `body` as JSON to the Buyer's service at `path` (`/measurements`,
    /// `/reconciliations`): the entry it anchored, which it must have delivered to the Seller's.
    pub fn post_to_buyer(&self, path: &str, body: &impl serde::Serialize) -> Result<Anchored, CliError> {
        let url = format!("http://{}{path}", self.buyer.addr());
        let (status, text) = self
            .runtime
            .block_on(async {
                let r = reqwest::Client::new().post(&url).json(body).send().await?;
                let status = r.status();
                Ok::<_, reqwest::Error>((status, r.text().await?))
            })
            .map_err(|e| failed(&format!("POST {path}"), e))?;
        if status != reqwest::StatusCode::CREATED {
            return Err(CliError::Mismatch(format!(
                "the buyer's service answers POST {path} with HTTP {status}: {text}"
            )));
        }
        let anchored: Anchored =
            serde_json::from_str(&text).map_err(|e| failed(&format!("POST {path}"), e))?;
        match &anchored.not_delivered {
            Some(why) => Err(CliError::Mismatch(format!(
                "the buyer's service did not deliver entry {} to the seller's: {why}",
                anchored.entry
            ))),
            None => Ok(anchored),
        }
    }

    /// The disputes the Seller's service lists (`GET /disputes`).
    pub fn seller_disputes(&self) -> Result<Vec<Dispute>, CliError> {
        let url = format!("http://{}/disputes", self.seller.addr());
        self.runtime
            .block_on(async { reqwest::get(&url).await?.error_for_status()?.json().await })
            .map_err(|e| failed("GET /disputes", e))
    }

    /// Stops both services.
    pub fn stop(self) {
        self.seller.stop();
        self.buyer.stop();
        drop(self.runtime);
    }
}

impl Demo {
    /// The month's bill (as its `part` of the period) published at the Seller's service and
    /// decided by the Buyer's.
    pub(super) fn deliver(
        &mut self,
        number: &str,
        env: &ProofEnvelope,
        invoice: &zkinvoice_circuits::Invoice,
        after: &StateOpening,
        part: BillPart,
    ) -> Result<(), CliError> {
        let (_, salt) = zkinvoice_check::Received::of_envelope(env, &self.msa)
            .invoice()
            .map_err(|r| CliError::Mismatch(format!("{number}: {r}")))?;
        let bill = actions::bill(env, invoice, &salt, &self.msa, &after.state)
            .and_then(|b| part.apply(b))
            .map_err(|e| CliError::Mismatch(format!("{number}: {e}")))?;
        let t = Instant::now();
        let received = self.exchange.deliver(&bill)?;
        let checked = since(t);
        if !received.is_accepted() {
            return Err(CliError::Invalid(format!(
                "the buyer's service rejected {number}: {}",
                received.reason.unwrap_or_default()
            )));
        }
        let entry = received.anchor_entry.unwrap_or_default();
        delivered(&self.seller_log, entry)?;
        println!(
            "\n   The seller publishes it as an MEF 141 CustomerBill ({} items, proof in zkProof){}; the buyer's service gets\n   customerBillCreateEvent, pulls the seller's new anchors, fetches the bill and its items, verifies them against\n   its own log: ACCEPTED -> invoice-accepted (entry {entry}), delivered to the seller's copy, {checked} end to end\n   over HTTP",
            bill.customer_bill_item.len(),
            BillPart::describe(&bill),
        );
        self.keep(&format!("{number}.bill.json"), &bill);
        self.bills.push(bill);
        Ok(())
    }
}
