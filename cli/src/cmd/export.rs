//! `export`: the verifying key and proofs for other verifiers: snarkjs JSON, and the Solidity
//! verifier (EIP-2537) and anchor contracts.

use std::path::Path;

use zkinvoice_evm::{
    snarkjs::{public_signals, ProofJson, VerificationKeyJson},
    solidity,
};
use zkinvoice_prover::ProofEnvelope;

use crate::{
    args::{ExportCommand, SnarkjsArgs, SolidityArgs},
    error::CliError,
    io::{read_json, Outputs},
    load,
};

/// Runs an `export` command.
pub fn run(command: ExportCommand) -> Result<(), CliError> {
    match command {
        ExportCommand::Snarkjs(a) => snarkjs(a),
        ExportCommand::Solidity(a) => solidity(a),
    }
}

/// File names of the snarkjs export.
const VK_JSON: &str = "verification_key.json";
const PROOF_JSON: &str = "proof.json";
const PUBLIC_JSON: &str = "public.json";

fn snarkjs(a: SnarkjsArgs) -> Result<(), CliError> {
    let vk = load::vk(&a.vk)?;
    let envelope = match &a.envelope {
        Some(path) => {
            let env: ProofEnvelope = read_json(path)?;
            if !env.vk_hash.eq_ignore_ascii_case(&vk.hash_hex()) {
                return Err(CliError::KeyMismatch(format!(
                    "{}: the envelope was made under the verifying key {}, {} is {}",
                    path.display(),
                    env.vk_hash,
                    a.vk.display(),
                    vk.hash_hex()
                )));
            }
            Some(env)
        }
        None => None,
    };
    let mut out = Outputs::new(a.force);
    out.json(a.out.join(VK_JSON), &VerificationKeyJson::new(&vk));
    let mut names = vec![VK_JSON];
    if let Some(env) = &envelope {
        let proof = env.proof.single().ok_or_else(|| {
            CliError::Usage(format!(
                "{}: a partitioned invoice's proofs are exported per partition, which export snarkjs does not do yet",
                a.envelope.as_deref().unwrap_or(Path::new("-")).display()
            ))
        })?;
        out.json(a.out.join(PROOF_JSON), &ProofJson::new(proof));
        out.json(a.out.join(PUBLIC_JSON), &public_signals(&env.public_inputs));
        names.extend([PROOF_JSON, PUBLIC_JSON]);
    }
    write(out, &a.out)?;
    println!(
        "snarkjs (groth16, bls12381) export of key {}: {} written to {}",
        &vk.hash_hex()[..16],
        names.join(", "),
        a.out.display()
    );
    Ok(())
}

fn solidity(a: SolidityArgs) -> Result<(), CliError> {
    let vk = load::vk(&a.vk)?;
    let mut out = Outputs::new(a.force);
    let sources = solidity::sources(&vk);
    for (name, text) in &sources {
        out.text(a.out.join(name), text.clone());
    }
    write(out, &a.out)?;
    println!(
        "Solidity (EIP-2537, Prague) for key {}: {}, {} written to {}",
        &vk.hash_hex()[..16],
        solidity::VERIFIER_FILE,
        solidity::ANCHOR_FILE,
        a.out.display()
    );
    Ok(())
}

/// Creates the output directory if missing, then writes every output or none.
fn write(out: Outputs, dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::Write {
        file: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    out.commit()
}
