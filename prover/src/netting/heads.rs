//! Keys and proofs of the netting of two partitioned invoices (`zkinvoice/netting/v2`,
//! `docs/lifecycle.md`): the netting statement over the invoices' heads, one key for every
//! partition shape.
//!
//! Keys ([`NettingHeadsKeys`]) as [`crate::lifecycle`] makes, writes and loads them, indexed by
//! the circuit's name `heads` in place of a shape ([`HEADS_SHAPE`]): `netting-v2-heads.pk`, `.vk`
//! and `.json`. A proof ([`ProvedNetting`] with the parts) and its envelope ([`NettingEnvelope`]
//! with `invoiceParts`) are v1's with the two invoices' parts added.

use rand::{CryptoRng, RngCore};
use zkinvoice_circuits::{
    commit::Salt,
    model::period::PeriodDoc,
    partition::parts::invoice_parts,
    statement::netting::{
        heads::PartitionedInvoice, HeadsNettingAssignment, HeadsNettingCircuit, HEADS_SHAPE, HEADS_STATEMENT,
    },
    Shape,
};
use zkinvoice_verifier::{
    NettingHeadsPublicInputs, NettingHeadsStatement, NettingPublicInputs, PreparedKeyOf,
};

use super::{NettingEnvelope, ProvedNetting};
use crate::{
    lifecycle::{check_envelope, Lifecycle, StatementKeys},
    ProverError,
};

/// The netting statement of two partitioned invoices.
pub struct NetHeads;

impl Lifecycle for NetHeads {
    type Statement = NettingHeadsStatement;
    type Circuit = HeadsNettingCircuit;
    const NAME: &'static str = "netting-v2";
    /// One circuit whatever the shape ([`HEADS_SHAPE`] indexes its keys).
    fn blank(_shape: Shape) -> HeadsNettingCircuit {
        HeadsNettingCircuit::blank()
    }
    fn setup_hint(_shape: Shape) -> String {
        "zkinvoice setup --statement netting --shape PS (or PM: the statement is one for both)".into()
    }
}

/// The keys of the netting of two partitioned invoices (at [`HEADS_SHAPE`]).
pub type NettingHeadsKeys = StatementKeys<NetHeads>;

impl NettingHeadsKeys {
    /// A single-party setup (for tests).
    pub fn generate_heads<R: RngCore + CryptoRng>(rng: &mut R) -> Result<Self, ProverError> {
        Self::generate(HEADS_SHAPE, rng)
    }

    /// Loads the keys from `dir` (`netting-v2-heads.*`).
    pub fn load_heads(dir: &std::path::Path) -> Result<Self, ProverError> {
        Self::load(dir, HEADS_SHAPE)
    }

    /// Nets partitioned invoices `a` and `b` (each with its partition shape and salt) and proves
    /// it, the invoices in the statement's order (their v2 commitments ordered as
    /// [`NettingPublicInputs::ordered`] orders them), the net committed under a fresh salt.
    /// Refuses what the native netting refuses, and invoices their shapes cannot hold.
    pub fn prove(
        &self,
        a: PartitionedInvoice,
        b: PartitionedInvoice,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<ProvedNetting, ProverError> {
        let parts = |x: PartitionedInvoice| invoice_parts(x.0, x.1, x.2);
        let (pa, pb) = (parts(a)?, parts(b)?);
        let top = |p: &zkinvoice_verifier::partition::Parts| {
            zkinvoice_verifier::partition::invoice_top(p.head, &p.parts)
        };
        let (ca, cb) = (top(&pa), top(&pb));
        let swapped = NettingPublicInputs::ordered(ca, cb)[0] != ca;
        let (first, second, parts) = if swapped {
            (b, a, [pb, pa])
        } else {
            (a, b, [pa, pb])
        };
        let net_salt = Salt::random(rng);
        let (assignment, public, netting) =
            HeadsNettingAssignment::with_parts(first, second, &parts, &net_salt)?;
        let proof = self
            .prover
            .prove(HeadsNettingCircuit { public, assignment }, rng)?;
        Ok(ProvedNetting {
            public: public.netting,
            netting,
            swapped,
            net_salt,
            proof: proof.into(),
            parts: Some(parts),
        })
    }
}

impl NettingEnvelope {
    /// The envelope of `proved` (a netting of two partitioned invoices, with their parts), for
    /// the period `period`, under `keys`.
    pub fn of_heads(proved: &ProvedNetting, period: PeriodDoc, keys: &NettingHeadsKeys) -> Self {
        Self {
            scheme: zkinvoice_verifier::SCHEME.into(),
            statement: HEADS_STATEMENT.into(),
            shape: HEADS_SHAPE.name.into(),
            vk_hash: keys.verifying_key().hash_hex(),
            period,
            public_inputs: proved.public,
            proof: proved.proof.clone(),
            invoice_parts: proved.parts.clone(),
        }
    }

    /// Whether the envelope is of two partitioned invoices (`zkinvoice/netting/v2`).
    pub fn is_heads(&self) -> bool {
        self.statement == HEADS_STATEMENT
    }

    /// The statement's eight public inputs: the six and the two heads of `invoiceParts`, when
    /// each invoice commitment is the top of its parts ([`ProverError::Refused`] naming the
    /// field otherwise).
    pub fn heads_inputs(&self) -> Result<NettingHeadsPublicInputs, ProverError> {
        let refuse = |field: &str, reason: &str| ProverError::Refused {
            field: field.into(),
            reason: reason.into(),
        };
        let Some([first, second]) = &self.invoice_parts else {
            return Err(refuse(
                "invoiceParts",
                "is missing: a netting of partitioned invoices names their parts",
            ));
        };
        let inputs = NettingHeadsPublicInputs {
            netting: self.public_inputs,
            first_head: first.head,
            second_head: second.head,
        };
        if !inputs.check_tops([&first.parts, &second.parts]) {
            return Err(refuse(
                "invoiceParts",
                "are not the parts of publicInputs.firstInvoice and .secondInvoice (their tops differ)",
            ));
        }
        Ok(inputs)
    }

    /// Checks the scheme, statement and key hash against `key`, the period against the public
    /// inputs and the invoices' parts against their commitments, then the proof against the
    /// eight public inputs ([`ProverError::Refused`] naming the field).
    pub fn verify_heads(&self, key: &PreparedKeyOf<NettingHeadsStatement>) -> Result<(), ProverError> {
        check_envelope(
            [(&self.scheme, &self.statement), (&self.vk_hash, &key.hash_hex())],
            HEADS_STATEMENT,
            &self.period,
            [self.public_inputs.period_start, self.public_inputs.period_end],
        )?;
        let inputs = self.heads_inputs()?;
        zkinvoice_verifier::verify(key, &self.proof, &inputs).map_err(|e| ProverError::Refused {
            field: "proof".into(),
            reason: e.to_string(),
        })
    }
}
