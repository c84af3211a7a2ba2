//! The MSA's terms for what follows the invoice (MEF 114 §8.5-8.6, ETSI GS PDL 026 clauses 7, 9):
//! the contracted payment method and the Seller's remit-to details (R72, R84), the dispute
//! thresholds (MEF 114 §8.5.3, ETSI 9.2) and the rule that gives the agreed usage when both
//! parties measured a period (ETSI 4.2.2, 7.2); and the service levels ([`super::sla`]).
//!
//! All are optional; an MSA without them commits exactly as before
//! ([`crate::commit::msa::msa_text_fe`]). `docs/lifecycle.md` describes their meaning.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    check_id,
    sla::{ServiceLevelDoc, ServiceLevels},
};
use crate::{
    money::{self, Currency, PPM},
    Error,
};

/// A payment method: MEF 141's `PaymentMethod` values.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum PaymentMethod {
    /// A cheque.
    Check,
    /// A bank (wire) transfer.
    WireTransfer,
    /// Another electronic payment, e.g. a settlement-token transfer (MEF 114 R83).
    Electronic,
    /// Cash.
    Cash,
    /// Any other means.
    Other,
}

impl PaymentMethod {
    /// The method's code in the canonical encoding (1-5; 0 is "no payment terms").
    pub fn code(self) -> u8 {
        match self {
            Self::Check => 1,
            Self::WireTransfer => 2,
            Self::Electronic => 3,
            Self::Cash => 4,
            Self::Other => 5,
        }
    }

    /// The MEF 141 `PaymentMethod` value, e.g. `wireTransfer`.
    pub fn mef_name(self) -> &'static str {
        match self {
            Self::Check => "check",
            Self::WireTransfer => "wireTransfer",
            Self::Electronic => "electronic",
            Self::Cash => "cash",
            Self::Other => "other",
        }
    }

    /// The method in words, e.g. `wire transfer`.
    pub fn words(self) -> &'static str {
        match self {
            Self::Check => "check",
            Self::WireTransfer => "wire transfer",
            Self::Electronic => "electronic payment",
            Self::Cash => "cash",
            Self::Other => "other",
        }
    }
}

/// Where the Buyer pays the Seller.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemitTo {
    /// The account, as one identifier: e.g. `IBAN GB29NWBK60161331926819 BIC NWBKGB2L`, or a
    /// settlement-token address as a CAIP-10 account id (`eip155:1:0xAb…`).
    pub account: String,
    /// The account holder's name.
    pub name: String,
}

/// The contracted payment: its method and the Seller's remit-to account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// How the Buyer pays.
    pub method: PaymentMethod,
    /// Where to.
    pub remit_to: RemitTo,
}

/// A dispute threshold as written: an absolute amount and/or a share of the amount it applies
/// to, at least one of the two.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ThresholdDoc {
    /// An amount of the MSA's currency, an exact decimal string with at most its minor digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub amount: Option<String>,
    /// A share of the amount in percent, an exact decimal string with at most 4 decimals, at most
    /// 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub percent: Option<String>,
}

/// A product's dispute threshold as written: its id and [`ThresholdDoc`]'s two fields (repeated
/// here: serde's `flatten` does not combine with `deny_unknown_fields`).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductThresholdDoc {
    /// The product's id.
    pub id: String,
    /// An amount of the MSA's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub amount: Option<String>,
    /// A share of the product's amount in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]{1,4})?$"))]
    pub percent: Option<String>,
}

/// The dispute thresholds as written: per invoice, per charge kind, per product.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DisputeThresholdsDoc {
    /// For the invoice's total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<ThresholdDoc>,
    /// For the sum of the usage charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<ThresholdDoc>,
    /// For the sum of the recurring charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<ThresholdDoc>,
    /// Per product, each product at most once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductThresholdDoc>,
}

/// A validated dispute threshold. A discrepancy is **within** it when it is at most the amount
/// or at most the share of the reference amount: the larger of the two limits applies
/// ([`Threshold::tolerates`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Threshold {
    /// The absolute limit in minor units, if any.
    pub amount_minor: Option<u64>,
    /// The share in parts per million of the reference amount, if any.
    pub share_ppm: Option<u32>,
}

impl Threshold {
    /// Whether a discrepancy of `discrepancy` minor units on a reference amount of `reference`
    /// minor units is within the threshold: `discrepancy <= amount` or
    /// `discrepancy * 10^6 <= share_ppm * reference`, exactly, in integers.
    pub fn tolerates(&self, discrepancy: u64, reference: u64) -> bool {
        let by_amount = self.amount_minor.is_some_and(|a| discrepancy <= a);
        let by_share = self.share_ppm.is_some_and(|s| {
            u128::from(discrepancy) * u128::from(PPM) <= u128::from(s) * u128::from(reference)
        });
        by_amount || by_share
    }

    fn from_doc(
        field: &str,
        currency: Currency,
        amount: Option<&str>,
        percent: Option<&str>,
    ) -> Result<Self, Error> {
        if amount.is_none() && percent.is_none() {
            return Err(Error::invalid(field, "names neither an amount nor a percent"));
        }
        let amount_minor = amount
            .map(|a| {
                currency
                    .parse_minor(a)
                    .map_err(|r| Error::invalid(format!("{field}.amount"), r))
            })
            .transpose()?;
        let share_ppm = percent
            .map(|p| money::parse_percent_ppm(p).map_err(|r| Error::invalid(format!("{field}.percent"), r)))
            .transpose()?;
        Ok(Self {
            amount_minor,
            share_ppm,
        })
    }
}

/// The validated dispute thresholds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisputeThresholds {
    /// For the invoice's total.
    pub invoice: Option<Threshold>,
    /// For the sum of the usage charges.
    pub usage: Option<Threshold>,
    /// For the sum of the recurring charges.
    pub recurring: Option<Threshold>,
    /// Per product slot (the MSA's products in slot order), `None` where the MSA sets none.
    pub products: Vec<Option<Threshold>>,
}

/// Whose measurement of a period becomes the agreed usage when the two are within the thresholds
/// (ETSI GS PDL 026 7.2).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum AgreedUsage {
    /// The Seller's.
    Seller,
    /// The Buyer's.
    Buyer,
    /// Their mean, per product, rounded down: `(seller + buyer) / 2`.
    Mean,
}

impl AgreedUsage {
    /// The rule's code in the canonical encoding (1-3; 0 is "no rule").
    pub fn code(self) -> u8 {
        match self {
            Self::Seller => 1,
            Self::Buyer => 2,
            Self::Mean => 3,
        }
    }

    /// The agreed quantity of a product both parties measured.
    pub fn agreed(self, seller: u64, buyer: u64) -> u64 {
        match self {
            Self::Seller => seller,
            Self::Buyer => buyer,
            // No overflow: the sum of two u64 fits in u128.
            Self::Mean => ((u128::from(seller) + u128::from(buyer)) / 2) as u64,
        }
    }
}

/// The reconciliation terms as written.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReconciliationDoc {
    /// Whose measurement becomes the agreed usage within the thresholds.
    pub agreed_usage: AgreedUsage,
}

/// The MSA's validated terms after the invoice. [`Terms::default`] is an MSA that sets none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    /// The contracted payment.
    pub payment: Option<Payment>,
    /// The dispute thresholds.
    pub dispute_thresholds: Option<DisputeThresholds>,
    /// Whose measurement becomes the agreed usage.
    pub agreed_usage: Option<AgreedUsage>,
    /// The service levels (availability bands and their credits), per product slot.
    pub service_levels: Option<ServiceLevels>,
}

impl Terms {
    /// Whether the MSA sets none of these terms (and commits exactly as an MSA before them).
    pub fn is_empty(&self) -> bool {
        !self.has_settlement_terms() && self.service_levels.is_none()
    }

    /// Whether the MSA sets a payment, dispute thresholds or an agreed-usage rule (the terms
    /// [`crate::commit::msa::msa_terms_fields`] encodes; service levels are bound apart).
    pub fn has_settlement_terms(&self) -> bool {
        self.payment.is_some() || self.dispute_thresholds.is_some() || self.agreed_usage.is_some()
    }

    /// Validates the terms of an MSA whose products (in slot order) have the ids `slot_ids`.
    pub fn from_docs(
        currency: Currency,
        slot_ids: &[&str],
        method: Option<PaymentMethod>,
        remit_to: Option<&RemitTo>,
        thresholds: Option<&DisputeThresholdsDoc>,
        reconciliation: Option<&ReconciliationDoc>,
        service_levels: &[ServiceLevelDoc],
    ) -> Result<Self, Error> {
        let payment = match (method, remit_to) {
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::invalid(
                    "paymentTerms.remitTo",
                    "is missing: a payment method needs the Seller's remit-to account",
                ))
            }
            (None, Some(_)) => {
                return Err(Error::invalid(
                    "paymentTerms.method",
                    "is missing: a remit-to account needs the payment method",
                ))
            }
            (Some(method), Some(r)) => {
                check_id("paymentTerms.remitTo.account", &r.account)?;
                if r.name.trim().is_empty() {
                    return Err(Error::invalid("paymentTerms.remitTo.name", "is empty"));
                }
                Some(Payment {
                    method,
                    remit_to: r.clone(),
                })
            }
        };
        let dispute_thresholds = thresholds
            .map(|d| thresholds_from_doc(currency, slot_ids, d))
            .transpose()?;
        Ok(Self {
            payment,
            dispute_thresholds,
            agreed_usage: reconciliation.map(|r| r.agreed_usage),
            service_levels: ServiceLevels::from_docs(slot_ids, service_levels)?,
        })
    }
}

fn thresholds_from_doc(
    currency: Currency,
    slot_ids: &[&str],
    d: &DisputeThresholdsDoc,
) -> Result<DisputeThresholds, Error> {
    let kind = |name: &str, t: &Option<ThresholdDoc>| {
        t.as_ref()
            .map(|t| {
                let field = format!("disputeThresholds.{name}");
                Threshold::from_doc(&field, currency, t.amount.as_deref(), t.percent.as_deref())
            })
            .transpose()
    };
    let mut products = vec![None; slot_ids.len()];
    for (i, p) in d.products.iter().enumerate() {
        let field = format!("disputeThresholds.products[{i}]");
        let Some(slot) = slot_ids.iter().position(|id| *id == p.id) else {
            return Err(Error::invalid(
                format!("{field}.id"),
                format!("{:?} is not a product of the MSA", p.id),
            ));
        };
        if products[slot].is_some() {
            return Err(Error::invalid(
                format!("{field}.id"),
                format!("product {:?} has a threshold already", p.id),
            ));
        }
        products[slot] = Some(Threshold::from_doc(
            &field,
            currency,
            p.amount.as_deref(),
            p.percent.as_deref(),
        )?);
    }
    let out = DisputeThresholds {
        invoice: kind("invoice", &d.invoice)?,
        usage: kind("usage", &d.usage)?,
        recurring: kind("recurring", &d.recurring)?,
        products,
    };
    if out.invoice.is_none() && out.usage.is_none() && out.recurring.is_none() && d.products.is_empty() {
        return Err(Error::invalid("disputeThresholds", "sets no threshold"));
    }
    Ok(out)
}
