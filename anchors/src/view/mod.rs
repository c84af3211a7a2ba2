//! What replaying a log's entries establishes: the anchored MSAs with their verifying keys and
//! latest states, the agreed usage per period, the proved invoices and the Buyer's decisions.
//!
//! The view checks nothing: the rules (`rules`) look a new entry up in it and, when the entry
//! follows them, record it here. It relies on no other module of the crate.

use std::collections::{HashMap, HashSet};

use zkinvoice_verifier::{
    CreditStatement, Fr, NettingHeadsStatement, NettingStatement, PreparedInvoiceKeys, PreparedKeyOf,
};

use crate::role::Role;

mod credit;
mod partial;
mod reconcile;
mod settle;

pub use credit::{CarriedView, CreditView};
pub use partial::Part;
pub(crate) use partial::PartialUsage;
pub use reconcile::ReconcileKey;
pub use settle::{NetView, Settlement};

/// The state of an anchored invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvoiceStatus {
    /// Proved at entry `proved`, not yet decided by the Buyer.
    Proved {
        /// The `invoice-proved` entry.
        proved: u64,
    },
    /// Accepted by the Buyer.
    Accepted {
        /// The `invoice-proved` entry.
        proved: u64,
        /// The `invoice-accepted` entry.
        decided: u64,
    },
    /// Rejected by the Buyer.
    Rejected {
        /// The `invoice-proved` entry.
        proved: u64,
        /// The `invoice-rejected` entry.
        decided: u64,
        /// The Buyer's reason.
        reason: String,
    },
}

impl InvoiceStatus {
    /// The `invoice-proved` entry.
    pub(crate) fn proved(&self) -> u64 {
        match self {
            InvoiceStatus::Proved { proved }
            | InvoiceStatus::Accepted { proved, .. }
            | InvoiceStatus::Rejected { proved, .. } => *proved,
        }
    }
}

/// A period, as its first day and the first day after it (`YYYY-MM-DD`).
pub(crate) type Period = (String, String);

/// The usage agreed for one period of an MSA.
pub(crate) struct UsageView {
    /// The `usage-agreed` entry.
    pub seq: u64,
    /// The usage commitment.
    pub commitment: Fr,
    /// The `invoice-proved` entry that invoiced it.
    pub invoiced_by: Option<u64>,
}

/// One party's measurement of a period (`usage-measured`).
#[derive(Clone, Copy)]
pub(crate) struct Measurement {
    /// The `usage-measured` entry.
    pub seq: u64,
    /// The commitment of the invoice rated from it.
    pub invoice: Fr,
    /// The state it was rated from.
    pub state_before: Fr,
}

/// How a period's two measurements were reconciled.
#[derive(Clone, Copy)]
pub(crate) enum Outcome {
    /// Within every threshold (`usage-reconciled`).
    Reconciled {
        /// The `usage-reconciled` entry.
        seq: u64,
    },
    /// Over some (`dispute-opened`), not resolved yet.
    Disputed {
        /// The `dispute-opened` entry.
        seq: u64,
    },
    /// A dispute resolved on a usage (`dispute-resolved`).
    Resolved {
        /// The `dispute-resolved` entry.
        seq: u64,
        /// The usage resolved on.
        usage: Fr,
    },
}

/// The two parties' measurements of a period and their reconciliation.
#[derive(Default)]
pub(crate) struct Reconciliation {
    /// The Seller's measurement.
    pub seller: Option<Measurement>,
    /// The Buyer's.
    pub buyer: Option<Measurement>,
    /// Reconciled, disputed or resolved.
    pub outcome: Option<Outcome>,
    /// Its partial usage and invoice, while disputed.
    pub partial: Option<PartialUsage>,
}

impl Reconciliation {
    /// The measurement of `role`.
    pub fn by(&self, role: Role) -> Option<Measurement> {
        match role {
            Role::Seller => self.seller,
            Role::Buyer => self.buyer,
        }
    }
}

/// An anchored MSA.
pub(crate) struct MsaView {
    /// The `msa-agreed` entry.
    pub seq: u64,
    /// The verifying key(s) its invoices are proved under.
    pub key: PreparedInvoiceKeys,
    /// `state_0`, then the `state_after` of its last proved invoice.
    pub latest: Fr,
    /// States anchored as some invoice's `state_before`, with that invoice's entry.
    pub used: HashMap<Fr, u64>,
    /// Every state anchored for this MSA (`state_0` and every `state_after`).
    pub states: HashSet<Fr>,
    /// Agreed usage per period.
    pub usage: HashMap<Period, UsageView>,
    /// The reconciliation's key (`statement-key-agreed`: v1's, or for a partitioned MSA the
    /// two keys of the reconciliation of partitioned invoices) and its entry.
    pub reconcile_key: Option<(u64, ReconcileKey)>,
    /// The netting statement's key (`statement-key-agreed`) and its entry.
    pub netting_key: Option<(u64, PreparedKeyOf<NettingStatement>)>,
    /// The key of the netting of partitioned invoices (`zkinvoice/netting/v2`) and its entry.
    pub netting_heads_key: Option<(u64, PreparedKeyOf<NettingHeadsStatement>)>,
    /// Measurements and their reconciliation per period.
    pub reconciliations: HashMap<Period, Reconciliation>,
    /// The credit-note statement's key (`statement-key-agreed`) and its entry.
    pub credit_key: Option<(u64, PreparedKeyOf<CreditStatement>)>,
    /// Agreed SLA performance per period: the `sla-agreed` entry and the commitment.
    pub sla: HashMap<Period, (u64, Fr)>,
}

/// An anchored invoice.
pub(crate) struct InvoiceView {
    /// Its MSA.
    pub msa: Fr,
    /// `(state_before, state_after)`.
    pub states: (Fr, Fr),
    /// Proved, accepted or rejected.
    pub status: InvoiceStatus,
    /// Its payment and receipt, once paid.
    pub settlement: Option<Settlement>,
    /// Whole, a partial invoice or a final one.
    pub part: Part,
}

impl InvoiceView {
    /// An invoice proved at entry `seq` (`invoice-proved` or `invoice-partial`), undecided.
    pub(crate) fn proved(msa: Fr, seq: u64, states: (Fr, Fr), part: Part) -> Self {
        Self {
            msa,
            states,
            status: InvoiceStatus::Proved { proved: seq },
            settlement: None,
            part,
        }
    }
}

/// What a log's entries establish, replayed in order: the anchored MSAs with their verifying keys
/// and latest states, the agreed usage per period, the proved invoices and the Buyer's decisions.
#[derive(Default)]
pub struct View {
    msas: HashMap<Fr, MsaView>,
    invoices: HashMap<Fr, InvoiceView>,
    /// Netted invoices (this log's and the other bilaterals'): the `invoices-netted` entry.
    netted: HashMap<Fr, u64>,
    /// The nettings, by their net commitment.
    nets: HashMap<Fr, NetView>,
    /// Credited invoices: their credit note.
    credits: HashMap<Fr, CreditView>,
    /// Credit notes carried forward (`credit-carried`), by their commitment.
    carried: HashMap<Fr, CarriedView>,
    len: u64,
}

impl std::fmt::Debug for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("View")
            .field("entries", &self.len)
            .field("msas", &self.msas.len())
            .field("invoices", &self.invoices.len())
            .finish()
    }
}

impl View {
    /// An empty log's view.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many entries were replayed.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether no entry was replayed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The latest anchored state of an MSA (`state_0`, or the `state_after` of its last proved
    /// invoice), if the MSA is anchored.
    pub fn latest_state(&self, msa: &Fr) -> Option<Fr> {
        self.msas.get(msa).map(|m| m.latest)
    }

    /// The prepared verifying key(s) anchored with an MSA.
    pub fn verifying_key(&self, msa: &Fr) -> Option<&PreparedInvoiceKeys> {
        self.msas.get(msa).map(|m| &m.key)
    }

    /// The usage commitment agreed for an MSA and period, if any.
    pub fn agreed_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        self.msas
            .get(msa)?
            .usage
            .get(&(period_start.to_string(), period_end.to_string()))
            .map(|u| u.commitment)
    }

    /// The state of an anchored invoice, by its commitment.
    pub fn invoice_status(&self, invoice: &Fr) -> Option<&InvoiceStatus> {
        self.invoices.get(invoice).map(|i| &i.status)
    }

    /// The states an anchored invoice was proved between (`state_before`, `state_after`), by its
    /// commitment.
    pub fn invoice_states(&self, invoice: &Fr) -> Option<(Fr, Fr)> {
        self.invoices.get(invoice).map(|i| i.states)
    }

    /// An anchored MSA.
    pub(crate) fn msa(&self, msa: &Fr) -> Option<&MsaView> {
        self.msas.get(msa)
    }

    /// An anchored invoice.
    pub(crate) fn invoice(&self, invoice: &Fr) -> Option<&InvoiceView> {
        self.invoices.get(invoice)
    }

    /// Records entry `seq`: the rules admitted it and recorded what it establishes.
    pub(crate) fn advance(&mut self, seq: u64) {
        self.len = seq;
    }

    /// Records an `msa-agreed` entry.
    pub(crate) fn anchor_msa(&mut self, seq: u64, msa: Fr, state0: Fr, key: PreparedInvoiceKeys) {
        self.msas.insert(
            msa,
            MsaView {
                seq,
                key,
                latest: state0,
                used: HashMap::new(),
                states: HashSet::from([state0]),
                usage: HashMap::new(),
                reconcile_key: None,
                netting_key: None,
                netting_heads_key: None,
                reconciliations: HashMap::new(),
                credit_key: None,
                sla: HashMap::new(),
            },
        );
    }

    /// Records a `statement-key-agreed` entry of the reconciliation statement.
    pub(crate) fn agree_reconcile_key(&mut self, seq: u64, msa: &Fr, key: ReconcileKey) {
        if let Some(m) = self.msas.get_mut(msa) {
            m.reconcile_key = Some((seq, key));
        }
    }

    /// Records a `usage-measured` entry.
    pub(crate) fn measure(&mut self, msa: &Fr, period: Period, by: Role, measurement: Measurement) {
        if let Some(m) = self.msas.get_mut(msa) {
            let r = m.reconciliations.entry(period).or_default();
            match by {
                Role::Seller => r.seller = Some(measurement),
                Role::Buyer => r.buyer = Some(measurement),
            }
        }
    }

    /// Records a period's reconciliation, dispute or resolution.
    pub(crate) fn reconcile(&mut self, msa: &Fr, period: &Period, outcome: Outcome) {
        if let Some(r) = self
            .msas
            .get_mut(msa)
            .and_then(|m| m.reconciliations.get_mut(period))
        {
            r.outcome = Some(outcome);
        }
    }

    /// Records a `statement-key-agreed` entry of the netting statement.
    pub(crate) fn agree_netting_key(&mut self, seq: u64, msa: &Fr, key: PreparedKeyOf<NettingStatement>) {
        if let Some(m) = self.msas.get_mut(msa) {
            m.netting_key = Some((seq, key));
        }
    }

    /// Records a `statement-key-agreed` entry of the netting of partitioned invoices.
    pub(crate) fn agree_netting_heads_key(
        &mut self,
        seq: u64,
        msa: &Fr,
        key: PreparedKeyOf<NettingHeadsStatement>,
    ) {
        if let Some(m) = self.msas.get_mut(msa) {
            m.netting_heads_key = Some((seq, key));
        }
    }

    /// Records a `usage-agreed` entry of an anchored MSA.
    pub(crate) fn agree_usage(&mut self, seq: u64, msa: &Fr, period: Period, commitment: Fr) {
        if let Some(m) = self.msas.get_mut(msa) {
            m.usage.insert(
                period,
                UsageView {
                    seq,
                    commitment,
                    invoiced_by: None,
                },
            );
        }
    }

    /// Records an `invoice-proved` entry of an anchored MSA: the MSA moves to `states.1`, the
    /// period's usage is invoiced (finally, if the period was invoiced in part).
    pub(crate) fn prove_invoice(
        &mut self,
        seq: u64,
        msa: &Fr,
        period: &Period,
        invoice: Fr,
        states: (Fr, Fr),
    ) {
        let mut part = Part::Whole;
        if let Some(m) = self.msas.get_mut(msa) {
            let partial = m.reconciliations.get(period).and_then(|r| r.partial?.invoiced);
            if let Some((seq, partial)) = partial {
                part = Part::Final { partial, seq };
            }
            m.used.insert(states.0, seq);
            m.states.insert(states.1);
            m.latest = states.1;
            if let Some(u) = m.usage.get_mut(period) {
                u.invoiced_by = Some(seq);
            }
        }
        self.invoices
            .insert(invoice, InvoiceView::proved(*msa, seq, states, part));
    }

    /// Records the Buyer's decision on an anchored invoice.
    pub(crate) fn decide(&mut self, invoice: &Fr, status: InvoiceStatus) {
        if let Some(i) = self.invoices.get_mut(invoice) {
            i.status = status;
        }
    }
}
