//! The events the Buyer's listeners take, checked against MEF 141's `CustomerBillEvent` before
//! they are read: `eventId`, `eventTime` (RFC 3339), `eventType` (this listener's) and `event`
//! (`id`, and `href`, `sellerId`, `buyerId` when given) with the schema's types. Properties the
//! schema does not name are ignored, as its objects allow them. Relies on [`crate::api`] and
//! [`crate::auth`] for the body and its errors.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use serde_json::{Map, Value};
use zkinvoice_mef141::CustomerBillEvent;

use crate::{
    api::{parse_body, ApiError},
    auth::body_or_error,
};

/// The event type announcing a bill's change of state (the other listener's).
pub(crate) use zkinvoice_mef141::STATE_CHANGE_EVENT;

/// The event in `body` for the listener of `event_type`, or the 400 naming the first property
/// the schema refuses (or an empty `event.id`, which names no bill).
pub(crate) fn listened(
    body: Result<Bytes, BytesRejection>,
    event_type: &str,
) -> Result<CustomerBillEvent, ApiError> {
    let bytes = body_or_error(body)?;
    let value: Value = parse_body(&bytes, "CustomerBillEvent")?;
    let Value::Object(event) = &value else {
        return Err(ApiError::invalid_body("CustomerBillEvent: not a JSON object"));
    };
    string(event, "", "eventId", true)?;
    let time = string(event, "", "eventTime", true)?.unwrap_or_default();
    if chrono::DateTime::parse_from_rfc3339(time).is_err() {
        return Err(ApiError::invalid_body(format!(
            "eventTime: {time:?} is not an RFC 3339 date-time"
        )));
    }
    let kind = string(event, "", "eventType", true)?.unwrap_or_default();
    if kind != event_type {
        return Err(ApiError::invalid_body(format!(
            "eventType: {kind:?} is not {event_type} (this listener's)"
        )));
    }
    let Some(Value::Object(payload)) = event.get("event") else {
        return Err(ApiError::invalid_body("event: missing, or not an object"));
    };
    for (name, required) in [
        ("id", true),
        ("href", false),
        ("sellerId", false),
        ("buyerId", false),
    ] {
        string(payload, "event.", name, required)?;
    }
    if payload.get("id").and_then(Value::as_str) == Some("") {
        return Err(ApiError::invalid_body("event.id: empty"));
    }
    serde_json::from_value(value).map_err(|e| ApiError::invalid_body(format!("CustomerBillEvent: {e}")))
}

/// `object[name]` as text: the 400 naming `{prefix}{name}` if it is not a string, or missing
/// when `required`.
fn string<'a>(
    object: &'a Map<String, Value>,
    prefix: &str,
    name: &str,
    required: bool,
) -> Result<Option<&'a str>, ApiError> {
    match object.get(name) {
        Some(Value::String(s)) => Ok(Some(s)),
        None if !required => Ok(None),
        None => Err(ApiError::invalid_body(format!("{prefix}{name}: missing"))),
        Some(_) => Err(ApiError::invalid_body(format!("{prefix}{name}: not a string"))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::listened;

    const CREATE: &str = "customerBillCreateEvent";

    fn reason(body: serde_json::Value) -> Option<String> {
        listened(Ok(body.to_string().into()), CREATE)
            .err()
            .map(|e| e.message)
    }

    #[test]
    fn events_are_checked_against_the_schema() {
        let good = json!({
            "eventId": "1", "eventTime": "2026-11-23T10:00:00Z", "eventType": CREATE,
            "event": {"id": "INV-1", "href": "http://x/y", "sellerId": "s", "extra": [1]}, "extra": {}
        });
        assert_eq!(reason(good.clone()), None);
        let with = |path: &[&str], v: serde_json::Value| {
            let mut b = good.clone();
            let mut at = &mut b;
            for p in &path[..path.len() - 1] {
                at = &mut at[*p];
            }
            at[path[path.len() - 1]] = v;
            b
        };
        let without = |path: &[&str]| {
            let mut b = good.clone();
            let mut at = &mut b;
            for p in &path[..path.len() - 1] {
                at = &mut at[*p];
            }
            at.as_object_mut().expect("object").remove(path[path.len() - 1]);
            b
        };
        for (body, refused) in [
            (json!([]), "CustomerBillEvent: not a JSON object"),
            (without(&["eventId"]), "eventId: missing"),
            (with(&["eventId"], json!(1)), "eventId: not a string"),
            (without(&["eventTime"]), "eventTime: missing"),
            (with(&["eventTime"], json!("t")), "eventTime: \"t\" is not an RFC 3339 date-time"),
            (
                with(&["eventType"], json!("customerBillStateChangeEvent")),
                "eventType: \"customerBillStateChangeEvent\" is not customerBillCreateEvent (this listener's)",
            ),
            (without(&["event"]), "event: missing, or not an object"),
            (with(&["event"], json!("INV-1")), "event: missing, or not an object"),
            (without(&["event", "id"]), "event.id: missing"),
            (with(&["event", "id"], json!("")), "event.id: empty"),
            (with(&["event", "href"], json!(null)), "event.href: not a string"),
            (with(&["event", "buyerId"], json!(["b"])), "event.buyerId: not a string"),
        ] {
            assert_eq!(reason(body.clone()).as_deref(), Some(refused), "{body}");
        }
    }
}
