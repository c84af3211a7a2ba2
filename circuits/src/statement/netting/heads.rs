//! The netting statement of two partitioned (v2) invoices (`zkinvoice/netting/v2`,
//! `docs/lifecycle.md`): v1's statement over the invoices' heads.
//!
//! A v2 invoice's parties, agreement, period, currency and total are all in its `invoice_head`
//! part, so the netting opens the two heads (public inputs) instead of two whole bodies, and
//! proves what v1 proves of them (`agree_and_net`, v1's core; the native twin
//! [`crate::native::netting`]). The anchored invoice commitments are SHA-256 tops of the parts,
//! which the circuit does not recompute: they are public inputs bound into the net commitment
//! only, and a verifier checks natively that each is the top of its head and blocks
//! ([`NettingHeadsPublicInputs::check_tops`]). The heads have one size, so one key nets invoices
//! of every partition shape, of the same shape or not.
//!
//! Constraint count: [`heads_cost`], in `params/netting-costs.csv` (shape `heads`).

use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::{partition::Parts, NettingHeadsPublicInputs, NettingPublicInputs};

use super::{agree_and_net, blank_public, labelled, open, NettingCost, Public, AMOUNT_BITS};
use crate::{
    commit::{netting::net_commitment, Salt},
    encoding::{day_number, int_fe, tag},
    gadgets::{poseidon::commit_cost, range},
    model::invoice::Invoice,
    native::netting::{net, Netting},
    partition::{
        parts::{invoice_head_fields, invoice_parts, INVOICE_HEAD_LEN},
        salt::{derive, Part},
        PartitionShape,
    },
    Error, Fr,
};

/// The statement's identifier.
pub const HEADS_STATEMENT: &str = "zkinvoice/netting/v2";

/// The name its keys and its row in `params/netting-costs.csv` go by in place of a shape's: the
/// circuit is one for every partition shape. Key files `netting-v2-heads.*` ([`HEADS_SHAPE`]).
pub const HEADS: &str = "heads";

/// The shape the statement's keys are indexed by where a v1 statement's are by a shape (`zkinvoice
/// setup --statement netting` at a partition shape): named [`HEADS`], of no products, tiers or records.
pub const HEADS_SHAPE: crate::Shape = crate::Shape {
    name: HEADS,
    products: 0,
    tiers: 0,
    records: 0,
};

/// Constraints of the netting statement of two partitioned invoices (every partition shape): the
/// heads opened, and v1's agreement and net (which do not depend on the invoices' form).
pub const fn heads_cost() -> NettingCost {
    let v1 = super::cost(crate::Shape::S);
    NettingCost {
        invoices: 2 * (commit_cost(INVOICE_HEAD_LEN) + 1 + range::cost(AMOUNT_BITS)),
        agree: v1.agree,
        net: v1.net,
    }
}

/// One partitioned invoice to net: the invoice, its partition shape and its salt (the invoice's
/// one salt, from which the head's is derived).
pub type PartitionedInvoice<'a> = (&'a Invoice, PartitionShape, &'a Salt);

/// The witness of the netting of two partitioned invoices. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct HeadsNettingAssignment {
    /// The first and second invoices' heads ([`invoice_head_fields`]).
    pub heads: [Vec<Fr>; 2],
    /// Their heads' salts (derived from the invoices' salts).
    pub head_salts: [Fr; 2],
    /// The net amount.
    pub net: Fr,
    /// The netting commitment's salt.
    pub net_salt: Fr,
}

impl HeadsNettingAssignment {
    /// An all-zero assignment, for key generation.
    pub fn blank() -> Self {
        let zero = Fr::from(0u64);
        Self {
            heads: [vec![zero; INVOICE_HEAD_LEN], vec![zero; INVOICE_HEAD_LEN]],
            head_salts: [zero; 2],
            net: zero,
            net_salt: zero,
        }
    }

    /// The witness and public inputs of netting `first` against `second` (in that order: the
    /// caller orders them, as [`NettingPublicInputs::ordered`] orders their commitments), the net
    /// committed under `net_salt`, with the native netting they prove. Refuses what [`net`]
    /// refuses, and invoices their shapes cannot hold.
    pub fn new(
        first: PartitionedInvoice,
        second: PartitionedInvoice,
        net_salt: &Salt,
    ) -> Result<(Self, NettingHeadsPublicInputs, Netting), Error> {
        let parts = [
            invoice_parts(first.0, first.1, first.2)?,
            invoice_parts(second.0, second.1, second.2)?,
        ];
        Self::with_parts(first, second, &parts, net_salt)
    }

    /// [`HeadsNettingAssignment::new`] of invoices whose parts the caller has (`parts`: each
    /// invoice's [`invoice_parts`], in the same order), which are not computed again.
    pub fn with_parts(
        first: PartitionedInvoice,
        second: PartitionedInvoice,
        parts: &[Parts; 2],
        net_salt: &Salt,
    ) -> Result<(Self, NettingHeadsPublicInputs, Netting), Error> {
        let netting = net(first.0, second.0)?;
        let tops = parts
            .each_ref()
            .map(|p| zkinvoice_verifier::partition::invoice_top(p.head, &p.parts));
        let head_salt = |x: PartitionedInvoice| derive(x.2, Part::InvoiceHead, 0).to_fe();
        let assignment = Self {
            heads: [invoice_head_fields(first.0), invoice_head_fields(second.0)],
            head_salts: [head_salt(first), head_salt(second)],
            net: int_fe(netting.net),
            net_salt: net_salt.to_fe(),
        };
        let public = NettingHeadsPublicInputs {
            netting: NettingPublicInputs {
                first_invoice: tops[0],
                second_invoice: tops[1],
                net_commitment: net_commitment(netting.net, &first.0.currency, tops, net_salt).0,
                payer: Fr::from(netting.payer.bit()),
                period_start: int_fe(day_number(first.0.period.start)),
                period_end: int_fe(day_number(first.0.period.end)),
            },
            first_head: parts[0].head,
            second_head: parts[1].head,
        };
        Ok((assignment, public, netting))
    }

    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        labelled(
            (&mut self.heads, &mut self.head_salts, "head"),
            &mut self.net,
            &mut self.net_salt,
        )
    }
}

/// The netting statement of two partitioned invoices.
#[derive(Clone)]
pub struct HeadsNettingCircuit {
    /// The public inputs.
    pub public: NettingHeadsPublicInputs,
    /// The witness.
    pub assignment: HeadsNettingAssignment,
}

impl HeadsNettingCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank() -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: NettingHeadsPublicInputs {
                netting: blank_public(),
                first_head: zero,
                second_head: zero,
            },
            assignment: HeadsNettingAssignment::blank(),
        }
    }
}

impl ConstraintSynthesizer<Fr> for HeadsNettingCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let [first_c, second_c, net_c, payer_pub, start, end, first_h, second_h] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let f = open(&cs, tag::INVOICE_HEAD, &a.heads[0], a.head_salts[0], &first_h?)?;
        let s = open(&cs, tag::INVOICE_HEAD, &a.heads[1], a.head_salts[1], &second_h?)?;
        agree_and_net(
            &cs,
            [&f, &s],
            Public {
                invoices: [first_c?, second_c?],
                net_commitment: net_c?,
                payer: payer_pub?,
                period: [start?, end?],
                payer_value: self.public.netting.payer,
            },
            (a.net, a.net_salt),
        )
    }
}
