//! The priced products of an MSA: their documented form, pricing models and tier tables, and
//! their validation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check_id;
use crate::{encoding::PAD_THRESHOLD, money, Error};

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

impl Product {
    /// Validates product `doc`, located at `field` (e.g. `products[2]`).
    pub(super) fn from_doc(field: &str, doc: &ProductDoc) -> Result<Self, Error> {
        check_id(&format!("{field}.id"), &doc.id)?;
        let (model, tier_docs) = match &doc.pricing {
            Some(p) => (p.model, &p.tiers[..]),
            None => (PricingModel::None, &[][..]),
        };
        let tiers = tiers_from_docs(field, tier_docs)?;
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

/// Validates a tier table located at `{field}.pricing.tiers`: thresholds unsigned, strictly
/// ascending from 0 and below `2^63`; prices exact decimals below `2^64` nano-units.
fn tiers_from_docs(field: &str, docs: &[TierDoc]) -> Result<Vec<Tier>, Error> {
    let mut tiers = Vec::with_capacity(docs.len());
    for (j, t) in docs.iter().enumerate() {
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
    Ok(tiers)
}
