//! The phase-2 steps of a ceremony: prepare the starts, contribute, verify, take the keys.

use std::{collections::BTreeMap, fs};

use ark_bls12_381::{Bls12_381, Fr, G1Affine, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr};
use ark_ff::{UniformRand, Zero};
use ark_groth16::ProvingKey;
use rand::{CryptoRng, RngCore};

use crate::{
    phase2::{self, Lagrange},
    pok::Pok,
    record::{self, g1, g2, label, Phase2Record, PokHex},
    steps::{check_name, check_place, write_record, Phase1, Phase2},
    transcript::{
        file_err, file_ref, key_bytes, key_of_bytes, read_ref, records, refuse, write_atomic, Ceremony,
        Statement, Summary,
    },
    CeremonyError, Progress,
};

/// Every statement with its latest key.
pub type Keys = Vec<(Statement, ProvingKey<Bls12_381>)>;

/// The start's key file of a statement.
const START: &str = "0000.key";

impl Ceremony {
    /// Closes phase 1 and computes every statement's deterministic phase-2 start from it (the
    /// Lagrange bases once per domain size). Phase 1 must verify and have a contribution.
    pub fn prepare(&self, rng: &mut impl RngCore, progress: &dyn Progress) -> Result<(), CeremonyError> {
        if self.prepared() {
            return Err(CeremonyError::State("phase 2 has already begun".into()));
        }
        let p1 = self.verify_phase1(rng)?;
        if p1.names.is_empty() {
            return Err(CeremonyError::State("phase 1 has no contribution yet".into()));
        }
        let mut by_power: BTreeMap<u32, Vec<&Statement>> = BTreeMap::new();
        for s in &self.statements {
            by_power.entry(s.domain_power()).or_default().push(s);
        }
        let root = self.dir.join("phase2");
        let staging = self.dir.join("phase2.partial");
        let _ = fs::remove_dir_all(&staging);
        for (power, statements) in by_power {
            let lagrange = Lagrange::of(&p1.accumulator, power, progress)?;
            for s in statements {
                progress.begin(&format!("phase 2: the start of {}", s.name), 1);
                let key = phase2::start(&*s.r1cs()?, &p1.accumulator, &lagrange);
                let dir = staging.join(&s.name);
                fs::create_dir_all(&dir).map_err(|e| file_err(&dir, format!("cannot create: {e}")))?;
                write_atomic(&dir.join(START), &key_bytes(&key))?;
                progress.advance(1);
            }
        }
        // Phase 2 begins, for every statement at once, with one rename.
        fs::rename(&staging, &root).map_err(|e| file_err(&root, format!("cannot create: {e}")))
    }

    /// Verifies statement `s`'s phase 2 on the verified phase 1 `p1`: every record's chain and
    /// proof, and its latest key against the accumulator and the matrices.
    pub fn verify_phase2(
        &self,
        s: &Statement,
        p1: &Phase1,
        rng: &mut impl RngCore,
    ) -> Result<Phase2, CeremonyError> {
        let dir = self.phase2_dir(s);
        let mut head = record::phase2_genesis(&p1.head, &s.statement, &s.digest, s.domain_power());
        let mut prev = (G1Affine::generator(), G2Affine::generator());
        let mut names = Vec::new();
        let recs = records::<Phase2Record>(&dir)?;
        for (i, (file, r)) in recs.iter().enumerate() {
            let bad = |reason: String| refuse(file, i as u32 + 1, &r.name, reason);
            check_place(r.index, i, &r.name, &names, &r.previous, &head).map_err(bad)?;
            if r.statement != s.name {
                return Err(bad(format!(
                    "it is for statement {:?}, in {:?}'s chain",
                    r.statement, s.name
                )));
            }
            let next = (
                g1(&r.delta_g1, "deltaG1").map_err(bad)?,
                g2(&r.delta_g2, "deltaG2").map_err(bad)?,
            );
            let p = r
                .proof_delta
                .parse()
                .map_err(|e| bad(format!("proofDelta: {e}")))?;
            if !p.verify(
                &r.binding(),
                &label("phase2", "delta", r.index, &r.name),
                prev.0,
                next.0,
            ) {
                return Err(bad("its proof of knowledge of delta does not hold".into()));
            }
            if Bls12_381::pairing(next.0, G2Affine::generator())
                != Bls12_381::pairing(G1Affine::generator(), next.1)
            {
                return Err(bad("deltaG1 and deltaG2 differ".into()));
            }
            head = record::hash(r);
            prev = next;
            names.push(r.name.clone());
        }
        let (key, file, index, name) = match recs.last() {
            None => {
                let file = dir.join(START);
                let bytes = fs::read(&file)
                    .map_err(|e| file_err(&file, format!("cannot read (run `ceremony prepare`?): {e}")))?;
                (
                    key_of_bytes(&bytes).map_err(|e| file_err(&file, e))?,
                    file,
                    0,
                    String::new(),
                )
            }
            Some((file, r)) => {
                let index = recs.len() as u32;
                let bad = |reason: String| refuse(file, index, &r.name, reason);
                let bytes = read_ref(&dir, &r.key).map_err(bad)?;
                (
                    key_of_bytes(&bytes).map_err(|e| bad(format!("{}: {e}", r.key.file)))?,
                    file.clone(),
                    index,
                    r.name.clone(),
                )
            }
        };
        if (key.delta_g1, key.vk.delta_g2) != prev {
            return Err(refuse(
                &file,
                index,
                &name,
                "the key's delta is not the one its record proves",
            ));
        }
        phase2::check_key(&key, &p1.accumulator, &*s.r1cs()?, rng).map_err(|what| {
            refuse(
                &file,
                index,
                &name,
                format!("the key is not the statement's for phase 1: {what}"),
            )
        })?;
        Ok(Phase2 { head, key, names })
    }

    /// Contributes to phase 2 as `name`: to every statement `name` has not contributed to yet,
    /// each verified first. Returns the records written.
    pub fn contribute_phase2(
        &self,
        name: &str,
        rng: &mut (impl RngCore + CryptoRng),
        progress: &dyn Progress,
    ) -> Result<Vec<Phase2Record>, CeremonyError> {
        if !self.prepared() {
            return Err(CeremonyError::State(
                "phase 2 has not begun: run `ceremony prepare`".into(),
            ));
        }
        check_name(name, &[])?;
        let p1 = self.verify_phase1(rng)?;
        let mut out = Vec::new();
        for s in &self.statements {
            let dir = self.phase2_dir(s);
            crate::steps::remove_partials(&dir);
            let p2 = self.verify_phase2(s, &p1, rng)?;
            if p2.names.iter().any(|n| n == name) {
                continue;
            }
            let index = p2.names.len() as u32 + 1;
            let d = loop {
                let d = Fr::rand(rng);
                if !d.is_zero() {
                    break d;
                }
            };
            progress.begin(
                &format!("phase 2: {}", s.name),
                (p2.key.l_query.len() + p2.key.h_query.len()) as u64,
            );
            let key = phase2::contribute(&p2.key, d, progress);
            drop(p2.key);
            let bytes = key_bytes(&key);
            let key_name = format!("{index:04}.key");
            write_atomic(&dir.join(&key_name), &bytes)?;
            let mut r = Phase2Record {
                statement: s.name.clone(),
                index,
                name: name.into(),
                previous: hex::encode(p2.head),
                delta_g1: record::point_hex(&key.delta_g1),
                delta_g2: record::point_hex(&key.vk.delta_g2),
                proof_delta: PokHex::default(),
                key: file_ref(&key_name, &bytes),
            };
            r.proof_delta = PokHex::of(&Pok::prove(
                d,
                &r.binding(),
                &label("phase2", "delta", index, name),
                rng,
            ));
            write_record(&dir.join(format!("{index:04}-{name}.json")), &r)?;
            let _ = fs::remove_file(dir.join(format!("{:04}.key", index - 1)));
            out.push(r);
        }
        Ok(out)
    }

    /// Verifies the whole transcript; the summary names its hash and contributors.
    pub fn verify(&self, rng: &mut impl RngCore) -> Result<Summary, CeremonyError> {
        Ok(self.verify_with_keys(rng)?.0)
    }

    /// Verifies the whole transcript and returns the latest key of every statement (empty
    /// before `prepare`).
    pub fn verify_with_keys(&self, rng: &mut impl RngCore) -> Result<(Summary, Keys), CeremonyError> {
        let p1 = self.verify_phase1(rng)?;
        let mut heads = Vec::new();
        let mut phase2 = Vec::new();
        let mut keys = Vec::new();
        if self.prepared() {
            for s in &self.statements {
                let p2 = self.verify_phase2(s, &p1, rng)?;
                heads.push((s.name.clone(), p2.head));
                phase2.push((s.name.clone(), p2.names));
                keys.push((s.clone(), p2.key));
            }
        }
        let summary = Summary {
            transcript_hash: hex::encode(record::transcript_hash(&p1.head, &heads)),
            phase1: p1.names,
            phase2,
        };
        Ok((summary, keys))
    }

    /// The final keys: the transcript verified, every phase with at least one contribution.
    pub fn finish(&self, rng: &mut impl RngCore) -> Result<(Summary, Keys), CeremonyError> {
        let (summary, keys) = self.verify_with_keys(rng)?;
        if keys.is_empty() {
            return Err(CeremonyError::State(
                "phase 2 has not begun: run `ceremony prepare`".into(),
            ));
        }
        if let Some((name, _)) = summary.phase2.iter().find(|(_, n)| n.is_empty()) {
            return Err(CeremonyError::State(format!(
                "no one has contributed to {name}'s phase 2"
            )));
        }
        Ok((summary, keys))
    }
}
