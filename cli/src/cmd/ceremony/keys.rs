//! The statements a layout's ceremony makes keys for, and the keys a finished transcript makes,
//! in the prover's form.

use zkinvoice_ceremony::{
    phase2_steps::Keys,
    transcript::{Statement, Summary},
};
use zkinvoice_circuits::statement::netting::{HEADS_SHAPE, HEADS_STATEMENT};
use zkinvoice_circuits::statement::InvoiceCost;
use zkinvoice_circuits::{partition::PartitionShape, Layout, Shape};
use zkinvoice_prover::{
    credit::{Credit, CreditKeys},
    groth16::Backend,
    keys::{expected_digest, invoice_r1cs},
    lifecycle,
    netting::{Net, NetHeads, NettingHeadsKeys, NettingKeys},
    partition::{keys as partition_keys, PartitionKeys},
    reconcile::{self, ReconcileKeys},
    CeremonyRecord, InvoiceKeys,
};
use zkinvoice_verifier::{
    partition::{BlockStatement, ChunkStatement, LinkStatement},
    CreditStatement, InvoiceStatement, NettingHeadsStatement, NettingStatement, ReconcileStatement,
    Statement as _,
};

use crate::error::CliError;

/// The statements a layout's keys are for, named as the ceremony names them: their facts pinned
/// by this build (`params/shapes.json`), their matrices synthesised only when a step needs them.
/// A v1 shape's: the invoice, reconciliation, netting and credit-note statements; a partition
/// shape's: the block, chunk and link statements and the netting of two partitioned invoices
/// (`netting-v2-heads`, one key for every partition shape).
pub fn statements(layout: Layout) -> Result<Vec<Statement>, CliError> {
    match layout {
        Layout::Single(shape) => single(shape),
        Layout::Partitioned(p) => partitioned(p),
    }
}

/// A pinned circuit digest as bytes.
fn digest(hex_digest: &str) -> Result<[u8; 32], CliError> {
    crate::load::hash32(hex_digest).ok_or_else(|| {
        CliError::Mismatch(format!(
            "a pinned circuit digest {hex_digest:?} is not 32 bytes of hex"
        ))
    })
}

/// A v1 shape's four statements.
fn single(shape: Shape) -> Result<Vec<Statement>, CliError> {
    let (reconcile_digest, reconcile_constraints) = reconcile::expected(shape);
    let (netting_digest, netting_constraints) = lifecycle::expected::<Net>(shape);
    let (credit_digest, credit_constraints) = lifecycle::expected::<Credit>(shape);
    Ok(vec![
        Statement::lazy(
            &format!("invoice-{}", shape.name),
            zkinvoice_circuits::statement::STATEMENT,
            (
                digest(&expected_digest(shape))?,
                InvoiceCost::of(shape).total(shape),
                InvoiceStatement::INPUTS + 1,
            ),
            move || invoice_r1cs(shape).map_err(|e| e.to_string()),
        ),
        Statement::lazy(
            &format!("reconcile-{}", shape.name),
            zkinvoice_circuits::statement::reconcile::STATEMENT,
            (
                digest(&reconcile_digest)?,
                reconcile_constraints,
                ReconcileStatement::INPUTS + 1,
            ),
            move || reconcile::matrices(shape).map_err(|e| e.to_string()),
        ),
        Statement::lazy(
            &format!("netting-{}", shape.name),
            zkinvoice_circuits::statement::netting::STATEMENT,
            (
                digest(&netting_digest)?,
                netting_constraints,
                NettingStatement::INPUTS + 1,
            ),
            move || lifecycle::matrices::<Net>(shape).map_err(|e| e.to_string()),
        ),
        Statement::lazy(
            &format!("credit-{}", shape.name),
            zkinvoice_circuits::statement::credit::STATEMENT,
            (
                digest(&credit_digest)?,
                credit_constraints,
                CreditStatement::INPUTS + 1,
            ),
            move || lifecycle::matrices::<Credit>(shape).map_err(|e| e.to_string()),
        ),
    ])
}

/// A partition shape's three statements and the netting of partitioned invoices.
fn partitioned(p: PartitionShape) -> Result<Vec<Statement>, CliError> {
    let inputs = [
        BlockStatement::INPUTS,
        ChunkStatement::INPUTS,
        LinkStatement::INPUTS,
    ];
    let mut out = Vec::new();
    for (i, ((name, id, constraints, circuit), inputs)) in
        partition_keys::statements(p).into_iter().zip(inputs).enumerate()
    {
        out.push(Statement::lazy(
            &format!("partition-{}-{name}", p.name),
            id,
            (digest(&circuit)?, constraints, inputs + 1),
            move || {
                partition_keys::statement_r1cs(p)
                    .map(|r| r[i].clone())
                    .map_err(|e| e.to_string())
            },
        ));
    }
    let (heads_digest, heads_constraints) = lifecycle::expected::<NetHeads>(HEADS_SHAPE);
    out.push(Statement::lazy(
        &format!("netting-v2-{}", HEADS_SHAPE.name),
        HEADS_STATEMENT,
        (
            digest(&heads_digest)?,
            heads_constraints,
            NettingHeadsStatement::INPUTS + 1,
        ),
        || lifecycle::matrices::<NetHeads>(HEADS_SHAPE).map_err(|e| e.to_string()),
    ));
    Ok(out)
}

/// The record of a verified transcript, for the key manifest and `msa-agreed`: its hash, and its
/// contributors in the order they first contributed.
pub fn record_of(summary: &Summary) -> CeremonyRecord {
    let mut contributors: Vec<String> = Vec::new();
    for n in summary
        .phase1
        .iter()
        .chain(summary.phase2.iter().flat_map(|(_, n)| n))
    {
        if !contributors.contains(n) {
            contributors.push(n.clone());
        }
    }
    CeremonyRecord {
        transcript_hash: summary.transcript_hash.clone(),
        contributors,
        multi_party: summary.multi_party(),
    }
}

/// A ceremony's keys for `layout`, in the prover's form.
pub enum MadeKeys {
    /// The invoice statement's keys, the reconciliation statement's, the netting statement's
    /// and the credit-note statement's (a v1 shape).
    Single(
        Box<InvoiceKeys>,
        Box<ReconcileKeys>,
        Box<NettingKeys>,
        Box<CreditKeys>,
    ),
    /// A partition shape's three, and the netting statement's of two partitioned invoices.
    Partitioned(Box<PartitionKeys>, Box<NettingHeadsKeys>),
}

/// The keys of a finished transcript (`Ceremony::finish`'s) for `layout`.
pub fn made_keys(layout: Layout, keys: Keys) -> Result<MadeKeys, CliError> {
    let keys: Vec<_> = keys.into_iter().map(|(_, k)| k).collect();
    Ok(match layout {
        Layout::Single(shape) => {
            let [invoice, reconcile, netting, credit]: [_; 4] = keys
                .try_into()
                .map_err(|_| CliError::Mismatch("four keys expected".into()))?;
            MadeKeys::Single(
                Box::new(InvoiceKeys::from_ark(shape, invoice, Backend::default())?),
                Box::new(ReconcileKeys::from_ark(shape, &reconcile, Backend::default())?),
                Box::new(NettingKeys::from_ark(shape, &netting, Backend::default())?),
                Box::new(CreditKeys::from_ark(shape, &credit, Backend::default())?),
            )
        }
        Layout::Partitioned(p) => {
            let [block, chunk, link, heads]: [_; 4] = keys
                .try_into()
                .map_err(|_| CliError::Mismatch("four keys expected".into()))?;
            MadeKeys::Partitioned(
                Box::new(PartitionKeys::from_ark(
                    p,
                    [block, chunk, link],
                    Backend::default(),
                )?),
                Box::new(NettingHeadsKeys::from_ark(
                    HEADS_SHAPE,
                    &heads,
                    Backend::default(),
                )?),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use zkinvoice_circuits::{partition::PartitionShape, Layout, Shape};

    use super::statements;

    /// A v1 shape's ceremony makes the invoice statement's keys, the reconciliation
    /// statement's, the netting statement's and the credit-note statement's; the facts it names
    /// them by are those of this build's circuits.
    #[test]
    fn a_v1_ceremony_covers_the_invoice_reconciliation_netting_and_credit_statements() {
        let s = statements(Layout::Single(Shape::S)).expect("the statements");
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["invoice-S", "reconcile-S", "netting-S", "credit-S"]);
        assert_eq!(s[1].statement, "zkinvoice/reconcile/v1");
        assert_eq!(s[2].statement, "zkinvoice/netting/v1");
        assert_eq!(s[3].statement, "zkinvoice/credit/v1");
        let c = s[3].r1cs().expect("the pinned facts are the circuit's");
        assert_eq!(c.num_constraints(), 23_436);
        // The matrices are checked against the pinned digest and constraints as they load.
        let r = s[1].r1cs().expect("the pinned facts are the circuit's");
        assert_eq!(r.num_constraints(), 21_600);
        let n = s[2].r1cs().expect("the pinned facts are the circuit's");
        assert_eq!(n.num_constraints(), 5_447);
    }

    /// A partition shape's ceremony makes the block, chunk and link statements' keys and the
    /// netting statement's of two partitioned invoices (one circuit for every partition shape).
    #[test]
    fn a_partition_ceremony_covers_the_three_statements_and_the_netting_of_partitioned_invoices() {
        for p in [PartitionShape::PS, PartitionShape::PM] {
            let s = statements(Layout::Partitioned(p)).expect("the statements");
            let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
            let n = p.name;
            assert_eq!(
                names,
                [
                    format!("partition-{n}-block"),
                    format!("partition-{n}-chunk"),
                    format!("partition-{n}-link"),
                    "netting-v2-heads".into(),
                ]
            );
            assert_eq!(s[3].statement, "zkinvoice/netting/v2");
        }
        let s = statements(Layout::Partitioned(PartitionShape::PS)).expect("the statements");
        let h = s[3].r1cs().expect("the pinned facts are the circuit's");
        assert_eq!(h.num_constraints(), 3_017);
    }
}
