//! What both services put around their routes: the optional bearer token, the body size limit and
//! MEF error bodies for unknown paths and methods.

use std::sync::Arc;

use axum::{
    extract::{DefaultBodyLimit, Request, State},
    http::{header, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};

use crate::{api::ApiError, MAX_BODY};

/// Wraps `router` with the bearer check (when `token` is set), the body limit and the MEF
/// fallbacks.
pub fn harden(router: Router, token: Option<String>) -> Router {
    let token = token.map(Arc::new);
    router
        .fallback(|| async { ApiError::not_found("no such resource") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "methodNotAllowed",
                "this resource does not take that method",
            )
        })
        .layer(middleware::from_fn_with_state(token, bearer))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

async fn bearer(State(token): State<Option<Arc<String>>>, request: Request, next: Next) -> Response {
    let Some(token) = token else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match given {
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missingCredentials",
            "this service needs Authorization: Bearer <token>",
        )
        .into_response(),
        Some(v) => match v.strip_prefix("Bearer ") {
            Some(t) if same(t.trim().as_bytes(), token.as_bytes()) => next.run(request).await,
            _ => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalidCredentials",
                "the bearer token is not this service's",
            )
            .into_response(),
        },
    }
}

/// Compares two byte strings in time that depends on their lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The body of a request, or the MEF error for one that could not be read (413 when it is over
/// [`MAX_BODY`]).
pub fn body_or_error(
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<axum::body::Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalidBody",
                format!("the body is larger than {MAX_BODY} bytes"),
            )
        } else {
            ApiError::invalid_body(format!("the body could not be read: {e}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn token_comparison() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
        assert!(!same(b"", b"a"));
    }
}
