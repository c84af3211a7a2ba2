//! The cumulative-volume state `state_k` that chains invoices of one MSA.

use std::collections::BTreeMap;

use super::msa::Msa;
use crate::{money, Error};

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
            out[slot] = Some(money::parse_u64_str(v).map_err(|r| Error::invalid(&field, r))?);
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

    /// Volumes keyed by product id, as decimal strings.
    pub fn to_map(&self, msa: &Msa) -> BTreeMap<String, String> {
        msa.products
            .iter()
            .zip(&self.volumes)
            .map(|(p, v)| (p.id.clone(), v.to_string()))
            .collect()
    }
}
