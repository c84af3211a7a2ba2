//! Circuit shapes: the fixed sizes every input is padded to.
//!
//! A Groth16 circuit has a fixed size, so each parameter set serves one shape
//! `(P products, T tiers, U usage records)`. Smaller inputs are padded: unused product slots are
//! zero, unused tiers sit at threshold `2^63` with price 0, unused records are `(slot 0, quantity 0)`.

use std::{fmt, str::FromStr};

use crate::Error;

/// A circuit shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Name of the parameter set (`S`, `M`).
    pub name: &'static str,
    /// Product slots `P` (a power of two).
    pub products: usize,
    /// Tiers per product `T`.
    pub tiers: usize,
    /// Usage records `U`.
    pub records: usize,
}

impl Shape {
    /// The small shape, for tests: 8 products, 4 tiers, 64 records.
    pub const S: Shape = Shape {
        name: "S",
        products: 8,
        tiers: 4,
        records: 64,
    };
    /// The medium shape, for benchmarks and monthly wholesale bills: 32 products, 8 tiers,
    /// 1024 records.
    pub const M: Shape = Shape {
        name: "M",
        products: 32,
        tiers: 8,
        records: 1024,
    };
    /// Every shape, smallest first.
    pub const ALL: [Shape; 2] = [Shape::S, Shape::M];

    /// `log2(P)`: bits of a product slot index.
    pub const fn slot_bits(&self) -> u32 {
        self.products.trailing_zeros()
    }

    /// Whether `products`, `tiers` (the most of any product) and `records` fit this shape.
    pub fn fits(&self, need: Need) -> bool {
        need.products <= self.products && need.tiers <= self.tiers && need.records <= self.records
    }

    /// The smallest shape that fits `need`, or an error naming the largest shape's limits.
    pub fn smallest_fitting(need: Need) -> Result<Shape, Error> {
        Self::ALL.into_iter().find(|s| s.fits(need)).ok_or_else(|| {
            let largest = Self::ALL[Self::ALL.len() - 1];
            Error::Shape(format!("{need} exceeds every shape; the largest is {largest}"))
        })
    }

    /// Checks that `need` fits this shape; the error names the limits crossed and the smallest
    /// shape that would fit, if any.
    pub fn check(&self, need: Need) -> Result<(), Error> {
        if self.fits(need) {
            return Ok(());
        }
        let mut over = Vec::new();
        if need.products > self.products {
            over.push(format!("{} products (at most {})", need.products, self.products));
        }
        if need.tiers > self.tiers {
            over.push(format!(
                "{} tiers in one product (at most {})",
                need.tiers, self.tiers
            ));
        }
        if need.records > self.records {
            over.push(format!(
                "{} usage records (at most {})",
                need.records, self.records
            ));
        }
        let hint = match Self::ALL.into_iter().find(|s| s.fits(need)) {
            Some(s) => format!("; shape {s} fits"),
            None => "; no shape fits".to_string(),
        };
        Err(Error::Shape(format!(
            "the input has {} for shape {self}{hint}",
            over.join(", ")
        )))
    }
}

/// What an input needs of a shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Need {
    /// Products in the MSA.
    pub products: usize,
    /// The most tiers of any product.
    pub tiers: usize,
    /// Usage records in the period.
    pub records: usize,
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an input of {} products, {} tiers and {} records",
            self.products, self.tiers, self.records
        )
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} products, {} tiers, {} records)",
            self.name, self.products, self.tiers, self.records
        )
    }
}

impl FromStr for Shape {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|shape| shape.name.eq_ignore_ascii_case(s))
            .ok_or_else(|| Error::invalid("shape", format!("unknown shape {s:?} (known: S, M)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_powers_of_two_and_ordered() {
        for s in Shape::ALL {
            assert!(s.products.is_power_of_two());
            assert!(s.products <= 1 << 16, "slots are packed in 16 bits");
        }
        assert_eq!(Shape::M.slot_bits(), 5);
    }

    #[test]
    fn refusal_names_limits_and_the_fitting_shape() {
        let need = Need {
            products: 4,
            tiers: 3,
            records: 1000,
        };
        let e = Shape::S.check(need).unwrap_err().to_string();
        assert!(
            e.contains("1000 usage records (at most 64)") && e.contains("shape M"),
            "{e}"
        );
        assert_eq!(Shape::smallest_fitting(need).unwrap(), Shape::M);
        let huge = Need {
            products: 40,
            tiers: 9,
            records: 2000,
        };
        let e = Shape::M.check(huge).unwrap_err().to_string();
        assert!(
            e.contains("40 products") && e.contains("9 tiers") && e.contains("no shape fits"),
            "{e}"
        );
        assert!(Shape::smallest_fitting(huge).is_err());
        assert_eq!("m".parse::<Shape>().unwrap(), Shape::M);
        assert!("XL".parse::<Shape>().is_err());
    }
}
