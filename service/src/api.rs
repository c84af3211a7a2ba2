//! The MEF 141 wire types the services exchange, besides `CustomerBill` itself
//! ([`zkinvoice_circuits::model::sonata`]), and the MEF error body.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use crate::JSON;

/// `EventSubscriptionInput`: what a Buyer posts to `/hub`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSubscriptionInput {
    /// The Buyer's base URL; events go to `callback` + [`crate::LISTENER_BASE`] +
    /// `/listener/<eventType>`.
    pub callback: String,
    /// Which events, e.g. `eventType=customerBillCreateEvent`; empty or absent for all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

/// `EventSubscription`: a registered listener.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSubscription {
    /// The subscription's id.
    pub id: String,
    /// The Buyer's base URL.
    pub callback: String,
    /// Which events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

/// `CustomerBillEventPayload`: which bill an event is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerBillEventPayload {
    /// The bill's id.
    pub id: String,
    /// Where to fetch it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// `CustomerBillEvent`: a notification (it carries only the bill's id; the receiver fetches the
/// bill).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerBillEvent {
    /// The event's id (the same on every delivery attempt, so a receiver can drop duplicates).
    pub event_id: String,
    /// When the event occurred (RFC 3339).
    pub event_time: String,
    /// `customerBillCreateEvent` or `customerBillStateChangeEvent`.
    pub event_type: String,
    /// The bill.
    pub event: CustomerBillEventPayload,
}

/// The event type announcing a new bill.
pub const CREATE_EVENT: &str = "customerBillCreateEvent";

impl CustomerBillEvent {
    /// A `customerBillCreateEvent` for bill `bill_id` (the Seller's outbox sends these).
    pub fn created(event_id: &str, event_time: &str, bill_id: &str, href: Option<String>) -> Self {
        Self {
            event_id: event_id.into(),
            event_time: event_time.into(),
            event_type: CREATE_EVENT.into(),
            event: CustomerBillEventPayload {
                id: bill_id.into(),
                href,
            },
        }
    }
}

/// `CustomerBill_Find`: one bill in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerBillFind {
    /// The bill's id.
    pub id: String,
    /// The billing account.
    pub billing_account: serde_json::Value,
    /// The bill number.
    pub bill_no: String,
    /// The billing period.
    pub billing_period: serde_json::Value,
    /// `normal`, `duplicate` or `trial`.
    pub category: String,
    /// `generated`, `paymentDue` or `settled`.
    pub state: String,
}

/// An MEF error response: the status and the body `{"code", "reason", "message"}` (`reason` at
/// most 255 characters, as the schema says; the rest goes to `message`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The MEF error code (`invalidBody`, `invalidQuery`, `notFound`, `missingCredentials`, ...).
    pub code: &'static str,
    /// The reason.
    pub message: String,
}

/// The body of an [`ApiError`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The MEF error code.
    pub code: String,
    /// Why, at most 255 characters.
    pub reason: String,
    /// Why, in full.
    #[serde(default)]
    pub message: String,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `invalidBody`.
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalidBody", message)
    }

    /// 400 `invalidQuery`.
    pub fn invalid_query(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalidQuery", message)
    }

    /// 404 `notFound`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "notFound", message)
    }

    /// 500 `internalError` (the message is logged, not sent: it may name files).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        eprintln!("zkinvoice service: internal error: {message}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internalError",
            "internal error (see the service's log)",
        )
    }

    /// The body.
    pub fn body(&self) -> ErrorBody {
        let reason: String = self.message.chars().take(255).collect();
        ErrorBody {
            code: self.code.to_string(),
            reason,
            message: self.message.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        json_response(self.status, body)
    }
}

/// A response with `status`, the MEF JSON content type and `body`.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    r
}

/// A 200 response with `value` as JSON.
pub fn json_ok<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// Parses a JSON request body into `T`, or a 400 `invalidBody` naming the JSON error.
pub fn parse_body<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::invalid_body(format!("{what}: {e}")))
}
