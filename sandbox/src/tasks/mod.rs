//! Asynchronous tasks: bulk deactivation, reactivation and deletion of users, and the
//! membership cleanup after teams are removed from users.
//!
//! A task waits `--task-delay-ms` as `pending`, then as `running`, and then applies its
//! changes and its final status in one transaction, so a client that reads `completed` also
//! reads the changed data. Tasks that had not ended when the sandbox stopped resume on start.

pub mod operations;

use std::time::Duration;

use serde_json::{json, Value};

use crate::clock::now_nanos;
use crate::db::tasks::{self, TaskRow, FAILED, PENDING};
use crate::db::Db;
use crate::error::ApiResult;

/// Kind of the task that deactivates users.
pub const DEACTIVATE_USERS: &str = "deactivate_users";
/// Kind of the task that reactivates users.
pub const REACTIVATE_USERS: &str = "reactivate_users";
/// Kind of the task that deletes users.
pub const DELETE_USERS: &str = "delete_users";
/// Kind of the task that removes team memberships after an update removed teams.
pub const MEMBERSHIP_DELETION: &str = "membership_deletion";

/// Returns a new pending task for a validated request, created now.
pub fn new_task(kind: &str, request: Value) -> TaskRow {
    let now = now_nanos();
    TaskRow {
        id: uuid::Uuid::new_v4().to_string(),
        kind: kind.to_owned(),
        status: String::from(PENDING),
        request,
        result: None,
        error: None,
        created_at: now,
        updated_at: now,
    }
}

/// Runs tasks in the background.
#[derive(Clone)]
pub struct TaskRunner {
    db: Db,
    delay: Duration,
}

impl TaskRunner {
    /// Creates a runner that keeps each task pending, then running, for `delay`.
    pub fn new(db: Db, delay: Duration) -> Self {
        Self { db, delay }
    }

    /// Starts running a stored task in the background.
    pub fn schedule(&self, id: String) {
        let runner = self.clone();
        tokio::spawn(async move { runner.run(id).await });
    }

    /// Schedules every task that had not ended, and returns how many there were.
    pub async fn resume_unfinished(&self) -> ApiResult<usize> {
        let ids = self.db.transaction(tasks::unfinished_ids).await?;
        let count = ids.len();
        for id in ids {
            self.schedule(id);
        }
        Ok(count)
    }

    async fn run(&self, id: String) {
        tokio::time::sleep(self.delay).await;
        let task_id = id.clone();
        let started = self
            .db
            .transaction(move |transaction| tasks::start(transaction, &task_id, now_nanos()))
            .await;
        match started {
            Ok(true) => {}
            // The task was removed by a reset, or has ended.
            Ok(false) => return,
            Err(error) => {
                tracing::error!(task_id = %id, error = %error.message, "task failed to start");
                return;
            }
        }

        tokio::time::sleep(self.delay).await;
        let task_id = id.clone();
        let finished = self
            .db
            .transaction(move |transaction| operations::execute(transaction, &task_id))
            .await;
        match finished {
            Ok(Some(status)) => tracing::info!(task_id = %id, status, "task ended"),
            Ok(None) => {}
            Err(error) => {
                tracing::error!(task_id = %id, error = %error.message, "task failed to run");
                self.mark_failed(id, error.message).await;
            }
        }
    }

    /// Ends a task whose run hit an internal error, so that clients stop polling.
    async fn mark_failed(&self, id: String, description: String) {
        let error = json!({"type": "internal_error", "description": description});
        let task_id = id.clone();
        let outcome = self
            .db
            .transaction(move |transaction| {
                tasks::finish(
                    transaction,
                    &task_id,
                    FAILED,
                    &json!({}),
                    Some(&error),
                    now_nanos(),
                )
            })
            .await;
        if let Err(error) = outcome {
            tracing::error!(task_id = %id, error = %error.message, "task could not be marked failed");
        }
    }
}
