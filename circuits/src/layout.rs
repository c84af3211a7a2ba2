//! How a bilateral's invoices are proven: one proof of a v1 [`Shape`] per invoice, or protocol v2's
//! partitions of a [`PartitionShape`]. The layout is chosen when the MSA is committed and recorded
//! by name (`S`, `M`, `PS`, `PM`) in every file that carries a commitment, so that every party
//! commits and checks the same way.

use std::{fmt, str::FromStr};

use crate::{partition::PartitionShape, shape::Need, Error, Shape};

/// A v1 shape or a v2 partition shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// One proof of the invoice statement (protocol v1).
    Single(Shape),
    /// Blocks, chunks and a link (protocol v2).
    Partitioned(PartitionShape),
}

impl Layout {
    /// Every layout: the v1 shapes, smallest first, then the partition shapes.
    pub const ALL: [Layout; 4] = [
        Layout::Single(Shape::S),
        Layout::Single(Shape::M),
        Layout::Partitioned(PartitionShape::PS),
        Layout::Partitioned(PartitionShape::PM),
    ];

    /// The name files record.
    pub const fn name(&self) -> &'static str {
        match self {
            Layout::Single(s) => s.name,
            Layout::Partitioned(p) => p.name,
        }
    }

    /// The v1 shape, if single.
    pub const fn single(&self) -> Option<Shape> {
        match self {
            Layout::Single(s) => Some(*s),
            Layout::Partitioned(_) => None,
        }
    }

    /// The partition shape, if partitioned.
    pub const fn partitioned(&self) -> Option<PartitionShape> {
        match self {
            Layout::Single(_) => None,
            Layout::Partitioned(p) => Some(*p),
        }
    }

    /// Checks that `need` fits.
    pub fn check(&self, need: Need) -> Result<(), Error> {
        match self {
            Layout::Single(s) => s.check(need),
            Layout::Partitioned(p) => p.check(need),
        }
    }

    /// The smallest v1 shape that fits `need`, else the production partition shape `PM` (one
    /// proof while an invoice fits one).
    pub fn smallest_fitting(need: Need) -> Result<Layout, Error> {
        match Shape::smallest_fitting(need) {
            Ok(s) => Ok(Layout::Single(s)),
            Err(_) => PartitionShape::PM
                .check(need)
                .map(|()| Layout::Partitioned(PartitionShape::PM)),
        }
    }
}

impl From<Shape> for Layout {
    fn from(s: Shape) -> Self {
        Layout::Single(s)
    }
}

impl From<PartitionShape> for Layout {
    fn from(p: PartitionShape) -> Self {
        Layout::Partitioned(p)
    }
}

impl PartialEq<Shape> for Layout {
    fn eq(&self, other: &Shape) -> bool {
        *self == Layout::Single(*other)
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layout::Single(s) => s.fmt(f),
            Layout::Partitioned(p) => p.fmt(f),
        }
    }
}

impl FromStr for Layout {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| Error::invalid("shape", format!("unknown shape {s:?} (known: S, M, PS, PM)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_large_inputs_are_partitioned() {
        for l in Layout::ALL {
            assert_eq!(l.name().parse::<Layout>().unwrap(), l);
        }
        assert!("XL".parse::<Layout>().unwrap_err().to_string().contains("PS, PM"));
        let small = Need {
            products: 4,
            tiers: 3,
            records: 60,
        };
        assert_eq!(Layout::smallest_fitting(small).unwrap(), Shape::S);
        let large = Need {
            products: 2600,
            tiers: 8,
            records: 120_000,
        };
        assert_eq!(
            Layout::smallest_fitting(large).unwrap(),
            Layout::Partitioned(PartitionShape::PM)
        );
        let deep = Need { tiers: 9, ..large };
        assert!(Layout::smallest_fitting(deep).is_err());
    }
}
