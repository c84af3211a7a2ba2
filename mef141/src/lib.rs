//! # zkinvoice-mef141
//!
//! MEF 141 (LSO Sonata Billing Management, based on TMF678) as zkinvoice speaks it, in one place:
//!
//! * [`bill`]: the `CustomerBill` and its items, with the proof as the extra top-level property
//!   `zkProof` ([`ZkProof`]); [`money`]: exact `Money` values;
//! * [`render`]: a proved invoice as a bill ([`CustomerBill::from_proved`]); [`read`]: the invoice
//!   a bill states, rebuilt from its fields ([`CustomerBill::to_invoice`]), so that the Buyer can
//!   recompute the proven invoice commitment from the payload alone;
//! * [`events`]: listener subscriptions (`/hub`), `customerBillCreateEvent`, list entries;
//!   [`error_body`]: the MEF error body; the API's base paths ([`MEF_BASE`], [`LISTENER_BASE`]);
//! * `schema` (feature `schema`): the MEF 141 OpenAPI documents in `api/` as JSON Schema
//!   validators, for the tests of everything that writes MEF 141 JSON.
//!
//! Relies on the commercial model of `zkinvoice-circuits` (the invoice, the MSA, money and the
//! rater's tier split); refusals are the model's [`zkinvoice_circuits::Error`], naming the bill's
//! field. HTTP itself is the service crate's.
//!
//! The payload is schema-valid against `api/billingManagement.api.yaml` (tested). Mapping, and the
//! constants used where the model has no data:
//!
//! | bill field | value |
//! | --- | --- |
//! | `id`, `billNo` | the invoice number |
//! | `billingAccount.id` | the MSA id (the bilateral's account) |
//! | `financialAccount` | where the Buyer pays: `id` the MSA's committed remit-to account, `name` its holder, `type` the contracted payment method (MEF 141 `PaymentMethod`); for an MSA without payment terms the Seller (`id` its party id, `name` its legal name, no `type`) |
//! | `relatedContactInformation` | the Seller and the Buyer: `role` `seller` / `buyer`, `organization` the party id, `name` the legal name, `postalAddress` the billing address; `emailAddress` and `number` are `""` (not in the MSA) |
//! | `billingPeriod` | `[start, end)` as `YYYY-MM-DDT00:00:00Z` instants (end exclusive) |
//! | `billCycle` | the period, `START..END` |
//! | `billDate`, `lastUpdate` | the bill date; `paymentDueDate` the due date (midnight UTC) |
//! | `taxExcludedAmount` / `taxItem[0].taxAmount` / `taxIncludedAmount` | subtotal / tax / total |
//! | `amountDue`, `remainingAmount` | the total (nothing is paid at issue); less a credit note applied (`zkCredit`) and, on a final invoice, the partial invoice's total (`zkPartial`, [`part`]) |
//! | `credits`, `discounts`, `fees` | zero; `appliedPayment` empty; `billDocument` `{}` (no printable version) |
//! | `taxItem` | one: `taxCategory` [`TAX_CATEGORY`], `taxRate` the MSA's rate in percent |
//! | `category`, `runType`, `state` | `normal`, `onCycle`, `generated` |
//! | `zkPart` (extra) | absent; `interim` for a disputed period's partial invoice, `final` for the final invoice of a period invoiced in part ([`part`]) |
//! | `customerBillItem` | the items themselves (each a full `CustomerBillItem`, which is also a valid `CustomerBillItemRef`: both require `id`, neither forbids other properties) |
//!
//! Items: a recurring line is one `recurring` item (`unitQuantity` the ordered quantity,
//! `unitRate` the fee). A usage line is one `usageBased` item per tier it was priced at
//! (`unitRate` that tier's exact price); one tier, one item. With several tiers the line amount is
//! split by cumulative rounding (item `i` gets `round(N_1 + .. + N_i) - round(N_1 + .. + N_{i-1})`
//! of the tier charges `N_i`), so the items add up to the rounded line amount exactly. Item `id`s
//! are `NUMBER-1`, `NUMBER-2`, ...; `appliedTax` and `appliedFee` are empty (tax applies to the
//! subtotal), `state` is `generated`, `productOrderItem` splits the MSA product's order reference
//! at its last `/` (`PO-7781/1` is order `PO-7781`, item `1`; without `/` both are the reference).
//!
//! Money values are JSON numbers written verbatim from the exact decimal of the minor units
//! (`1450.00`), never through floating point, and read back from the payload's text.
//!
//! The invoice commitment covers what [`CustomerBill::to_invoice`] reconstructs: the parties, the
//! MSA id, number, period, dates, currency, tax rate, per product and kind the summed quantities and
//! amounts, subtotal, tax and total. The per-tier split and the descriptive fields are not covered;
//! given the MSA, `to_invoice` checks them against it (products, names, units, order references,
//! rates); it always checks the duplicated amounts against each other.

#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

pub mod bill;
pub mod compare;
pub mod error_body;
pub mod events;
pub mod money;
pub mod part;
pub mod read;
pub mod render;
#[cfg(feature = "schema")]
pub mod schema;
pub mod settle;

pub use bill::{
    AppliedPayment, CustomerBill, CustomerBillItem, ItemType, PaymentItem, ZkProof, TAX_CATEGORY,
};
pub use compare::LIFECYCLE;
pub use error_body::ErrorBody;
pub use events::{
    CustomerBillEvent, CustomerBillEventPayload, EventSubscription, EventSubscriptionInput, CREATE_EVENT,
    STATE_CHANGE_EVENT,
};
pub use money::{JsonNumber, Money};
pub use settle::SETTLED;

/// The base path of the Seller's MEF 141 Billing Management API.
pub const MEF_BASE: &str = "/mefApi/sonata/customerBillManagement/v2";
/// The base path of the Buyer's MEF 141 Billing Notification API (the listeners).
pub const LISTENER_BASE: &str = "/mefApi/sonata/customerBillNotification/v2";
