//! Arguments resolved once into typed values: where the anchors are (a SQLite log, or an anchor
//! contract at a JSON-RPC URL with its address and the confirmations to read at), and what
//! `verify` checks (envelopes or a bill) against what (explicit files, a log, a contract). The
//! combinations clap cannot express are refused here, with the same message wherever they occur.

use std::path::{Path, PathBuf};

use zkinvoice_evm::Address;

use crate::{args::VerifyArgs, error::CliError};

/// An anchor contract on a chain: `--anchors http(s)://NODE --contract ADDRESS [--confirmations N]`.
#[derive(Clone, Debug)]
pub struct ChainAt {
    /// The JSON-RPC URL.
    pub url: String,
    /// The anchor contract's address.
    pub contract: Address,
    /// How many blocks below the latest to read (0: the latest).
    pub confirmations: u64,
}

/// Where the anchors are.
#[derive(Clone, Debug)]
pub enum AnchorSource {
    /// A SQLite anchor log.
    Log(PathBuf),
    /// The bilateral's anchor contract on a chain.
    Chain(ChainAt),
}

/// The JSON-RPC URL `--anchors` names, if it is one (`http://` or `https://`) rather than a
/// SQLite log.
pub fn url_of(anchors: &Path) -> Option<&str> {
    anchors
        .to_str()
        .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
}

/// `0x` and 40 hex digits.
pub fn parse_address(what: &str, text: &str) -> Result<Address, CliError> {
    text.trim().parse().map_err(|e| {
        CliError::Usage(format!(
            "{what} {text:?}: not an address (0x and 40 hex digits): {e}"
        ))
    })
}

/// Refuses flags that only mean something with a JSON-RPC `--anchors`.
fn refuse_chain_flags(flags: &str, given: bool) -> Result<(), CliError> {
    if given {
        return Err(CliError::Usage(format!(
            "{flags} are for a JSON-RPC --anchors (http:// or https://)"
        )));
    }
    Ok(())
}

impl AnchorSource {
    /// `--anchors` with `--contract` and `--confirmations`: a URL needs the contract's address;
    /// a log takes neither (`chain_flags` names the chain-only flags of the command, for the
    /// refusal, and `chain_flags_given` says whether any was given).
    pub fn resolve(
        anchors: &Path,
        contract: Option<&str>,
        confirmations: u64,
        chain_flags: &str,
        chain_flags_given: bool,
    ) -> Result<Self, CliError> {
        match url_of(anchors) {
            Some(url) => {
                let contract = contract.ok_or_else(|| {
                    CliError::Usage(
                        "a JSON-RPC --anchors needs --contract (the anchor contract's address)".into(),
                    )
                })?;
                Ok(Self::Chain(ChainAt {
                    url: url.to_string(),
                    contract: parse_address("--contract", contract)?,
                    confirmations,
                }))
            }
            None => {
                refuse_chain_flags(chain_flags, contract.is_some() || chain_flags_given)?;
                Ok(Self::Log(anchors.to_path_buf()))
            }
        }
    }

    /// The log, for a command that works on SQLite logs only.
    pub fn log_only(anchors: &Path) -> Result<PathBuf, CliError> {
        if let Some(url) = url_of(anchors) {
            return Err(CliError::Usage(format!(
                "{url}: this command works on a SQLite anchor log; an anchor contract on a chain is read with `zkinvoice audit --anchors URL --contract ADDRESS --vk KEY` and `zkinvoice verify --anchors URL --contract ADDRESS --vk KEY`"
            )));
        }
        Ok(anchors.to_path_buf())
    }
}

/// The verifying key a chain needs (the contract holds only its hash).
pub fn chain_vk(vk: Option<&Path>) -> Result<PathBuf, CliError> {
    vk.map(Path::to_path_buf).ok_or_else(|| {
        CliError::Usage("a JSON-RPC --anchors needs --vk (the contract holds only its hash)".into())
    })
}

/// What `verify` checks.
pub enum Input {
    /// One or more proof envelopes (several are verified in one batch).
    Envelopes(Vec<PathBuf>),
    /// An MEF 141 bill.
    Bill(PathBuf),
}

/// What `verify` checks against.
pub enum Against {
    /// A verifying key and the agreed commitments the Buyer names (each optional).
    Files {
        /// The verifying key.
        vk: PathBuf,
        /// `--msa-commit`.
        msa_commit: Option<PathBuf>,
        /// `--usage-commit`.
        usage_commit: Option<PathBuf>,
        /// `--state`.
        state: Option<PathBuf>,
    },
    /// The Buyer's anchor log (it holds the key).
    Log(PathBuf),
    /// The anchor contract, with the bilateral's verifying key.
    Chain(ChainAt, PathBuf),
}

/// `verify`, resolved.
pub struct Verify {
    /// What is checked.
    pub input: Input,
    /// The MSA the Buyer holds.
    pub msa: PathBuf,
    /// Against what.
    pub against: Against,
}

impl Verify {
    /// Resolves `verify`'s arguments.
    pub fn resolve(a: VerifyArgs) -> Result<Self, CliError> {
        let input = match a.payload {
            Some(path) => Input::Bill(path),
            None => Input::Envelopes(a.envelope),
        };
        let against = match &a.anchors {
            Some(anchors) => {
                if a.msa_commit.is_some() || a.usage_commit.is_some() || a.state.is_some() {
                    return Err(CliError::Usage(
                        "--anchors takes the agreed commitments from the anchors; drop --msa-commit, --usage-commit and --state".into(),
                    ));
                }
                if url_of(anchors).is_none() && (a.vk.is_some() || a.contract.is_some()) {
                    return Err(CliError::Usage(
                        "--anchors with a SQLite log takes the key from the log; --vk and --contract are for a JSON-RPC --anchors (http:// or https://)".into(),
                    ));
                }
                if matches!(&input, Input::Envelopes(e) if e.len() != 1) {
                    return Err(CliError::Usage(
                        "--anchors takes one --envelope; the key and the agreed commitments come from the anchors"
                            .into(),
                    ));
                }
                match AnchorSource::resolve(anchors, a.contract.as_deref(), a.confirmations, "", false)? {
                    AnchorSource::Log(path) => Against::Log(path),
                    AnchorSource::Chain(at) => Against::Chain(at, chain_vk(a.vk.as_deref())?),
                }
            }
            None => {
                let vk =
                    a.vk.ok_or_else(|| CliError::Usage("give --vk (or --anchors)".into()))?;
                if matches!(&input, Input::Envelopes(e) if e.len() > 1)
                    && (a.usage_commit.is_some() || a.state.is_some())
                {
                    return Err(CliError::Usage(
                        "--usage-commit and --state belong to one envelope; several envelopes are checked against --msa-commit only".into(),
                    ));
                }
                Against::Files {
                    vk,
                    msa_commit: a.msa_commit,
                    usage_commit: a.usage_commit,
                    state: a.state,
                }
            }
        };
        Ok(Self {
            input,
            msa: a.msa,
            against,
        })
    }
}
