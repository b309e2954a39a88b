//! The changes each kind of task applies when it runs, and the result it reports per user.
//!
//! Results hold no timestamps, so that equal requests give equal results. The times are
//! on the users themselves.

use std::collections::HashMap;

use rusqlite::Transaction;
use serde_json::{json, Map, Value};

use super::{DEACTIVATE_USERS, DELETE_USERS, MEMBERSHIP_DELETION, REACTIVATE_USERS};
use crate::clock::now_nanos;
use crate::db::tasks::{self, COMPLETED, FAILED, RUNNING};
use crate::db::users;
use crate::error::{ApiError, ApiResult};
use crate::user_record::StoredUser;

/// The final state of a task.
struct Outcome {
    status: &'static str,
    result: Value,
    error: Option<Value>,
}

/// Applies a running task and stores its final status, result and error. Returns the final
/// status, or `None` when the task no longer exists or is not running.
pub fn execute(transaction: &Transaction<'_>, id: &str) -> ApiResult<Option<&'static str>> {
    let Some(task) = tasks::get(transaction, id)? else {
        return Ok(None);
    };
    if task.status != RUNNING {
        return Ok(None);
    }

    let now = now_nanos();
    let request = task.request.as_object().cloned().unwrap_or_default();
    let outcome = match task.kind.as_str() {
        DEACTIVATE_USERS => change_users(transaction, &request, now, Deleted::Missing, deactivate)?,
        REACTIVATE_USERS => change_users(transaction, &request, now, Deleted::Missing, reactivate)?,
        DELETE_USERS => change_users(transaction, &request, now, Deleted::Included, delete)?,
        MEMBERSHIP_DELETION => Outcome {
            status: COMPLETED,
            result: json!({ "users": request.get("memberships").cloned().unwrap_or(json!({})) }),
            error: None,
        },
        other => {
            return Err(ApiError::internal(
                "GetTask",
                format!("unknown task kind {other:?}"),
            ));
        }
    };

    tasks::finish(
        transaction,
        id,
        outcome.status,
        &outcome.result,
        outcome.error.as_ref(),
        now,
    )?;
    Ok(Some(outcome.status))
}

/// The change a bulk task makes to one user: it edits the user in place, or returns
/// `Removed` when the row must go. The returned JSON is the user's entry in the result.
enum Change {
    Keep(Value),
    Removed(Value),
}

type ChangeFn = fn(&mut StoredUser, &Map<String, Value>, i64) -> Change;

/// Whether a bulk task acts on soft-deleted and pruned users.
#[derive(PartialEq, Eq)]
enum Deleted {
    /// Deleted users count as missing.
    Missing,
    /// Deleted users are changed too.
    Included,
}

/// Applies `change` to every user of `request.user_ids`. When any of them is missing,
/// nothing changes and the task fails.
fn change_users(
    transaction: &Transaction<'_>,
    request: &Map<String, Value>,
    now: i64,
    deleted: Deleted,
    change: ChangeFn,
) -> ApiResult<Outcome> {
    let ids: Vec<String> = request
        .get("user_ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut found: HashMap<String, StoredUser> = users::get_many(transaction, &ids)?;
    if deleted == Deleted::Missing {
        found.retain(|_, user| !user.is_deleted());
    }

    let missing: Vec<&String> = ids.iter().filter(|id| !found.contains_key(*id)).collect();
    let options = options_of(request);
    if !missing.is_empty() {
        let per_user: Map<String, Value> = ids
            .iter()
            .map(|id| {
                let entry = if found.contains_key(id) {
                    json!({"status": "unchanged"})
                } else {
                    json!({"status": "not_found", "error": "user does not exist"})
                };
                (id.clone(), entry)
            })
            .collect();
        let names: Vec<&str> = missing.iter().map(|id| id.as_str()).collect();
        return Ok(Outcome {
            status: FAILED,
            result: json!({"users": per_user, "options": options}),
            error: Some(json!({
                "type": "UserNotFound",
                "description": format!("users do not exist: {}", names.join(", ")),
            })),
        });
    }

    let mut per_user = Map::new();
    for id in &ids {
        let Some(user) = found.get_mut(id) else {
            continue;
        };
        match change(user, request, now) {
            Change::Keep(entry) => {
                users::put(transaction, user)?;
                per_user.insert(id.clone(), entry);
            }
            Change::Removed(entry) => {
                users::remove(transaction, id)?;
                per_user.insert(id.clone(), entry);
            }
        }
    }
    Ok(Outcome {
        status: COMPLETED,
        result: json!({"users": per_user, "options": options}),
        error: None,
    })
}

/// Returns the request's options (every field but `user_ids`), echoed in the result.
fn options_of(request: &Map<String, Value>) -> Value {
    let options: Map<String, Value> = request
        .iter()
        .filter(|(name, _)| *name != "user_ids")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(options)
}

fn deactivate(user: &mut StoredUser, _request: &Map<String, Value>, now: i64) -> Change {
    user.deactivated_at.get_or_insert(now);
    user.updated_at = now;
    Change::Keep(json!({"status": "deactivated"}))
}

fn reactivate(user: &mut StoredUser, _request: &Map<String, Value>, now: i64) -> Change {
    user.deactivated_at = None;
    user.updated_at = now;
    Change::Keep(json!({"status": "reactivated"}))
}

/// Deletes one user in the mode of `request.user`: `soft` keeps the data, `pruning` removes
/// name, image and custom data, `hard` removes the row.
fn delete(user: &mut StoredUser, request: &Map<String, Value>, now: i64) -> Change {
    let mode = request
        .get("user")
        .and_then(Value::as_str)
        .unwrap_or("soft");
    user.deleted_at.get_or_insert(now);
    let entry = json!({"status": "deleted", "user": mode});
    match mode {
        "hard" => Change::Removed(entry),
        "pruning" => {
            user.prune();
            user.updated_at = now;
            Change::Keep(entry)
        }
        _ => {
            user.updated_at = now;
            Change::Keep(entry)
        }
    }
}
