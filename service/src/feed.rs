//! The anchor log over HTTP, served by both roles: `GET /anchors?after=N`, the entries of the
//! service's anchor log after entry `N`, as JSON lines (with the log's length in
//! [`LENGTH_HEADER`]), so the other party can import what it lacks; and `POST /anchors`, the
//! other party delivering the entries this copy lacks, imported as `anchors import` does (every
//! hash, link, signature and rule checked; all or nothing). Relies on `zkinvoice_anchors` for the
//! log, on [`crate::disputes`] to announce a dispute an import brings, and on [`crate::api`] for
//! the MEF error bodies.

use std::path::{Path, PathBuf};

use axum::{
    body::Bytes,
    extract::{
        rejection::{BytesRejection, QueryRejection},
        Query,
    },
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use zkinvoice_anchors::{AnchorError, AnchorLog, ImportError};
use zkinvoice_circuits::Msa;

use crate::api::{json_ok, ApiError};
use crate::auth::body_or_error;
use crate::disputes::{disputes, notice};

/// The response header of `GET /anchors` that gives the number of entries in the log.
pub const LENGTH_HEADER: &str = "anchor-log-length";

/// The answer of `POST /anchors`: what the import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    /// Entries appended.
    pub appended: u64,
    /// Lines identical to an entry already in the log.
    pub already_present: u64,
    /// The log's length after the import.
    pub length: u64,
}

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
    let entries = AnchorLog::open(path).and_then(|log| log.entries());
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
            r.headers_mut()
                .insert(LENGTH_HEADER, HeaderValue::from(entries.len() as u64));
            r
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// `POST /anchors`: imports the JSON lines of `body` (the other party's entries) into the log at
/// `log`, off the async threads. 200 with [`Imported`]; 404 without a log; 400 for lines that are
/// not entries; 409 for entries that do not follow this copy (a gap, another chain, a fork);
/// 422 for entries whose signatures or rules are refused. Nothing is imported on any refusal.
/// Each dispute the import brings is printed (`by` names the service), with the products' ids
/// by `msa`.
pub(crate) async fn import(
    log: Option<PathBuf>,
    body: Result<Bytes, BytesRejection>,
    msa: Option<Msa>,
    by: &'static str,
) -> Response {
    let Some(path) = log else {
        return ApiError::not_found("this service has no anchor log").into_response();
    };
    let body = match body_or_error(body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let done = tokio::task::spawn_blocking(move || {
        let log = AnchorLog::open(&path)?;
        let before = log.len()?;
        let report = log.import_jsonl(&mut &body[..])?;
        let entries = log.entries()?;
        for d in disputes(&entries, msa.as_ref()) {
            if d.entry > before {
                eprintln!("zkinvoice {by}: {}", notice(&d));
            }
        }
        Ok::<_, AnchorError>(Imported {
            appended: report.appended,
            already_present: report.already_present,
            length: entries.len() as u64,
        })
    })
    .await;
    match done {
        Ok(Ok(imported)) => json_ok(&imported),
        Ok(Err(e)) => import_error(e).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The MEF error for a refused import.
fn import_error(e: AnchorError) -> ApiError {
    let conflict = |e: &AnchorError| ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string());
    match &e {
        AnchorError::Fork { .. } => conflict(&e),
        AnchorError::Import { reason, .. } => match reason {
            ImportError::Gap { .. } | ImportError::BrokenLink { .. } => conflict(&e),
            ImportError::Signatures(_) | ImportError::Refused { .. } => ApiError::refused(e.to_string()),
            _ => ApiError::invalid_body(e.to_string()),
        },
        AnchorError::Busy { .. } => ApiError::busy(),
        _ => ApiError::internal(e),
    }
}
