//! What the printed invoice must show, computed by the test from the envelope and the MSA (not
//! from the HTML), and the printed words read against it by place: the title, the parties, the
//! dates, each row of the table (product name and id, kind, unit, quantity, the tiers applied,
//! amount), the totals, the proof's key hash and commitments; then no word may be left unread.

use serde_json::Value;

use super::pdf::{Pdf, Word, SLACK};

/// A row of the table of charges.
#[derive(Debug, PartialEq)]
pub struct Row {
    pub product: String,
    pub kind: String,
    pub unit: String,
    pub quantity: String,
    pub tiers: String,
    pub amount: String,
}

/// The page's content.
pub struct Expected {
    pub title: String,
    pub seller: String,
    pub buyer: String,
    pub meta: Vec<(&'static str, String)>,
    pub header: String,
    pub rows: Vec<Row>,
    pub totals: Vec<(String, String)>,
    pub proof: Vec<(&'static str, String)>,
}

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("a string, not {v}"))
        .to_string()
}

fn u(v: &Value) -> u64 {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|t| t.parse().ok()))
        .unwrap_or_else(|| panic!("an unsigned integer, not {v}"))
}

/// `1234567` as `1,234,567`.
fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A price as written on an invoice: trailing zeros dropped, at least two decimals.
fn price(p: &str) -> String {
    let (int, frac) = p.split_once('.').unwrap_or((p, ""));
    format!("{int}.{:0<2}", frac.trim_end_matches('0'))
}

/// A percentage without trailing zeros: `8.8750` is `8.875`, `20.0` is `20`.
fn percent(p: &str) -> String {
    if p.contains('.') {
        p.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        p.to_string()
    }
}

/// The tiers a usage line of `quantity` ending at the cumulative volume `v1` was priced at.
fn tiers(product: &Value, v1: u64, quantity: u64) -> String {
    let v0 = v1 - quantity;
    let model = s(&product["pricing"]["model"]);
    let table: Vec<(u64, String)> = product["pricing"]["tiers"]
        .as_array()
        .expect("tiers")
        .iter()
        .map(|t| (u(&t["from"]), s(&t["price"])))
        .collect();
    let uses: Vec<(u64, &String)> = match model.as_str() {
        "graduated" => table
            .iter()
            .enumerate()
            .filter_map(|(j, (from, p))| {
                let hi = table.get(j + 1).map_or(u64::MAX, |n| n.0).min(v1);
                let lo = (*from).max(v0);
                (hi > lo).then(|| (hi - lo, p))
            })
            .collect(),
        "volume" => {
            let (_, p) = table.iter().rev().find(|(from, _)| *from <= v1).expect("a tier");
            vec![(quantity, p)]
        }
        m => panic!("no tiers for pricing {m}"),
    };
    let uses: Vec<String> = uses
        .iter()
        .map(|(q, p)| format!("{} @ {}", thousands(*q), price(p)))
        .collect();
    format!("{model}: {}", uses.join(" + "))
}

/// A party's block: name (id), street, postcode and city, country.
fn party(p: &Value) -> String {
    let a = &p["billingAddress"];
    format!(
        "{} ({}) {} {} {} {}",
        s(&p["name"]),
        s(&p["id"]),
        s(&a["street"]),
        s(&a["postcode"]),
        s(&a["city"]),
        s(&a["country"])
    )
}

/// The payment line of an MSA with payment terms: method, remit-to account and holder.
fn payment(msa: &Value) -> Option<(&'static str, String)> {
    let t = &msa["paymentTerms"];
    let method = match t.get("method")?.as_str()? {
        "wireTransfer" => "wire transfer",
        "electronic" => "electronic payment",
        other => other,
    };
    let r = &t["remitTo"];
    Some((
        "Payment",
        format!("By {method} to {} ({})", s(&r["account"]), s(&r["name"])),
    ))
}

/// What the page of `env` (an envelope) under `msa` must show; `status` is the proof's status as
/// the page words it. Checks first that the envelope and the MSA belong together.
pub fn expected(env: &Value, msa: &Value, status: &str) -> Expected {
    let inv = &env["invoice"];
    let pi = &env["publicInputs"];
    assert_eq!(inv["msaId"], msa["id"]);
    assert_eq!(inv["seller"], msa["seller"]["id"]);
    assert_eq!(inv["buyer"], msa["buyer"]["id"]);
    assert_eq!(inv["currency"], msa["currency"]);
    assert_eq!(pi["invoiceCommitment"], inv["commitment"]["value"]);
    assert_eq!(pi["stateAfter"], env["stateAfter"]["commitment"]);
    let tax = percent(&s(&inv["taxRatePercent"]));
    assert_eq!(tax, percent(&s(&msa["taxRatePercent"])));
    let date = |v: &Value| chrono::NaiveDate::parse_from_str(&s(v), "%Y-%m-%d").expect("a date");
    let net = chrono::Days::new(u(&msa["paymentTerms"]["netDays"]));
    assert_eq!(date(&inv["issueDate"]) + net, date(&inv["dueDate"]));

    let cur = s(&inv["currency"]);
    let products = msa["products"].as_array().expect("products");
    let rows = inv["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|line| {
            let id = s(&line["product"]);
            let p = products
                .iter()
                .find(|p| p["id"] == id.as_str())
                .expect("in the MSA");
            let quantity = u(&line["quantity"]);
            let kind = s(&line["kind"]);
            let tiers = match kind.as_str() {
                "usage" => tiers(p, u(&env["stateAfter"]["volumes"][&id]), quantity),
                _ => format!("{} @ {}", thousands(quantity), price(&s(&p["recurring"]["fee"]))),
            };
            Row {
                product: format!("{} {id}", s(&p["name"])),
                kind,
                unit: s(&p["unit"]),
                quantity: thousands(quantity),
                tiers,
                amount: s(&line["amount"]),
            }
        })
        .collect();
    Expected {
        title: format!("Invoice {}", s(&inv["number"])),
        seller: party(&msa["seller"]),
        buyer: party(&msa["buyer"]),
        meta: vec![
            ("Invoice number", s(&inv["number"])),
            ("Agreement (MSA)", s(&inv["msaId"])),
            (
                "Billing period",
                format!("{}..{}", s(&inv["period"]["start"]), s(&inv["period"]["end"])),
            ),
            ("Bill date", s(&inv["issueDate"])),
            ("Due date", s(&inv["dueDate"])),
            ("Currency", cur.clone()),
        ]
        .into_iter()
        .chain(payment(msa))
        .collect(),
        header: format!("Product Kind Unit Quantity Tiers applied (units @ price) Amount ({cur})"),
        rows,
        totals: vec![
            ("Subtotal".into(), s(&inv["subtotal"])),
            (format!("Tax ({tax}%)"), s(&inv["tax"])),
            (format!("Total ({cur})"), s(&inv["total"])),
        ],
        proof: vec![
            ("Status", status.to_string()),
            ("Scheme", s(&env["scheme"])),
            ("Statement", s(&env["statement"])),
            ("Shape", s(&env["shape"])),
            ("Verifying key (SHA-256)", s(&env["vkHash"])),
            ("MSA commitment", s(&pi["msaCommitment"])),
            ("Usage commitment", s(&pi["usageCommitment"])),
            ("State before", s(&pi["stateBefore"])),
            ("State after", s(&pi["stateAfter"])),
            ("Invoice commitment", s(&pi["invoiceCommitment"])),
        ],
    }
}

/// What the reading measured.
pub struct Reading {
    /// Rows of the table per page.
    pub rows_per_page: Vec<usize>,
    /// Pages with the totals at the foot of the table.
    pub footers: usize,
    /// The height of the amounts' words (10 pt text), each row's.
    pub amount_heights: Vec<f64>,
    /// The smallest word's height on any page.
    pub smallest: f64,
}

/// The edges of the table's columns on one page, from its header.
struct Columns {
    kind: f64,
    unit: f64,
    quantity_right: f64,
    tiers: f64,
    amount_right: f64,
}

fn sorted_words(text: &str) -> Vec<String> {
    let mut w: Vec<String> = text.split_whitespace().map(String::from).collect();
    w.sort();
    w
}

/// Reads the header of the table on `page`: the line of "Product" and the lines right below it
/// that have nothing in the first column (a wrapped heading). Returns the columns and the header's
/// bottom.
fn header(pdf: &mut Pdf, e: &Expected, page: usize) -> (Columns, f64) {
    let product = pdf.find("Product", Some(page)).expect("a header")[0];
    let mut ids = pdf.line_of(product);
    while let Some(line) = pdf.next_line(*ids.last().expect("a word")) {
        if line.iter().any(|&i| pdf.words[i].x0 < pdf.words[product].x1) {
            break;
        }
        ids.extend(line);
    }
    pdf.take(&ids);
    assert_eq!(
        sorted_words(&pdf.text(&ids)),
        sorted_words(&e.header),
        "page {}",
        page + 1
    );
    let at = |t: &str| {
        &pdf.words[*ids
            .iter()
            .find(|&&i| pdf.words[i].text == t)
            .expect("in the header")]
    };
    let amount = ids
        .iter()
        .position(|&i| pdf.words[i].text == "Amount")
        .expect("Amount");
    let bottom = ids.iter().map(|&i| pdf.words[i].y1).fold(0.0, f64::max);
    let columns = Columns {
        kind: at("Kind").x0,
        unit: at("Unit").x0,
        quantity_right: at("Quantity").x1,
        tiers: at("Tiers").x0,
        amount_right: pdf.words[ids[amount + 1]].x1,
    };
    (columns, bottom)
}

/// Reads the printed invoice against `e`, and measures it. Panics naming the first difference.
pub fn read(pdf: &mut Pdf, e: &Expected) -> Reading {
    // Nothing outside the printable area (A4 with 15 mm margins): nothing cut off.
    let margin = 15.0 / 25.4 * 72.0 - 1.0;
    for w in &pdf.words {
        let (width, height) = pdf.pages[w.page];
        assert!(
            w.x0 >= margin && w.y0 >= margin && w.x1 <= width - margin && w.y1 <= height - margin,
            "{w:?} is outside the printable area of {width} x {height}"
        );
    }
    let mut reading = Reading {
        rows_per_page: Vec::new(),
        footers: 0,
        amount_heights: Vec::new(),
        smallest: pdf.words.iter().map(Word::height).fold(f64::MAX, f64::min),
    };
    pdf.label(&e.title, Some(0));
    parties_and_dates(pdf, e);
    pdf.label("Charges", Some(0));
    let mut rows = e.rows.iter();
    for page in 0..pdf.pages.len() {
        table_on(pdf, e, page, &mut rows, &mut reading);
    }
    let missing: Vec<&Row> = rows.collect();
    assert!(missing.is_empty(), "rows not printed: {missing:?}");
    pdf.label("Proof", None);
    for (label, value) in &e.proof {
        let ids = pdf.label(label, None);
        assert_eq!(&pdf.value_right_of(&ids), value, "{label}");
    }
    assert!(
        pdf.all_read(),
        "words on the page that are not the invoice's{}",
        pdf.dump()
    );
    reading
}

/// The parties' blocks side by side (each read as a column), then the invoice's number and dates.
fn parties_and_dates(pdf: &mut Pdf, e: &Expected) {
    let seller = pdf.label("SELLER", Some(0));
    let buyer = pdf.label("BUYER", Some(0));
    let (sx, bx) = (pdf.words[seller[0]].x0, pdf.words[buyer[0]].x0);
    let top = pdf.words[seller[0]].y1;
    let bottom = pdf.words[pdf.find("Invoice number", Some(0)).expect("the dates")[0]].y0;
    let width = pdf.pages[0].0;
    let block = |x0: f64, x1: f64| {
        move |w: &Word| w.page == 0 && w.x0 >= x0 && w.x1 <= x1 && w.y0 >= top && w.y1 <= bottom
    };
    let ids = pdf.take_where(block(sx - SLACK, bx - SLACK));
    assert_eq!(pdf.text(&ids), e.seller, "the Seller");
    let ids = pdf.take_where(block(bx - SLACK, width));
    assert_eq!(pdf.text(&ids), e.buyer, "the Buyer");
    for (label, value) in &e.meta {
        let ids = pdf.label(label, Some(0));
        assert_eq!(&pdf.value_right_of(&ids), value, "{label}");
    }
}

/// The part of the table on `page`, if any: its header, its rows (each checked against the next of
/// `rows`, cell by cell) and its footer of totals.
fn table_on<'a>(
    pdf: &mut Pdf,
    e: &Expected,
    page: usize,
    rows: &mut impl Iterator<Item = &'a Row>,
    reading: &mut Reading,
) {
    if pdf.find("Product", Some(page)).is_none() {
        reading.rows_per_page.push(0);
        return;
    }
    let footer = pdf
        .find("Subtotal", Some(page))
        .map(|ids| pdf.words[ids[0]].y0 - 1.0);
    let end = footer.unwrap_or(pdf.pages[page].1);
    let (c, top) = header(pdf, e, page);
    // A row starts with its amount, at the right edge of the last column (rows are top-aligned).
    let starts: Vec<Word> = pdf
        .words
        .iter()
        .filter(|w| w.page == page && w.y0 > top && w.y1 < end)
        .filter(|w| (w.x1 - c.amount_right).abs() < SLACK)
        .cloned()
        .collect();
    reading.rows_per_page.push(starts.len());
    for (k, start) in starts.iter().enumerate() {
        let band = (start.y0 - 1.0, starts.get(k + 1).map_or(end, |n| n.y0 - 1.0));
        let row = |w: &Word| w.page == page && w.y0 >= band.0 && w.y1 <= band.1;
        let amount = pdf.take_where(|w| row(w) && (w.x1 - c.amount_right).abs() < SLACK);
        let quantity =
            pdf.take_where(|w| row(w) && w.x0 >= c.unit - SLACK && (w.x1 - c.quantity_right).abs() < SLACK);
        let product = pdf.take_where(|w| row(w) && w.x1 <= c.kind - SLACK);
        let kind = pdf.take_where(|w| row(w) && w.x0 >= c.kind - SLACK && w.x1 <= c.unit - SLACK);
        let unit = pdf.take_where(|w| row(w) && w.x0 >= c.unit - SLACK && w.x1 <= c.tiers - SLACK);
        let tiers = pdf.take_where(|w| row(w) && w.x0 >= c.tiers - SLACK && w.x1 <= c.amount_right);
        reading
            .amount_heights
            .extend(amount.iter().map(|&i| pdf.words[i].height()));
        let printed = Row {
            product: pdf.text(&product),
            kind: pdf.text(&kind),
            unit: pdf.text(&unit),
            quantity: pdf.text(&quantity),
            tiers: pdf.text(&tiers),
            amount: pdf.text(&amount),
        };
        let expected = rows
            .next()
            .unwrap_or_else(|| panic!("an extra row on page {}: {printed:?}", page + 1));
        assert_eq!(&printed, expected, "page {}", page + 1);
    }
    // A table's footer would be repeated at the foot of every page; the print style keeps it once.
    if footer.is_some() {
        reading.footers += 1;
        for (label, value) in &e.totals {
            let ids = pdf.label(label, Some(page));
            assert_eq!(&pdf.value_right_of(&ids), value, "{label} on page {}", page + 1);
        }
    }
}
