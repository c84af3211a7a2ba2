//! Reading inputs and writing outputs: every output is complete or absent.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use crate::error::CliError;

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let bytes = fs::read(path).map_err(|source| CliError::Read {
        file: path.into(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        CliError::input(
            path,
            zkinvoice_circuits::Error::invalid(
                "content",
                format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
            ),
        )
    })
}

/// Parses a JSON file into `T`, naming the file on error.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CliError> {
    let text = read_text(path)?;
    zkinvoice_circuits::model::from_json(&text).map_err(|e| CliError::input(path, e))
}

/// Outputs to write together: all are written, or none.
#[derive(Default)]
pub struct Outputs {
    files: Vec<(PathBuf, Vec<u8>)>,
    force: bool,
}

impl Outputs {
    /// Outputs that may (`force`) or may not overwrite existing files.
    pub fn new(force: bool) -> Self {
        Self {
            files: Vec::new(),
            force,
        }
    }

    /// The paths to be written, in order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }

    /// Adds a JSON document.
    pub fn json(&mut self, path: impl Into<PathBuf>, value: &impl serde::Serialize) {
        let mut bytes = serde_json::to_vec_pretty(value).expect("documents serialise");
        bytes.push(b'\n');
        self.files.push((path.into(), bytes));
    }

    /// Adds a text file.
    pub fn text(&mut self, path: impl Into<PathBuf>, text: String) {
        self.files.push((path.into(), text.into_bytes()));
    }

    /// Adds a file of bytes.
    pub fn bytes(&mut self, path: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push((path.into(), bytes));
    }

    /// Writes every output: first each into a temporary file beside its target, then renames
    /// them into place. On an error before the renames, nothing is written.
    pub fn commit(self) -> Result<(), CliError> {
        let mut staged = Vec::with_capacity(self.files.len());
        for (path, bytes) in &self.files {
            if path.is_dir() {
                return Err(CliError::Write {
                    file: path.clone(),
                    reason: "is a directory".into(),
                });
            }
            if !self.force && path.exists() {
                return Err(CliError::Write {
                    file: path.clone(),
                    reason: "the file exists; pass --force to replace it".into(),
                });
            }
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let err = |e: std::io::Error| CliError::Write {
                file: path.clone(),
                reason: e.to_string(),
            };
            let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(err)?;
            tmp.write_all(bytes).map_err(err)?;
            // Outputs are documents for the other party or the ledger: readable like any new file.
            tmp.as_file()
                .set_permissions(
                    <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o644),
                )
                .map_err(err)?;
            tmp.as_file().sync_all().map_err(err)?;
            staged.push((tmp, path));
        }
        for (tmp, path) in staged {
            let persisted = if self.force {
                tmp.persist(path)
            } else {
                tmp.persist_noclobber(path)
            };
            persisted.map_err(|e| CliError::Write {
                file: path.clone(),
                reason: e.error.to_string(),
            })?;
        }
        Ok(())
    }
}

/// Writes `doc` to `path` with the other outputs, or prints it on standard output after them.
pub fn emit(mut out: Outputs, path: Option<&Path>, doc: &impl serde::Serialize) -> Result<(), CliError> {
    match path {
        Some(p) => {
            out.json(PathBuf::from(p), doc);
            out.commit()
        }
        None => {
            out.commit()?;
            println!(
                "{}",
                serde_json::to_string_pretty(doc).expect("documents serialise")
            );
            Ok(())
        }
    }
}
