//! `demo`: three months of the example bilateral (`examples/`): the two-party key ceremony (or
//! the Buyer's setup), both parties' commitments and anchor logs, each month rated, proved,
//! anchored and delivered over HTTP between the services on loopback ([`exchange`]), the Buyer's
//! measurements reconciled or disputed ([`reconcile`]), the disputed month invoiced in part and
//! finally ([`partial`]), an SLA credit ([`credit`]), a netting
//! ([`net`]), the invoices paid ([`settle`]), tampering refused ([`tampering`]), the audit. With
//! `--shape PS` as partitions (v2, [`keys`]).

mod credit;
mod exchange;
mod inputs;
mod keys;
mod net;
mod net_keys;
mod partial;
mod reconcile;
mod settle;
mod tampering;

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use zkinvoice_anchors::{AnchorLog, Body, KeySetup, PartySecret, Proposal, Role};
use zkinvoice_circuits::{commit::StateOpening, rate, Layout, Msa, Salt, Usage};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::{ProofEnvelope, ProveRequest};
use zkinvoice_verifier::PreparedInvoiceKeys;

use self::{
    exchange::Exchange,
    inputs::{months, prepare},
    keys::DemoKeys,
    partial::BillPart,
};
use crate::{
    actions::{commit_msa, commit_usage, proved_body, MsaCommitted},
    args::DemoArgs,
    error::{anchor_err, CliError},
    io::Outputs,
    report::{since, size},
    table,
};

const MSA: &str = include_str!("../../../../examples/msa.json");
/// CDRs are aggregated per product and week, so a month fits shape S.
const AGGREGATE_DAYS: u32 = 7;

fn example(file: &str) -> impl Fn(zkinvoice_circuits::Error) -> CliError + '_ {
    move |e| CliError::input(Path::new("examples").join(file), e)
}

/// `demo`.
pub fn run(a: DemoArgs) -> Result<(), CliError> {
    let layout = keys::parse(a.shape)?;
    if let Some(dir) = &a.out {
        prepare(dir)?;
    }
    println!("zkinvoice demo: MEF 114 Option 1 billing with zero-knowledge invoice proofs (examples/)\n");
    let msa = Msa::from_json(MSA).map_err(example("msa.json"))?;
    let months = months(&msa)?;
    let mut demo = Demo::agree(msa, layout, a.out, !a.single_party_setup)?;
    for (n, raw) in months.iter().enumerate() {
        demo.period(n + 1, raw)?;
    }
    let mut step = months.len() + 2;
    step += usize::from(demo.credit(step)?);
    step += usize::from(demo.net(step)?);
    settle::show(&demo, step)?;
    tampering::show(&demo, step + 1)?;
    demo.finish(step + 2)
}

/// The bilateral as the demo runs it.
pub struct Demo {
    msa: Msa,
    keys: DemoKeys,
    /// How the keys were made, as `msa-agreed` records it.
    key_setup: KeySetup,
    /// The verifying key(s), prepared (for the tampering step's checks).
    prepared: PreparedInvoiceKeys,
    msa_salt: Salt,
    committed: MsaCommitted,
    seller_key: PartySecret,
    buyer_key: PartySecret,
    seller_log: AnchorLog,
    buyer_log: AnchorLog,
    exchange: Exchange,
    /// The files kept with `--out`, written at the end.
    out: Outputs,
    dir: Option<PathBuf>,
    /// Where the logs are without `--out`.
    _scratch: tempfile::TempDir,
    /// Each month's bill, and its envelope with the state it starts from.
    bills: Vec<CustomerBill>,
    envelopes: Vec<(ProofEnvelope, StateOpening)>,
    /// The state the next month starts from.
    state: StateOpening,
    /// The reconciliation statement's keys: the ceremony's, or the Buyer's setup when first
    /// needed.
    reconcile_keys: Option<zkinvoice_prover::reconcile::ReconcileKeys>,
    /// The netting statement's keys: the ceremony's, or the Buyer's setup when first needed.
    netting_keys: Option<net_keys::NetKeys>,
    /// The credit-note statement's keys: the ceremony's, or the Buyer's setup when first needed.
    credit_keys: Option<zkinvoice_prover::credit::CreditKeys>,
    /// The netting of October's invoice against the reverse bilateral's (`net`), once made.
    netted: Option<net::Netted>,
    /// The partial invoice of the period in progress, while it is disputed (`partial`).
    partial: Option<ProofEnvelope>,
}

impl Demo {
    /// Step 1: the keys (a two-party ceremony, or the Buyer's setup), both parties' commitments,
    /// anchor logs and services.
    fn agree(msa: Msa, layout: Layout, dir: Option<PathBuf>, ceremony: bool) -> Result<Self, CliError> {
        let mut rng = rand::rngs::OsRng;
        println!(
            "1. Agree the contract: MSA {} between {} (seller) and {} (buyer), {} products, {}, tax {}%",
            msa.id,
            msa.seller.name,
            msa.buyer.name,
            msa.products.len(),
            msa.currency,
            zkinvoice_circuits::money::format_scaled(u128::from(msa.tax_ppm), 4).trim_end_matches('0')
        );
        let scratch = tempfile::TempDir::new().map_err(|e| CliError::Write {
            file: "temporary directory".into(),
            reason: e.to_string(),
        })?;
        let log_dir = dir.clone().unwrap_or_else(|| scratch.path().to_path_buf());
        let (keys, lifecycle_keys, ceremony) = if ceremony {
            let (keys, lifecycle, record) = DemoKeys::ceremony(layout, &log_dir.join("ceremony"))?;
            (keys, lifecycle, Some(record))
        } else {
            (DemoKeys::setup(layout)?, keys::LifecycleKeys::default(), None)
        };
        let keys::LifecycleKeys {
            reconcile: reconcile_keys,
            netting: netting_keys,
            credit: credit_keys,
        } = lifecycle_keys;
        let key_setup = keys::key_setup(ceremony.as_ref());
        if let Some(dir) = &dir {
            keys.write(&dir.join("params"), ceremony.clone())?;
        }
        let prepared = keys.prepared()?;
        let msa_salt = Salt::random(&mut rng);
        let committed = commit_msa(&msa, layout, msa_salt.clone(), Salt::random(&mut rng))
            .map_err(example("msa.json"))?;
        let (seller_key, buyer_key) = (PartySecret::generate(), PartySecret::generate());
        // Each party keeps its own anchor log; entries travel between them as JSON lines.
        let new_log = |name: &str| create_log(&log_dir.join(name), &seller_key, &buyer_key);
        let (seller_log, buyer_log) = (new_log("seller-anchors.db")?, new_log("buyer-anchors.db")?);
        let exchange = Exchange::start(
            &log_dir,
            &log_dir.join("seller-anchors.db"),
            &log_dir.join("buyer-anchors.db"),
            buyer_key.clone(),
            msa.clone(),
        )?;
        let state = committed.state0.clone();
        let mut demo = Self {
            msa,
            keys,
            key_setup,
            prepared,
            msa_salt,
            committed,
            seller_key,
            buyer_key,
            seller_log,
            buyer_log,
            exchange,
            out: Outputs::new(false),
            dir,
            _scratch: scratch,
            bills: Vec::new(),
            envelopes: Vec::new(),
            state,
            reconcile_keys,
            netting_keys,
            credit_keys,
            netted: None,
            partial: None,
        };
        demo.anchor_msa()?;
        demo.write_statement_keys(ceremony.as_ref())?;
        demo.agree_reconciliation_key(ceremony)?;
        println!(
            "   Both run their services on loopback: {}",
            demo.exchange.describe()
        );
        Ok(demo)
    }

    /// A proposal signed by both parties.
    fn both(&self, body: Body) -> Proposal {
        Proposal::new(body)
            .signed(Role::Seller, &self.seller_key)
            .signed(Role::Buyer, &self.buyer_key)
    }

    /// Adds `doc` to the outputs when the demo keeps its files.
    fn keep(&mut self, name: &str, doc: &impl serde::Serialize) {
        if let Some(dir) = &self.dir {
            self.out.json(dir.join(name), doc);
        }
    }

    /// Both sign `msa-agreed`; the Buyer's copy imports it.
    fn anchor_msa(&mut self) -> Result<(), CliError> {
        let c = &self.committed;
        let body = Body::msa_agreed(
            &self.msa.id,
            c.commitment.0,
            c.state0.commitment.0,
            self.keys.layout().name(),
            &self.keys.verifying()?,
            self.key_setup.clone(),
        );
        let entry = self.seller_log.append(self.both(body)).map_err(anchor_err)?;
        sync(&self.seller_log, &self.buyer_log)?;
        println!(
            "   Both sign msa-agreed (entry {}): msa_commitment {}, state_0 {}, the verifying key and how it was made, {}",
            entry.seq, c.commitment, c.state0.commitment, self.key_setup
        );
        let (doc, state0) = (c.doc.clone(), c.state0.to_doc(&self.msa));
        self.keep("msa.commit.json", &doc);
        self.keep("state-0.json", &state0);
        Ok(())
    }

    /// Step `k + 1`: month `k`'s CDRs aggregated, usage agreed, invoice proved, anchored,
    /// published and decided by the Buyer's service.
    fn period(&mut self, k: usize, raw: &Usage) -> Result<(), CliError> {
        let usage = raw.aggregated(AGGREGATE_DAYS).map_err(example("usage"))?;
        println!(
            "\n{}. Period {}: {} CDRs, aggregated per product and week into {} usage records",
            k + 1,
            usage.period,
            raw.records.len(),
            usage.records.len()
        );
        let usage_salt = Salt::random(&mut rand::rngs::OsRng);
        let uc = commit_usage(
            &self.msa,
            self.committed.commitment,
            &usage,
            self.keys.layout(),
            usage_salt.clone(),
        )
        .map_err(example("usage"))?;
        self.reconcile(k, &usage, &uc)?;
        let agreed = self
            .seller_log
            .append(self.both(Body::UsageAgreed {
                msa_commitment: self.committed.commitment.0,
                period_start: uc.period.start.clone(),
                period_end: uc.period.end.clone(),
                usage_commitment: uc.commitment.0,
                usage_detail_root: uc.detail_root.clone(),
            }))
            .map_err(anchor_err)?;
        println!(
            "   Both sign usage-agreed (entry {}): usage_commitment {}",
            agreed.seq, uc.commitment
        );
        let number = invoice_number(&usage, k);
        let request = ProveRequest {
            msa: &self.msa,
            msa_salt: &self.msa_salt,
            usage: &usage,
            usage_salt: &usage_salt,
            expected_usage: Some(uc.commitment),
            before: &self.state,
            invoice_number: &number,
        };
        let t = Instant::now();
        let proved = self.keys.prove(&request)?;
        let prove_time = since(t);
        let env = &proved.envelope;
        let anchored = self
            .seller_log
            .append(Proposal::new(proved_body(env)).signed(Role::Seller, &self.seller_key))
            .map_err(anchor_err)?;
        let same =
            rate(&self.msa, raw, &self.state.state, &number).is_ok_and(|r| r.invoice == proved.rated.invoice);
        println!(
            "   The seller rates, proves in {prove_time} (envelope {}, {} {} B) and anchors invoice-proved (entry {}){}:\n",
            size(serde_json::to_vec(env).expect("envelopes serialise").len() as u64),
            match env.proof.partitioned() {
                Some(p) => format!("{} blocks, {} chunks and the link:", p.public.blocks(), p.public.chunks()),
                None => "proof".into(),
            },
            env.proof.to_bytes().len(),
            anchored.seq,
            if same { "; rating the CDRs one by one gives the same invoice" } else { "" }
        );
        print!("{}", table::invoice(&self.msa, &proved.rated));
        let part = self
            .partial
            .take()
            .map_or(BillPart::Whole, |p| BillPart::Final(Box::new(p.invoice)));
        self.deliver(&number, env, &proved.rated.invoice, &proved.after, part)?;
        println!("   state_{k} {}", proved.after.commitment);
        self.keep(
            &format!("usage-{}.commit.json", usage.period.start.format("%Y-%m")),
            &uc,
        );
        self.keep(&format!("{number}.envelope.json"), env);
        self.keep(&format!("state-{k}.json"), &env.state_after);
        let before = std::mem::replace(&mut self.state, proved.after);
        self.envelopes.push((proved.envelope, before));
        Ok(())
    }

    /// The last step: both logs compared, the Buyer's audited, the files written.
    fn finish(self, step: usize) -> Result<(), CliError> {
        self.exchange.stop();
        let (sh, bh) = (
            self.seller_log.head().map_err(anchor_err)?,
            self.buyer_log.head().map_err(anchor_err)?,
        );
        let audit = self.buyer_log.audit(&mut rand::rngs::OsRng).map_err(anchor_err)?;
        let (s, clean) = (
            audit.settlement,
            if audit.is_clean() { "clean" } else { "FAILED" },
        );
        println!(
            "\n{step}. Both logs hold {} entries with the same head {}; the buyer's log audits {clean} ({} proofs, {:.1} ms;\n   {} of {} accepted invoices paid and received{})",
            bh.map_or(0, |h| h.seq),
            if sh == bh { bh.map(|h| hex::encode(&h.hash[..8])).unwrap_or_default() } else { "MISMATCH".into() },
            audit.proofs,
            audit.elapsed.as_secs_f64() * 1e3,
            s.received,
            s.accepted,
            settle::summary(&s),
        );
        match &self.dir {
            Some(dir) => {
                self.out.commit()?;
                println!(
                    "\nFiles written to {} (keys in {}/params, anchor logs *-anchors.db)",
                    dir.display(),
                    dir.display()
                );
            }
            None => println!("\nRun `zkinvoice demo --out DIR` to keep the files."),
        }
        Ok(())
    }
}

/// Month `k`'s invoice number (`usage` its usage).
fn invoice_number(usage: &Usage, k: usize) -> String {
    format!("INV-{}-{:04}", usage.period.start.format("%Y%m"), k)
}

/// A new anchor log at `path` between `seller` and `buyer`.
fn create_log(path: &Path, seller: &PartySecret, buyer: &PartySecret) -> Result<AnchorLog, CliError> {
    AnchorLog::create(path, &seller.public(), &buyer.public()).map_err(|e| CliError::Write {
        file: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Sends `from`'s entries to `to` as an export would (JSON lines), importing what `to` lacks.
fn sync(from: &AnchorLog, to: &AnchorLog) -> Result<(), CliError> {
    let mut buf = Vec::new();
    from.export_jsonl(&mut buf).map_err(anchor_err)?;
    to.import_jsonl(&mut &buf[..]).map_err(anchor_err)?;
    Ok(())
}
