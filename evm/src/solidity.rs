//! The Solidity sources: an `InvoiceVerifier` with one verifying key embedded, and the
//! `InvoiceAnchor` of a bilateral. Both are filled in from templates (`evm/templates/`),
//! deterministically: the same key gives the same bytes.

use std::fmt::Write as _;

use ark_bls12_381::{G1Affine, G2Affine};
use zkinvoice_verifier::{
    partition::PartitionSizes, CreditStatement, InvoiceStatement, InvoiceVerifyingKey, NettingHeadsStatement,
    NettingStatement, PartitionKeySet, ReconcileStatement, Statement, VerifyingKeyOf,
};

use crate::encoding::{g1_bytes, g2_bytes, G1_BYTES, G2_BYTES};

/// The verifier's file name.
pub const VERIFIER_FILE: &str = "InvoiceVerifier.sol";
/// The anchor's file name.
pub const ANCHOR_FILE: &str = "InvoiceAnchor.sol";
/// The partitioned invoices' verifier's file name.
pub const PARTITION_VERIFIER_FILE: &str = "PartitionVerifier.sol";
/// The netting verifier's file name.
pub const NETTING_VERIFIER_FILE: &str = "NettingVerifier.sol";
/// The file name of the verifier of nettings of partitioned invoices.
pub const NETTING_HEADS_VERIFIER_FILE: &str = "NettingHeadsVerifier.sol";
/// The credit-note verifier's file name.
pub const CREDIT_VERIFIER_FILE: &str = "CreditVerifier.sol";
/// The file name of the reconciliation verifier.
pub const RECONCILE_VERIFIER_FILE: &str = "ReconcileVerifier.sol";

const VERIFIER_TEMPLATE: &str = include_str!("../templates/InvoiceVerifier.sol.tmpl");
const ANCHOR_TEMPLATE: &str = include_str!("../templates/InvoiceAnchor.sol.tmpl");
const PARTITION_TEMPLATE: &str = include_str!("../templates/PartitionVerifier.sol.tmpl");
const NETTING_HEADS_TEMPLATE: &str = include_str!("../templates/NettingHeadsVerifier.sol.tmpl");

/// The anchor's `CEREMONY_TRANSCRIPT`: the transcript hash of the multi-party ceremony the key
/// comes from, so that either party may submit invoices; for a key one party made alone
/// (`zkinvoice setup`, the Buyer's), `None`, zero: only the Seller may (`NotTheSeller`), and both
/// parties register the MSA with `SINGLE_PARTY_SETUP`.
fn ceremony_constant(transcript: Option<[u8; 32]>) -> String {
    match transcript {
        Some(hash) => format!("0x{}", hex::encode(hash)),
        None => "bytes32(0)".into(),
    }
}

/// Indentation of the generated lines inside the verifier's assembly block.
const INDENT: &str = "            ";

/// Lines that store `bytes` (a multiple of 32 bytes) at `base + offset` in memory, one `mstore`
/// per 32-byte word, after a comment naming them.
fn store_words(out: &mut String, name: &str, base: &str, offset: usize, bytes: &[u8]) {
    // Writing into a String cannot fail.
    let _ = writeln!(out, "{INDENT}// {name}");
    for (i, word) in bytes.chunks(32).enumerate() {
        let at = offset + 32 * i;
        let addr = if at == 0 {
            base.to_string()
        } else {
            format!("add({base}, {at})")
        };
        let _ = writeln!(out, "{INDENT}mstore({addr}, 0x{})", hex::encode(word));
    }
}

fn g1_words(out: &mut String, name: &str, base: &str, offset: usize, p: &G1Affine) {
    store_words(out, name, base, offset, &g1_bytes(p));
}

fn g2_words(out: &mut String, name: &str, base: &str, offset: usize, p: &G2Affine) {
    store_words(out, name, base, offset, &g2_bytes(p));
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{{{name}}}}}"), value);
    }
    text
}

/// What a generated Groth16 verifier is of: its contract's name, its statement and its public
/// inputs' names in circuit order.
struct VerifierOf<'a> {
    contract: &'a str,
    statement_name: &'a str,
    statement_id: &'a str,
    inputs: &'a [&'a str],
}

/// A Groth16 verifier contract for `vk` of statement `S`: the pairing check's constant points
/// (alpha, -beta, -gamma, -delta), the public inputs' points and the key hash embedded.
fn groth16_verifier_source<S: Statement>(vk: &VerifyingKeyOf<S>, of: &VerifierOf) -> String {
    let n = of.inputs.len();
    let k = vk.as_ark();
    let pair = G1_BYTES + G2_BYTES;
    let mut pairing = String::new();
    g1_words(&mut pairing, "alpha", "m", pair, &k.alpha_g1);
    g2_words(&mut pairing, "-beta", "m", pair + G1_BYTES, &(-k.beta_g2));
    g2_words(&mut pairing, "-gamma", "m", 2 * pair + G1_BYTES, &(-k.gamma_g2));
    g2_words(&mut pairing, "-delta", "m", 3 * pair + G1_BYTES, &(-k.delta_g2));
    let mut msm = String::new();
    for (i, p) in k.gamma_abc_g1.iter().enumerate().skip(1) {
        g1_words(&mut msm, &format!("IC[{i}]"), "s", (i - 1) * (G1_BYTES + 32), p);
    }
    let mut stores = String::new();
    for i in 0..n {
        let at = i * (G1_BYTES + 32) + G1_BYTES;
        let input = if i == 0 {
            "input".to_string()
        } else {
            format!("add(input, {})", 32 * i)
        };
        let _ = writeln!(stores, "{INDENT}mstore(add(s, {at}), calldataload({input}))");
    }
    let mut ic0 = String::new();
    if let Some(p) = k.gamma_abc_g1.first() {
        g1_words(&mut ic0, "IC[0]", "a", 0, p);
    }
    let msm_len = n * (G1_BYTES + 32);
    fill(
        VERIFIER_TEMPLATE,
        &[
            ("VERSION", env!("CARGO_PKG_VERSION")),
            ("VK_HASH", &vk.hash_hex()),
            ("CONTRACT", of.contract),
            ("STATEMENT_NAME", of.statement_name),
            ("STATEMENT_ID", of.statement_id),
            ("INPUT_NAMES", &of.inputs.join(", ")),
            ("N", &n.to_string()),
            ("PAIRING_CONSTANTS", pairing.trim_end_matches('\n')),
            ("MSM_POINTS", msm.trim_end_matches('\n')),
            ("INPUT_STORES", stores.trim_end_matches('\n')),
            ("MSM_LEN", &msm_len.to_string()),
            ("ADD_OFFSET", &(4 * pair + msm_len).to_string()),
            ("IC0", ic0.trim_end_matches('\n')),
        ],
    )
}

/// `InvoiceVerifier.sol` for `vk`: the pairing check's constant points (alpha, -beta, -gamma,
/// -delta), the public inputs' points and the key hash embedded.
pub fn verifier_source(vk: &InvoiceVerifyingKey) -> String {
    groth16_verifier_source(
        vk,
        &VerifierOf {
            contract: "InvoiceVerifier",
            statement_name: "invoice",
            statement_id: InvoiceStatement::ID,
            inputs: &[
                "msaCommitment",
                "usageCommitment",
                "stateBefore",
                "stateAfter",
                "invoiceCommitment",
            ],
        },
    )
}

/// `CreditVerifier.sol` for a credit-note key (`zkinvoice/credit/v1`, six public inputs), the
/// verifier an `InvoiceAnchor` registers with `registerCreditVerifier` to record credit notes on
/// chain.
pub fn credit_verifier_source(vk: &VerifyingKeyOf<CreditStatement>) -> String {
    groth16_verifier_source(
        vk,
        &VerifierOf {
            contract: "CreditVerifier",
            statement_name: "credit-note",
            statement_id: CreditStatement::ID,
            inputs: &[
                "msaCommitment",
                "invoiceCommitment",
                "slaCommitment",
                "creditCommitment",
                "periodStart",
                "periodEnd",
            ],
        },
    )
}

/// `ReconcileVerifier.sol` for a reconciliation key (`zkinvoice/reconcile/v1`, six public inputs),
/// the verifier an `InvoiceAnchor` registers with `registerReconcileVerifier` to record
/// reconciliations and disputes on chain.
pub fn reconcile_verifier_source(vk: &VerifyingKeyOf<ReconcileStatement>) -> String {
    groth16_verifier_source(
        vk,
        &VerifierOf {
            contract: "ReconcileVerifier",
            statement_name: "reconciliation",
            statement_id: ReconcileStatement::ID,
            inputs: &[
                "msaCommitment",
                "sellerInvoice",
                "buyerInvoice",
                "over",
                "periodStart",
                "periodEnd",
            ],
        },
    )
}

/// `NettingVerifier.sol` for a netting key (`zkinvoice/netting/v1`, six public inputs), the
/// verifier an `InvoiceAnchor` registers with `registerNetting` to record nettings on chain.
pub fn netting_verifier_source(vk: &VerifyingKeyOf<NettingStatement>) -> String {
    groth16_verifier_source(
        vk,
        &VerifierOf {
            contract: "NettingVerifier",
            statement_name: "netting",
            statement_id: NettingStatement::ID,
            inputs: &[
                "firstInvoice",
                "secondInvoice",
                "netCommitment",
                "payer",
                "periodStart",
                "periodEnd",
            ],
        },
    )
}

/// `NettingHeadsVerifier.sol` for the key of the netting of partitioned invoices
/// (`zkinvoice/netting/v2`, eight public inputs): it takes the netting's six public inputs, as
/// `NettingVerifier.sol` does, and the two invoices' parts in its `proof`
/// ([`crate::encoding::netting_heads_calldata`]); it recomputes each invoice commitment from its
/// parts (SHA-256), so an `InvoiceAnchor` registers it with `registerNetting` as it registers v1's.
pub fn netting_heads_verifier_source(vk: &VerifyingKeyOf<NettingHeadsStatement>) -> String {
    fill(
        NETTING_HEADS_TEMPLATE,
        &[
            ("VERSION", env!("CARGO_PKG_VERSION")),
            ("VK_HASH", &vk.hash_hex()),
            ("KEY", &key_hex(vk)),
        ],
    )
}

/// `InvoiceAnchor.sol`, to be deployed with the verifier of the key whose hash is `vk_hash` (the
/// anchor reads the key hash from the verifier; the source names it in its header only).
/// `transcript`: the hash of the ceremony's transcript the key comes from (either party may then
/// submit invoices), or `None` for one party's setup (only the Seller may).
pub fn anchor_source(vk_hash: &str, transcript: Option<[u8; 32]>) -> String {
    fill(
        ANCHOR_TEMPLATE,
        &[
            ("VERSION", env!("CARGO_PKG_VERSION")),
            ("VK_HASH", vk_hash),
            ("CEREMONY_TRANSCRIPT", &ceremony_constant(transcript)),
        ],
    )
}

/// Both sources with their file names: `[(VERIFIER_FILE, ..), (ANCHOR_FILE, ..)]`; `transcript`
/// as for [`anchor_source`].
pub fn sources(vk: &InvoiceVerifyingKey, transcript: Option<[u8; 32]>) -> [(&'static str, String); 2] {
    [
        (VERIFIER_FILE, verifier_source(vk)),
        (ANCHOR_FILE, anchor_source(&vk.hash_hex(), transcript)),
    ]
}

/// A key in the partition verifier's form: `alpha || -beta || -gamma || -delta || IC[0..]`, the
/// points in the EIP-2537 encoding, as hex.
fn key_hex<S: Statement>(vk: &VerifyingKeyOf<S>) -> String {
    let k = vk.as_ark();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&g1_bytes(&k.alpha_g1));
    for p in [-k.beta_g2, -k.gamma_g2, -k.delta_g2] {
        bytes.extend_from_slice(&g2_bytes(&p));
    }
    for p in &k.gamma_abc_g1 {
        bytes.extend_from_slice(&g1_bytes(p));
    }
    hex::encode(bytes)
}

/// `PartitionVerifier.sol` for a partition shape's key set (`shape` its name, `sizes` its sizes):
/// the three keys and the sizes embedded, with the `InvoiceVerifier`'s interface, so that an
/// `InvoiceAnchor` deployed with it anchors partitioned invoices.
pub fn partition_verifier_source(set: &PartitionKeySet, shape: &str, sizes: PartitionSizes) -> String {
    fill(
        PARTITION_TEMPLATE,
        &[
            ("VERSION", env!("CARGO_PKG_VERSION")),
            ("VK_HASH", &set.hash_hex()),
            ("SHAPE", shape),
            ("PB", &sizes.block_products.to_string()),
            ("T", &sizes.tiers.to_string()),
            ("UC", &sizes.chunk_records.to_string()),
            ("BLOCK_KEY", &key_hex(&set.block)),
            ("CHUNK_KEY", &key_hex(&set.chunk)),
            ("LINK_KEY", &key_hex(&set.link)),
        ],
    )
}

/// The partition verifier and the anchor, with their file names; `transcript` as for
/// [`anchor_source`].
pub fn partition_sources(
    set: &PartitionKeySet,
    shape: &str,
    sizes: PartitionSizes,
    transcript: Option<[u8; 32]>,
) -> [(&'static str, String); 2] {
    [
        (
            PARTITION_VERIFIER_FILE,
            partition_verifier_source(set, shape, sizes),
        ),
        (ANCHOR_FILE, anchor_source(&set.hash_hex(), transcript)),
    ]
}
