//! The Buyer's check of a received bill against what is anchored: its anchor log, or an anchor
//! contract read back from a chain (anything [`Anchored`]).

use zkinvoice_anchors::View;
use zkinvoice_circuits::{commit, model::sonata::CustomerBill, statement::STATEMENT, Invoice, Msa, Shape};
use zkinvoice_verifier::{fr_to_hex, Fr, PreparedInvoiceKey, VerifyError};

/// What a received invoice is checked against: the facts both parties anchored. An anchor log's
/// [`View`] is one; an anchor contract read back over JSON-RPC is another (the CLI's
/// `verify --anchors URL --contract ADDRESS`).
pub trait Anchored {
    /// The prepared verifying key anchored with an MSA, if the MSA is anchored.
    fn verifying_key(&self, msa: &Fr) -> Option<&PreparedInvoiceKey>;
    /// The usage commitment agreed for an MSA and the period `[period_start, period_end)`
    /// (`YYYY-MM-DD`), if any.
    fn agreed_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr>;
    /// The states an anchored invoice was proved between (`state_before`, `state_after`), by its
    /// commitment, if it is anchored.
    fn invoice_states(&self, invoice: &Fr) -> Option<(Fr, Fr)>;
    /// The MSA's latest anchored state (`state_0`, or the state after its last invoice).
    fn latest_state(&self, msa: &Fr) -> Option<Fr>;
}

impl Anchored for View {
    fn verifying_key(&self, msa: &Fr) -> Option<&PreparedInvoiceKey> {
        View::verifying_key(self, msa)
    }

    fn agreed_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        View::agreed_usage(self, msa, period_start, period_end)
    }

    fn invoice_states(&self, invoice: &Fr) -> Option<(Fr, Fr)> {
        View::invoice_states(self, invoice)
    }

    fn latest_state(&self, msa: &Fr) -> Option<Fr> {
        View::latest_state(self, msa)
    }
}

/// The proof scheme every bill must carry.
pub const SCHEME: &str = "groth16-bls12-381";

/// Why a bill is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The bill is proved under another scheme or verifying key than the MSA's anchored one.
    #[error("{0}")]
    KeyMismatch(String),
    /// The bill cannot be read as an invoice, or does not open the invoice commitment it claims
    /// (it was edited after proving): it is not the invoice its proof is about.
    #[error("{0}")]
    NotTheInvoice(String),
    /// The bill is the invoice its proof is about, but the proof is against commitments or a state
    /// that are not the anchored ones.
    #[error("{0}")]
    NotAnchored(String),
    /// The bill is the invoice, against the anchored commitments, but its proof does not verify.
    #[error("the proof does not verify")]
    InvalidProof,
}

impl Rejection {
    /// The MEF error code the services answer with: `invalidProof`, `keyMismatch` or `invalidBill`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::KeyMismatch(_) => "keyMismatch",
            Self::InvalidProof => "invalidProof",
            Self::NotTheInvoice(_) | Self::NotAnchored(_) => "invalidBill",
        }
    }

    /// Whether the refusal is about the invoice the proof commits to (so the Buyer may anchor an
    /// `invoice-rejected` for it), rather than about a bill that is not that invoice.
    pub fn is_about_the_invoice(&self) -> bool {
        matches!(self, Self::NotAnchored(_) | Self::InvalidProof)
    }
}

fn short(x: &zkinvoice_verifier::Fr) -> String {
    let h = fr_to_hex(x);
    format!("{}…", &h[..18])
}

/// Checks a received `CustomerBill` against what `view` (the Buyer's anchor log, or an anchor
/// contract read back) anchored: the
/// invoice is rebuilt from the bill's fields and salt (checked against `msa`'s descriptive fields
/// when given) and must open the proven invoice commitment; the proof must be under the MSA's
/// anchored verifying key, against the anchored MSA commitment, the usage agreed for the bill's
/// period and the MSA's latest state (or, for an invoice already anchored, the anchored states);
/// then the proof must verify. Returns the invoice.
pub fn check_bill(
    view: &impl Anchored,
    bill: &CustomerBill,
    msa: Option<&Msa>,
) -> Result<Invoice, Rejection> {
    let zk = &bill.zk_proof;
    let p = &zk.public_inputs;
    if zk.scheme != SCHEME {
        return Err(Rejection::KeyMismatch(format!(
            "the bill is proved with {}, this verifier checks {SCHEME} / {STATEMENT}",
            zk.scheme
        )));
    }
    let key = view.verifying_key(&p.msa_commitment).ok_or_else(|| {
        Rejection::NotAnchored(format!(
            "the proof is against MSA commitment {}, which is not anchored",
            short(&p.msa_commitment)
        ))
    })?;
    key.check_hash(&zk.vk_hash)
        .map_err(|e| Rejection::KeyMismatch(e.to_string()))?;
    let shape: Shape = zk
        .shape
        .parse()
        .map_err(|e| Rejection::NotTheInvoice(format!("zkProof.shape: {e}")))?;
    let (invoice, salt) = bill
        .to_invoice(msa)
        .map_err(|e| Rejection::NotTheInvoice(format!("the bill: {e}")))?;
    let opened = commit::invoice_commitment(&invoice, shape, &salt)
        .map_err(|e| Rejection::NotTheInvoice(format!("the bill: {e}")))?;
    if opened.0 != p.invoice_commitment {
        return Err(Rejection::NotTheInvoice(
            "the bill does not open the proven invoice commitment (it was changed after proving)".into(),
        ));
    }
    let period = invoice.period.to_doc();
    let usage = view
        .agreed_usage(&p.msa_commitment, &period.start, &period.end)
        .ok_or_else(|| {
            Rejection::NotAnchored(format!(
                "no usage is anchored for the period {}..{}",
                period.start, period.end
            ))
        })?;
    if usage != p.usage_commitment {
        return Err(Rejection::NotAnchored(format!(
            "the proof is against usage commitment {}, not the agreed {}",
            short(&p.usage_commitment),
            short(&usage)
        )));
    }
    match view.invoice_states(&p.invoice_commitment) {
        Some(states) if states != (p.state_before, p.state_after) => {
            return Err(Rejection::NotAnchored(
                "the bill's states are not those of the anchored invoice".into(),
            ))
        }
        Some(_) => {}
        None => {
            let latest = view.latest_state(&p.msa_commitment);
            if latest != Some(p.state_before) {
                return Err(Rejection::NotAnchored(format!(
                    "the proof starts from state {}, not the latest anchored state",
                    short(&p.state_before)
                )));
            }
        }
    }
    match zkinvoice_verifier::verify(key, &zk.proof, p) {
        Ok(()) => Ok(invoice),
        Err(VerifyError::InvalidProof) => Err(Rejection::InvalidProof),
        Err(e @ VerifyError::KeyMismatch { .. }) => Err(Rejection::KeyMismatch(e.to_string())),
        Err(e) => Err(Rejection::NotTheInvoice(e.to_string())),
    }
}
