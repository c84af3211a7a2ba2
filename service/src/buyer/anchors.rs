//! Where the Buyer's service finds what is anchored: its copy of the anchor log (with the log's
//! view cached until the log grows, and the Seller's new entries pulled into it) or, with the
//! `chain` feature, the bilateral's anchor contract. Relies on [`super::fetch`] to reach the
//! Seller.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex, MutexGuard},
};

use axum::http::{header::CONTENT_TYPE, StatusCode};
use zkinvoice_anchors::{AnchorLog, PartySecret, Role, View};
#[cfg(feature = "chain")]
use zkinvoice_check::chain::ChainTarget;

use super::fetch::SellerClient;
use crate::feed::{Imported, LENGTH_HEADER};
use crate::ServiceError;

/// Where the Buyer's service finds what is anchored.
#[derive(Debug)]
pub enum BuyerAnchors {
    /// The Buyer's copy of the anchor log (SQLite; must exist): the Seller's new entries are pulled
    /// (`GET /anchors` of the Seller) before each check, and decisions are anchored there with the
    /// Buyer's key.
    Log(PathBuf),
    /// The bilateral's anchor contract on a chain, read over JSON-RPC for each check (the MSA, the
    /// period's usage, the current state, the invoice's `InvoiceSubmitted` event). The contract
    /// records no decisions: they are kept in the service's store.
    #[cfg(feature = "chain")]
    Chain(Box<ChainTarget>),
}

/// The Buyer's anchor log.
pub(crate) struct LogBackend {
    log: Mutex<AnchorLog>,
    /// The length of the Seller's copy when it last said (`GET /anchors`, `POST /anchors`).
    seller_len: Mutex<Option<u64>>,
    /// The log's view, with the number of entries it was built from.
    view: Mutex<Option<(u64, Arc<View>)>>,
    /// Where the log is (served at `GET /anchors`).
    pub path: PathBuf,
}

/// Where the Buyer's service finds what is anchored, opened.
pub(crate) enum Backend {
    /// The Buyer's anchor log.
    Log(Box<LogBackend>),
    /// The bilateral's anchor contract.
    #[cfg(feature = "chain")]
    Chain(Box<ChainTarget>),
}

impl Backend {
    /// Opens `anchors`. A signing key must be the log's Buyer key; an anchor contract records no
    /// decisions, so it takes no key, and must be there with a verifier for the key.
    pub(crate) fn open(anchors: BuyerAnchors, key: Option<&PartySecret>) -> Result<Self, ServiceError> {
        Ok(match anchors {
            BuyerAnchors::Log(path) => {
                let log = AnchorLog::open(&path)?;
                if let Some(key) = key {
                    if log.parties().key(Role::Buyer) != &key.public() {
                        return Err(ServiceError::Config(format!(
                            "the signing key is not the Buyer's key of the anchor log {}",
                            path.display()
                        )));
                    }
                }
                Backend::Log(Box::new(LogBackend {
                    log: Mutex::new(log),
                    seller_len: Mutex::new(None),
                    view: Mutex::new(None),
                    path,
                }))
            }
            #[cfg(feature = "chain")]
            BuyerAnchors::Chain(target) => {
                if key.is_some() {
                    return Err(ServiceError::Config(
                        "the anchor contract records no decisions: no signing key is used with it".into(),
                    ));
                }
                // The contract must be there with a verifier for the key. The client blocks on
                // its own runtime: off this (asynchronous) thread.
                let t = target.clone();
                std::thread::spawn(move || t.check())
                    .join()
                    .map_err(|_| ServiceError::Config("the anchor contract check failed".into()))??;
                Backend::Chain(target)
            }
        })
    }

    /// The anchor log, unless the service reads an anchor contract.
    pub(crate) fn log_backend(&self) -> Option<&LogBackend> {
        match self {
            Backend::Log(l) => Some(l),
            #[cfg(feature = "chain")]
            Backend::Chain(_) => None,
        }
    }
}

impl LogBackend {
    /// The log, locked. A poisoned lock is still usable: an interrupted append leaves no trace in
    /// the log (SQLite transactions).
    pub(crate) fn log(&self) -> MutexGuard<'_, AnchorLog> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The log's view, rebuilt when the log has grown.
    pub(crate) fn view(&self) -> Result<Arc<View>, ServiceError> {
        let log = self.log();
        let len = log.len()?;
        let mut cached = self.view.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((n, view)) = cached.as_ref() {
            if *n == len {
                return Ok(view.clone());
            }
        }
        let view = Arc::new(log.view()?);
        *cached = Some((len, view.clone()));
        Ok(view)
    }

    /// Imports the Seller's anchor entries this log lacks. A Seller without a log (404) is fine;
    /// a refused import is reported and the check goes on against what this log holds.
    pub(crate) async fn pull(&self, seller: &SellerClient) -> Result<(), String> {
        let after = self.log().len().map_err(|e| e.to_string())?;
        let r = seller
            .get(&format!("/anchors?after={after}"))
            .send()
            .await
            .map_err(|e| format!("the Seller's anchors: {e}"))?;
        if r.status() == StatusCode::NOT_FOUND {
            return Ok(());
        }
        if !r.status().is_success() {
            return Err(format!("the Seller's anchors: HTTP {}", r.status()));
        }
        let length = r
            .headers()
            .get(LENGTH_HEADER)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        *self.seller_len() = length;
        let body = r
            .bytes()
            .await
            .map_err(|e| format!("the Seller's anchors: {e}"))?;
        if body.is_empty() {
            return Ok(());
        }
        let log = self.log();
        if let Err(e) = log.import_jsonl(&mut &body[..]) {
            eprintln!("zkinvoice buyer: the Seller's anchor entries were refused: {e}");
        }
        Ok(())
    }

    fn seller_len(&self) -> MutexGuard<'_, Option<u64>> {
        self.seller_len.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Delivers to the Seller's copy (`POST /anchors`) the entries from `from` on and any before
    /// it that the Seller's copy lacked when it last said. Errs naming why they were not taken
    /// (no log there, a refusal, the Seller unreachable).
    pub(crate) async fn push(&self, seller: &SellerClient, from: u64) -> Result<(), String> {
        let after = self
            .seller_len()
            .map_or(from, |n| n + 1)
            .min(from)
            .saturating_sub(1);
        let entries = self.log().entries().map_err(|e| e.to_string())?;
        let mut body = String::new();
        for e in entries {
            if e.seq > after {
                body.push_str(&e.to_json_line());
                body.push('\n');
            }
        }
        if body.is_empty() {
            return Ok(());
        }
        let r = seller
            .post("/anchors")
            .header(CONTENT_TYPE, "application/x-ndjson")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("the Seller's service cannot be reached: {e}"))?;
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        if !status.is_success() {
            let why = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_string))
                .unwrap_or(text);
            return Err(format!("the Seller's service answers HTTP {status}: {why}"));
        }
        if let Ok(imported) = serde_json::from_str::<Imported>(&text) {
            *self.seller_len() = Some(imported.length);
        }
        Ok(())
    }
}
