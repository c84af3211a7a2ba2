//! A bill once it is paid: MEF 141's `state`, `appliedPayment` and `remainingAmount` after the
//! Buyer's payment in full is received (the anchor log's `payment-received`, `docs/lifecycle.md`).

use crate::{AppliedPayment, CustomerBill, Money, PaymentItem};

/// The state of a bill whose payment is received.
pub const SETTLED: &str = "settled";

impl CustomerBill {
    /// This bill once its payment in full, under `reference`, is received: `state` `settled`,
    /// the total applied as the payment `reference`, nothing remaining.
    pub fn settled(&self, reference: &str) -> CustomerBill {
        let mut b = self.clone();
        b.state = SETTLED.into();
        b.applied_payment = vec![AppliedPayment {
            applied_amount: b.tax_included_amount.clone(),
            payment: PaymentItem { id: reference.into() },
        }];
        b.remaining_amount = Money {
            unit: b.remaining_amount.unit.clone(),
            value: zero_like(&b.tax_included_amount),
        };
        b
    }

    /// The reference of the payment this bill says it applied, if it says one was.
    pub fn paid_by(&self) -> Option<&str> {
        self.applied_payment.first().map(|p| p.payment.id.as_str())
    }
}

/// Zero written with the minor digits of `like` (`0.00` for `1450.00`).
fn zero_like(like: &Money) -> crate::JsonNumber {
    let text = like.value.text();
    let digits = text.split_once('.').map_or(0, |(_, d)| d.len());
    crate::JsonNumber::decimal(if digits == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(digits))
    })
}
