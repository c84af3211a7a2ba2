//! The steps of a ceremony on its directory: create or open it, contribute to phase 1, prepare
//! phase 2, contribute to phase 2, verify everything and take the final keys.

use std::{
    fs,
    path::{Path, PathBuf},
};

use ark_bls12_381::{Bls12_381, Fr, G1Affine, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr};
use ark_ff::{UniformRand, Zero};
use ark_groth16::ProvingKey;
use rand::{CryptoRng, RngCore};

use crate::{
    phase1::Accumulator,
    pok::Pok,
    ptau,
    record::{self, g1, g2, label, Phase1Record, PokHex, PtauKeyHex},
    transcript::{
        file_err, file_ref, read_header, read_ref, records, refuse, write_atomic, Ceremony, Header,
        Statement, StatementHeader, VERSION,
    },
    CeremonyError, Progress,
};

/// Phase 1 as verified: its final hash, accumulator and contributors.
pub struct Phase1 {
    /// The hash of its last record (its genesis if it has none).
    pub head: [u8; 32],
    /// The latest accumulator.
    pub accumulator: Accumulator,
    /// Contributors, in order.
    pub names: Vec<String>,
}

/// One statement's phase 2 as verified.
pub struct Phase2 {
    /// The hash of its last record (its genesis if it has none).
    pub head: [u8; 32],
    /// The latest key.
    pub key: ProvingKey<Bls12_381>,
    /// Contributors, in order.
    pub names: Vec<String>,
}

fn nonzero(rng: &mut (impl RngCore + CryptoRng)) -> Fr {
    loop {
        let x = Fr::rand(rng);
        if !x.is_zero() {
            return x;
        }
    }
}

pub(crate) fn remove_partials(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "partial") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

impl Ceremony {
    /// Creates the ceremony in `dir` for `statements`, with a phase 1 of `2^power` (at least the
    /// largest statement's domain; that domain if `None`). Refuses a directory that already holds
    /// a ceremony.
    pub fn create(
        dir: &Path,
        setup: &str,
        statements: Vec<Statement>,
        power: Option<u32>,
    ) -> Result<Self, CeremonyError> {
        let needed = statements.iter().map(Statement::domain_power).max().unwrap_or(1);
        let power = power.unwrap_or(needed);
        if power < needed {
            return Err(CeremonyError::TooSmall { needed, have: power });
        }
        let file = dir.join("ceremony.json");
        if file.exists() {
            return Err(file_err(
                &file,
                "a ceremony is already here; contribute to it, or choose another directory",
            ));
        }
        let header = Header {
            version: VERSION.into(),
            setup: setup.into(),
            power,
            statements: statements.iter().map(statement_header).collect(),
        };
        fs::create_dir_all(dir.join("phase1")).map_err(|e| file_err(dir, format!("cannot create: {e}")))?;
        let mut bytes = serde_json::to_vec_pretty(&header).expect("headers serialise");
        bytes.push(b'\n');
        write_atomic(&file, &bytes)?;
        Ok(Self {
            dir: dir.into(),
            header,
            statements,
        })
    }

    /// Opens the ceremony in `dir`, which must be for exactly `statements` (this build's circuits).
    pub fn open(dir: &Path, statements: Vec<Statement>) -> Result<Self, CeremonyError> {
        let file = dir.join("ceremony.json");
        let header = read_header(dir)?;
        let ours: Vec<StatementHeader> = statements.iter().map(statement_header).collect();
        if header.statements != ours {
            return Err(file_err(
                &file,
                "the ceremony is for other circuits than this build's (statements, circuit digests or sizes differ)",
            ));
        }
        if ours.iter().any(|s| s.domain_power > header.power) {
            return Err(file_err(&file, "phase 1 is smaller than a statement's domain"));
        }
        Ok(Self {
            dir: dir.into(),
            header,
            statements,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    fn phase1_dir(&self) -> PathBuf {
        self.dir.join("phase1")
    }

    pub(crate) fn phase2_dir(&self, s: &Statement) -> PathBuf {
        self.dir.join("phase2").join(&s.name)
    }

    /// Whether phase 2 has begun (phase 1 is then closed).
    pub fn prepared(&self) -> bool {
        self.dir.join("phase2").exists()
    }

    /// Verifies phase 1: every record's chain, proofs and consistency, and the latest
    /// accumulator; names the first bad contribution.
    pub fn verify_phase1(&self, rng: &mut impl RngCore) -> Result<Phase1, CeremonyError> {
        let dir = self.phase1_dir();
        let power = self.header.power;
        let mut head = record::phase1_genesis(power);
        let fresh = Accumulator::new(power);
        let mut prev = fresh.small();
        let mut names = Vec::new();
        let recs = records::<Phase1Record>(&dir)?;
        for (i, (file, r)) in recs.iter().enumerate() {
            let bad = |reason: String| refuse(file, i as u32 + 1, &r.name, reason);
            check_place(r.index, i, &r.name, &names, &r.previous, &head).map_err(bad)?;
            let next = (
                g1(&r.tau_g1, "tauG1").map_err(bad)?,
                g2(&r.tau_g2, "tauG2").map_err(bad)?,
                g1(&r.alpha_g1, "alphaG1").map_err(bad)?,
                g1(&r.beta_g1, "betaG1").map_err(bad)?,
                g2(&r.beta_g2, "betaG2").map_err(bad)?,
            );
            // snarkjs's checks first, so that changing its key is refused by them (our
            // proofs, below, are bound to the whole record).
            if let Some(k) = &r.ptau {
                let (challenge, key) = k.parse().map_err(bad)?;
                if i == 0 && challenge != ptau::first_challenge(power) {
                    return Err(bad("its ptau.challenge is not snarkjs's first challenge".into()));
                }
                key.verify(&challenge, &prev, &next)
                    .map_err(|what| bad(format!("its key in snarkjs's form does not hold: {what}")))?;
            }
            let proofs = [
                (&r.proof_tau, "tau", prev.0, next.0),
                (&r.proof_alpha, "alpha", prev.2, next.2),
                (&r.proof_beta, "beta", prev.3, next.3),
            ];
            for (proof, secret, old, new) in proofs {
                let p = proof
                    .parse()
                    .map_err(|e| bad(format!("proof{}: {e}", capitalise(secret))))?;
                if !p.verify(&r.binding(), &label("phase1", secret, r.index, &r.name), old, new) {
                    return Err(bad(format!("its proof of knowledge of {secret} does not hold")));
                }
            }
            let e = Bls12_381::pairing;
            let (gen1, gen2) = (G1Affine::generator(), G2Affine::generator());
            if e(next.0, gen2) != e(gen1, next.1) || e(next.3, gen2) != e(gen1, next.4) {
                return Err(bad(
                    "its points in G1 and G2 differ (tauG1/tauG2 or betaG1/betaG2)".into(),
                ));
            }
            head = record::hash(r);
            prev = next;
            names.push(r.name.clone());
        }
        let accumulator = match recs.last() {
            None => fresh,
            Some((file, r)) => {
                let bad = |reason: String| refuse(file, recs.len() as u32, &r.name, reason);
                let bytes = read_ref(&dir, &r.accumulator).map_err(bad)?;
                let acc = Accumulator::from_bytes(&bytes)
                    .map_err(|e| bad(format!("{}: {e}", r.accumulator.file)))?;
                if acc.power != power || acc.small() != prev {
                    return Err(bad(format!(
                        "{} is not the accumulator its points describe",
                        r.accumulator.file
                    )));
                }
                if !acc.check(rng) {
                    return Err(bad(format!(
                        "{} is not a well-formed accumulator (its powers are not powers of one tau)",
                        r.accumulator.file
                    )));
                }
                acc
            }
        };
        Ok(Phase1 {
            head,
            accumulator,
            names,
        })
    }

    /// Contributes to phase 1 as `name`, after verifying it; the secrets are drawn from `rng` and
    /// never written.
    pub fn contribute_phase1(
        &self,
        name: &str,
        rng: &mut (impl RngCore + CryptoRng),
        progress: &dyn Progress,
    ) -> Result<Phase1Record, CeremonyError> {
        if self.prepared() {
            return Err(CeremonyError::State(
                "phase 2 has begun: phase 1 is closed".into(),
            ));
        }
        let dir = self.phase1_dir();
        remove_partials(&dir);
        let p1 = self.verify_phase1(rng)?;
        check_name(name, &p1.names)?;
        let (t, a, b) = (nonzero(rng), nonzero(rng), nonzero(rng));
        let index = p1.names.len() as u32 + 1;
        // The challenge snarkjs's key answers: its first, or the accumulator's hash after the
        // previous key's response (none if that contribution has no key).
        let challenge = match records::<Phase1Record>(&dir)?.pop() {
            None => Some(ptau::first_challenge(self.header.power)),
            Some((_, last)) => last.ptau.map(|k| {
                let (c, key) = k.parse().expect("verified");
                ptau::challenge(&key.response(&c), &p1.accumulator)
            }),
        };
        let old = p1.accumulator.small();
        let acc = p1.accumulator.contribute(t, a, b, progress);
        drop(p1.accumulator);
        let new = acc.small();
        debug_assert_ne!(old, new);
        let bytes = acc.to_bytes();
        let acc_name = format!("{index:04}.acc");
        write_atomic(&dir.join(&acc_name), &bytes)?;
        let mut r = Phase1Record {
            index,
            name: name.into(),
            previous: hex::encode(p1.head),
            tau_g1: record::point_hex(&new.0),
            tau_g2: record::point_hex(&new.1),
            alpha_g1: record::point_hex(&new.2),
            beta_g1: record::point_hex(&new.3),
            beta_g2: record::point_hex(&new.4),
            ptau: challenge.map(|c| PtauKeyHex::of(&c, &ptau::Key::new(&c, [t, a, b], rng))),
            proof_tau: PokHex::default(),
            proof_alpha: PokHex::default(),
            proof_beta: PokHex::default(),
            accumulator: file_ref(&acc_name, &bytes),
        };
        let binding = r.binding();
        let mut pok = |x, secret| {
            PokHex::of(&Pok::prove(
                x,
                &binding,
                &label("phase1", secret, index, name),
                rng,
            ))
        };
        (r.proof_tau, r.proof_alpha, r.proof_beta) = (pok(t, "tau"), pok(a, "alpha"), pok(b, "beta"));
        write_record(&dir.join(format!("{index:04}-{name}.json")), &r)?;
        let _ = fs::remove_file(dir.join(format!("{:04}.acc", index - 1)));
        Ok(r)
    }
}

pub(crate) fn write_record<R: serde::Serialize>(file: &Path, r: &R) -> Result<(), CeremonyError> {
    let mut bytes = serde_json::to_vec_pretty(r).expect("records serialise");
    bytes.push(b'\n');
    write_atomic(file, &bytes)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn statement_header(s: &Statement) -> StatementHeader {
    StatementHeader {
        name: s.name.clone(),
        statement: s.statement.clone(),
        circuit_digest: hex::encode(s.digest),
        constraints: s.constraints,
        domain_power: s.domain_power(),
    }
}

/// A record's place in its chain: its index, a valid name not seen before, and the hash before it.
pub(crate) fn check_place(
    index: u32,
    i: usize,
    name: &str,
    names: &[String],
    previous: &str,
    head: &[u8; 32],
) -> Result<(), String> {
    if index as usize != i + 1 {
        return Err(format!(
            "it is numbered {index} but is contribution {} of its chain",
            i + 1
        ));
    }
    if !record::valid_name(name) || names.iter().any(|n| n == name) {
        return Err(format!(
            "the name {name:?} is not valid here (1-32 letters, digits, - or _, once per chain)"
        ));
    }
    if previous != hex::encode(head) {
        return Err("it was made on another transcript: its previous hash is not the chain's".into());
    }
    Ok(())
}

pub(crate) fn check_name(name: &str, names: &[String]) -> Result<(), CeremonyError> {
    if !record::valid_name(name) {
        return Err(CeremonyError::State(format!(
            "the name {name:?}: 1-32 letters, digits, - or _"
        )));
    }
    if names.iter().any(|n| n == name) {
        return Err(CeremonyError::State(format!("{name:?} has already contributed")));
    }
    Ok(())
}
