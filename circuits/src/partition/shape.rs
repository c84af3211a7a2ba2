//! Partition shapes: the fixed sizes of a partitioned invoice's block and chunk statements.

use std::{fmt, str::FromStr};

use zkinvoice_verifier::partition::{PartitionSizes, SLOT_BOUND};

use crate::{encoding::RECORDS_PER_ELEMENT, shape::Need, Error, Shape};

/// A partition shape: products per block `Pb` (each with `T` tiers) and records per chunk `Uc`.
/// An invoice over `P` products and `U` records has `nb = max(1, ceil(P / Pb))` blocks and
/// `nc = max(1, ceil(U / Uc))` chunks, each padded as a v1 shape pads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartitionShape {
    /// Name of the parameter set (`PS`, `PM`).
    pub name: &'static str,
    /// Products per block `Pb`.
    pub block_products: usize,
    /// Tiers per product `T`.
    pub tiers: usize,
    /// Records per chunk `Uc` (a multiple of four: records are packed four per element).
    pub chunk_records: usize,
}

impl PartitionShape {
    /// The small partition shape, for tests: blocks of 4 products with 4 tiers, chunks of 12
    /// records.
    pub const PS: PartitionShape = PartitionShape {
        name: "PS",
        block_products: 4,
        tiers: 4,
        chunk_records: 12,
    };
    /// The production partition shape: blocks of 32 products with 8 tiers, chunks of 832
    /// records (the most that keep the chunk statement within a Groth16 domain of `2^16`).
    pub const PM: PartitionShape = PartitionShape {
        name: "PM",
        block_products: 32,
        tiers: 8,
        chunk_records: 832,
    };
    /// Every partition shape, smallest first.
    pub const ALL: [PartitionShape; 2] = [Self::PS, Self::PM];

    /// The sizes the MSA commitment binds.
    pub const fn sizes(&self) -> PartitionSizes {
        PartitionSizes {
            block_products: self.block_products as u64,
            tiers: self.tiers as u64,
            chunk_records: self.chunk_records as u64,
        }
    }

    /// The block statement's sizes as a v1 [`Shape`] (products `Pb`, tiers `T`, records `Uc`),
    /// for the encodings the two share.
    pub const fn block_shape(&self) -> Shape {
        Shape {
            name: self.name,
            products: self.block_products,
            tiers: self.tiers,
            records: self.chunk_records,
        }
    }

    /// `nb` for `products` products.
    pub const fn blocks(&self, products: usize) -> usize {
        if products == 0 {
            1
        } else {
            products.div_ceil(self.block_products)
        }
    }

    /// `nc` for `records` records.
    pub const fn chunks(&self, records: usize) -> usize {
        if records == 0 {
            1
        } else {
            records.div_ceil(self.chunk_records)
        }
    }

    /// Packed elements of one chunk.
    pub const fn chunk_elements(&self) -> usize {
        self.chunk_records / RECORDS_PER_ELEMENT
    }

    /// Checks that `need` fits: any number of products and records, but at most `T` tiers per
    /// product and every slot (padding included) below `2^16`.
    pub fn check(&self, need: Need) -> Result<(), Error> {
        if need.tiers > self.tiers {
            return Err(Error::Shape(format!(
                "a product has {} tiers; partition shape {self} allows {}",
                need.tiers, self.tiers
            )));
        }
        let slots = self.blocks(need.products) * self.block_products;
        if slots as u64 > SLOT_BOUND {
            return Err(Error::Shape(format!(
                "{} products need {slots} slots; partition shape {self} allows at most {SLOT_BOUND}",
                need.products
            )));
        }
        Ok(())
    }
}

impl fmt::Display for PartitionShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (blocks of {} products with {} tiers, chunks of {} records)",
            self.name, self.block_products, self.tiers, self.chunk_records
        )
    }
}

impl FromStr for PartitionShape {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|shape| shape.name.eq_ignore_ascii_case(s))
            .ok_or_else(|| Error::invalid("shape", format!("unknown partition shape {s:?} (known: PS, PM)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_limits() {
        for s in PartitionShape::ALL {
            assert_eq!(s.chunk_records % RECORDS_PER_ELEMENT, 0, "{s}");
        }
        let s = PartitionShape::PS;
        assert_eq!((s.blocks(0), s.blocks(4), s.blocks(5)), (1, 1, 2));
        assert_eq!((s.chunks(0), s.chunks(12), s.chunks(13)), (1, 1, 2));
        let need = |products, tiers| Need {
            products,
            tiers,
            records: 1_000_000,
        };
        assert!(s.check(need(65_536, 4)).is_ok());
        assert!(s
            .check(need(65_537, 4))
            .unwrap_err()
            .to_string()
            .contains("65537 products"));
        assert!(s.check(need(3, 5)).unwrap_err().to_string().contains("5 tiers"));
        assert_eq!("pm".parse::<PartitionShape>().unwrap(), PartitionShape::PM);
    }
}
