//! The database thread: runs queued jobs in batches, one transaction and one commit per
//! batch, with a savepoint around each job.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::oneshot;

/// Maximum number of jobs committed together.
const MAX_BATCH: usize = 64;

/// Delivers a job's result once its batch has committed, or the commit error.
pub type Finish = Box<dyn FnOnce(Result<(), String>) + Send>;
/// Runs inside the batch's transaction and returns whether it succeeded, which keeps or
/// rolls back its savepoint, and how to deliver its result.
pub type Job = Box<dyn FnOnce(&Transaction<'_>) -> (bool, Finish) + Send>;

/// A request to the database thread.
pub enum Message {
    /// Run a job.
    Job(Job),
    /// Run the queued jobs, checkpoint the write-ahead log and stop.
    Close(oneshot::Sender<Result<(), String>>),
}

/// Starts the database thread, which owns the connection.
pub fn spawn(connection: Connection) -> std::io::Result<Sender<Message>> {
    let (sender, receiver) = mpsc::channel();
    thread::Builder::new()
        .name(String::from("sqlite"))
        .spawn(move || run(connection, receiver))?;
    Ok(sender)
}

fn run(mut connection: Connection, receiver: Receiver<Message>) {
    while let Ok(first) = receiver.recv() {
        let mut batch = Vec::new();
        let mut close = None;
        match first {
            Message::Job(job) => batch.push(job),
            Message::Close(reply) => close = Some(reply),
        }
        while close.is_none() && batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(Message::Job(job)) => batch.push(job),
                Ok(Message::Close(reply)) => close = Some(reply),
                Err(_) => break,
            }
        }

        if !batch.is_empty() {
            run_batch(&mut connection, batch);
        }
        if let Some(reply) = close {
            let checkpoint = connection
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(|error| format!("WAL checkpoint failed: {error}"));
            let _ = reply.send(checkpoint);
            return;
        }
    }
}

/// Runs the jobs in one transaction and delivers their results after the commit. A job
/// that panics is rolled back, and dropping its reply channel reports an internal error.
fn run_batch(connection: &mut Connection, batch: Vec<Job>) {
    let transaction = match connection.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(transaction) => transaction,
        Err(error) => {
            tracing::error!(%error, jobs = batch.len(), "cannot begin a database transaction");
            return;
        }
    };

    let mut finishers = Vec::with_capacity(batch.len());
    for job in batch {
        if let Err(error) = transaction.execute_batch("SAVEPOINT job") {
            tracing::error!(%error, "cannot open a savepoint; the request fails");
            continue;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| job(&transaction)));
        let keep = matches!(outcome, Ok((true, _)));
        let end = if keep {
            "RELEASE job"
        } else {
            "ROLLBACK TO job; RELEASE job"
        };
        if let Err(error) = transaction.execute_batch(end) {
            tracing::error!(%error, "cannot close a savepoint");
        }
        match outcome {
            Ok((_, finish)) => finishers.push(finish),
            Err(_) => tracing::error!("a database job panicked; its changes were rolled back"),
        }
    }

    let committed = transaction
        .commit()
        .map_err(|error| format!("SQLite commit failed: {error}"));
    if let Err(problem) = &committed {
        tracing::error!(error = %problem, jobs = finishers.len(), "database commit failed");
    }
    for finish in finishers {
        finish(committed.clone());
    }
}
