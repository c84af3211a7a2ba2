//! The invoice statement's constraint count, part by part.
//!
//! Each part of the synthesis ([`Part`], in synthesis order) has its own namespace and a cost
//! function beside its code, built from its gadgets' documented costs. [`InvoiceCost`] collects
//! them for a shape. The test `circuits/tests/costs.rs` measures every part of every shape and
//! checks it against these functions and against the table `params/costs.csv`.

use ark_relations::{
    gr1cs::{ConstraintSystemRef, Namespace},
    ns,
};

use super::{aggregate, header, openings, period, slots, totals};
use crate::{statement::assignment::record_capacity, Fr, Shape};

/// A named part of the invoice statement's synthesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The MSA header and the currency's divisor (`header.rs`).
    Header,
    /// Each product slot rated (`slots.rs`); per slot.
    Slots,
    /// The MSA opens `msa_commitment` (`openings.rs`).
    MsaCommitment,
    /// The aggregation challenge (`aggregate.rs`).
    Challenge,
    /// Each usage record range-checked, packed and its share taken (`aggregate.rs`); per record.
    Records,
    /// The records sum to the slots' totals (`aggregate.rs`).
    Aggregate,
    /// The period and records open `usage_commitment` (`openings.rs`).
    UsageCommitment,
    /// The period lies within the MSA's validity (`period.rs`).
    Period,
    /// The volumes open `state_before` and `state_after` (`openings.rs`).
    States,
    /// Subtotal, tax and total (`totals.rs`).
    Totals,
    /// The invoice opens `invoice_commitment` (`openings.rs`).
    InvoiceCommitment,
}

/// What a part's cost is counted per.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Per {
    /// Once per statement.
    Statement,
    /// Once per product slot (`P`).
    Slot,
    /// Once per usage record the circuit holds (`U` rounded up to a multiple of three).
    Record,
}

impl Part {
    /// Every part, in synthesis order.
    pub const ALL: [Part; 11] = [
        Part::Header,
        Part::Slots,
        Part::MsaCommitment,
        Part::Challenge,
        Part::Records,
        Part::Aggregate,
        Part::UsageCommitment,
        Part::Period,
        Part::States,
        Part::Totals,
        Part::InvoiceCommitment,
    ];

    /// The part's name: its namespace and its row in `params/costs.csv`.
    pub const fn name(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Slots => "slots",
            Part::MsaCommitment => "msa_commitment",
            Part::Challenge => "challenge",
            Part::Records => "records",
            Part::Aggregate => "aggregate",
            Part::UsageCommitment => "usage_commitment",
            Part::Period => "period",
            Part::States => "states",
            Part::Totals => "totals",
            Part::InvoiceCommitment => "invoice_commitment",
        }
    }

    /// What the part's cost is counted per.
    pub const fn per(self) -> Per {
        match self {
            Part::Slots => Per::Slot,
            Part::Records => Per::Record,
            _ => Per::Statement,
        }
    }

    /// How many times the part's unit cost is paid in `shape`.
    pub const fn units(self, shape: Shape) -> usize {
        match self.per() {
            Per::Statement => 1,
            Per::Slot => shape.products,
            Per::Record => record_capacity(shape),
        }
    }

    /// Enters the part's namespace; constraints enforced until it is dropped carry its name.
    pub(super) fn namespace(self, cs: &ConstraintSystemRef<Fr>) -> Namespace<Fr> {
        // `ns!` names a static tracing span, so each part needs a call site of its own.
        match self {
            Part::Header => ns!(cs, Part::Header.name()),
            Part::Slots => ns!(cs, Part::Slots.name()),
            Part::MsaCommitment => ns!(cs, Part::MsaCommitment.name()),
            Part::Challenge => ns!(cs, Part::Challenge.name()),
            Part::Records => ns!(cs, Part::Records.name()),
            Part::Aggregate => ns!(cs, Part::Aggregate.name()),
            Part::UsageCommitment => ns!(cs, Part::UsageCommitment.name()),
            Part::Period => ns!(cs, Part::Period.name()),
            Part::States => ns!(cs, Part::States.name()),
            Part::Totals => ns!(cs, Part::Totals.name()),
            Part::InvoiceCommitment => ns!(cs, Part::InvoiceCommitment.name()),
        }
    }
}

impl Per {
    /// The unit's name in `params/costs.csv`.
    pub const fn name(self) -> &'static str {
        match self {
            Per::Statement => "statement",
            Per::Slot => "slot",
            Per::Record => "record",
        }
    }
}

/// The statement's constraint count, part by part: each field is a part's cost per unit
/// ([`Part::per`]), from the part's cost function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvoiceCost {
    /// [`Part::Header`]: the currency's divisor.
    pub header: usize,
    /// [`Part::Slots`], per product slot: cumulative prices, model decoding, two lookups, the
    /// usage and recurring products, two roundings.
    pub per_slot: usize,
    /// [`Part::MsaCommitment`].
    pub msa_commitment: usize,
    /// [`Part::Challenge`]: one permutation.
    pub challenge: usize,
    /// [`Part::Records`], per usage record: slot bits, quantity bits, aggregation share.
    pub per_record: usize,
    /// [`Part::Aggregate`].
    pub aggregate: usize,
    /// [`Part::UsageCommitment`].
    pub usage_commitment: usize,
    /// [`Part::Period`].
    pub period: usize,
    /// [`Part::States`]: both states.
    pub states: usize,
    /// [`Part::Totals`].
    pub totals: usize,
    /// [`Part::InvoiceCommitment`].
    pub invoice_commitment: usize,
}

impl InvoiceCost {
    /// The cost of `shape`.
    pub const fn of(shape: Shape) -> Self {
        Self {
            header: header::cost(shape),
            per_slot: slots::per_slot_cost(shape),
            msa_commitment: openings::msa_commitment_cost(shape),
            challenge: aggregate::challenge_cost(shape),
            per_record: aggregate::per_record_cost(shape),
            aggregate: aggregate::aggregate_cost(shape),
            usage_commitment: openings::usage_commitment_cost(shape),
            period: period::cost(shape),
            states: openings::states_cost(shape),
            totals: totals::cost(shape),
            invoice_commitment: openings::invoice_commitment_cost(shape),
        }
    }

    /// The cost of one unit of `part` ([`Part::per`]).
    pub const fn each(&self, part: Part) -> usize {
        match part {
            Part::Header => self.header,
            Part::Slots => self.per_slot,
            Part::MsaCommitment => self.msa_commitment,
            Part::Challenge => self.challenge,
            Part::Records => self.per_record,
            Part::Aggregate => self.aggregate,
            Part::UsageCommitment => self.usage_commitment,
            Part::Period => self.period,
            Part::States => self.states,
            Part::Totals => self.totals,
            Part::InvoiceCommitment => self.invoice_commitment,
        }
    }

    /// Constraints of `part` in `shape` (the shape this cost is of).
    pub const fn constraints(&self, part: Part, shape: Shape) -> usize {
        self.each(part) * part.units(shape)
    }

    /// Total constraints for `shape` (the shape this cost is of).
    pub const fn total(&self, shape: Shape) -> usize {
        let mut sum = 0;
        let mut i = 0;
        while i < Part::ALL.len() {
            sum += self.constraints(Part::ALL[i], shape);
            i += 1;
        }
        sum
    }
}
