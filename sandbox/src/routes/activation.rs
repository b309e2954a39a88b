//! Deactivation and reactivation: of one user synchronously, of many users as a task.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};

use super::{authorize, path_user_id};
use crate::auth::Access;
use crate::clock::now_nanos;
use crate::db::{tasks, users};
use crate::error::{ApiError, ApiResult};
use crate::input::read_json_object;
use crate::input::RawQuery;
use crate::reply::Reply;
use crate::state::SharedState;
use crate::tasks::{new_task, DEACTIVATE_USERS, REACTIVATE_USERS};
use crate::validate::{optional_bool, optional_string, optional_user_id, user_ids};

/// `POST /api/v2/users/{user_id}/deactivate`: deactivates one user at once. Deactivating
/// a deactivated user keeps its first `deactivated_at`.
pub async fn deactivate_one(
    State(state): State<SharedState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "DeactivateUser";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let user_id = path_user_id(OPERATION, path)?;
    let body = read_json_object(OPERATION, &headers, body, true).await?;
    optional_user_id(OPERATION, &body, "created_by_id")?;
    optional_bool(OPERATION, &body, "mark_messages_deleted")?;

    let user = change_one(&state, OPERATION, user_id, None, |user, now| {
        user.deactivated_at.get_or_insert(now);
    })
    .await?;
    Ok(Reply::created(user_body(user)))
}

/// `POST /api/v2/users/{user_id}/reactivate`: reactivates one user at once, optionally
/// giving it a new `name`.
pub async fn reactivate_one(
    State(state): State<SharedState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "ReactivateUser";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let user_id = path_user_id(OPERATION, path)?;
    let body = read_json_object(OPERATION, &headers, body, true).await?;
    optional_user_id(OPERATION, &body, "created_by_id")?;
    optional_bool(OPERATION, &body, "restore_messages")?;
    let name = optional_string(OPERATION, &body, "name")?;

    let user = change_one(&state, OPERATION, user_id, name, |user, _now| {
        user.deactivated_at = None;
    })
    .await?;
    Ok(Reply::created(user_body(user)))
}

/// `POST /api/v2/users/deactivate`: starts a task that deactivates 1 to 100 users.
pub async fn deactivate_many(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "DeactivateUsers";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let body = read_json_object(OPERATION, &headers, body, false).await?;
    let mut request = Map::new();
    request.insert(
        String::from("user_ids"),
        json!(user_ids(OPERATION, &body, "user_ids")?),
    );
    keep(
        &mut request,
        "created_by_id",
        optional_user_id(OPERATION, &body, "created_by_id")?,
    );
    for flag in ["mark_messages_deleted", "mark_channels_deleted"] {
        keep(&mut request, flag, optional_bool(OPERATION, &body, flag)?);
    }
    start_task(&state, DEACTIVATE_USERS, request).await
}

/// `POST /api/v2/users/reactivate`: starts a task that reactivates 1 to 100 users.
pub async fn reactivate_many(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "ReactivateUsers";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let body = read_json_object(OPERATION, &headers, body, false).await?;
    let mut request = Map::new();
    request.insert(
        String::from("user_ids"),
        json!(user_ids(OPERATION, &body, "user_ids")?),
    );
    keep(
        &mut request,
        "created_by_id",
        optional_user_id(OPERATION, &body, "created_by_id")?,
    );
    for flag in ["restore_messages", "restore_channels"] {
        keep(&mut request, flag, optional_bool(OPERATION, &body, flag)?);
    }
    start_task(&state, REACTIVATE_USERS, request).await
}

/// Adds an optional request field to a task's stored request.
pub fn keep(request: &mut Map<String, Value>, name: &str, value: Option<impl Into<Value>>) {
    if let Some(value) = value {
        request.insert(name.to_owned(), value.into());
    }
}

/// Stores a task for a validated request, schedules it and returns its ID.
pub async fn start_task(
    state: &SharedState,
    kind: &'static str,
    request: Map<String, Value>,
) -> ApiResult<Reply> {
    let task = new_task(kind, Value::Object(request));
    let task_id = task.id.clone();
    state
        .db
        .transaction(move |transaction| tasks::insert(transaction, &task))
        .await?;
    state.tasks.schedule(task_id.clone());

    let mut body = Map::new();
    body.insert(String::from("task_id"), Value::String(task_id));
    Ok(Reply::created(body))
}

/// Changes one existing, undeleted user, optionally renaming it, and returns its response.
async fn change_one(
    state: &SharedState,
    operation: &'static str,
    user_id: String,
    name: Option<String>,
    change: fn(&mut crate::user_record::StoredUser, i64),
) -> ApiResult<Value> {
    state
        .db
        .transaction(move |transaction| {
            let now = now_nanos();
            let user = users::get(transaction, &user_id)?.filter(|user| !user.is_deleted());
            let Some(mut user) = user else {
                return Err(ApiError::not_found(
                    operation,
                    format!("user {} does not exist", json!(user_id)),
                ));
            };
            change(&mut user, now);
            if let Some(name) = name {
                user.name = Some(name);
            }
            user.updated_at = now;
            users::put(transaction, &user)?;
            Ok(user.to_response(false))
        })
        .await
}

fn user_body(user: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert(String::from("user"), user);
    body
}
