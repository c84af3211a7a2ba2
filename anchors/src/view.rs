//! The log's state machine: what replaying the entries establishes, and the rules a new entry
//! must follow.

use std::collections::{HashMap, HashSet};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use zkinvoice_verifier::{
    fr_to_hex, verify, Fr, InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKey, PreparedInvoiceKey,
};

use crate::body::{short, Body};

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

/// A proof whose check was deferred (for batch verification in an audit).
#[derive(Clone, Debug)]
pub(crate) struct Deferred {
    pub msa: Fr,
    pub proof: InvoiceProof,
    pub inputs: InvoicePublicInputs,
}

struct UsageView {
    seq: u64,
    commitment: Fr,
    invoiced_by: Option<u64>,
}

struct MsaView {
    seq: u64,
    key: PreparedInvoiceKey,
    latest: Fr,
    /// States anchored as some invoice's `state_before`, with that invoice's entry.
    used: HashMap<Fr, u64>,
    /// Every state anchored for this MSA (`state_0` and every `state_after`).
    states: HashSet<Fr>,
    /// Agreed usage per period `(start, end)`.
    usage: HashMap<(String, String), UsageView>,
}

struct InvoiceView {
    msa: Fr,
    states: (Fr, Fr),
    status: InvoiceStatus,
}

/// What a log's entries establish, replayed in order: the anchored MSAs with their verifying keys
/// and latest states, the agreed usage per period, the proved invoices and the Buyer's decisions.
#[derive(Default)]
pub struct View {
    msas: HashMap<Fr, MsaView>,
    invoices: HashMap<Fr, InvoiceView>,
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

fn hx(x: &Fr) -> String {
    short(&fr_to_hex(x))
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

    /// The prepared verifying key anchored with an MSA.
    pub fn verifying_key(&self, msa: &Fr) -> Option<&PreparedInvoiceKey> {
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

    /// Checks `body` as entry `seq` against the rules and, if it follows them, applies it. With
    /// `verify_proof` false an `invoice-proved` proof is decoded but its check is returned for the
    /// caller to do. On refusal the view is unchanged and the reason names the rule and values.
    pub(crate) fn admit(
        &mut self,
        seq: u64,
        body: &Body,
        verify_proof: bool,
    ) -> Result<Option<Deferred>, String> {
        let mut deferred = None;
        match body {
            Body::MsaAgreed {
                msa_id,
                msa_commitment,
                state0,
                shape,
                vk,
                vk_hash,
            } => {
                check_text("msaId", msa_id)?;
                check_text("shape", shape)?;
                if let Some(m) = self.msas.get(msa_commitment) {
                    return Err(format!(
                        "MSA {} is already anchored (entry {})",
                        hx(msa_commitment),
                        m.seq
                    ));
                }
                let bytes = STANDARD
                    .decode(vk)
                    .map_err(|e| format!("vk is not base64 ({e})"))?;
                let actual = hex::encode(Sha256::digest(&bytes));
                if *vk_hash != actual {
                    return Err(format!(
                        "vkHash {} is not the SHA-256 of vk ({})",
                        short(vk_hash),
                        short(&actual)
                    ));
                }
                let key = InvoiceVerifyingKey::from_bytes(&bytes)
                    .map_err(|e| format!("vk is not an invoice verifying key ({e})"))?
                    .prepare();
                self.msas.insert(
                    *msa_commitment,
                    MsaView {
                        seq,
                        key,
                        latest: *state0,
                        used: HashMap::new(),
                        states: HashSet::from([*state0]),
                        usage: HashMap::new(),
                    },
                );
            }
            Body::UsageAgreed {
                msa_commitment,
                period_start,
                period_end,
                usage_commitment,
                usage_detail_root,
            } => {
                check_period(period_start, period_end)?;
                if hex::decode(usage_detail_root).map(|b| b.len()) != Ok(32) {
                    return Err(format!(
                        "usageDetailRoot {usage_detail_root:?} is not 64 hex digits"
                    ));
                }
                let m = self.msa_mut(msa_commitment)?;
                let period = (period_start.clone(), period_end.clone());
                if let Some(u) = m.usage.get(&period) {
                    return Err(format!(
                        "usage for MSA {} and period {period_start}..{period_end} is already agreed (entry {})",
                        hx(msa_commitment),
                        u.seq
                    ));
                }
                m.usage.insert(
                    period,
                    UsageView {
                        seq,
                        commitment: *usage_commitment,
                        invoiced_by: None,
                    },
                );
            }
            Body::InvoiceProved {
                msa_commitment,
                invoice_number,
                period_start,
                period_end,
                usage_commitment,
                invoice_commitment,
                state_before,
                state_after,
                proof,
            } => {
                check_text("invoiceNumber", invoice_number)?;
                check_period(period_start, period_end)?;
                if let Some(i) = self.invoices.get(invoice_commitment) {
                    let proved = match i.status {
                        InvoiceStatus::Proved { proved }
                        | InvoiceStatus::Accepted { proved, .. }
                        | InvoiceStatus::Rejected { proved, .. } => proved,
                    };
                    return Err(format!(
                        "invoice {} is already anchored (entry {proved})",
                        hx(invoice_commitment)
                    ));
                }
                let m = self
                    .msas
                    .get(msa_commitment)
                    .ok_or_else(|| not_anchored(msa_commitment))?;
                let period = (period_start.clone(), period_end.clone());
                let usage = m.usage.get(&period).ok_or_else(|| {
                    format!(
                        "no usage is agreed for MSA {} and period {period_start}..{period_end}",
                        hx(msa_commitment)
                    )
                })?;
                if usage.commitment != *usage_commitment {
                    return Err(format!(
                        "usage commitment {} is not the usage agreed for {period_start}..{period_end} ({}, entry {})",
                        hx(usage_commitment),
                        hx(&usage.commitment),
                        usage.seq
                    ));
                }
                if *state_before != m.latest {
                    return Err(match m.used.get(state_before) {
                        Some(by) => format!(
                            "state already used: state_before {} was the state_before of entry {by}; the MSA's latest state is {}",
                            hx(state_before),
                            hx(&m.latest)
                        ),
                        None => format!(
                            "stale state: state_before {} is not the MSA's latest state {}",
                            hx(state_before),
                            hx(&m.latest)
                        ),
                    });
                }
                if let Some(by) = usage.invoiced_by {
                    return Err(format!(
                        "the usage of {period_start}..{period_end} is already invoiced (entry {by})"
                    ));
                }
                if m.states.contains(state_after) {
                    return Err(format!(
                        "state_after {} is already an anchored state of the MSA",
                        hx(state_after)
                    ));
                }
                let proof = InvoiceProof::from_base64(proof).map_err(|e| e.to_string())?;
                let inputs = body
                    .proved_inputs()
                    .ok_or_else(|| "an invoice-proved body without public inputs".to_string())?;
                if verify_proof {
                    verify(&m.key, &proof, &inputs).map_err(|_| {
                        format!(
                            "the proof does not verify under the MSA's verifying key {} for invoice {}",
                            short(&m.key.hash_hex()),
                            hx(invoice_commitment)
                        )
                    })?;
                } else {
                    deferred = Some(Deferred {
                        msa: *msa_commitment,
                        proof,
                        inputs,
                    });
                }
                let m = self.msa_mut(msa_commitment)?;
                m.used.insert(*state_before, seq);
                m.states.insert(*state_after);
                m.latest = *state_after;
                if let Some(u) = m.usage.get_mut(&period) {
                    u.invoiced_by = Some(seq);
                }
                self.invoices.insert(
                    *invoice_commitment,
                    InvoiceView {
                        msa: *msa_commitment,
                        states: (*state_before, *state_after),
                        status: InvoiceStatus::Proved { proved: seq },
                    },
                );
            }
            Body::InvoiceAccepted {
                msa_commitment,
                invoice_commitment,
            }
            | Body::InvoiceRejected {
                msa_commitment,
                invoice_commitment,
                ..
            } => {
                if let Body::InvoiceRejected { reason, .. } = body {
                    if reason.trim().is_empty() {
                        return Err("a rejection must give a reason".into());
                    }
                }
                self.msa_mut(msa_commitment)?;
                let i = self.invoices.get_mut(invoice_commitment).ok_or_else(|| {
                    format!(
                        "invoice {} is not anchored (no invoice-proved entry)",
                        hx(invoice_commitment)
                    )
                })?;
                if i.msa != *msa_commitment {
                    return Err(format!(
                        "invoice {} belongs to MSA {}, not {}",
                        hx(invoice_commitment),
                        hx(&i.msa),
                        hx(msa_commitment)
                    ));
                }
                let proved = match &i.status {
                    InvoiceStatus::Proved { proved } => *proved,
                    InvoiceStatus::Accepted { decided, .. } => {
                        return Err(format!(
                            "invoice {} is already accepted (entry {decided})",
                            hx(invoice_commitment)
                        ))
                    }
                    InvoiceStatus::Rejected { decided, .. } => {
                        return Err(format!(
                            "invoice {} is already rejected (entry {decided})",
                            hx(invoice_commitment)
                        ))
                    }
                };
                i.status = match body {
                    Body::InvoiceRejected { reason, .. } => InvoiceStatus::Rejected {
                        proved,
                        decided: seq,
                        reason: reason.clone(),
                    },
                    _ => InvoiceStatus::Accepted { proved, decided: seq },
                };
            }
        }
        self.len = seq;
        Ok(deferred)
    }

    fn msa_mut(&mut self, msa: &Fr) -> Result<&mut MsaView, String> {
        self.msas.get_mut(msa).ok_or_else(|| not_anchored(msa))
    }
}

fn not_anchored(msa: &Fr) -> String {
    format!("MSA {} is not anchored (no msa-agreed entry)", hx(msa))
}

/// A non-empty identifier of at most 256 bytes without control characters or surrounding blanks.
fn check_text(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 256 || value.trim() != value || value.chars().any(char::is_control) {
        return Err(format!(
            "{field} {value:?} must be 1 to 256 bytes without control characters or surrounding white space"
        ));
    }
    Ok(())
}

/// Two `YYYY-MM-DD` dates, the end after the start.
fn check_period(start: &str, end: &str) -> Result<(), String> {
    check_date("periodStart", start)?;
    check_date("periodEnd", end)?;
    if end <= start {
        return Err(format!("period {start}..{end}: the end is not after the start"));
    }
    Ok(())
}

fn check_date(field: &str, text: &str) -> Result<(), String> {
    let bad = || format!("{field} {text:?} is not a date YYYY-MM-DD");
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
        let s = &text[r];
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_date;

    #[test]
    fn dates() {
        for ok in ["2026-10-01", "2024-02-29", "2000-02-29", "9999-12-31"] {
            assert!(check_date("d", ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-13-01",
            "2026-02-29",
            "1900-02-29",
            "2026-1-01",
            "2026/10/01",
            "2026-10-0a",
            "",
        ] {
            assert!(check_date("d", bad).is_err(), "{bad}");
        }
    }
}
