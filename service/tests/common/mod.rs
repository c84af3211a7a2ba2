//! What the service tests share besides the proved bilateral (`zkinvoice_testkit::bilateral`).
#![allow(dead_code)]

use std::{
    path::Path,
    time::{Duration, Instant},
};

use serde_json::Value;
use tokio::net::TcpListener;
use zkinvoice_anchors::PartySecret;
use zkinvoice_mef141::schema::{self as mef141, Api};
use zkinvoice_service::{
    buyer::{Buyer, BuyerAnchors, BuyerConfig},
    seller::{Seller, SellerConfig},
};
pub use zkinvoice_testkit::bilateral::bilateral as world;

/// The Seller's and the Buyer's services on loopback, with their stores and the anchor logs
/// `seller-anchors.db` and `buyer-anchors.db` (made before) in `dir`; the Buyer's service signs
/// with `key`.
pub async fn start_both(dir: &Path, key: Option<PartySecret>) -> (Seller, Buyer) {
    let bind = || TcpListener::bind("127.0.0.1:0");
    let seller = Seller::start(
        bind().await.expect("binds on loopback"),
        &dir.join("seller.db"),
        SellerConfig {
            anchors: Some(dir.join("seller-anchors.db")),
            ..SellerConfig::default()
        },
    )
    .expect("seller starts");
    let buyer = Buyer::start(
        bind().await.expect("binds on loopback"),
        &dir.join("buyer.db"),
        BuyerConfig {
            anchors: BuyerAnchors::Log(dir.join("buyer-anchors.db")),
            seller_url: format!("http://{}", seller.addr()),
            seller_token: None,
            token: None,
            key,
            msa: world().msa.clone(),
            timeout: Duration::from_secs(10),
        },
    )
    .expect("buyer starts");
    (seller, buyer)
}

/// Waits up to 30 s for `f` to give a value.
pub async fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(x) = f() {
            return x;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Asserts that `instance` validates against `root` of the MEF 141 management (`notification`
/// false) or notification API.
pub fn assert_valid(notification: bool, root: &str, instance: &Value) {
    let api = if notification {
        Api::Notification
    } else {
        Api::Management
    };
    mef141::assert_valid(api, root, instance);
}
