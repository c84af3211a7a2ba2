//! The Master Services Agreement: parties, currency, tax, terms and the priced products (their
//! types and validation are in [`super::product`], re-exported here).

use std::collections::HashMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use super::product::{
    model_code, PricingDoc, PricingModel, Product, ProductDoc, Recurring, RecurringDoc, Tier, TierDoc,
};
pub use super::sla::{ServiceLevel, ServiceLevelDoc, ServiceLevels, SlaBand, SlaBandDoc};
pub use super::terms::{
    AgreedUsage, DisputeThresholds, DisputeThresholdsDoc, Payment, PaymentMethod, ProductThresholdDoc,
    ReconciliationDoc, RemitTo, Terms, Threshold, ThresholdDoc,
};
use super::{check_id, from_json, period::parse_date};
use crate::{
    money::{self, Currency},
    shape::Need,
    Error,
};

/// The MSA as written in JSON (`zkinvoice schema msa` prints its JSON Schema).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "zkinvoice MSA")]
pub struct MsaDoc {
    /// Agreement identifier, e.g. `MSA-2026-0042`.
    pub id: String,
    /// The party that bills.
    pub seller: Party,
    /// The party that is billed.
    pub buyer: Party,
    /// ISO 4217 alphabetic code of the invoicing currency, e.g. `USD`.
    pub currency: String,
    /// Tax rate in percent as an exact decimal string with at most 4 decimals, e.g. `"8.875"`.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub tax_rate_percent: String,
    /// Payment terms.
    pub payment_terms: PaymentTerms,
    /// The days the agreement is in force (both inclusive).
    pub validity: Validity,
    /// The priced products.
    pub products: Vec<ProductDoc>,
    /// Dispute thresholds (MEF 114 §8.5.3), if the parties set any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute_thresholds: Option<DisputeThresholdsDoc>,
    /// How the agreed usage follows from both parties' measurements (ETSI GS PDL 026 7.2), if
    /// they measure both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<ReconciliationDoc>,
    /// Service levels per product (MEF 114 §8.4): availability bands and the credit each gives,
    /// if the parties set any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_levels: Vec<ServiceLevelDoc>,
}

/// A party to the bilateral.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Party {
    /// Stable party identifier, e.g. an LEI or the MEF `buyerId` / `sellerId`.
    pub id: String,
    /// Legal name.
    pub name: String,
    /// Billing address.
    pub billing_address: Address,
}

/// A postal address.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Address {
    /// Street and number.
    pub street: String,
    /// City.
    pub city: String,
    /// Postal code.
    pub postcode: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

/// Payment terms.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentTerms {
    /// Days from the bill date (the day after the period) to the payment due date.
    pub net_days: u32,
    /// The contracted payment method (MEF 114 R84), with `remitTo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<PaymentMethod>,
    /// The Seller's account the Buyer pays to, with `method`: committed with the MSA, so that a
    /// bill naming another account is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remit_to: Option<RemitTo>,
}

/// Validity of the agreement.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Validity {
    /// First day in force (`YYYY-MM-DD`).
    #[schemars(extend("format" = "date"))]
    pub from: String,
    /// Last day in force (`YYYY-MM-DD`), inclusive.
    #[schemars(extend("format" = "date"))]
    pub until: String,
}

/// A validated MSA. Products are in canonical order (ascending byte order of their ids): a
/// product's position is its slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msa {
    /// Agreement identifier.
    pub id: String,
    /// The party that bills.
    pub seller: Party,
    /// The party that is billed.
    pub buyer: Party,
    /// Invoicing currency.
    pub currency: Currency,
    /// Tax rate in parts per million.
    pub tax_ppm: u32,
    /// Days from the bill date to the due date.
    pub net_days: u32,
    /// First day in force.
    pub valid_from: NaiveDate,
    /// Last day in force (inclusive).
    pub valid_until: NaiveDate,
    /// Products in slot order.
    pub products: Vec<Product>,
    /// The terms after the invoice: payment, dispute thresholds, reconciliation.
    pub terms: Terms,
}

impl Msa {
    /// Parses and validates an MSA from JSON.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        Self::from_doc(&from_json::<MsaDoc>(text)?)
    }

    /// Validates an MSA document: every field, ascending tiers from 0, known currency, unique
    /// products, each product priced somehow.
    pub fn from_doc(doc: &MsaDoc) -> Result<Self, Error> {
        check_id("id", &doc.id)?;
        check_party("seller", &doc.seller)?;
        check_party("buyer", &doc.buyer)?;
        if doc.seller.id == doc.buyer.id {
            return Err(Error::invalid(
                "buyer.id",
                "the buyer and the seller are the same party",
            ));
        }
        let currency = Currency::from_code(&doc.currency).map_err(|r| Error::invalid("currency", r))?;
        let tax_ppm = money::parse_percent_ppm(&doc.tax_rate_percent)
            .map_err(|r| Error::invalid("taxRatePercent", r))?;
        let valid_from = parse_date("validity.from", &doc.validity.from)?;
        let valid_until = parse_date("validity.until", &doc.validity.until)?;
        if valid_until < valid_from {
            return Err(Error::invalid(
                "validity.until",
                format!("{valid_until} is before validity.from {valid_from}"),
            ));
        }
        if doc.products.is_empty() {
            return Err(Error::invalid("products", "the MSA prices no product"));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut products = Vec::with_capacity(doc.products.len());
        for (i, p) in doc.products.iter().enumerate() {
            let field = format!("products[{i}]");
            if let Some(first) = seen.insert(p.id.as_str(), i) {
                return Err(Error::invalid(
                    format!("{field}.id"),
                    format!("duplicate product id {:?} (also products[{first}])", p.id),
                ));
            }
            products.push(Product::from_doc(&field, p)?);
        }
        products.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        let slot_ids: Vec<&str> = products.iter().map(|p| p.id.as_str()).collect();
        let terms = Terms::from_docs(
            currency,
            &slot_ids,
            doc.payment_terms.method,
            doc.payment_terms.remit_to.as_ref(),
            doc.dispute_thresholds.as_ref(),
            doc.reconciliation.as_ref(),
            &doc.service_levels,
        )?;
        Ok(Self {
            id: doc.id.clone(),
            seller: doc.seller.clone(),
            buyer: doc.buyer.clone(),
            currency,
            tax_ppm,
            net_days: doc.payment_terms.net_days,
            valid_from,
            valid_until,
            products,
            terms,
        })
    }

    /// The slot of a product id, if the MSA prices it.
    pub fn slot_of(&self, product_id: &str) -> Option<usize> {
        self.products
            .binary_search_by(|p| p.id.as_bytes().cmp(product_id.as_bytes()))
            .ok()
    }

    /// What this MSA needs of a shape (with `records` usage records).
    pub fn need(&self, records: usize) -> Need {
        Need {
            products: self.products.len(),
            tiers: self.products.iter().map(|p| p.tiers.len()).max().unwrap_or(0),
            records,
        }
    }
}

fn check_party(field: &str, p: &Party) -> Result<(), Error> {
    check_id(&format!("{field}.id"), &p.id)?;
    if p.name.trim().is_empty() {
        return Err(Error::invalid(format!("{field}.name"), "is empty"));
    }
    Ok(())
}
