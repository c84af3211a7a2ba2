//! `render`: a proved envelope as one self-contained HTML5 invoice for people (MEF 114 R73),
//! readable in a browser and printable on A4; no external assets, no JavaScript.

use std::fmt::Write;

use zkinvoice_circuits::{commit::Commitment, money, rater::tier_uses, Invoice, LineKind, Msa};
use zkinvoice_prover::ProofEnvelope;

use crate::{
    commands::load_msa,
    error::CliError,
    io::{read_json, Outputs},
    proving::{check_envelope, load_vk, Anchors},
    table::thousands,
    RenderArgs,
};

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

pub fn render(a: RenderArgs) -> Result<(), CliError> {
    let env: ProofEnvelope = read_json(&a.envelope)?;
    let msa = load_msa(&a.msa)?;
    let (invoice, _, after) = crate::payload::open_envelope(&a.envelope, &env, &msa)?;
    let status = match &a.vk {
        None => Status::NoKey,
        Some(vk) => {
            let key = load_vk(vk)?;
            match check_envelope(&key, &env, &Anchors::default()) {
                Ok(_) => Status::Verified,
                Err(e) => Status::Failed(e.to_string()),
            }
        }
    };
    let html = html(&msa, &invoice, &after.state.volumes, &env, &status)
        .map_err(|m| CliError::Mismatch(format!("{} and {}: {m}", a.envelope.display(), a.msa.display())))?;
    let mut out = Outputs::new(a.force);
    out.text(&a.out, html);
    out.commit()?;
    println!(
        "invoice {}: {} lines, total {} {}, proof {}, written to {}",
        invoice.number,
        invoice.lines.len(),
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        status.short(),
        a.out.display()
    );
    Ok(())
}

/// The outcome of checking the envelope.
enum Status {
    Verified,
    NoKey,
    Failed(String),
}

impl Status {
    fn short(&self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::NoKey => "not verified (no verifying key given)",
            Status::Failed(_) => "NOT VERIFIED",
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
h2{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}
.ok,.bad,.none{color:#000}}
";

/// The HTML document; an error names what of the invoice the MSA or state does not know.
fn html(
    msa: &Msa,
    inv: &Invoice,
    volumes_after: &[u64],
    env: &ProofEnvelope,
    status: &Status,
) -> Result<String, String> {
    let c = inv.currency;
    let cur = escape(c.code());
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
        ("Currency", cur.clone()),
    ] {
        let _ = writeln!(s, "<dt>{k}</dt><dd>{v}</dd>");
    }
    let _ = writeln!(s, "</dl>");

    let _ = writeln!(
        s,
        "<h2>Charges</h2>\n<table>\n<thead><tr><th>Product</th><th>Kind</th><th>Unit</th>\
         <th class=\"num\">Quantity</th><th>Tiers applied (units @ price)</th>\
         <th class=\"num\">Amount ({cur})</th></tr></thead>\n<tbody>"
    );
    for line in &inv.lines {
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
                (
                    "usage",
                    crate::table::describe_tiers(p.model, &tier_uses(p, v0, v1)),
                )
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
            e(&c.format_minor(line.amount))
        );
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

    let _ = writeln!(s, "<h2>Proof</h2>\n<dl class=\"meta\">");
    let status_html = match status {
        Status::Verified => "<span class=\"ok\">verified</span> (against the verifying key given; \
                             the agreed commitments were not checked)"
            .to_string(),
        Status::NoKey => "<span class=\"none\">not verified</span> (no verifying key given)".to_string(),
        Status::Failed(m) => format!("<span class=\"bad\">NOT VERIFIED</span>: {}", e(m)),
    };
    let _ = writeln!(s, "<dt>Status</dt><dd>{status_html}</dd>");
    let _ = writeln!(s, "<dt>Scheme</dt><dd>{}</dd>", e(&env.scheme));
    let _ = writeln!(s, "<dt>Statement</dt><dd>{}</dd>", e(&env.statement));
    let _ = writeln!(s, "<dt>Shape</dt><dd>{}</dd>", e(&env.shape));
    let _ = writeln!(
        s,
        "<dt>Verifying key (SHA-256)</dt><dd><code>{}</code></dd>",
        e(&env.vk_hash)
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
    let _ = writeln!(s, "</dl>\n</body>\n</html>");
    Ok(s)
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
