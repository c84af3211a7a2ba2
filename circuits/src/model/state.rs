//! The cumulative-volume state `state_k` that chains invoices of one MSA.

use std::collections::BTreeMap;

use super::msa::Msa;
use crate::{encoding::PAD_THRESHOLD, money, Error};

/// Cumulative volume per product slot after `index` invoices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeState {
    /// `k`: the number of invoices this state follows (0 for the state the MSA starts from).
    pub index: u64,
    /// Cumulative volume per product slot, in the MSA's slot order.
    pub volumes: Vec<u64>,
}

impl VolumeState {
    /// `state_0`: all volumes zero.
    pub fn initial(msa: &Msa) -> Self {
        Self {
            index: 0,
            volumes: vec![0; msa.products.len()],
        }
    }

    /// A state from volumes keyed by product id (decimal strings); every MSA product must appear
    /// exactly once.
    pub fn from_map(msa: &Msa, index: u64, volumes: &BTreeMap<String, String>) -> Result<Self, Error> {
        let mut out = vec![None; msa.products.len()];
        for (product, v) in volumes {
            let field = format!("volumes.{product}");
            let slot = msa.slot_of(product).ok_or_else(|| {
                Error::invalid(&field, format!("unknown product {product:?} for MSA {}", msa.id))
            })?;
            let v = money::parse_u64_str(v).map_err(|r| Error::invalid(&field, r))?;
            out[slot] = Some(check_volume(v).map_err(|r| Error::invalid(&field, r))?);
        }
        let volumes = out
            .into_iter()
            .enumerate()
            .map(|(slot, v)| {
                v.ok_or_else(|| {
                    Error::invalid(
                        "volumes",
                        format!("product {:?} is missing", msa.products[slot].id),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { index, volumes })
    }

    /// Checks that every volume is below `2^63`, the bound the circuits pack volumes under; the
    /// error names the first slot that is not.
    pub fn check(&self) -> Result<(), Error> {
        for (slot, &v) in self.volumes.iter().enumerate() {
            check_volume(v).map_err(|reason| Error::Range {
                field: format!("volume of product slot {slot}"),
                reason,
            })?;
        }
        Ok(())
    }

    /// Volumes keyed by product id, as decimal strings.
    pub fn to_map(&self, msa: &Msa) -> BTreeMap<String, String> {
        msa.products
            .iter()
            .zip(&self.volumes)
            .map(|(p, v)| (p.id.clone(), v.to_string()))
            .collect()
    }
}

/// Refuses a cumulative volume of `2^63` or more.
fn check_volume(v: u64) -> Result<u64, String> {
    if v >= PAD_THRESHOLD {
        return Err(format!("{v} is not below 2^63, the largest cumulative volume"));
    }
    Ok(v)
}
