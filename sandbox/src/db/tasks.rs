//! Reads and writes of the `tasks` table.

use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};

/// A task moves through these statuses in order, ending in `completed` or `failed`.
pub const PENDING: &str = "pending";
/// The task has started; its changes are not applied yet.
pub const RUNNING: &str = "running";
/// The task applied its changes.
pub const COMPLETED: &str = "completed";
/// The task ended without changing anything, and `error` gives the reason.
pub const FAILED: &str = "failed";

/// One stored task. Times are Unix nanoseconds.
#[derive(Debug, Clone)]
pub struct TaskRow {
    /// The task ID, a UUID.
    pub id: String,
    /// The kind of task, such as `delete_users`.
    pub kind: String,
    /// One of the status constants of this module.
    pub status: String,
    /// The validated request that started the task.
    pub request: Value,
    /// The outcome, once the task ended.
    pub result: Option<Value>,
    /// The reason the task failed.
    pub error: Option<Value>,
    /// Creation time.
    pub created_at: i64,
    /// Time of the last status change.
    pub updated_at: i64,
}

fn parse_json(column: &str, text: &str) -> ApiResult<Value> {
    serde_json::from_str(text).map_err(|error| {
        ApiError::internal(
            "Database",
            format!("stored task {column} is invalid JSON: {error}"),
        )
    })
}

const COLUMNS: &str = "id, kind, status, request, result, error, created_at, updated_at";

/// The columns of one row, in `COLUMNS` order, before JSON decoding.
type RawRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

fn read_row(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
    ))
}

fn build(raw: RawRow) -> ApiResult<TaskRow> {
    let (id, kind, status, request, result, error, created_at, updated_at) = raw;
    Ok(TaskRow {
        id,
        kind,
        status,
        request: parse_json("request", &request)?,
        result: result
            .as_deref()
            .map(|text| parse_json("result", text))
            .transpose()?,
        error: error
            .as_deref()
            .map(|text| parse_json("error", text))
            .transpose()?,
        created_at,
        updated_at,
    })
}

/// Stores a new task.
pub fn insert(transaction: &Transaction<'_>, task: &TaskRow) -> ApiResult<()> {
    let encode = |value: &Option<Value>| value.as_ref().map(Value::to_string);
    transaction.execute(
        &format!("INSERT INTO tasks ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            task.id,
            task.kind,
            task.status,
            task.request.to_string(),
            encode(&task.result),
            encode(&task.error),
            task.created_at,
            task.updated_at
        ],
    )?;
    Ok(())
}

/// Loads one task.
pub fn get(transaction: &Transaction<'_>, id: &str) -> ApiResult<Option<TaskRow>> {
    let row = transaction
        .query_row(
            &format!("SELECT {COLUMNS} FROM tasks WHERE id = ?1"),
            [id],
            read_row,
        )
        .optional()?;
    row.map(build).transpose()
}

/// Returns the IDs of the tasks that have not ended, oldest first.
pub fn unfinished_ids(transaction: &Transaction<'_>) -> ApiResult<Vec<String>> {
    let mut statement = transaction.prepare(
        "SELECT id FROM tasks WHERE status IN ('pending', 'running') ORDER BY created_at, id",
    )?;
    let ids = statement
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Moves a pending task to `running`. Returns true when the task is now running (also when
/// it already was, after a restart), false when it no longer exists or has ended, for
/// example after a reset.
pub fn start(transaction: &Transaction<'_>, id: &str, now: i64) -> ApiResult<bool> {
    transaction.execute(
        "UPDATE tasks SET status = ?2, updated_at = ?3 WHERE id = ?1 AND status = ?4",
        params![id, RUNNING, now, PENDING],
    )?;
    let status: Option<String> = transaction
        .query_row("SELECT status FROM tasks WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(status.as_deref() == Some(RUNNING))
}

/// Ends a task with its final status, result and error.
pub fn finish(
    transaction: &Transaction<'_>,
    id: &str,
    status: &str,
    result: &Value,
    error: Option<&Value>,
    now: i64,
) -> ApiResult<()> {
    transaction.execute(
        "UPDATE tasks SET status = ?2, result = ?3, error = ?4, updated_at = ?5 WHERE id = ?1",
        params![
            id,
            status,
            result.to_string(),
            error.map(Value::to_string),
            now
        ],
    )?;
    Ok(())
}
