//! `anchors append`: a signed proposal appended to the log (signatures and rules checked first,
//! nothing written on a refusal); or, on a chain, sent as the anchor contract's call by the party
//! of `--key`: `msa-agreed` -> `registerMsa`, `usage-agreed` -> `registerUsage`,
//! `invoice-proved` -> `submitInvoice`, `payment` -> `recordPayment` (the Buyer),
//! `payment-received` -> `recordReceipt` (the Seller); the netting key's `statement-key-agreed`
//! with `--counterpart` and `--statement-verifier` -> `registerNetting`, `invoices-netted` ->
//! `recordNetting`, `net-payment` and `net-payment-received` -> `recordPayment` and
//! `recordReceipt` of the netted period, by the payer and the payee; the credit-note key's
//! `statement-key-agreed` with `--statement-verifier` -> `registerCreditVerifier`, `sla-agreed`
//! -> `registerSla`, `credit-note` -> `recordCreditNote`; the reconciliation key's
//! `statement-key-agreed` with `--statement-verifier` -> `registerReconcileVerifier`,
//! `usage-measured` -> `recordMeasurement` (by the party that measured), `usage-reconciled` and
//! `dispute-opened` -> `recordReconciliation`, `dispute-resolved` -> `resolveDispute` (by each
//! party); `usage-partial` -> `registerPartialUsage`, `invoice-partial` ->
//! `submitPartialInvoice`, and a partial invoice's `payment` and `payment-received` ->
//! `recordPartialPayment` and `recordPartialReceipt`. On a chain the Ed25519 signatures play no part (the
//! transaction's signature is the party's); what is already registered or submitted with the same
//! values is reported and not sent again, so an interrupted command can be run again.

use std::path::Path;

use zkinvoice_anchors::{Body, KeySetup, Proposal};
use zkinvoice_evm::Address;
use zkinvoice_evm::{
    abi::key_setup_word,
    chain::{AnchorState, ChainAnchor, Included},
};
use zkinvoice_verifier::{
    CreditStatement, Fr, InvoiceProofs, InvoicePublicInputs, NettingHeadsStatement, NettingStatement,
    ReconcileStatement, Statement as _,
};

use crate::{
    args::AppendArgs,
    error::{anchor_err, CliError},
    load,
    resolve::{AnchorSource, ChainAt},
    table::thousands,
};

mod credit;
mod netting;
mod partial;
mod reconcile;
mod settle;

/// `anchors append`.
pub fn run(a: AppendArgs) -> Result<(), CliError> {
    match AnchorSource::resolve(
        &a.anchors,
        a.contract.as_deref(),
        0,
        "--contract and --key",
        a.key.is_some(),
    )? {
        AnchorSource::Chain(at) => {
            let key = a.key.as_deref().ok_or_else(|| {
                CliError::Usage("a JSON-RPC --anchors needs --key (the party's secp256k1 key file)".into())
            })?;
            let p = load::proposal(&a.proposal)?;
            let mut sender = Sender::new(&at, key, &a.proposal)?;
            if let Some(c) = &a.counterpart {
                sender.counterpart = Some(load::address("--counterpart", c)?);
            }
            if let Some(v) = &a.statement_verifier {
                sender.statement_verifier = Some(load::address("--statement-verifier", v)?);
            }
            sender.send(&p)
        }
        AnchorSource::Log(path) => {
            if a.counterpart.is_some() || a.statement_verifier.is_some() {
                return Err(CliError::Usage(
                    "--counterpart and --statement-verifier register a statement's verifier on an anchor contract: give a JSON-RPC --anchors".into(),
                ));
            }
            let log = load::log(&path)?;
            let p = load::proposal(&a.proposal)?;
            let entry = log.append(p).map_err(anchor_err)?;
            println!(
                "{}: entry {} ({}) appended, hash {}",
                path.display(),
                entry.seq,
                entry.body.kind(),
                hex::encode(entry.hash)
            );
            Ok(())
        }
    }
}

fn short(x: &Fr) -> String {
    let h = zkinvoice_verifier::fr_to_hex(x);
    format!("{}…", &h[..18])
}

/// The anchor's period id of a period (`YYYY-MM-DD` dates, end exclusive).
fn period_id(start: &str, end: &str) -> Result<u64, CliError> {
    zkinvoice_check::chain::period_id(start, end).map_err(CliError::Mismatch)
}

/// A party sending one proposal to the anchor contract.
struct Sender<'a> {
    at: &'a ChainAt,
    anchor: ChainAnchor,
    /// The contract's state before anything is sent.
    state: AnchorState,
    /// The proposal file, for messages.
    file: &'a Path,
    /// `--counterpart`, for the netting key's registration.
    counterpart: Option<Address>,
    /// `--statement-verifier`, for the netting or credit-note key's registration.
    statement_verifier: Option<Address>,
}

impl<'a> Sender<'a> {
    fn new(at: &'a ChainAt, key: &Path, file: &'a Path) -> Result<Self, CliError> {
        let anchor = at.as_party(key)?;
        let state = anchor.state().map_err(at.err())?;
        Ok(Self {
            at,
            anchor,
            state,
            file,
            counterpart: None,
            statement_verifier: None,
        })
    }

    /// `NODE CONTRACT`, for messages.
    fn place(&self) -> String {
        format!("{} {}", self.at.url, self.at.contract)
    }

    fn sent(&self, what: &str, i: Included) -> String {
        format!(
            "{}: {what} sent by {} (block {}, tx {}, {} gas)",
            self.place(),
            self.anchor.party(),
            i.block,
            i.hash,
            thousands(i.gas_used)
        )
    }

    fn send(&self, p: &Proposal) -> Result<(), CliError> {
        match &p.body {
            Body::MsaAgreed {
                msa_commitment,
                state0,
                vk_hash,
                key_setup,
                ..
            } => self.register_msa(msa_commitment, state0, vk_hash, key_setup),
            Body::UsageAgreed {
                msa_commitment,
                period_start,
                period_end,
                usage_commitment,
                ..
            } => self.register_usage(msa_commitment, period_start, period_end, usage_commitment),
            Body::InvoiceProved { .. } => self.submit_invoice(&p.body),
            Body::CreditCarried(c) => self.carry_credit(c),
            Body::InvoiceAccepted { .. } | Body::InvoiceRejected { .. } => Err(CliError::Mismatch(format!(
                "{}: the anchor contract has no {} (it accepts an invoice by verifying its proof; a Buyer who disputes one keeps its rejection in a SQLite anchor log)",
                self.file.display(),
                p.body.kind()
            ))),
            Body::StatementKeyAgreed {
                msa_commitment,
                statement,
                vk_hash,
                ..
            } => self.register_statement_key(msa_commitment, statement, vk_hash),
            Body::UsageMeasured { .. } => self.record_measurement(&p.body),
            Body::UsageReconciled { .. } | Body::DisputeOpened { .. } => self.record_reconciliation(&p.body),
            Body::DisputeResolved { .. } => self.resolve_dispute(&p.body),
            Body::UsagePartial {
                msa_commitment,
                period_start,
                period_end,
                usage_commitment,
                ..
            } => self.register_partial_usage(msa_commitment, (period_start, period_end), usage_commitment),
            Body::InvoicePartial { .. } => self.submit_partial_invoice(&p.body),
            Body::Payment {
                msa_commitment,
                invoice_commitment,
                paid_on,
                reference,
            } => self.settle(msa_commitment, invoice_commitment, (false, paid_on), reference),
            Body::PaymentReceived {
                msa_commitment,
                invoice_commitment,
                received_on,
                reference,
            } => self.settle(msa_commitment, invoice_commitment, (true, received_on), reference),
            Body::InvoicesNetted { .. } => self.record_netting(&p.body),
            Body::NetPayment {
                msa_commitment,
                net_commitment,
                by,
                paid_on,
                reference,
            } => self.settle_net(msa_commitment, net_commitment, (*by, false, paid_on), reference),
            Body::NetPaymentReceived {
                msa_commitment,
                net_commitment,
                by,
                received_on,
                reference,
            } => self.settle_net(msa_commitment, net_commitment, (*by, true, received_on), reference),
            Body::SlaAgreed {
                msa_commitment,
                period_start,
                period_end,
                sla_commitment,
            } => self.register_sla(msa_commitment, (period_start, period_end), sla_commitment),
            Body::CreditNote { .. } => self.record_credit_note(&p.body),
        }
    }

    /// A statement's `statement-key-agreed`: the netting key's (v1's or the netting of
    /// partitioned invoices') as `registerNetting`, the credit-note key's as `registerCreditVerifier`, the reconciliation key's as
    /// `registerReconcileVerifier`.
    fn register_statement_key(&self, msa: &Fr, statement: &str, vk_hash: &str) -> Result<(), CliError> {
        if statement == NettingStatement::ID || statement == NettingHeadsStatement::ID {
            self.register_netting(msa, vk_hash)
        } else if statement == CreditStatement::ID {
            self.register_verifier(msa, vk_hash, &credit::CREDIT_VERIFIER)
        } else if statement == ReconcileStatement::ID {
            self.register_verifier(msa, vk_hash, &reconcile::RECONCILE_VERIFIER)
        } else {
            Err(CliError::Mismatch(format!(
                "{}: the anchor contract registers no verifier of {statement}",
                self.file.display()
            )))
        }
    }

    /// The invoice statement's public inputs and proof(s) of an `invoice-proved`,
    /// `invoice-partial` or `usage-measured` body (`proof` its base64 field).
    fn invoice_proof(
        &self,
        body: &Body,
        proof: &str,
    ) -> Result<(InvoicePublicInputs, InvoiceProofs), CliError> {
        let file = self.file.display();
        let inputs = body
            .proved_inputs()
            .ok_or_else(|| CliError::Mismatch(format!("{file}: no public inputs")))?;
        let proof = InvoiceProofs::from_base64(proof)
            .map_err(|e| CliError::Mismatch(format!("{file}: proof: {e}")))?;
        Ok((inputs, proof))
    }

    /// `registerMsa`, with the key setup the parties signed: the ceremony's transcript hash, or
    /// the single-party marker (the anchor refuses either unless it is the one its source names).
    fn register_msa(&self, msa: &Fr, state0: &Fr, vk_hash: &str, setup: &KeySetup) -> Result<(), CliError> {
        let err = self.at.err();
        let word = |field: &str, text: &str| -> Result<[u8; 32], CliError> {
            crate::load::hash32(text).ok_or_else(|| {
                CliError::Mismatch(format!("{}: {field} is not 64 hex digits", self.file.display()))
            })
        };
        let hash = word("vkHash", vk_hash)?;
        let key_setup = match setup.transcript_hash() {
            Some(t) => key_setup_word(Some(word("keySetup.transcriptHash", t)?)),
            None => key_setup_word(None),
        };
        if self.state.msa == Some((*msa, *state0)) && self.state.vk_hash == hash {
            println!("{}: the MSA {} is already registered", self.place(), short(msa));
            return Ok(());
        }
        let i = self
            .anchor
            .register_msa(msa, state0, hash, key_setup)
            .map_err(&err)?;
        let now = self.anchor.state().map_err(&err)?;
        println!(
            "{}; {}",
            self.sent("registerMsa", i),
            if now.msa.is_some() {
                "the MSA is registered (both parties proposed it)"
            } else {
                "waiting for the other party to propose the same MSA"
            }
        );
        Ok(())
    }

    /// Refuses an entry of another MSA than the anchor's (`what`: the entry's subject).
    fn same_msa(&self, what: &str, msa: &Fr) -> Result<(), CliError> {
        match self.state.msa {
            Some((anchored, _)) if anchored != *msa => Err(CliError::Mismatch(format!(
                "{}: the {what} is for MSA {}, the anchor's MSA is {}",
                self.file.display(),
                short(msa),
                short(&anchored)
            ))),
            _ => Ok(()),
        }
    }

    fn register_usage(&self, msa: &Fr, start: &str, end: &str, usage: &Fr) -> Result<(), CliError> {
        let err = self.at.err();
        self.same_msa("usage", msa)?;
        let id = period_id(start, end)?;
        let period = format!("{start}..{end} (period id {id})");
        if self.anchor.period(id).map_err(&err)?.0 == Some(*usage) {
            println!("{}: the usage of {period} is already registered", self.place());
            return Ok(());
        }
        let i = self.anchor.register_usage(id, usage).map_err(&err)?;
        let registered = self.anchor.period(id).map_err(&err)?.0.is_some();
        println!(
            "{}; usage of {period} {}",
            self.sent("registerUsage", i),
            if registered {
                "registered (both parties proposed it)"
            } else {
                "waiting for the other party's proposal"
            }
        );
        Ok(())
    }

    fn submit_invoice(&self, body: &Body) -> Result<(), CliError> {
        let Body::InvoiceProved {
            invoice_number,
            period_start,
            period_end,
            invoice_commitment,
            state_before,
            state_after,
            proof,
            ..
        } = body
        else {
            unreachable!("called for invoice-proved bodies")
        };
        let err = self.at.err();
        let (inputs, proof) = self.invoice_proof(body, proof)?;
        let id = period_id(period_start, period_end)?;
        if let Some(s) = self.anchor.submitted_invoice(invoice_commitment).map_err(&err)? {
            if (s.period_id, s.state_before, s.state_after) == (id, *state_before, *state_after) {
                println!(
                    "{}: invoice {invoice_number} is already accepted (tx {})",
                    self.place(),
                    s.tx
                );
                return Ok(());
            }
        }
        let i = self.anchor.submit_proofs(id, &proof, &inputs).map_err(&err)?;
        println!(
            "{}; invoice {invoice_number} for {period_start}..{period_end} accepted: the proof verified on chain, the state is now {}",
            self.sent("submitInvoice", i),
            short(state_after)
        );
        Ok(())
    }
}
