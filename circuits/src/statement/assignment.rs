//! The invoice statement's witness in field elements, built natively from the model.
//!
//! Only values that open a commitment, plus the prover's claims the circuit checks (the totals
//! `q_p` and the cumulative prices `C_j`), are assigned; everything else (volumes after,
//! amounts, tax, remainders, selectors, bits) is computed during synthesis.

use crate::{
    commit::{self, msa::msa_text_fe, usage::usage_record_elements, Salt},
    encoding::{day_number, id_fe, int_fe, PAD_THRESHOLD, RECORDS_PER_ELEMENT},
    model::{
        invoice::Invoice,
        msa::{model_code, Msa},
        state::VolumeState,
        usage::Usage,
    },
    native::aggregate,
    Error, Fr, Shape,
};
use zkinvoice_verifier::InvoicePublicInputs;

/// One product slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotAssignment {
    /// Product id (`id_fe`), 0 for an empty slot.
    pub product: Fr,
    /// Pricing model code.
    pub model: Fr,
    /// Recurring fee (nano-units).
    pub fee: Fr,
    /// Ordered quantity of the recurring charge.
    pub ordered: Fr,
    /// `T` thresholds (padding at `2^63`).
    pub thresholds: Vec<Fr>,
    /// `T` prices (nano-units).
    pub prices: Vec<Fr>,
    /// `T` cumulative prices `C_j` (claimed; checked in-circuit).
    pub cumulative: Vec<Fr>,
    /// Cumulative volume before the period (`state_before`).
    pub volume_before: Fr,
    /// Quantity of the period `q_p` (claimed; checked against the records in-circuit).
    pub quantity: Fr,
}

/// One usage record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordAssignment {
    /// Product slot.
    pub slot: Fr,
    /// Quantity.
    pub quantity: Fr,
}

/// The witness of the invoice statement. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct InvoiceAssignment {
    /// The shape it is padded to.
    pub shape: Shape,
    /// MSA header: `id_fe(seller)`.
    pub seller: Fr,
    /// `id_fe(buyer)`.
    pub buyer: Fr,
    /// `id_fe(msa id)`.
    pub msa_id: Fr,
    /// ISO 4217 numeric code.
    pub currency: Fr,
    /// Minor-unit digits (0..=9).
    pub minor_digits: Fr,
    /// Tax rate (ppm).
    pub tax_ppm: Fr,
    /// Payment terms (days).
    pub net_days: Fr,
    /// First day in force.
    pub valid_from: Fr,
    /// Last day in force.
    pub valid_until: Fr,
    /// The MSA's descriptive text ([`msa_text_fe`]).
    pub msa_text: Fr,
    /// The `P` product slots.
    pub slots: Vec<SlotAssignment>,
    /// The MSA commitment's salt.
    pub msa_salt: Fr,
    /// Period start (day number).
    pub period_start: Fr,
    /// Period end (day number, exclusive).
    pub period_end: Fr,
    /// The records, padded to a multiple of three at least `U`.
    pub records: Vec<RecordAssignment>,
    /// The usage commitment's salt.
    pub usage_salt: Fr,
    /// `k` of `state_before`.
    pub index: Fr,
    /// `state_before`'s salt.
    pub before_salt: Fr,
    /// `state_after`'s salt.
    pub after_salt: Fr,
    /// `id_fe(invoice number)`.
    pub number: Fr,
    /// The invoice commitment's salt.
    pub invoice_salt: Fr,
}

/// Everything the Seller opens to prove one invoice.
#[derive(Clone, Copy, Debug)]
pub struct InvoiceOpening<'a> {
    /// The MSA.
    pub msa: &'a Msa,
    /// Its commitment's salt.
    pub msa_salt: &'a Salt,
    /// The period's usage.
    pub usage: &'a Usage,
    /// Its commitment's salt.
    pub usage_salt: &'a Salt,
    /// The state the period starts from.
    pub before: &'a VolumeState,
    /// Its salt.
    pub before_salt: &'a Salt,
    /// The invoice (the reference rater's, for an honest prover).
    pub invoice: &'a Invoice,
    /// Its salt.
    pub invoice_salt: &'a Salt,
    /// The state the period ends with (the rater's).
    pub after: &'a VolumeState,
    /// Its salt.
    pub after_salt: &'a Salt,
}

impl InvoiceOpening<'_> {
    /// The public inputs: the five commitments, computed natively.
    pub fn public_inputs(&self, shape: Shape) -> Result<InvoicePublicInputs, Error> {
        let msa_c = commit::msa_commitment(self.msa, shape, self.msa_salt)?;
        Ok(InvoicePublicInputs {
            msa_commitment: msa_c.0,
            usage_commitment: commit::usage_commitment(msa_c, self.msa, self.usage, shape, self.usage_salt)?
                .0,
            state_before: commit::state_commitment(msa_c, self.before, shape, self.before_salt)?.0,
            state_after: commit::state_commitment(msa_c, self.after, shape, self.after_salt)?.0,
            invoice_commitment: commit::invoice_commitment(self.invoice, shape, self.invoice_salt)?.0,
        })
    }
}

impl SlotAssignment {
    /// An all-zero slot of `tiers` tiers, for key generation.
    pub fn blank(tiers: usize) -> Self {
        let zero = Fr::from(0u64);
        Self {
            product: zero,
            model: zero,
            fee: zero,
            ordered: zero,
            thresholds: vec![zero; tiers],
            prices: vec![zero; tiers],
            cumulative: vec![zero; tiers],
            volume_before: zero,
            quantity: zero,
        }
    }

    /// Product slot `slot` of `o.msa` padded to `shape`, with the period's `quantity` of it; the
    /// cumulative prices are computed from the padded table (padding tiers included).
    fn new(shape: Shape, o: &InvoiceOpening<'_>, slot: usize, quantity: u128) -> Self {
        let before = o.before.volumes.get(slot).copied().unwrap_or(0);
        Self::of(o.msa, shape.tiers, slot, before, quantity)
    }

    /// Every value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = vec![
            ("product".into(), &mut self.product),
            ("model".into(), &mut self.model),
            ("fee".into(), &mut self.fee),
            ("ordered".into(), &mut self.ordered),
            ("volume before".into(), &mut self.volume_before),
            ("quantity".into(), &mut self.quantity),
        ];
        for (j, v) in self.thresholds.iter_mut().enumerate() {
            out.push((format!("threshold {j}"), v));
        }
        for (j, v) in self.prices.iter_mut().enumerate() {
            out.push((format!("price {j}"), v));
        }
        for (j, v) in self.cumulative.iter_mut().enumerate() {
            out.push((format!("cumulative {j}"), v));
        }
        out
    }

    /// Product slot `slot` of `msa` padded to `tiers`, from the cumulative volume `volume_before`
    /// with the period's `quantity`; the cumulative prices are computed from the padded table
    /// (padding tiers included). A slot beyond the MSA's products is all zero.
    pub fn of(msa: &Msa, tiers: usize, slot: usize, volume_before: u64, quantity: u128) -> Self {
        let p = msa.products.get(slot);
        let table = p.map_or(&[][..], |p| &p.tiers[..]);
        let thresholds: Vec<Fr> = (0..tiers)
            .map(|j| match (j, table.get(j)) {
                (_, Some(t)) => int_fe(t.threshold),
                (0, None) => int_fe(0u64),
                (_, None) => int_fe(PAD_THRESHOLD),
            })
            .collect();
        let prices: Vec<Fr> = (0..tiers)
            .map(|j| int_fe(table.get(j).map_or(0, |t| t.price_nano)))
            .collect();
        let mut cumulative = vec![Fr::from(0u64); tiers];
        for j in 1..tiers {
            cumulative[j] = cumulative[j - 1] + prices[j - 1] * (thresholds[j] - thresholds[j - 1]);
        }
        let (fee, ordered) = p
            .and_then(|p| p.recurring)
            .map_or((0, 0), |r| (r.fee_nano, r.ordered_quantity));
        Self {
            product: p.map_or(Fr::from(0u64), |p| id_fe(&p.id)),
            model: int_fe(p.map_or(model_code::NONE, |p| p.model.code())),
            fee: int_fe(fee),
            ordered: int_fe(ordered),
            thresholds,
            prices,
            cumulative,
            volume_before: int_fe(volume_before),
            quantity: int_fe(quantity),
        }
    }
}

impl InvoiceAssignment {
    /// An all-zero assignment of `shape`, for key generation.
    pub fn blank(shape: Shape) -> Self {
        let zero = Fr::from(0u64);
        let slot = SlotAssignment::blank(shape.tiers);
        Self {
            shape,
            seller: zero,
            buyer: zero,
            msa_id: zero,
            currency: zero,
            minor_digits: zero,
            tax_ppm: zero,
            net_days: zero,
            valid_from: zero,
            valid_until: zero,
            msa_text: zero,
            slots: vec![slot; shape.products],
            msa_salt: zero,
            period_start: zero,
            period_end: zero,
            records: vec![
                RecordAssignment {
                    slot: zero,
                    quantity: zero
                };
                record_capacity(shape)
            ],
            usage_salt: zero,
            index: zero,
            before_salt: zero,
            after_salt: zero,
            number: zero,
            invoice_salt: zero,
        }
    }

    /// The witness for `opening`, padded to `shape`.
    ///
    /// The invoice itself enters only through its number and salt: amounts are recomputed in the
    /// circuit, so an invoice that differs from the computation fails its commitment.
    pub fn new(shape: Shape, o: &InvoiceOpening<'_>) -> Result<Self, Error> {
        let msa = o.msa;
        shape.check(msa.need(o.usage.records.len()))?;
        if o.before.volumes.len() != msa.products.len() {
            return Err(Error::invalid("state", "the state's products are not the MSA's"));
        }
        let records = o.usage.records.iter().map(|r| (r.slot, r.quantity));
        let quantities = aggregate::totals(records, shape.products);
        let slots = quantities
            .iter()
            .enumerate()
            .map(|(slot, &quantity)| SlotAssignment::new(shape, o, slot, quantity))
            .collect();
        let mut records: Vec<RecordAssignment> = o
            .usage
            .records
            .iter()
            .map(|r| RecordAssignment {
                slot: int_fe(r.slot as u64),
                quantity: int_fe(r.quantity),
            })
            .collect();
        records.resize(
            record_capacity(shape),
            RecordAssignment {
                slot: Fr::from(0u64),
                quantity: Fr::from(0u64),
            },
        );
        Ok(Self {
            shape,
            seller: id_fe(&msa.seller.id),
            buyer: id_fe(&msa.buyer.id),
            msa_id: id_fe(&msa.id),
            currency: int_fe(msa.currency.numeric()),
            minor_digits: int_fe(msa.currency.minor_digits()),
            tax_ppm: int_fe(msa.tax_ppm),
            net_days: int_fe(msa.net_days),
            valid_from: int_fe(day_number(msa.valid_from)),
            valid_until: int_fe(day_number(msa.valid_until)),
            msa_text: msa_text_fe(msa),
            slots,
            msa_salt: o.msa_salt.to_fe(),
            period_start: int_fe(day_number(o.usage.period.start)),
            period_end: int_fe(day_number(o.usage.period.end)),
            records,
            usage_salt: o.usage_salt.to_fe(),
            index: int_fe(o.before.index),
            before_salt: o.before_salt.to_fe(),
            after_salt: o.after_salt.to_fe(),
            number: id_fe(&o.invoice.number),
            invoice_salt: o.invoice_salt.to_fe(),
        })
    }

    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = vec![
            ("seller".into(), &mut self.seller),
            ("buyer".into(), &mut self.buyer),
            ("msa id".into(), &mut self.msa_id),
            ("currency".into(), &mut self.currency),
            ("minor digits".into(), &mut self.minor_digits),
            ("tax ppm".into(), &mut self.tax_ppm),
            ("net days".into(), &mut self.net_days),
            ("valid from".into(), &mut self.valid_from),
            ("valid until".into(), &mut self.valid_until),
            ("msa text".into(), &mut self.msa_text),
            ("msa salt".into(), &mut self.msa_salt),
            ("period start".into(), &mut self.period_start),
            ("period end".into(), &mut self.period_end),
            ("usage salt".into(), &mut self.usage_salt),
            ("index".into(), &mut self.index),
            ("before salt".into(), &mut self.before_salt),
            ("after salt".into(), &mut self.after_salt),
            ("invoice number".into(), &mut self.number),
            ("invoice salt".into(), &mut self.invoice_salt),
        ];
        for (i, s) in self.slots.iter_mut().enumerate() {
            out.extend(
                s.values_mut()
                    .into_iter()
                    .map(|(l, v)| (format!("slot {i} {l}"), v)),
            );
        }
        for (i, r) in self.records.iter_mut().enumerate() {
            out.push((format!("record {i} slot"), &mut r.slot));
            out.push((format!("record {i} quantity"), &mut r.quantity));
        }
        out
    }
}

/// Records the circuit holds for a shape: `U` rounded up to whole packed elements.
pub const fn record_capacity(shape: Shape) -> usize {
    usage_record_elements(shape) * RECORDS_PER_ELEMENT
}
