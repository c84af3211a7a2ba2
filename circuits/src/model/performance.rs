//! SLA performance records (issue 16 step 4): the availability measured per product with a
//! service level ([`super::sla`]) over one period, agreed by both parties and committed like usage
//! ([`crate::commit::sla`]).

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    from_json,
    msa::Msa,
    period::{Period, PeriodDoc},
};
use crate::{money, Error};

/// SLA performance records as written (`zkinvoice schema sla` prints the JSON Schema): the
/// availability measured per product over one period.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "zkinvoice SLA performance")]
pub struct SlaDoc {
    /// The period measured (the billing period).
    pub period: PeriodDoc,
    /// One record per product with a service level in the MSA, in any order.
    pub records: Vec<SlaRecordDoc>,
}

/// One product's measured availability as written.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlaRecordDoc {
    /// The product id in the MSA.
    pub product: String,
    /// The availability over the period in percent, an exact decimal string with at most 4
    /// decimals, at most 100.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub availability_percent: String,
}

/// Validated SLA performance of one period under one MSA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sla {
    /// The period.
    pub period: Period,
    /// Per product slot of the MSA, the measured availability in ppm: `Some` exactly for the
    /// products with a service level.
    pub availability: Vec<Option<u32>>,
}

impl Sla {
    /// Parses and validates SLA records against `msa`.
    pub fn from_json(text: &str, msa: &Msa) -> Result<Self, Error> {
        Self::from_doc(&from_json::<SlaDoc>(text)?, msa)
    }

    /// Validates SLA records against `msa`: a record for each product with a service level and
    /// for no other, each at most once, availabilities at most 100 percent.
    pub fn from_doc(doc: &SlaDoc, msa: &Msa) -> Result<Self, Error> {
        let period = Period::from_doc("period", &doc.period)?;
        let Some(levels) = &msa.terms.service_levels else {
            return Err(Error::invalid(
                "records",
                "the MSA sets no service levels: there is nothing to measure against",
            ));
        };
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut availability = vec![None; msa.products.len()];
        for (i, r) in doc.records.iter().enumerate() {
            let field = format!("records[{i}]");
            if let Some(first) = seen.insert(r.product.as_str(), i) {
                return Err(Error::invalid(
                    format!("{field}.product"),
                    format!("{:?} is measured twice (also records[{first}])", r.product),
                ));
            }
            let slot = msa
                .slot_of(&r.product)
                .filter(|s| levels.products[*s].is_some())
                .ok_or_else(|| {
                    Error::invalid(
                        format!("{field}.product"),
                        format!("{:?} has no service level in the MSA", r.product),
                    )
                })?;
            let ppm = money::parse_percent_ppm(&r.availability_percent)
                .map_err(|e| Error::invalid(format!("{field}.availabilityPercent"), e))?;
            availability[slot] = Some(ppm);
        }
        if let Some(slot) =
            (0..msa.products.len()).find(|s| levels.products[*s].is_some() && availability[*s].is_none())
        {
            return Err(Error::invalid(
                "records",
                format!(
                    "product {:?} has a service level but no record",
                    msa.products[slot].id
                ),
            ));
        }
        Ok(Self { period, availability })
    }

    /// The records as written, in slot order.
    pub fn to_doc(&self, msa: &Msa) -> SlaDoc {
        SlaDoc {
            period: self.period.to_doc(),
            records: msa
                .products
                .iter()
                .zip(&self.availability)
                .filter_map(|(p, a)| {
                    a.map(|a| SlaRecordDoc {
                        product: p.id.clone(),
                        availability_percent: money::format_scaled(u128::from(a), 4),
                    })
                })
                .collect(),
        }
    }
}
