//! MEF 141 over HTTP: error responses with the MEF error body, JSON responses and request bodies.
//! The wire types themselves are `zkinvoice_mef141`'s (re-exported here).

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;

pub use zkinvoice_mef141::{
    events::CustomerBillFind, CustomerBillEvent, CustomerBillEventPayload, ErrorBody, EventSubscription,
    EventSubscriptionInput, CREATE_EVENT,
};

use crate::JSON;

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

    /// 422 `invalidValue`: a well-formed request that is refused (an anchor entry the log's rules
    /// refuse, say).
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalidValue", message)
    }

    /// 503 `serviceUnavailable`: the anchor log stayed busy; the request may be sent again.
    pub fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "serviceUnavailable",
            "the anchor log is busy (locked by another process); send the request again",
        )
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
        ErrorBody::new(self.code, &self.message)
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
