//! Circuits with real witnesses, for the benches and the prover's tests: the example bilateral's
//! October at a v1 shape, and a bilateral that fills one partition of each statement of a
//! partition shape.

use rand::Rng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    model::msa::PricingModel,
    partition::{PartitionCircuit, PartitionId, PartitionShape, PartitionedOpening},
    rate,
    statement::{InvoiceAssignment, InvoiceCircuit, InvoiceOpening},
    Fr, Invoice, Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};
use zkinvoice_prover::ProveRequest;

use crate::model::{msa_with, october, product, usage};

/// The example bilateral's October committed at a v1 shape.
pub struct V1Case {
    /// The shape.
    pub shape: Shape,
    /// The MSA.
    pub msa: Msa,
    /// October's usage: the 992 CDRs at M, weekly aggregates at S.
    pub usage: Usage,
    /// The MSA's salt.
    pub msa_salt: Salt,
    /// The usage's salt.
    pub usage_salt: Salt,
    /// The initial state, opened.
    pub state0: StateOpening,
}

impl V1Case {
    /// October at `shape`, salts from `rng`.
    pub fn october(shape: Shape, rng: &mut ChaCha20Rng) -> Self {
        let msa = crate::model::example_msa();
        let raw = Usage::parse(
            include_str!("../../examples/usage-2026-10.json"),
            UsageFormat::Json,
            &msa,
            None,
        )
        .expect("valid example");
        let usage = if shape == Shape::S {
            raw.aggregated(7).expect("aggregates")
        } else {
            raw
        };
        let msa_salt = Salt::random(rng);
        let msa_c = commit::msa_commitment(&msa, shape, &msa_salt).expect("fits");
        let state0 =
            StateOpening::new(msa_c, VolumeState::initial(&msa), shape, Salt::random(rng)).expect("commits");
        Self {
            shape,
            msa,
            usage,
            msa_salt,
            usage_salt: Salt::random(rng),
            state0,
        }
    }

    /// The request proving it as `INV-BENCH`.
    pub fn request(&self) -> ProveRequest<'_> {
        ProveRequest {
            msa: &self.msa,
            msa_salt: &self.msa_salt,
            usage: &self.usage,
            usage_salt: &self.usage_salt,
            expected_usage: None,
            before: &self.state0,
            invoice_number: "INV-BENCH",
        }
    }

    /// Its circuit with the witness (invoice and state-after salts from `rng`).
    pub fn circuit(&self, rng: &mut ChaCha20Rng) -> InvoiceCircuit {
        let rated = rate(&self.msa, &self.usage, &self.state0.state, "INV-BENCH").expect("rates");
        let (invoice_salt, after_salt) = (Salt::random(rng), Salt::random(rng));
        let opening = InvoiceOpening {
            msa: &self.msa,
            msa_salt: &self.msa_salt,
            usage: &self.usage,
            usage_salt: &self.usage_salt,
            before: &self.state0.state,
            before_salt: &self.state0.salt,
            invoice: &rated.invoice,
            invoice_salt: &invoice_salt,
            after: &rated.after,
            after_salt: &after_salt,
        };
        InvoiceCircuit {
            public: opening.public_inputs(self.shape).expect("commits"),
            assignment: InvoiceAssignment::new(self.shape, &opening).expect("assigns"),
        }
    }
}

/// A bilateral of `products` products (graduated and all-units, up to `tiers` tiers, every
/// third recurring) and `records` records of random priced products, from a state at index 3.
pub fn filled_bilateral(
    products: usize,
    tiers: usize,
    records: usize,
    rng: &mut ChaCha20Rng,
) -> (Msa, Usage, VolumeState) {
    let list = (0..products)
        .map(|i| {
            let model = [PricingModel::Graduated, PricingModel::Volume][i % 2];
            let mut t = 0;
            let table: Vec<(u64, u64)> = (0..tiers)
                .map(|j| {
                    if j > 0 {
                        t += rng.gen_range(1..10_000);
                    }
                    (t, rng.gen_range(1..50_000_000))
                })
                .collect();
            let recurring = (i % 3 == 0).then(|| (rng.gen_range(0..5_000_000_000_000), rng.gen_range(1..10)));
            product(&format!("p{i:05}"), model, &table, recurring)
        })
        .collect();
    let msa = msa_with(list);
    let recs: Vec<(usize, u64)> = (0..records)
        .map(|_| (rng.gen_range(0..products), rng.gen_range(1..5_000)))
        .collect();
    let u = usage(&msa, october(), &recs);
    let before = VolumeState {
        index: 3,
        volumes: (0..products).map(|_| rng.gen_range(0..20_000)).collect(),
    };
    (msa, u, before)
}

/// A rated bilateral with its salts, to open under a partition shape.
pub struct PartitionCase {
    /// The MSA.
    pub msa: Msa,
    /// The usage.
    pub usage: Usage,
    /// The state before.
    pub before: VolumeState,
    /// The invoice rated.
    pub invoice: Invoice,
    /// The state after.
    pub after: VolumeState,
    /// Salts of the MSA, usage, state before, invoice and state after.
    pub salts: [Salt; 5],
}

impl PartitionCase {
    /// [`filled_bilateral`] of `products`, `tiers` and `records`, rated.
    pub fn new(products: usize, tiers: usize, records: usize, rng: &mut ChaCha20Rng) -> Self {
        let (msa, usage, before) = filled_bilateral(products, tiers, records, rng);
        Self::of(msa, usage, before, rng)
    }

    /// A bilateral's period from `before`, rated, with salts from `rng`.
    pub fn of(msa: Msa, usage: Usage, before: VolumeState, rng: &mut ChaCha20Rng) -> Self {
        let r = rate(&msa, &usage, &before, "INV-1").expect("rates");
        Self {
            msa,
            usage,
            before,
            invoice: r.invoice,
            after: r.after,
            salts: std::array::from_fn(|_| Salt::random(rng)),
        }
    }

    /// One block and one chunk, filled, at `shape`.
    pub fn filling(shape: PartitionShape, rng: &mut ChaCha20Rng) -> Self {
        Self::new(shape.block_products, shape.tiers, shape.chunk_records, rng)
    }

    /// Its opening under `shape`.
    pub fn opening(&self, shape: PartitionShape) -> PartitionedOpening<'_> {
        PartitionedOpening {
            shape,
            of: InvoiceOpening {
                msa: &self.msa,
                msa_salt: &self.salts[0],
                usage: &self.usage,
                usage_salt: &self.salts[1],
                before: &self.before,
                before_salt: &self.salts[2],
                invoice: &self.invoice,
                invoice_salt: &self.salts[3],
                after: &self.after,
                after_salt: &self.salts[4],
            },
        }
    }

    /// The circuit of partition `id` at `shape` and its public inputs.
    pub fn circuit(&self, shape: PartitionShape, id: PartitionId) -> (PartitionCircuit, Vec<Fr>) {
        let o = self.opening(shape);
        let (public, z) = o.public().expect("commits");
        (
            o.circuit(&public, z, &o.quantities(), id),
            zkinvoice_prover::partition::inputs_of(&public, z, id),
        )
    }

    /// The circuits of block 0, chunk 0 and the link at `shape`, with each one's public inputs.
    pub fn circuits(&self, shape: PartitionShape) -> [(PartitionId, PartitionCircuit, Vec<Fr>); 3] {
        [PartitionId::Block(0), PartitionId::Chunk(0), PartitionId::Link].map(|id| {
            let (circuit, inputs) = self.circuit(shape, id);
            (id, circuit, inputs)
        })
    }
}
