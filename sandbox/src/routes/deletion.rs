//! `POST /api/v2/users/delete` (a task) and `POST /api/v2/users/restore`.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};

use super::activation::keep;
use super::authorize;
use crate::auth::Access;
use crate::clock::now_nanos;
use crate::db::{tasks, users};
use crate::error::{ApiError, ApiResult};
use crate::input::read_json_object;
use crate::input::RawQuery;
use crate::reply::Reply;
use crate::state::SharedState;
use crate::tasks::{new_task, DELETE_USERS};
use crate::validate::{optional_bool, optional_choice, optional_user_id, user_ids};

/// Delete modes of the user and of their messages.
const USER_MODES: &[&str] = &["soft", "pruning", "hard"];
/// Delete modes of conversations and calls.
const CHANNEL_MODES: &[&str] = &["soft", "hard"];

/// `POST /api/v2/users/delete`: deletes 1 to 100 users.
///
/// As Stream does, the users are marked deleted at once, so queries stop returning them,
/// and the task then applies the mode: `soft` keeps the data, `pruning` removes name,
/// image and custom data, `hard` removes the user. When any user does not exist, nothing
/// is marked and the task fails.
// NOTE: Stream documents that a hard user delete requires hard `messages` and
// `conversations` too; the sandbox accepts it without them.
pub async fn delete_many(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "DeleteUsers";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let body = read_json_object(OPERATION, &headers, body, false).await?;

    let ids = user_ids(OPERATION, &body, "user_ids")?;
    let mode = optional_choice(OPERATION, &body, "user", USER_MODES)?;
    let mut request = Map::new();
    request.insert(String::from("user_ids"), json!(ids));
    request.insert(
        String::from("user"),
        json!(mode.unwrap_or_else(|| String::from("soft"))),
    );
    keep(
        &mut request,
        "messages",
        optional_choice(OPERATION, &body, "messages", USER_MODES)?,
    );
    for field in ["conversations", "calls"] {
        keep(
            &mut request,
            field,
            optional_choice(OPERATION, &body, field, CHANNEL_MODES)?,
        );
    }
    keep(
        &mut request,
        "files",
        optional_bool(OPERATION, &body, "files")?,
    );
    for field in ["new_channel_owner_id", "new_call_owner_id"] {
        keep(
            &mut request,
            field,
            optional_user_id(OPERATION, &body, field)?,
        );
    }

    let task = new_task(DELETE_USERS, Value::Object(request));
    let task_id = task.id.clone();
    state
        .db
        .transaction(move |transaction| {
            tasks::insert(transaction, &task)?;
            let found = users::get_many(transaction, &ids)?;
            if found.len() < ids.len() {
                return Ok(());
            }
            let now = now_nanos();
            for mut user in found.into_values().filter(|user| !user.is_deleted()) {
                user.deleted_at = Some(now);
                user.updated_at = now;
                users::put(transaction, &user)?;
            }
            Ok(())
        })
        .await?;
    state.tasks.schedule(task_id.clone());

    let mut body = Map::new();
    body.insert(String::from("task_id"), Value::String(task_id));
    Ok(Reply::created(body))
}

/// `POST /api/v2/users/restore`: brings back soft-deleted and pruned users at once. Users
/// that are not deleted stay as they are. A hard-deleted user no longer exists, so
/// restoring it fails like restoring any unknown ID, and nothing is restored.
pub async fn restore(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "RestoreUsers";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let body = read_json_object(OPERATION, &headers, body, false).await?;
    let ids = user_ids(OPERATION, &body, "user_ids")?;

    state
        .db
        .transaction(move |transaction| {
            let now = now_nanos();
            let found = users::get_many(transaction, &ids)?;
            if let Some(missing) = ids.iter().find(|id| !found.contains_key(*id)) {
                return Err(ApiError::field(
                    OPERATION,
                    "user_ids",
                    format!("user {} does not exist or was hard-deleted", json!(missing)),
                ));
            }
            for mut user in found.into_values().filter(|user| user.is_deleted()) {
                user.deleted_at = None;
                user.updated_at = now;
                users::put(transaction, &user)?;
            }
            Ok(())
        })
        .await?;
    Ok(Reply::created(Map::new()))
}
