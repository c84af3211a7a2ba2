//! Continuing another ceremony's phase 1: its records and latest accumulator copied into a new
//! ceremony (phase 1 does not depend on the circuits, so one phase 1 serves every statement of
//! its size or smaller, and a later bilateral can build on an earlier one's).

use std::{fs, path::Path};

use rand::RngCore;

use crate::{
    record::Phase1Record,
    steps::Phase1,
    transcript::{file_err, read_header, records, Ceremony},
    CeremonyError,
};

impl Ceremony {
    /// Copies the phase 1 of the ceremony in `from` into this new one (of the same power, with
    /// no contribution yet), then verifies it here.
    pub fn import_phase1(&self, from: &Path, rng: &mut impl RngCore) -> Result<Phase1, CeremonyError> {
        let theirs = read_header(from)?;
        if theirs.power != self.header.power {
            return Err(CeremonyError::State(format!(
                "{}: a phase 1 of 2^{}, this ceremony's is 2^{}",
                from.display(),
                theirs.power,
                self.header.power
            )));
        }
        let ours = self.dir.join("phase1");
        if !records::<Phase1Record>(&ours)?.is_empty() {
            return Err(CeremonyError::State(
                "this ceremony's phase 1 already has contributions".into(),
            ));
        }
        let source = from.join("phase1");
        let recs = records::<Phase1Record>(&source)?;
        let mut files: Vec<String> = recs
            .iter()
            .map(|(f, _)| {
                f.file_name()
                    .expect("a record file")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.extend(recs.last().map(|(_, r)| r.accumulator.file.clone()));
        for name in files {
            if name.contains(['/', '\\']) || name.starts_with('.') {
                return Err(file_err(
                    &source.join(&name),
                    "not a file of the transcript's directory",
                ));
            }
            fs::copy(source.join(&name), ours.join(&name))
                .map_err(|e| file_err(&source.join(&name), format!("cannot copy: {e}")))?;
        }
        self.verify_phase1(rng)
    }
}
