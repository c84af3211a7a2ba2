//! `GET /disputes`, served by both roles: the disputes on the service's anchor log
//! (`dispute-opened`, with its resolution once both signed `dispute-resolved`), read from the log's
//! entries, each naming the thresholds its proof says are over (product slots, and the products'
//! ids by the MSA the service holds). Also the one line a service prints when an import brings a
//! dispute (the Seller learns of the Buyer's this way). Relies on `zkinvoice_anchors` for the
//! entries, on `zkinvoice_circuits` to read `over`, and on [`crate::api`] for the responses.

use std::{collections::HashMap, path::Path};

use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use zkinvoice_anchors::{AnchorLog, Body, Entry, Role};
use zkinvoice_circuits::{native::reconcile::Reconciliation, Msa, Shape};
use zkinvoice_verifier::{fr_to_hex, Fr};

use crate::api::{json_ok, ApiError};

/// A dispute on the log, as `GET /disputes` lists it (JSON, camelCase).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dispute {
    /// The `dispute-opened` entry.
    pub entry: u64,
    /// The MSA commitment, `0x` hex.
    pub msa_commitment: String,
    /// The period's first day, `YYYY-MM-DD`.
    pub period_start: String,
    /// The first day after it.
    pub period_end: String,
    /// The party that proved it over and opened it.
    pub opened_by: Role,
    /// The statement's public `over`, `0x` hex: bit `i` product slot `i`, then the usage
    /// charges, the recurring charges and the total.
    pub over: String,
    /// What `over` says, when the MSA's shape is one of the statement's (`S`, `M`).
    pub verdict: Option<Verdict>,
    /// Its resolution, once both parties signed one.
    pub resolved: Option<Resolution>,
}

/// What a dispute's `over` says: the thresholds the two measurements are over. No amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The product slots over their thresholds, in order.
    pub product_slots: Vec<usize>,
    /// Their products' ids, by the MSA this service holds (none when it holds none).
    pub products: Option<Vec<String>>,
    /// The sums of the usage charges are over the usage threshold.
    pub usage: bool,
    /// The sums of the recurring charges are over the recurring threshold.
    pub recurring: bool,
    /// The totals are over the invoice's threshold.
    pub total: bool,
}

/// A dispute's resolution (`dispute-resolved`, signed by both).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    /// The `dispute-resolved` entry.
    pub entry: u64,
    /// The usage commitment resolved on, `0x` hex.
    pub usage_commitment: String,
    /// The resolution, in words.
    pub resolution: String,
}

/// The disputes among `entries`, in the order they were opened.
pub fn disputes(entries: &[Entry], msa: Option<&Msa>) -> Vec<Dispute> {
    let mut shapes: HashMap<Fr, Shape> = HashMap::new();
    let mut out: Vec<Dispute> = Vec::new();
    for e in entries {
        match &e.body {
            Body::MsaAgreed {
                msa_commitment,
                shape,
                ..
            } => {
                if let Ok(s) = shape.parse() {
                    shapes.insert(*msa_commitment, s);
                }
            }
            Body::DisputeOpened {
                msa_commitment,
                period_start,
                period_end,
                by,
                over,
                ..
            } => out.push(Dispute {
                entry: e.seq,
                msa_commitment: fr_to_hex(msa_commitment),
                period_start: period_start.clone(),
                period_end: period_end.clone(),
                opened_by: *by,
                over: fr_to_hex(over),
                verdict: shapes
                    .get(msa_commitment)
                    .and_then(|s| verdict(over, s.products, msa)),
                resolved: None,
            }),
            Body::DisputeResolved {
                msa_commitment,
                period_start,
                period_end,
                usage_commitment,
                resolution,
            } => {
                let msa_hex = fr_to_hex(msa_commitment);
                let open = out.iter_mut().find(|d| {
                    d.resolved.is_none()
                        && d.msa_commitment == msa_hex
                        && (&d.period_start, &d.period_end) == (period_start, period_end)
                });
                if let Some(d) = open {
                    d.resolved = Some(Resolution {
                        entry: e.seq,
                        usage_commitment: fr_to_hex(usage_commitment),
                        resolution: resolution.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// What `over` says for `slots` product slots, with the products' ids by `msa`.
fn verdict(over: &Fr, slots: usize, msa: Option<&Msa>) -> Option<Verdict> {
    let r = Reconciliation::from_over(over, slots)?;
    let product_slots = r.slots_over();
    let products = msa.map(|m| {
        product_slots
            .iter()
            .map(|&i| {
                m.products
                    .get(i)
                    .map_or_else(|| format!("slot {i}"), |p| p.id.clone())
            })
            .collect()
    });
    Some(Verdict {
        product_slots,
        products,
        usage: r.usage,
        recurring: r.recurring,
        total: r.invoice,
    })
}

/// The line a service prints for a dispute an import brought.
pub(crate) fn notice(d: &Dispute) -> String {
    let over = match &d.verdict {
        Some(v) => {
            let mut parts: Vec<String> = match &v.products {
                Some(ids) => ids.clone(),
                None => v
                    .product_slots
                    .iter()
                    .map(|i| format!("product slot {i}"))
                    .collect(),
            };
            for (on, what) in [
                (v.usage, "usage charges"),
                (v.recurring, "recurring charges"),
                (v.total, "total"),
            ] {
                if on {
                    parts.push(what.into());
                }
            }
            parts.join(", ")
        }
        None => format!("over {}", d.over),
    };
    format!(
        "dispute opened by the {} on {}..{} (entry {}): over the threshold of {over}",
        d.opened_by, d.period_start, d.period_end, d.entry
    )
}

/// `GET /disputes`: the disputes on the anchor log at `log` (404 without one).
pub(crate) fn list(log: Option<&Path>, msa: Option<&Msa>) -> Response {
    let Some(path) = log else {
        return ApiError::not_found("this service has no anchor log").into_response();
    };
    match AnchorLog::open(path).and_then(|log| log.entries()) {
        Ok(entries) => json_ok(&disputes(&entries, msa)),
        Err(e) => ApiError::internal(e).into_response(),
    }
}
