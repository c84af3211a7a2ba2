//! The demo's keys: one invoice statement's (shape `S`, the default) or a partition shape's three
//! (`demo --shape PS`), made by the Seller and the Buyer in a two-party ceremony (the default), or
//! by the Buyer alone (`--single-party-setup`, anchored as such): everything after the keys is the
//! same flow for all of them.

use std::{path::Path, time::Instant};

use zkinvoice_anchors::KeySetup;
use zkinvoice_ceremony::transcript::Ceremony;
use zkinvoice_circuits::{partition::PartitionShape, Layout, Salt, Shape};
use zkinvoice_prover::{
    credit::CreditKeys,
    partition::{self, NoStore, PartitionKeys},
    reconcile::ReconcileKeys,
    CeremonyRecord, InvoiceKeys, ProveRequest, Proved,
};
use zkinvoice_verifier::{InvoiceVerifyingKeys, PreparedInvoiceKeys};

use super::net_keys::NetKeys;
use crate::{
    cmd::ceremony::{made_keys, record_of, statements, MadeKeys},
    error::CliError,
    report::{since, size},
};

/// The ceremony's contributors, in the order they contribute to each phase.
const PARTIES: [&str; 2] = ["seller", "buyer"];

/// The Buyer's keys for the demo's shape.
pub enum DemoKeys {
    /// The invoice statement's (protocol v1).
    Single(Box<InvoiceKeys>),
    /// A partition shape's block, chunk and link statements' (protocol v2).
    Partitioned(Box<PartitionKeys>),
}

/// The keys of the statements after the invoice a ceremony also makes: at a v1 shape the
/// reconciliation's, the netting's and the credit note's; at a partition shape the netting of
/// partitioned invoices'. None of them after a single-party setup (each is made when needed).
#[derive(Default)]
pub struct LifecycleKeys {
    /// The reconciliation statement's.
    pub reconcile: Option<ReconcileKeys>,
    /// The netting statement's.
    pub netting: Option<NetKeys>,
    /// The credit-note statement's.
    pub credit: Option<CreditKeys>,
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

    /// A two-party ceremony for `layout` in the directory `dir` (the Seller contributes, then the
    /// Buyer, to phase 1 and then to every statement's phase 2), verified and finished, described
    /// on stdout: the keys, the reconciliation, netting and credit-note statements' (a v1 shape),
    /// and the record that
    /// `msa-agreed` anchors.
    pub fn ceremony(layout: Layout, dir: &Path) -> Result<(Self, LifecycleKeys, CeremonyRecord), CliError> {
        let mut rng = rand::rngs::OsRng;
        let c = Ceremony::create(dir, layout.name(), statements(layout)?, None)?;
        let t = Instant::now();
        for name in PARTIES {
            c.contribute_phase1(name, &mut rng, &())?;
        }
        let phase1 = since(t);
        let t = Instant::now();
        c.prepare(&mut rng, &())?;
        let start = since(t);
        let t = Instant::now();
        for name in PARTIES {
            c.contribute_phase2(name, &mut rng, &())?;
        }
        let phase2 = since(t);
        let t = Instant::now();
        let (summary, keys) = c.finish(&mut rng)?;
        let record = record_of(&summary);
        let (keys, lifecycle) = match made_keys(layout, keys)? {
            MadeKeys::Single(k, r, n, c) => (
                Self::Single(k),
                LifecycleKeys {
                    reconcile: Some(*r),
                    netting: Some(NetKeys::V1(n)),
                    credit: Some(*c),
                },
            ),
            MadeKeys::Partitioned(k, n) => (
                Self::Partitioned(k),
                LifecycleKeys {
                    netting: Some(NetKeys::Heads(n)),
                    ..LifecycleKeys::default()
                },
            ),
        };
        println!(
            "   The seller and the buyer make the Groth16 keys of shape {layout} in a two-party ceremony, so that neither can forge a proof alone: phase 1 (powers of tau, 2^{}) in {phase1}, phase 2's start in {start}, phase 2 in {phase2}, verified in {}; transcript {}, key hash {}",
            c.header().power,
            since(t),
            &record.transcript_hash[..16],
            &keys.verifying()?.hash_hex()[..16],
        );
        Ok((keys, lifecycle, record))
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

    /// Writes the keys into `dir` (`zkinvoice setup`'s files; the manifest records the ceremony
    /// they come from, if any).
    pub fn write(&self, dir: &Path, ceremony: Option<CeremonyRecord>) -> Result<(), CliError> {
        match self {
            Self::Single(k) => k.write_with(dir, false, ceremony).map(drop)?,
            Self::Partitioned(k) => k.write_with(dir, false, ceremony).map(drop)?,
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

/// How the demo's keys were made, as `msa-agreed` records it.
pub fn key_setup(record: Option<&CeremonyRecord>) -> KeySetup {
    match record {
        Some(r) => KeySetup::ceremony(r.transcript_hash.clone(), r.contributors.clone()),
        None => KeySetup::SingleParty,
    }
}
