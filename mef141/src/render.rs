//! A proved invoice as a `CustomerBill` ([`CustomerBill::from_proved`]): one item per recurring
//! line, one item per tier a usage line was priced at, the amounts split by cumulative rounding so
//! the items add up to the rounded line amount exactly (the mapping is in the crate's docs).

use chrono::NaiveDate;
use zkinvoice_circuits::{
    money, rater, Currency, Error, Invoice, InvoiceLine, LineKind, Msa, Product, Salt, VolumeState,
};
use zkinvoice_prover::ProofEnvelope;

use crate::{
    bill::{
        msa_product, AttachmentUrl, BillingAccountRef, CustomerBill, CustomerBillItem, FieldedAddress,
        FinancialAccountRef, ItemType, ProductOrderItemRef, ProductRef, RelatedContactInformation, TaxItem,
        TimePeriod, ZkProof, TAX_CATEGORY,
    },
    money::{JsonNumber, Money},
};

/// A date as the instant of its midnight UTC (`YYYY-MM-DDT00:00:00Z`).
pub(crate) fn instant(d: NaiveDate) -> String {
    format!("{d}T00:00:00Z")
}

fn contact(role: &str, p: &zkinvoice_circuits::model::msa::Party) -> RelatedContactInformation {
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

/// What every item of one line shares: the product, the period and the currency.
struct LineItems<'a> {
    product: &'a Product,
    period: &'a TimePeriod,
    currency: Currency,
}

impl LineItems<'_> {
    /// An item (its id is set once all items are known).
    fn item(
        &self,
        kind: ItemType,
        description: String,
        quantity: u64,
        amount: u64,
        rate: Money,
    ) -> CustomerBillItem {
        let p = self.product;
        CustomerBillItem {
            id: String::new(),
            applied_fee: Vec::new(),
            applied_tax: Vec::new(),
            customer_bill_item_type: kind,
            description,
            period_coverage: self.period.clone(),
            product: ProductRef { id: p.id.clone() },
            product_name: p.name.clone(),
            product_order_item: ProductOrderItemRef::from_reference(&p.order_reference),
            state: "generated".into(),
            tax_excluded_amount: Money::minor(self.currency, amount),
            unit: p.unit.clone(),
            unit_quantity: quantity.into(),
            unit_rate: rate,
        }
    }

    /// The one item of a recurring line.
    fn recurring(&self, field: &str, l: &InvoiceLine) -> Result<CustomerBillItem, Error> {
        let p = self.product;
        let r = p
            .recurring
            .ok_or_else(|| Error::invalid(field, format!("product {:?} has no recurring fee", p.id)))?;
        Ok(self.item(
            ItemType::Recurring,
            format!("{}: recurring fee per {} per period", p.name, p.unit),
            l.quantity,
            l.amount,
            Money::price(self.currency, r.fee_nano),
        ))
    }

    /// The items of a usage line, one per tier it was priced at between the volume before the
    /// period and `v1` after it; they must add up to the line's quantity and amount.
    fn usage(&self, field: &str, l: &InvoiceLine, v1: u64) -> Result<Vec<CustomerBillItem>, Error> {
        let (p, c) = (self.product, self.currency);
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
        let mut items = Vec::new();
        let mut cumulative: u128 = 0;
        let mut billed: u64 = 0;
        let n = uses.len();
        for (j, u) in uses.iter().enumerate() {
            cumulative += u128::from(u.price_nano) * u128::from(u.quantity);
            let upto = u64::try_from(c.nano_to_minor(cumulative)).map_err(|_| Error::Range {
                field: format!("{field}.amount"),
                reason: "exceeds 2^64-1 minor units".into(),
            })?;
            let description = if n == 1 {
                format!("{}: usage, tier {}", p.name, u.tier + 1)
            } else {
                format!("{}: usage, tier {} ({} to {})", p.name, u.tier + 1, j + 1, n)
            };
            items.push(self.item(
                ItemType::UsageBased,
                description,
                u.quantity,
                upto - billed,
                Money::price(c, u.price_nano),
            ));
            billed = upto;
        }
        if uses.is_empty() {
            // No units: the rate the next unit is priced at.
            let k = p.tier_of(v1).unwrap_or(0);
            let price = p.tiers.get(k).map_or(0, |t| t.price_nano);
            items.push(self.item(
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
                field,
                "the usage line is not what the MSA rates from the state after (wrong state?)",
            ));
        }
        Ok(items)
    }
}

impl ZkProof {
    /// The `zkProof` of a proof envelope, with the salt of its invoice commitment (the envelope's
    /// `invoice.commitment.salt`, once opened).
    pub fn of_envelope(env: &ProofEnvelope, invoice_salt: &Salt) -> Self {
        Self {
            scheme: env.scheme.clone(),
            shape: env.shape.clone(),
            vk_hash: env.vk_hash.clone(),
            proof: env.proof.clone(),
            public_inputs: env.public_inputs,
            invoice_salt: invoice_salt.to_hex(),
            state_after: env.state_after.clone(),
        }
    }
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
            let product = msa_product(msa, &format!("{field}.product"), &l.product)?;
            let line = LineItems {
                product,
                period: &period,
                currency: c,
            };
            match l.kind {
                LineKind::Recurring => items.push(line.recurring(&field, l)?),
                LineKind::Usage => {
                    let slot = msa.slot_of(&product.id).expect("found above");
                    let v1 = *after.volumes.get(slot).ok_or_else(|| {
                        Error::invalid("state after", format!("no volume for product {:?}", product.id))
                    })?;
                    items.extend(line.usage(&field, l, v1)?);
                }
            }
        }
        for (i, item) in items.iter_mut().enumerate() {
            item.id = format!("{}-{}", invoice.number, i + 1);
        }
        Ok(Self::with_items(invoice, msa, period, items, zk))
    }

    /// The bill around its items: parties, dates, totals, tax, the constants of the mapping.
    fn with_items(
        invoice: &Invoice,
        msa: &Msa,
        period: TimePeriod,
        items: Vec<CustomerBillItem>,
        zk: ZkProof,
    ) -> Self {
        let c = invoice.currency;
        let zero = Money::minor(c, 0);
        let total = Money::minor(c, invoice.total);
        Self {
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
            category: crate::part::NORMAL.into(),
            credits: zero.clone(),
            customer_bill_item: items,
            discounts: zero.clone(),
            fees: zero,
            financial_account: FinancialAccountRef::of(msa),
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
            zk_credit: None,
            zk_carried: Vec::new(),
            zk_partial: None,
            zk_part: None,
        }
    }
}
