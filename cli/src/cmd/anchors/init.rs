//! `anchors init`: a party's copy of the bilateral's anchor log (SQLite) with both parties'
//! public keys; or, given a JSON-RPC URL, the bilateral's verifier and anchor contracts deployed
//! for both parties' addresses, or a statement's verifier (netting, credit notes) anchors
//! register.

use std::path::{Path, PathBuf};

use zkinvoice_anchors::AnchorLog;
use zkinvoice_evm::{chain::ChainAnchor, EvmError};

use crate::{args::AnchorsInitArgs, error::CliError, io::Outputs, load, resolve::url_of};

/// `anchors init`.
pub fn run(a: AnchorsInitArgs) -> Result<(), CliError> {
    if let Some(url) = url_of(&a.anchors) {
        return deploy(url, &a);
    }
    if a.verifier_bin.is_some()
        || a.anchor_bin.is_some()
        || a.statement_verifier_bin.is_some()
        || a.key.is_some()
        || a.out.is_some()
    {
        return Err(CliError::Usage(
            "--verifier-bin, --anchor-bin, --statement-verifier-bin, --key and --out deploy on a chain: give a JSON-RPC --anchors (http:// or https://)".into(),
        ));
    }
    let (s, b) = parties(&a)?;
    let (s, b) = (load::public_key(s)?, load::public_key(b)?);
    AnchorLog::create(&a.anchors, &s, &b).map_err(|e| CliError::Write {
        file: a.anchors.clone(),
        reason: e.to_string(),
    })?;
    println!(
        "{}: anchor log of seller {} and buyer {}",
        a.anchors.display(),
        &s.to_hex()[..16],
        &b.to_hex()[..16]
    );
    Ok(())
}

/// `--seller` and `--buyer` (clap requires them unless `--statement-verifier-bin` is given).
fn parties(a: &AnchorsInitArgs) -> Result<(&Path, &Path), CliError> {
    match (&a.seller, &a.buyer) {
        (Some(s), Some(b)) => Ok((s, b)),
        _ => Err(CliError::Usage("give --seller and --buyer".into())),
    }
}

/// `anchors init --anchors URL --statement-verifier-bin F --key K`: deploys a statement's verifier
/// and prints the key hash it embeds.
fn deploy_statement_verifier(url: &str, code: &Path, a: &AnchorsInitArgs) -> Result<(), CliError> {
    let key = a.key.as_deref().ok_or_else(|| {
        CliError::Usage("--statement-verifier-bin deploys on a chain: give --key too".into())
    })?;
    let code = load::creation_code(code)?;
    let key = load::eth_key(key)?;
    refuse_existing_out(a)?;
    let err = |e: EvmError| CliError::chain(url, e);
    let address = ChainAnchor::deploy_statement_verifier(url, &key, &code).map_err(err)?;
    let embedded = ChainAnchor::connect(url, address, &key)
        .and_then(|c| c.statement_verifier_key(address))
        .map_err(err)?;
    if let Some(path) = &a.out {
        let mut out = Outputs::new(a.force);
        out.text(path, format!("{address}\n"));
        out.commit()?;
    }
    println!("{url}: verifier {address} for key {}", hex::encode(embedded));
    Ok(())
}

/// Refuses an existing `--out` without `--force`, before anything is deployed.
fn refuse_existing_out(a: &AnchorsInitArgs) -> Result<(), CliError> {
    match &a.out {
        Some(path) if path.exists() && !a.force => Err(CliError::Write {
            file: PathBuf::from(path),
            reason: "the file exists; pass --force to replace it".into(),
        }),
        _ => Ok(()),
    }
}

/// The three files deploying needs.
fn deploy_files(a: &AnchorsInitArgs) -> Result<(&Path, &Path, &Path), CliError> {
    match (&a.verifier_bin, &a.anchor_bin, &a.key) {
        (Some(v), Some(b), Some(k)) => Ok((v, b, k)),
        _ => Err(CliError::Usage(
            "a JSON-RPC --anchors deploys the contracts: give --verifier-bin, --anchor-bin and --key".into(),
        )),
    }
}

/// `anchors init --anchors URL`: deploys the verifier and the anchor for the two parties.
fn deploy(url: &str, a: &AnchorsInitArgs) -> Result<(), CliError> {
    if let Some(code) = &a.statement_verifier_bin {
        return deploy_statement_verifier(url, code, a);
    }
    let (verifier_bin, anchor_bin, key) = deploy_files(a)?;
    let (seller, buyer) = parties(a)?;
    let seller = load::address("--seller", seller)?;
    let buyer = load::address("--buyer", buyer)?;
    if seller == buyer {
        return Err(CliError::Usage(
            "--seller and --buyer are the same address".into(),
        ));
    }
    let verifier_code = load::creation_code(verifier_bin)?;
    let anchor_code = load::creation_code(anchor_bin)?;
    let key = load::eth_key(key)?;
    let mut out = Outputs::new(a.force);
    refuse_existing_out(a)?;
    let err = |e: EvmError| CliError::chain(url, e);
    let anchor = ChainAnchor::deploy(url, &key, seller, buyer, &verifier_code, &anchor_code).map_err(err)?;
    let state = anchor.state().map_err(err)?;
    if let Some(path) = &a.out {
        out.text(path, format!("{}\n", anchor.address()));
        out.commit()?;
    }
    println!(
        "{url}: anchor contract {} of seller {seller} and buyer {buyer}; verifier {} for key {}",
        anchor.address(),
        state.verifier,
        hex::encode(state.vk_hash)
    );
    Ok(())
}
