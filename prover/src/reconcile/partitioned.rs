//! Keys and proofs of the reconciliation of two partitioned invoices (`zkinvoice/reconcile/v2`,
//! `docs/lifecycle.md`, "The reconciliation of partitioned invoices"): one block proof per block
//! of products and one link proof.
//!
//! Keys ([`PartitionedReconcileKeys`]) as [`crate::lifecycle`] makes, writes and loads them: the
//! block statement's per partition shape `X` (`reconcile-v2-block-X.pk`, `.vk`, `.json`) and the
//! link statement's, one for every partition shape (`reconcile-v2-link-link.*`). The pair is named
//! by one hash ([`ReconcileKeySet::hash`]). A proof ([`ProvedPartitionedReconciliation`]) travels as a
//! [`PartitionedReconcileEnvelope`].

use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{
    commit::Salt,
    model::period::PeriodDoc,
    native::reconcile::Reconciliation,
    partition::PartitionShape,
    statement::reconcile::{
        block::ReconcileBlockCircuit,
        link::{ReconcileLinkCircuit, LINK_SHAPE},
        PartitionedReconcileOpening,
    },
    Fr, Invoice, Msa, Shape,
};
use zkinvoice_verifier::partition::reconcile::{
    PartitionedReconcilePublic, PreparedReconcileKeys, ReconcileBlockStatement, ReconcileKeySet,
    ReconcileLinkStatement, ReconcileProofError, ReconcileProofs, ReconcileTops,
};

use crate::{
    keys::KeyManifest,
    lifecycle::{check_envelope, Lifecycle, StatementKeys},
    ProverError,
};

/// The envelope's statement: the block and link proofs of one reconciliation.
pub use zkinvoice_verifier::partition::reconcile::STATEMENT;

/// The reconciliation's block statement, one circuit per partition shape.
pub struct ReconcileBlock;

impl Lifecycle for ReconcileBlock {
    type Statement = ReconcileBlockStatement;
    type Circuit = ReconcileBlockCircuit;
    const NAME: &'static str = "reconcile-v2-block";
    /// `shape` is a partition shape's [`PartitionShape::block_shape`].
    fn blank(shape: Shape) -> ReconcileBlockCircuit {
        ReconcileBlockCircuit::blank(partition_shape(shape))
    }
    fn setup_hint(shape: Shape) -> String {
        format!("zkinvoice setup --statement reconcile --shape {}", shape.name)
    }
}

/// The reconciliation's link statement, one circuit for every partition shape.
pub struct ReconcileLink;

impl Lifecycle for ReconcileLink {
    type Statement = ReconcileLinkStatement;
    type Circuit = ReconcileLinkCircuit;
    const NAME: &'static str = "reconcile-v2-link";
    fn blank(_shape: Shape) -> ReconcileLinkCircuit {
        ReconcileLinkCircuit::blank()
    }
    fn setup_hint(_shape: Shape) -> String {
        "zkinvoice setup --statement reconcile --shape PS (or PM: the link is one for both)".into()
    }
}

/// The partition shape whose [`PartitionShape::block_shape`] is `shape`.
fn partition_shape(shape: Shape) -> PartitionShape {
    PartitionShape {
        name: shape.name,
        block_products: shape.products,
        tiers: shape.tiers,
        chunk_records: shape.records,
    }
}

/// The reconciliation keys of one partition shape: its block statement's and the link's.
pub struct PartitionedReconcileKeys {
    /// The partition shape.
    pub shape: PartitionShape,
    /// The block statement's keys.
    pub block: StatementKeys<ReconcileBlock>,
    /// The link statement's keys.
    pub link: StatementKeys<ReconcileLink>,
}

/// A proven reconciliation of two partitioned invoices.
pub struct ProvedPartitionedReconciliation {
    /// Every public value (the verdict among them).
    pub public: PartitionedReconcilePublic,
    /// The native verdict.
    pub verdict: Reconciliation,
    /// The proofs.
    pub proofs: ReconcileProofs,
}

impl PartitionedReconcileKeys {
    /// A single-party setup of both statements (for tests and `zkinvoice setup`).
    pub fn generate<R: RngCore + CryptoRng>(shape: PartitionShape, rng: &mut R) -> Result<Self, ProverError> {
        Ok(Self {
            shape,
            block: StatementKeys::generate(shape.block_shape(), rng)?,
            link: StatementKeys::generate(LINK_SHAPE, rng)?,
        })
    }

    /// Writes both statements' key files and manifests into `dir` (refusing to replace existing
    /// files unless `force`).
    pub fn write(&self, dir: &std::path::Path, force: bool) -> Result<[KeyManifest; 2], ProverError> {
        Ok([self.block.write(dir, force)?, self.link.write(dir, force)?])
    }

    /// Loads `shape`'s block keys and the link's from `dir`, each checked as
    /// [`StatementKeys::load`] checks.
    pub fn load(dir: &std::path::Path, shape: PartitionShape) -> Result<Self, ProverError> {
        Ok(Self {
            shape,
            block: StatementKeys::load(dir, shape.block_shape())?,
            link: StatementKeys::load(dir, LINK_SHAPE)?,
        })
    }

    /// The hash naming the two verifying keys ([`ReconcileKeySet::hash`]), hex.
    pub fn hash_hex(&self) -> String {
        self.key_set().hash_hex()
    }

    /// The two verifying keys as one set.
    pub fn key_set(&self) -> ReconcileKeySet {
        ReconcileKeySet {
            block: self.block.verifying_key().clone(),
            link: self.link.verifying_key().clone(),
        }
    }

    /// The two verifying keys, prepared, with the set's hash and the partition shape.
    pub fn verifying_keys(&self) -> ReconcileVerifyingKeys {
        ReconcileVerifyingKeys {
            shape: self.shape,
            keys: self.key_set().prepare(),
        }
    }

    /// Reconciles the Seller's invoice with the Buyer's under `msa` (each with the salt of its
    /// document) and proves every block and the link under a fresh seed. Refuses what the native
    /// reconciliation refuses ([`ProverError::Model`]) and an MSA the shape cannot hold.
    pub fn prove(
        &self,
        msa: &Msa,
        msa_salt: &Salt,
        seller: (&Invoice, &Salt),
        buyer: (&Invoice, &Salt),
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<ProvedPartitionedReconciliation, ProverError> {
        let built = PartitionedReconcileOpening {
            shape: self.shape,
            msa,
            msa_salt,
            seller,
            buyer,
            seed: Salt::random(rng).to_fe(),
        }
        .build()?;
        let blocks = built
            .blocks
            .into_iter()
            .map(|c| self.block.prover.prove(c, rng).map(Into::into))
            .collect::<Result<Vec<_>, _>>()?;
        let link = self.link.prover.prove(built.link, rng)?.into();
        Ok(ProvedPartitionedReconciliation {
            public: built.public,
            verdict: built.verdict,
            proofs: ReconcileProofs { blocks, link },
        })
    }
}

/// A partition shape's two reconciliation verifying keys, prepared, with the hash naming them.
pub struct ReconcileVerifyingKeys {
    /// The partition shape.
    pub shape: PartitionShape,
    /// The keys.
    pub keys: PreparedReconcileKeys,
}

/// A proven reconciliation of two partitioned invoices as a file: what either party sends the
/// other.
///
/// JSON: `{scheme, statement, shape, vkHash, period: {start, end}, public, proofs: {blocks,
/// link}}` (`public` as [`PartitionedReconcilePublic`]'s JSON, each proof base64 of its 192
/// compressed bytes); unknown fields are refused. [`Self::verify`] checks every field against the
/// keys, the public values and the proofs, and returns the commitments the parts open, which the
/// reader compares with the ones it anchors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartitionedReconcileEnvelope {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// `zkinvoice/reconcile/v2`.
    pub statement: String,
    /// The partition shape.
    pub shape: String,
    /// The hash naming the two verifying keys, hex.
    pub vk_hash: String,
    /// The period both invoices bill.
    pub period: PeriodDoc,
    /// Every public value.
    pub public: PartitionedReconcilePublic,
    /// The proofs.
    pub proofs: ReconcileProofs,
}

impl PartitionedReconcileEnvelope {
    /// The envelope of `proved`, for the period `period`, under `keys`.
    pub fn new(
        proved: &ProvedPartitionedReconciliation,
        period: PeriodDoc,
        keys: &PartitionedReconcileKeys,
    ) -> Self {
        Self {
            scheme: zkinvoice_verifier::SCHEME.into(),
            statement: STATEMENT.into(),
            shape: keys.shape.name.into(),
            vk_hash: keys.hash_hex(),
            period,
            public: proved.public.clone(),
            proofs: proved.proofs.clone(),
        }
    }

    /// Whether the two are within every threshold.
    pub fn within(&self) -> bool {
        self.public.within()
    }

    /// Checks the scheme, statement, shape and key hash against `keys`, the period against the
    /// public period, that the public values hold together ([`PartitionedReconcilePublic::check`]
    /// against the tops their own parts make), one proof per block, and every proof against its
    /// inputs ([`ProverError::Refused`] naming the field). Returns the MSA and invoice
    /// commitments the parts open: the reader compares them with the anchored ones.
    pub fn verify(&self, keys: &ReconcileVerifyingKeys) -> Result<ReconcileTops, ProverError> {
        let refuse = |field: &str, reason: String| ProverError::Refused {
            field: field.into(),
            reason,
        };
        check_envelope(
            [
                (&self.scheme, &self.statement),
                (&self.vk_hash, &keys.keys.hash_hex()),
            ],
            STATEMENT,
            &self.period,
            [
                Fr::from(self.public.period_start),
                Fr::from(self.public.period_end),
            ],
        )?;
        if self.shape != keys.shape.name {
            return Err(refuse(
                "shape",
                format!("is {:?}, expected {:?}", self.shape, keys.shape.name),
            ));
        }
        if self.public.sizes != keys.shape.sizes() {
            return Err(refuse(
                "public.sizes",
                format!("are not the sizes of partition shape {}", keys.shape.name),
            ));
        }
        let tops = self.public.tops();
        self.public
            .verify_proofs(&self.proofs, &keys.keys, &tops)
            .map_err(|e| match e {
                ReconcileProofError::Public(r) => refuse("public", r.to_string()),
                ReconcileProofError::Count { .. } => refuse("proofs.blocks", e.to_string()),
                ReconcileProofError::Block(j, e) => refuse(&format!("proofs.blocks[{j}]"), e.to_string()),
                ReconcileProofError::Link(e) => refuse("proofs.link", e.to_string()),
            })?;
        Ok(tops)
    }
}
