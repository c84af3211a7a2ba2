//! `export`: the verifying key and proofs for other verifiers: snarkjs JSON, and the Solidity
//! verifier (EIP-2537) and anchor contracts; and a shape's constraint systems in circom's format.

use std::path::Path;

use zkinvoice_evm::{
    snarkjs::{public_signals, ProofJson, VerificationKeyJson},
    solidity,
};
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_verifier::{
    partition::{BlockStatement, ChunkStatement, LinkStatement, Tops},
    CreditStatement, InvoiceProof, InvoiceVerifyingKeys, NettingHeadsStatement, NettingStatement,
    ReconcileStatement, Statement, VerifyingKeyOf,
};

use crate::{
    args::{CircomArgs, ExportCommand, SnarkjsArgs, SolidityArgs, StatementArg},
    error::CliError,
    io::{read_json, Outputs},
    load,
};

/// Runs an `export` command.
pub fn run(command: ExportCommand) -> Result<(), CliError> {
    match command {
        ExportCommand::Snarkjs(a) => snarkjs(a),
        ExportCommand::Solidity(a) => solidity(a),
        ExportCommand::Circom(a) => circom(a),
    }
}

/// `export circom`: each statement of the shape as `.r1cs`.
fn circom(a: CircomArgs) -> Result<(), CliError> {
    use zkinvoice_circuits::{statement::r1cs::circom, Layout};
    use zkinvoice_prover::{keys::invoice_r1cs, partition::keys::statement_r1cs};

    let statements = match a.shape {
        Layout::Single(shape) => vec![(format!("invoice-{}", shape.name), invoice_r1cs(shape)?)],
        Layout::Partitioned(shape) => ["block", "chunk", "link"]
            .into_iter()
            .zip(statement_r1cs(shape)?)
            .map(|(name, r)| (format!("partition-{}-{name}", shape.name), r))
            .collect(),
    };
    let mut out = Outputs::new(a.force);
    for (name, r) in &statements {
        out.bytes(a.out.join(format!("{name}.r1cs")), circom::r1cs_file(r));
    }
    write(out, &a.out)?;
    for (name, r) in &statements {
        println!(
            "{}: {} constraints, {} wires ({} public), circuit digest {}",
            a.out.join(format!("{name}.r1cs")).display(),
            r.num_constraints(),
            r.num_variables(),
            r.num_instance - 1,
            hex::encode(r.digest)
        );
    }
    Ok(())
}

/// `export solidity --statement netting|credit|reconcile`: the key's verifier (`name`, from `source`), the
/// contract an anchor registers to verify that statement on chain.
fn statement_solidity<S: Statement>(
    a: &SolidityArgs,
    name: &str,
    source: impl Fn(&VerifyingKeyOf<S>) -> String,
) -> Result<(), CliError> {
    let vk = load::statement_vk::<S>(&a.vk)?;
    let mut out = Outputs::new(a.force);
    out.text(a.out.join(name), source(&vk));
    write(out, &a.out)?;
    println!(
        "Solidity (EIP-2537, Prague) for {} key {}: {name} written to {}",
        S::ID,
        &vk.hash_hex()[..16],
        a.out.display()
    );
    Ok(())
}

/// File names of the snarkjs export.
const VK_JSON: &str = "verification_key.json";
const PROOF_JSON: &str = "proof.json";
const PUBLIC_JSON: &str = "public.json";

fn snarkjs(a: SnarkjsArgs) -> Result<(), CliError> {
    let keys = load::keys(&a.vk)?;
    let envelope = match &a.envelope {
        Some(path) => {
            let env: ProofEnvelope = read_json(path)?;
            if !env.vk_hash.eq_ignore_ascii_case(&keys.hash_hex()) {
                return Err(CliError::KeyMismatch(format!(
                    "{}: the envelope was made under the verifying key {}, {} is {}",
                    path.display(),
                    env.vk_hash,
                    a.vk.display(),
                    keys.hash_hex()
                )));
            }
            Some((path, env))
        }
        None => None,
    };
    let mut out = Outputs::new(a.force);
    let env = envelope.as_ref().map(|(path, env)| (path.as_path(), env));
    let names = match &keys {
        InvoiceVerifyingKeys::Single(vk) => single(&mut out, &a.out, vk, env)?,
        InvoiceVerifyingKeys::Partitioned(set) => partitioned(&mut out, &a.out, set, env)?,
    };
    // A partitioned export writes into a directory per statement or partition.
    let dirs = out
        .paths()
        .filter_map(Path::parent)
        .map(Path::to_path_buf)
        .collect::<Vec<_>>();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| CliError::Write {
            file: d.clone(),
            reason: e.to_string(),
        })?;
    }
    write(out, &a.out)?;
    println!(
        "snarkjs (groth16, bls12381) export of key {}: {} written to {}",
        &keys.hash_hex()[..16],
        names,
        a.out.display()
    );
    Ok(())
}

/// One statement's files in `dir`: its key, and with a proof its proof and public signals.
fn statement_files<S: Statement>(
    out: &mut Outputs,
    dir: &Path,
    vk: &VerifyingKeyOf<S>,
    proof: Option<(&InvoiceProof, &S::Inputs)>,
) {
    out.json(dir.join(VK_JSON), &VerificationKeyJson::new(vk));
    if let Some((proof, inputs)) = proof {
        out.json(dir.join(PROOF_JSON), &ProofJson::new(proof));
        out.json(dir.join(PUBLIC_JSON), &public_signals(inputs));
    }
}

/// v1: the invoice key, and the envelope's proof and public inputs.
fn single(
    out: &mut Outputs,
    dir: &Path,
    vk: &zkinvoice_verifier::InvoiceVerifyingKey,
    env: Option<(&Path, &ProofEnvelope)>,
) -> Result<String, CliError> {
    let proof = match env {
        Some((path, env)) => Some((
            env.proof.single().ok_or_else(|| {
                CliError::Mismatch(format!(
                    "{}: a partitioned invoice, and the key is one statement's",
                    path.display()
                ))
            })?,
            &env.public_inputs,
        )),
        None => None,
    };
    statement_files(out, dir, vk, proof);
    Ok(if proof.is_some() {
        [VK_JSON, PROOF_JSON, PUBLIC_JSON].join(", ")
    } else {
        VK_JSON.into()
    })
}

/// v2: each statement's key in `block/`, `chunk/`, `link/`; with an envelope, every partition in
/// a directory of its own (`block-0/`, `chunk-3/`, `link/`) with its statement's key, its proof and
/// the public inputs the verifier assembles for it (after the envelope's public values are checked
/// against its five commitments), so that `snarkjs groth16 verify` checks each partition.
fn partitioned(
    out: &mut Outputs,
    dir: &Path,
    set: &zkinvoice_verifier::PartitionKeySet,
    env: Option<(&Path, &ProofEnvelope)>,
) -> Result<String, CliError> {
    let Some((path, env)) = env else {
        statement_files::<BlockStatement>(out, &dir.join("block"), &set.block, None);
        statement_files::<ChunkStatement>(out, &dir.join("chunk"), &set.chunk, None);
        statement_files::<LinkStatement>(out, &dir.join("link"), &set.link, None);
        return Ok(format!(
            "{VK_JSON} of the block, chunk and link statements (block/, chunk/, link/)"
        ));
    };
    let refused = |reason: String| CliError::Mismatch(format!("{}: {reason}", path.display()));
    let p = env
        .proof
        .partitioned()
        .ok_or_else(|| refused("one proof, and the key is a partition key set".into()))?;
    let z = p
        .public
        .check(&Tops::from(env.public_inputs))
        .map_err(|e| refused(e.to_string()))?;
    let (public, proofs) = (&p.public, &p.proofs);
    if proofs.blocks.len() != public.blocks() || proofs.chunks.len() != public.chunks() {
        return Err(refused("the proofs are not one per partition".into()));
    }
    for (j, proof) in proofs.blocks.iter().enumerate() {
        let inputs = public.block_inputs(j, z);
        statement_files(
            out,
            &dir.join(format!("block-{j}")),
            &set.block,
            Some((proof, &inputs)),
        );
    }
    for (c, proof) in proofs.chunks.iter().enumerate() {
        let inputs = public.chunk_inputs(c, z);
        statement_files(
            out,
            &dir.join(format!("chunk-{c}")),
            &set.chunk,
            Some((proof, &inputs)),
        );
    }
    statement_files(
        out,
        &dir.join("link"),
        &set.link,
        Some((&proofs.link, &public.link_inputs())),
    );
    Ok(format!(
        "{VK_JSON}, {PROOF_JSON} and {PUBLIC_JSON} of {} blocks (block-J/), {} chunks (chunk-C/) and the link (link/)",
        public.blocks(),
        public.chunks()
    ))
}

/// The anchor's `CEREMONY_TRANSCRIPT`: the transcript hash of the multi-party ceremony the keys at
/// `path` come from (their manifest's record), or `None` (one party's `setup`: only the Seller
/// may then submit invoices, and both register the MSA as a single-party setup).
fn transcript_of(path: &std::path::Path) -> Result<Option<[u8; 32]>, CliError> {
    let Some(c) = load::ceremony_of(path)?.filter(|c| c.multi_party) else {
        return Ok(None);
    };
    load::hash32(&c.transcript_hash).map(Some).ok_or_else(|| {
        CliError::Mismatch(format!(
            "{}: ceremony.transcriptHash {:?} is not 64 hex digits",
            path.display(),
            c.transcript_hash
        ))
    })
}

/// The verifier of the key (`InvoiceVerifier.sol`) or of the partition key set
/// (`PartitionVerifier.sol`, from a `partition-X.json` manifest), and the anchor.
fn solidity(a: SolidityArgs) -> Result<(), CliError> {
    match a.statement {
        StatementArg::Invoice => {}
        StatementArg::Netting => {
            // v1's key, or the netting of partitioned invoices' (which the parts come with).
            return match load::netting_vk(&a.vk)? {
                load::NettingVk::V1(_) => {
                    statement_solidity::<NettingStatement>(&a, solidity::NETTING_VERIFIER_FILE, |vk| {
                        solidity::netting_verifier_source(vk)
                    })
                }
                load::NettingVk::Heads(_) => statement_solidity::<NettingHeadsStatement>(
                    &a,
                    solidity::NETTING_HEADS_VERIFIER_FILE,
                    solidity::netting_heads_verifier_source,
                ),
            };
        }
        StatementArg::Credit => {
            return statement_solidity::<CreditStatement>(&a, solidity::CREDIT_VERIFIER_FILE, |vk| {
                solidity::credit_verifier_source(vk)
            })
        }
        StatementArg::Reconcile => {
            return statement_solidity::<ReconcileStatement>(&a, solidity::RECONCILE_VERIFIER_FILE, |vk| {
                solidity::reconcile_verifier_source(vk)
            })
        }
    }
    let transcript = transcript_of(&a.vk)?;
    let (hash, sources) = match load::partition_keys(&a.vk)? {
        Some((shape, set)) => (
            set.hash_hex(),
            solidity::partition_sources(&set, shape.name, shape.sizes(), transcript),
        ),
        None => {
            let vk = load::vk(&a.vk)?;
            (vk.hash_hex(), solidity::sources(&vk, transcript))
        }
    };
    let mut out = Outputs::new(a.force);
    for (name, text) in &sources {
        out.text(a.out.join(name), text.clone());
    }
    write(out, &a.out)?;
    println!(
        "Solidity (EIP-2537, Prague) for key {}: {}, {} written to {}",
        &hash[..16],
        sources[0].0,
        sources[1].0,
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
