//! A SQLite store shared by the services' handlers: one connection behind a lock, errors naming
//! the file.

use std::{
    path::{Path, PathBuf},
    sync::{Mutex, MutexGuard},
};

use rusqlite::Connection;

use crate::ServiceError;

/// One SQLite database (WAL, full syncs, a 10 s busy timeout) with `schema` applied.
pub(crate) struct Db {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

impl Db {
    /// Opens (creating if needed) the database at `path` and applies `schema`.
    pub fn open(path: &Path, schema: &str) -> Result<Self, ServiceError> {
        let err = |source| ServiceError::Store {
            file: path.into(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(err)?;
        conn.execute_batch(schema).map_err(err)?;
        Ok(Self {
            path: path.into(),
            conn: Mutex::new(conn),
        })
    }

    /// The connection. A panic while holding the lock cannot leave SQLite half-written
    /// (transactions roll back), so a poisoned lock is still usable.
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A [`ServiceError::Store`] naming this database.
    pub fn err(&self, source: rusqlite::Error) -> ServiceError {
        ServiceError::Store {
            file: self.path.clone(),
            source,
        }
    }

    /// A [`ServiceError::Corrupt`] naming this database.
    pub fn corrupt(&self, reason: impl std::fmt::Display) -> ServiceError {
        ServiceError::Corrupt {
            file: self.path.clone(),
            reason: reason.to_string(),
        }
    }
}
