//! The MEF 141 listener hub and notifications: what a Buyer posts to `/hub`, what the Seller
//! sends to a listener, and a bill's entry in a list.

use serde::{Deserialize, Serialize};

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

/// The event type announcing that a bill's state changed (the Seller sends it when a bill is
/// settled: [`crate::CustomerBill::settled`]).
pub const STATE_CHANGE_EVENT: &str = "customerBillStateChangeEvent";

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
