//! Invoices: what the rater produces, the commitment covers and the proof attests.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    check_id, from_json,
    period::{parse_date, Period, PeriodDoc},
};
use crate::{money, money::Currency, Error};

/// The kind of an invoice line.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "camelCase")]
pub enum LineKind {
    /// A usage charge rated from the period's records.
    Usage,
    /// A recurring charge (fee times ordered quantity).
    Recurring,
}

/// An invoice line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceLine {
    /// Product id.
    pub product: String,
    /// Usage or recurring.
    pub kind: LineKind,
    /// Usage quantity in the period, or the ordered quantity.
    pub quantity: u64,
    /// Amount in minor units.
    pub amount: u64,
}

/// A validated invoice. Lines are in canonical order: by product id, usage before recurring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    /// Invoice number, unique per bilateral.
    pub number: String,
    /// The MSA it bills under.
    pub msa_id: String,
    /// Seller id.
    pub seller_id: String,
    /// Buyer id.
    pub buyer_id: String,
    /// Billing period.
    pub period: Period,
    /// Bill date: the day after the period.
    pub issue_date: NaiveDate,
    /// Payment due date: bill date plus the MSA's net days.
    pub due_date: NaiveDate,
    /// Currency.
    pub currency: Currency,
    /// Tax rate in parts per million.
    pub tax_ppm: u32,
    /// Lines in canonical order.
    pub lines: Vec<InvoiceLine>,
    /// Sum of the line amounts, in minor units.
    pub subtotal: u64,
    /// Tax in minor units.
    pub tax: u64,
    /// Subtotal plus tax, in minor units.
    pub total: u64,
}

/// The charges of one product, as the commitment encodes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoiceSlot {
    /// Product id.
    pub product: String,
    /// Usage quantity.
    pub usage_quantity: u64,
    /// Usage amount (minor units).
    pub usage_amount: u64,
    /// Ordered quantity of the recurring charge.
    pub recurring_quantity: u64,
    /// Recurring amount (minor units).
    pub recurring_amount: u64,
}

impl Invoice {
    /// The lines grouped per product, in canonical order (the invoice's product slots).
    ///
    /// Refuses lines out of canonical order or a second line of one kind for one product.
    pub fn slots(&self) -> Result<Vec<InvoiceSlot>, Error> {
        let mut slots: Vec<InvoiceSlot> = Vec::new();
        for (i, pair) in self.lines.windows(2).enumerate() {
            let order = pair[0]
                .product
                .as_bytes()
                .cmp(pair[1].product.as_bytes())
                .then(pair[0].kind.cmp(&pair[1].kind));
            if order != std::cmp::Ordering::Less {
                return Err(Error::invalid(
                    format!("lines[{}]", i + 1),
                    "lines must be unique per product and kind, ordered by product id, usage before recurring",
                ));
            }
        }
        for l in &self.lines {
            if slots.last().is_none_or(|s| s.product != l.product) {
                slots.push(InvoiceSlot {
                    product: l.product.clone(),
                    ..InvoiceSlot::default()
                });
            }
            let s = slots.last_mut().expect("pushed above");
            match l.kind {
                LineKind::Usage => (s.usage_quantity, s.usage_amount) = (l.quantity, l.amount),
                LineKind::Recurring => (s.recurring_quantity, s.recurring_amount) = (l.quantity, l.amount),
            }
        }
        Ok(slots)
    }

    /// Parses and validates an invoice from JSON.
    pub fn from_json(text: &str) -> Result<(Self, Option<CommitmentDoc>), Error> {
        let doc: InvoiceDoc = from_json(text)?;
        Ok((Self::from_doc(&doc)?, doc.commitment))
    }

    /// Validates an invoice document: amounts in the currency's minor unit, unique and sorted
    /// lines, subtotal the sum of the lines and total the subtotal plus tax.
    pub fn from_doc(doc: &InvoiceDoc) -> Result<Self, Error> {
        check_id("number", &doc.number)?;
        check_id("msaId", &doc.msa_id)?;
        check_id("seller", &doc.seller)?;
        check_id("buyer", &doc.buyer)?;
        let currency = Currency::from_code(&doc.currency).map_err(|r| Error::invalid("currency", r))?;
        let amount = |field: &str, s: &str| currency.parse_minor(s).map_err(|r| Error::invalid(field, r));
        let mut lines = Vec::with_capacity(doc.lines.len());
        let mut seen = BTreeSet::new();
        for (i, l) in doc.lines.iter().enumerate() {
            let f = format!("lines[{i}]");
            check_id(&format!("{f}.product"), &l.product)?;
            if !seen.insert((l.product.clone(), l.kind)) {
                return Err(Error::invalid(
                    &f,
                    format!("a second {:?} line for product {:?}", l.kind, l.product),
                ));
            }
            lines.push(InvoiceLine {
                product: l.product.clone(),
                kind: l.kind,
                quantity: money::parse_u64_str(&l.quantity)
                    .map_err(|r| Error::invalid(format!("{f}.quantity"), r))?,
                amount: amount(&format!("{f}.amount"), &l.amount)?,
            });
        }
        lines.sort_by(|a, b| {
            a.product
                .as_bytes()
                .cmp(b.product.as_bytes())
                .then(a.kind.cmp(&b.kind))
        });
        let invoice = Self {
            number: doc.number.clone(),
            msa_id: doc.msa_id.clone(),
            seller_id: doc.seller.clone(),
            buyer_id: doc.buyer.clone(),
            period: Period::from_doc("period", &doc.period)?,
            issue_date: parse_date("issueDate", &doc.issue_date)?,
            due_date: parse_date("dueDate", &doc.due_date)?,
            currency,
            tax_ppm: money::parse_percent_ppm(&doc.tax_rate_percent)
                .map_err(|r| Error::invalid("taxRatePercent", r))?,
            lines,
            subtotal: amount("subtotal", &doc.subtotal)?,
            tax: amount("tax", &doc.tax)?,
            total: amount("total", &doc.total)?,
        };
        let sum: u128 = invoice.lines.iter().map(|l| u128::from(l.amount)).sum();
        if sum != u128::from(invoice.subtotal) {
            return Err(Error::invalid(
                "subtotal",
                format!("{} is not the sum of the lines", doc.subtotal),
            ));
        }
        if u128::from(invoice.subtotal) + u128::from(invoice.tax) != u128::from(invoice.total) {
            return Err(Error::invalid(
                "total",
                format!("{} is not subtotal plus tax", doc.total),
            ));
        }
        Ok(invoice)
    }

    /// The document form, with an optional commitment opening.
    pub fn to_doc(&self, commitment: Option<CommitmentDoc>) -> InvoiceDoc {
        let c = &self.currency;
        InvoiceDoc {
            number: self.number.clone(),
            msa_id: self.msa_id.clone(),
            seller: self.seller_id.clone(),
            buyer: self.buyer_id.clone(),
            period: self.period.to_doc(),
            issue_date: self.issue_date.to_string(),
            due_date: self.due_date.to_string(),
            currency: c.code().to_string(),
            tax_rate_percent: money::format_scaled(u128::from(self.tax_ppm), 4),
            lines: self
                .lines
                .iter()
                .map(|l| LineDoc {
                    product: l.product.clone(),
                    kind: l.kind,
                    quantity: l.quantity.to_string(),
                    amount: c.format_minor(l.amount),
                })
                .collect(),
            subtotal: c.format_minor(self.subtotal),
            tax: c.format_minor(self.tax),
            total: c.format_minor(self.total),
            commitment,
        }
    }
}

/// An invoice as written in JSON (`zkinvoice schema invoice` prints its JSON Schema). Amounts are
/// decimal strings of the major unit with exactly the currency's minor digits.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "zkinvoice invoice")]
pub struct InvoiceDoc {
    /// Invoice number, unique per bilateral.
    pub number: String,
    /// The MSA it bills under.
    pub msa_id: String,
    /// Seller id.
    pub seller: String,
    /// Buyer id.
    pub buyer: String,
    /// Billing period.
    pub period: PeriodDoc,
    /// Bill date (`YYYY-MM-DD`): the day after the period.
    #[schemars(extend("format" = "date"))]
    pub issue_date: String,
    /// Payment due date (`YYYY-MM-DD`).
    #[schemars(extend("format" = "date"))]
    pub due_date: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Tax rate in percent (4 decimals).
    pub tax_rate_percent: String,
    /// Lines: by product id, usage before recurring.
    pub lines: Vec<LineDoc>,
    /// Sum of the lines.
    pub subtotal: String,
    /// Tax on the subtotal, rounded half up to the minor unit.
    pub tax: String,
    /// Subtotal plus tax.
    pub total: String,
    /// The invoice commitment and its opening, once committed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentDoc>,
}

/// An invoice line as written in JSON.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineDoc {
    /// Product id.
    pub product: String,
    /// Usage or recurring.
    pub kind: LineKind,
    /// Quantity (decimal string of an unsigned integer).
    #[schemars(regex(pattern = "^[0-9]{1,20}$"))]
    pub quantity: String,
    /// Amount (decimal string of the major unit).
    pub amount: String,
}

/// A commitment with what opens it, as written in JSON.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommitmentDoc {
    /// The shape the value was padded to.
    pub shape: String,
    /// The 248-bit salt, 62 hex digits.
    pub salt: String,
    /// The commitment, `0x` and 64 hex digits.
    pub value: String,
}
