//! The demo's reconciliation (issue 16, `docs/lifecycle.md`), at a v1 shape: before a month's
//! usage is agreed, the Buyer measures it too (October: 1% less voice termination; December:
//! half the IP transit; November: the Buyer does not measure). Each party proves the invoice it
//! rates from its measurement from the current state (`usage-measured`); October is within every dispute
//! threshold, proven and reconciled by the Seller (`usage-reconciled`); December is over on
//! ip-transit, proven by the Buyer, who opens a dispute naming it by slot (`dispute-opened`);
//! while it is open the Seller invoices December in part ([`super::partial`]); both resolve it on
//! the Seller's usage (`dispute-resolved`), and only then is the usage agreed.
//! The Buyer's measurements and its dispute go through its service (`POST /measurements`,
//! `POST /reconciliations`), which delivers them to the Seller's; the Seller's lists the dispute
//! (`GET /disputes`).
//! The reconciliation key comes from the same two-party ceremony as the invoice key (or, with
//! `--single-party-setup`, the Buyer's setup), and both sign it after `msa-agreed`.

use std::time::Instant;
use zkinvoice_anchors::{Body, Proposal, Role};

use zkinvoice_circuits::{
    commit::UsageCommitDoc, native::reconcile::reconcile, Invoice, Layout, Salt, Usage,
};
use zkinvoice_prover::{
    reconcile::{ReconcileEnvelope, ReconcileKeys},
    CeremonyRecord, ProveRequest, Proved,
};
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
    /// At a v1 shape, both sign the reconciliation statement's key (`statement-key-agreed`): the
    /// ceremony's (`ceremony` its record), or the Buyer's single-party setup with
    /// `--single-party-setup`. With `--out` the keys are written beside the invoice keys.
    pub(super) fn agree_reconciliation_key(
        &mut self,
        ceremony: Option<CeremonyRecord>,
    ) -> Result<(), CliError> {
        let Layout::Single(shape) = self.keys.layout() else {
            return Ok(());
        };
        let how = if self.reconcile_keys.is_some() {
            "from the same ceremony".to_string()
        } else {
            let t = Instant::now();
            self.reconcile_keys = Some(ReconcileKeys::generate(shape, &mut rand::rngs::OsRng)?);
            format!("made by the buyer in {}", since(t))
        };
        let Some(keys) = &self.reconcile_keys else {
            return Ok(());
        };
        if let Some(dir) = &self.dir {
            keys.write_with(&dir.join("params"), false, ceremony)?;
        }
        let body = Body::statement_key_agreed(
            self.committed.commitment.0,
            keys.verifying_key(),
            self.key_setup.clone(),
        );
        let entry = self.seller_log.append(self.both(body)).map_err(anchor_err)?;
        sync(&self.seller_log, &self.buyer_log)?;
        println!(
            "   Both sign statement-key-agreed (entry {}): the reconciliation statement's key ({how}), for the months both\n   parties measure",
            entry.seq
        );
        Ok(())
    }

    /// Month `k`'s reconciliation, before its usage (`usage`, committed as `agreed`: the Seller's
    /// measurement) is agreed; nothing at a partition shape, or in a month the Buyer does not
    /// measure.
    pub(super) fn reconcile(
        &mut self,
        k: usize,
        usage: &Usage,
        agreed: &UsageCommitDoc,
    ) -> Result<(), CliError> {
        let (Layout::Single(_), Some((product, num, den))) = (self.keys.layout(), buyer_measures(k)) else {
            return Ok(());
        };
        let buyer_usage = scaled(usage, product, num, den);
        let t = Instant::now();
        let seller = self.measure(Role::Seller, usage, agreed.clone(), k)?;
        let buyer_commit = commit_usage(
            &self.msa,
            self.committed.commitment,
            &buyer_usage,
            self.keys.layout(),
            Salt::random(&mut rand::rngs::OsRng),
        )
        .map_err(example("usage"))?;
        let buyer = self.measure(Role::Buyer, &buyer_usage, buyer_commit, k)?;
        println!(
            "   Both measured the period: the buyer's probes saw {num}/{den} of the seller's {product}; each proves the invoice\n   it rates from its measurement from state_{} and signs usage-measured ({} for both; the buyer's posted to its\n   service, which delivers it to the seller's)",
            k - 1,
            since(t)
        );
        let (si, bi) = (&seller.0.rated.invoice, &buyer.0.rated.invoice);
        let verdict = reconcile(&self.msa, si, bi).map_err(example("msa.json"))?;
        print!(
            "{}",
            verdict_table(&self.msa, si, bi, &verdict).map_err(example("msa.json"))?
        );
        self.prove_reconciliation((si, &seller.1), (bi, &buyer.1), (k, usage, &agreed.commitment))
    }

    /// `role`'s measurement `usage` (committed as `commit`) proven from the current state and
    /// anchored as `usage-measured`: the proof, and its invoice's salt.
    fn measure(
        &self,
        role: Role,
        usage: &Usage,
        commit: UsageCommitDoc,
        k: usize,
    ) -> Result<(Proved, Salt), CliError> {
        let usage_salt: Salt = commit.salt.parse().map_err(example("usage"))?;
        let number = format!("{}-measured-{k}", role.as_str());
        let proved = self.keys.prove(&ProveRequest {
            msa: &self.msa,
            msa_salt: &self.msa_salt,
            usage,
            usage_salt: &usage_salt,
            expected_usage: Some(commit.commitment),
            before: &self.state,
            invoice_number: &number,
        })?;
        let env = &proved.envelope;
        let (_, salt) = zkinvoice_check::Received::of_envelope(env, &self.msa)
            .invoice()
            .map_err(|r| CliError::Mismatch(format!("{number}: {r}")))?;
        match role {
            Role::Seller => {
                let p = &env.invoice.period;
                let body = Body::usage_measured(&env.public_inputs, &p.start, &p.end, role, &env.proof);
                self.append_by(role, body)?;
            }
            // The Buyer's billing system posts the envelope to its service, which anchors it
            // and delivers it to the Seller's.
            Role::Buyer => {
                self.exchange.post_to_buyer("/measurements", env)?;
            }
        }
        Ok((proved, salt))
    }

    /// Proves the verdict and anchors it: within, `usage-reconciled` by the Seller; over,
    /// `dispute-opened` by the Buyer, month `k` invoiced in part while it is open
    /// ([`Demo::invoice_in_part`]), and `dispute-resolved` by both on the Seller's usage
    /// (`seller_usage`: the month's usage and its commitment).
    fn prove_reconciliation(
        &mut self,
        seller: (&Invoice, &Salt),
        buyer: (&Invoice, &Salt),
        (k, usage, seller_usage): (usize, &Usage, &zkinvoice_circuits::Commitment),
    ) -> Result<(), CliError> {
        let Some(keys) = &self.reconcile_keys else {
            return Err(CliError::Invalid("no reconciliation keys".into()));
        };
        let t = Instant::now();
        let proved = keys.prove(&self.msa, &self.msa_salt, seller, buyer, &mut rand::rngs::OsRng)?;
        let took = since(t);
        let period = &seller.0.period;
        let (start, end) = (period.start.to_string(), period.end.to_string());
        let msa_commitment = self.committed.commitment.0;
        let within = proved.public.over == Fr::from(0u64);
        let seq = if within {
            let body = Body::reconciliation(&proved.public, &start, &end, Role::Seller, &proved.proof);
            self.append_by(Role::Seller, body)?
        } else {
            let env = ReconcileEnvelope::new(&proved, period.to_doc(), keys);
            self.exchange.post_to_buyer("/reconciliations", &env)?.entry
        };
        if within {
            println!(
                "   Within every threshold: the seller proves it in {took} and anchors usage-reconciled (entry {seq}); the MSA's\n   rule agrees the seller's usage"
            );
            return Ok(());
        }
        let products_over: Vec<String> = proved
            .verdict
            .products_over(&self.msa)
            .into_iter()
            .map(String::from)
            .collect();
        let over = products_over.join(", ");
        let listed = self.exchange.seller_disputes()?;
        let Some(notice) = listed.iter().find(|d| d.entry == seq) else {
            return Err(CliError::Mismatch(format!(
                "the seller's service does not list the dispute of entry {seq}"
            )));
        };
        let named = notice
            .verdict
            .as_ref()
            .and_then(|v| v.products.clone())
            .unwrap_or_default()
            .join(", ");
        println!(
            "   Over the threshold of {over}: the buyer proves it in {took}; its service anchors dispute-opened (entry {seq}, naming\n   the product by slot, no amount) and delivers it to the seller's, which lists it at GET /disputes (over: {named})"
        );
        self.invoice_in_part(k, usage, &products_over)?;
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
            "\n   Both sign dispute-resolved (entry {}): \"{resolution}\"",
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
