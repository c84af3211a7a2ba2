//! Anchor logs the targets write into (`proposal`, `jsonl_import`): one per process, in a
//! [`temp_dir`], put back to its starting point after any input that wrote to it, so every input
//! meets the same log.

use std::{
    fs,
    path::{Path, PathBuf},
};

use zkinvoice_anchors::AnchorLog;

use crate::{buyer, seller, temp_dir};

/// The export (JSON lines) of the seeded bilateral's agreed entries: `msa-agreed` and both
/// months' `usage-agreed`.
pub const AGREED_JSONL: &[u8] = include_bytes!("../fixtures/agreed.jsonl");

/// A log of the fixture parties that is put back to its start after each write.
pub struct ScratchLog {
    path: PathBuf,
    template: Option<PathBuf>,
    log: Option<AnchorLog>,
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

impl ScratchLog {
    /// A log with no entries.
    pub fn empty() -> Self {
        let dir = temp_dir("zkinvoice-fuzz-log-");
        let mut s = Self {
            path: dir.join("log.db"),
            template: None,
            log: None,
        };
        s.reset();
        s
    }

    /// A log holding [`AGREED_JSONL`].
    pub fn agreed() -> Self {
        let dir = temp_dir("zkinvoice-fuzz-log-");
        let template = dir.join("agreed.db");
        {
            let log = AnchorLog::create(&template, &seller().public(), &buyer().public()).expect("a log");
            log.import_jsonl(&mut &AGREED_JSONL[..])
                .expect("fixtures/agreed.jsonl imports");
        }
        // Closing the last connection checkpoints the WAL into the file: the file is the log.
        let mut s = Self {
            path: dir.join("log.db"),
            template: Some(template),
            log: None,
        };
        s.reset();
        s
    }

    /// The log.
    pub fn log(&self) -> &AnchorLog {
        self.log.as_ref().expect("open between resets")
    }

    /// Puts the log back to its start.
    pub fn reset(&mut self) {
        self.log = None;
        remove(&self.path);
        self.log = Some(match &self.template {
            Some(t) => {
                fs::copy(t, &self.path).expect("copies the template");
                AnchorLog::open(&self.path).expect("the template opens")
            }
            None => AnchorLog::create(&self.path, &seller().public(), &buyer().public()).expect("a log"),
        });
    }
}
