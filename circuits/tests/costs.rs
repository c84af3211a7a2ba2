//! The constraint-count table `params/costs.csv`: one row per shape and part of the invoice
//! statement, and one for the shape's total. Every part of every shape is measured by
//! synthesising the statement (the constraints each part adds, in its namespace), and checked
//! against the part's cost function ([`InvoiceCost`]) and against the file. Any difference fails,
//! showing the whole table with the changed rows marked.
//!
//! After a deliberate change of the circuit, regenerate the table with
//!
//! ```text
//! ZKINVOICE_BLESS=1 cargo test -p zkinvoice-circuits --test costs
//! ```
//!
//! (and the digests in `params/shapes.json`, checked by `tests/statement.rs`).

mod common;

use common::bless;
use zkinvoice_circuits::{
    statement::{measure, InvoiceCost, Part},
    Shape,
};

const TABLE: &str = "params/costs.csv";
const HEADER: &str = "shape,part,per,count,each,constraints";

/// One row of the table.
fn row(shape: Shape, part: &str, per: &str, count: usize, each: usize) -> String {
    format!("{},{part},{per},{count},{each},{}", shape.name, count * each)
}

/// The table from the cost functions, and the table measured, each with its header.
fn tables() -> (Vec<String>, Vec<String>) {
    let (mut expected, mut measured) = (vec![HEADER.to_string()], vec![HEADER.to_string()]);
    for shape in Shape::ALL {
        let cost = InvoiceCost::of(shape);
        let parts = measure(shape).expect("synthesises");
        let order: Vec<Part> = parts.iter().map(|&(p, _)| p).collect();
        assert_eq!(
            order,
            Part::ALL,
            "{}: the parts run in the order of Part::ALL",
            shape.name
        );
        for &(part, n) in &parts {
            let (per, count) = (part.per().name(), part.units(shape));
            expected.push(row(shape, part.name(), per, count, cost.each(part)));
            // A per-unit part that is not a multiple of its count shows as a row that differs.
            let each = if n % count == 0 { n / count } else { n };
            let count = if n % count == 0 { count } else { 1 };
            measured.push(row(shape, part.name(), per, count, each));
        }
        let total: usize = parts.iter().map(|&(_, n)| n).sum();
        expected.push(row(shape, "total", "statement", 1, cost.total(shape)));
        measured.push(row(shape, "total", "statement", 1, total));
    }
    (expected, measured)
}

/// `want` against `got`, row by row (rows are keyed by shape and part): unchanged rows as they
/// are, a changed row as `- want` and `+ got`. `None` if they are equal.
fn diff(want: &[String], got: &[String]) -> Option<String> {
    if want == got {
        return None;
    }
    let key = |r: &String| r.split(',').take(2).collect::<Vec<_>>().join(",");
    let mut out = String::new();
    let mut rest: Vec<&String> = got.iter().collect();
    for w in want {
        match rest.iter().position(|g| key(g) == key(w)) {
            Some(i) if rest[i] == w => out += &format!("  {w}\n"),
            Some(i) => out += &format!("- {w}\n+ {}\n", rest[i]),
            None => out += &format!("- {w}\n"),
        }
        rest.retain(|g| key(g) != key(w));
    }
    for g in rest {
        out += &format!("+ {g}\n");
    }
    Some(out)
}

#[test]
fn each_part_costs_what_its_function_says_and_what_the_table_records() {
    let (expected, measured) = tables();
    if let Some(d) = diff(&expected, &measured) {
        panic!("measured constraints (+) differ from the cost functions (-):\n{d}");
    }
    let text = measured.join("\n") + "\n";
    let file = bless::recorded(TABLE, &text);
    let rows: Vec<String> = file.lines().map(str::to_string).collect();
    if let Some(d) = diff(&rows, &measured) {
        panic!(
            "{TABLE} (-) differs from the circuit (+); if the change is deliberate, run \
             `ZKINVOICE_BLESS=1 cargo test -p zkinvoice-circuits --test costs`:\n{d}"
        );
    }
}
