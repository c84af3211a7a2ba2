//! The proving key as the prover uses it: each query holds only the points of the variables that
//! appear in it (a point at infinity multiplies nothing, and a variable that never appears in A
//! or B has one in those queries), with the variable each point belongs to, in the MSM backend's
//! representation. It is read straight from arkworks' uncompressed key file, point by point, so
//! the file is never held in memory beside the key.

use std::{
    fs,
    io::{self, BufReader, Read},
    path::Path,
};

use ark_bls12_381::{Bls12_381, G1Affine, G2Affine};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_serialize::CanonicalDeserialize;
use zkinvoice_circuits::statement::R1cs;

use sha2::{Digest, Sha256};

use crate::{keys::KeyFileEntry, ProverError};

use super::msm::{Backend, Curve, Points, G1, G2};

/// One query's points and the variables they multiply.
pub struct Query<C: Curve> {
    /// The variable (index into the full assignment) of each point.
    pub variables: Vec<u32>,
    /// The points.
    pub points: Points<C>,
}

impl<C: Curve> Query<C> {
    fn with_capacity(backend: Backend, n: usize) -> Self {
        Self {
            variables: Vec::with_capacity(n),
            points: Points::with_capacity(backend, n),
        }
    }

    fn push(&mut self, variable: usize, p: &C::Ark) {
        use ark_ec::AffineRepr;
        if !p.is_zero() {
            self.variables.push(variable as u32);
            self.points.push(p);
        }
    }

    fn shrink(&mut self) {
        self.variables.shrink_to_fit();
        match &mut self.points {
            Points::Blst(v) => v.shrink_to_fit(),
            Points::Arkworks(v) => v.shrink_to_fit(),
        }
    }
}

/// A Groth16 proving key with its queries filtered.
pub struct FilteredKey {
    /// The verifying key.
    pub vk: VerifyingKey<Bls12_381>,
    /// `β` in G1.
    pub beta_g1: G1Affine,
    /// `δ` in G1.
    pub delta_g1: G1Affine,
    /// A's query.
    pub a: Query<G1>,
    /// B's query in G1.
    pub b_g1: Query<G1>,
    /// B's query in G2.
    pub b_g2: Query<G2>,
    /// The witness variables' query (C's).
    pub l: Query<G1>,
    /// The quotient's query (every point).
    pub h: Points<G1>,
    /// Points dropped from A, B in G1 and B in G2.
    pub dropped: [usize; 3],
}

impl FilteredKey {
    /// Filters an arkworks key of the statement `r1cs`.
    pub fn of(pk: &ProvingKey<Bls12_381>, r1cs: &R1cs, backend: Backend) -> Result<Self, ProverError> {
        let mut key = Self::start(pk.vk.clone(), pk.beta_g1, pk.delta_g1, backend, r1cs);
        let sizes = Sizes::of(r1cs);
        sizes.check("a query", pk.a_query.len() as u64, sizes.variables)?;
        sizes.check("b query (G1)", pk.b_g1_query.len() as u64, sizes.variables)?;
        sizes.check("b query (G2)", pk.b_g2_query.len() as u64, sizes.variables)?;
        sizes.check("h query", pk.h_query.len() as u64, sizes.h)?;
        sizes.check("l query", pk.l_query.len() as u64, sizes.witness)?;
        pk.a_query.iter().enumerate().for_each(|(i, p)| key.a.push(i, p));
        pk.b_g1_query
            .iter()
            .enumerate()
            .for_each(|(i, p)| key.b_g1.push(i, p));
        pk.b_g2_query
            .iter()
            .enumerate()
            .for_each(|(i, p)| key.b_g2.push(i, p));
        pk.h_query.iter().for_each(|p| key.h.push(p));
        let first = r1cs.num_instance;
        pk.l_query
            .iter()
            .enumerate()
            .for_each(|(j, p)| key.l.push(first + j, p));
        key.finish(sizes);
        Ok(key)
    }

    /// Reads an arkworks proving key (uncompressed, points not validated: the file's hash is
    /// checked against its manifest) of the statement `r1cs` from `r`, filtering as it reads. A
    /// query's length is checked against the statement before any of it is read.
    pub fn read(mut r: impl Read, r1cs: &R1cs, backend: Backend) -> Result<Self, ProverError> {
        let vk = VerifyingKey::<Bls12_381>::deserialize_uncompressed_unchecked(&mut r)?;
        let beta_g1 = G1Affine::deserialize_uncompressed_unchecked(&mut r)?;
        let delta_g1 = G1Affine::deserialize_uncompressed_unchecked(&mut r)?;
        let mut key = Self::start(vk, beta_g1, delta_g1, backend, r1cs);
        let sizes = Sizes::of(r1cs);
        let len = |r: &mut dyn Read, query, expected| -> Result<u64, ProverError> {
            let n = u64::deserialize_uncompressed(r)?;
            sizes.check(query, n, expected)?;
            Ok(n)
        };
        for i in 0..len(&mut r, "a query", sizes.variables)? {
            key.a
                .push(i as usize, &G1Affine::deserialize_uncompressed_unchecked(&mut r)?);
        }
        for i in 0..len(&mut r, "b query (G1)", sizes.variables)? {
            key.b_g1
                .push(i as usize, &G1Affine::deserialize_uncompressed_unchecked(&mut r)?);
        }
        for i in 0..len(&mut r, "b query (G2)", sizes.variables)? {
            key.b_g2
                .push(i as usize, &G2Affine::deserialize_uncompressed_unchecked(&mut r)?);
        }
        for _ in 0..len(&mut r, "h query", sizes.h)? {
            key.h.push(&G1Affine::deserialize_uncompressed_unchecked(&mut r)?);
        }
        let first = r1cs.num_instance;
        for j in 0..len(&mut r, "l query", sizes.witness)? {
            key.l.push(
                first + j as usize,
                &G1Affine::deserialize_uncompressed_unchecked(&mut r)?,
            );
        }
        key.finish(sizes);
        Ok(key)
    }

    fn start(
        vk: VerifyingKey<Bls12_381>,
        beta_g1: G1Affine,
        delta_g1: G1Affine,
        backend: Backend,
        r1cs: &R1cs,
    ) -> Self {
        let n = r1cs.num_variables();
        Self {
            vk,
            beta_g1,
            delta_g1,
            a: Query::with_capacity(backend, n),
            b_g1: Query::with_capacity(backend, n),
            b_g2: Query::with_capacity(backend, n),
            l: Query::with_capacity(backend, r1cs.num_witness),
            h: Points::with_capacity(backend, Sizes::of(r1cs).h as usize),
            dropped: [0; 3],
        }
    }

    fn finish(&mut self, sizes: Sizes) {
        let n = sizes.variables as usize;
        self.dropped = [
            n - self.a.variables.len(),
            n - self.b_g1.variables.len(),
            n - self.b_g2.variables.len(),
        ];
        self.a.shrink();
        self.b_g1.shrink();
        self.b_g2.shrink();
        self.l.shrink();
    }

    /// Bytes the key's points and indices take in memory.
    pub fn heap_bytes(&self) -> usize {
        let q = |v: &Vec<u32>| v.capacity() * 4;
        q(&self.a.variables)
            + q(&self.b_g1.variables)
            + q(&self.b_g2.variables)
            + q(&self.l.variables)
            + self.a.points.heap_bytes()
            + self.b_g1.points.heap_bytes()
            + self.b_g2.points.heap_bytes()
            + self.l.points.heap_bytes()
            + self.h.heap_bytes()
    }
}

/// The query lengths a key of one statement has.
#[derive(Clone, Copy)]
struct Sizes {
    variables: u64,
    witness: u64,
    h: u64,
}

impl Sizes {
    fn of(r1cs: &R1cs) -> Self {
        // The domain arkworks' reduction uses: constraints plus instance variables, rounded up to a
        // power of two; the quotient has one coefficient less.
        let domain = (r1cs.num_constraints() + r1cs.num_instance).next_power_of_two();
        Self {
            variables: r1cs.num_variables() as u64,
            witness: r1cs.num_witness as u64,
            h: domain as u64 - 1,
        }
    }

    fn check(self, query: &'static str, found: u64, expected: u64) -> Result<(), ProverError> {
        if found == expected {
            Ok(())
        } else {
            Err(ProverError::KeyLength {
                query,
                found,
                expected,
            })
        }
    }
}

/// A reader that hashes what it reads.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// Reads the proving key file at `path` of the statement `r1cs` into a filtered key as a stream
/// (the file is never held in memory), and checks its size and SHA-256 against the manifest's
/// `entry`: a file that does not match is refused even if it parsed, and a key's query lengths are
/// checked against the statement before they are read.
pub(crate) fn read_file(
    path: &Path,
    entry: &KeyFileEntry,
    r1cs: &R1cs,
    backend: Backend,
) -> Result<FilteredKey, ProverError> {
    let err = |reason: String| ProverError::KeyFile {
        file: path.into(),
        reason,
    };
    let file = fs::File::open(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let size = file
        .metadata()
        .map_err(|e| err(format!("cannot read: {e}")))?
        .len();
    if size != entry.bytes {
        return Err(err(format!(
            "{size} bytes, the manifest says {} (truncated or replaced)",
            entry.bytes
        )));
    }
    let mut r = Hashing {
        inner: BufReader::with_capacity(1 << 20, file),
        hash: Sha256::new(),
    };
    let parsed = FilteredKey::read(&mut r, r1cs, backend);
    let rest = io::copy(&mut r, &mut io::sink()).map_err(|e| err(format!("cannot read: {e}")))?;
    let h = hex::encode(r.hash.finalize());
    if h != entry.sha256 {
        return Err(err(format!(
            "SHA-256 {h} is not the manifest's {} (altered or replaced)",
            entry.sha256
        )));
    }
    let key = parsed.map_err(|e| err(e.to_string()))?;
    if rest != 0 {
        return Err(err(format!("{rest} bytes follow the key")));
    }
    Ok(key)
}
