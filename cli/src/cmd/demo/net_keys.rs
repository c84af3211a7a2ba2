//! The netting statement's keys the demo nets October with ([`NetKeys`]): v1's at shape `S`,
//! the netting of partitioned invoices' (`netting-v2-heads`, one key for every partition shape)
//! at a partition shape.

use std::path::Path;

use zkinvoice_anchors::{Body, KeySetup};
use zkinvoice_circuits::{model::period::PeriodDoc, Invoice, Layout, Salt};
use zkinvoice_prover::{
    netting::{NettingEnvelope, NettingHeadsKeys, NettingKeys, ProvedNetting},
    CeremonyRecord,
};
use zkinvoice_verifier::Fr;

use crate::error::CliError;

/// The netting keys: a ceremony's (made with the invoice's keys), or the Buyer's setup.
pub enum NetKeys {
    /// `zkinvoice/netting/v1`, of the demo's v1 shape.
    V1(Box<NettingKeys>),
    /// `zkinvoice/netting/v2`, over the two invoices' heads.
    Heads(Box<NettingHeadsKeys>),
}

impl NetKeys {
    /// The Buyer's single-party setup for invoices at `layout`.
    pub fn generate(layout: Layout) -> Result<Self, CliError> {
        let mut rng = rand::rngs::OsRng;
        Ok(match layout {
            Layout::Single(shape) => Self::V1(Box::new(NettingKeys::generate(shape, &mut rng)?)),
            Layout::Partitioned(_) => Self::Heads(Box::new(NettingHeadsKeys::generate_heads(&mut rng)?)),
        })
    }

    /// Writes the keys into `dir` as `setup` does, the manifest recording `ceremony` if any.
    pub fn write_with(&self, dir: &Path, ceremony: Option<CeremonyRecord>) -> Result<(), CliError> {
        match self {
            Self::V1(k) => k.write_with(dir, false, ceremony).map(drop)?,
            Self::Heads(k) => k.write_with(dir, false, ceremony).map(drop)?,
        }
        Ok(())
    }

    /// `statement-key-agreed` of the key for the MSA `msa`.
    pub fn key_agreed(&self, msa: Fr, setup: KeySetup) -> Body {
        match self {
            Self::V1(k) => Body::statement_key_agreed(msa, k.verifying_key(), setup),
            Self::Heads(k) => Body::statement_key_agreed(msa, k.verifying_key(), setup),
        }
    }

    /// The netting of two invoices of `period` (each with its salt), committed at `layout`,
    /// proved, and its envelope.
    pub fn prove(
        &self,
        layout: Layout,
        (forward, reverse): ((&Invoice, &Salt), (&Invoice, &Salt)),
        period: PeriodDoc,
    ) -> Result<(ProvedNetting, NettingEnvelope), CliError> {
        let mut rng = rand::rngs::OsRng;
        match (self, layout) {
            (Self::V1(k), Layout::Single(_)) => {
                let proved = k.prove(forward, reverse, &mut rng)?;
                let envelope = NettingEnvelope::new(&proved, period, k);
                Ok((proved, envelope))
            }
            (Self::Heads(k), Layout::Partitioned(shape)) => {
                let proved = k.prove(
                    (forward.0, shape, forward.1),
                    (reverse.0, shape, reverse.1),
                    &mut rng,
                )?;
                let envelope = NettingEnvelope::of_heads(&proved, period, k);
                Ok((proved, envelope))
            }
            _ => Err(CliError::Mismatch(format!(
                "the netting keys are not for invoices at {layout}"
            ))),
        }
    }
}
