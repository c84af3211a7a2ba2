//! `GET /anchors?after=N`, served by both roles: the entries of the service's anchor log after
//! entry `N`, as JSON lines, so the other party can import what it lacks. Relies on
//! `zkinvoice_anchors` to read the log and on [`crate::api`] for the MEF error bodies.

use std::path::Path;

use axum::{
    extract::{rejection::QueryRejection, Query},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use crate::api::ApiError;

/// `GET /anchors?after=N`: the entries of an anchor log after entry `N`, as JSON lines.
pub(crate) fn anchors_after(
    log: Option<&Path>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Some(path) = log else {
        return ApiError::not_found("this service has no anchor log").into_response();
    };
    let after = match query {
        Ok(Query(pairs)) => match pairs.as_slice() {
            [] => 0,
            [(k, v)] if k == "after" => match v.parse::<u64>() {
                Ok(n) => n,
                Err(_) => {
                    return ApiError::invalid_query(format!("after: {v:?} is not a non-negative integer"))
                        .into_response()
                }
            },
            _ => return ApiError::invalid_query("the only query parameter is after=N").into_response(),
        },
        Err(e) => return ApiError::invalid_query(e.body_text()).into_response(),
    };
    let entries = zkinvoice_anchors::AnchorLog::open(path).and_then(|log| log.entries());
    match entries {
        Ok(entries) => {
            let mut body = String::new();
            for e in entries.iter().filter(|e| e.seq > after) {
                body.push_str(&e.to_json_line());
                body.push('\n');
            }
            let mut r = (StatusCode::OK, body).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-ndjson"),
            );
            r
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}
