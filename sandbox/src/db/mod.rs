//! SQLite storage: one connection behind a mutex, used from blocking threads.
//!
//! Every request runs its reads and writes in one transaction on the single connection, so
//! requests never interleave and a read-modify-write cannot lose a concurrent update. A file
//! database uses write-ahead logging with `synchronous = FULL`, so a write is on disk before
//! the response that acknowledges it is sent.

pub mod tasks;
pub mod users;

use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{ApiError, ApiResult};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY NOT NULL,
    record TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deactivated_at INTEGER,
    deleted_at INTEGER
);
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    result TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks (status);
";

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> Self {
        ApiError::internal("Database", format!("SQLite error: {error}"))
    }
}

/// The sandbox database.
#[derive(Clone)]
pub struct Db {
    connection: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (or creates) the database at `path`; `:memory:` opens a private in-memory one.
    pub fn open(path: &str) -> Result<Self, String> {
        let describe = |error: rusqlite::Error| format!("cannot open database {path}: {error}");
        let connection = if path == ":memory:" {
            Connection::open_in_memory().map_err(describe)?
        } else {
            let connection = Connection::open(path).map_err(describe)?;
            let mode: String = connection
                .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
                .map_err(describe)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(format!(
                    "cannot open database {path}: SQLite kept journal mode {mode} instead of WAL"
                ));
            }
            connection
                .pragma_update(None, "synchronous", "FULL")
                .map_err(describe)?;
            connection
        };
        connection.execute_batch(SCHEMA).map_err(describe)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` in one immediate transaction on a blocking thread and commits when it
    /// returns `Ok`; an `Err` rolls everything back.
    pub async fn transaction<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&Transaction<'_>) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        let outcome = tokio::task::spawn_blocking(move || {
            let mut guard = lock(&connection);
            let transaction = guard.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = work(&transaction)?;
            transaction.commit()?;
            Ok(value)
        })
        .await;
        match outcome {
            Ok(result) => result,
            Err(error) => Err(ApiError::internal(
                "Database",
                format!("database worker thread failed: {error}"),
            )),
        }
    }

    /// Deletes every user and task.
    pub async fn clear(&self) -> ApiResult<()> {
        self.transaction(|transaction| {
            transaction.execute_batch("DELETE FROM users; DELETE FROM tasks;")?;
            Ok(())
        })
        .await
    }

    /// Moves the write-ahead log into the main file, before a clean exit.
    pub fn checkpoint(&self) -> Result<(), String> {
        let guard = lock(&self.connection);
        guard
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|error| format!("WAL checkpoint failed: {error}"))
    }
}

/// Locks the connection. A panic while the lock was held leaves no partial transaction
/// behind (SQLite rolls it back when the `Transaction` drops), so a poisoned lock is safe
/// to take over.
fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
