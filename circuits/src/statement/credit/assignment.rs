//! The credit-note statement's witness, built natively from the model.

use chrono::NaiveDate;
use zkinvoice_verifier::CreditPublicInputs;

use crate::{
    commit::{
        invoice::{invoice_body_len, invoice_commitment, invoice_fields},
        msa::{
            msa_body_len, msa_commitment, msa_fields, msa_plain_text_fe, msa_terms_fields, sla_band_fields,
            MSA_HEADER_LEN, MSA_TERMS_LEN, SLA_BANDS_LEN,
        },
        sla::{credit_commitment, sla_commitment, CreditBody},
        Salt,
    },
    encoding::{day_number, id_fe, int_fe},
    model::{invoice::Invoice, msa::Msa, performance::Sla},
    native::credit::{credit_note, CreditNote},
    Error, Fr, Shape,
};

/// The credit-note statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct CreditAssignment {
    /// The shape.
    pub shape: Shape,
    /// The MSA commitment's header ([`msa_fields`]) but its text element, which the circuit
    /// recomputes.
    pub msa_header: [Fr; MSA_HEADER_LEN - 1],
    /// The MSA commitment's product slots.
    pub msa_slots: Vec<Fr>,
    /// The MSA commitment's salt.
    pub msa_salt: Fr,
    /// The element of the MSA's descriptive text alone ([`msa_plain_text_fe`]).
    pub text: Fr,
    /// Per product slot, its bands ([`sla_band_fields`]).
    pub bands: Vec<[Fr; SLA_BANDS_LEN]>,
    /// Whether the MSA sets terms after the invoice around its service levels.
    pub has_terms: bool,
    /// Those terms ([`msa_terms_fields`]; zeros when it sets none).
    pub terms: [Fr; MSA_TERMS_LEN],
    /// Per product slot, the measured availability (ppm; 0 without a service level).
    pub availability: Vec<Fr>,
    /// The SLA commitment's salt.
    pub sla_salt: Fr,
    /// The invoice body ([`invoice_fields`]).
    pub invoice: Vec<Fr>,
    /// Its salt.
    pub invoice_salt: Fr,
    /// The note's number ([`id_fe`]).
    pub number: Fr,
    /// The note's date (days since 1970-01-01).
    pub issue_day: Fr,
    /// The credit-note commitment's salt.
    pub credit_salt: Fr,
}

/// The salts of the four commitments a credit note's proof opens.
#[derive(Clone, Copy)]
pub struct CreditSalts<'a> {
    /// The MSA commitment's.
    pub msa: &'a Salt,
    /// The SLA commitment's.
    pub sla: &'a Salt,
    /// The invoice commitment's.
    pub invoice: &'a Salt,
    /// The credit note's.
    pub credit: &'a Salt,
}

impl CreditAssignment {
    /// An all-zero assignment of `shape`, for key generation.
    pub fn blank(shape: Shape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            shape,
            msa_header: [zero; MSA_HEADER_LEN - 1],
            msa_slots: vec![zero; msa_body_len(shape) - MSA_HEADER_LEN],
            msa_salt: zero,
            text: zero,
            bands: vec![[zero; SLA_BANDS_LEN]; shape.products],
            has_terms: false,
            terms: [zero; MSA_TERMS_LEN],
            availability: vec![zero; shape.products],
            sla_salt: zero,
            invoice: vec![zero; invoice_body_len(shape)],
            invoice_salt: zero,
            number: zero,
            issue_day: zero,
            credit_salt: zero,
        }
    }

    /// The witness and public inputs of the credit note numbered `number`, dated `issue_date`,
    /// of `invoice` under `msa` with the period's SLA performance `sla`, at `shape`, with the
    /// native note they prove. Refuses what [`credit_note`] refuses, and inputs beyond the shape.
    pub fn new(
        msa: &Msa,
        shape: Shape,
        invoice: &Invoice,
        sla: &Sla,
        (number, issue_date): (&str, NaiveDate),
        salts: CreditSalts<'_>,
    ) -> Result<(Self, CreditPublicInputs, CreditNote), Error> {
        let note = credit_note(msa, invoice, sla, number, issue_date)?;
        let msa_c = msa_commitment(msa, shape, salts.msa)?;
        let sla_c = sla_commitment(msa_c, msa, sla, shape, salts.sla)?;
        let invoice_c = invoice_commitment(invoice, shape, salts.invoice)?;
        let credit_c = credit_commitment(&CreditBody::of(&note, shape), invoice_c, salts.credit);
        let levels = msa
            .terms
            .service_levels
            .as_ref()
            .map_or(&[][..], |l| &l.products[..]);
        let msa_body = msa_fields(msa, shape);
        let has_terms = msa.terms.has_settlement_terms();
        let terms = msa_terms_fields(&msa.terms);
        let assignment = Self {
            shape,
            msa_header: std::array::from_fn(|i| msa_body[i]),
            msa_slots: msa_body[MSA_HEADER_LEN..].to_vec(),
            msa_salt: salts.msa.to_fe(),
            text: msa_plain_text_fe(msa),
            bands: (0..shape.products)
                .map(|i| sla_band_fields(levels.get(i).and_then(Option::as_ref)))
                .collect(),
            has_terms,
            // Unused without terms, and zero then (the circuit binds them so).
            terms: std::array::from_fn(|i| if has_terms { terms[i] } else { Fr::from(0u64) }),
            availability: (0..shape.products)
                .map(|i| int_fe(sla.availability.get(i).copied().flatten().unwrap_or(0)))
                .collect(),
            sla_salt: salts.sla.to_fe(),
            invoice: invoice_fields(invoice, &invoice.slots()?, shape),
            invoice_salt: salts.invoice.to_fe(),
            number: id_fe(number),
            issue_day: int_fe(day_number(issue_date)),
            credit_salt: salts.credit.to_fe(),
        };
        let public = CreditPublicInputs {
            msa_commitment: msa_c.0,
            invoice_commitment: invoice_c.0,
            sla_commitment: sla_c.0,
            credit_commitment: credit_c.0,
            period_start: int_fe(day_number(invoice.period.start)),
            period_end: int_fe(day_number(invoice.period.end)),
        };
        Ok((assignment, public, note))
    }

    /// Every assigned value with a label, for tests that change one at a time (the `has_terms`
    /// bit apart).
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = Vec::new();
        for (i, v) in self.msa_header.iter_mut().enumerate() {
            out.push((format!("msa header {i}"), v));
        }
        for (i, v) in self.msa_slots.iter_mut().enumerate() {
            out.push((format!("msa slots {i}"), v));
        }
        out.push(("msa salt".into(), &mut self.msa_salt));
        out.push(("text".into(), &mut self.text));
        for (i, b) in self.bands.iter_mut().enumerate() {
            for (j, v) in b.iter_mut().enumerate() {
                out.push((format!("bands {i}.{j}"), v));
            }
        }
        for (i, v) in self.terms.iter_mut().enumerate() {
            out.push((format!("terms {i}"), v));
        }
        for (i, v) in self.availability.iter_mut().enumerate() {
            out.push((format!("availability {i}"), v));
        }
        out.push(("sla salt".into(), &mut self.sla_salt));
        for (i, v) in self.invoice.iter_mut().enumerate() {
            out.push((format!("invoice body {i}"), v));
        }
        out.push(("invoice salt".into(), &mut self.invoice_salt));
        out.push(("number".into(), &mut self.number));
        out.push(("issue day".into(), &mut self.issue_day));
        out.push(("credit salt".into(), &mut self.credit_salt));
        out
    }
}
