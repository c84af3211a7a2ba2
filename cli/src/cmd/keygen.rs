//! `keygen`: a party's Ed25519 signing key for the anchor log, or (`--chain`) its secp256k1
//! account key for an anchor contract on an EVM chain. A signing key file is never replaced.

use std::path::{Path, PathBuf};

use zkinvoice_anchors::PartySecret;
use zkinvoice_evm::chain::generate_key;

use crate::{args::KeygenArgs, error::CliError, io::Outputs};

/// `keygen`.
pub fn run(a: KeygenArgs) -> Result<(), CliError> {
    zkinvoice_circuits::model::check_id("--party", &a.party).map_err(|e| CliError::Usage(e.to_string()))?;
    if a.chain {
        return chain(&a.dir, &a.party, a.force);
    }
    let secret_path = a.dir.join(format!("{}.key", a.party));
    let public_path = a.dir.join(format!("{}.pub", a.party));
    refuse_existing(&public_path, a.force)?;
    let secret = PartySecret::generate();
    secret.write_file(&secret_path).map_err(|e| CliError::Write {
        file: secret_path.clone(),
        reason: e.to_string(),
    })?;
    let mut out = Outputs::new(a.force);
    out.text(&public_path, format!("{}\n", secret.public().to_hex()));
    out.commit()?;
    println!(
        "{}: signing key (owner-only); {}: public key to give the other party",
        secret_path.display(),
        public_path.display()
    );
    Ok(())
}

/// Refuses to replace `path` without `force` (before a secret key is written beside it).
fn refuse_existing(path: &Path, force: bool) -> Result<(), CliError> {
    if path.exists() && !force {
        return Err(CliError::Write {
            file: PathBuf::from(path),
            reason: "the file exists; pass --force to replace it".into(),
        });
    }
    Ok(())
}

/// `keygen --chain`: a secp256k1 account key (`NAME.eth.key`, owner-only) and its address
/// (`NAME.eth.addr`).
fn chain(dir: &Path, party: &str, force: bool) -> Result<(), CliError> {
    let key_path = dir.join(format!("{party}.eth.key"));
    let address_path = dir.join(format!("{party}.eth.addr"));
    refuse_existing(&address_path, force)?;
    let (key, address) = generate_key();
    zkinvoice_anchors::write_secret_file(&key_path, key).map_err(|e| CliError::Write {
        file: key_path.clone(),
        reason: e.to_string(),
    })?;
    let mut out = Outputs::new(force);
    out.text(&address_path, format!("{address}\n"));
    out.commit()?;
    println!(
        "{}: secp256k1 account key (owner-only); {}: its address {address}, to give the other party",
        key_path.display(),
        address_path.display()
    );
    Ok(())
}
