//! The reconciliation statement's witness, built natively from the model.

use zkinvoice_verifier::ReconcilePublicInputs;

use crate::{
    commit::{
        invoice::{invoice_body_len, invoice_commitment, invoice_fields},
        msa::{
            msa_body_len, msa_commitment, msa_fields, msa_inner_text_fe, msa_terms_fields, threshold_fields,
            MSA_HEADER_LEN, MSA_TERMS_LEN,
        },
        Salt,
    },
    encoding::{day_number, int_fe},
    model::{invoice::Invoice, msa::Msa},
    native::reconcile::{reconcile, Reconciliation},
    Error, Fr, Shape,
};

/// The reconciliation statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ReconcileAssignment {
    /// The shape.
    pub shape: Shape,
    /// The MSA commitment's header ([`msa_fields`]) but its text element, which the circuit
    /// recomputes from [`Self::text`] and the terms.
    pub msa_header: [Fr; MSA_HEADER_LEN - 1],
    /// The MSA commitment's product slots ([`msa_fields`] after the header).
    pub msa_slots: Vec<Fr>,
    /// The MSA commitment's salt.
    pub msa_salt: Fr,
    /// The element of the MSA's descriptive text inside the terms ([`msa_inner_text_fe`]).
    pub text: Fr,
    /// The terms' payment fields (method code, remit-to element) and the agreed-usage rule's code
    /// ([`msa_terms_fields`] 0-2; the circuit requires dispute thresholds, field 3, and recomputes
    /// the products' chain, the last, from [`Self::product_thresholds`]).
    pub terms: [Fr; 3],
    /// The invoice's, the usage charges' and the recurring charges' thresholds' `(flags, amount,
    /// share)` ([`msa_terms_fields`] 4-12).
    pub kind_thresholds: [[Fr; 3]; 3],
    /// Per product slot, its threshold's `(flags, amount, share)` (zeros for none).
    pub product_thresholds: Vec<[Fr; 3]>,
    /// The Seller's and the Buyer's invoice bodies ([`invoice_fields`]).
    pub invoices: [Vec<Fr>; 2],
    /// Their salts.
    pub invoice_salts: [Fr; 2],
}

impl ReconcileAssignment {
    /// An all-zero assignment of `shape`, for key generation.
    pub fn blank(shape: Shape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            shape,
            msa_header: [zero; MSA_HEADER_LEN - 1],
            msa_slots: vec![zero; msa_body_len(shape) - MSA_HEADER_LEN],
            msa_salt: zero,
            text: zero,
            terms: [zero; 3],
            kind_thresholds: [[zero; 3]; 3],
            product_thresholds: vec![[zero; 3]; shape.products],
            invoices: [
                vec![zero; invoice_body_len(shape)],
                vec![zero; invoice_body_len(shape)],
            ],
            invoice_salts: [zero; 2],
        }
    }

    /// The witness and public inputs of reconciling the Seller's invoice with the Buyer's under
    /// `msa` at `shape`, with the native verdict they prove. Refuses what
    /// [`reconcile`] refuses, and inputs beyond the shape.
    pub fn new(
        msa: &Msa,
        shape: Shape,
        msa_salt: &Salt,
        seller: (&Invoice, &Salt),
        buyer: (&Invoice, &Salt),
    ) -> Result<(Self, ReconcilePublicInputs, Reconciliation), Error> {
        let verdict = reconcile(msa, seller.0, buyer.0)?;
        let msa_c = msa_commitment(msa, shape, msa_salt)?;
        let seller_c = invoice_commitment(seller.0, shape, seller.1)?;
        let buyer_c = invoice_commitment(buyer.0, shape, buyer.1)?;
        let products = msa
            .terms
            .dispute_thresholds
            .as_ref()
            .map_or(&[][..], |d| &d.products[..]);
        let body =
            |inv: &Invoice| -> Result<Vec<Fr>, Error> { Ok(invoice_fields(inv, &inv.slots()?, shape)) };
        let msa_body = msa_fields(msa, shape);
        let terms = msa_terms_fields(&msa.terms);
        debug_assert_eq!(terms.len(), MSA_TERMS_LEN);
        let three = |k: usize| [terms[k], terms[k + 1], terms[k + 2]];
        let assignment = Self {
            shape,
            msa_header: std::array::from_fn(|i| msa_body[i]),
            msa_slots: msa_body[MSA_HEADER_LEN..].to_vec(),
            msa_salt: msa_salt.to_fe(),
            text: msa_inner_text_fe(msa),
            terms: three(0),
            kind_thresholds: [three(4), three(7), three(10)],
            product_thresholds: (0..shape.products)
                .map(|i| threshold_fields(products.get(i).copied().flatten()))
                .collect(),
            invoices: [body(seller.0)?, body(buyer.0)?],
            invoice_salts: [seller.1.to_fe(), buyer.1.to_fe()],
        };
        let public = ReconcilePublicInputs {
            msa_commitment: msa_c.0,
            seller_invoice: seller_c.0,
            buyer_invoice: buyer_c.0,
            over: Fr::from(verdict.over_bits(shape.products)),
            period_start: int_fe(day_number(seller.0.period.start)),
            period_end: int_fe(day_number(seller.0.period.end)),
        };
        Ok((assignment, public, verdict))
    }

    /// Every assigned value with a label, for tests that change one at a time.
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
        for (i, v) in self.terms.iter_mut().enumerate() {
            out.push((format!("terms {i}"), v));
        }
        for (i, t) in self.kind_thresholds.iter_mut().enumerate() {
            for (j, v) in t.iter_mut().enumerate() {
                out.push((format!("kind threshold {i}.{j}"), v));
            }
        }
        for (i, t) in self.product_thresholds.iter_mut().enumerate() {
            for (j, v) in t.iter_mut().enumerate() {
                out.push((format!("product threshold {i}.{j}"), v));
            }
        }
        for (k, (body, salt)) in self.invoices.iter_mut().zip(&mut self.invoice_salts).enumerate() {
            for (i, v) in body.iter_mut().enumerate() {
                out.push((format!("invoice {k} body {i}"), v));
            }
            out.push((format!("invoice {k} salt"), salt));
        }
        out
    }
}
