//! The demo's keys: one invoice statement's (shape `S`, the default) or a partition shape's three
//! (`demo --shape PS`): everything after the setup is the same flow for both protocols.

use std::{path::Path, time::Instant};

use zkinvoice_circuits::{partition::PartitionShape, Layout, Salt, Shape};
use zkinvoice_prover::{
    partition::{self, NoStore, PartitionKeys},
    InvoiceKeys, ProveRequest, Proved,
};
use zkinvoice_verifier::{InvoiceVerifyingKeys, PreparedInvoiceKeys};

use crate::{
    error::CliError,
    report::{since, size},
};

/// The Buyer's keys for the demo's shape.
pub enum DemoKeys {
    /// The invoice statement's (protocol v1).
    Single(Box<InvoiceKeys>),
    /// A partition shape's block, chunk and link statements' (protocol v2).
    Partitioned(Box<PartitionKeys>),
}

impl DemoKeys {
    /// The Buyer's single-party setup for `layout`, described on stdout.
    pub fn setup(layout: Layout) -> Result<Self, CliError> {
        let mut rng = rand::rngs::OsRng;
        let t = Instant::now();
        let keys = match layout {
            Layout::Single(shape) => Self::Single(Box::new(InvoiceKeys::setup(shape, &mut rng)?)),
            Layout::Partitioned(shape) => {
                Self::Partitioned(Box::new(PartitionKeys::generate(shape, &mut rng)?))
            }
        };
        let hash = keys.verifying()?.hash_hex();
        match &keys {
            Self::Single(k) => println!(
                "   The buyer makes the Groth16 keys of shape {layout} in {}: {} constraints, proving key {}, verifying key {} B, hash {}",
                since(t),
                zkinvoice_circuits::statement::InvoiceCost::of(k.shape()).total(k.shape()),
                size(k.proving.file_size()),
                k.verifying.to_bytes().len(),
                &hash[..16],
            ),
            Self::Partitioned(_) => println!(
                "   The buyer makes the Groth16 keys of partition shape {layout} (block, chunk and link statements) in {}, key set hash {}",
                since(t),
                &hash[..16],
            ),
        }
        Ok(keys)
    }

    /// The shape the keys are for.
    pub fn layout(&self) -> Layout {
        match self {
            Self::Single(k) => Layout::Single(k.shape()),
            Self::Partitioned(k) => Layout::Partitioned(k.shape),
        }
    }

    /// The verifying key(s), as `msa-agreed` anchors them.
    pub fn verifying(&self) -> Result<InvoiceVerifyingKeys, CliError> {
        Ok(match self {
            Self::Single(k) => k.verifying.clone().into(),
            Self::Partitioned(k) => k.key_set()?.into(),
        })
    }

    /// The verifying key(s), prepared.
    pub fn prepared(&self) -> Result<PreparedInvoiceKeys, CliError> {
        Ok(self.verifying()?.prepare())
    }

    /// Writes the keys into `dir` (`zkinvoice setup`'s files).
    pub fn write(&self, dir: &Path) -> Result<(), CliError> {
        match self {
            Self::Single(k) => k.write(dir, false).map(drop)?,
            Self::Partitioned(k) => k.write(dir, false).map(drop)?,
        }
        Ok(())
    }

    /// Rates and proves one period: one proof, or every partition in parallel.
    pub fn prove(&self, request: &ProveRequest<'_>) -> Result<Proved, CliError> {
        let mut rng = rand::rngs::OsRng;
        match self {
            Self::Single(k) => Ok(zkinvoice_prover::prove(k, request, &mut rng)?),
            Self::Partitioned(k) => {
                let run = partition::Run {
                    invoice_salt: Salt::random(&mut rng),
                    after_salt: Salt::random(&mut rng),
                    store: &NoStore,
                    only: None,
                };
                let p = partition::prove(k, request, &run, &mut rng, &|_| {}, &|_| {})?
                    .ok_or_else(|| CliError::Mismatch("the prover returned no envelope".into()))?;
                Ok(Proved {
                    envelope: p.envelope,
                    rated: p.rated,
                    after: p.after,
                })
            }
        }
    }
}

/// The shapes the demo runs: `S` (one proof) or a partition shape.
pub fn parse(layout: Layout) -> Result<Layout, CliError> {
    match layout {
        Layout::Single(s) if s == Shape::S => Ok(layout),
        Layout::Partitioned(p) if p == PartitionShape::PS => Ok(layout),
        other => Err(CliError::Usage(format!(
            "--shape {other}: the demo runs shape S (one proof) or partition shape PS"
        ))),
    }
}
