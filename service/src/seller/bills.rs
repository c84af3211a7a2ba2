//! The Seller's bills over MEF 141: `GET /customerBill` (filters, pagination),
//! `GET /customerBill/{id}` and `GET /customerBillItem/{id}`, read from its store. Relies on
//! [`super::state`] for the store and on [`crate::api`] for the responses.

use std::sync::Arc;

use axum::{
    extract::{rejection::QueryRejection, Path as UrlPath, Query, State},
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, FixedOffset};
use zkinvoice_mef141::CustomerBill;

use super::state::SellerState;
use crate::api::{json_ok, json_response, ApiError, CustomerBillFind};

/// The stored JSON of a bill or item, or 404 naming what is missing.
fn stored(json: Option<String>, what: &str, id: &str) -> Response {
    match json {
        Some(json) => json_response(StatusCode::OK, json.into_bytes()),
        None => ApiError::not_found(format!("no {what} {id:?}")).into_response(),
    }
}

/// `GET /customerBill/{id}`: the bill as published.
pub(crate) async fn get_bill(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.bill(&id) {
        Ok(json) => stored(json, "customerBill", &id),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// `GET /customerBillItem/{id}`: the bill item as published.
pub(crate) async fn get_item(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.item(&id) {
        Ok(json) => stored(json, "customerBillItem", &id),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The filters of `GET /customerBill`.
#[derive(Default)]
pub(super) struct Filter {
    account: Option<String>,
    start_lt: Option<DateTime<FixedOffset>>,
    start_gt: Option<DateTime<FixedOffset>>,
    end_lt: Option<DateTime<FixedOffset>>,
    end_gt: Option<DateTime<FixedOffset>>,
    category: Option<String>,
    state: Option<String>,
    offset: usize,
    limit: usize,
}

/// The most bills one page holds.
pub const PAGE_MAX: usize = 100;

impl Filter {
    pub(super) fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let mut f = Filter {
            limit: PAGE_MAX,
            ..Filter::default()
        };
        let time = |k: &str, v: &str| {
            DateTime::parse_from_rfc3339(v).map_err(|e| {
                ApiError::invalid_query(format!("{k}: {v:?} is not an RFC 3339 date-time ({e})"))
            })
        };
        // The schema's `offset` and `limit` are integers of any size: one past `usize` asks for
        // more than there is (an empty page, or a throttled one), not for a 400.
        let count = |k: &str, v: &str| match v.strip_prefix('+').unwrap_or(v) {
            d if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(d.parse::<usize>().unwrap_or(usize::MAX))
            }
            _ => Err(ApiError::invalid_query(format!(
                "{k}: {v:?} is not a non-negative integer"
            ))),
        };
        for (k, v) in pairs {
            match k.as_str() {
                "billingAccount.id" => f.account = Some(v.clone()),
                "billingPeriod.startDateTime.lt" => f.start_lt = Some(time(k, v)?),
                "billingPeriod.startDateTime.gt" => f.start_gt = Some(time(k, v)?),
                "billingPeriod.endDateTime.lt" => f.end_lt = Some(time(k, v)?),
                "billingPeriod.endDateTime.gt" => f.end_gt = Some(time(k, v)?),
                "category" if matches!(v.as_str(), "normal" | "duplicate" | "trial") => {
                    f.category = Some(v.clone())
                }
                "state" if matches!(v.as_str(), "generated" | "paymentDue" | "settled") => {
                    f.state = Some(v.clone())
                }
                "category" | "state" => {
                    return Err(ApiError::invalid_query(format!(
                        "{k}: {v:?} is not one of the allowed values"
                    )))
                }
                "offset" => f.offset = count(k, v)?,
                "limit" => f.limit = count(k, v)?,
                "buyerId" | "sellerId" => {}
                _ => return Err(ApiError::invalid_query(format!("unknown query parameter {k:?}"))),
            }
        }
        Ok(f)
    }

    pub(super) fn matches(&self, b: &CustomerBill) -> bool {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).ok();
        let (start, end) = (
            t(&b.billing_period.start_date_time),
            t(&b.billing_period.end_date_time),
        );
        let before = |x: Option<DateTime<FixedOffset>>, bound: Option<DateTime<FixedOffset>>| match bound {
            None => true,
            Some(bound) => x.is_some_and(|x| x < bound),
        };
        let after = |x: Option<DateTime<FixedOffset>>, bound: Option<DateTime<FixedOffset>>| match bound {
            None => true,
            Some(bound) => x.is_some_and(|x| x > bound),
        };
        self.account.as_ref().is_none_or(|a| *a == b.billing_account.id)
            && self.category.as_ref().is_none_or(|c| *c == b.category)
            && self.state.as_ref().is_none_or(|s| *s == b.state)
            && before(start, self.start_lt)
            && after(start, self.start_gt)
            && before(end, self.end_lt)
            && after(end, self.end_gt)
    }
}

/// `GET /customerBill`: the bills matching the filters, one page of them, with the counts in
/// `X-Total-Count` and `X-Result-Count` (and `X-Pagination-Throttled` for a `limit` over
/// [`PAGE_MAX`]).
pub(crate) async fn list_bills(
    State(s): State<Arc<SellerState>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let pairs = match query {
        Ok(Query(pairs)) => pairs,
        Err(e) => return ApiError::invalid_query(e.body_text()).into_response(),
    };
    let filter = match Filter::parse(&pairs) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let bills = match s.store.bills() {
        Ok(b) => b,
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let matching: Vec<&CustomerBill> = bills.iter().filter(|b| filter.matches(b)).collect();
    let throttled = filter.limit > PAGE_MAX;
    let page: Vec<CustomerBillFind> = matching
        .iter()
        .skip(filter.offset)
        .take(filter.limit.min(PAGE_MAX))
        .map(|b| CustomerBillFind {
            id: b.id.clone(),
            billing_account: serde_json::json!({ "id": b.billing_account.id }),
            bill_no: b.bill_no.clone(),
            billing_period: serde_json::json!({
                "startDateTime": b.billing_period.start_date_time,
                "endDateTime": b.billing_period.end_date_time,
            }),
            category: b.category.clone(),
            state: b.state.clone(),
        })
        .collect();
    let mut r = json_ok(&page);
    let h = r.headers_mut();
    h.insert("X-Total-Count", HeaderValue::from(matching.len()));
    h.insert("X-Result-Count", HeaderValue::from(page.len()));
    if throttled {
        h.insert("X-Pagination-Throttled", HeaderValue::from_static("true"));
    }
    r
}
