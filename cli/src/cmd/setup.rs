//! `setup`: the Buyer makes the Groth16 keys of a shape and their manifest.

use std::time::Instant;

use zkinvoice_prover::InvoiceKeys;

use crate::{args::SetupArgs, error::CliError, report::size};

/// `setup`.
pub fn run(a: SetupArgs) -> Result<(), CliError> {
    let t = Instant::now();
    let keys = InvoiceKeys::setup(a.shape, &mut rand::rngs::OsRng)?;
    let took = t.elapsed();
    let m = keys.write(&a.params, a.force)?;
    println!(
        "shape {}: {} constraints, keys made in {:.1} s",
        a.shape,
        m.constraints,
        took.as_secs_f64()
    );
    println!(
        "  {}  {}  sha256 {}",
        a.params.join(&m.proving_key.file).display(),
        size(m.proving_key.bytes),
        m.proving_key.sha256
    );
    println!(
        "  {}  {}  vk hash {}",
        a.params.join(&m.verifying_key.file).display(),
        size(m.verifying_key.bytes),
        m.verifying_key.sha256
    );
    println!("  circuit digest {}", m.circuit_digest);
    Ok(())
}
