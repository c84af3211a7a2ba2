//! The demo's netting (issue 16, `docs/lifecycle.md`): Globex Cloud also sells
//! Northwind CDN egress and storage (`examples/msa-reverse.json`, the opposite bilateral, with
//! its own pair of anchor logs and the same two signing keys). Its October invoice is proved,
//! anchored and accepted; the netting key (the same ceremony's, or the Buyer's setup) is agreed in
//! both bilaterals; October's two invoices are netted by one proof, recorded in both bilaterals'
//! logs (`invoices-netted`), so the netted invoice is not paid on its own. At a partition shape
//! the two invoices are partitioned and netted over their heads (`zkinvoice/netting/v2`), the
//! entries naming their parts.

use std::time::Instant;

use zkinvoice_anchors::{AnchorLog, Body, Entry, PartySecret, Proposal, Role};
use zkinvoice_circuits::{native::netting::Payer, Invoice, Layout, Msa, Salt, Usage, UsageFormat};
use zkinvoice_prover::{netting::NettingEnvelope, ProofEnvelope, ProveRequest};
use zkinvoice_verifier::Fr;

use super::{create_log, example, net_keys::NetKeys, sync, Demo};
use crate::{
    actions::{commit_msa, commit_usage, proved_body, MsaCommitted},
    error::{anchor_err, CliError},
    report::since,
};

const REVERSE_MSA: &str = include_str!("../../../../examples/msa-reverse.json");
const REVERSE_USAGE: &str = include_str!("../../../../examples/usage-reverse-2026-10.json");

/// What the netting step leaves for the settlement: the netted invoice of the Seller's, the net
/// and the opposite bilateral's logs, where its payment is recorded too.
pub struct Netted {
    /// The Seller's invoice netted.
    pub invoice: Fr,
    /// The `invoices-netted` entry in the Seller's bilateral.
    pub seq: u64,
    /// The net commitment.
    pub net: Fr,
    /// The net, as its payer knows it (the opening of the net commitment).
    pub amount: String,
    /// The opposite bilateral's MSA commitment and log copies.
    pub reverse_msa: Fr,
    pub reverse: Reverse,
}

/// The opposite bilateral's two copies of its log: Globex's (its Seller) and Northwind's.
pub struct Reverse {
    msa: Msa,
    /// Globex's copy.
    pub globex: AnchorLog,
    /// Northwind's copy.
    pub northwind: AnchorLog,
}

/// `body` signed by both: Globex as the reverse bilateral's Seller, Northwind as its Buyer.
fn both(body: Body, globex: &PartySecret, northwind: &PartySecret) -> Proposal {
    Proposal::new(body)
        .signed(Role::Seller, globex)
        .signed(Role::Buyer, northwind)
}

/// The acceptance's signature of `invoice` in `log` (its `invoice-accepted` entry).
fn acceptance(log: &AnchorLog, invoice: Fr) -> Result<String, CliError> {
    let entries: Vec<Entry> = log.entries().map_err(anchor_err)?;
    entries
        .into_iter()
        .find_map(|e| match (&e.body, e.signatures.first()) {
            (
                Body::InvoiceAccepted {
                    invoice_commitment, ..
                },
                Some(s),
            ) if *invoice_commitment == invoice => Some(s.signature.clone()),
            _ => None,
        })
        .ok_or_else(|| CliError::Mismatch("the invoice is not accepted".into()))
}

impl Demo {
    /// Step `step`: the reverse bilateral's October invoice, the netting key and October's
    /// netting in both bilaterals (at a partition shape, of the two partitioned invoices, with
    /// their parts). Returns whether it ran.
    pub(super) fn net(&mut self, step: usize) -> Result<bool, CliError> {
        let layout = self.keys.layout();
        let msa = Msa::from_json(REVERSE_MSA).map_err(example("msa-reverse.json"))?;
        println!(
            "\n{step}. Netting: {} also sells {} CDN egress and storage (MSA {}, its own pair of anchor logs, the same\n   two signing keys)",
            msa.seller.name, msa.buyer.name, msa.id
        );
        let (reverse, env) = self.reverse_invoice(msa)?;
        // The ceremony's keys were written with its record when it finished (`agree`); the
        // Buyer's setup is made and written here.
        let keys = match self.netting_keys.take() {
            Some(k) => k,
            None => {
                let k = NetKeys::generate(layout)?;
                if let Some(dir) = &self.dir {
                    k.write_with(&dir.join("params"), None)?;
                }
                k
            }
        };
        let reverse_msa = env.public_inputs.msa_commitment;
        self.agree_netting_key(&keys, &reverse)?;
        let (forward, _) = self
            .envelopes
            .first()
            .ok_or_else(|| CliError::Mismatch("no invoice to net".into()))?;
        let forward = forward.clone();
        let (envelope, amount) = prove(&keys, layout, &forward, &env)?;
        self.netting_keys = Some(keys);

        let forward_invoice = forward.public_inputs.invoice_commitment;
        let reverse_invoice = env.public_inputs.invoice_commitment;
        let period = (envelope.period.start.clone(), envelope.period.end.clone());
        let netted = |msa, invoice, other| {
            let body = Body::invoices_netted(
                msa,
                invoice,
                other,
                &envelope.public_inputs,
                period.clone(),
                &envelope.proof,
            );
            // Of partitioned invoices: the log's rule checks each invoice's parts too.
            match &envelope.invoice_parts {
                Some(parts) => body.map(|b| b.with_netted_parts(parts)),
                None => body,
            }
            .ok_or_else(|| CliError::Mismatch("the netting does not name the invoice".into()))
        };
        // Globex proved it; both sign both entries, each agreeing that neither invoice is settled
        // otherwise (which one log cannot see of the other's).
        let here = netted(
            self.committed.commitment.0,
            forward_invoice,
            (reverse_msa, acceptance(&reverse.northwind, reverse_invoice)?),
        )?;
        let here = self.buyer_log.append(self.both(here)).map_err(anchor_err)?;
        sync(&self.buyer_log, &self.seller_log)?;
        let there = netted(
            reverse_msa,
            reverse_invoice,
            (
                self.committed.commitment.0,
                acceptance(&self.seller_log, forward_invoice)?,
            ),
        )?;
        let there = reverse
            .globex
            .append(both(there, &self.buyer_key, &self.seller_key))
            .map_err(anchor_err)?;
        sync(&reverse.globex, &reverse.northwind)?;
        println!(
            "   Both sign invoices-netted in both bilaterals (entry {} here, entry {} in {}'s logs), each with the\n   other's acceptance; no amount in either",
            here.seq, there.seq, reverse.msa.id
        );
        self.keep("2026-10.netting.json", &envelope);
        self.netted = Some(Netted {
            invoice: forward_invoice,
            seq: here.seq,
            net: envelope.public_inputs.net_commitment,
            amount,
            reverse_msa,
            reverse,
        });
        Ok(true)
    }

    /// The reverse bilateral's two log copies, Globex's (its Seller) and Northwind's (its
    /// Buyer), with `msa-agreed` signed by both.
    fn reverse_logs(&self, msa: Msa, committed: &MsaCommitted) -> Result<Reverse, CliError> {
        let layout = self.keys.layout();
        let dir = self
            .dir
            .clone()
            .unwrap_or_else(|| self._scratch.path().to_path_buf());
        // Globex is this bilateral's Seller, Northwind its Buyer.
        let (globex, northwind) = (&self.buyer_key, &self.seller_key);
        let new_log = |name: &str| create_log(&dir.join(name), globex, northwind);
        let reverse = Reverse {
            msa,
            globex: new_log("reverse-seller-anchors.db")?,
            northwind: new_log("reverse-buyer-anchors.db")?,
        };
        let agreed = Body::msa_agreed(
            &reverse.msa.id,
            committed.commitment.0,
            committed.state0.commitment.0,
            layout.name(),
            &self.keys.verifying()?,
            self.key_setup.clone(),
        );
        reverse
            .globex
            .append(both(agreed, globex, northwind))
            .map_err(anchor_err)?;
        Ok(reverse)
    }

    /// The reverse bilateral: its MSA committed, its two log copies, `msa-agreed`, October's
    /// `usage-agreed`, and its October invoice proved by Globex (`invoice-proved`) and
    /// accepted by Northwind (`invoice-accepted`).
    fn reverse_invoice(&self, msa: Msa) -> Result<(Reverse, ProofEnvelope), CliError> {
        let layout = self.keys.layout();
        let mut rng = rand::rngs::OsRng;
        let salt = Salt::random(&mut rng);
        let committed = commit_msa(&msa, layout, salt.clone(), Salt::random(&mut rng))
            .map_err(example("msa-reverse.json"))?;
        let reverse = self.reverse_logs(msa, &committed)?;
        let (globex, northwind) = (&self.buyer_key, &self.seller_key);
        let usage = Usage::parse(REVERSE_USAGE, UsageFormat::Json, &reverse.msa, None)
            .map_err(example("usage-reverse-2026-10.json"))?;
        let usage_salt = Salt::random(&mut rng);
        let uc = commit_usage(
            &reverse.msa,
            committed.commitment,
            &usage,
            layout,
            usage_salt.clone(),
        )
        .map_err(example("usage-reverse-2026-10.json"))?;
        let body = Body::UsageAgreed {
            msa_commitment: committed.commitment.0,
            period_start: uc.period.start.clone(),
            period_end: uc.period.end.clone(),
            usage_commitment: uc.commitment.0,
            usage_detail_root: uc.detail_root.clone(),
        };
        reverse
            .globex
            .append(both(body, globex, northwind))
            .map_err(anchor_err)?;
        let proved = self.keys.prove(&ProveRequest {
            msa: &reverse.msa,
            msa_salt: &salt,
            usage: &usage,
            usage_salt: &usage_salt,
            expected_usage: Some(uc.commitment),
            before: &committed.state0,
            invoice_number: "GX-2026-10",
        })?;
        let env = proved.envelope;
        let proved_entry = reverse
            .globex
            .append(Proposal::new(proved_body(&env)).signed(Role::Seller, globex))
            .map_err(anchor_err)?;
        sync(&reverse.globex, &reverse.northwind)?;
        let accepted = Body::InvoiceAccepted {
            msa_commitment: committed.commitment.0,
            invoice_commitment: env.public_inputs.invoice_commitment,
        };
        let accepted = reverse
            .northwind
            .append(Proposal::new(accepted).signed(Role::Buyer, northwind))
            .map_err(anchor_err)?;
        sync(&reverse.northwind, &reverse.globex)?;
        println!(
            "   Both sign msa-agreed and October's usage-agreed there; Globex proves its invoice {} ({} {}, invoice-proved,\n   entry {}), which Northwind's log verifies and Northwind accepts (entry {})",
            env.invoice.number,
            env.invoice.total,
            env.invoice.currency,
            proved_entry.seq,
            accepted.seq
        );
        Ok((reverse, env))
    }

    /// Both sign the netting statement's key in both bilaterals (`statement-key-agreed`).
    fn agree_netting_key(&self, keys: &NetKeys, reverse: &Reverse) -> Result<(), CliError> {
        let key = |msa: Fr| keys.key_agreed(msa, self.key_setup.clone());
        let here = self
            .seller_log
            .append(self.both(key(self.committed.commitment.0)))
            .map_err(anchor_err)?;
        sync(&self.seller_log, &self.buyer_log)?;
        let reverse_msa = reverse
            .globex
            .entries()
            .map_err(anchor_err)?
            .first()
            .map(|e| e.body.msa_commitment())
            .ok_or_else(|| CliError::Mismatch("the reverse log is empty".into()))?;
        let there = reverse
            .globex
            .append(both(key(reverse_msa), &self.buyer_key, &self.seller_key))
            .map_err(anchor_err)?;
        sync(&reverse.globex, &reverse.northwind)?;
        println!(
            "   Both sign the netting statement's key in both bilaterals (statement-key-agreed, entries {} and {}; {})",
            here.seq, there.seq, self.key_setup
        );
        Ok(())
    }
}

/// October's two invoices netted by one proof.
fn prove(
    keys: &NetKeys,
    layout: Layout,
    forward: &ProofEnvelope,
    reverse: &ProofEnvelope,
) -> Result<(NettingEnvelope, String), CliError> {
    let opened = |e: &ProofEnvelope| -> Result<(Invoice, Salt), CliError> {
        let invoice = Invoice::from_doc(&e.invoice).map_err(example("msa.json"))?;
        let salt = e.invoice.commitment.as_ref().map(|c| c.salt.parse()).transpose();
        let salt = salt.map_err(example("msa.json"))?;
        Ok((
            invoice,
            salt.ok_or_else(|| CliError::Mismatch("no opening".into()))?,
        ))
    };
    let (f, r) = (opened(forward)?, opened(reverse)?);
    let period = zkinvoice_circuits::model::period::PeriodDoc {
        start: f.0.period.start.to_string(),
        end: f.0.period.end.to_string(),
    };
    let t = Instant::now();
    let (proved, envelope) = keys.prove(layout, ((&f.0, &f.1), (&r.0, &r.1)), period)?;
    let took = since(t);
    let c = f.0.currency;
    let (first, second) = if proved.swapped {
        (&r.0, &f.0)
    } else {
        (&f.0, &r.0)
    };
    let (payer, payee) = match proved.netting.payer {
        Payer::FirstBuyer => (&first.buyer_id, &first.seller_id),
        Payer::SecondBuyer => (&second.buyer_id, &second.seller_id),
    };
    let over = if envelope.invoice_parts.is_some() {
        "the two invoices' heads, each invoice commitment the top of its parts"
    } else {
        "the two invoice commitments"
    };
    println!(
        "   October: {} {} ({} to {}) against {} {} ({} to {}): \n   {payer} pays {payee} {} {} net, proved in {took} over {over} (the totals and\n   the net hidden, the net committed)",
        f.0.number,
        c.format_minor(f.0.total),
        f.0.seller_id,
        f.0.buyer_id,
        r.0.number,
        c.format_minor(r.0.total),
        r.0.seller_id,
        r.0.buyer_id,
        c.format_minor(proved.netting.net),
        c.code(),
    );
    let amount = format!("{} {}", c.format_minor(proved.netting.net), c.code());
    Ok((envelope, amount))
}
