//! The Master Services Agreement: parties, currency, tax, terms and the priced products.

use std::collections::HashMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{check_id, from_json, period::parse_date};
use crate::{
    encoding::PAD_THRESHOLD,
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
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentTerms {
    /// Days from the bill date (the day after the period) to the payment due date.
    pub net_days: u32,
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

/// A product as written in the MSA.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductDoc {
    /// Product identifier, unique in the MSA; usage records name it.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Unit of measure of usage quantities, e.g. `GB`, `minute`, `vCPU-hour`, `instance`.
    pub unit: String,
    /// Usage pricing; absent means no usage charge (model `none`).
    #[serde(default)]
    pub pricing: Option<PricingDoc>,
    /// Recurring charge billed every period (order-based billing, MEF 114 R63).
    #[serde(default)]
    pub recurring: Option<RecurringDoc>,
    /// The product order (item) this product bills (MEF 114 R4), e.g. `PO-7781/1`.
    pub order_reference: String,
}

/// Usage pricing of a product.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PricingDoc {
    /// How tiers apply to cumulative volume.
    pub model: PricingModel,
    /// The tier table, thresholds strictly ascending from 0.
    #[serde(default)]
    pub tiers: Vec<TierDoc>,
}

/// One tier: from cumulative volume `from` on, each unit costs `price`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TierDoc {
    /// Cumulative volume (in the product's unit) where the tier starts: an unsigned integer, or a
    /// decimal string of one.
    #[schemars(schema_with = "crate::model::u64_schema")]
    pub from: serde_json::Value,
    /// Price per unit in the major currency unit, an exact decimal string with at most 9 decimals.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,9})?$"))]
    pub price: String,
}

/// A recurring charge.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecurringDoc {
    /// Fee per ordered unit per period, an exact decimal string with at most 9 decimals.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,9})?$"))]
    pub fee: String,
    /// Ordered quantity (e.g. number of OVCs).
    #[schemars(schema_with = "crate::model::u64_schema")]
    pub ordered_quantity: serde_json::Value,
}

/// How a tier table applies to cumulative volume.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum PricingModel {
    /// Marginal: each unit is priced by the tier its cumulative position falls in.
    Graduated,
    /// All-units: every unit of the period is priced by the tier of the cumulative volume
    /// reached at the end of the period.
    Volume,
    /// No usage charge.
    None,
}

/// Pricing model codes in the canonical encoding.
pub mod model_code {
    /// No usage pricing (recurring only, or a padding slot).
    pub const NONE: u64 = 0;
    /// Graduated (marginal) tiers.
    pub const GRADUATED: u64 = 1;
    /// All-units (volume) tiers.
    pub const VOLUME: u64 = 2;
}

impl PricingModel {
    /// The model's code in the canonical encoding.
    pub fn code(self) -> u64 {
        match self {
            Self::None => model_code::NONE,
            Self::Graduated => model_code::GRADUATED,
            Self::Volume => model_code::VOLUME,
        }
    }
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
}

/// A validated product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    /// Identifier.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Usage pricing model.
    pub model: PricingModel,
    /// Tiers, thresholds strictly ascending from 0 (empty for model `none`).
    pub tiers: Vec<Tier>,
    /// Recurring charge, if any.
    pub recurring: Option<Recurring>,
    /// The product order (item) billed.
    pub order_reference: String,
}

/// A validated tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tier {
    /// Cumulative volume where the tier starts (`< 2^63`).
    pub threshold: u64,
    /// Price per unit in nano-units.
    pub price_nano: u64,
}

/// A validated recurring charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recurring {
    /// Fee per ordered unit per period, in nano-units.
    pub fee_nano: u64,
    /// Ordered quantity.
    pub ordered_quantity: u64,
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

impl Product {
    fn from_doc(field: &str, doc: &ProductDoc) -> Result<Self, Error> {
        check_id(&format!("{field}.id"), &doc.id)?;
        let (model, tier_docs) = match &doc.pricing {
            Some(p) => (p.model, &p.tiers[..]),
            None => (PricingModel::None, &[][..]),
        };
        let mut tiers = Vec::with_capacity(tier_docs.len());
        for (j, t) in tier_docs.iter().enumerate() {
            let tf = format!("{field}.pricing.tiers[{j}]");
            let threshold =
                money::parse_u64_json(&t.from).map_err(|r| Error::invalid(format!("{tf}.from"), r))?;
            let price_nano =
                money::parse_price_nano(&t.price).map_err(|r| Error::invalid(format!("{tf}.price"), r))?;
            match tiers.last() {
                None if threshold != 0 => {
                    return Err(Error::invalid(
                        format!("{tf}.from"),
                        format!("the first tier must start at 0, not {threshold}"),
                    ))
                }
                Some(Tier { threshold: prev, .. }) if threshold <= *prev => {
                    return Err(Error::invalid(
                        format!("{tf}.from"),
                        format!("thresholds must be strictly ascending: {threshold} follows {prev}"),
                    ))
                }
                _ => {}
            }
            if threshold >= PAD_THRESHOLD {
                return Err(Error::invalid(
                    format!("{tf}.from"),
                    format!("{threshold} is not below 2^63"),
                ));
            }
            tiers.push(Tier {
                threshold,
                price_nano,
            });
        }
        match (model, tiers.is_empty()) {
            (PricingModel::None, false) => {
                return Err(Error::invalid(
                    format!("{field}.pricing.tiers"),
                    "pricing model none takes no tiers",
                ))
            }
            (PricingModel::Graduated | PricingModel::Volume, true) => {
                return Err(Error::invalid(
                    format!("{field}.pricing.tiers"),
                    "a tiered pricing model needs at least one tier",
                ))
            }
            _ => {}
        }
        let recurring = match &doc.recurring {
            Some(r) => Some(Recurring {
                fee_nano: money::parse_price_nano(&r.fee)
                    .map_err(|e| Error::invalid(format!("{field}.recurring.fee"), e))?,
                ordered_quantity: money::parse_u64_json(&r.ordered_quantity)
                    .map_err(|e| Error::invalid(format!("{field}.recurring.orderedQuantity"), e))?,
            }),
            None => None,
        };
        if model == PricingModel::None && recurring.is_none() {
            return Err(Error::invalid(
                field,
                format!(
                    "product {:?} has no pricing: neither usage tiers nor a recurring fee",
                    doc.id
                ),
            ));
        }
        check_id(&format!("{field}.orderReference"), &doc.order_reference)?;
        Ok(Self {
            id: doc.id.clone(),
            name: doc.name.clone(),
            unit: doc.unit.clone(),
            model,
            tiers,
            recurring,
            order_reference: doc.order_reference.clone(),
        })
    }

    /// The tier index `k` with `t_k <= volume < t_{k+1}` (volume `< 2^63`); `None` without tiers.
    pub fn tier_of(&self, volume: u64) -> Option<usize> {
        self.tiers.iter().rposition(|t| t.threshold <= volume)
    }
}

fn check_party(field: &str, p: &Party) -> Result<(), Error> {
    check_id(&format!("{field}.id"), &p.id)?;
    if p.name.trim().is_empty() {
        return Err(Error::invalid(format!("{field}.name"), "is empty"));
    }
    Ok(())
}
