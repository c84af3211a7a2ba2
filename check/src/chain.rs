//! What an anchor contract on an EVM chain holds about one invoice, read back over JSON-RPC
//! ([`ChainFacts`]): what a check against it needs ([`Anchored`]), for the CLI's
//! `verify --anchors URL --contract ADDRESS` and the Buyer's service on a chain.
//!
//! Reading can fail in ways that are not verdicts on the invoice (the node is unreachable, the
//! contract is for another key): those are [`ChainError`]s, not [`crate::Rejection`]s.

use std::time::Instant;

use zkinvoice_circuits::model::period::{parse_date, PeriodDoc};
use zkinvoice_evm::{
    chain::{ChainAnchor, CreditFacts, PartialFacts},
    Address, EvmError,
};
use zkinvoice_verifier::{Fr, PreparedInvoiceKeys};

use crate::{Anchored, Rejection};

/// Why an anchor contract could not be read, or is not the bilateral's.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The node or the contract could not be read (JSON-RPC, the node, the contract).
    #[error("{target}: {source}")]
    Read {
        /// The node's URL and the contract's address.
        target: String,
        /// Why.
        source: EvmError,
    },
    /// The contract's verifier is for another verifying key than the one given.
    #[error("the anchor contract {contract}'s verifier is for key {found}, the key given is {given}")]
    KeyMismatch {
        /// The anchor contract.
        contract: Address,
        /// The hash of the key its verifier embeds, hex.
        found: String,
        /// The hash of the key given, hex.
        given: String,
    },
    /// A period that has no period id (a date before 1970, or not a date).
    #[error("{0}")]
    Period(String),
}

/// A bilateral's anchor contract on a chain: where it is and the verifying key its verifier
/// embeds (the contract holds only the key's hash).
#[derive(Clone)]
pub struct ChainTarget {
    /// The JSON-RPC URL of a node of the chain (`http://` or `https://`).
    pub url: String,
    /// The anchor contract's address.
    pub contract: Address,
    /// The bilateral's verifying key(s), prepared once (not for every bill checked).
    pub key: PreparedInvoiceKeys,
    /// How many blocks deep the facts are read (0: at the latest block). With more than 0, an
    /// invoice counts only once the contract accepted it that deep ([`ChainFacts::unconfirmed`]).
    pub confirmations: u64,
}

impl std::fmt::Debug for ChainTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainTarget")
            .field("url", &self.url)
            .field("contract", &self.contract)
            .field("key", &self.key.hash_hex())
            .field("confirmations", &self.confirmations)
            .finish()
    }
}

impl ChainTarget {
    /// A chain error, with the node and the contract it is about.
    fn err(&self, source: EvmError) -> ChainError {
        ChainError::Read {
            target: format!("{} {}", self.url, self.contract),
            source,
        }
    }

    /// Connects read-only. Blocks: call it off the async threads.
    pub fn connect(&self) -> Result<ChainAnchor, ChainError> {
        ChainAnchor::connect_read_only(&self.url, self.contract).map_err(|e| self.err(e))
    }

    /// Checks that the contract is there and its verifier is for this target's key. Blocks.
    pub fn check(&self) -> Result<(), ChainError> {
        let state = self.connect()?.state().map_err(|e| self.err(e))?;
        self.check_key(&state.vk_hash)
    }

    fn check_key(&self, vk_hash: &[u8; 32]) -> Result<(), ChainError> {
        if *vk_hash != self.key.hash() {
            return Err(ChainError::KeyMismatch {
                contract: self.contract,
                found: hex::encode(vk_hash),
                given: self.key.hash_hex(),
            });
        }
        Ok(())
    }
}

/// The anchor's period id of a period (`YYYY-MM-DD` dates, end exclusive):
/// `startDay << 32 | endDay`, days since 1970-01-01 ([`zkinvoice_evm::abi::period_id`]).
pub fn period_id(start: &str, end: &str) -> Result<u64, String> {
    Ok(zkinvoice_evm::abi::period_id(
        day("period start", start)?,
        day("period end", end)?,
    ))
}

/// The anchor's day of a `YYYY-MM-DD` date (`field`, for messages): days since 1970-01-01, as
/// period ids and payments name days.
pub fn day(field: &str, s: &str) -> Result<u32, String> {
    let date = parse_date(field, s).map_err(|e| e.to_string())?;
    let days = (date - chrono::NaiveDate::default()).num_days();
    u32::try_from(days).map_err(|_| format!("{field}: {s} is before 1970-01-01"))
}

/// What an anchor contract holds for one invoice, read back: its MSA and `state_0`, the current
/// state, the usage registered for the invoice's period, and the states the invoice was accepted
/// between if it was submitted.
pub struct ChainFacts {
    key: PreparedInvoiceKeys,
    msa: Option<(Fr, Fr)>,
    current_state: Option<Fr>,
    usage: Option<(String, String, Fr)>,
    invoice: Option<(Fr, (Fr, Fr))>,
    /// The reference under which the Seller recorded the payment of the invoice's period
    /// received on the contract.
    received: Option<String>,
    /// The invoice's period's credit note, whether it came after the payment, and the notes
    /// carried to the invoice.
    credits: CreditFacts,
    /// The invoice's period (when known) and what the contract records of its partial invoice.
    partial: Option<(String, String, PartialFacts)>,
    summary: String,
    /// Set when confirmations were asked and the invoice is not accepted that deep: the
    /// confirmations and the block read.
    unconfirmed: Option<(u64, u64)>,
}

impl ChainFacts {
    /// Reads what `target` holds for the invoice `invoice` of `period` (when known): a key
    /// mismatch if the anchor's verifier is for another key than the target's. Blocks: call it
    /// off the async threads.
    pub fn read(target: &ChainTarget, period: Option<&PeriodDoc>, invoice: &Fr) -> Result<Self, ChainError> {
        let t = Instant::now();
        let period_id = period
            .map(|p| period_id(&p.start, &p.end))
            .transpose()
            .map_err(ChainError::Period)?;
        let facts = target
            .connect()?
            .invoice_facts(period_id, invoice, target.confirmations)
            .map_err(|e| target.err(e))?;
        target.check_key(&facts.vk_hash)?;
        let summary = format!(
            "read from the anchor contract {} at {} in {:.0} ms (block {}): MSA {}, {}",
            target.contract,
            target.url,
            t.elapsed().as_secs_f64() * 1e3,
            facts.block,
            if facts.msa.is_some() {
                "registered"
            } else {
                "not registered"
            },
            match (&facts.submitted, &facts.partial.submitted) {
                (Some(s), _) => format!("this invoice accepted in tx {}", s.tx),
                (None, Some(s)) => format!("this partial invoice accepted in tx {}", s.tx),
                (None, None) => "this invoice not submitted yet".into(),
            }
        );
        let accepted = facts.submitted.is_some() || facts.partial.submitted.is_some();
        let unconfirmed =
            (target.confirmations > 0 && !accepted).then_some((target.confirmations, facts.block));
        Ok(Self {
            unconfirmed,
            key: target.key.clone(),
            msa: facts.msa,
            current_state: facts.current_state,
            usage: period
                .zip(facts.usage)
                .map(|(p, u)| (p.start.clone(), p.end.clone(), u)),
            invoice: facts
                .submitted
                .map(|s| (*invoice, (s.state_before, s.state_after))),
            received: facts.received,
            credits: facts.credits,
            partial: period.map(|p| (p.start.clone(), p.end.clone(), facts.partial)),
            summary,
        })
    }

    /// What was read, for people: the contract, the time taken, whether this invoice was accepted
    /// there.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// Why the invoice does not count yet, when confirmations were asked and the contract has not
    /// accepted it that deep (it may later: not a refusal of the invoice).
    pub fn unconfirmed(&self) -> Option<Rejection> {
        self.unconfirmed
            .map(|(confirmations, block)| Rejection::Unconfirmed { confirmations, block })
    }

    /// Whether the contract accepted this invoice (its `InvoiceSubmitted` event was found, or
    /// its `PartialInvoiceSubmitted` event for the period's partial invoice).
    pub fn is_submitted(&self) -> bool {
        self.invoice.is_some() || self.partial_submitted(None).is_some()
    }

    /// The partial invoice's states, when the invoice asked is the period's partial invoice (and
    /// is `invoice`, if given).
    fn partial_submitted(&self, invoice: Option<&Fr>) -> Option<(Fr, Fr)> {
        let (_, _, p) = self.partial.as_ref()?;
        let s = p.submitted?;
        (invoice.is_none() || p.partial.invoice.as_ref() == invoice)
            .then_some((s.state_before, s.state_after))
    }

    /// What the contract records of the partial invoice of an MSA's period, if it is the period
    /// read.
    fn partial_of(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<&PartialFacts> {
        let (start, end, p) = self.partial.as_ref()?;
        (self.is_msa(msa) && start == period_start && end == period_end).then_some(p)
    }

    fn is_msa(&self, msa: &Fr) -> bool {
        self.msa.is_some_and(|(m, _)| m == *msa)
    }
}

impl Anchored for ChainFacts {
    fn verifying_key(&self, msa: &Fr) -> Option<&PreparedInvoiceKeys> {
        self.is_msa(msa).then_some(&self.key)
    }

    fn agreed_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        let (start, end, usage) = self.usage.as_ref()?;
        (self.is_msa(msa) && start == period_start && end == period_end).then_some(*usage)
    }

    /// An invoice the contract accepted (`InvoiceSubmitted`), or the period's partial invoice
    /// (`PartialInvoiceSubmitted`).
    fn invoice_states(&self, invoice: &Fr) -> Option<(Fr, Fr)> {
        self.invoice
            .filter(|(i, _)| i == invoice)
            .map(|(_, s)| s)
            .or_else(|| self.partial_submitted(Some(invoice)))
    }

    fn latest_state(&self, msa: &Fr) -> Option<Fr> {
        if self.is_msa(msa) {
            self.current_state
        } else {
            None
        }
    }

    /// The reference of the payment the Seller recorded received on the contract for this
    /// invoice's period (`recordReceipt`): a period has at most one invoice there, this one when
    /// the contract accepted it.
    fn payment_received(&self, invoice: &Fr) -> Option<String> {
        if self.partial_submitted(Some(invoice)).is_some() {
            return self.partial.as_ref()?.2.received.clone();
        }
        self.invoice.filter(|(i, _)| i == invoice)?;
        self.received.clone()
    }

    /// The commitment of the credit note the Seller recorded on the contract for this invoice's
    /// period (`recordCreditNote`, which the contract checked is of this invoice).
    fn credit_note(&self, invoice: &Fr) -> Option<Fr> {
        self.invoice.filter(|(i, _)| i == invoice)?;
        self.credits.credit
    }

    /// Whether the Seller recorded this invoice's credit note after its payment (`carries`):
    /// then it is carried forward, not applied to this invoice.
    fn credit_after_payment(&self, invoice: &Fr) -> bool {
        self.invoice.is_some_and(|(i, _)| i == *invoice) && self.credits.after_payment
    }

    /// The credit notes both parties carried to this invoice's period (`CreditCarried`), in the
    /// order carried.
    fn carried_to(&self, invoice: &Fr) -> Vec<(Fr, Fr)> {
        match self.invoice {
            Some((i, _)) if i == *invoice => self.credits.carried.clone(),
            _ => Vec::new(),
        }
    }

    /// The partial usage the parties registered on the contract for the period read
    /// (`registerPartialUsage`).
    fn partial_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        self.partial_of(msa, period_start, period_end)?.partial.usage
    }

    /// The partial invoice the Seller submitted on the contract for the period read
    /// (`submitPartialInvoice`).
    fn partial_invoice(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        self.partial_of(msa, period_start, period_end)?.partial.invoice
    }
}
