//! What the settlement's and the netting's entries establish: each accepted invoice's payment
//! and receipt, the netted invoices, and each netting's net with its payment and receipt.

use zkinvoice_verifier::Fr;

use super::{InvoiceStatus, View};
use crate::role::Role;

/// The settlement of an accepted invoice: paid in full by the Buyer (`payment`), and received by
/// the Seller (`payment-received`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    /// The `payment` entry.
    pub paid: u64,
    /// The day it was paid.
    pub paid_on: String,
    /// The payment's reference.
    pub reference: String,
    /// The `payment-received` entry and its day, once the Seller received it.
    pub received: Option<(u64, String)>,
}

/// A netting (`invoices-netted`) as this log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetView {
    /// The `invoices-netted` entry.
    pub seq: u64,
    /// This log's MSA.
    pub msa: Fr,
    /// Who pays the net, by this log's roles.
    pub payer: Role,
    /// The net's payment and receipt (`net-payment`, `net-payment-received`), once paid.
    pub settlement: Option<Settlement>,
}

impl View {
    /// The settlement of an anchored invoice (its payment and receipt), once it is paid.
    pub fn settlement(&self, invoice: &Fr) -> Option<&Settlement> {
        self.invoices.get(invoice)?.settlement.as_ref()
    }

    /// The invoices the Buyer accepted, each with its settlement if it is paid (for the audit).
    pub fn accepted_invoices(&self) -> impl Iterator<Item = (&Fr, Option<&Settlement>)> {
        self.invoices
            .iter()
            .filter(|(_, i)| matches!(i.status, InvoiceStatus::Accepted { .. }))
            .map(|(c, i)| (c, i.settlement.as_ref()))
    }

    /// Records an `invoices-netted` entry: both invoices are netted by it, and its net is owed
    /// by `payer`.
    pub(crate) fn net(&mut self, seq: u64, invoices: [Fr; 2], net: Fr, msa: Fr, payer: Role) {
        for i in invoices {
            self.netted.insert(i, seq);
        }
        self.nets.insert(
            net,
            NetView {
                seq,
                msa,
                payer,
                settlement: None,
            },
        );
    }

    /// What settled an invoice, once its payment was received: its own payment (`payment`,
    /// `payment-received`), or, for a netted invoice, its netting's net payment
    /// (`net-payment`, `net-payment-received`).
    pub fn receipt_of(&self, invoice: &Fr) -> Option<&Settlement> {
        let received = |s: &&Settlement| s.received.is_some();
        self.settlement(invoice).filter(received).or_else(|| {
            let seq = self.netted(invoice)?;
            let n = self.nets.values().find(|n| n.seq == seq)?;
            n.settlement.as_ref().filter(received)
        })
    }

    /// A netting, by its net commitment.
    pub fn netting(&self, net: &Fr) -> Option<&NetView> {
        self.nets.get(net)
    }

    /// The nettings, by their net commitment (for the audit).
    pub fn net_views(&self) -> impl Iterator<Item = (&Fr, &NetView)> {
        self.nets.iter()
    }

    /// Records a net's payment or its receipt.
    pub(crate) fn settle_net(&mut self, net: &Fr, settlement: Settlement) {
        if let Some(n) = self.nets.get_mut(net) {
            n.settlement = Some(settlement);
        }
    }

    /// The `invoices-netted` entry that netted an invoice (this log's or the other
    /// bilateral's), if any.
    pub fn netted(&self, invoice: &Fr) -> Option<u64> {
        self.netted.get(invoice).copied()
    }

    /// How many `invoices-netted` entries the log holds.
    pub fn nettings(&self) -> usize {
        self.netted.len() / 2
    }

    /// Records an invoice's payment or its receipt.
    pub(crate) fn settle(&mut self, invoice: &Fr, settlement: Settlement) {
        if let Some(i) = self.invoices.get_mut(invoice) {
            i.settlement = Some(settlement);
        }
    }
}
