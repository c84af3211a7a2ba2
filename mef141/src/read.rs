//! The invoice a `CustomerBill` states ([`CustomerBill::to_invoice`]), so that the Buyer can
//! recompute the invoice commitment from the payload alone and compare it with the proven one.

use chrono::{NaiveDate, NaiveTime};
use zkinvoice_circuits::{
    model::{check_id, period::parse_instant},
    money, Currency, Error, Invoice, InvoiceLine, LineKind, Msa, Period, Product, Salt,
};

use crate::bill::{
    msa_product, CustomerBill, CustomerBillItem, FinancialAccountRef, ItemType, ProductOrderItemRef,
};

/// A day written as its first instant, on or after 1970-01-01 (as the model's dates: the
/// commitments count days from it).
fn parse_day(field: &str, s: &str) -> Result<NaiveDate, Error> {
    let t = parse_instant(field, s)?;
    if t.time() != NaiveTime::MIN {
        return Err(Error::invalid(
            field,
            format!("{s:?} is not midnight UTC (bills are in whole days)"),
        ));
    }
    if t.timestamp() < 0 {
        return Err(Error::invalid(field, format!("{s:?} is before 1970-01-01")));
    }
    Ok(t.date_naive())
}

impl CustomerBill {
    /// Refuses a bill whose financial account (where the Buyer pays) is not the one the MSA
    /// commits ([`FinancialAccountRef::of`]), naming the first field that differs.
    pub fn check_financial_account(&self, msa: &Msa) -> Result<(), Error> {
        let (got, want) = (&self.financial_account, FinancialAccountRef::of(msa));
        let what = if msa.terms.payment.is_some() {
            "the MSA's committed remit-to"
        } else {
            "the Seller's (the MSA commits no payment terms)"
        };
        let fields = [
            ("financialAccount.id", Some(&got.id), Some(&want.id), "account"),
            (
                "financialAccount.name",
                got.name.as_ref(),
                want.name.as_ref(),
                "name",
            ),
            (
                "financialAccount.type",
                got.account_type.as_ref(),
                want.account_type.as_ref(),
                "payment method",
            ),
        ];
        for (field, got, want, noun) in fields {
            if got != want {
                let want = want.map_or_else(|| "none".to_string(), |w| format!("{w:?}"));
                return Err(Error::invalid(field, format!("is not {what} {noun}, {want}")));
            }
        }
        Ok(())
    }

    /// The invoice the bill states, with the salt of its commitment (from `zkProof`), so the
    /// Buyer can recompute `invoice_commitment` from the payload and the MSA it holds. Items of
    /// one product and kind are summed into one line. Every amount is parsed exactly from the
    /// payload's text and the duplicated amounts are checked against each other; the fields the
    /// commitment does not cover are checked against `msa` (currency, product names, units, order
    /// references, unit rates). Sums are not checked here: a changed amount changes the
    /// commitment, which the proof binds. (The whole bill is compared with the bill the proven
    /// invoice gives by [`CustomerBill::first_difference`].)
    pub fn to_invoice(&self, msa: &Msa) -> Result<(Invoice, Salt), Error> {
        let c = Currency::from_code(&self.tax_included_amount.unit)
            .map_err(|r| Error::invalid("taxIncludedAmount.unit", r))?;
        if msa.currency != c {
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
        check_id("id", &self.id)?;
        let (seller_id, buyer_id) = (self.party("seller")?, self.party("buyer")?);
        self.check_financial_account(msa)?;
        let (period, issue_date) = self.period_and_bill_date()?;
        let [tax_item] = self.tax_item.as_slice() else {
            return Err(Error::invalid(
                "taxItem",
                "needs exactly one tax item (the MSA's rate)",
            ));
        };
        let tax_ppm = money::parse_percent_ppm(tax_item.tax_rate.text())
            .map_err(|r| Error::invalid("taxItem[0].taxRate", r))?;
        let total = self.tax_included_amount.to_minor("taxIncludedAmount", c)?;
        self.check_duplicated_amounts(c, total)?;
        let lines = self.lines(c, msa)?;
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

    /// The party id of the one `relatedContactInformation` entry with `role`.
    fn party(&self, role: &str) -> Result<String, Error> {
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
    }

    /// The billing period and the bill date (which `lastUpdate` must repeat).
    fn period_and_bill_date(&self) -> Result<(Period, NaiveDate), Error> {
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
        Ok((period, issue_date))
    }

    /// The amounts the bill repeats: credits are the totals of the credit note applied
    /// (`zkCredit`) and of the notes carried to it (`zkCarried`), zero without any, due is the total less them and less the partial
    /// invoice's total (`zkPartial`, on a final invoice), and so is remaining (zero once
    /// the payment is applied); discounts and fees are zero.
    fn check_duplicated_amounts(&self, c: Currency, total: u64) -> Result<(), Error> {
        let mut credits = match &self.zk_credit {
            Some(credit) => c
                .parse_minor(&credit.total)
                .map_err(|r| Error::invalid("zkCredit.total", r))?,
            None => 0,
        };
        for (i, note) in self.zk_carried.iter().enumerate() {
            let field = || format!("zkCarried[{i}].total");
            credits = c
                .parse_minor(&note.total)
                .ok()
                .and_then(|t| credits.checked_add(t))
                .ok_or_else(|| Error::invalid(field(), "is not an amount of the bill's currency"))?;
        }
        let earlier = match &self.zk_partial {
            Some(partial) => self.partial_total(c, partial)?,
            None => 0,
        };
        let due = total
            .checked_sub(credits)
            .ok_or_else(|| Error::invalid("credits", "exceed the bill's total"))?
            .checked_sub(earlier)
            .ok_or_else(|| Error::invalid("zkPartial.total", "exceeds what the bill's total leaves due"))?;
        let remaining = if self.applied_payment.is_empty() { due } else { 0 };
        for (field, m, expected) in [
            ("amountDue", &self.amount_due, due),
            ("remainingAmount", &self.remaining_amount, remaining),
            ("credits", &self.credits, credits),
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
        Ok(())
    }

    /// The invoice lines: the items of one product and kind summed, in the invoice's order.
    fn lines(&self, c: Currency, msa: &Msa) -> Result<Vec<InvoiceLine>, Error> {
        let mut lines: Vec<InvoiceLine> = Vec::new();
        for (i, item) in self.customer_bill_item.iter().enumerate() {
            let f = format!("customerBillItem[{i}]");
            let line = self.item_line(&f, item, c, msa)?;
            match lines
                .iter_mut()
                .find(|l| l.product == line.product && l.kind == line.kind)
            {
                Some(l) => {
                    let over = || Error::Range {
                        field: f.clone(),
                        reason: "the items of the line exceed 2^64-1".into(),
                    };
                    l.quantity = l.quantity.checked_add(line.quantity).ok_or_else(over)?;
                    l.amount = l.amount.checked_add(line.amount).ok_or_else(over)?;
                }
                None => lines.push(line),
            }
        }
        lines.sort_by(|a, b| {
            a.product
                .as_bytes()
                .cmp(b.product.as_bytes())
                .then(a.kind.cmp(&b.kind))
        });
        Ok(lines)
    }

    /// One item as (part of) a line, its descriptive fields checked against `msa`.
    fn item_line(
        &self,
        f: &str,
        item: &CustomerBillItem,
        c: Currency,
        msa: &Msa,
    ) -> Result<InvoiceLine, Error> {
        check_id(&format!("{f}.product.id"), &item.product.id)?;
        let p = msa_product(msa, &format!("{f}.product.id"), &item.product.id)?;
        check_descriptive(f, item, p)?;
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
                if !p.tiers.iter().any(|t| t.price_nano == rate) {
                    return Err(Error::invalid(
                        format!("{f}.unitRate.value"),
                        format!("{} is not a tier price of {id:?}", item.unit_rate.value),
                    ));
                }
                LineKind::Usage
            }
            ItemType::Recurring => {
                if p.recurring.map(|r| r.fee_nano) != Some(rate) {
                    return Err(Error::invalid(
                        format!("{f}.unitRate.value"),
                        format!("{} is not the recurring fee of {id:?}", item.unit_rate.value),
                    ));
                }
                LineKind::Recurring
            }
        };
        Ok(InvoiceLine {
            product: id.clone(),
            kind,
            quantity,
            amount,
        })
    }
}

/// The item's product name, unit and order reference are the MSA product's.
fn check_descriptive(f: &str, item: &CustomerBillItem, p: &Product) -> Result<(), Error> {
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
    Ok(())
}
