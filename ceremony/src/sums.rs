//! The sparse sums of phase 2's start: for each variable, `Σ_j M[j][v]·P_j` over its column of a
//! matrix `M` (A, B or C) and a list of points `P_j` (the Lagrange bases, or them times `α` or
//! `β`). Coefficients of ±1 cost an addition, small ones double-and-add, the others a batch of
//! sums of products, each column's sharing its doublings ([`crate::group::combine_many`]); long
//! columns an MSM.

use ark_bls12_381::Fr;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{One, PrimeField};
use rayon::prelude::*;
use zkinvoice_circuits::statement::{r1cs::Which, R1cs};

use crate::group::Element;

/// A coefficient, classed so that the common ones (±1) cost an addition.
#[derive(Clone, Copy)]
enum Coefficient {
    One,
    MinusOne,
    /// Below 2^64 (bits of a decomposition, small constants): double-and-add over its bits.
    Small(u64),
    /// Minus one below 2^64.
    MinusSmall(u64),
    Other(Fr),
}

impl Coefficient {
    fn of(c: Fr) -> Self {
        let small = |x: Fr| {
            let b = x.into_bigint();
            (b.0[1..].iter().all(|&l| l == 0)).then_some(b.0[0])
        };
        if c.is_one() {
            Self::One
        } else if (-c).is_one() {
            Self::MinusOne
        } else if let Some(k) = small(c) {
            Self::Small(k)
        } else if let Some(k) = small(-c) {
            Self::MinusSmall(k)
        } else {
            Self::Other(c)
        }
    }

    fn value(self) -> Fr {
        match self {
            Self::One => Fr::one(),
            Self::MinusOne => -Fr::one(),
            Self::Small(k) => Fr::from(k),
            Self::MinusSmall(k) => -Fr::from(k),
            Self::Other(c) => c,
        }
    }
}

/// `p·k` by doubling and adding over `k`'s bits.
fn times_small<G: CurveGroup>(p: G::Affine, k: u64) -> G {
    let mut acc = G::zero();
    for i in (0..64 - k.leading_zeros()).rev() {
        acc.double_in_place();
        if (k >> i) & 1 == 1 {
            acc += p;
        }
    }
    acc
}

/// One matrix by columns: for each variable, the rows it appears in and their coefficients.
pub(crate) struct Columns {
    starts: Vec<usize>,
    entries: Vec<(u32, Coefficient)>,
}

impl Columns {
    /// The columns of `r1cs`'s matrix `which`.
    pub(crate) fn of(r1cs: &R1cs, which: Which) -> Self {
        let classes: Vec<Coefficient> = r1cs.coefficients().iter().map(|c| Coefficient::of(*c)).collect();
        let coefficient = |k: u32| classes[k as usize];
        let mut counts = vec![0usize; r1cs.num_variables() + 1];
        for j in 0..r1cs.num_constraints() {
            for e in r1cs.row(j, which) {
                counts[e.variable as usize + 1] += 1;
            }
        }
        for v in 1..counts.len() {
            counts[v] += counts[v - 1];
        }
        let starts = counts.clone();
        let mut entries = vec![(0u32, Coefficient::One); counts[r1cs.num_variables()]];
        for j in 0..r1cs.num_constraints() {
            for e in r1cs.row(j, which) {
                let slot = &mut counts[e.variable as usize];
                entries[*slot] = (j as u32, coefficient(e.coefficient));
                *slot += 1;
            }
        }
        Self { starts, entries }
    }

    fn column(&self, v: usize) -> &[(u32, Coefficient)] {
        &self.entries[self.starts[v]..self.starts[v + 1]]
    }
}

/// Columns with more entries than this are summed by an MSM, outside the parallel loop over
/// variables (an MSM is parallel itself, and nesting rayon's loops this deep overflows stacks);
/// shorter ones by sums sharing their doublings, which at PS take less time than MSMs of the
/// columns above 64 entries did (the start of PS: 104-109 s before, 88-91 s after).
const LONG: usize = 1024;

/// Variables summed by one task of the parallel loop: their full-size coefficients are
/// multiplied in one batch ([`Element::combine_many`]).
const VARS_PER_TASK: usize = 128;

/// `out[k] += Σ c·bases[row]` over the short columns of the variables `first + k`: additions for
/// ±1, double-and-add for small coefficients, and for the others one batch of sums of products,
/// a column's products sharing their doublings ([`Element::combine_many`]).
fn short_sums<G: CurveGroup<ScalarField = Fr> + Element>(
    parts: &[(&Columns, &[G::Affine])],
    first: usize,
    out: &mut [G],
    long: impl Fn(usize) -> bool,
) {
    let (mut points, mut scalars, mut owners, mut ends) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, acc) in out.iter_mut().enumerate() {
        if long(first + k) {
            continue;
        }
        for (columns, bases) in parts {
            for &(row, c) in columns.column(first + k) {
                let p = bases[row as usize];
                match c {
                    Coefficient::One => *acc += p,
                    Coefficient::MinusOne => *acc -= p,
                    Coefficient::Small(s) => *acc += times_small::<G>(p, s),
                    Coefficient::MinusSmall(s) => *acc -= times_small::<G>(p, s),
                    Coefficient::Other(c) => {
                        points.push(p.into_group());
                        scalars.push(c);
                    }
                }
            }
        }
        if ends.last().copied().unwrap_or(0) < points.len() {
            owners.push(k);
            ends.push(points.len());
        }
    }
    for (p, k) in G::combine_many(&points, &scalars, &ends).into_iter().zip(owners) {
        out[k] += p;
    }
}

/// For every variable `v < vars`, `Σ_parts Σ c·bases[row]` over its column in each part.
pub(crate) fn sums<G: CurveGroup<ScalarField = Fr> + Element>(
    parts: &[(&Columns, &[G::Affine])],
    vars: usize,
) -> Vec<G> {
    let long = |v: usize| parts.iter().map(|(c, _)| c.column(v).len()).sum::<usize>() > LONG;
    let mut out: Vec<G> = vec![G::zero(); vars];
    out.par_chunks_mut(VARS_PER_TASK)
        .enumerate()
        .for_each(|(t, chunk)| short_sums(parts, t * VARS_PER_TASK, chunk, long));
    for v in (0..vars).filter(|&v| long(v)) {
        let (mut bases, mut scalars) = (Vec::new(), Vec::new());
        for (c, b) in parts {
            for &(row, coefficient) in c.column(v) {
                bases.push(b[row as usize]);
                scalars.push(coefficient.value());
            }
        }
        out[v] = G::msm(&bases, &scalars).expect("lengths agree");
    }
    out
}
