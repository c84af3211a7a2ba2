//! What each kind of body is: its name, its MSA, and the roles that sign it.

use zkinvoice_verifier::Fr;

use super::Body;
use crate::role::Role;

const BOTH: &[Role] = &[Role::Seller, Role::Buyer];
const SELLER: &[Role] = &[Role::Seller];
const BUYER: &[Role] = &[Role::Buyer];

impl Body {
    /// The kind: `msa-agreed`, `usage-agreed`, `invoice-proved`, `invoice-accepted`,
    /// `invoice-rejected`, `statement-key-agreed`, `usage-measured`, `usage-reconciled`,
    /// `dispute-opened`, `dispute-resolved`, `payment`, `payment-received`, `invoices-netted`,
    /// `net-payment`, `net-payment-received`, `sla-agreed`, `credit-note`, `usage-partial` or
    /// `invoice-partial` or `credit-carried`.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::StatementKeyAgreed { .. } => "statement-key-agreed",
            Body::UsageMeasured { .. } => "usage-measured",
            Body::UsageReconciled { .. } => "usage-reconciled",
            Body::DisputeOpened { .. } => "dispute-opened",
            Body::DisputeResolved { .. } => "dispute-resolved",
            Body::Payment { .. } => "payment",
            Body::PaymentReceived { .. } => "payment-received",
            Body::InvoicesNetted { .. } => "invoices-netted",
            Body::NetPayment { .. } => "net-payment",
            Body::NetPaymentReceived { .. } => "net-payment-received",
            Body::SlaAgreed { .. } => "sla-agreed",
            Body::CreditNote { .. } => "credit-note",
            Body::UsagePartial { .. } => "usage-partial",
            Body::InvoicePartial { .. } => "invoice-partial",
            Body::CreditCarried(_) => "credit-carried",
            Body::MsaAgreed { .. } => "msa-agreed",
            Body::UsageAgreed { .. } => "usage-agreed",
            Body::InvoiceProved { .. } => "invoice-proved",
            Body::InvoiceAccepted { .. } => "invoice-accepted",
            Body::InvoiceRejected { .. } => "invoice-rejected",
        }
    }

    /// The MSA the body belongs to.
    pub fn msa_commitment(&self) -> Fr {
        match self {
            Body::MsaAgreed { msa_commitment, .. }
            | Body::UsageAgreed { msa_commitment, .. }
            | Body::InvoiceProved { msa_commitment, .. }
            | Body::InvoiceAccepted { msa_commitment, .. }
            | Body::InvoiceRejected { msa_commitment, .. }
            | Body::StatementKeyAgreed { msa_commitment, .. }
            | Body::UsageMeasured { msa_commitment, .. }
            | Body::UsageReconciled { msa_commitment, .. }
            | Body::DisputeOpened { msa_commitment, .. }
            | Body::DisputeResolved { msa_commitment, .. }
            | Body::Payment { msa_commitment, .. }
            | Body::PaymentReceived { msa_commitment, .. }
            | Body::InvoicesNetted { msa_commitment, .. }
            | Body::NetPayment { msa_commitment, .. }
            | Body::NetPaymentReceived { msa_commitment, .. }
            | Body::SlaAgreed { msa_commitment, .. }
            | Body::CreditNote { msa_commitment, .. }
            | Body::UsagePartial { msa_commitment, .. }
            | Body::InvoicePartial { msa_commitment, .. } => *msa_commitment,
            Body::CreditCarried(c) => c.msa_commitment,
        }
    }

    /// The roles that must sign a body of this kind, in canonical order: both for agreements, the
    /// Seller for a proved invoice, the Buyer for its acceptance or rejection, the party named
    /// `by` for a measurement, a reconciliation, a dispute it opens or a net's payment or
    /// receipt, both for a netting, an SLA performance, a partial usage and a credit carried forward, the Buyer for a
    /// payment and the Seller for its receipt, a credit note or a partial invoice.
    pub fn required_roles(&self) -> &'static [Role] {
        match self {
            Body::MsaAgreed { .. }
            | Body::UsageAgreed { .. }
            | Body::StatementKeyAgreed { .. }
            | Body::DisputeResolved { .. }
            | Body::InvoicesNetted { .. }
            | Body::SlaAgreed { .. }
            | Body::UsagePartial { .. }
            | Body::CreditCarried(_) => BOTH,
            Body::UsageMeasured { by, .. }
            | Body::UsageReconciled { by, .. }
            | Body::DisputeOpened { by, .. }
            | Body::NetPayment { by, .. }
            | Body::NetPaymentReceived { by, .. } => match by {
                Role::Seller => SELLER,
                Role::Buyer => BUYER,
            },
            Body::InvoiceProved { .. }
            | Body::InvoicePartial { .. }
            | Body::PaymentReceived { .. }
            | Body::CreditNote { .. } => SELLER,
            Body::InvoiceAccepted { .. } | Body::InvoiceRejected { .. } | Body::Payment { .. } => BUYER,
        }
    }
}
