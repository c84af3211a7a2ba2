//! The demo's reconciliation (issue 16, `docs/lifecycle.md`), at a v1 shape: before a month's
//! usage is agreed, the Buyer measures it too (October: 1% less voice termination; December:
//! half the IP transit; November: the Buyer does not measure). Each party commits its measurement
//! and the invoice it rates from it (`usage-measured`); October is within every dispute
//! threshold, proven and reconciled by the Seller (`usage-reconciled`); December is over on
//! ip-transit, proven by the Buyer, who opens a dispute naming it by slot (`dispute-opened`);
//! both resolve it on the Seller's usage (`dispute-resolved`), and only then is the usage agreed.
//! The reconciliation key is the Buyer's single-party setup, which both sign (the ceremony does
//! not cover the statement yet).

use zkinvoice_anchors::{Body, KeySetup, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, UsageCommitDoc},
    native::reconcile::reconcile,
    rate, Invoice, Layout, Salt, Usage,
};
use zkinvoice_prover::reconcile::ReconcileKeys;
use zkinvoice_verifier::Fr;

use super::{example, sync, Demo};
use crate::{
    actions::commit_usage,
    cmd::reconcile::verdict_table,
    error::{anchor_err, CliError},
    report::since,
};

/// What the Buyer measured of month `k` (from 1): a product and the share of the Seller's
/// quantity, or `None` when it does not measure the month.
fn buyer_measures(k: usize) -> Option<(&'static str, u64, u64)> {
    match k {
        1 => Some(("voice-termination", 99, 100)),
        3 => Some(("ip-transit", 1, 2)),
        _ => None,
    }
}

/// `usage` with `product`'s quantities scaled by `num / den`.
fn scaled(usage: &Usage, product: &str, num: u64, den: u64) -> Usage {
    let mut u = usage.clone();
    for r in &mut u.records {
        if r.product == product {
            r.quantity = r.quantity * num / den;
        }
    }
    u
}

impl Demo {
    /// Month `k`'s reconciliation, before its usage (`usage`, committed as `agreed`: the Seller's
    /// measurement) is agreed; nothing at a partition shape, or in a month the Buyer does not
    /// measure.
    pub(super) fn reconcile(
        &mut self,
        k: usize,
        usage: &Usage,
        agreed: &UsageCommitDoc,
    ) -> Result<(), CliError> {
        let (Layout::Single(shape), Some((product, num, den))) = (self.keys.layout(), buyer_measures(k))
        else {
            return Ok(());
        };
        if self.reconcile_keys.is_none() {
            let t = std::time::Instant::now();
            let keys = ReconcileKeys::generate(shape, &mut rand::rngs::OsRng)?;
            let body = Body::statement_key_agreed(
                self.committed.commitment.0,
                keys.verifying_key(),
                KeySetup::SingleParty,
            );
            let entry = self.seller_log.append(self.both(body)).map_err(anchor_err)?;
            sync(&self.seller_log, &self.buyer_log)?;
            println!(
                "   The buyer makes the reconciliation statement's keys ({}; a single-party setup, the ceremony does not\n   cover it yet); both sign statement-key-agreed (entry {})",
                since(t),
                entry.seq
            );
            self.reconcile_keys = Some(keys);
        }
        let buyer_usage = scaled(usage, product, num, den);
        let msa_c = self.committed.commitment;
        let mut measured = Vec::new();
        for (role, u) in [(Role::Seller, usage), (Role::Buyer, &buyer_usage)] {
            let mut rng = rand::rngs::OsRng;
            let uc = match role {
                Role::Seller => agreed.clone(),
                Role::Buyer => commit_usage(&self.msa, msa_c, u, self.keys.layout(), Salt::random(&mut rng))
                    .map_err(example("usage"))?,
            };
            let number = format!("{}-measured-{k}", role.as_str());
            let invoice = rate(&self.msa, u, &self.state.state, &number)
                .map_err(example("usage"))?
                .invoice;
            let salt = Salt::random(&mut rng);
            let ic = commit::invoice_commitment(&invoice, shape, &salt).map_err(example("usage"))?;
            let body = Body::UsageMeasured {
                msa_commitment: msa_c.0,
                period_start: uc.period.start.clone(),
                period_end: uc.period.end.clone(),
                by: role,
                usage_commitment: uc.commitment.0,
                invoice_commitment: ic.0,
            };
            self.append_by(role, body)?;
            measured.push((invoice, salt, uc));
        }
        let [(si, ss, suc), (bi, bs, _)] =
            <[_; 2]>::try_from(measured).map_err(|_| CliError::Invalid("two measurements".into()))?;
        println!(
            "   Both measured the period: the buyer's probes saw {num}/{den} of the seller's {product}; each signs usage-measured\n   (its usage commitment and the commitment of the invoice it rates from it)"
        );
        let verdict = reconcile(&self.msa, &si, &bi).map_err(example("msa.json"))?;
        print!(
            "{}",
            verdict_table(&self.msa, &si, &bi, &verdict).map_err(example("msa.json"))?
        );
        self.prove_reconciliation((&si, &ss), (&bi, &bs), &suc.commitment)
    }

    /// Proves the verdict and anchors it: within, `usage-reconciled` by the Seller; over,
    /// `dispute-opened` by the Buyer and `dispute-resolved` by both on the Seller's usage.
    fn prove_reconciliation(
        &mut self,
        seller: (&Invoice, &Salt),
        buyer: (&Invoice, &Salt),
        seller_usage: &zkinvoice_circuits::Commitment,
    ) -> Result<(), CliError> {
        let Some(keys) = &self.reconcile_keys else {
            return Err(CliError::Invalid("no reconciliation keys".into()));
        };
        let t = std::time::Instant::now();
        let proved = keys.prove(&self.msa, &self.msa_salt, seller, buyer, &mut rand::rngs::OsRng)?;
        let took = since(t);
        let period = &seller.0.period;
        let (start, end) = (period.start.to_string(), period.end.to_string());
        let (msa_commitment, proof) = (self.committed.commitment.0, proved.proof.to_base64());
        if proved.public.over == Fr::from(0u64) {
            let body = Body::UsageReconciled {
                msa_commitment,
                period_start: start,
                period_end: end,
                by: Role::Seller,
                proof,
            };
            let seq = self.append_by(Role::Seller, body)?;
            println!(
                "   Within every threshold: the seller proves it in {took} and anchors usage-reconciled (entry {seq}); the MSA's\n   rule agrees the seller's usage"
            );
            return Ok(());
        }
        let over = proved.verdict.products_over(&self.msa).join(", ");
        let body = Body::DisputeOpened {
            msa_commitment,
            period_start: start.clone(),
            period_end: end.clone(),
            by: Role::Buyer,
            over: proved.public.over,
            proof,
        };
        let seq = self.append_by(Role::Buyer, body)?;
        let resolution = format!(
            "{}: the buyer's probe missed half the {over} links; the seller's usage stands",
            seller.0.period
        );
        let body = Body::DisputeResolved {
            msa_commitment,
            period_start: start,
            period_end: end,
            usage_commitment: seller_usage.0,
            resolution: resolution.clone(),
        };
        let resolved = self.seller_log.append(self.both(body)).map_err(anchor_err)?;
        sync(&self.seller_log, &self.buyer_log)?;
        println!(
            "   Over the threshold of {over}: the buyer proves it in {took} and anchors dispute-opened (entry {seq}, naming the\n   product by slot, no amount); the seller's copy imports it. Both sign dispute-resolved (entry {}): \"{resolution}\"",
            resolved.seq
        );
        Ok(())
    }

    /// Appends `body` signed by `role` to that party's copy, and syncs the other's: the entry's
    /// `seq`.
    fn append_by(&self, role: Role, body: Body) -> Result<u64, CliError> {
        let (log, other, key) = match role {
            Role::Seller => (&self.seller_log, &self.buyer_log, &self.seller_key),
            Role::Buyer => (&self.buyer_log, &self.seller_log, &self.buyer_key),
        };
        let entry = log
            .append(Proposal::new(body).signed(role, key))
            .map_err(anchor_err)?;
        sync(log, other)?;
        Ok(entry.seq)
    }
}
