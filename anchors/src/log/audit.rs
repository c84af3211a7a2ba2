//! [`AnchorLog::audit`]: the checks of a verification, continuing past failures, with the proofs
//! verified in one batch per MSA (or one by one) and every bad entry named.

use std::time::{Duration, Instant};

use rand::RngCore;
use zkinvoice_verifier::{verify_batch, Fr, PreparedInvoiceKey, PreparedInvoiceKeys, VerifyError};

use crate::error::{AnchorError, Corruption};
use crate::rules::Deferred;
use crate::view::View;

use super::replay::{replay, Mode};
use super::written::check_written;
use super::AnchorLog;

/// How [`AnchorLog::audit_with`] checks the proofs.
#[derive(Default)]
pub struct AuditOptions<'a> {
    /// Verify proofs one at a time instead of in one batch per MSA.
    pub one_by_one: bool,
    /// Called with `(done, total)` units of work: one per entry, then one per proof.
    pub progress: Option<&'a mut dyn FnMut(u64, u64)>,
}

impl std::fmt::Debug for AuditOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditOptions")
            .field("one_by_one", &self.one_by_one)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What [`AnchorLog::audit`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries read.
    pub entries: u64,
    /// Anchored MSAs.
    pub msas: u64,
    /// Groth16 proofs checked (a partitioned invoice counts each partition's; the proofs of
    /// `usage-measured`, `usage-reconciled`, `dispute-opened` and `invoices-netted` are checked as
    /// their entries are replayed, and counted once per entry).
    pub proofs: u64,
    /// The invoices the Buyer accepted, and how many of them are netted, paid and received.
    pub settlement: SettlementCounts,
    /// Every entry that does not check, with the reason, in `seq` order (at most one per entry).
    pub failures: Vec<(u64, Corruption)>,
    /// The time spent checking proofs.
    pub proof_time: Duration,
    /// The whole audit's time.
    pub elapsed: Duration,
}

/// The settlement of the accepted invoices (`payment`, `payment-received`, `invoices-netted`).
/// Each payment settles one accepted invoice in full, so what was paid is what was proved and
/// accepted; a netted invoice is not paid on its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SettlementCounts {
    /// Invoices the Buyer accepted.
    pub accepted: u64,
    /// Of them, netted against an invoice of the opposite bilateral (`invoices-netted`): their
    /// net is settled, not the invoice.
    pub netted: u64,
    /// Of them, credited (`credit-note`): their payment is the total less the note's (a note
    /// recorded after the payment is carried to a later invoice instead).
    pub credited: u64,
    /// Credit notes carried forward (`credit-carried`): each later invoice's payment is its
    /// total less the notes carried to it.
    pub carried: u64,
    /// Of them, paid by the Buyer (`payment`).
    pub paid: u64,
    /// Of those, received by the Seller (`payment-received`): settled.
    pub received: u64,
    /// Nettings (`invoices-netted`), each settling its two invoices by one net.
    pub nets: u64,
    /// Of them, whose net is paid (`net-payment`).
    pub nets_paid: u64,
    /// Of those, whose payment is received (`net-payment-received`): settled.
    pub nets_received: u64,
}

impl AuditReport {
    /// Whether nothing failed.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty()
    }
}

/// How many proofs a batch verification takes at once.
const BATCH: usize = 64;

impl AnchorLog {
    /// [`AnchorLog::audit_with`] with proofs batched per MSA and no progress report.
    pub fn audit<R: RngCore + ?Sized>(&self, rng: &mut R) -> Result<AuditReport, AnchorError> {
        self.audit_with(rng, AuditOptions::default())
    }

    /// The checks of [`AnchorLog::verify_log`], continuing past failures where possible, with
    /// every proof verified by [`verify_batch`] per MSA (or one by one), the bad ones named.
    /// Returns an error only when the log cannot be read at all.
    pub fn audit_with<R: RngCore + ?Sized>(
        &self,
        rng: &mut R,
        mut options: AuditOptions<'_>,
    ) -> Result<AuditReport, AnchorError> {
        let start = Instant::now();
        let (rows, written) = self.read_stored()?;
        // The progress total counts the proofs before the replay finds them: estimated from the
        // rows' kinds, then corrected.
        let estimated_proofs = rows
            .iter()
            .filter(|r| r.kind.as_deref() == Ok(b"invoice-proved".as_slice()))
            .count() as u64;
        let rows_n = rows.len() as u64;
        let mut progress = Progress {
            report: options.progress.take(),
            done: 0,
            total: rows_n + estimated_proofs,
        };
        let mut r = replay(&rows, &self.parties, Mode::Deferred, true, &mut |d| {
            progress.to(d)
        });
        let mut failures = std::mem::take(&mut r.failures);
        for (seq, reason) in check_written(&rows, &written) {
            if !failures.iter().any(|(s, _)| *s == seq) {
                failures.push((seq, reason));
            }
        }
        progress.total = rows_n + r.deferred.len() as u64;
        progress.done = rows_n;
        let proof_start = Instant::now();
        let proofs = Proofs {
            view: &r.view,
            one_by_one: options.one_by_one,
        };
        proofs.check(&r.deferred, rng, &mut progress, &mut failures);
        let proof_time = proof_start.elapsed();
        progress.to(progress.total);
        failures.sort_by_key(|(seq, _)| *seq);
        // A measurement's and a reconciliation's proofs are verified as the replay admits their
        // entries.
        let reconciliations = rows
            .iter()
            .filter(|row| {
                matches!(
                    row.kind.as_deref(),
                    Ok(b"usage-measured"
                        | b"usage-reconciled"
                        | b"dispute-opened"
                        | b"invoices-netted"
                        | b"credit-note")
                ) && !failures.iter().any(|(seq, _)| *seq as i64 == row.seq)
            })
            .count() as u64;
        let mut settlement = SettlementCounts::default();
        for (c, s) in r.view.accepted_invoices() {
            settlement.accepted += 1;
            settlement.netted += u64::from(r.view.netted(c).is_some());
            settlement.credited += u64::from(r.view.credit_of(c).is_some());
            settlement.paid += u64::from(s.is_some());
            settlement.received += u64::from(s.is_some_and(|s| s.received.is_some()));
        }
        settlement.carried = r.view.carried_notes() as u64;
        for (_, n) in r.view.net_views() {
            settlement.nets += 1;
            settlement.nets_paid += u64::from(n.settlement.is_some());
            settlement.nets_received +=
                u64::from(n.settlement.as_ref().is_some_and(|s| s.received.is_some()));
        }
        Ok(AuditReport {
            entries: rows_n,
            settlement,
            msas: r.msas(),
            proofs: r
                .deferred
                .iter()
                .map(|(_, d)| d.proof.count() as u64)
                .sum::<u64>()
                + reconciliations,
            failures,
            proof_time,
            elapsed: start.elapsed(),
        })
    }
}

/// The caller's progress report and the units of work done so far.
struct Progress<'a> {
    report: Option<&'a mut dyn FnMut(u64, u64)>,
    done: u64,
    total: u64,
}

impl Progress<'_> {
    fn to(&mut self, done: u64) {
        self.done = done;
        if let Some(p) = self.report.as_mut() {
            p(done, self.total);
        }
    }

    fn add(&mut self, n: u64) {
        self.to(self.done + n);
    }
}

/// The deferred proofs' check: each under its MSA's key from the replay's view.
struct Proofs<'v> {
    view: &'v View,
    one_by_one: bool,
}

impl Proofs<'_> {
    /// Checks every deferred proof, grouped by MSA in log order, adding the bad ones to
    /// `failures`.
    fn check<R: RngCore + ?Sized>(
        &self,
        deferred: &[(u64, Deferred)],
        rng: &mut R,
        progress: &mut Progress<'_>,
        failures: &mut Vec<(u64, Corruption)>,
    ) {
        let mut groups: Vec<(Fr, Vec<&(u64, Deferred)>)> = Vec::new();
        for d in deferred {
            match groups.iter_mut().find(|(m, _)| *m == d.1.msa) {
                Some((_, g)) => g.push(d),
                None => groups.push((d.1.msa, vec![d])),
            }
        }
        for (msa, group) in &groups {
            let Some(keys) = self.view.verifying_key(msa) else {
                continue;
            };
            // v1 proofs of one MSA are batched together; a partitioned invoice is a batch of its
            // own (every partition's proof in one check).
            match keys {
                PreparedInvoiceKeys::Single(key) if !self.one_by_one => {
                    for chunk in group.chunks(BATCH) {
                        check_batch(keys, key, chunk, rng, failures);
                        progress.add(chunk.len() as u64);
                    }
                }
                _ => {
                    for (seq, d) in group {
                        if keys.verify(&d.proof, &d.inputs, rng).is_err() {
                            failures.push((*seq, fails(keys)));
                        }
                        progress.add(1);
                    }
                }
            }
        }
    }
}

/// Verifies one batch of v1 proofs under `key` (`keys`' one key), naming the bad ones (all of
/// them if the batch could not be checked).
fn check_batch<R: RngCore + ?Sized>(
    keys: &PreparedInvoiceKeys,
    key: &PreparedInvoiceKey,
    chunk: &[&(u64, Deferred)],
    rng: &mut R,
    failures: &mut Vec<(u64, Corruption)>,
) {
    // Proofs of the other protocol fail on their own; the rest are batched.
    let mut items = Vec::with_capacity(chunk.len());
    let mut batched = Vec::with_capacity(chunk.len());
    for d in chunk {
        match d.1.proof.single() {
            Some(p) => {
                items.push((p, &d.1.inputs));
                batched.push(*d);
            }
            None => failures.push((d.0, fails(keys))),
        }
    }
    match verify_batch(key, &items, rng) {
        Ok(()) => {}
        Err(VerifyError::BatchInvalid { invalid }) => failures.extend(
            invalid
                .iter()
                .filter_map(|&i| batched.get(i))
                .map(|(s, _)| (*s, fails(keys))),
        ),
        Err(e) => failures.extend(
            batched
                .iter()
                .map(|(s, _)| (*s, Corruption::ProofUnchecked(e.clone()))),
        ),
    }
}

fn fails(keys: &PreparedInvoiceKeys) -> Corruption {
    Corruption::ProofFails {
        key_hash: keys.hash_hex(),
    }
}
