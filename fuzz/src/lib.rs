//! What the fuzz targets share: the example MSA, the fixed keys of the seeded bilateral the corpus
//! was made from (`tests/tests/fuzz_seeds.rs` writes the corpus and `fixtures/`), and the framing
//! of inputs that carry options.
//!
//! Most targets read their input as one options byte followed by the file or body itself
//! ([`options_and_text`]): the options pick what the CLI or the service would pass with the file
//! (a period, an aggregation, a mode), so one corpus holds every way the parser is called.

pub mod logs;
pub mod sla;
pub mod usage;

use std::{
    path::{Path, PathBuf},
    sync::{Mutex, OnceLock},
};

use zkinvoice_anchors::PartySecret;
use zkinvoice_circuits::partition::PartitionShape;
use zkinvoice_circuits::{Msa, Period, Salt};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::reconcile::partitioned::ReconcileVerifyingKeys;
use zkinvoice_verifier::{
    partition::reconcile::{ReconcileBlockStatement, ReconcileKeySet, ReconcileLinkStatement},
    InvoiceVerifyingKey, PreparedInvoiceKeys, PreparedKeyOf, ReconcileStatement, VerifyingKeyOf,
};

/// The example MSA (`examples/msa.json`): every target that needs an MSA validates against it.
pub const MSA_JSON: &str = include_str!("../../examples/msa.json");

/// The verifying key (shape S) of the seeded bilateral: the corpus's envelopes, bills, proposals
/// and log entries are proved under it.
pub const VK_BYTES: &[u8] = include_bytes!("../fixtures/invoice-S.vk");

/// October's bill of the seeded bilateral, for the targets that match queries against a bill.
pub const BILL_JSON: &str = include_str!("../fixtures/bill-2026-10.json");

/// The example MSA, validated.
pub fn msa() -> &'static Msa {
    static MSA: OnceLock<Msa> = OnceLock::new();
    MSA.get_or_init(|| Msa::from_json(MSA_JSON).expect("the example MSA"))
}

/// The fixture verifying key, prepared (as the checks take keys of either protocol).
pub fn vk() -> &'static PreparedInvoiceKeys {
    static VK: OnceLock<PreparedInvoiceKeys> = OnceLock::new();
    VK.get_or_init(|| {
        InvoiceVerifyingKey::from_bytes(VK_BYTES)
            .expect("fixtures/invoice-S.vk")
            .prepare()
            .into()
    })
}

/// The reconciliation statement's verifying key (shape S) of the seeded bilateral, prepared.
pub fn reconcile_v1_vk() -> &'static PreparedKeyOf<ReconcileStatement> {
    static VK: OnceLock<PreparedKeyOf<ReconcileStatement>> = OnceLock::new();
    VK.get_or_init(|| {
        VerifyingKeyOf::<ReconcileStatement>::from_bytes(include_bytes!("../fixtures/reconcile-S.vk"))
            .expect("fixtures/reconcile-S.vk")
            .prepare()
    })
}

/// The seeded reconciliation keys of partitioned invoices (partition shape PS), prepared, with
/// the hash naming them.
pub fn reconcile_v2_vks() -> &'static ReconcileVerifyingKeys {
    static VKS: OnceLock<ReconcileVerifyingKeys> = OnceLock::new();
    VKS.get_or_init(|| {
        let block = VerifyingKeyOf::<ReconcileBlockStatement>::from_bytes(include_bytes!(
            "../fixtures/reconcile-v2-block-PS.vk"
        ))
        .expect("fixtures/reconcile-v2-block-PS.vk");
        let link = VerifyingKeyOf::<ReconcileLinkStatement>::from_bytes(include_bytes!(
            "../fixtures/reconcile-v2-link-link.vk"
        ))
        .expect("fixtures/reconcile-v2-link-link.vk");
        ReconcileVerifyingKeys {
            shape: PartitionShape::PS,
            keys: ReconcileKeySet { block, link }.prepare(),
        }
    })
}

/// The fixture bill.
pub fn bill() -> &'static CustomerBill {
    static BILL: OnceLock<CustomerBill> = OnceLock::new();
    BILL.get_or_init(|| serde_json::from_str(BILL_JSON).expect("fixtures/bill-2026-10.json"))
}

/// The Seller's signing key of the seeded bilateral (the testkit's too).
pub fn seller() -> &'static PartySecret {
    static KEY: OnceLock<PartySecret> = OnceLock::new();
    KEY.get_or_init(|| PartySecret::from_bytes(&[1; 32]))
}

/// The Buyer's signing key of the seeded bilateral.
pub fn buyer() -> &'static PartySecret {
    static KEY: OnceLock<PartySecret> = OnceLock::new();
    KEY.get_or_init(|| PartySecret::from_bytes(&[2; 32]))
}

/// A fixed salt, for the commitments a target computes itself.
pub fn salt() -> Salt {
    "5a".repeat(31).parse().expect("62 hex digits")
}

/// A temporary directory for this process's files, removed when libFuzzer exits normally (kept
/// after a crash): in `/dev/shm` where there is one, so that writing and SQLite's syncs cost no
/// disk I/O.
pub fn temp_dir(prefix: &str) -> PathBuf {
    static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    extern "C" fn remove_dirs() {
        for dir in DIRS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        b.tempdir_in(shm)
    } else {
        b.tempdir()
    };
    let dir = dir.expect("a temporary directory").keep();
    let mut dirs = DIRS.lock().unwrap_or_else(|e| e.into_inner());
    if dirs.is_empty() {
        // SAFETY: `remove_dirs` is a plain function that stays valid until the process ends.
        unsafe { libc::atexit(remove_dirs) };
    }
    dirs.push(dir.clone());
    dir
}

/// The options byte and the rest of the input as UTF-8 text; `None` for an empty input or text
/// that is not UTF-8 (the CLI refuses such a file before parsing it, the services answer 400).
pub fn options_and_text(data: &[u8]) -> Option<(u8, &str)> {
    let (&options, rest) = data.split_first()?;
    Some((options, std::str::from_utf8(rest).ok()?))
}

/// The period passed with a usage file (`--period`), from the two low bits of the options: none,
/// or one of the example months (October, November, December 2026).
pub fn period(options: u8) -> Option<Period> {
    let text = match options & 3 {
        0 => return None,
        1 => "2026-10-01..2026-11-01",
        2 => "2026-11-01..2026-12-01",
        _ => "2026-12-01..2027-01-01",
    };
    Some(text.parse().expect("a period"))
}

/// Replaces each signature's key and value with the fixture key of its role signing `body` (the
/// roles stay the fuzzer's), so that a mutated body still carries valid signatures and the checks
/// after the signatures are reached.
pub fn resign(body: &zkinvoice_anchors::Body, signatures: &mut [zkinvoice_anchors::Signature]) {
    use zkinvoice_anchors::{Role, Signature};
    for s in signatures {
        let key = match s.role {
            Role::Seller => seller(),
            Role::Buyer => buyer(),
        };
        *s = Signature::new(s.role, key, body);
    }
}
