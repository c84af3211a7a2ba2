//! The anchors on an EVM chain: the bilateral's `InvoiceAnchor` contract reached over JSON-RPC,
//! selected by `--anchors http(s)://NODE --contract ADDRESS` (the SQLite log stays the default).
//! `keygen --chain`, `anchors init` (deploy), `anchors append` (register, submit), `verify` and
//! `audit` work on it.

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use zkinvoice_anchors::{Body, Proposal};
use zkinvoice_circuits::model::period::PeriodDoc;
use zkinvoice_evm::{
    chain::{address_of_key, generate_key, ChainAnchor},
    Address, EvmError,
};
use zkinvoice_service::chain::{ChainFacts, ChainTarget};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoiceVerifyingKey};

use crate::{
    error::CliError,
    io::{read_text, Outputs},
};

/// The JSON-RPC URL `--anchors` names, if it is one (`http://` or `https://`) rather than a
/// SQLite log.
pub fn url_of(anchors: &Path) -> Option<&str> {
    anchors
        .to_str()
        .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
}

/// The anchor contract reached at a JSON-RPC URL.
pub struct Target<'a> {
    /// The JSON-RPC URL.
    pub url: &'a str,
    /// The anchor contract's address.
    pub contract: Address,
}

impl<'a> Target<'a> {
    /// The target of `--anchors URL --contract ADDRESS`.
    pub fn new(url: &'a str, contract: Option<&str>) -> Result<Self, CliError> {
        let contract = contract.ok_or_else(|| {
            CliError::Usage("a JSON-RPC --anchors needs --contract (the anchor contract's address)".into())
        })?;
        Ok(Self {
            url,
            contract: parse_address("--contract", contract)?,
        })
    }

    /// A chain error, prefixed with the node and contract.
    pub fn err(&self) -> impl Fn(EvmError) -> CliError + '_ {
        move |e| CliError::chain(format_args!("{} {}", self.url, self.contract), e)
    }

    /// The anchor, read-only.
    pub fn read_only(&self) -> Result<ChainAnchor, CliError> {
        ChainAnchor::connect_read_only(self.url, self.contract).map_err(self.err())
    }

    /// The anchor, acting as the party whose key file is `key`.
    pub fn as_party(&self, key: &Path) -> Result<ChainAnchor, CliError> {
        ChainAnchor::connect(self.url, self.contract, &read_key(key)?).map_err(self.err())
    }
}

/// `0x` and 40 hex digits.
fn parse_address(what: &str, text: &str) -> Result<Address, CliError> {
    text.trim().parse().map_err(|e| {
        CliError::Usage(format!(
            "{what} {text:?}: not an address (0x and 40 hex digits): {e}"
        ))
    })
}

/// An address given on the command line, or the file holding it (`NAME.eth.addr` from
/// `keygen --chain`).
fn address_arg(what: &str, arg: &Path) -> Result<Address, CliError> {
    let text = arg.to_string_lossy();
    if text.starts_with("0x") && !arg.exists() {
        return parse_address(what, &text);
    }
    let content = read_text(arg)?;
    content.trim().parse().map_err(|e| {
        CliError::Mismatch(format!(
            "{}: not an address (0x and 40 hex digits): {e}",
            arg.display()
        ))
    })
}

/// Reads a secp256k1 key file (`NAME.eth.key` from `keygen --chain`), checked to hold a key.
pub fn read_key(path: &Path) -> Result<String, CliError> {
    let key = read_text(path)?;
    address_of_key(&key).map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))?;
    Ok(key)
}

/// `keygen --chain`: a secp256k1 account key (`NAME.eth.key`, owner-only) and its address
/// (`NAME.eth.addr`).
pub fn keygen(dir: &Path, party: &str, force: bool) -> Result<(), CliError> {
    let key_path = dir.join(format!("{party}.eth.key"));
    let address_path = dir.join(format!("{party}.eth.addr"));
    if address_path.exists() && !force {
        return Err(CliError::Write {
            file: address_path,
            reason: "the file exists; pass --force to replace it".into(),
        });
    }
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

/// Reads a contract's creation code: hex (as `solc --bin` writes it), optionally after `0x`.
fn read_creation_code(path: &Path) -> Result<Vec<u8>, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        file: path.into(),
        source,
    })?;
    let not_code = |e: String| {
        CliError::Mismatch(format!(
            "{}: not a contract's creation code in hex (as `solc --bin` writes it): {e}",
            path.display()
        ))
    };
    let text = String::from_utf8(bytes).map_err(|e| not_code(e.to_string()))?;
    let hex_text: String = text.split_whitespace().collect();
    let hex_text = hex_text.strip_prefix("0x").unwrap_or(&hex_text);
    let code = hex::decode(hex_text).map_err(|e| not_code(e.to_string()))?;
    if code.is_empty() {
        return Err(CliError::Mismatch(format!(
            "{}: empty creation code",
            path.display()
        )));
    }
    Ok(code)
}

/// What `anchors init` deploys on a chain.
pub struct Deploy<'a> {
    /// The JSON-RPC URL.
    pub url: &'a str,
    /// The Seller's address, or its file.
    pub seller: &'a Path,
    /// The Buyer's address, or its file.
    pub buyer: &'a Path,
    /// `InvoiceVerifier`'s creation code (hex file).
    pub verifier_bin: Option<&'a Path>,
    /// `InvoiceAnchor`'s creation code (hex file).
    pub anchor_bin: Option<&'a Path>,
    /// The deploying account's key file.
    pub key: Option<&'a Path>,
    /// Where to write the anchor's address.
    pub out: Option<&'a Path>,
    /// Replace an existing `out`.
    pub force: bool,
}

/// `anchors init --anchors URL`: deploys the verifier and the anchor for the two parties.
pub fn init(d: Deploy<'_>) -> Result<(), CliError> {
    let (Some(verifier_bin), Some(anchor_bin), Some(key)) = (d.verifier_bin, d.anchor_bin, d.key) else {
        return Err(CliError::Usage(
            "a JSON-RPC --anchors deploys the contracts: give --verifier-bin, --anchor-bin and --key".into(),
        ));
    };
    let seller = address_arg("--seller", d.seller)?;
    let buyer = address_arg("--buyer", d.buyer)?;
    if seller == buyer {
        return Err(CliError::Usage(
            "--seller and --buyer are the same address".into(),
        ));
    }
    let verifier_code = read_creation_code(verifier_bin)?;
    let anchor_code = read_creation_code(anchor_bin)?;
    let key = read_key(key)?;
    let mut out = Outputs::new(d.force);
    if let Some(path) = d.out {
        // Refuse an existing file before anything is deployed.
        if path.exists() && !d.force {
            return Err(CliError::Write {
                file: path.into(),
                reason: "the file exists; pass --force to replace it".into(),
            });
        }
    }
    let err = |e: EvmError| CliError::chain(d.url, e);
    let anchor =
        ChainAnchor::deploy(d.url, &key, seller, buyer, &verifier_code, &anchor_code).map_err(err)?;
    let state = anchor.state().map_err(err)?;
    if let Some(path) = d.out {
        out.text(path, format!("{}\n", anchor.address()));
        out.commit()?;
    }
    println!(
        "{}: anchor contract {} of seller {seller} and buyer {buyer}; verifier {} for key {}",
        d.url,
        anchor.address(),
        state.verifier,
        hex::encode(state.vk_hash)
    );
    Ok(())
}

/// The anchor's period id of a period (`YYYY-MM-DD` dates, end exclusive).
fn period_id(start: &str, end: &str) -> Result<u64, CliError> {
    zkinvoice_service::chain::period_id(start, end).map_err(CliError::Mismatch)
}

fn short(x: &Fr) -> String {
    let h = zkinvoice_verifier::fr_to_hex(x);
    format!("{}…", &h[..18])
}

/// `anchors append --anchors URL --contract ADDRESS --key KEY --proposal P`: the proposal's body
/// as the anchor contract's call, sent as the party of `key`: `msa-agreed` -> `registerMsa`,
/// `usage-agreed` -> `registerUsage`, `invoice-proved` -> `submitInvoice`. Its Ed25519 signatures
/// play no part: the transaction's signature is the party's. What is already registered or
/// submitted with the same values is reported and not sent again.
pub fn append(target: &Target<'_>, key: Option<&Path>, proposal: &Path) -> Result<(), CliError> {
    let key = key.ok_or_else(|| {
        CliError::Usage("a JSON-RPC --anchors needs --key (the party's secp256k1 key file)".into())
    })?;
    let p = Proposal::from_json(&read_text(proposal)?)
        .map_err(|e| CliError::Mismatch(format!("{}: {e}", proposal.display())))?;
    let anchor = target.as_party(key)?;
    let err = target.err();
    let state = anchor.state().map_err(&err)?;
    let at = format!("{} {}", target.url, target.contract);
    let sent = |what: &str, i: zkinvoice_evm::chain::Included| {
        format!(
            "{at}: {what} sent by {} (block {}, tx {}, {} gas)",
            anchor.party(),
            i.block,
            i.hash,
            crate::table::thousands(i.gas_used)
        )
    };
    match &p.body {
        Body::MsaAgreed {
            msa_commitment,
            state0,
            vk_hash,
            ..
        } => {
            let hash: [u8; 32] = hex::decode(vk_hash)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| {
                    CliError::Mismatch(format!("{}: vk_hash is not 64 hex digits", proposal.display()))
                })?;
            if state.msa == Some((*msa_commitment, *state0)) && state.vk_hash == hash {
                println!("{at}: the MSA {} is already registered", short(msa_commitment));
                return Ok(());
            }
            let i = anchor.register_msa(msa_commitment, state0, hash).map_err(&err)?;
            let now = anchor.state().map_err(&err)?;
            println!(
                "{}; {}",
                sent("registerMsa", i),
                if now.msa.is_some() {
                    "the MSA is registered (both parties proposed it)".to_string()
                } else {
                    "waiting for the other party to propose the same MSA".to_string()
                }
            );
        }
        Body::UsageAgreed {
            msa_commitment,
            period_start,
            period_end,
            usage_commitment,
            ..
        } => {
            if let Some((msa, _)) = state.msa {
                if msa != *msa_commitment {
                    return Err(CliError::Mismatch(format!(
                        "{}: the usage is for MSA {}, the anchor's MSA is {}",
                        proposal.display(),
                        short(msa_commitment),
                        short(&msa)
                    )));
                }
            }
            let id = period_id(period_start, period_end)?;
            let period = format!("{period_start}..{period_end} (period id {id})");
            if anchor.period(id).map_err(&err)?.0 == Some(*usage_commitment) {
                println!("{at}: the usage of {period} is already registered");
                return Ok(());
            }
            let i = anchor.register_usage(id, usage_commitment).map_err(&err)?;
            let registered = anchor.period(id).map_err(&err)?.0.is_some();
            println!(
                "{}; usage of {period} {}",
                sent("registerUsage", i),
                if registered {
                    "registered (both parties proposed it)"
                } else {
                    "waiting for the other party's proposal"
                }
            );
        }
        Body::InvoiceProved {
            invoice_number,
            period_start,
            period_end,
            invoice_commitment,
            state_before,
            state_after,
            proof,
            ..
        } => {
            let inputs = p.body.proved_inputs().ok_or_else(|| {
                CliError::Mismatch(format!("{}: no public inputs", proposal.display()))
            })?;
            let proof = InvoiceProof::from_base64(proof)
                .map_err(|e| CliError::Mismatch(format!("{}: proof: {e}", proposal.display())))?;
            let id = period_id(period_start, period_end)?;
            if let Some(s) = anchor.submitted_invoice(invoice_commitment).map_err(&err)? {
                if (s.period_id, s.state_before, s.state_after) == (id, *state_before, *state_after) {
                    println!(
                        "{at}: invoice {invoice_number} is already accepted (tx {})",
                        s.tx
                    );
                    return Ok(());
                }
            }
            let i = anchor.submit_invoice(id, &proof, &inputs).map_err(&err)?;
            println!(
                "{}; invoice {invoice_number} for {period_start}..{period_end} accepted: the proof verified on chain, the state is now {}",
                sent("submitInvoice", i),
                short(state_after)
            );
        }
        Body::InvoiceAccepted { .. } | Body::InvoiceRejected { .. } => {
            return Err(CliError::Mismatch(format!(
                "{}: the anchor contract has no {} (it accepts an invoice by verifying its proof; a Buyer who disputes one keeps its rejection in a SQLite anchor log)",
                proposal.display(),
                p.body.kind()
            )))
        }
    }
    Ok(())
}

impl Target<'_> {
    /// The target with the bilateral's verifying key, read `confirmations` blocks deep, for
    /// [`ChainFacts::read`].
    pub fn with_key(&self, vk: InvoiceVerifyingKey, confirmations: u64) -> ChainTarget {
        ChainTarget {
            url: self.url.to_string(),
            contract: self.contract,
            key: vk.prepare(),
            confirmations,
        }
    }
}

/// What the anchor contract holds for one invoice (`invoice` of `period`), read back with the
/// bilateral's key `vk`, `confirmations` blocks deep; a key mismatch (exit 3) if the contract's
/// verifier is for another key; invalid (exit 1) if confirmations were asked and the contract has
/// not accepted the invoice that deep.
pub fn read_facts(
    target: &Target<'_>,
    vk: InvoiceVerifyingKey,
    confirmations: u64,
    period: Option<&PeriodDoc>,
    invoice: &Fr,
) -> Result<ChainFacts, CliError> {
    let facts = ChainFacts::read(&target.with_key(vk, confirmations), period, invoice)
        .map_err(crate::serve::service_err)?;
    if let Some(why) = facts.unconfirmed() {
        return Err(CliError::Invalid(why.to_string()));
    }
    Ok(facts)
}

/// `audit --anchors URL --contract ADDRESS --vk V`: the anchor contract read back over JSON-RPC:
/// the verifier's key, the state chain, every proof (recovered from its transaction).
pub fn audit(target: &Target<'_>, vk: Option<&PathBuf>, one_by_one: bool) -> Result<(), CliError> {
    let vk = vk.ok_or_else(|| {
        CliError::Usage("a JSON-RPC --anchors needs --vk (the contract holds only its hash)".into())
    })?;
    if one_by_one {
        return Err(CliError::Usage("--one-by-one is for SQLite logs".into()));
    }
    let vk = crate::proving::load_vk_bytes(vk)?;
    let t = Instant::now();
    let report = target.read_only()?.audit(&vk).map_err(target.err())?;
    println!(
        "{} {}: {} invoices in {:.2} s",
        target.url,
        target.contract,
        report.invoices,
        t.elapsed().as_secs_f64()
    );
    if report.failures.is_empty() {
        println!("clean: the verifier is the key's, the state chain is whole, every proof verifies");
        Ok(())
    } else {
        for f in &report.failures {
            println!("FAILED: {f}");
        }
        Err(CliError::Invalid(format!(
            "{} failures in the anchor contract",
            report.failures.len()
        )))
    }
}
