//! Keys and proofs of the netting statement (`zkinvoice/netting/v1`, issue 16,
//! `docs/lifecycle.md`): two invoices of one period in opposite directions between the same
//! parties, the net amount and who pays it.
//!
//! Keys ([`NettingKeys`]) as [`crate::lifecycle`] makes, writes and loads them: `netting-X.pk`,
//! `netting-X.vk` and `netting-X.json` per v1 shape `X` (both invoices committed at `X`).
//!
//! [`heads`]: the netting of two partitioned invoices (`zkinvoice/netting/v2`), one key for every
//! partition shape; its proofs and envelopes are v1's with the invoices' parts added.

use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{
    commit::{netting::net_commitment, Salt},
    model::period::PeriodDoc,
    native::netting::Netting,
    statement::netting::{NettingAssignment, NettingCircuit, STATEMENT},
    Currency, Invoice, Shape,
};
use zkinvoice_verifier::{
    partition::Parts, InvoiceProof, NettingPublicInputs, NettingStatement, PreparedKeyOf, VerifyingKeyOf,
};

pub mod heads;

pub use heads::{NetHeads, NettingHeadsKeys};

use crate::{
    lifecycle::{check_envelope, Lifecycle, StatementKeys},
    ProverError,
};

/// The netting statement.
pub struct Net;

impl Lifecycle for Net {
    type Statement = NettingStatement;
    type Circuit = NettingCircuit;
    const NAME: &'static str = "netting";
    fn blank(shape: Shape) -> NettingCircuit {
        NettingCircuit::blank(shape)
    }
}

/// The netting statement's keys of one v1 shape.
pub type NettingKeys = StatementKeys<Net>;

/// The netting statement's verifying key.
pub type NettingVerifyingKey = VerifyingKeyOf<NettingStatement>;

/// A proven netting: its public inputs, the netting they state (in their order), the salt of
/// the net's commitment, and the proof.
pub struct ProvedNetting {
    /// The public inputs.
    pub public: NettingPublicInputs,
    /// The net and who pays it, `first` and `second` in the public inputs' order.
    pub netting: Netting,
    /// Whether the invoices were given in the other order (the first given is the second).
    pub swapped: bool,
    /// The salt of `net_commitment`.
    pub net_salt: Salt,
    /// The proof.
    pub proof: InvoiceProof,
    /// Of two partitioned invoices ([`heads`]): their parts, in the public inputs' order, whose
    /// heads are the statement's further inputs and whose tops are the invoice commitments.
    pub parts: Option<[Parts; 2]>,
}

impl NettingKeys {
    /// Nets invoices `a` and `b` (each with the salt of its commitment at the keys' shape) and
    /// proves it, the invoices in the statement's order ([`NettingPublicInputs::ordered`]), the
    /// net committed under a fresh salt. Refuses what the native netting refuses
    /// (`zkinvoice_circuits::Error`, as [`ProverError::Model`]).
    pub fn prove(
        &self,
        a: (&Invoice, &Salt),
        b: (&Invoice, &Salt),
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<ProvedNetting, ProverError> {
        let commit = |x: (&Invoice, &Salt)| {
            zkinvoice_circuits::commit::invoice::invoice_commitment(x.0, self.shape, x.1)
        };
        let (ca, cb) = (commit(a)?.0, commit(b)?.0);
        let swapped = NettingPublicInputs::ordered(ca, cb)[0] != ca;
        let (first, second) = if swapped { (b, a) } else { (a, b) };
        let net_salt = Salt::random(rng);
        let (assignment, public, netting) = NettingAssignment::new(self.shape, first, second, &net_salt)?;
        let proof = self.prover.prove(NettingCircuit { public, assignment }, rng)?;
        Ok(ProvedNetting {
            public,
            netting,
            swapped,
            net_salt,
            proof: proof.into(),
            parts: None,
        })
    }
}

/// A proven netting as a file (`zkinvoice net --prove`): what `invoices-netted` anchors in both
/// bilaterals' logs (the period, the public inputs and the proof). It names no amount.
///
/// JSON: `{scheme, statement, shape, vkHash, period: {start, end}, publicInputs: {firstInvoice,
/// secondInvoice, netCommitment, payer, periodStart, periodEnd}, proof}`; unknown fields are
/// refused. Every field is checked by [`NettingEnvelope::verify`] against the key and the public
/// inputs, or by the logs against their entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NettingEnvelope {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// `zkinvoice/netting/v1`.
    pub statement: String,
    /// The v1 shape both invoices are committed at: it names the key files (`netting-X`); the key
    /// itself is bound by `vkHash`.
    pub shape: String,
    /// The verifying key's hash, hex.
    pub vk_hash: String,
    /// The period both invoices bill.
    pub period: PeriodDoc,
    /// The six public inputs.
    pub public_inputs: NettingPublicInputs,
    /// The proof, base64 of its 192 compressed bytes.
    pub proof: InvoiceProof,
    /// Of two partitioned invoices (`zkinvoice/netting/v2`, [`heads`]): each invoice's parts
    /// (`{head, parts}`: `invoice_head` and `invoice_block_j`) in the public inputs' order. The
    /// heads are the statement's seventh and eighth inputs; each invoice commitment must be the top
    /// of its parts. Absent for v1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_parts: Option<[Parts; 2]>,
}

impl NettingEnvelope {
    /// The envelope of `proved`, for the period `period`, under `keys`.
    pub fn new(proved: &ProvedNetting, period: PeriodDoc, keys: &NettingKeys) -> Self {
        Self {
            scheme: zkinvoice_verifier::SCHEME.into(),
            statement: STATEMENT.into(),
            shape: keys.shape.name.into(),
            vk_hash: keys.verifying_key().hash_hex(),
            period,
            public_inputs: proved.public,
            proof: proved.proof.clone(),
            invoice_parts: None,
        }
    }

    /// Checks the scheme, statement and key hash against `key` and the period against the public
    /// inputs, then the proof against the public inputs ([`ProverError::Refused`] naming the
    /// field).
    pub fn verify(&self, key: &PreparedKeyOf<NettingStatement>) -> Result<(), ProverError> {
        if self.invoice_parts.is_some() {
            return Err(ProverError::Refused {
                field: "invoiceParts".into(),
                reason: format!("is a netting of partitioned invoices', not of {STATEMENT}"),
            });
        }
        check_envelope(
            [(&self.scheme, &self.statement), (&self.vk_hash, &key.hash_hex())],
            STATEMENT,
            &self.period,
            [self.public_inputs.period_start, self.public_inputs.period_end],
        )?;
        zkinvoice_verifier::verify(key, &self.proof, &self.public_inputs).map_err(|e| ProverError::Refused {
            field: "proof".into(),
            reason: e.to_string(),
        })
    }
}

/// The opening of a netting's `net_commitment`, which the prover keeps and may show the other
/// party: the net amount, its currency and the salt. Secret: it stays out of the logs.
///
/// JSON: `{netCommitment, currency, net, salt}`; `net` a decimal of the currency's major unit.
/// [`NetOpening::open`] checks every field against a netting's public inputs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetOpening {
    /// The commitment it opens, `0x` and 64 hex digits.
    pub net_commitment: String,
    /// The currency's ISO 4217 code.
    pub currency: String,
    /// The net amount.
    pub net: String,
    /// The commitment's salt, 62 hex digits.
    pub salt: String,
}

impl NetOpening {
    /// The opening of `proved`'s net commitment in `currency`.
    pub fn of(proved: &ProvedNetting, currency: &Currency) -> Self {
        Self {
            net_commitment: zkinvoice_verifier::fr_to_hex(&proved.public.net_commitment),
            currency: currency.code().into(),
            net: currency.format_minor(proved.netting.net),
            salt: proved.net_salt.to_hex(),
        }
    }

    /// The net in minor units, when this opening opens the net commitment of `public` (its
    /// `netCommitment` that one, and the net, currency and salt recomputing it with the two
    /// invoices); otherwise [`ProverError::Refused`] naming the field.
    pub fn open(&self, public: &NettingPublicInputs) -> Result<u64, ProverError> {
        let refuse = |field: &str, reason: String| ProverError::Refused {
            field: field.into(),
            reason,
        };
        let currency = Currency::from_code(&self.currency).map_err(|r| refuse("currency", r))?;
        let net = currency.parse_minor(&self.net).map_err(|r| refuse("net", r))?;
        let salt: Salt = self
            .salt
            .parse()
            .map_err(|e: zkinvoice_circuits::Error| refuse("salt", e.to_string()))?;
        if zkinvoice_verifier::fr_to_hex(&public.net_commitment) != self.net_commitment {
            return Err(refuse(
                "netCommitment",
                "is not the netting's net commitment".into(),
            ));
        }
        let invoices = [public.first_invoice, public.second_invoice];
        if net_commitment(net, &currency, invoices, &salt).0 != public.net_commitment {
            return Err(refuse(
                "net",
                format!(
                    "{} {} with this salt does not open the net commitment",
                    self.net, self.currency
                ),
            ));
        }
        Ok(net)
    }
}
