//! The invoice as an MEF 141 (LSO Sonata Billing, based on TMF678) `CustomerBill` payload, with the
//! proof as the extra top-level property `zkProof`.
//!
//! The payload is schema-valid against `billingManagement.api.yaml` (tested with a JSON Schema
//! validator). Mapping, and the constants used where the model has no data:
//!
//! | bill field | value |
//! | --- | --- |
//! | `id`, `billNo` | the invoice number |
//! | `billingAccount.id` | the MSA id (the bilateral's account) |
//! | `financialAccount` | the Seller: `id` its party id, `name` its legal name |
//! | `relatedContactInformation` | the Seller and the Buyer: `role` `seller` / `buyer`, `organization` the party id, `name` the legal name, `postalAddress` the billing address; `emailAddress` and `number` are `""` (not in the MSA) |
//! | `billingPeriod` | `[start, end)` as `YYYY-MM-DDT00:00:00Z` instants (end exclusive) |
//! | `billCycle` | the period, `START..END` |
//! | `billDate`, `lastUpdate` | the bill date; `paymentDueDate` the due date (midnight UTC) |
//! | `taxExcludedAmount` / `taxItem[0].taxAmount` / `taxIncludedAmount` | subtotal / tax / total |
//! | `amountDue`, `remainingAmount` | the total (nothing is paid at issue) |
//! | `credits`, `discounts`, `fees` | zero; `appliedPayment` empty; `billDocument` `{}` (no printable version) |
//! | `taxItem` | one: `taxCategory` [`TAX_CATEGORY`], `taxRate` the MSA's rate in percent |
//! | `category`, `runType`, `state` | `normal`, `onCycle`, `generated` |
//! | `customerBillItem` | the items themselves (each a full `CustomerBillItem`, which is also a valid `CustomerBillItemRef`: both require `id`, neither forbids other properties) |
//!
//! Items: a recurring line is one `recurring` item (`unitQuantity` the ordered quantity,
//! `unitRate` the fee). A usage line is one `usageBased` item per tier it was priced at
//! (`unitRate` that tier's exact price); one tier, one item. With several tiers the line amount is
//! split by cumulative rounding (item `i` gets `round(N_1 + .. + N_i) - round(N_1 + .. + N_{i-1})`
//! of the tier charges `N_i`), so the items add up to the rounded line amount exactly. Item `id`s
//! are `NUMBER-1`, `NUMBER-2`, ...; `appliedTax` and `appliedFee` are empty (tax applies to the
//! subtotal), `state` is `generated`, `productOrderItem` splits the MSA product's order reference
//! at its last `/` (`PO-7781/1` is order `PO-7781`, item `1`; without `/` both are the reference).
//!
//! Money values are JSON numbers written verbatim from the exact decimal of the minor units
//! (`1450.00`), never through floating point, and read back from the payload's text.
//!
//! The invoice commitment covers what [`CustomerBill::to_invoice`] reconstructs: the parties, the
//! MSA id, number, period, dates, currency, tax rate, per product and kind the summed quantities and
//! amounts, subtotal, tax and total. The per-tier split and the descriptive fields are not covered;
//! given the MSA, `to_invoice` checks them against it (products, names, units, order references,
//! rates); it always checks the duplicated amounts against each other.

use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use zkinvoice_verifier::{InvoiceProof, InvoicePublicInputs};

use super::{
    invoice::{Invoice, InvoiceLine, LineKind},
    msa::{Msa, Party, Product},
    period::{parse_instant, Period},
    state::VolumeState,
};
use crate::{commit::Salt, money, money::Currency, rater, Error};

/// `taxItem[0].taxCategory`: the MSA has one tax rate, applied to the subtotal.
pub const TAX_CATEGORY: &str = "msaTaxRate";

/// An exact JSON number, kept as its text (serialised and read back verbatim).
#[derive(Clone, Debug)]
pub struct JsonNumber(Box<RawValue>);

impl JsonNumber {
    /// A number from its decimal text (digits, optionally `.` and digits).
    fn decimal(text: String) -> Self {
        debug_assert!(money::parse_decimal(&text, 20).is_ok(), "{text:?}");
        Self(RawValue::from_string(text).expect("a decimal is a JSON number"))
    }

    /// The number's text as written in the payload.
    pub fn text(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for JsonNumber {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl fmt::Display for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for JsonNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for JsonNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(Box::<RawValue>::deserialize(d)?))
    }
}

/// `Money`: an ISO 4217 code and a non-negative amount of the major unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// ISO 4217 alphabetic code.
    pub unit: String,
    /// The amount, e.g. `1450.00`.
    pub value: JsonNumber,
}

impl Money {
    /// `minor` minor units of `currency`, written with exactly its minor digits.
    pub fn minor(currency: Currency, minor: u64) -> Self {
        Self {
            unit: currency.code().to_string(),
            value: JsonNumber::decimal(currency.format_minor(minor)),
        }
    }

    /// A price in nano-units, with the fewest decimals that write it exactly (at least 2).
    pub fn price(currency: Currency, nano: u64) -> Self {
        Self {
            unit: currency.code().to_string(),
            value: JsonNumber::decimal(money::format_price_nano(nano)),
        }
    }

    /// The amount in minor units of `currency`; refuses another currency, non-numbers,
    /// negatives, exponents and more decimals than the currency has.
    pub fn to_minor(&self, field: &str, currency: Currency) -> Result<u64, Error> {
        self.check_unit(field, currency)?;
        currency
            .parse_minor(self.value.text())
            .map_err(|r| Error::invalid(format!("{field}.value"), r))
    }

    /// A price in nano-units (at most 9 decimals).
    pub fn to_nano(&self, field: &str, currency: Currency) -> Result<u64, Error> {
        self.check_unit(field, currency)?;
        money::parse_price_nano(self.value.text()).map_err(|r| Error::invalid(format!("{field}.value"), r))
    }

    fn check_unit(&self, field: &str, currency: Currency) -> Result<(), Error> {
        if self.unit != currency.code() {
            return Err(Error::invalid(
                format!("{field}.unit"),
                format!("{:?} is not the bill's currency {currency}", self.unit),
            ));
        }
        Ok(())
    }
}

/// `TimePeriod`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimePeriod {
    /// First instant.
    pub start_date_time: String,
    /// First instant after the period.
    pub end_date_time: String,
}

/// `BillingAccountRef`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingAccountRef {
    /// The MSA id.
    pub id: String,
}

/// `FinancialAccountRef`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinancialAccountRef {
    /// The Seller's party id.
    pub id: String,
    /// The Seller's legal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `AttachmentURL` (empty: no printable version).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentUrl {
    /// The URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `FieldedAddress` (the parts the MSA has).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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
#[serde(rename_all = "camelCase")]
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

/// `AppliedPayment` (none at issue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedPayment {}

/// `TaxItem`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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
#[serde(rename_all = "camelCase")]
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
pub struct ProductRef {
    /// The MSA product id.
    pub id: String,
}

/// `MEFPriceType` (the two this model bills).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemType {
    /// A usage line.
    UsageBased,
    /// A recurring line.
    Recurring,
}

/// `CustomerBillItem`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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
    /// SHA-256 of the verifying key (compressed), hex.
    pub vk_hash: String,
    /// The proof (base64).
    pub proof: InvoiceProof,
    /// The five public inputs.
    pub public_inputs: InvoicePublicInputs,
    /// The salt of the invoice commitment, 62 hex digits.
    pub invoice_salt: String,
}

/// `CustomerBill`, with its items inline and the proof as `zkProof`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerBill {
    /// The invoice number.
    pub id: String,
    /// The total.
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
    /// `normal`.
    pub category: String,
    /// Zero.
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
    /// The total.
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
}

fn instant(d: NaiveDate) -> String {
    format!("{d}T00:00:00Z")
}

fn parse_day(field: &str, s: &str) -> Result<NaiveDate, Error> {
    let t = parse_instant(field, s)?;
    if t.time() != NaiveTime::MIN {
        return Err(Error::invalid(
            field,
            format!("{s:?} is not midnight UTC (bills are in whole days)"),
        ));
    }
    Ok(t.date_naive())
}

fn contact(role: &str, p: &Party) -> RelatedContactInformation {
    let a = &p.billing_address;
    RelatedContactInformation {
        role: role.into(),
        name: p.name.clone(),
        organization: Some(p.id.clone()),
        email_address: String::new(),
        number: String::new(),
        postal_address: Some(FieldedAddress {
            street_name: a.street.clone(),
            city: a.city.clone(),
            postcode: Some(a.postcode.clone()),
            country: a.country.clone(),
        }),
    }
}

fn product<'a>(msa: &'a Msa, field: &str, id: &str) -> Result<&'a Product, Error> {
    msa.slot_of(id)
        .map(|s| &msa.products[s])
        .ok_or_else(|| Error::invalid(field, format!("product {id:?} is not in MSA {}", msa.id)))
}

impl CustomerBill {
    /// The bill of a proved invoice. `after` is the cumulative volume state after the period (the
    /// envelope's `stateAfter`): the tiers a usage line was priced at depend on it.
    pub fn from_proved(
        invoice: &Invoice,
        msa: &Msa,
        after: &VolumeState,
        zk: ZkProof,
    ) -> Result<Self, Error> {
        let c = invoice.currency;
        let period = TimePeriod {
            start_date_time: instant(invoice.period.start),
            end_date_time: instant(invoice.period.end),
        };
        let mut items = Vec::new();
        for (i, l) in invoice.lines.iter().enumerate() {
            let field = format!("lines[{i}]");
            let p = product(msa, &format!("{field}.product"), &l.product)?;
            let base =
                |kind, description: String, quantity: u64, amount: u64, rate: Money| CustomerBillItem {
                    id: String::new(),
                    applied_fee: Vec::new(),
                    applied_tax: Vec::new(),
                    customer_bill_item_type: kind,
                    description,
                    period_coverage: period.clone(),
                    product: ProductRef { id: p.id.clone() },
                    product_name: p.name.clone(),
                    product_order_item: ProductOrderItemRef::from_reference(&p.order_reference),
                    state: "generated".into(),
                    tax_excluded_amount: Money::minor(c, amount),
                    unit: p.unit.clone(),
                    unit_quantity: quantity.into(),
                    unit_rate: rate,
                };
            match l.kind {
                LineKind::Recurring => {
                    let r = p.recurring.ok_or_else(|| {
                        Error::invalid(&field, format!("product {:?} has no recurring fee", p.id))
                    })?;
                    items.push(base(
                        ItemType::Recurring,
                        format!("{}: recurring fee per {} per period", p.name, p.unit),
                        l.quantity,
                        l.amount,
                        Money::price(c, r.fee_nano),
                    ));
                }
                LineKind::Usage => {
                    let slot = msa.slot_of(&p.id).expect("found above");
                    let v1 = *after.volumes.get(slot).ok_or_else(|| {
                        Error::invalid("state after", format!("no volume for product {:?}", p.id))
                    })?;
                    let v0 = v1.checked_sub(l.quantity).ok_or_else(|| {
                        Error::invalid(
                            "state after",
                            format!(
                                "volume {v1} of {:?} is below the line's quantity {}",
                                p.id, l.quantity
                            ),
                        )
                    })?;
                    let uses = rater::tier_uses(p, v0, v1);
                    let mut cumulative: u128 = 0;
                    let mut billed: u64 = 0;
                    let n = uses.len();
                    for (j, u) in uses.iter().enumerate() {
                        cumulative += u128::from(u.price_nano) * u128::from(u.quantity);
                        let upto = u64::try_from(c.nano_to_minor(cumulative)).map_err(|_| Error::Range {
                            field: format!("{field}.amount"),
                            reason: "exceeds 2^64-1 minor units".into(),
                        })?;
                        let mut item = base(
                            ItemType::UsageBased,
                            format!("{}: usage, tier {} ({} to {})", p.name, u.tier + 1, j + 1, n),
                            u.quantity,
                            upto - billed,
                            Money::price(c, u.price_nano),
                        );
                        if n == 1 {
                            item.description = format!("{}: usage, tier {}", p.name, u.tier + 1);
                        }
                        billed = upto;
                        items.push(item);
                    }
                    if uses.is_empty() {
                        // No units: the rate the next unit is priced at.
                        let k = p.tier_of(v1).unwrap_or(0);
                        let price = p.tiers.get(k).map_or(0, |t| t.price_nano);
                        items.push(base(
                            ItemType::UsageBased,
                            format!("{}: usage, none in the period", p.name),
                            0,
                            0,
                            Money::price(c, price),
                        ));
                        billed = 0;
                    }
                    if billed != l.amount
                        || uses.iter().map(|u| u128::from(u.quantity)).sum::<u128>() != u128::from(l.quantity)
                    {
                        return Err(Error::invalid(
                            &field,
                            "the usage line is not what the MSA rates from the state after (wrong state?)",
                        ));
                    }
                }
            }
        }
        for (i, item) in items.iter_mut().enumerate() {
            item.id = format!("{}-{}", invoice.number, i + 1);
        }
        let zero = Money::minor(c, 0);
        let total = Money::minor(c, invoice.total);
        Ok(Self {
            id: invoice.number.clone(),
            amount_due: total.clone(),
            applied_payment: Vec::new(),
            billing_account: BillingAccountRef {
                id: invoice.msa_id.clone(),
            },
            bill_cycle: invoice.period.to_string(),
            bill_date: instant(invoice.issue_date),
            bill_document: AttachmentUrl::default(),
            bill_no: invoice.number.clone(),
            billing_period: period,
            category: "normal".into(),
            credits: zero.clone(),
            customer_bill_item: items,
            discounts: zero.clone(),
            fees: zero,
            financial_account: FinancialAccountRef {
                id: msa.seller.id.clone(),
                name: Some(msa.seller.name.clone()),
            },
            last_update: instant(invoice.issue_date),
            payment_due_date: instant(invoice.due_date),
            related_contact_information: vec![contact("seller", &msa.seller), contact("buyer", &msa.buyer)],
            remaining_amount: total.clone(),
            run_type: "onCycle".into(),
            state: "generated".into(),
            tax_excluded_amount: Money::minor(c, invoice.subtotal),
            tax_included_amount: total,
            tax_item: vec![TaxItem {
                tax_category: TAX_CATEGORY.into(),
                tax_rate: JsonNumber::decimal(money::format_scaled(u128::from(invoice.tax_ppm), 4)),
                tax_amount: Money::minor(c, invoice.tax),
            }],
            zk_proof: zk,
        })
    }

    /// The invoice the bill states, with the salt of its commitment (from `zkProof`), so the
    /// Buyer can recompute `invoice_commitment` from the payload alone. Items of one product and
    /// kind are summed into one line. Every amount is parsed exactly from the payload's text and
    /// the duplicated amounts are checked against each other. With `msa`, the fields the
    /// commitment does not cover are checked against it too (currency, product names, units,
    /// order references, unit rates). Sums are not checked here: a changed amount changes the
    /// commitment, which the proof binds.
    pub fn to_invoice(&self, msa: Option<&Msa>) -> Result<(Invoice, Salt), Error> {
        let currency = Currency::from_code(&self.tax_included_amount.unit)
            .map_err(|r| Error::invalid("taxIncludedAmount.unit", r))?;
        let c = currency;
        if let Some(msa) = msa.filter(|m| m.currency != c) {
            return Err(Error::invalid(
                "taxIncludedAmount.unit",
                format!("{c} is not the MSA's currency {}", msa.currency),
            ));
        }
        if self.bill_no != self.id {
            return Err(Error::invalid(
                "billNo",
                "is not the bill's id (the invoice number)",
            ));
        }
        super::check_id("id", &self.id)?;
        let party = |role: &str| -> Result<String, Error> {
            let found: Vec<_> = self
                .related_contact_information
                .iter()
                .enumerate()
                .filter(|(_, r)| r.role == role)
                .collect();
            match found.as_slice() {
                [(i, r)] => r.organization.clone().ok_or_else(|| {
                    Error::invalid(
                        format!("relatedContactInformation[{i}].organization"),
                        format!("missing: the {role}'s party id"),
                    )
                }),
                _ => Err(Error::invalid(
                    "relatedContactInformation",
                    format!("needs exactly one entry with role {role:?}"),
                )),
            }
        };
        let (seller_id, buyer_id) = (party("seller")?, party("buyer")?);
        if self.financial_account.id != seller_id {
            return Err(Error::invalid(
                "financialAccount.id",
                "is not the seller's party id",
            ));
        }
        let period = Period::new(
            parse_day(
                "billingPeriod.startDateTime",
                &self.billing_period.start_date_time,
            )?,
            parse_day("billingPeriod.endDateTime", &self.billing_period.end_date_time)?,
        )
        .map_err(|e| match e {
            Error::Invalid { reason, .. } => Error::invalid("billingPeriod", reason),
            e => e,
        })?;
        let issue_date = parse_day("billDate", &self.bill_date)?;
        if parse_day("lastUpdate", &self.last_update)? != issue_date {
            return Err(Error::invalid("lastUpdate", "is not the bill date"));
        }
        let [tax_item] = self.tax_item.as_slice() else {
            return Err(Error::invalid(
                "taxItem",
                "needs exactly one tax item (the MSA's rate)",
            ));
        };
        let tax_ppm = money::parse_percent_ppm(tax_item.tax_rate.text())
            .map_err(|r| Error::invalid("taxItem[0].taxRate", r))?;
        let total = self.tax_included_amount.to_minor("taxIncludedAmount", c)?;
        for (field, m, expected) in [
            ("amountDue", &self.amount_due, total),
            ("remainingAmount", &self.remaining_amount, total),
            ("credits", &self.credits, 0),
            ("discounts", &self.discounts, 0),
            ("fees", &self.fees, 0),
        ] {
            if m.to_minor(field, c)? != expected {
                return Err(Error::invalid(
                    format!("{field}.value"),
                    format!("{} is not {}", m.value, c.format_minor(expected)),
                ));
            }
        }
        let mut lines: Vec<InvoiceLine> = Vec::new();
        for (i, item) in self.customer_bill_item.iter().enumerate() {
            let f = format!("customerBillItem[{i}]");
            super::check_id(&format!("{f}.product.id"), &item.product.id)?;
            let p = msa
                .map(|m| product(m, &format!("{f}.product.id"), &item.product.id))
                .transpose()?;
            if let Some(p) = p {
                for (what, got, want) in [
                    ("productName", &item.product_name, &p.name),
                    ("unit", &item.unit, &p.unit),
                ] {
                    if got != want {
                        return Err(Error::invalid(
                            format!("{f}.{what}"),
                            format!("is not the MSA's {want:?}"),
                        ));
                    }
                }
                if item.product_order_item != ProductOrderItemRef::from_reference(&p.order_reference) {
                    return Err(Error::invalid(
                        format!("{f}.productOrderItem"),
                        format!("is not the MSA's order reference {:?}", p.order_reference),
                    ));
                }
            }
            if item.period_coverage != self.billing_period {
                return Err(Error::invalid(
                    format!("{f}.periodCoverage"),
                    "is not the billing period",
                ));
            }
            let quantity = item.unit_quantity.as_u64().ok_or_else(|| {
                Error::invalid(
                    format!("{f}.unitQuantity"),
                    format!("{} is not an unsigned integer below 2^64", item.unit_quantity),
                )
            })?;
            let amount = item
                .tax_excluded_amount
                .to_minor(&format!("{f}.taxExcludedAmount"), c)?;
            let rate = item.unit_rate.to_nano(&format!("{f}.unitRate"), c)?;
            let id = &item.product.id;
            let kind = match item.customer_bill_item_type {
                ItemType::UsageBased => {
                    if p.is_some_and(|p| !p.tiers.iter().any(|t| t.price_nano == rate)) {
                        return Err(Error::invalid(
                            format!("{f}.unitRate.value"),
                            format!("{} is not a tier price of {id:?}", item.unit_rate.value),
                        ));
                    }
                    LineKind::Usage
                }
                ItemType::Recurring => {
                    if p.is_some_and(|p| p.recurring.map(|r| r.fee_nano) != Some(rate)) {
                        return Err(Error::invalid(
                            format!("{f}.unitRate.value"),
                            format!("{} is not the recurring fee of {id:?}", item.unit_rate.value),
                        ));
                    }
                    LineKind::Recurring
                }
            };
            match lines.iter_mut().find(|l| &l.product == id && l.kind == kind) {
                Some(l) => {
                    let over = || Error::Range {
                        field: f.clone(),
                        reason: "the items of the line exceed 2^64-1".into(),
                    };
                    l.quantity = l.quantity.checked_add(quantity).ok_or_else(over)?;
                    l.amount = l.amount.checked_add(amount).ok_or_else(over)?;
                }
                None => lines.push(InvoiceLine {
                    product: id.clone(),
                    kind,
                    quantity,
                    amount,
                }),
            }
        }
        lines.sort_by(|a, b| {
            a.product
                .as_bytes()
                .cmp(b.product.as_bytes())
                .then(a.kind.cmp(&b.kind))
        });
        let salt: Salt = self
            .zk_proof
            .invoice_salt
            .parse()
            .map_err(|e: Error| Error::invalid("zkProof.invoiceSalt", e.to_string()))?;
        let invoice = Invoice {
            number: self.id.clone(),
            msa_id: self.billing_account.id.clone(),
            seller_id,
            buyer_id,
            period,
            issue_date,
            due_date: parse_day("paymentDueDate", &self.payment_due_date)?,
            currency: c,
            tax_ppm,
            lines,
            subtotal: self.tax_excluded_amount.to_minor("taxExcludedAmount", c)?,
            tax: tax_item.tax_amount.to_minor("taxItem[0].taxAmount", c)?,
            total,
        };
        Ok((invoice, salt))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};
    use zkinvoice_tests::mef141::{self, errors};

    use super::*;
    use crate::{commit, model::usage::Usage, rate, Shape, UsageFormat};

    const MSA: &str = include_str!("../../../examples/msa.json");
    const USAGE: &str = include_str!("../../../examples/usage-2026-10.json");

    fn shape() -> Shape {
        "S".parse().expect("shape S")
    }

    /// October rated from `state_0`, its commitment salt, and the bill as JSON text.
    fn proved() -> (Msa, Invoice, Salt, String) {
        let msa = Msa::from_json(MSA).expect("example MSA");
        let usage = Usage::parse(USAGE, UsageFormat::Json, &msa, None).expect("example usage");
        let rated = rate(&msa, &usage, &VolumeState::initial(&msa), "INV-2026-10").expect("rates");
        let salt: Salt = "11".repeat(31).parse().expect("salt");
        let invoice_commitment = commit::invoice_commitment(&rated.invoice, shape(), &salt).expect("fits S");
        // The identity points: a well-formed proof (it does not verify, which is not tested here).
        let mut bytes = vec![0u8; 192];
        for i in [0, 48, 144] {
            bytes[i] = 0xc0;
        }
        let fe = crate::Fr::from(7u64);
        let zk = ZkProof {
            scheme: "groth16-bls12-381".into(),
            shape: "S".into(),
            vk_hash: "00".repeat(32),
            proof: InvoiceProof::from_bytes(&bytes).expect("identity points"),
            public_inputs: InvoicePublicInputs {
                msa_commitment: fe,
                usage_commitment: fe,
                state_before: fe,
                state_after: fe,
                invoice_commitment: invoice_commitment.0,
            },
            invoice_salt: salt.to_hex(),
        };
        let bill = CustomerBill::from_proved(&rated.invoice, &msa, &rated.after, zk).expect("renders");
        let text = serde_json::to_string_pretty(&bill).expect("serialises");
        (msa, rated.invoice, salt, text)
    }

    fn recommit(msa: &Msa, text: &str) -> Result<commit::Commitment, Error> {
        let bill: CustomerBill = crate::model::from_json(text)?;
        let (invoice, salt) = bill.to_invoice(Some(msa))?;
        commit::invoice_commitment(&invoice, shape(), &salt)
    }

    #[test]
    fn sonata_round_trip_is_exact() {
        let (msa, invoice, salt, text) = proved();
        let bill: CustomerBill = crate::model::from_json(&text).expect("parses");
        let (back, back_salt) = bill.to_invoice(Some(&msa)).expect("reconstructs");
        assert_eq!(back, invoice);
        assert_eq!(bill.to_invoice(None).expect("from the payload alone").0, invoice);
        assert_eq!(back_salt, salt);
        assert_eq!(
            commit::invoice_commitment(&back, shape(), &back_salt).unwrap(),
            commit::invoice_commitment(&invoice, shape(), &salt).unwrap()
        );
        // Money is written with exactly the currency's digits, from the exact minor units.
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(text.contains(&format!(
            "\"value\": {}",
            invoice.currency.format_minor(invoice.total)
        )));
        assert_eq!(v["taxItem"][0]["taxRate"], json!(8.875));
        assert!(text.contains("\"taxRate\": 8.8750"));
        // The graduated ip-transit usage crosses a tier in October: one item per tier, exact rates.
        let items = v["customerBillItem"].as_array().unwrap();
        let ip: Vec<&Value> = items
            .iter()
            .filter(|i| i["product"]["id"] == "ip-transit")
            .collect();
        assert!(!ip.is_empty());
        for i in &ip {
            let rate = i["unitRate"]["value"].to_string();
            assert!(
                ["0.02", "0.015", "0.01", "0.006"].contains(&rate.as_str()),
                "{rate}"
            );
        }
    }

    #[test]
    fn sonata_rejects_inexact_money() {
        let (msa, _, _, text) = proved();
        for (bad, why) in [
            ("1.001", "decimals"),
            ("\"12.00\"", "decimal number"),
            ("1e3", "decimal number"),
            ("-1.00", "negative"),
        ] {
            let mut v: Value = serde_json::from_str(&text).unwrap();
            v["taxExcludedAmount"]["value"] = json!("PLACEHOLDER");
            let t = v.to_string().replace("\"PLACEHOLDER\"", bad);
            let err = recommit(&msa, &t).expect_err(bad);
            let msg = err.to_string();
            assert!(
                msg.starts_with("taxExcludedAmount.value: ") && msg.contains(why),
                "{bad}: {msg}"
            );
        }
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["customerBillItem"][0]["unitQuantity"] = json!(1.5);
        let msg = recommit(&msa, &v.to_string()).unwrap_err().to_string();
        assert!(msg.starts_with("customerBillItem[0].unitQuantity"), "{msg}");
    }

    /// Every path of a Money value in the bill.
    fn money_paths(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::Object(m) => {
                if m.contains_key("unit") && m.get("value").is_some_and(Value::is_number) {
                    out.push(path.clone());
                }
                for (k, x) in m {
                    if k != "zkProof" {
                        path.push(k.clone());
                        money_paths(x, path, out);
                        path.pop();
                    }
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(i.to_string());
                    money_paths(x, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn at<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
        path.iter().fold(v, |v, k| match v {
            Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            v => &mut v[k.as_str()],
        })
    }

    #[test]
    fn sonata_any_edit_changes_the_commitment() {
        let (msa, invoice, salt, text) = proved();
        let proven = commit::invoice_commitment(&invoice, shape(), &salt).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let mut paths = Vec::new();
        money_paths(&v, &mut Vec::new(), &mut paths);
        assert!(paths.len() >= 10, "{paths:?}");
        let items = v["customerBillItem"].as_array().unwrap().len();
        let mut edits: Vec<(Vec<String>, &str)> = paths.into_iter().map(|p| (p, "value")).collect();
        for i in 0..items {
            edits.push((vec!["customerBillItem".into(), i.to_string()], "unitQuantity"));
        }
        for (path, key) in edits {
            let mut e = v.clone();
            let slot = &mut at(&mut e, &path)[key];
            // One more minor unit (or unit of quantity), written exactly.
            let old = slot.to_string();
            let new = if key == "unitQuantity" {
                (old.parse::<u64>().unwrap() + 1).to_string()
            } else {
                let n = money::parse_decimal(&old, 9).unwrap() + 10_000_000;
                money::format_scaled(n, 2)
            };
            *slot = json!("PLACEHOLDER");
            let t = e.to_string().replace("\"PLACEHOLDER\"", &new);
            match recommit(&msa, &t) {
                Ok(c) => assert_ne!(c, proven, "{path:?}.{key}: {old} -> {new} kept the commitment"),
                Err(err) => assert!(matches!(err, Error::Invalid { .. }), "{path:?}.{key}: {err}"),
            }
        }
        // The amounts the commitment covers change it; a duplicated amount that disagrees is refused.
        let edit = |f: &dyn Fn(&mut Value) -> &mut Value| {
            let mut e = v.clone();
            *f(&mut e) = json!("PLACEHOLDER");
            recommit(&msa, &e.to_string().replace("\"PLACEHOLDER\"", "1.00"))
        };
        assert_ne!(edit(&|e| &mut e["taxExcludedAmount"]["value"]).unwrap(), proven);
        assert_ne!(
            edit(&|e| &mut e["taxItem"][0]["taxAmount"]["value"]).unwrap(),
            proven
        );
        assert_ne!(
            edit(&|e| &mut e["customerBillItem"][0]["taxExcludedAmount"]["value"]).unwrap(),
            proven
        );
        let msg = edit(&|e| &mut e["taxIncludedAmount"]["value"])
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("amountDue.value: "), "{msg}");
    }

    fn validator(root: &str) -> mef141::Validator {
        mef141::validator(mef141::Api::Management, root)
    }

    #[test]
    fn sonata_bill_and_items_are_schema_valid() {
        let (_, _, _, text) = proved();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(v.get("zkProof").is_some());
        let bill = validator("CustomerBill");
        assert_eq!(errors(&bill, &v), Vec::<String>::new());
        let item = validator("CustomerBillItem");
        let items = v["customerBillItem"].as_array().unwrap();
        assert!(items.len() >= 5);
        for i in items {
            assert_eq!(errors(&item, i), Vec::<String>::new(), "{i}");
        }
        // The validator can fail: required fields, enums, types and date-time formats.
        let required = v["customerBillItem"][0].as_object().unwrap().len();
        assert_eq!(required, 14, "every CustomerBillItem field is required");
        for (field, bad) in [
            ("billDate", None),
            ("taxItem", None),
            ("state", Some(json!("issued"))),
            ("billDate", Some(json!("2026-11-01"))),
            ("amountDue", Some(json!({"unit": "USD", "value": "1.00"}))),
        ] {
            let mut e = v.clone();
            match &bad {
                None => {
                    e.as_object_mut().unwrap().remove(field);
                }
                Some(b) => e[field] = b.clone(),
            }
            assert!(!bill.is_valid(&e), "{field} {bad:?}");
        }
        let mut e = items[0].clone();
        e["state"] = json!("withdrawn");
        assert!(!item.is_valid(&e), "the YAML spells withDrawn");
        e["state"] = json!("withDrawn");
        assert!(item.is_valid(&e));
        e.as_object_mut().unwrap().remove("productOrderItem");
        assert!(!item.is_valid(&e));
    }
}
