//! The Buyer reaching the Seller: its client (base URL, bearer token) and fetching a bill with
//! its items from the Seller's MEF 141 API. Relies on nothing else in the Buyer.

use axum::http::StatusCode;
use zkinvoice_mef141::CustomerBill;

use crate::MEF_BASE;

/// The Seller as the Buyer reaches it.
pub(crate) struct SellerClient {
    /// The HTTP client (its timeout is the Buyer's per-request timeout).
    pub client: reqwest::Client,
    /// The Seller's base URL, without a trailing `/`.
    pub url: String,
    /// The bearer token to present to the Seller.
    pub token: Option<String>,
}

impl SellerClient {
    /// A GET of `path` at the Seller, with its bearer token.
    pub(crate) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.authorised(self.client.get(format!("{}{path}", self.url)))
    }

    /// A POST to `path` at the Seller, with its bearer token.
    pub(crate) fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.authorised(self.client.post(format!("{}{path}", self.url)))
    }

    fn authorised(&self, r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }
}

/// Why fetching a bill failed: the Seller is unreachable (retry later) or answered for good.
pub(crate) enum Fetch {
    /// The Seller cannot be reached, or does not serve the bill now (5xx, 401, 403): the event is
    /// to be sent again.
    Unreachable(String),
    /// The Seller answered for good: no such bill, not a `CustomerBill`, another bill, or items
    /// that differ from the bill's.
    Refused(String),
}

/// A listener's answer while the Seller cannot be reached (`reason`): 500, so that the Seller
/// sends the event again.
pub(crate) fn send_again(reason: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    crate::api::ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internalError",
        format!("cannot fetch the bill from the Seller now ({reason}); send the event again"),
    )
    .into_response()
}

/// Fetches bill `id` and each of its items from the Seller: the bill and its text as served.
/// Every item must be served as the bill holds it.
pub(crate) async fn fetch_bill(s: &SellerClient, id: &str) -> Result<(CustomerBill, String), Fetch> {
    let path = format!("{MEF_BASE}/customerBill/{}", urlencode(id));
    let r = s
        .get(&path)
        .send()
        .await
        .map_err(|e| Fetch::Unreachable(format!("GET {path}: {e}")))?;
    let status = r.status();
    if status.is_server_error() || status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return Err(Fetch::Unreachable(format!("GET {path}: HTTP {status}")));
    }
    if !status.is_success() {
        return Err(Fetch::Refused(format!(
            "the Seller answers HTTP {status} for bill {id:?}"
        )));
    }
    let text = r
        .text()
        .await
        .map_err(|e| Fetch::Unreachable(format!("GET {path}: {e}")))?;
    let bill: CustomerBill = serde_json::from_str(&text)
        .map_err(|e| Fetch::Refused(format!("the Seller's bill {id:?} is not a CustomerBill: {e}")))?;
    if bill.id != id {
        return Err(Fetch::Refused(format!(
            "the Seller answered bill {:?} for {id:?}",
            bill.id
        )));
    }
    for item in &bill.customer_bill_item {
        let path = format!("{MEF_BASE}/customerBillItem/{}", urlencode(&item.id));
        let r = s
            .get(&path)
            .send()
            .await
            .map_err(|e| Fetch::Unreachable(format!("GET {path}: {e}")))?;
        if r.status().is_server_error() {
            return Err(Fetch::Unreachable(format!("GET {path}: HTTP {}", r.status())));
        }
        if !r.status().is_success() {
            return Err(Fetch::Refused(format!(
                "the Seller answers HTTP {} for bill item {:?}",
                r.status(),
                item.id
            )));
        }
        let served: serde_json::Value = r
            .json()
            .await
            .map_err(|e| Fetch::Refused(format!("bill item {:?}: {e}", item.id)))?;
        if serde_json::to_value(item).ok() != Some(served) {
            return Err(Fetch::Refused(format!(
                "the Seller's customerBillItem {:?} differs from the one in bill {id:?}",
                item.id
            )));
        }
    }
    Ok((bill, text))
}

/// Percent-encodes a path segment.
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
