//! SQLite storage behind one writer thread that commits requests in batches.
//!
//! Every request's reads and writes run as one job on the single connection, so requests
//! never interleave and a read-modify-write cannot lose a concurrent update. Jobs that
//! queue up while a commit is on disk run together in the next transaction, each inside
//! its own savepoint, so one fsync acknowledges many requests. A file database uses
//! write-ahead logging with `synchronous = FULL`, and a job's result is only returned
//! after its transaction has committed, so an acknowledged write is on disk.

pub mod tasks;
pub mod users;
mod writer;

use rusqlite::{Connection, Transaction};
use tokio::sync::oneshot;

use self::writer::{Finish, Job, Message};
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
    writer: std::sync::mpsc::Sender<Message>,
}

impl Db {
    /// Opens (or creates) the database at `path`; `:memory:` opens a private in-memory one.
    pub fn open(path: &str) -> Result<Self, String> {
        let connection = open_connection(path)?;
        let writer = writer::spawn(connection)
            .map_err(|error| format!("cannot start the database thread: {error}"))?;
        Ok(Self { writer })
    }

    /// Runs `work` in a transaction on the database thread. The changes of an `Ok` commit
    /// before the result returns; an `Err` rolls back only this job's changes.
    pub async fn transaction<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&Transaction<'_>) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, result) = oneshot::channel::<ApiResult<T>>();
        let job: Job = Box::new(move |transaction| {
            let outcome = work(transaction);
            let succeeded = outcome.is_ok();
            let finish: Finish = Box::new(move |committed| {
                let outcome = match committed {
                    Ok(()) => outcome,
                    Err(problem) => Err(ApiError::internal("Database", problem)),
                };
                // The request may have gone away; its result is then dropped.
                let _ = reply.send(outcome);
            });
            (succeeded, finish)
        });
        self.writer
            .send(Message::Job(job))
            .map_err(|_| ApiError::internal("Database", "the database thread has stopped"))?;
        result.await.map_err(|_| {
            ApiError::internal("Database", "the database thread dropped the request")
        })?
    }

    /// Deletes every user and task.
    pub async fn clear(&self) -> ApiResult<()> {
        self.transaction(|transaction| {
            transaction.execute_batch("DELETE FROM users; DELETE FROM tasks;")?;
            Ok(())
        })
        .await
    }

    /// Finishes the queued jobs, moves the write-ahead log into the main file and stops
    /// the database thread, before a clean exit.
    pub async fn close(&self) -> Result<(), String> {
        let (reply, result) = oneshot::channel();
        self.writer
            .send(Message::Close(reply))
            .map_err(|_| String::from("the database thread has already stopped"))?;
        result
            .await
            .map_err(|_| String::from("the database thread stopped while closing"))?
    }
}

/// Opens a connection and creates the tables. [`Db::open`] hands it to the database thread;
/// the fuzz targets use it directly.
pub fn open_connection(path: &str) -> Result<Connection, String> {
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
    Ok(connection)
}
