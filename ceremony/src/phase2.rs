//! Phase 2 for one statement: the deterministic start from a phase-1 accumulator and the
//! statement's matrices, a contribution, and the check of a key against both.
//!
//! **Start** ([`start`]). The accumulator's powers become Lagrange bases over the statement's
//! domain by inverse FFTs in the groups ([`Lagrange`]), and each variable's queries are sparse
//! sums over them: `A_v = Σ_j A[j][v]·L_j(τ)`, `B_v` likewise in G1 and G2, and
//! `K_v = Σ_j (A[j][v]·β + B[j][v]·α + C[j][v])·L_j(τ)`; libsnark's reduction adds row `m + v`
//! with `a = 1` for instance variable `v` (as `ark-groth16` and the prover do). `γ` is the
//! generator (as in snarkjs's ceremonies); `δ` starts as the generator, so the instance part of
//! `K` is `γ_abc`, the witness part `L`, and `H_i = τ^i·(τ^n − 1)·G1 = [τ^(i+n)] − [τ^i]`.
//!
//! **Contribution** ([`contribute`]): `δ' = d·δ`, `L' = L/d`, `H' = H/d`.
//!
//! **Check** ([`check_key`]): every query of a key is what the start gives for the accumulator
//! and the matrices, up to the key's `δ`, by random linear combinations: `Σ_v r_v·A_v` must equal
//! `Σ_i û_i·[τ^i]` where `u = A·r` (plus the instance rows) and `û` is its inverse FFT, since
//! `Σ_j u_j·L_j(τ) = Σ_i û_i·τ^i`. So the check needs neither the start nor the Lagrange bases:
//! three field FFTs and a few MSMs per query.

use ark_bls12_381::{Bls12_381, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{pairing::Pairing, AffineRepr, CurveGroup};
use ark_ff::{Field, UniformRand, Zero};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rand::RngCore;
use rayon::prelude::*;
use zkinvoice_circuits::statement::{r1cs::Which, R1cs};

use zkinvoice_prover::groth16::msm::{Curve, Group, G1, G2};

use crate::{
    fft, group,
    msm::msm,
    phase1::Accumulator,
    sums::{sums, Columns},
    CeremonyError, Progress,
};

/// `log2` of the domain a statement's quotient lives on: constraints plus instance variables,
/// rounded up to a power of two (libsnark's reduction, as the prover's).
pub fn domain_power(r1cs: &R1cs) -> u32 {
    power_for(r1cs.num_constraints(), r1cs.num_instance)
}

/// `log2` of the domain of a statement of `constraints` constraints and `instance` instance
/// variables.
pub fn power_for(constraints: usize, instance: usize) -> u32 {
    (constraints + instance).next_power_of_two().trailing_zeros()
}

fn domain(power: u32) -> Radix2EvaluationDomain<Fr> {
    Radix2EvaluationDomain::new(1 << power).expect("BLS12-381's scalar field has 2^32-th roots of unity")
}

/// The Lagrange bases of a domain of `2^power` at the accumulator's `τ`: `L_j(τ)` in G1, times
/// `α` and `β` in G1, and in G2.
pub struct Lagrange {
    /// `L_j(τ)·G1`.
    pub g1: Vec<G1Affine>,
    /// `α·L_j(τ)·G1`.
    pub alpha_g1: Vec<G1Affine>,
    /// `β·L_j(τ)·G1`.
    pub beta_g1: Vec<G1Affine>,
    /// `L_j(τ)·G2`.
    pub g2: Vec<G2Affine>,
}

impl Lagrange {
    /// The bases from `acc`'s first `2^power` powers: four inverse FFTs in the groups, one after
    /// the other (each is parallel).
    pub fn of(acc: &Accumulator, power: u32, progress: &dyn Progress) -> Result<Self, CeremonyError> {
        if power > acc.power {
            return Err(CeremonyError::TooSmall {
                needed: power,
                have: acc.power,
            });
        }
        let n = 1usize << power;
        let steps = u64::from(power) + 1;
        progress.begin(&format!("phase 2: Lagrange bases over 2^{power}"), 4 * steps);
        let g1 = |points: &[G1Affine]| {
            let mut v: Vec<G1Projective> = points[..n].iter().map(|p| p.into_group()).collect();
            fft::ifft(&mut v, progress);
            G1Projective::normalize_batch(&v)
        };
        let (g1_, alpha_g1, beta_g1) = (g1(&acc.tau_g1), g1(&acc.alpha_tau_g1), g1(&acc.beta_tau_g1));
        let mut v: Vec<G2Projective> = acc.tau_g2[..n].iter().map(|p| p.into_group()).collect();
        fft::ifft(&mut v, progress);
        Ok(Self {
            g1: g1_,
            alpha_g1,
            beta_g1,
            g2: G2Projective::normalize_batch(&v),
        })
    }
}

/// The start of phase 2 for the statement `r1cs` from the accumulator `acc` and its Lagrange
/// bases over the statement's domain: a Groth16 key with `δ = γ = 1`.
pub fn start(r1cs: &R1cs, acc: &Accumulator, lagrange: &Lagrange) -> ProvingKey<Bls12_381> {
    let (m, ell, vars) = (r1cs.num_constraints(), r1cs.num_instance, r1cs.num_variables());
    let n = lagrange.g1.len();
    let (a, b, c) = (
        Columns::of(r1cs, Which::A),
        Columns::of(r1cs, Which::B),
        Columns::of(r1cs, Which::C),
    );
    let mut a_query: Vec<G1Projective> = sums(&[(&a, &lagrange.g1)], vars);
    let b_g1: Vec<G1Projective> = sums(&[(&b, &lagrange.g1)], vars);
    let b_g2: Vec<G2Projective> = sums(&[(&b, &lagrange.g2)], vars);
    let mut k: Vec<G1Projective> = sums(
        &[
            (&a, &lagrange.beta_g1),
            (&b, &lagrange.alpha_g1),
            (&c, &lagrange.g1),
        ],
        vars,
    );
    // The instance rows: `a = 1` at row `m + v` for instance variable `v`.
    for v in 0..ell {
        a_query[v] += lagrange.g1[m + v];
        k[v] += lagrange.beta_g1[m + v];
    }
    let h: Vec<G1Projective> = (0..n - 1)
        .into_par_iter()
        .map(|i| acc.tau_g1[i + n].into_group() - acc.tau_g1[i])
        .collect();
    let k = G1Projective::normalize_batch(&k);
    ProvingKey {
        vk: VerifyingKey {
            alpha_g1: acc.alpha_tau_g1[0],
            beta_g2: acc.beta_g2,
            gamma_g2: G2Affine::generator(),
            delta_g2: G2Affine::generator(),
            gamma_abc_g1: k[..ell].to_vec(),
        },
        beta_g1: acc.beta_tau_g1[0],
        delta_g1: G1Affine::generator(),
        a_query: G1Projective::normalize_batch(&a_query),
        b_g1_query: G1Projective::normalize_batch(&b_g1),
        b_g2_query: G2Projective::normalize_batch(&b_g2),
        h_query: G1Projective::normalize_batch(&h),
        l_query: k[ell..].to_vec(),
    }
}

/// The key with the secret `d` applied: `δ` times `d`, `L` and `H` divided by it.
pub fn contribute(key: &ProvingKey<Bls12_381>, d: Fr, progress: &dyn Progress) -> ProvingKey<Bls12_381> {
    let inverse = d.inverse().expect("a contribution's secret is not zero");
    let mut out = key.clone();
    out.delta_g1 = (key.delta_g1 * d).into_affine();
    out.vk.delta_g2 = (key.vk.delta_g2 * d).into_affine();
    out.l_query = group::scale(&key.l_query, |_| inverse, progress);
    out.h_query = group::scale(&key.h_query, |_| inverse, progress);
    out
}

/// `Σ_v r_v·M[·][v]` as a vector over the domain's rows (`u = M·r`), plus `r_v` at row `m + v`
/// for instance variables if `instance_rows`.
fn combine(r1cs: &R1cs, which: Which, r: &[Fr], n: usize, instance_rows: bool) -> Vec<Fr> {
    let m = r1cs.num_constraints();
    let mut u = vec![Fr::zero(); n];
    u[..m]
        .par_iter_mut()
        .enumerate()
        .for_each(|(j, u)| *u = r1cs.evaluate(j, which, r));
    if instance_rows {
        u[m..m + r1cs.num_instance].copy_from_slice(&r[..r1cs.num_instance]);
    }
    u
}

/// `Σ_j u_j·L_j(τ)` in G1 from powers: `Σ_i û_i·[τ^i]`, `û` the inverse FFT of `u`.
fn at_tau<C: Curve>(powers: &[C::Ark], mut u: Vec<Fr>, d: &Radix2EvaluationDomain<Fr>) -> Group<C> {
    d.ifft_in_place(&mut u);
    msm::<C>(&powers[..u.len()], &u)
}

/// Whether `key` is the phase-2 key of the statement `r1cs` for the (checked) accumulator `acc`
/// and the key's own `δ`; if not, which part is wrong. Random linear combinations drawn from
/// `rng`; a wrong key passes with probability about `n / |Fr|` per check.
pub fn check_key(
    key: &ProvingKey<Bls12_381>,
    acc: &Accumulator,
    r1cs: &R1cs,
    rng: &mut impl RngCore,
) -> Result<(), &'static str> {
    let power = domain_power(r1cs);
    if power > acc.power {
        return Err("the statement's domain is larger than the phase-1 accumulator");
    }
    let (n, ell, vars) = (1usize << power, r1cs.num_instance, r1cs.num_variables());
    let vk = &key.vk;
    if key.a_query.len() != vars
        || key.b_g1_query.len() != vars
        || key.b_g2_query.len() != vars
        || vk.gamma_abc_g1.len() != ell
        || key.l_query.len() != vars - ell
        || key.h_query.len() != n - 1
    {
        return Err("a query of another length than the statement's");
    }
    if vk.alpha_g1 != acc.alpha_tau_g1[0] || key.beta_g1 != acc.beta_tau_g1[0] || vk.beta_g2 != acc.beta_g2 {
        return Err("α or β is not phase 1's");
    }
    if vk.gamma_g2 != G2Affine::generator() {
        return Err("γ is not the generator");
    }
    let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
    let e = |a: G1Projective, b: G2Affine| Bls12_381::pairing(a, b);
    if key.delta_g1.is_zero() || e(key.delta_g1.into_group(), g2) != e(g1.into_group(), vk.delta_g2) {
        return Err("δ in G1 and in G2 differ");
    }
    let d = domain(power);
    let r: Vec<Fr> = (0..vars).map(|_| Fr::rand(rng)).collect();
    let msm1 = |points: &[G1Affine], s: &[Fr]| msm::<G1>(points, s);
    // A and B: no δ, compared in the group.
    let ua = combine(r1cs, Which::A, &r, n, true);
    if msm1(&key.a_query, &r) != at_tau::<G1>(&acc.tau_g1, ua.clone(), &d) {
        return Err("the A query");
    }
    let ub = combine(r1cs, Which::B, &r, n, false);
    if msm1(&key.b_g1_query, &r) != at_tau::<G1>(&acc.tau_g1, ub.clone(), &d) {
        return Err("the B query in G1");
    }
    let b2 = msm::<G2>(&key.b_g2_query, &r);
    if b2 != at_tau::<G2>(&acc.tau_g2, ub.clone(), &d) {
        return Err("the B query in G2");
    }
    // K: `e(Σ_w r·L, δ) = e(K(r) − Σ_inst r·γ_abc, G2)`.
    let uc = combine(r1cs, Which::C, &r, n, false);
    let k = at_tau::<G1>(&acc.beta_tau_g1, ua, &d)
        + at_tau::<G1>(&acc.alpha_tau_g1, ub, &d)
        + at_tau::<G1>(&acc.tau_g1, uc, &d);
    let instance = msm1(&vk.gamma_abc_g1, &r[..ell]);
    let witness = msm1(&key.l_query, &r[ell..]);
    if e(witness, vk.delta_g2) != e(k - instance, g2) {
        return Err("the L query or γ_abc");
    }
    // H: `e(Σ s_i·H_i, δ) = e(Σ s_i·([τ^(i+n)] − [τ^i]), G2)`.
    let s: Vec<Fr> = (0..n - 1).map(|_| Fr::rand(rng)).collect();
    let t = msm1(&acc.tau_g1[n..2 * n - 1], &s) - msm1(&acc.tau_g1[..n - 1], &s);
    if e(msm1(&key.h_query, &s), vk.delta_g2) != e(t, g2) {
        return Err("the H query");
    }
    Ok(())
}
