//! What the service tests share besides the proved bilateral (`zkinvoice_testkit::bilateral`).
#![allow(dead_code)]

use std::time::{Duration, Instant};

use serde_json::Value;
use zkinvoice_mef141::schema::{self as mef141, Api};
pub use zkinvoice_testkit::bilateral::bilateral as world;

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
