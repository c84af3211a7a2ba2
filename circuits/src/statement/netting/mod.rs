//! The netting statement (`docs/lifecycle.md`, issue 16, MEF 114 §8.6.3): two invoices of one
//! period in opposite directions between the same two parties, and the net amount one pays the
//! other, without revealing either total or the net.
//!
//! Public inputs: [`NettingPublicInputs`]. The circuit proves that the witness opens the two
//! invoice commitments (v1 invoice bodies of one shape); that the first's seller is the second's
//! buyer and the first's buyer the second's seller, under different agreements, in one currency,
//! both of the public period; that `payer` is a bit and the net is `first - second` when it is 0,
//! `second - first` (at least 1) when it is 1, below `2^64` ([`crate::native::netting`], its
//! twin); and that the netting commitment opens to the net, the currency and the two invoice
//! commitments.
//!
//! Constraint count: [`cost`], per part in `params/netting-costs.csv`.
//!
//! [`heads`]: the same statement over two partitioned (v2) invoices' heads.

use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::NettingPublicInputs;

use crate::{
    commit::{
        invoice::{invoice_body_len, invoice_commitment, invoice_fields},
        netting::{net_commitment, NETTING_BODY_LEN},
        Salt,
    },
    encoding::{day_number, int_fe, tag},
    gadgets::{
        poseidon::{commit, commit_cost},
        range, witness,
    },
    model::invoice::Invoice,
    native::netting::{net, Netting},
    Error, Fr, Shape,
};

pub mod heads;

pub use heads::{
    heads_cost, HeadsNettingAssignment, HeadsNettingCircuit, HEADS, HEADS_SHAPE, HEADS_STATEMENT,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/netting/v1";

/// Bits of an invoice's total and of the net.
const AMOUNT_BITS: usize = 64;

/// The netting statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NettingCost {
    /// The two invoices opened: their commitments and equalities, the totals' ranges.
    pub invoices: usize,
    /// The two invoices' agreement: parties crossed, different agreements, one currency, the
    /// public period.
    pub agree: usize,
    /// The net: the payer's bit, the difference with its sign, the net's range, its commitment.
    pub net: usize,
}

impl NettingCost {
    /// Total constraints.
    pub const fn total(&self) -> usize {
        self.invoices + self.agree + self.net
    }
}

/// Constraints of the netting statement at `shape`.
pub const fn cost(shape: Shape) -> NettingCost {
    NettingCost {
        invoices: 2 * (commit_cost(invoice_body_len(shape)) + 1 + range::cost(AMOUNT_BITS)),
        // Two parties, the agreements differ (one constraint), currency (2), period (4).
        agree: 2 + 1 + 2 + 4,
        // The bit (1) and its equality with the input (1), the net's range (64), the signed
        // difference (1), the commitment and its equality.
        net: 1 + 1 + range::witness_cost(AMOUNT_BITS) + 1 + commit_cost(NETTING_BODY_LEN) + 1,
    }
}

/// The netting statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct NettingAssignment {
    /// The shape both invoices are committed at.
    pub shape: Shape,
    /// The first and second invoice bodies ([`invoice_fields`]).
    pub invoices: [Vec<Fr>; 2],
    /// Their salts.
    pub invoice_salts: [Fr; 2],
    /// The net amount.
    pub net: Fr,
    /// The netting commitment's salt.
    pub net_salt: Fr,
}

impl NettingAssignment {
    /// An all-zero assignment of `shape`, for key generation.
    pub fn blank(shape: Shape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            shape,
            invoices: [
                vec![zero; invoice_body_len(shape)],
                vec![zero; invoice_body_len(shape)],
            ],
            invoice_salts: [zero; 2],
            net: zero,
            net_salt: zero,
        }
    }

    /// The witness and public inputs of netting `first` against `second` (each with the salt of
    /// its commitment at `shape`), the net committed under `net_salt`, with the native netting
    /// they prove. Refuses what [`net`] refuses, and invoices beyond the shape.
    pub fn new(
        shape: Shape,
        first: (&Invoice, &Salt),
        second: (&Invoice, &Salt),
        net_salt: &Salt,
    ) -> Result<(Self, NettingPublicInputs, Netting), Error> {
        let netting = net(first.0, second.0)?;
        let commitments = [
            invoice_commitment(first.0, shape, first.1)?.0,
            invoice_commitment(second.0, shape, second.1)?.0,
        ];
        let body =
            |inv: &Invoice| -> Result<Vec<Fr>, Error> { Ok(invoice_fields(inv, &inv.slots()?, shape)) };
        let assignment = Self {
            shape,
            invoices: [body(first.0)?, body(second.0)?],
            invoice_salts: [first.1.to_fe(), second.1.to_fe()],
            net: int_fe(netting.net),
            net_salt: net_salt.to_fe(),
        };
        let public = NettingPublicInputs {
            first_invoice: commitments[0],
            second_invoice: commitments[1],
            net_commitment: net_commitment(netting.net, &first.0.currency, commitments, net_salt).0,
            payer: Fr::from(netting.payer.bit()),
            period_start: int_fe(day_number(first.0.period.start)),
            period_end: int_fe(day_number(first.0.period.end)),
        };
        Ok((assignment, public, netting))
    }

    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        labelled(
            (&mut self.invoices, &mut self.invoice_salts, "body"),
            &mut self.net,
            &mut self.net_salt,
        )
    }
}

/// Every value of a netting's witness with a label: each invoice's opened fields (`what`) and
/// salt, the net and its salt.
pub(crate) fn labelled<'a>(
    (bodies, salts, what): (&'a mut [Vec<Fr>; 2], &'a mut [Fr; 2], &str),
    net: &'a mut Fr,
    net_salt: &'a mut Fr,
) -> Vec<(String, &'a mut Fr)> {
    let mut out: Vec<(String, &mut Fr)> = Vec::new();
    for (k, (body, salt)) in bodies.iter_mut().zip(salts).enumerate() {
        for (i, v) in body.iter_mut().enumerate() {
            out.push((format!("invoice {k} {what} {i}"), v));
        }
        out.push((format!("invoice {k} {what} salt"), salt));
    }
    out.push(("net".into(), net));
    out.push(("net salt".into(), net_salt));
    out
}

/// The netting's public inputs, all zero (for key generation).
pub(crate) fn blank_public() -> NettingPublicInputs {
    let zero = Fr::from(0u64);
    NettingPublicInputs {
        first_invoice: zero,
        second_invoice: zero,
        net_commitment: zero,
        payer: zero,
        period_start: zero,
        period_end: zero,
    }
}

/// The netting statement of one v1 shape.
#[derive(Clone)]
pub struct NettingCircuit {
    /// The public inputs.
    pub public: NettingPublicInputs,
    /// The witness.
    pub assignment: NettingAssignment,
}

impl NettingCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank(shape: Shape) -> Self {
        Self {
            public: blank_public(),
            assignment: NettingAssignment::blank(shape),
        }
    }
}

/// Opens invoice `body` (a v1 body or a v2 head, committed under `tag`) against `commitment`; its
/// fields and its total (range-checked).
pub(crate) fn open(
    cs: &ConstraintSystemRef<Fr>,
    tag: &str,
    body: &[Fr],
    salt: Fr,
    commitment: &FpVar<Fr>,
) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
    let b = body
        .iter()
        .map(|v| witness(cs, *v))
        .collect::<Result<Vec<_>, _>>()?;
    commit(cs, tag, &b, &witness(cs, salt)?)?.enforce_equal(commitment)?;
    range::enforce_bits(&b[b.len() - 1], AMOUNT_BITS)?;
    Ok(b)
}

impl ConstraintSynthesizer<Fr> for NettingCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let [first_c, second_c, net_c, payer_pub, start, end] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let (first_c, second_c) = (first_c?, second_c?);
        let f = open(&cs, tag::INVOICE, &a.invoices[0], a.invoice_salts[0], &first_c)?;
        let s = open(&cs, tag::INVOICE, &a.invoices[1], a.invoice_salts[1], &second_c)?;
        agree_and_net(
            &cs,
            [&f, &s],
            Public {
                invoices: [first_c, second_c],
                net_commitment: net_c?,
                payer: payer_pub?,
                period: [start?, end?],
                payer_value: self.public.payer,
            },
            (a.net, a.net_salt),
        )
    }
}

/// The public inputs the netting's core constrains, allocated.
pub(crate) struct Public {
    /// The two invoice commitments the net commitment binds.
    pub invoices: [FpVar<Fr>; 2],
    /// `netCommitment`.
    pub net_commitment: FpVar<Fr>,
    /// `payer`.
    pub payer: FpVar<Fr>,
    /// The period's two days.
    pub period: [FpVar<Fr>; 2],
    /// `payer`'s value, for the witness bit.
    pub payer_value: Fr,
}

/// The netting's core over two opened invoices' fields (`f`, `s`: a v1 body or a v2 head, whose
/// first eleven fields are the header's and whose last is the total): parties crossed, different
/// agreements, one currency, the public period; the payer's bit and the net; the netting
/// commitment of the net, the currency and `public.invoices` under the witness salt.
pub(crate) fn agree_and_net(
    cs: &ConstraintSystemRef<Fr>,
    [f, s]: [&[FpVar<Fr>]; 2],
    public: Public,
    (net_value, net_salt): (Fr, Fr),
) -> Result<(), SynthesisError> {
    f[0].enforce_equal(&s[1])?;
    f[1].enforce_equal(&s[0])?;
    f[2].enforce_not_equal(&s[2])?;
    f[8].enforce_equal(&s[8])?;
    f[9].enforce_equal(&s[9])?;
    let [start, end] = &public.period;
    for b in [f, s] {
        b[4].enforce_equal(start)?;
        b[5].enforce_equal(end)?;
    }

    // The payer's bit; the net: `payer + d` with `d < 2^64`, equal to the signed difference.
    let payer = Boolean::new_witness(cs.clone(), || Ok(public.payer_value == Fr::from(1u64)))?;
    FpVar::from(payer.clone()).enforce_equal(&public.payer)?;
    let payer = FpVar::from(payer);
    let (d, _) = range::witness_bits(cs, Ok(net_value - public.payer_value), AMOUNT_BITS)?;
    let net = &d + &payer;
    let diff = &f[f.len() - 1] - &s[s.len() - 1];
    let sign = FpVar::one() - payer.double()?;
    diff.mul_equals(&sign, &net)?;

    // The netting commitment.
    let [first, second] = public.invoices;
    let body = [net, f[8].clone(), f[9].clone(), first, second];
    commit(cs, tag::NETTING, &body, &witness(cs, net_salt)?)?.enforce_equal(&public.net_commitment)
}
