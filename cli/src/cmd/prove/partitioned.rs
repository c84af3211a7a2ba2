//! `prove` for a partitioned bilateral (protocol v2): every block, chunk and the link proven in
//! parallel, with a progress bar on a terminal, into one envelope.

use std::{path::Path, path::PathBuf, time::Instant};

use zkinvoice_circuits::{partition::PartitionShape, Commitment};
use zkinvoice_prover::partition::{self, PartitionKeys};

use super::Loaded;
use crate::{error::CliError, io::Outputs, report::progress_bar};

/// Proves `loaded` as partitions of `shape` with the keys in `params`, writing the envelope to
/// `out` (and the state after to `state_out`).
pub(super) fn run(
    params: &Path,
    shape: PartitionShape,
    loaded: &Loaded,
    out: PathBuf,
    state_out: Option<PathBuf>,
    force: bool,
) -> Result<(), CliError> {
    let t = Instant::now();
    let keys = PartitionKeys::load(params, shape)?;
    let load_time = t.elapsed();
    let bar = progress_bar("proving partitions");
    let t = Instant::now();
    let proved = partition::prove(
        &keys,
        &loaded.request(),
        &mut rand::rngs::OsRng,
        &|n| bar.set_length(n as u64),
        &|_| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let prove_time = t.elapsed();
    let mut o = Outputs::new(force);
    o.json(out, &proved.envelope);
    if let Some(p) = &state_out {
        o.json(p, &proved.envelope.state_after);
    }
    o.commit()?;
    let inv = &proved.rated.invoice;
    let parts = &proved.envelope.parts;
    println!(
        "invoice {}: total {} {}; {} blocks, {} chunks and the link proven in {:.2} s (keys loaded in {:.2} s)",
        inv.number,
        inv.currency.format_minor(inv.total),
        inv.currency,
        parts.blocks(),
        parts.chunks(),
        prove_time.as_secs_f64(),
        load_time.as_secs_f64()
    );
    println!(
        "  invoice_commitment {}",
        Commitment(proved.envelope.public_inputs.invoice_commitment)
    );
    println!("  state_after        {}", proved.after.commitment);
    Ok(())
}
