//! The human-readable invoice (MEF 114 R73): one self-contained HTML5 document, readable in a
//! browser and printable on A4; no external assets, no JavaScript. Every text from the inputs is
//! escaped.

use std::fmt::Write;

use zkinvoice_check::Received;
use zkinvoice_circuits::{commit::Commitment, money, rater::tier_uses, Invoice, InvoiceLine, LineKind, Msa};
use zkinvoice_mef141::CustomerBill;

use crate::table::{describe_tiers, thousands};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The outcome of checking the envelope, as the invoice states it.
pub enum Status {
    /// The proof verifies under the key given.
    Verified,
    /// The bill or envelope checks against the anchor log (its key, the anchored commitments,
    /// and what the log records of the bill).
    Anchored,
    /// No key was given.
    NoKey,
    /// The check failed, and why.
    Failed(String),
}

impl Status {
    /// One word or three, for the command's report.
    pub fn short(&self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Anchored => "verified against the anchor log",
            Status::NoKey => "not verified (no verifying key given)",
            Status::Failed(_) => "NOT VERIFIED",
        }
    }

    fn html(&self) -> String {
        match self {
            Status::Verified => "<span class=\"ok\">verified</span> (against the verifying key given; \
                                 the agreed commitments were not checked)"
                .to_string(),
            Status::Anchored => "<span class=\"ok\">verified</span> against the anchor log (its key, the \
                                 anchored MSA, usage and state, and what it records of the bill)"
                .to_string(),
            Status::NoKey => "<span class=\"none\">not verified</span> (no verifying key given)".to_string(),
            Status::Failed(m) => format!("<span class=\"bad\">NOT VERIFIED</span>: {}", escape(m)),
        }
    }
}

const CSS: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#111;\
margin:2em auto;max-width:60em;padding:0 1em;line-height:1.4}
h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.5em 0 .4em;border-bottom:1px solid #999}
.parties{display:flex;gap:2em;flex-wrap:wrap}.parties div{flex:1;min-width:14em}
.label{font-size:.8em;text-transform:uppercase;letter-spacing:.05em;color:#555}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:1em 0}
dl.meta dt{color:#555}dl.meta dd{margin:0}
table{border-collapse:collapse;width:100%}th,td{padding:.3em .5em;vertical-align:top;text-align:left}
thead th{border-bottom:2px solid #333;font-size:.85em}tbody td{border-bottom:1px solid #ccc}
td.num,th.num{text-align:right;white-space:nowrap}.id{color:#555;font-size:.85em}
tfoot td{border:none}tfoot tr.total td{font-weight:bold;border-top:2px solid #333}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
.ok{color:#075;font-weight:bold}.bad{color:#a00;font-weight:bold}.none{color:#555;font-weight:bold}
@media print{@page{size:A4;margin:15mm}body{margin:0;max-width:none;padding:0;font-size:10pt;color:#000}
h2{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}tfoot{display:table-row-group}
.ok,.bad,.none{color:#000}}
";

/// The HTML document of the invoice `inv` as received (`r`, an envelope or a bill, with its
/// proof's status), with what `bill` makes due when it is one; an error names what of the
/// invoice the MSA or state does not know.
pub fn document(
    msa: &Msa,
    inv: &Invoice,
    volumes_after: &[u64],
    (r, status): (&Received<'_>, &Status),
    bill: Option<&CustomerBill>,
) -> Result<String, String> {
    let e = escape;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Invoice {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        e(&inv.number)
    );
    let _ = writeln!(s, "<h1>Invoice {}</h1>", e(&inv.number));
    header(&mut s, msa, inv);
    charges(&mut s, msa, inv, volumes_after)?;
    if let Some(b) = bill {
        due(&mut s, b);
    }
    proof(&mut s, r, status);
    let _ = writeln!(s, "</dl>\n</body>\n</html>");
    Ok(s)
}

/// The parties and the invoice's dates.
fn header(s: &mut String, msa: &Msa, inv: &Invoice) {
    let e = escape;
    let _ = writeln!(s, "<section class=\"parties\">");
    for (label, p) in [("Seller", &msa.seller), ("Buyer", &msa.buyer)] {
        let ad = &p.billing_address;
        let _ = writeln!(
            s,
            "<div><div class=\"label\">{label}</div><strong>{}</strong> <span class=\"id\">({})</span><br>\
             {}<br>{} {}<br>{}</div>",
            e(&p.name),
            e(&p.id),
            e(&ad.street),
            e(&ad.postcode),
            e(&ad.city),
            e(&ad.country)
        );
    }
    let _ = writeln!(s, "</section>");
    let _ = writeln!(s, "<dl class=\"meta\">");
    for (k, v) in [
        ("Invoice number", e(&inv.number)),
        ("Agreement (MSA)", e(&inv.msa_id)),
        ("Billing period", e(&inv.period.to_string())),
        ("Bill date", e(&inv.issue_date.to_string())),
        ("Due date", e(&inv.due_date.to_string())),
        ("Currency", e(inv.currency.code())),
    ] {
        let _ = writeln!(s, "<dt>{k}</dt><dd>{v}</dd>");
    }
    if let Some(p) = &msa.terms.payment {
        let _ = writeln!(
            s,
            "<dt>Payment</dt><dd class=\"remit-to\">By {} to {} ({})</dd>",
            e(p.method.words()),
            e(&p.remit_to.account),
            e(&p.remit_to.name)
        );
    }
    let _ = writeln!(s, "</dl>");
}

/// The table of charges with the tiers applied, and the totals.
fn charges(s: &mut String, msa: &Msa, inv: &Invoice, volumes_after: &[u64]) -> Result<(), String> {
    let e = escape;
    let c = inv.currency;
    let cur = e(c.code());
    let _ = writeln!(
        s,
        "<h2>Charges</h2>\n<table>\n<thead><tr><th>Product</th><th>Kind</th><th>Unit</th>\
         <th class=\"num\">Quantity</th><th>Tiers applied (units @ price)</th>\
         <th class=\"num\">Amount ({cur})</th></tr></thead>\n<tbody>"
    );
    for line in &inv.lines {
        row(s, msa, inv, line, volumes_after)?;
    }
    let pct = money::format_scaled(u128::from(inv.tax_ppm), 4);
    let pct = pct.trim_end_matches('0').trim_end_matches('.');
    let _ = writeln!(s, "</tbody>\n<tfoot>");
    for (class, label, amount) in [
        ("", "Subtotal".to_string(), inv.subtotal),
        ("", format!("Tax ({pct}%)"), inv.tax),
        (" class=\"total\"", format!("Total ({cur})"), inv.total),
    ] {
        let _ = writeln!(
            s,
            "<tr{class}><td colspan=\"5\" class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            e(&label),
            e(&c.format_minor(amount))
        );
    }
    let _ = writeln!(s, "</tfoot>\n</table>");
    Ok(())
}

/// One line of the table of charges.
fn row(
    s: &mut String,
    msa: &Msa,
    inv: &Invoice,
    line: &InvoiceLine,
    volumes_after: &[u64],
) -> Result<(), String> {
    let e = escape;
    let slot = msa
        .slot_of(&line.product)
        .ok_or_else(|| format!("the invoice bills product {:?}, not in the MSA", line.product))?;
    let p = &msa.products[slot];
    let (kind, tiers) = match line.kind {
        LineKind::Usage => {
            let v1 = *volumes_after
                .get(slot)
                .ok_or_else(|| format!("the state after has no volume of {:?}", p.id))?;
            let v0 = v1
                .checked_sub(line.quantity)
                .ok_or_else(|| format!("the state after of {:?} is below the line's quantity", p.id))?;
            ("usage", describe_tiers(p.model, &tier_uses(p, v0, v1)))
        }
        LineKind::Recurring => {
            let fee = p.recurring.map_or(0, |r| r.fee_nano);
            (
                "recurring",
                format!("{} @ {}", thousands(line.quantity), money::format_price_nano(fee)),
            )
        }
    };
    let _ = writeln!(
        s,
        "<tr><td>{}<br><span class=\"id\">{}</span></td><td>{kind}</td><td>{}</td>\
         <td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
        e(&p.name),
        e(&p.id),
        e(&p.unit),
        thousands(line.quantity),
        e(&tiers),
        e(&inv.currency.format_minor(line.amount))
    );
    Ok(())
}

/// What a bill makes due: its part (a partial invoice's bill, or the final invoice's less
/// the partial invoice), a credit note applied, the amount due, and whether it is paid.
fn due(s: &mut String, b: &CustomerBill) {
    let e = escape;
    let money = |m: &zkinvoice_mef141::Money| format!("{} {}", e(m.value.text()), e(&m.unit));
    let _ = writeln!(s, "<h2>Amount due</h2>\n<dl class=\"meta due\">");
    let category = match (&b.zk_partial, b.part()) {
        (Some(p), _) => format!(
            "final: the rest of a disputed period, less its partial invoice {} ({} {})",
            e(&p.number),
            e(&p.total),
            e(&p.currency)
        ),
        (None, zkinvoice_mef141::part::INTERIM) => {
            "interim: a disputed period's partial invoice, without the products in dispute".into()
        }
        (None, other) => e(other),
    };
    let _ = writeln!(s, "<dt>Bill</dt><dd>{category}</dd>");
    if let Some(c) = &b.zk_credit {
        let _ = writeln!(
            s,
            "<dt>Credit note</dt><dd>{} ({} {}) applied</dd>",
            e(&c.number),
            e(&c.total),
            e(&c.currency)
        );
    }
    for c in &b.zk_carried {
        let _ = writeln!(
            s,
            "<dt>Credit note carried forward</dt><dd>{} ({} {}) of an earlier invoice, applied</dd>",
            e(&c.number),
            e(&c.total),
            e(&c.currency)
        );
    }
    let _ = writeln!(
        s,
        "<dt>Amount due</dt><dd><strong>{}</strong></dd>",
        money(&b.amount_due)
    );
    let paid = match b.applied_payment.first() {
        Some(p) => format!(
            "settled: {} paid by payment <code>{}</code>",
            money(&p.applied_amount),
            e(&p.payment.id)
        ),
        None => format!("{}: {} remaining", e(&b.state), money(&b.remaining_amount)),
    };
    let _ = writeln!(s, "<dt>Payment</dt><dd>{paid}</dd>\n</dl>");
}

/// The proof's status and what identifies it (the section is closed by the caller).
fn proof(s: &mut String, env: &Received<'_>, status: &Status) {
    let e = escape;
    let _ = writeln!(s, "<h2>Proof</h2>\n<dl class=\"meta\">");
    let _ = writeln!(s, "<dt>Status</dt><dd>{}</dd>", status.html());
    let _ = writeln!(s, "<dt>Scheme</dt><dd>{}</dd>", e(env.scheme));
    let _ = writeln!(s, "<dt>Statement</dt><dd>{}</dd>", e(env.statement));
    let _ = writeln!(s, "<dt>Shape</dt><dd>{}</dd>", e(env.shape));
    let _ = writeln!(
        s,
        "<dt>Verifying key (SHA-256)</dt><dd><code>{}</code></dd>",
        e(env.vk_hash)
    );
    let pi = &env.public_inputs;
    for (k, v) in [
        ("MSA commitment", pi.msa_commitment),
        ("Usage commitment", pi.usage_commitment),
        ("State before", pi.state_before),
        ("State after", pi.state_after),
        ("Invoice commitment", pi.invoice_commitment),
    ] {
        let _ = writeln!(
            s,
            "<dt>{k}</dt><dd><code>{}</code></dd>",
            e(&Commitment(v).to_string())
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape() {
        assert_eq!(super::escape("plain"), "plain");
        assert_eq!(
            super::escape("<script>alert(\"x&y\")</script>'"),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;"
        );
    }
}
