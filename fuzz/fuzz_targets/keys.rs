//! Keys and their manifests (`--vk invoice-X.vk`, `prove --params DIR`): the options byte picks
//! the file, the rest is its content.
//!
//! * 0: a verifying key, `InvoiceVerifyingKey::from_bytes` (a valid key must re-encode to the same
//!   bytes and prepare);
//! * 1: a key manifest `invoice-X.json`, through `zkinvoice_prover::keys::read_manifest` for
//!   each shape;
//! * 2: a proving key `invoice-S.pk`, through `InvoiceKeys::load` with the fixture verifying key
//!   and a manifest that lists both files with their true sizes and hashes (as the Buyer who made
//!   the keys writes it), so the proving key is deserialised;
//! * 3: a statement's constraint matrices `invoice-X.r1cs` (circom's format), through
//!   `R1cs::read_circom` (what key loading reads): what it accepts must write back to the same
//!   bytes and satisfy its own digest.
#![no_main]

use std::{fs, path::PathBuf, sync::OnceLock};

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::{
    statement::{r1cs::circom, R1cs},
    Shape,
};
use zkinvoice_fuzz::{temp_dir, VK_BYTES};
use zkinvoice_prover::{
    keys::{expected_digest, file_names, read_manifest},
    InvoiceKeys, KeyManifest,
};
use zkinvoice_verifier::InvoiceVerifyingKey;

/// This process's directory for the files the loaders read.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| temp_dir("zkinvoice-fuzz-keys-"))
}

fn load_proving_key(pk: &[u8]) {
    let shape = Shape::S;
    let [pk_name, vk_name, manifest_name] = file_names(shape);
    let manifest = KeyManifest::of_files(shape, expected_digest(shape), pk, VK_BYTES);
    let dir = dir();
    fs::write(dir.join(&pk_name), pk).expect("writes");
    fs::write(dir.join(&vk_name), VK_BYTES).expect("writes");
    let json = serde_json::to_vec(&manifest).expect("a manifest serialises");
    fs::write(dir.join(&manifest_name), json).expect("writes");
    let _ = InvoiceKeys::load(dir, shape);
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, content)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => {
            if let Ok(vk) = InvoiceVerifyingKey::from_bytes(content) {
                assert_eq!(vk.to_bytes(), content, "a key re-encodes to other bytes");
                let _ = vk.prepare();
            }
        }
        1 => {
            let path = dir().join("manifest.json");
            fs::write(&path, content).expect("writes");
            for shape in Shape::ALL {
                let _ = read_manifest(&path, shape);
            }
        }
        2 => load_proving_key(content),
        _ => {
            if let Ok(r1cs) = R1cs::read_circom("fuzz", content, content.len() as u64) {
                assert_eq!(
                    circom::r1cs_file(&r1cs),
                    content,
                    "matrices write back to other bytes"
                );
            }
        }
    }
});
