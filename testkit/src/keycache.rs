//! The fixtures' Groth16 keys, kept on disk between the test binaries of one build.
//!
//! Each test binary makes its fixtures once ([`crate::bilateral`], [`crate::credited`], …), and
//! about twenty binaries make the same keys from the same seeded stream: a setup at shape S takes
//! seconds, loading its files tens of milliseconds. [`setup`] makes the keys once per build
//! directory (`target/<profile>/testkit-keys/`) and loads them in every later binary.
//!
//! The keys are the same either way, and so is everything drawn after them: a cache entry is
//! named by the fixture, the shape, the stream's seed and its position before the setup, and
//! keeps the position after it, which a load restores ([`ChaCha20Rng::set_word_pos`]). The key
//! files are the library's own (`write`, `load`), so a load checks them as any key directory is
//! checked: each file's size and SHA-256 against its manifest, and the manifest's circuit digest
//! against this build's (`params/shapes.json`). An entry that fails to load (an older circuit, a
//! damaged file) is made again. Entries appear whole: written into a directory of their own,
//! then renamed into place.
//!
//! Keys loaded from files keep only what proving needs (they cannot be written again); a test
//! that needs the key files copies them from [`Made::dir`] ([`copy_files`]).

use std::{
    fs,
    path::{Path, PathBuf},
};

use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::Shape;
use zkinvoice_prover::{
    lifecycle::{Lifecycle, StatementKeys},
    InvoiceKeys, ProverError,
};

/// Keys whose files the cache can keep.
pub trait KeyFiles: Sized {
    /// Writes the key files into `dir`.
    fn write_files(&self, dir: &Path) -> Result<(), ProverError>;
    /// Loads the keys of `shape` from `dir`, checked.
    fn load_files(dir: &Path, shape: Shape) -> Result<Self, ProverError>;
}

impl KeyFiles for InvoiceKeys {
    fn write_files(&self, dir: &Path) -> Result<(), ProverError> {
        self.write(dir, false).map(drop)
    }
    fn load_files(dir: &Path, shape: Shape) -> Result<Self, ProverError> {
        Self::load(dir, shape)
    }
}

impl<L: Lifecycle> KeyFiles for StatementKeys<L> {
    fn write_files(&self, dir: &Path) -> Result<(), ProverError> {
        self.write(dir, false).map(drop)
    }
    fn load_files(dir: &Path, shape: Shape) -> Result<Self, ProverError> {
        Self::load(dir, shape)
    }
}

/// Keys from [`setup`], and the directory holding their files.
pub struct Made<K> {
    /// The keys.
    pub keys: K,
    /// The cache entry's directory: the key files and their manifest.
    pub dir: PathBuf,
}

/// The file of an entry holding the stream's word position after the setup.
const AFTER: &str = "rng-after";

/// Keys of `shape` made by `make` from `rng` (a fixture's `name`, unique per fixture and key),
/// loaded from the build's cache when an earlier binary made them; either way `rng` is left
/// where `make` leaves it.
pub fn setup<K: KeyFiles>(
    name: &str,
    shape: Shape,
    rng: &mut ChaCha20Rng,
    make: impl FnOnce(&mut ChaCha20Rng) -> Result<K, ProverError>,
) -> Made<K> {
    let dir = root().join(format!(
        "{name}-{}-{}-{}-{}",
        shape.name,
        hex::encode(&rng.get_seed()[..8]),
        rng.get_stream(),
        rng.get_word_pos()
    ));
    if let Some(keys) = load(&dir, shape, rng) {
        return Made { keys, dir };
    }
    let keys = make(rng).expect("a fixture's setup");
    let tmp = root().join(format!(
        ".{}-{}",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("keys"),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&tmp);
    keys.write_files(&tmp).expect("the fixture's keys written");
    fs::write(tmp.join(AFTER), rng.get_word_pos().to_string()).expect("the stream's position written");
    // Another binary may have made the entry meanwhile (the same files): either is kept.
    let _ = fs::remove_dir_all(&dir);
    if fs::rename(&tmp, &dir).is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    Made { keys, dir }
}

/// The entry at `dir`, if it loads; `rng` moved past its setup. An entry that does not load is
/// removed.
fn load<K: KeyFiles>(dir: &Path, shape: Shape, rng: &mut ChaCha20Rng) -> Option<K> {
    if !dir.exists() {
        return None;
    }
    let after = fs::read_to_string(dir.join(AFTER))
        .ok()
        .and_then(|s| s.trim().parse::<u128>().ok());
    match (after, K::load_files(dir, shape)) {
        (Some(after), Ok(keys)) => {
            rng.set_word_pos(after);
            Some(keys)
        }
        _ => {
            let _ = fs::remove_dir_all(dir);
            None
        }
    }
}

/// Copies the key files of the entry at `dir` (a [`Made::dir`]) into `to` (created if missing),
/// for a test that hands the keys to the command line.
pub fn copy_files(dir: &Path, to: &Path) {
    fs::create_dir_all(to).expect("the key directory");
    for e in fs::read_dir(dir).expect("the cache entry") {
        let e = e.expect("an entry's file");
        if e.file_name() != AFTER {
            fs::copy(e.path(), to.join(e.file_name())).expect("a key file copied");
        }
    }
}

/// `target/<profile>/testkit-keys/` of the running test binary (`target/<profile>/deps/<binary>`),
/// created if missing.
fn root() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("a test binary under target/<profile>/deps");
    let root = profile.join("testkit-keys");
    fs::create_dir_all(&root).expect("the key cache's directory");
    root
}

#[cfg(test)]
mod tests {
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use zkinvoice_prover::netting::NettingKeys;

    use super::*;

    /// A second setup from the same stream loads the first's files: the same keys, and the stream
    /// left where the setup leaves it (the next draw equal).
    #[test]
    fn a_cached_setup_is_the_setup() {
        let name = format!("keycache-test-{}", std::process::id());
        let make = |rng: &mut ChaCha20Rng| NettingKeys::generate(Shape::S, rng);
        let mut a = ChaCha20Rng::seed_from_u64(7);
        let first = setup(&name, Shape::S, &mut a, make);
        let mut fresh = ChaCha20Rng::seed_from_u64(7);
        let direct = make(&mut fresh).expect("setup");
        let mut b = ChaCha20Rng::seed_from_u64(7);
        let second = setup(&name, Shape::S, &mut b, |_| panic!("not made again"));
        assert_eq!(first.dir, second.dir);
        for k in [&first.keys, &second.keys] {
            assert_eq!(k.verifying_key().to_bytes(), direct.verifying_key().to_bytes());
        }
        let next = fresh.next_u64();
        assert_eq!((a.next_u64(), b.next_u64()), (next, next));
        // A damaged entry is made again.
        fs::write(first.dir.join("netting-S.vk"), b"not a key").expect("damaged");
        let mut c = ChaCha20Rng::seed_from_u64(7);
        let third = setup(&name, Shape::S, &mut c, make);
        assert_eq!(
            third.keys.verifying_key().to_bytes(),
            direct.verifying_key().to_bytes()
        );
        assert_eq!(c.next_u64(), next);
        fs::remove_dir_all(&first.dir).expect("removed");
    }
}
