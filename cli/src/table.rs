//! Readable tables for terminals.

use std::fmt::Write;

use zkinvoice_circuits::{money, rater::TierUse, Msa, PricingModel, Rated};

/// Groups digits in thousands: `1234567` -> `1,234,567`.
pub fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The tiers a usage line was priced at: `graduated: 100,000 @ 0.02 + 298,204 @ 0.015`, or
/// `no usage` when it has none (a product left out of a partial invoice).
pub fn describe_tiers(model: PricingModel, uses: &[TierUse]) -> String {
    if uses.is_empty() {
        return "no usage".into();
    }
    let t = uses
        .iter()
        .map(|t| {
            format!(
                "{} @ {}",
                thousands(t.quantity),
                money::format_price_nano(t.price_nano)
            )
        })
        .collect::<Vec<_>>()
        .join(" + ");
    format!("{}: {t}", format!("{model:?}").to_lowercase())
}

/// The invoice as a table: one row per line, with the volumes and tiers behind usage charges.
pub fn invoice(msa: &Msa, rated: &Rated) -> String {
    let inv = &rated.invoice;
    let c = inv.currency;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Invoice {}  {} -> {}  period {}  issued {}  due {}  ({})",
        inv.number, msa.seller.name, msa.buyer.name, inv.period, inv.issue_date, inv.due_date, c
    );
    let _ = writeln!(
        s,
        "  {:<20} {:<9} {:>13} {:>11} {:>13}  {:<44} {:>12}",
        "product",
        "kind",
        "volume before",
        "quantity",
        "volume after",
        "tiers applied (units @ price)",
        "amount"
    );
    for line in &inv.lines {
        let slot = msa.slot_of(&line.product).expect("lines bill MSA products");
        let p = &msa.products[slot];
        let ch = &rated.charges[slot];
        let (kind, before, after, tiers) = match line.kind {
            zkinvoice_circuits::LineKind::Usage => {
                let tiers = describe_tiers(p.model, &ch.tiers);
                (
                    "usage",
                    thousands(ch.volume_before),
                    thousands(ch.volume_after),
                    tiers,
                )
            }
            zkinvoice_circuits::LineKind::Recurring => {
                let fee = p.recurring.map_or(0, |r| r.fee_nano);
                (
                    "recurring",
                    String::new(),
                    String::new(),
                    format!("{} x {}", line.quantity, money::format_price_nano(fee)),
                )
            }
        };
        let _ = writeln!(
            s,
            "  {:<20} {:<9} {:>13} {:>11} {:>13}  {:<44} {:>12}",
            line.product,
            kind,
            before,
            thousands(line.quantity),
            after,
            tiers,
            c.format_minor(line.amount)
        );
    }
    let pct = money::format_scaled(u128::from(inv.tax_ppm), 4);
    let pct = pct.trim_end_matches('0').trim_end_matches('.');
    let w = 20 + 9 + 13 + 11 + 13 + 44 + 6;
    let _ = writeln!(s, "  {:>w$} {:>12}", "subtotal", c.format_minor(inv.subtotal));
    let _ = writeln!(
        s,
        "  {:>w$} {:>12}",
        format!("tax {pct}%"),
        c.format_minor(inv.tax)
    );
    let _ = writeln!(
        s,
        "  {:>w$} {:>12}",
        format!("total {c}"),
        c.format_minor(inv.total)
    );
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }

    #[test]
    fn describe_tiers() {
        use zkinvoice_circuits::{rater::TierUse, PricingModel};
        let uses = [
            TierUse {
                tier: 0,
                quantity: 100_000,
                price_nano: 20_000_000,
            },
            TierUse {
                tier: 1,
                quantity: 298_204,
                price_nano: 15_000_000,
            },
        ];
        assert_eq!(
            super::describe_tiers(PricingModel::Graduated, &uses),
            "graduated: 100,000 @ 0.02 + 298,204 @ 0.015"
        );
        assert_eq!(super::describe_tiers(PricingModel::Volume, &[]), "no usage");
    }
}
