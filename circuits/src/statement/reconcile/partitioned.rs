//! The reconciliation of two partitioned invoices, built natively: the public values, the verdict
//! and the witness of every block and of the link ([`super::block`], [`super::link`]).

use zkinvoice_verifier::partition::reconcile::{PartitionedReconcilePublic, Shares};

use super::{
    block::{ReconcileBlockAssignment, ReconcileBlockCircuit},
    link::{ReconcileLinkAssignment, ReconcileLinkCircuit},
};
use crate::{
    commit::{
        msa::{msa_header_fields, msa_inner_text_fe, msa_terms_fields, threshold_fields, MSA_TERMS_LEN},
        scheme::commit_fields,
        Salt,
    },
    encoding::{day_number, tag, tag_fe},
    model::{
        invoice::{Invoice, InvoiceSlot},
        msa::Msa,
    },
    native::{
        poseidon,
        reconcile::{reconcile, Reconciliation},
        ring::{reconcile_masks, seed_commitment},
    },
    partition::{
        parts::{
            invoice_block_fields, invoice_head_fields, invoice_parts, msa_block_fields, msa_parts,
            INVOICE_HEAD_LEN,
        },
        salt::{derive, Part},
        PartitionShape,
    },
    Error, Fr,
};

/// What the reconciliation of two partitioned invoices opens: the MSA and the two invoices, each
/// with the salt of its document, and the seed of the rings' masks (a fresh secret of the prover;
/// only its commitment is public).
pub struct PartitionedReconcileOpening<'a> {
    /// The partition shape (the MSA's and both invoices').
    pub shape: PartitionShape,
    /// The MSA.
    pub msa: &'a Msa,
    /// Its salt.
    pub msa_salt: &'a Salt,
    /// The Seller's invoice and its salt.
    pub seller: (&'a Invoice, &'a Salt),
    /// The invoice rated from the Buyer's measurement and its salt.
    pub buyer: (&'a Invoice, &'a Salt),
    /// The rings' seed.
    pub seed: Fr,
}

/// The reconciliation of two partitioned invoices: its public values, the verdict they state and
/// every proof's circuit. Secret (the circuits hold the witness): it is not `Debug`.
pub struct PartitionedReconcile {
    /// Every public value.
    pub public: PartitionedReconcilePublic,
    /// The native verdict (its products padded to `nb · Pb` slots in `public`).
    pub verdict: Reconciliation,
    /// Block `j`'s circuit.
    pub blocks: Vec<ReconcileBlockCircuit>,
    /// The link's circuit.
    pub link: ReconcileLinkCircuit,
}

impl PartitionedReconcileOpening<'_> {
    /// Reconciles the two invoices natively ([`reconcile`], which refuses an MSA without
    /// thresholds, invoices of another MSA, parties, currency or period, and an invoice that does
    /// not bill every product in slot order) and builds every public value and witness.
    pub fn build(&self) -> Result<PartitionedReconcile, Error> {
        let (msa, shape) = (self.msa, self.shape);
        let verdict = reconcile(msa, self.seller.0, self.buyer.0)?;
        let msa_parts = msa_parts(msa, shape, self.msa_salt)?;
        let nb = msa_parts.parts.len();
        let pb = shape.block_products;
        let invoices = [self.seller, self.buyer];
        let [seller, buyer] = invoices.map(|(inv, salt)| invoice_parts(inv, shape, salt));
        let [seller_slots, buyer_slots] = invoices.map(|(inv, _)| inv.slots());
        let slots = [seller_slots?, buyer_slots?];

        let thresholds = self.thresholds(nb);
        let chain = self.chain(&thresholds, nb);
        let chain_salts: Vec<Salt> = (0..=nb)
            .map(|j| derive(self.msa_salt, Part::ThresholdChain, j))
            .collect();
        let (totals, sums) = self.rings(&slots, nb);

        let mut products_over = verdict.products.clone();
        products_over.resize(nb * pb, false);
        let public = PartitionedReconcilePublic {
            sizes: shape.sizes(),
            msa: msa_parts,
            seller: seller?,
            buyer: buyer?,
            chains: chain
                .iter()
                .zip(&chain_salts)
                .map(|(c, r)| commit_fields(tag::MSA_THRESHOLD_CHAIN, &[*c], r).0)
                .collect(),
            seed: seed_commitment(self.seed),
            sums,
            products_over,
            usage_over: verdict.usage,
            recurring_over: verdict.recurring,
            total_over: verdict.invoice,
            period_start: day_number(self.seller.0.period.start),
            period_end: day_number(self.seller.0.period.end),
        };

        let blocks = (0..nb)
            .map(|j| ReconcileBlockCircuit {
                public: public.block_inputs(j),
                assignment: ReconcileBlockAssignment {
                    shape,
                    msa_slots: msa_block_fields(msa, shape, j),
                    msa_salt: derive(self.msa_salt, Part::MsaBlock, j).to_fe(),
                    thresholds: thresholds[j * pb..(j + 1) * pb].to_vec(),
                    chain_in: chain[j],
                    chain_salts: [chain_salts[j].to_fe(), chain_salts[j + 1].to_fe()],
                    invoices: [0, 1].map(|k| invoice_block_fields(&slots[k], shape, j)),
                    invoice_salts: [0, 1].map(|k| derive(invoices[k].1, Part::InvoiceBlock, j).to_fe()),
                    seed: self.seed,
                },
            })
            .collect();
        let link = ReconcileLinkCircuit {
            public: public.link_inputs(),
            assignment: self.link(chain[nb], chain_salts[nb].to_fe(), totals),
        };
        Ok(PartitionedReconcile {
            public,
            verdict,
            blocks,
            link,
        })
    }

    /// Per slot of `nb` blocks its product's threshold's fields (zeros for none and beyond the
    /// MSA's products).
    fn thresholds(&self, nb: usize) -> Vec<[Fr; 3]> {
        let products = self
            .msa
            .terms
            .dispute_thresholds
            .as_ref()
            .map_or(&[][..], |d| &d.products[..]);
        (0..nb * self.shape.block_products)
            .map(|i| threshold_fields(products.get(i).copied().flatten()))
            .collect()
    }

    /// The thresholds' chain before block 0 and after each block: the chain of
    /// [`crate::commit::msa::product_thresholds_fe`] over the MSA's products, stopped at each
    /// block's end.
    fn chain(&self, thresholds: &[[Fr; 3]], nb: usize) -> Vec<Fr> {
        let pb = self.shape.block_products;
        let mut chain = vec![tag_fe(tag::MSA_THRESHOLDS)];
        for j in 0..nb {
            let end = ((j + 1) * pb).min(self.msa.products.len());
            let c = thresholds[j * pb..end.max(j * pb)]
                .iter()
                .fold(chain[j], |c, [a, b, d]| poseidon::hash(&[c, *a, *b, *d]));
            chain.push(c);
        }
        chain
    }

    /// The four sums (the Seller's usage and recurring charges, the Buyer's) and each ring's
    /// masked shares: per block `sum_j + M(j) - M(j + 1)`, the link's `-sum + M(nb) - M(0)`.
    fn rings(&self, slots: &[Vec<InvoiceSlot>; 2], nb: usize) -> ([u128; 4], [Shares; 4]) {
        let pb = self.shape.block_products;
        let block_sums: Vec<[u128; 4]> = (0..nb)
            .map(|j| {
                let sum = |k: usize, f: fn(&InvoiceSlot) -> u64| -> u128 {
                    slots[k]
                        .iter()
                        .skip(j * pb)
                        .take(pb)
                        .map(|s| u128::from(f(s)))
                        .sum()
                };
                [
                    sum(0, |s| s.usage_amount),
                    sum(0, |s| s.recurring_amount),
                    sum(1, |s| s.usage_amount),
                    sum(1, |s| s.recurring_amount),
                ]
            })
            .collect();
        let totals: [u128; 4] = std::array::from_fn(|r| block_sums.iter().map(|s| s[r]).sum());
        let masks: Vec<[Fr; 4]> = (0..=nb as u64).map(|i| reconcile_masks(self.seed, i)).collect();
        let shares = std::array::from_fn(|r| {
            let mut shares: Vec<Fr> = (0..nb)
                .map(|j| Fr::from(block_sums[j][r]) + masks[j][r] - masks[j + 1][r])
                .collect();
            shares.push(masks[nb][r] - masks[0][r] - Fr::from(totals[r]));
            Shares(shares)
        });
        (totals, shares)
    }

    /// The link's witness: the MSA's head with its terms and `chain` (committed under
    /// `chain_salt`), both invoices' heads, the four sums.
    fn link(&self, chain: Fr, chain_salt: Fr, totals: [u128; 4]) -> ReconcileLinkAssignment {
        let header = msa_header_fields(self.msa);
        let terms = msa_terms_fields(&self.msa.terms);
        debug_assert_eq!(terms.len(), MSA_TERMS_LEN);
        debug_assert_eq!(terms[MSA_TERMS_LEN - 1], chain, "the blocks' chain is the MSA's");
        let three = |k: usize| [terms[k], terms[k + 1], terms[k + 2]];
        let invoices = [self.seller, self.buyer];
        let head = |k: usize| -> [Fr; INVOICE_HEAD_LEN] {
            let fields = invoice_head_fields(invoices[k].0);
            std::array::from_fn(|i| fields[i])
        };
        ReconcileLinkAssignment {
            msa_header: std::array::from_fn(|i| header[i]),
            head_salt: derive(self.msa_salt, Part::MsaHead, 0).to_fe(),
            text: msa_inner_text_fe(self.msa),
            terms: three(0),
            kind_thresholds: [three(4), three(7), three(10)],
            chain,
            chain_salt,
            invoices: [head(0), head(1)],
            invoice_salts: [0, 1].map(|k| derive(invoices[k].1, Part::InvoiceHead, 0).to_fe()),
            sums: totals.map(Fr::from),
            seed: self.seed,
        }
    }
}
