//! A statement's constraint system as matrices, built once from its blank circuit exactly as
//! Groth16's key generation builds it (setup mode, optimisation goal "constraints", linear
//! combinations inlined), and its digest. The prover keeps the matrices beside the proving key, so
//! that a proof needs only the witness ([`witness`]: synthesis that records no constraint) and
//! never rebuilds them; the digest pins them to the key's manifest.
//!
//! The matrices are held compactly (8 bytes per non-zero entry: a `u32` variable and a `u32`
//! index into the statement's distinct coefficients), constraint by constraint, A, B and C rows
//! interleaved as circom's `.r1cs` file ([`circom`]) stores them. Key directories keep that file
//! beside the proving key, so that loading a key reads the matrices instead of synthesising the
//! circuit ([`R1cs::read_circom`]); the digest, recomputed from what was read, must be the
//! manifest's.

pub mod circom;

use std::collections::HashMap;

use ark_ff::{BigInteger, One, PrimeField, Zero};
use ark_relations::{
    gr1cs::{
        ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisError, SynthesisMode,
        R1CS_PREDICATE_LABEL,
    },
    utils::matrix::Matrix,
};

use crate::{Error, Fr};

/// One non-zero entry of a matrix row: a variable and the index of its coefficient in
/// [`R1cs::coefficients`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The variable (instance variables first, 0 the constant one, then witness variables).
    pub variable: u32,
    /// Index of the coefficient in [`R1cs::coefficients`] (0 is one, 1 is minus one).
    pub coefficient: u32,
}

/// Which of the three matrices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// A.
    A = 0,
    /// B.
    B = 1,
    /// C.
    C = 2,
}

/// The constraint matrices of one statement.
#[derive(Clone)]
pub struct R1cs {
    /// Instance variables, the constant one included.
    pub num_instance: usize,
    /// Witness variables.
    pub num_witness: usize,
    /// The distinct coefficients: one, minus one, then the others in order of first use.
    coefficients: Vec<Fr>,
    /// Row `3i + m` (constraint `i`, matrix `m`) is `entries[starts[3i + m]..starts[3i + m + 1]]`.
    starts: Vec<u32>,
    entries: Vec<Entry>,
    /// SHA-256 over the statement id, the variable counts and the matrices.
    pub digest: [u8; 32],
}

impl std::fmt::Debug for R1cs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("R1cs")
            .field("num_instance", &self.num_instance)
            .field("num_witness", &self.num_witness)
            .field("num_constraints", &self.num_constraints())
            .field("non_zeros", &self.non_zeros())
            .field("coefficients", &self.coefficients.len())
            .field("digest", &hex::encode(self.digest))
            .finish()
    }
}

/// Builds an [`R1cs`] row by row, interning coefficients.
pub(crate) struct Builder {
    r1cs: R1cs,
    index: HashMap<Fr, u32>,
}

impl Builder {
    /// A builder for `constraints` constraints with `non_zeros` entries in all (capacities only).
    pub(crate) fn new(num_instance: usize, num_witness: usize, constraints: usize, non_zeros: usize) -> Self {
        let coefficients = vec![Fr::one(), -Fr::one()];
        let index = coefficients
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, i as u32))
            .collect();
        let mut starts = Vec::with_capacity(3 * constraints + 1);
        starts.push(0);
        Self {
            r1cs: R1cs {
                num_instance,
                num_witness,
                coefficients,
                starts,
                entries: Vec::with_capacity(non_zeros),
                digest: [0; 32],
            },
            index,
        }
    }

    /// Appends one entry to the current row.
    pub(crate) fn push(&mut self, coefficient: Fr, variable: usize) -> Result<(), &'static str> {
        if variable >= self.r1cs.num_variables() {
            return Err("a variable beyond the statement's");
        }
        let next = self.r1cs.coefficients.len() as u32;
        let coefficient = *self.index.entry(coefficient).or_insert_with(|| {
            self.r1cs.coefficients.push(coefficient);
            next
        });
        self.r1cs.entries.push(Entry {
            variable: variable as u32,
            coefficient,
        });
        Ok(())
    }

    /// Ends the current row.
    pub(crate) fn end_row(&mut self) -> Result<(), &'static str> {
        let end = u32::try_from(self.r1cs.entries.len()).map_err(|_| "more than 2^32 entries")?;
        self.r1cs.starts.push(end);
        Ok(())
    }

    /// The matrices, with their digest for `statement`; `None` unless every row of every
    /// constraint was ended.
    pub(crate) fn finish(mut self, statement: &str) -> Option<R1cs> {
        if (self.r1cs.starts.len() - 1) % 3 != 0 {
            return None;
        }
        self.r1cs.entries.shrink_to_fit();
        self.r1cs.coefficients.shrink_to_fit();
        self.r1cs.digest = self.r1cs.compute_digest(statement);
        Some(self.r1cs)
    }
}

impl R1cs {
    /// Synthesises `circuit` (a blank circuit) in setup mode and keeps its matrices.
    pub fn of(statement: &str, circuit: impl ConstraintSynthesizer<Fr>) -> Result<Self, SynthesisError> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Setup);
        circuit.generate_constraints(cs.clone())?;
        cs.finalize();
        let (num_instance, num_witness) = (cs.num_instance_variables(), cs.num_witness_variables());
        let mut all = cs.to_matrices()?;
        drop(cs);
        let labels: Vec<_> = all.keys().cloned().collect();
        if labels != [R1CS_PREDICATE_LABEL] {
            return Err(SynthesisError::PredicateNotFound);
        }
        let [a, b, c]: [Matrix<Fr>; 3] = all
            .remove(R1CS_PREDICATE_LABEL)
            .and_then(|m| m.try_into().ok())
            .ok_or(SynthesisError::PredicateNotFound)?;
        Self::from_rows(statement, num_instance, num_witness, [&a, &b, &c])
            .map_err(|_| SynthesisError::Unsatisfiable)
    }

    /// The statement `statement` with `num_instance` instance variables (the constant one
    /// included), `num_witness` witness variables and the matrices A, B and C given row by row,
    /// each row's entries `(coefficient, variable)`.
    pub fn from_rows(
        statement: &str,
        num_instance: usize,
        num_witness: usize,
        [a, b, c]: [&[Vec<(Fr, usize)>]; 3],
    ) -> Result<Self, Error> {
        let bad = |reason: &str| Error::invalid("matrices", reason);
        if b.len() != a.len() || c.len() != a.len() {
            return Err(bad("A, B and C have different numbers of rows"));
        }
        let non_zeros = [a, b, c].iter().flat_map(|m| m.iter()).map(Vec::len).sum();
        let mut builder = Builder::new(num_instance, num_witness, a.len(), non_zeros);
        for i in 0..a.len() {
            for m in [a, b, c] {
                for (coefficient, variable) in &m[i] {
                    builder.push(*coefficient, *variable).map_err(bad)?;
                }
                builder.end_row().map_err(bad)?;
            }
        }
        builder.finish(statement).ok_or_else(|| bad("unfinished"))
    }

    /// Constraints.
    pub fn num_constraints(&self) -> usize {
        (self.starts.len() - 1) / 3
    }

    /// Instance and witness variables, the constant one included.
    pub fn num_variables(&self) -> usize {
        self.num_instance + self.num_witness
    }

    /// Non-zero entries of the three matrices.
    pub fn non_zeros(&self) -> usize {
        self.entries.len()
    }

    /// The distinct coefficients (one, minus one, then the others in order of first use).
    pub fn coefficients(&self) -> &[Fr] {
        &self.coefficients
    }

    /// Bytes held by the matrices (entries, row starts and coefficients).
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.starts.capacity() * 4
            + self.coefficients.capacity() * std::mem::size_of::<Fr>()
    }

    /// The entries of constraint `i`'s row in `matrix`.
    pub fn row(&self, i: usize, matrix: Which) -> &[Entry] {
        let r = 3 * i + matrix as usize;
        &self.entries[self.starts[r] as usize..self.starts[r + 1] as usize]
    }

    /// The value of constraint `i`'s row in `matrix` at `assignment` (every variable's value,
    /// the constant one first).
    pub fn evaluate(&self, i: usize, matrix: Which, assignment: &[Fr]) -> Fr {
        let mut acc = Fr::zero();
        for e in self.row(i, matrix) {
            let x = assignment[e.variable as usize];
            match e.coefficient {
                0 => acc += x,
                1 => acc -= x,
                k => acc += self.coefficients[k as usize] * x,
            }
        }
        acc
    }

    /// Whether `assignment` (instance then witness, the constant one first) satisfies every
    /// constraint; the first constraint it does not satisfy otherwise.
    pub fn check(&self, assignment: &[Fr]) -> Result<(), usize> {
        let eval = |i, m| self.evaluate(i, m, assignment);
        (0..self.num_constraints())
            .find(|&i| eval(i, Which::A) * eval(i, Which::B) != eval(i, Which::C))
            .map_or(Ok(()), Err)
    }

    /// The digest: SHA-256 over the statement id, the variable counts, the predicate's label, then
    /// matrix after matrix (A, B, C) its number of rows and each row as its length and entries
    /// (the coefficient compressed, the variable as `u64`), all counts little-endian `u64`.
    fn compute_digest(&self, statement: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};

        let bytes: Vec<[u8; 32]> = self
            .coefficients
            .iter()
            .map(|c| {
                let mut b = [0u8; 32];
                b.copy_from_slice(&c.into_bigint().to_bytes_le());
                b
            })
            .collect();
        let mut h = Sha256::new();
        h.update(statement.as_bytes());
        h.update((self.num_instance as u64).to_le_bytes());
        h.update((self.num_witness as u64).to_le_bytes());
        h.update((R1CS_PREDICATE_LABEL.len() as u64).to_le_bytes());
        h.update(R1CS_PREDICATE_LABEL.as_bytes());
        for m in [Which::A, Which::B, Which::C] {
            h.update((self.num_constraints() as u64).to_le_bytes());
            for i in 0..self.num_constraints() {
                let row = self.row(i, m);
                h.update((row.len() as u64).to_le_bytes());
                for e in row {
                    h.update(bytes[e.coefficient as usize]);
                    h.update(u64::from(e.variable).to_le_bytes());
                }
            }
        }
        h.finalize().into()
    }
}

/// The assignment of a circuit synthesised for its witness only: no constraint, no matrix and no
/// linear combination is recorded (the matrices come from [`R1cs`]). Returns every variable's
/// value, instance variables first (the constant one at 0), then witness variables.
pub fn witness(circuit: impl ConstraintSynthesizer<Fr>) -> Result<Vec<Fr>, SynthesisError> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: false,
        generate_lc_assignments: false,
    });
    circuit.generate_constraints(cs.clone())?;
    let mut z = cs.instance_assignment()?;
    z.extend(cs.witness_assignment()?);
    Ok(z)
}
