//! `setup`: the Buyer makes the Groth16 keys of a shape and their manifest.

use std::path::Path;
use std::time::Instant;

use zkinvoice_circuits::{partition::PartitionShape, statement::netting::HEADS_SHAPE, Layout, Shape};
use zkinvoice_prover::{
    credit::Credit,
    keys::KeyFileEntry,
    lifecycle::{Lifecycle, StatementKeys},
    netting::{Net, NetHeads},
    partition::PartitionKeys,
    reconcile::{partitioned::PartitionedReconcileKeys, Reconcile},
    InvoiceKeys,
};

use crate::{
    args::{SetupArgs, StatementArg},
    error::CliError,
    report::size,
};

/// `setup`.
pub fn run(a: SetupArgs) -> Result<(), CliError> {
    let shape = match (a.shape, a.statement) {
        (Layout::Single(s), StatementArg::Reconcile) => return lifecycle::<Reconcile>(s, &a.params, a.force),
        (Layout::Single(s), StatementArg::Netting) => return lifecycle::<Net>(s, &a.params, a.force),
        (Layout::Single(s), StatementArg::Credit) => return lifecycle::<Credit>(s, &a.params, a.force),
        // The netting of partitioned invoices: one circuit for every partition shape.
        (Layout::Partitioned(_), StatementArg::Netting) => {
            return lifecycle::<NetHeads>(HEADS_SHAPE, &a.params, a.force)
        }
        // The reconciliation of partitioned invoices: the shape's block statement and the link.
        (Layout::Partitioned(p), StatementArg::Reconcile) => return reconcile_v2(p, &a.params, a.force),
        (Layout::Partitioned(p), StatementArg::Credit) => {
            return Err(CliError::Usage(format!(
                "--statement credit: the statement is of v1 shapes (S, M), not the partition shape {p}"
            )));
        }
        (Layout::Single(s), StatementArg::Invoice) => s,
        (Layout::Partitioned(p), StatementArg::Invoice) => return partitioned(p, &a.params, a.force),
    };
    let t = Instant::now();
    let keys = InvoiceKeys::setup(shape, &mut rand::rngs::OsRng)?;
    let took = t.elapsed();
    let m = keys.write(&a.params, a.force)?;
    println!(
        "shape {}: {} constraints, keys made in {:.1} s",
        a.shape,
        m.constraints,
        took.as_secs_f64()
    );
    key_lines(&a.params, &m.proving_key, &m.verifying_key, "  ");
    matrices(&a.params.join(zkinvoice_prover::keys::r1cs_name(shape)));
    println!("  circuit digest {}", m.circuit_digest);
    Ok(())
}

/// `setup --statement reconcile|netting|credit`: the statement's keys of a v1 shape (or, for the
/// netting of partitioned invoices, of every partition shape: `heads`).
fn lifecycle<L: Lifecycle>(shape: Shape, params: &Path, force: bool) -> Result<(), CliError> {
    let t = Instant::now();
    let keys = StatementKeys::<L>::generate(shape, &mut rand::rngs::OsRng)?;
    let took = t.elapsed();
    let m = keys.write(params, force)?;
    println!(
        "{} at shape {}: {} constraints, keys made in {:.1} s",
        m.statement,
        shape.name,
        m.constraints,
        took.as_secs_f64()
    );
    key_lines(params, &m.proving_key, &m.verifying_key, "  ");
    println!("  circuit digest {}", m.circuit_digest);
    Ok(())
}

/// `setup --statement reconcile` at a partition shape: the reconciliation's block statement of
/// the shape and its link statement (one for every partition shape), and the hash naming the two.
fn reconcile_v2(shape: PartitionShape, params: &Path, force: bool) -> Result<(), CliError> {
    let t = Instant::now();
    let keys = PartitionedReconcileKeys::generate(shape, &mut rand::rngs::OsRng)?;
    let took = t.elapsed();
    let manifests = keys.write(params, force)?;
    println!(
        "the reconciliation of partitioned invoices at partition shape {shape}: keys made in {:.1} s, key-set hash {}",
        took.as_secs_f64(),
        keys.hash_hex()
    );
    for m in &manifests {
        println!(
            "  {} ({}): {} constraints, circuit digest {}",
            m.statement, m.shape, m.constraints, m.circuit_digest
        );
        key_lines(params, &m.proving_key, &m.verifying_key, "    ");
    }
    Ok(())
}

/// Prints the lines of a statement's proving and verifying key files, indented by `indent`.
fn key_lines(params: &Path, pk: &KeyFileEntry, vk: &KeyFileEntry, indent: &str) {
    println!(
        "{indent}{}  {}  sha256 {}",
        params.join(&pk.file).display(),
        size(pk.bytes),
        pk.sha256
    );
    println!(
        "{indent}{}  {}  vk hash {}",
        params.join(&vk.file).display(),
        size(vk.bytes),
        vk.sha256
    );
}

/// Prints the line of a statement's matrices file (read when its keys are loaded).
fn matrices(path: &Path) {
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    println!(
        "  {}  {}  constraint matrices (circom .r1cs)",
        path.display(),
        size(bytes)
    );
}

/// `setup` of a partition shape: the block, chunk and link statements' keys and one manifest.
fn partitioned(shape: PartitionShape, params: &Path, force: bool) -> Result<(), CliError> {
    let t = Instant::now();
    let keys = PartitionKeys::generate(shape, &mut rand::rngs::OsRng)?;
    let took = t.elapsed();
    let m = keys.write(params, force)?;
    println!(
        "partition shape {shape}: keys made in {:.1} s",
        took.as_secs_f64()
    );
    for s in [&m.block, &m.chunk, &m.link] {
        println!(
            "  {}: {} constraints, circuit digest {}",
            s.statement, s.constraints, s.circuit_digest
        );
        key_lines(params, &s.proving_key, &s.verifying_key, "    ");
    }
    for name in ["block", "chunk", "link"] {
        matrices(&params.join(zkinvoice_prover::partition::keys::r1cs_name(shape, name)));
    }
    Ok(())
}
