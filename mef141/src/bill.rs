//! The MEF 141 `CustomerBill` and `CustomerBillItem` as zkinvoice writes them (the types only;
//! [`crate::render`] makes one from a proved invoice, [`crate::read`] rebuilds the invoice from
//! one), with the proof as the extra top-level property `zkProof`.

use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{commit::StateDoc, model::invoice::InvoiceDoc, Error, Msa, Product};
use zkinvoice_prover::credit::CreditOpening;
use zkinvoice_verifier::{InvoiceProofs, InvoicePublicInputs};

use crate::money::{JsonNumber, Money};

/// `taxItem[0].taxCategory`: the MSA has one tax rate, applied to the subtotal.
pub const TAX_CATEGORY: &str = "msaTaxRate";

/// `TimePeriod`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimePeriod {
    /// First instant.
    pub start_date_time: String,
    /// First instant after the period.
    pub end_date_time: String,
}

/// `BillingAccountRef`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingAccountRef {
    /// The MSA id.
    pub id: String,
}

/// `FinancialAccountRef`: where the Buyer pays ([`FinancialAccountRef::of`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancialAccountRef {
    /// The remit-to account the MSA commits, or the Seller's party id if it commits none.
    pub id: String,
    /// The account holder's name, or the Seller's legal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The contracted payment method (a MEF 141 `PaymentMethod` value), if the MSA commits one.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
}

impl FinancialAccountRef {
    /// The financial account a bill under `msa` names: the committed remit-to account, holder
    /// and payment method, or, for an MSA without payment terms, the Seller (party id, legal
    /// name).
    pub fn of(msa: &Msa) -> Self {
        match &msa.terms.payment {
            Some(p) => Self {
                id: p.remit_to.account.clone(),
                name: Some(p.remit_to.name.clone()),
                account_type: Some(p.method.mef_name().into()),
            },
            None => Self {
                id: msa.seller.id.clone(),
                name: Some(msa.seller.name.clone()),
                account_type: None,
            },
        }
    }
}

/// `AttachmentURL` (empty: no printable version).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentUrl {
    /// The URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `FieldedAddress` (the parts the MSA has).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldedAddress {
    /// Street and number.
    pub street_name: String,
    /// City.
    pub city: String,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Country.
    pub country: String,
}

/// `RelatedContactInformation`: one per party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RelatedContactInformation {
    /// `seller` or `buyer`.
    pub role: String,
    /// The party's legal name.
    pub name: String,
    /// The party id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Not in the MSA: `""`.
    pub email_address: String,
    /// Not in the MSA: `""`.
    pub number: String,
    /// The billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<FieldedAddress>,
}

/// `AppliedPayment`: a payment received and applied to the bill. None at issue; once the
/// Buyer's payment in full is received (`payment-received` on the anchor log), one, of the
/// total ([`CustomerBill::settled`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppliedPayment {
    /// The amount applied: the bill's total.
    pub applied_amount: Money,
    /// The payment.
    pub payment: PaymentItem,
}

/// `PaymentItem`: a payment received, by its id: the payment's reference as anchored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentItem {
    /// The payment's reference (`payment`'s `reference` on the anchor log).
    pub id: String,
}

/// `TaxItem`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaxItem {
    /// [`TAX_CATEGORY`].
    pub tax_category: String,
    /// The rate in percent, e.g. `8.8750`.
    pub tax_rate: JsonNumber,
    /// The tax.
    pub tax_amount: Money,
}

/// `MEFProductOrderItemRef`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductOrderItemRef {
    /// The product order.
    pub product_order_id: String,
    /// The item in it.
    pub product_order_item_id: String,
}

impl ProductOrderItemRef {
    /// From an MSA order reference: split at its last `/`.
    pub fn from_reference(r: &str) -> Self {
        let (order, item) = r.rsplit_once('/').unwrap_or((r, r));
        Self {
            product_order_id: order.to_string(),
            product_order_item_id: item.to_string(),
        }
    }
}

/// `ProductRef`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductRef {
    /// The MSA product id.
    pub id: String,
}

/// `MEFPriceType` (the two this model bills).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum ItemType {
    /// A usage line.
    UsageBased,
    /// A recurring line.
    Recurring,
}

/// `CustomerBillItem`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerBillItem {
    /// `NUMBER-i`.
    pub id: String,
    /// Empty.
    pub applied_fee: Vec<serde_json::Value>,
    /// Empty (tax applies to the subtotal).
    pub applied_tax: Vec<serde_json::Value>,
    /// `usageBased` or `recurring`.
    pub customer_bill_item_type: ItemType,
    /// What the charge is.
    pub description: String,
    /// The billing period.
    pub period_coverage: TimePeriod,
    /// The product.
    pub product: ProductRef,
    /// The product's name.
    pub product_name: String,
    /// The product order item billed.
    pub product_order_item: ProductOrderItemRef,
    /// `generated`.
    pub state: String,
    /// The item's amount.
    pub tax_excluded_amount: Money,
    /// The product's unit of measure.
    pub unit: String,
    /// Quantity (an unsigned integer).
    pub unit_quantity: serde_json::Number,
    /// The exact price per unit.
    pub unit_rate: Money,
}

/// The proof, as the extra top-level property `zkProof` of the bill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ZkProof {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// Shape name.
    pub shape: String,
    /// The hash of the verifying key(s), hex (SHA-256 of the compressed key for v1;
    /// `zkinvoice_verifier::InvoiceVerifyingKeys::hash` for a partitioned invoice).
    pub vk_hash: String,
    /// The proof, base64: of its 192 compressed bytes (v1) or of a partitioned invoice's proofs
    /// (v2). The statement follows from it.
    pub proof: InvoiceProofs,
    /// The five public inputs.
    pub public_inputs: InvoicePublicInputs,
    /// The salt of the invoice commitment, 62 hex digits.
    pub invoice_salt: String,
    /// The state after the period with its opening: it must open the proven `stateAfter`; the
    /// Buyer reads the cumulative volumes from it, which fix the tiers each usage line was
    /// priced at (so the per-tier items are bound too).
    pub state_after: StateDoc,
}

/// `CustomerBill`, with its items inline and the proof as `zkProof`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerBill {
    /// The invoice number.
    pub id: String,
    /// The total, less the credit note applied (`credits`) and the partial invoice's total
    /// (`zkPartial`).
    pub amount_due: Money,
    /// Empty.
    pub applied_payment: Vec<AppliedPayment>,
    /// The MSA.
    pub billing_account: BillingAccountRef,
    /// `START..END`.
    pub bill_cycle: String,
    /// The bill date.
    pub bill_date: String,
    /// `{}`.
    pub bill_document: AttachmentUrl,
    /// The invoice number.
    pub bill_no: String,
    /// The period.
    pub billing_period: TimePeriod,
    /// `normal` (MEF 141's `CustomerBillCategory`: `normal`, `duplicate` or `trial`); a
    /// disputed period's bills say their part in `zkPart`.
    pub category: String,
    /// Zero, or the total of the credit note applied (`zkCredit`).
    pub credits: Money,
    /// The items.
    pub customer_bill_item: Vec<CustomerBillItem>,
    /// Zero.
    pub discounts: Money,
    /// Zero.
    pub fees: Money,
    /// The Seller.
    pub financial_account: FinancialAccountRef,
    /// The bill date.
    pub last_update: String,
    /// The due date.
    pub payment_due_date: String,
    /// The Seller and the Buyer.
    pub related_contact_information: Vec<RelatedContactInformation>,
    /// What is due (`amountDue`), or zero once the payment is applied.
    pub remaining_amount: Money,
    /// `onCycle`.
    pub run_type: String,
    /// `generated`.
    pub state: String,
    /// The subtotal.
    pub tax_excluded_amount: Money,
    /// The total.
    pub tax_included_amount: Money,
    /// The tax.
    pub tax_item: Vec<TaxItem>,
    /// The proof.
    pub zk_proof: ZkProof,
    /// The credit note applied (SLA credits, `docs/lifecycle.md`), as the extra top-level
    /// property `zkCredit`: the opening of the credit-note commitment anchored for the invoice
    /// (`credit --prove --opening`). Absent on a bill without credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zk_credit: Option<CreditOpening>,
    /// The credit notes carried to this bill's invoice (credits carried forward,
    /// `docs/lifecycle.md`), as the extra top-level property `zkCarried`: the openings of
    /// notes of earlier invoices recorded after those were paid, in the order they were carried
    /// (`credit-carried`), whose totals are deducted from what is due. Absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zk_carried: Vec<CreditOpening>,
    /// The final invoice's partial invoice (a disputed period's, `docs/lifecycle.md`), as the
    /// extra top-level property `zkPartial`: the partial invoice with its commitment's opening,
    /// whose total is deducted from what is due. Absent on every other bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zk_partial: Option<InvoiceDoc>,
    /// The part of a disputed period the bill is of ([`crate::part`]), as the extra top-level
    /// property `zkPart`: `interim` for the partial invoice's bill, `final` for the final
    /// invoice's. Absent on a bill of a whole period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zk_part: Option<String>,
}

/// The MSA's product `id`, or an error naming `field`.
pub(crate) fn msa_product<'a>(msa: &'a Msa, field: &str, id: &str) -> Result<&'a Product, Error> {
    msa.slot_of(id)
        .map(|s| &msa.products[s])
        .ok_or_else(|| Error::invalid(field, format!("product {id:?} is not in MSA {}", msa.id)))
}
