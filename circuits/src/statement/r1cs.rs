//! A statement's constraint system as matrices, built once from its blank circuit exactly as
//! Groth16's key generation builds it (setup mode, optimisation goal "constraints", linear
//! combinations inlined), and its digest. The prover keeps the matrices beside the proving key, so
//! that a proof needs only the witness ([`witness`]: synthesis that records no constraint) and
//! never rebuilds them; the digest pins them to the key's manifest.

use ark_relations::{
    gr1cs::{
        ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisError, SynthesisMode,
        R1CS_PREDICATE_LABEL,
    },
    utils::matrix::Matrix,
};

use crate::Fr;

/// The constraint matrices of one statement.
#[derive(Clone)]
pub struct R1cs {
    /// Instance variables, the constant one included.
    pub num_instance: usize,
    /// Witness variables.
    pub num_witness: usize,
    /// The A, B and C matrices: one row per constraint, each row `(coefficient, variable)` with
    /// instance variables first (0 is the constant one), then witness variables.
    pub matrices: [Matrix<Fr>; 3],
    /// SHA-256 over the statement id, the variable counts and the matrices.
    pub digest: [u8; 32],
}

impl std::fmt::Debug for R1cs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("R1cs")
            .field("num_instance", &self.num_instance)
            .field("num_witness", &self.num_witness)
            .field("num_constraints", &self.num_constraints())
            .field("digest", &hex::encode(self.digest))
            .finish()
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
        let labels: Vec<_> = all.keys().cloned().collect();
        if labels != [R1CS_PREDICATE_LABEL] {
            return Err(SynthesisError::PredicateNotFound);
        }
        let [a, b, c]: [Matrix<Fr>; 3] = all
            .remove(R1CS_PREDICATE_LABEL)
            .and_then(|m| m.try_into().ok())
            .ok_or(SynthesisError::PredicateNotFound)?;
        let mut r1cs = Self {
            num_instance,
            num_witness,
            matrices: [a, b, c],
            digest: [0; 32],
        };
        r1cs.digest = r1cs.compute_digest(statement)?;
        Ok(r1cs)
    }

    /// Constraints.
    pub fn num_constraints(&self) -> usize {
        self.matrices[0].len()
    }

    /// Instance and witness variables, the constant one included.
    pub fn num_variables(&self) -> usize {
        self.num_instance + self.num_witness
    }

    /// Non-zero entries of the three matrices.
    pub fn non_zeros(&self) -> usize {
        self.matrices.iter().flatten().map(Vec::len).sum()
    }

    /// Whether `assignment` (instance then witness, the constant one first) satisfies every
    /// constraint; the first constraint it does not satisfy otherwise.
    pub fn check(&self, assignment: &[Fr]) -> Result<(), usize> {
        let eval = |row: &[(Fr, usize)]| -> Fr { row.iter().map(|(c, i)| *c * assignment[*i]).sum() };
        let [a, b, c] = &self.matrices;
        (0..self.num_constraints())
            .find(|&i| eval(&a[i]) * eval(&b[i]) != eval(&c[i]))
            .map_or(Ok(()), Err)
    }

    fn compute_digest(&self, statement: &str) -> Result<[u8; 32], SynthesisError> {
        use ark_serialize::CanonicalSerialize;
        use sha2::{Digest, Sha256};

        let mut h = Sha256::new();
        h.update(statement.as_bytes());
        h.update((self.num_instance as u64).to_le_bytes());
        h.update((self.num_witness as u64).to_le_bytes());
        h.update((R1CS_PREDICATE_LABEL.len() as u64).to_le_bytes());
        h.update(R1CS_PREDICATE_LABEL.as_bytes());
        let mut buf = Vec::with_capacity(32);
        for m in &self.matrices {
            h.update((m.len() as u64).to_le_bytes());
            for row in m {
                h.update((row.len() as u64).to_le_bytes());
                for (coeff, index) in row {
                    buf.clear();
                    coeff
                        .serialize_compressed(&mut buf)
                        .map_err(|_| SynthesisError::Unsatisfiable)?;
                    h.update(&buf);
                    h.update((*index as u64).to_le_bytes());
                }
            }
        }
        Ok(h.finalize().into())
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
