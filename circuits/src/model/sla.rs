//! Service levels (MEF 114 §8.4, issue 16 step 4): the MSA's availability bands per product, with
//! the credit each band gives as a share of the product's charge. The SLA performance records a
//! period measures against them are [`super::performance`]'s.
//!
//! Optional: an MSA without service levels commits exactly as before
//! ([`crate::commit::msa::msa_text_fe`]). `docs/lifecycle.md` ("SLA credits") describes their
//! meaning and [`crate::native::credit`] the credit they give.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{money, Error};

/// The most availability bands a product's service level has (the circuits' fixed width).
pub const MAX_SLA_BANDS: usize = 4;

/// One availability band as written: below `below` percent availability, `creditPercent` of the
/// product's charge is credited.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlaBandDoc {
    /// The availability in percent the band starts below (exclusive), an exact decimal string
    /// with at most 4 decimals, above 0 and at most 100.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub below: String,
    /// The credit in percent of the product's charge (usage and recurring, before tax), an exact
    /// decimal string with at most 4 decimals, above 0 and at most 100.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub credit_percent: String,
}

/// A product's service level as written.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceLevelDoc {
    /// The product's id.
    pub id: String,
    /// 1 to 4 bands, highest `below` first, each lower band crediting more.
    pub availability_bands: Vec<SlaBandDoc>,
}

/// A validated availability band, in parts per million.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaBand {
    /// Availability the band starts below (exclusive), in ppm: `0 < below <= 10^6`.
    pub below_ppm: u32,
    /// The credit's share of the product's charge, in ppm: `0 < credit <= 10^6`.
    pub credit_ppm: u32,
}

/// A product's validated service level: 1 to [`MAX_SLA_BANDS`] bands, `below` strictly
/// descending, `credit` strictly ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceLevel {
    /// The bands, highest `below` first.
    pub bands: Vec<SlaBand>,
}

impl ServiceLevel {
    /// The credit's share (ppm) for a measured availability (ppm): the credit of the lowest band
    /// the availability is below, 0 if it is below none. Computed as the circuit does, as the sum
    /// over the bands it is below of each band's increase over the one before.
    pub fn credit_ppm(&self, availability_ppm: u32) -> u32 {
        let mut share = 0;
        let mut before = 0;
        for b in &self.bands {
            if availability_ppm < b.below_ppm {
                share += b.credit_ppm - before;
            }
            before = b.credit_ppm;
        }
        share
    }

    fn from_doc(field: &str, doc: &ServiceLevelDoc) -> Result<Self, Error> {
        let n = doc.availability_bands.len();
        if n == 0 || n > MAX_SLA_BANDS {
            return Err(Error::invalid(
                format!("{field}.availabilityBands"),
                format!("has {n} bands; a service level has 1 to {MAX_SLA_BANDS}"),
            ));
        }
        let mut bands: Vec<SlaBand> = Vec::with_capacity(n);
        for (k, b) in doc.availability_bands.iter().enumerate() {
            let f = format!("{field}.availabilityBands[{k}]");
            let percent = |name: &str, s: &str| {
                let v = money::parse_percent_ppm(s).map_err(|r| Error::invalid(format!("{f}.{name}"), r))?;
                if v == 0 {
                    return Err(Error::invalid(format!("{f}.{name}"), "is 0"));
                }
                Ok(v)
            };
            let band = SlaBand {
                below_ppm: percent("below", &b.below)?,
                credit_ppm: percent("creditPercent", &b.credit_percent)?,
            };
            if let Some(prev) = bands.last() {
                if band.below_ppm >= prev.below_ppm {
                    return Err(Error::invalid(
                        format!("{f}.below"),
                        "is not below the band before: bands go from the highest availability down",
                    ));
                }
                if band.credit_ppm <= prev.credit_ppm {
                    return Err(Error::invalid(
                        format!("{f}.creditPercent"),
                        "is not above the band before: a lower availability credits more",
                    ));
                }
            }
            bands.push(band);
        }
        Ok(Self { bands })
    }
}

/// The MSA's validated service levels, per product slot (`None` where the MSA sets none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceLevels {
    /// Per product slot, in slot order.
    pub products: Vec<Option<ServiceLevel>>,
}

impl ServiceLevels {
    /// Validates the service levels of an MSA whose products (in slot order) have the ids
    /// `slot_ids`: each product at most once and of the MSA.
    pub fn from_docs(slot_ids: &[&str], docs: &[ServiceLevelDoc]) -> Result<Option<Self>, Error> {
        if docs.is_empty() {
            return Ok(None);
        }
        let mut products = vec![None; slot_ids.len()];
        for (i, d) in docs.iter().enumerate() {
            let field = format!("serviceLevels[{i}]");
            let Some(slot) = slot_ids.iter().position(|id| *id == d.id) else {
                return Err(Error::invalid(
                    format!("{field}.id"),
                    format!("{:?} is not a product of the MSA", d.id),
                ));
            };
            if products[slot].is_some() {
                return Err(Error::invalid(
                    format!("{field}.id"),
                    format!("product {:?} has a service level already", d.id),
                ));
            }
            products[slot] = Some(ServiceLevel::from_doc(&field, d)?);
        }
        Ok(Some(Self { products }))
    }
}
