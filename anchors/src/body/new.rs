//! The bodies' constructors from what the parties hold: keys, proofs and their public inputs.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zkinvoice_verifier::{
    CreditPublicInputs, Fr, InvoiceProof, InvoiceProofs, InvoicePublicInputs, InvoiceVerifyingKeys,
    NettingPublicInputs, ReconcilePublicInputs, Statement, VerifyingKeyOf,
};

use super::Body;
use crate::role::Role;
use crate::setup::KeySetup;

impl Body {
    /// An `msa-agreed` body for `vk` (one key or a partition shape's three), with its base64
    /// encoding and hash, made as `key_setup` says.
    pub fn msa_agreed(
        msa_id: impl Into<String>,
        msa_commitment: Fr,
        state0: Fr,
        shape: impl Into<String>,
        vk: &InvoiceVerifyingKeys,
        key_setup: KeySetup,
    ) -> Self {
        Body::MsaAgreed {
            msa_id: msa_id.into(),
            msa_commitment,
            state0,
            shape: shape.into(),
            vk: STANDARD.encode(vk.to_bytes()),
            vk_hash: vk.hash_hex(),
            key_setup,
        }
    }

    /// A `statement-key-agreed` body for `vk`, a key of statement `S`, made as `key_setup` says.
    pub fn statement_key_agreed<S: Statement>(
        msa_commitment: Fr,
        vk: &VerifyingKeyOf<S>,
        key_setup: KeySetup,
    ) -> Self {
        Body::StatementKeyAgreed {
            msa_commitment,
            statement: S::ID.into(),
            vk: STANDARD.encode(vk.to_bytes()),
            vk_hash: vk.hash_hex(),
            key_setup,
        }
    }

    /// An `invoice-proved` body from a proof and its public inputs.
    pub fn invoice_proved(
        inputs: &InvoicePublicInputs,
        invoice_number: impl Into<String>,
        period_start: impl Into<String>,
        period_end: impl Into<String>,
        proof: &InvoiceProofs,
    ) -> Self {
        Body::InvoiceProved {
            msa_commitment: inputs.msa_commitment,
            invoice_number: invoice_number.into(),
            period_start: period_start.into(),
            period_end: period_end.into(),
            usage_commitment: inputs.usage_commitment,
            invoice_commitment: inputs.invoice_commitment,
            state_before: inputs.state_before,
            state_after: inputs.state_after,
            proof: proof.to_base64(),
        }
    }

    /// The same body as a disputed period's part: `usage-agreed` as `usage-partial`,
    /// `invoice-proved` as `invoice-partial` (the same fields); other kinds unchanged.
    pub fn into_partial(self) -> Self {
        match self {
            Body::UsageAgreed {
                msa_commitment,
                period_start,
                period_end,
                usage_commitment,
                usage_detail_root,
            } => Body::UsagePartial {
                msa_commitment,
                period_start,
                period_end,
                usage_commitment,
                usage_detail_root,
            },
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
            } => Body::InvoicePartial {
                msa_commitment,
                invoice_number,
                period_start,
                period_end,
                usage_commitment,
                invoice_commitment,
                state_before,
                state_after,
                proof,
            },
            other => other,
        }
    }

    /// An `invoice-partial` body from a partial invoice's proof and its public inputs.
    pub fn invoice_partial(
        inputs: &InvoicePublicInputs,
        invoice_number: impl Into<String>,
        period_start: impl Into<String>,
        period_end: impl Into<String>,
        proof: &InvoiceProofs,
    ) -> Self {
        Self::invoice_proved(inputs, invoice_number, period_start, period_end, proof).into_partial()
    }

    /// A `usage-measured` body by `by` from the invoice statement's proof of its measurement and
    /// that proof's public inputs.
    pub fn usage_measured(
        inputs: &InvoicePublicInputs,
        period_start: impl Into<String>,
        period_end: impl Into<String>,
        by: Role,
        proof: &InvoiceProofs,
    ) -> Self {
        Body::UsageMeasured {
            msa_commitment: inputs.msa_commitment,
            period_start: period_start.into(),
            period_end: period_end.into(),
            by,
            usage_commitment: inputs.usage_commitment,
            invoice_commitment: inputs.invoice_commitment,
            state_before: inputs.state_before,
            state_after: inputs.state_after,
            proof: proof.to_base64(),
        }
    }

    /// The body by `by` of a reconciliation proof of the period `period_start..period_end` with
    /// its public inputs: `usage-reconciled` when they are within every threshold (`over` is
    /// zero), `dispute-opened` naming `over` otherwise.
    pub fn reconciliation(
        inputs: &ReconcilePublicInputs,
        period_start: impl Into<String>,
        period_end: impl Into<String>,
        by: Role,
        proof: &InvoiceProof,
    ) -> Self {
        let over = (inputs.over != Fr::from(0u64)).then_some(inputs.over);
        let period = (period_start.into(), period_end.into());
        Self::reconciled(inputs.msa_commitment, period, by, over, proof.to_base64())
    }

    /// `usage-reconciled` (`over` `None`) or `dispute-opened` naming `over`.
    pub(super) fn reconciled(
        msa_commitment: Fr,
        (period_start, period_end): (String, String),
        by: Role,
        over: Option<Fr>,
        proof: String,
    ) -> Self {
        match over {
            None => Body::UsageReconciled {
                msa_commitment,
                period_start,
                period_end,
                by,
                proof,
            },
            Some(over) => Body::DisputeOpened {
                msa_commitment,
                period_start,
                period_end,
                by,
                over,
                proof,
            },
        }
    }

    /// The `invoices-netted` body in the log of `msa` whose invoice is `invoice`, of a
    /// netting proof of `period_start..period_end` with its public inputs, the other invoice
    /// being the other of the two inputs, under `other_msa`, its acceptance `other_accepted`
    /// (the hex signature of the `invoice-accepted` entry in the other log). `None` when `invoice` is not one of
    /// the proof's two invoices.
    pub fn invoices_netted(
        msa: Fr,
        invoice: Fr,
        other: (Fr, String),
        inputs: &NettingPublicInputs,
        period: (String, String),
        proof: &InvoiceProof,
    ) -> Option<Self> {
        let own_first = inputs.first_invoice == invoice;
        let other_invoice = match (own_first, inputs.second_invoice == invoice) {
            (true, _) => inputs.second_invoice,
            (false, true) => inputs.first_invoice,
            (false, false) => return None,
        };
        // Bit 0: the first invoice's buyer pays; this log's Buyer is its own invoice's buyer.
        let buyer_pays = (inputs.payer == Fr::from(0u64)) == own_first;
        Some(Body::InvoicesNetted {
            msa_commitment: msa,
            invoice_commitment: invoice,
            other_msa_commitment: other.0,
            other_invoice_commitment: other_invoice,
            other_accepted: other.1,
            period_start: period.0,
            period_end: period.1,
            payer: if buyer_pays { Role::Buyer } else { Role::Seller },
            net_commitment: inputs.net_commitment,
            proof: proof.to_base64(),
            parts: None,
        })
    }

    /// A `credit-note` body from the credit-note proof, its public inputs and its period
    /// (`YYYY-MM-DD`, the first day and the first day after).
    pub fn credit_note(inputs: &CreditPublicInputs, period: (String, String), proof: &InvoiceProof) -> Self {
        Body::CreditNote {
            msa_commitment: inputs.msa_commitment,
            invoice_commitment: inputs.invoice_commitment,
            period_start: period.0,
            period_end: period.1,
            credit_commitment: inputs.credit_commitment,
            proof: proof.to_base64(),
        }
    }

    /// The netting statement's public inputs of an `invoices-netted` body's proof, as the log's
    /// rule verifies it (the two invoices in the statement's order, the payer's bit from `payer`
    /// by this log's roles, the period's days); `None` for a body of another kind or a period
    /// whose dates do not parse.
    pub fn netted_inputs(&self) -> Option<NettingPublicInputs> {
        let Body::InvoicesNetted {
            invoice_commitment,
            other_invoice_commitment,
            period_start,
            period_end,
            payer,
            net_commitment,
            ..
        } = self
        else {
            return None;
        };
        let day = |text: &str| zkinvoice_verifier::day_number(text).ok().map(Fr::from);
        Some(crate::rules::netting_inputs(
            (*invoice_commitment, *other_invoice_commitment),
            *net_commitment,
            *payer,
            [day(period_start)?, day(period_end)?],
        ))
    }

    /// The credit-note statement's public inputs of a `credit-note` body's proof, as the log's
    /// rule verifies it and the anchor contract checks it: the body's MSA, invoice and note
    /// commitments with `sla`, the period's agreed SLA performance (which the body does not
    /// carry), and the period's days; `None` for a body of another kind or a period whose dates
    /// do not parse.
    pub fn credit_inputs(&self, sla: Fr) -> Option<CreditPublicInputs> {
        let Body::CreditNote {
            msa_commitment,
            invoice_commitment,
            period_start,
            period_end,
            credit_commitment,
            ..
        } = self
        else {
            return None;
        };
        let day = |text: &str| zkinvoice_verifier::day_number(text).ok().map(Fr::from);
        Some(CreditPublicInputs {
            msa_commitment: *msa_commitment,
            invoice_commitment: *invoice_commitment,
            sla_commitment: sla,
            credit_commitment: *credit_commitment,
            period_start: day(period_start)?,
            period_end: day(period_end)?,
        })
    }

    /// The reconciliation statement's public inputs of a `usage-reconciled` (`over` zero) or
    /// `dispute-opened` body's proof, as the log's rule verifies it and the anchor contract
    /// checks it: the body's MSA, `seller` and `buyer` (the period's two measured invoice
    /// commitments, which the body does not carry), `over` and the period's days; `None` for a
    /// body of another kind or a period whose dates do not parse.
    pub fn reconcile_inputs(&self, seller: Fr, buyer: Fr) -> Option<ReconcilePublicInputs> {
        let (msa, start, end, over) = match self {
            Body::UsageReconciled {
                msa_commitment,
                period_start,
                period_end,
                ..
            } => (msa_commitment, period_start, period_end, Fr::from(0u64)),
            Body::DisputeOpened {
                msa_commitment,
                period_start,
                period_end,
                over,
                ..
            } => (msa_commitment, period_start, period_end, *over),
            _ => return None,
        };
        let day = |text: &str| zkinvoice_verifier::day_number(text).ok().map(Fr::from);
        Some(ReconcilePublicInputs {
            msa_commitment: *msa,
            seller_invoice: seller,
            buyer_invoice: buyer,
            over,
            period_start: day(start)?,
            period_end: day(end)?,
        })
    }

    /// The invoice statement's public inputs of an `invoice-proved`, `invoice-partial` or
    /// `usage-measured` body's proof (what [`Body::invoice_proved`] took); `None` for a body of
    /// another kind.
    pub fn proved_inputs(&self) -> Option<InvoicePublicInputs> {
        match self {
            Body::InvoiceProved {
                msa_commitment,
                usage_commitment,
                invoice_commitment,
                state_before,
                state_after,
                ..
            }
            | Body::UsageMeasured {
                msa_commitment,
                usage_commitment,
                invoice_commitment,
                state_before,
                state_after,
                ..
            }
            | Body::InvoicePartial {
                msa_commitment,
                usage_commitment,
                invoice_commitment,
                state_before,
                state_after,
                ..
            } => Some(InvoicePublicInputs {
                msa_commitment: *msa_commitment,
                usage_commitment: *usage_commitment,
                state_before: *state_before,
                state_after: *state_after,
                invoice_commitment: *invoice_commitment,
            }),
            _ => None,
        }
    }
}
