//! Shared loaders: every input file a command reads, parsed and validated into the library's
//! types, each refusal naming the file.

use std::path::Path;

use zkinvoice_anchors::{AnchorLog, PartyPublic, PartySecret, Proposal};
use zkinvoice_circuits::{
    commit::{self, sla::SlaCommitDoc, MsaCommitDoc, StateDoc, StateOpening},
    model::{
        msa::MsaDoc,
        performance::{Sla, SlaDoc},
    },
    Commitment, Layout, Msa, Period, Salt, Shape, Usage, UsageFormat,
};
use zkinvoice_evm::{chain::address_of_key, Address};
use zkinvoice_verifier::{
    InvoiceVerifyingKey, InvoiceVerifyingKeys, NettingHeadsStatement, NettingStatement, PreparedInvoiceKeys,
    Statement, VerifyingKeyOf,
};

use crate::{
    error::{anchor_err, CliError},
    io::{read_json, read_text},
    resolve::parse_address,
};

/// 32 bytes from 64 hex digits (a hash or digest in a manifest, an entry or a pinned table).
pub fn hash32(text: &str) -> Option<[u8; 32]> {
    hex::decode(text).ok().and_then(|b| b.try_into().ok())
}

/// Reads and validates an MSA.
pub fn msa(path: &Path) -> Result<Msa, CliError> {
    let doc: MsaDoc = read_json(path)?;
    Msa::from_doc(&doc).map_err(|e| CliError::input(path, e))
}

/// Reads and validates usage (JSON or CSV) against an MSA, aggregated if asked.
pub fn usage(
    path: &Path,
    msa: &Msa,
    period: Option<Period>,
    aggregate_days: Option<u32>,
) -> Result<Usage, CliError> {
    let text = read_text(path)?;
    let format = UsageFormat::detect(&path.to_string_lossy(), &text);
    let usage = Usage::parse(&text, format, msa, period).map_err(|e| CliError::input(path, e))?;
    match aggregate_days {
        Some(days) => usage
            .aggregated(days)
            .map_err(|e| CliError::Usage(format!("--aggregate-days: {e}"))),
        None => Ok(usage),
    }
}

/// Reads and validates SLA performance records against an MSA.
pub fn sla(path: &Path, msa: &Msa) -> Result<Sla, CliError> {
    let doc: SlaDoc = read_json(path)?;
    Sla::from_doc(&doc, msa).map_err(|e| CliError::input(path, e))
}

/// Reads an SLA commitment file and checks that it opens to `sla` under `msa` and its
/// commitment; returns its salt.
pub fn sla_commit(path: &Path, msa: &Msa, msa_commitment: Commitment, sla: &Sla) -> Result<Salt, CliError> {
    let doc: SlaCommitDoc = read_json(path)?;
    let shape: Shape = doc.shape.parse().map_err(|e| CliError::input(path, e))?;
    let salt: Salt = doc.salt.parse().map_err(|e| CliError::input(path, e))?;
    let c = commit::sla::sla_commitment(msa_commitment, msa, sla, shape, &salt)
        .map_err(|e| CliError::input(path, e))?;
    if c != doc.commitment || doc.msa_commitment != msa_commitment {
        return Err(CliError::Mismatch(format!(
            "{}: the commitment does not open to these SLA records under this MSA commitment (other records, another MSA or an edited file)",
            path.display()
        )));
    }
    Ok(salt)
}

/// A salt from the command line, or a fresh one.
pub fn salt_or_random(arg: Option<&str>) -> Result<Salt, CliError> {
    match arg {
        Some(hex) => hex.parse().map_err(|e| CliError::Usage(format!("--salt: {e}"))),
        None => Ok(Salt::random(&mut rand::rngs::OsRng)),
    }
}

/// Reads an MSA commitment file and checks that it opens to `msa`.
pub fn msa_commit(path: &Path, msa: &Msa) -> Result<(Layout, Commitment, Salt), CliError> {
    let doc: MsaCommitDoc = read_json(path)?;
    let shape: Layout = doc.shape.parse().map_err(|e| CliError::input(path, e))?;
    let salt: Salt = doc.salt.parse().map_err(|e| CliError::input(path, e))?;
    let c = commit::msa_commitment(msa, shape, &salt).map_err(|e| CliError::input(path, e))?;
    if c != doc.commitment {
        return Err(CliError::Mismatch(format!(
            "{}: the commitment does not open to this MSA (another MSA, an edited file, or a file made under an earlier encoding)",
            path.display()
        )));
    }
    Ok((shape, c, salt))
}

/// Reads a state file and checks that it belongs to `msa` and opens.
pub fn state(path: &Path, msa: &Msa) -> Result<StateOpening, CliError> {
    let doc: StateDoc = read_json(path)?;
    StateOpening::from_doc(msa, &doc).map_err(|e| CliError::input(path, e))
}

/// Reads a verifying key file.
pub fn vk(path: &Path) -> Result<InvoiceVerifyingKey, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        file: path.into(),
        source,
    })?;
    InvoiceVerifyingKey::from_bytes(&bytes).map_err(|e| {
        CliError::input(
            path,
            zkinvoice_circuits::Error::invalid("verifying key", e.to_string()),
        )
    })
}

/// Reads the verifying key(s) `path` names: a verifying key file (v1), or a partition shape's key
/// manifest (`partition-X.json`, v2: its three keys, checked against the manifest and this
/// build's circuits).
pub fn keys(path: &Path) -> Result<InvoiceVerifyingKeys, CliError> {
    Ok(match partition_keys(path)? {
        Some((_, set)) => set.into(),
        None => vk(path)?.into(),
    })
}

/// The partition shape and key set of a partition key manifest (`partition-X.json`), or `None`
/// when `path` is another file (a verifying key).
pub fn partition_keys(
    path: &Path,
) -> Result<
    Option<(
        zkinvoice_circuits::partition::PartitionShape,
        zkinvoice_verifier::PartitionKeySet,
    )>,
    CliError,
> {
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        file: path.into(),
        source,
    })?;
    if bytes.first() != Some(&b'{') {
        return Ok(None);
    }
    Ok(Some(zkinvoice_prover::partition::verifying::load_verifying(
        path,
    )?))
}

/// Reads and prepares the verifying key(s) `path` names ([`keys`]).
pub fn prepared_keys(path: &Path) -> Result<PreparedInvoiceKeys, CliError> {
    Ok(keys(path)?.prepare())
}

/// Reads a party's public key file (`NAME.pub`).
pub fn public_key(path: &Path) -> Result<PartyPublic, CliError> {
    let text = read_text(path)?;
    PartyPublic::from_hex(text.trim()).map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))
}

/// Reads a party's signing key file (`NAME.key`).
pub fn secret_key(path: &Path) -> Result<PartySecret, CliError> {
    PartySecret::read_file(path).map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))
}

/// Reads a proposal file.
pub fn proposal(path: &Path) -> Result<Proposal, CliError> {
    Proposal::from_json(&read_text(path)?).map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))
}

/// Opens an existing anchor log.
pub fn log(path: &Path) -> Result<AnchorLog, CliError> {
    if !path.exists() {
        return Err(CliError::Read {
            file: path.into(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no anchor log (create it with `zkinvoice anchors init`)",
            ),
        });
    }
    AnchorLog::open(path).map_err(anchor_err)
}

/// Reads a secp256k1 key file (`NAME.eth.key` from `keygen --chain`), checked to hold a key.
pub fn eth_key(path: &Path) -> Result<String, CliError> {
    let key = read_text(path)?;
    address_of_key(&key).map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))?;
    Ok(key)
}

/// An address given on the command line, or the file holding it (`NAME.eth.addr` from
/// `keygen --chain`).
pub fn address(what: &str, arg: &Path) -> Result<Address, CliError> {
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

/// Reads a contract's creation code: hex (as `solc --bin` writes it), optionally after `0x`.
pub fn creation_code(path: &Path) -> Result<Vec<u8>, CliError> {
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

/// A bearer token from its file: one line of visible characters.
pub fn token(path: Option<&Path>) -> Result<Option<String>, CliError> {
    let Some(path) = path else { return Ok(None) };
    let t = read_text(path)?.trim().to_string();
    if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CliError::Mismatch(format!(
            "{}: a bearer token is one line of visible characters",
            path.display()
        )));
    }
    Ok(Some(t))
}

/// The ceremony the verifying key(s) at `path` come from, as their manifest records it: a
/// partition key manifest's `ceremony`, or, for a v1 key file (`invoice-X.vk`), that of the
/// manifest beside it (`invoice-X.json`), which must name the file's hash. `None` when the
/// manifest records none (a single-party `setup`) or a v1 key has no manifest beside it.
pub fn ceremony_of(path: &Path) -> Result<Option<zkinvoice_prover::CeremonyRecord>, CliError> {
    use zkinvoice_prover::{partition::PartitionManifest, KeyManifest};
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        file: path.into(),
        source,
    })?;
    if bytes.first() == Some(&b'{') {
        let m: PartitionManifest = read_json(path)?;
        return Ok(m.ceremony);
    }
    let manifest = path.with_extension("json");
    if !manifest.exists() {
        return Ok(None);
    }
    let m: KeyManifest = read_json(&manifest)?;
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    if m.verifying_key.sha256 != hash {
        return Err(CliError::Mismatch(format!(
            "{}: verifyingKey.sha256 is {}, not the hash of {} ({hash})",
            manifest.display(),
            m.verifying_key.sha256,
            path.display()
        )));
    }
    Ok(m.ceremony)
}

/// How the keys at `path` were made, for `msa-agreed`: the multi-party ceremony their manifest
/// records ([`ceremony_of`]), or, only when `single_party` is set (both parties then sign that
/// they accept it), a single-party setup. Refused: keys without a multi-party ceremony and
/// without `single_party`, and `single_party` for keys of a multi-party ceremony.
pub fn key_setup(path: &Path, single_party: bool) -> Result<zkinvoice_anchors::KeySetup, CliError> {
    use zkinvoice_anchors::KeySetup;
    match (ceremony_of(path)?, single_party) {
        (Some(c), false) if c.multi_party => Ok(KeySetup::ceremony(c.transcript_hash, c.contributors)),
        (Some(c), true) if c.multi_party => Err(CliError::Usage(format!(
            "{}: the keys come from the multi-party ceremony {} (by {}); --single-party-setup is for keys one party made alone",
            path.display(),
            c.transcript_hash,
            c.contributors.join(", ")
        ))),
        (_, true) => Ok(KeySetup::SingleParty),
        (c, false) => Err(CliError::Usage(format!(
            "{}: {}, so the party that made them could forge proofs; make them in a ceremony (`zkinvoice ceremony`, docs/ceremony.md), or pass --single-party-setup if both parties accept that",
            path.display(),
            match c {
                Some(c) => format!("the keys' ceremony had one contributor ({})", c.contributors.join(", ")),
                None => "the keys record no multi-party ceremony (a single-party `zkinvoice setup`)".into(),
            }
        ))),
    }
}

/// The verifying key of statement `S` (netting, credit notes) in `path`. Keys of statements with
/// as many public inputs look alike: the manifest beside the key (`setup` writes `netting-X.json`
/// beside `netting-X.vk`), if there is one, must name `S`.
pub fn statement_vk<S: Statement>(path: &Path) -> Result<VerifyingKeyOf<S>, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        file: path.to_path_buf(),
        source,
    })?;
    let not_of = |why: String| {
        CliError::input(
            path,
            zkinvoice_circuits::Error::invalid("verifying key", format!("not a key of {}: {why}", S::ID)),
        )
    };
    let vk = VerifyingKeyOf::<S>::from_bytes(&bytes).map_err(|e| not_of(e.to_string()))?;
    let manifest = path.with_extension("json");
    if let Ok(text) = std::fs::read_to_string(&manifest) {
        let named = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["statement"].as_str().map(str::to_string));
        if let Some(named) = named.filter(|s| s != S::ID) {
            return Err(not_of(format!(
                "its manifest {} names {named}",
                manifest.display()
            )));
        }
    }
    Ok(vk)
}

/// A netting key: v1's (`netting-X.vk`, six public inputs) or the netting of partitioned
/// invoices' (`netting-v2-heads.vk`, eight).
pub enum NettingVk {
    /// `zkinvoice/netting/v1`.
    V1(VerifyingKeyOf<NettingStatement>),
    /// `zkinvoice/netting/v2`.
    Heads(VerifyingKeyOf<NettingHeadsStatement>),
}

/// The netting key in `path`, of either statement (refused as v1's key when it is neither).
pub fn netting_vk(path: &Path) -> Result<NettingVk, CliError> {
    statement_vk::<NettingStatement>(path)
        .map(NettingVk::V1)
        .or_else(|e| {
            statement_vk::<NettingHeadsStatement>(path)
                .map(NettingVk::Heads)
                .map_err(|_| e)
        })
}
