//! Listener registration over MEF 141: `POST /hub`, `GET /hub/{id}`, `DELETE /hub/{id}`. A new
//! listener wakes the outbox. Relies on [`super::state`] for the store, on [`super::subscription`]
//! to check the query and on [`crate::api`] and [`crate::auth`] for requests and responses.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, Path as UrlPath, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};

use super::{state::SellerState, subscription::valid_query};
use crate::{
    api::{json_ok, parse_body, ApiError, EventSubscriptionInput},
    auth::body_or_error,
};

/// `POST /hub`: registers a listener (201 with its subscription).
pub(crate) async fn add_hub(
    State(s): State<Arc<SellerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let input = match body_or_error(body).and_then(|b| subscription(&b)) {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    match s.store.add_hub(&input) {
        Ok(sub) => {
            s.wake.notify_one();
            let mut r = json_ok(&sub);
            *r.status_mut() = StatusCode::CREATED;
            r
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The listener `POST /hub` registers, read from its body: the callback an http(s) URL with a
/// host, the query (if any) one the Seller understands; else the 400 naming the field.
pub(crate) fn subscription(body: &[u8]) -> Result<EventSubscriptionInput, ApiError> {
    let input: EventSubscriptionInput = parse_body(body, "EventSubscriptionInput")?;
    match reqwest::Url::parse(&input.callback) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        _ => {
            return Err(ApiError::invalid_body(format!(
                "callback: {:?} is not an http(s) URL",
                input.callback
            )))
        }
    }
    if let Some(q) = input.query.as_deref().filter(|q| !valid_query(q)) {
        return Err(ApiError::invalid_body(format!(
            "query: {q:?} is not eventType=<customerBillCreateEvent|customerBillStateChangeEvent,...>"
        )));
    }
    Ok(input)
}

/// `GET /hub/{id}`: a listener's subscription.
pub(crate) async fn get_hub(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.hub(&id) {
        Ok(Some(sub)) => json_ok(&sub),
        Ok(None) => ApiError::not_found(format!("no hub {id:?}")).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// `DELETE /hub/{id}`: unregisters a listener (204).
pub(crate) async fn delete_hub(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.delete_hub(&id) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => ApiError::not_found(format!("no hub {id:?}")).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}
