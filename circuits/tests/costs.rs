//! The constraint-count tables:
//!
//! * `params/costs.csv`: one row per shape and part of the invoice statement, and one for the
//!   shape's total. Every part of every shape is measured by synthesising the statement (the
//!   constraints each part adds, in its namespace) and checked against the part's cost function
//!   ([`InvoiceCost`]) and against the file.
//! * `params/partition-costs.csv`: protocol v2's block, chunk and link statements per partition
//!   shape, one row per part from its cost function and the statement's total measured.
//! * `params/reconcile-costs.csv`: the reconciliation statement per v1 shape, one row per part
//!   from its cost function and the statement's total measured.
//! * `params/netting-costs.csv`: the netting statement per v1 shape, likewise, and of two
//!   partitioned invoices (shape `heads`, one circuit for every partition shape).
//! * `params/marginal-costs.csv`: what one more usage record and one more product slot cost in
//!   each shape (hashing included), measured, and checked against issue 14's targets at 8 tiers.
//! * `params/gadget-costs.csv`: one row per gadget and parameter the statement uses, measured by
//!   synthesising the gadget alone and checked against its cost function and the file.
//!
//! Any difference fails, showing the whole table with the changed rows marked. After a
//! deliberate change of the circuit, regenerate the tables with
//!
//! ```text
//! ZKINVOICE_BLESS=1 cargo test -p zkinvoice-circuits --test costs
//! ```
//!
//! (and the digests in `params/shapes.json`, checked by `tests/statement.rs`).

mod common;

use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
use zkinvoice_circuits::{
    encoding::{QUANTITY_BITS, SLOT_PACK_BITS},
    gadgets::{aggregate, poseidon, range, round, threshold, tier, witness},
    statement::{measure, InvoiceCost, Part},
    Fr, Shape,
};
use zkinvoice_testkit::bless;

const TABLE: &str = "params/costs.csv";
const HEADER: &str = "shape,part,per,count,each,constraints";
const GADGET_TABLE: &str = "params/gadget-costs.csv";
const GADGET_HEADER: &str = "gadget,parameter,value,constraints";
const REGENERATE: &str = "ZKINVOICE_BLESS=1 cargo test -p zkinvoice-circuits --test costs";

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

/// `want` against `got`, row by row (rows are keyed by their first `keys` columns): unchanged
/// rows as they are, a changed row as `- want` and `+ got`. `None` if they are equal.
fn diff(want: &[String], got: &[String], keys: usize) -> Option<String> {
    if want == got {
        return None;
    }
    let key = |r: &String| r.split(',').take(keys).collect::<Vec<_>>().join(",");
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

/// Checks `measured` against the cost functions' table `expected` and against the file `table`.
fn check(table: &str, expected: &[String], measured: &[String], keys: usize) {
    if let Some(d) = diff(expected, measured, keys) {
        panic!("measured constraints (+) differ from the cost functions (-):\n{d}");
    }
    let text = measured.join("\n") + "\n";
    let file = bless::recorded(table, &text);
    let rows: Vec<String> = file.lines().map(str::to_string).collect();
    if let Some(d) = diff(&rows, measured, keys) {
        panic!(
            "{table} (-) differs from the circuit (+); if the change is deliberate, run `{REGENERATE}`:\n{d}"
        );
    }
}

#[test]
fn each_part_costs_what_its_function_says_and_what_the_table_records() {
    let (expected, measured) = tables();
    check(TABLE, &expected, &measured, 2);
}

/// The constraints of `c`, synthesised.
fn synthesized(c: impl ark_relations::gr1cs::ConstraintSynthesizer<Fr>) -> usize {
    let cs = ConstraintSystem::<Fr>::new_ref();
    c.generate_constraints(cs.clone()).expect("synthesises");
    cs.num_constraints()
}

const PARTITION_TABLE: &str = "params/partition-costs.csv";
const PARTITION_HEADER: &str = "shape,statement,part,per,count,each,constraints";

/// Protocol v2's statements per partition shape: each part's row from its cost function, the total
/// measured by synthesising the blank circuit (as key generation does).
fn partition_tables() -> (Vec<String>, Vec<String>) {
    use zkinvoice_circuits::{
        partition::PartitionShape,
        statement::{block, chunk, link},
    };
    let (mut expected, mut measured) = (
        vec![PARTITION_HEADER.to_string()],
        vec![PARTITION_HEADER.to_string()],
    );
    for s in PartitionShape::ALL {
        let (b, c, l) = (block::cost(s), chunk::cost(s), link::cost(s));
        let rows: [(&str, &str, &str, usize, usize); 14] = [
            ("block", "head", "statement", 1, b.head),
            ("block", "slots", "slot", s.block_products, b.per_slot),
            ("block", "msa_block", "statement", 1, b.msa_block),
            ("block", "states", "statement", 1, b.states),
            ("block", "invoice_block", "statement", 1, b.invoice_block),
            ("block", "ring", "statement", 1, b.ring),
            ("chunk", "records", "record", s.chunk_records, c.per_record),
            ("chunk", "usage_chunk", "statement", 1, c.usage_chunk),
            ("chunk", "ring", "statement", 1, c.ring),
            ("link", "head", "statement", 1, l.head),
            ("link", "period", "statement", 1, l.period),
            ("link", "totals", "statement", 1, l.totals),
            ("link", "invoice_head", "statement", 1, l.invoice_head),
            ("link", "ring", "statement", 1, l.ring),
        ];
        for (statement, part, per, count, each) in rows {
            let r = format!(
                "{},{statement},{part},{per},{count},{each},{}",
                s.name,
                count * each
            );
            expected.push(r.clone());
            measured.push(r);
        }
        for (statement, want, got) in [
            ("block", b.total(s), synthesized(block::BlockCircuit::blank(s))),
            ("chunk", c.total(s), synthesized(chunk::ChunkCircuit::blank(s))),
            ("link", l.total(), synthesized(link::LinkCircuit::blank())),
        ] {
            expected.push(format!("{},{statement},total,statement,1,{want},{want}", s.name));
            measured.push(format!("{},{statement},total,statement,1,{got},{got}", s.name));
        }
    }
    (expected, measured)
}

#[test]
fn each_partition_statement_costs_what_its_functions_say_and_what_the_table_records() {
    let (expected, measured) = partition_tables();
    check(PARTITION_TABLE, &expected, &measured, 3);
}

const RECONCILE_TABLE: &str = "params/reconcile-costs.csv";
const NETTING_TABLE: &str = "params/netting-costs.csv";
const CREDIT_TABLE: &str = "params/credit-costs.csv";

/// A statement of issue 16 per v1 shape: each part's row from its cost function (`parts`), the
/// total measured by synthesising the blank circuit (`measure`, as key generation does).
fn lifecycle_tables(
    parts: impl Fn(Shape) -> Vec<(&'static str, usize)>,
    measure: impl Fn(Shape) -> usize,
) -> (Vec<String>, Vec<String>) {
    let (mut expected, mut measured) = (vec![HEADER.to_string()], vec![HEADER.to_string()]);
    for shape in Shape::ALL {
        let parts = parts(shape);
        for &(part, each) in &parts {
            expected.push(row(shape, part, "statement", 1, each));
            measured.push(row(shape, part, "statement", 1, each));
        }
        let total = parts.iter().map(|p| p.1).sum();
        expected.push(row(shape, "total", "statement", 1, total));
        measured.push(row(shape, "total", "statement", 1, measure(shape)));
    }
    (expected, measured)
}

#[test]
fn the_reconciliation_statement_costs_what_its_functions_say_and_what_the_table_records() {
    use zkinvoice_circuits::statement::reconcile::{cost, ReconcileCircuit};
    let (expected, measured) = lifecycle_tables(
        |shape| {
            let c = cost(shape);
            assert_eq!(c.total(), c.msa + c.thresholds + c.invoices + c.compare);
            vec![
                ("msa", c.msa),
                ("thresholds", c.thresholds),
                ("invoices", c.invoices),
                ("compare", c.compare),
            ]
        },
        |shape| synthesized(ReconcileCircuit::blank(shape)),
    );
    // The reconciliation of partitioned invoices: a block statement per partition shape
    // (`PS/block`), one link statement for all (`link`).
    use zkinvoice_circuits::{
        partition::PartitionShape,
        statement::reconcile::{block, link},
    };
    let (mut expected, mut measured) = (expected, measured);
    let mut push = |name: &str, parts: &[(&str, usize)], total: usize| {
        for &(part, each) in parts {
            expected.push(format!("{name},{part},statement,1,{each},{each}"));
            measured.push(format!("{name},{part},statement,1,{each},{each}"));
        }
        let sum: usize = parts.iter().map(|p| p.1).sum();
        expected.push(format!("{name},total,statement,1,{sum},{sum}"));
        measured.push(format!("{name},total,statement,1,{total},{total}"));
    };
    for shape in PartitionShape::ALL {
        let c = block::cost(shape);
        assert_eq!(c.total(), c.msa_block + c.chain + c.invoices + c.compare + c.ring);
        push(
            &format!("{}/block", shape.name),
            &[
                ("msa_block", c.msa_block),
                ("chain", c.chain),
                ("invoices", c.invoices),
                ("compare", c.compare),
                ("ring", c.ring),
            ],
            synthesized(block::ReconcileBlockCircuit::blank(shape)),
        );
    }
    let c = link::cost();
    assert_eq!(c.total(), c.msa + c.invoices + c.compare + c.ring);
    push(
        "link",
        &[
            ("msa", c.msa),
            ("invoices", c.invoices),
            ("compare", c.compare),
            ("ring", c.ring),
        ],
        synthesized(link::ReconcileLinkCircuit::blank()),
    );
    check(RECONCILE_TABLE, &expected, &measured, 2);
}

#[test]
fn the_netting_statement_costs_what_its_functions_say_and_what_the_table_records() {
    use zkinvoice_circuits::statement::netting::{cost, heads_cost, HeadsNettingCircuit, NettingCircuit};
    let (expected, measured) = lifecycle_tables(
        |shape| {
            let c = cost(shape);
            assert_eq!(c.total(), c.invoices + c.agree + c.net);
            vec![("invoices", c.invoices), ("agree", c.agree), ("net", c.net)]
        },
        |shape| synthesized(NettingCircuit::blank(shape)),
    );
    // The netting of two partitioned invoices: one circuit for every partition shape (`heads`).
    let (mut expected, mut measured) = (expected, measured);
    let c = heads_cost();
    assert_eq!(c.total(), c.invoices + c.agree + c.net);
    let heads = |part: &str, each: usize| format!("heads,{part},statement,1,{each},{each}");
    for (part, each) in [("invoices", c.invoices), ("agree", c.agree), ("net", c.net)] {
        expected.push(heads(part, each));
        measured.push(heads(part, each));
    }
    expected.push(heads("total", c.total()));
    measured.push(heads("total", synthesized(HeadsNettingCircuit::blank())));
    check(NETTING_TABLE, &expected, &measured, 2);
}

#[test]
fn the_credit_note_statement_costs_what_its_functions_say_and_what_the_table_records() {
    use zkinvoice_circuits::statement::credit::{cost, CreditCircuit};
    let (expected, measured) = lifecycle_tables(
        |shape| {
            let c = cost(shape);
            assert_eq!(c.total(), c.msa + c.sla + c.invoice + c.credits + c.note);
            vec![
                ("msa", c.msa),
                ("sla", c.sla),
                ("invoice", c.invoice),
                ("credits", c.credits),
                ("note", c.note),
            ]
        },
        |shape| synthesized(CreditCircuit::blank(shape)),
    );
    check(CREDIT_TABLE, &expected, &measured, 2);
}

const MARGINAL_TABLE: &str = "params/marginal-costs.csv";
const MARGINAL_HEADER: &str = "shape,tiers,per,constraints,target";

/// What one more usage record and one more product slot cost, measured: the difference of two
/// synthesised statements that differ only in that size, divided by the difference. A record's
/// row includes its share of the usage commitment's hashing, a slot's its MSA fields, its
/// volumes in both states, its invoice fields and its share of the aggregation. Issue 14's
/// targets hold at 8 tiers: at most 80 per record and 2,000 per slot.
fn marginal_rows() -> Vec<String> {
    use zkinvoice_circuits::{
        partition::PartitionShape,
        statement::{block, chunk},
    };
    fn total(shape: Shape) -> usize {
        measure(shape).expect("synthesises").iter().map(|&(_, n)| n).sum()
    }
    let target = |tiers: usize, t: usize| if tiers == 8 { t.to_string() } else { "-".into() };
    let mut rows = vec![MARGINAL_HEADER.to_string()];
    let mut push = |name: &str, tiers: usize, per: &str, more: usize, less: usize, units: usize, t: usize| {
        let each = (more - less) as f64 / units as f64;
        assert!(
            tiers != 8 || each <= t as f64,
            "{name}: {each:.2} constraints per {per}, above the target {t}"
        );
        rows.push(format!("{name},{tiers},{per},{each:.2},{}", target(tiers, t)));
    };
    for shape in Shape::ALL {
        let (p, u) = (shape.products, shape.records);
        let records = |records| Shape { records, ..shape };
        push(
            shape.name,
            shape.tiers,
            "record",
            total(records(2 * u)),
            total(shape),
            u,
            80,
        );
        let no_records = |products| Shape {
            products,
            records: 0,
            ..shape
        };
        push(
            shape.name,
            shape.tiers,
            "slot",
            total(no_records(2 * p)),
            total(no_records(p)),
            p,
            2000,
        );
    }
    for s in PartitionShape::ALL {
        let (pb, uc) = (s.block_products, s.chunk_records);
        let chunk = |chunk_records| chunk::ChunkCircuit::blank(PartitionShape { chunk_records, ..s });
        push(
            s.name,
            s.tiers,
            "record",
            synthesized(chunk(2 * uc)),
            synthesized(chunk(uc)),
            uc,
            80,
        );
        let block = |block_products| block::BlockCircuit::blank(PartitionShape { block_products, ..s });
        push(
            s.name,
            s.tiers,
            "slot",
            synthesized(block(2 * pb)),
            synthesized(block(pb)),
            pb,
            2000,
        );
    }
    rows
}

#[test]
fn one_more_record_and_one_more_slot_cost_what_the_table_records_and_meet_the_targets() {
    let measured = marginal_rows();
    let text = measured.join("\n") + "\n";
    let file = bless::recorded(MARGINAL_TABLE, &text);
    let rows: Vec<String> = file.lines().map(str::to_string).collect();
    if let Some(d) = diff(&rows, &measured, 3) {
        panic!("{MARGINAL_TABLE} (-) differs from the circuit (+); if the change is deliberate, run `{REGENERATE}`:\n{d}");
    }
}

type Cs = ConstraintSystemRef<Fr>;

/// The constraints `gadget` adds to a fresh constraint system once `inputs` has allocated what it
/// takes.
fn added<T>(inputs: impl FnOnce(&Cs) -> T, gadget: impl FnOnce(&Cs, T)) -> usize {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let t = inputs(&cs);
    let before = cs.num_constraints();
    gadget(&cs, t);
    cs.num_constraints() - before
}

fn zeros(cs: &Cs, n: usize) -> Vec<FpVar<Fr>> {
    (0..n).map(|_| witness(cs, Fr::from(0u64)).unwrap()).collect()
}

fn table_of(cs: &Cs, tiers: usize) -> tier::TierTableVar {
    tier::TierTableVar {
        thresholds: zeros(cs, tiers),
        prices: zeros(cs, tiers),
        cumulative: zeros(cs, tiers),
    }
}

/// Every gadget at the parameters the shapes use: `(gadget, parameter, value, measured, cost)`.
fn gadget_rows() -> Vec<(&'static str, &'static str, usize, usize, usize)> {
    let mut rows = Vec::new();
    for n in [
        round::TAX_DIVISOR_BITS + 1,
        round::LINE_DIVISOR_BITS + 1,
        tier::VOLUME_BITS,
        64,
    ] {
        let m = added(
            |cs| zeros(cs, 1),
            |_, x| drop(range::enforce_bits(&x[0], n).unwrap()),
        );
        rows.push(("range", "bits", n, m, range::cost(n)));
    }
    for b in [round::TAX_DIVISOR_BITS, round::LINE_DIVISOR_BITS] {
        let m = added(
            |cs| (zeros(cs, 1), witness(cs, Fr::from(1u64)).unwrap()),
            |_, (x, d)| drop(round::round_half_up(&x[0], &d, b).unwrap()),
        );
        rows.push(("round_half_up", "divisor_bits", b, m, round::cost(b)));
    }
    for t in Shape::ALL.map(|s| s.tiers) {
        let m = added(
            |cs| table_of(cs, t),
            |_, table| tier::enforce_cumulative(&table).unwrap(),
        );
        rows.push(("tier_cumulative", "tiers", t, m, tier::cumulative_cost(t)));
        let m = added(
            |cs| (table_of(cs, t), zeros(cs, 1)),
            |_, (table, v)| drop(tier::lookup(&table, &v[0]).unwrap()),
        );
        rows.push(("tier_lookup", "tiers", t, m, tier::lookup_cost(t)));
    }
    let mut bits: Vec<usize> = Shape::ALL.iter().map(|s| s.slot_bits() as usize).collect();
    bits.extend([
        SLOT_PACK_BITS as usize,
        round::TAX_DIVISOR_BITS + 1,
        round::LINE_DIVISOR_BITS + 1,
        QUANTITY_BITS as usize,
        64,
    ]);
    for n in bits {
        let m = added(
            |_| (),
            |cs, ()| drop(range::witness_bits(cs, Ok(Fr::from(0u64)), n).unwrap()),
        );
        rows.push(("range_witness", "bits", n, m, range::witness_cost(n)));
    }
    for p in Shape::ALL.map(|s| s.products) {
        let m = added(
            |cs| (zeros(cs, 1), zeros(cs, p), zeros(cs, 1)),
            |_, (records, totals, z)| aggregate::enforce_totals(&records[0], &totals, &z[0]).unwrap(),
        );
        rows.push(("aggregate_totals", "products", p, m, aggregate::totals_cost(p)));
    }
    for n in [1, 4, 5, 8] {
        let m = added(|cs| zeros(cs, n), |cs, x| drop(poseidon::hash(cs, &x).unwrap()));
        rows.push(("poseidon_hash", "inputs", n, m, poseidon::hash_cost(n, 0)));
    }
    for n in [1, 2, 10] {
        let m = added(
            |cs| (zeros(cs, n), zeros(cs, 1)),
            |cs, (body, salt)| drop(poseidon::commit(cs, "zkinvoice/test", &body, &salt[0]).unwrap()),
        );
        rows.push(("poseidon_commit", "body", n, m, poseidon::commit_cost(n)));
    }
    // The reconciliation statement's: comparisons of products (65 bits), kinds' sums (72) and
    // totals (64), their shares (20 more bits), a threshold allocated, a verdict.
    for n in [64, 65, 72, 84, 85, 92] {
        let m = added(
            |cs| zeros(cs, 2),
            |cs, x| drop(threshold::le(cs, &x[0], &x[1], n).unwrap()),
        );
        rows.push(("threshold_le", "bits", n, m, threshold::le_cost(n)));
    }
    let m = added(
        |_| (),
        |cs, ()| drop(threshold::threshold(cs, [Fr::from(0u64); 3]).unwrap()),
    );
    rows.push(("threshold_alloc", "fields", 3, m, threshold::threshold_cost()));
    for n in [64, 65, 72] {
        let m = added(
            |cs| {
                (
                    zeros(cs, 2),
                    threshold::threshold(cs, [Fr::from(0u64); 3]).unwrap(),
                )
            },
            |cs, (x, t)| drop(threshold::over(cs, &x[0], &x[1], &t, n).unwrap()),
        );
        rows.push(("threshold_over", "bits", n, m, threshold::over_cost(n)));
    }
    rows
}

#[test]
fn each_gadget_costs_what_its_function_says_and_what_the_table_records() {
    let rows = gadget_rows();
    let table = |pick: fn(&(&str, &str, usize, usize, usize)) -> usize| {
        let mut t = vec![GADGET_HEADER.to_string()];
        t.extend(
            rows.iter()
                .map(|r| format!("{},{},{},{}", r.0, r.1, r.2, pick(r))),
        );
        t
    };
    let (expected, measured) = (table(|r| r.4), table(|r| r.3));
    check(GADGET_TABLE, &expected, &measured, 3);
}
