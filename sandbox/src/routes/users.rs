//! `POST /api/v2/users` (upsert), and the response and team-membership helpers that the
//! partial update shares.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use rusqlite::Transaction;
use serde_json::{json, Map, Value};

use super::authorize;
use crate::auth::Access;
use crate::clock::now_nanos;
use crate::db::{tasks, users};
use crate::error::{ApiError, ApiResult};
use crate::input::read_json_object;
use crate::input::RawQuery;
use crate::reply::Reply;
use crate::state::SharedState;
use crate::tasks::{new_task, MEMBERSHIP_DELETION};
use crate::user_input::{upserted_user, FieldContext};
use crate::user_record::StoredUser;
use crate::validate::{check_user_id, describe, MAX_USERS_PER_REQUEST};

/// Teams removed from each user by an update, which starts a membership deletion task.
pub(super) type RemovedTeams = BTreeMap<String, Vec<String>>;

/// `POST /api/v2/users`: creates or replaces up to 100 users.
///
/// An upsert replaces the whole profile. `created_at`, deactivation and token revocation
/// are kept, and `updated_at` moves to now.
pub async fn upsert(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "UpdateUsers";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let body = read_json_object(OPERATION, &headers, body, false).await?;

    let users_by_key = match body.get("users") {
        Some(Value::Object(users)) => users.clone(),
        None | Some(Value::Null) => return Err(ApiError::field(OPERATION, "users", "is required")),
        Some(other) => {
            return Err(ApiError::field(
                OPERATION,
                "users",
                format!(
                    "must be an object of users keyed by id, got {}",
                    describe(other)
                ),
            ))
        }
    };
    check_count(OPERATION, users_by_key.len())?;
    let mut objects = Vec::with_capacity(users_by_key.len());
    for (key, user) in users_by_key {
        let field = format!("users.{key}");
        let Value::Object(user) = user else {
            return Err(ApiError::field(
                OPERATION,
                &field,
                format!("must be a user object, got {}", describe(&user)),
            ));
        };
        let id = match user.get("id") {
            Some(Value::String(id)) => id.clone(),
            Some(other) => {
                return Err(ApiError::field(
                    OPERATION,
                    &format!("{field}.id"),
                    format!("must be a string, got {}", describe(other)),
                ))
            }
            None => {
                return Err(ApiError::field(
                    OPERATION,
                    &format!("{field}.id"),
                    "is required",
                ))
            }
        };
        check_user_id(OPERATION, &format!("{field}.id"), &id)?;
        if id != key {
            return Err(ApiError::field(
                OPERATION,
                &format!("{field}.id"),
                format!(
                    "id {} does not match its key {}",
                    describe(&json!(id)),
                    describe(&json!(key))
                ),
            ));
        }
        objects.push((id, user));
    }

    let roles = state.roles.clone();
    let (saved, task_id) = state
        .db
        .transaction(move |transaction| {
            let now = now_nanos();
            let mut saved = Map::new();
            let mut removed = RemovedTeams::new();
            for (id, object) in &objects {
                let existing = users::get(transaction, id)?;
                let base = match &existing {
                    Some(user) if user.is_deleted() => return Err(deleted_error(OPERATION, id)),
                    Some(user) => user.with_empty_profile(now),
                    None => StoredUser::new(id, now),
                };
                let context = FieldContext {
                    operation: OPERATION,
                    path: format!("users.{id}"),
                    roles: &roles,
                };
                let user = upserted_user(base, object, &context)?;
                note_removed_teams(&mut removed, existing.as_ref(), &user);
                users::put(transaction, &user)?;
                saved.insert(id.clone(), user.to_response(true));
            }
            let task_id = start_membership_deletion(transaction, removed)?;
            Ok((saved, task_id))
        })
        .await?;

    Ok(Reply::created(updated_users_body(&state, saved, task_id)))
}

pub(super) fn check_count(operation: &str, count: usize) -> ApiResult<()> {
    if count == 0 || count > MAX_USERS_PER_REQUEST {
        return Err(ApiError::field(
            operation,
            "users",
            format!("must contain 1 to {MAX_USERS_PER_REQUEST} users, got {count}"),
        ));
    }
    Ok(())
}

pub(super) fn deleted_error(operation: &str, id: &str) -> ApiError {
    ApiError::input(
        operation,
        format!(
            "user {} was deleted: restore it before updating it",
            describe(&json!(id))
        ),
    )
}

pub(super) fn note_removed_teams(
    removed: &mut RemovedTeams,
    before: Option<&StoredUser>,
    after: &StoredUser,
) {
    let Some(before) = before else { return };
    let gone: Vec<String> = before
        .teams
        .iter()
        .filter(|team| !after.teams.contains(team))
        .cloned()
        .collect();
    if !gone.is_empty() {
        removed.entry(after.id.clone()).or_default().extend(gone);
    }
}

/// Stores a membership deletion task when teams were removed, and returns its ID.
pub(super) fn start_membership_deletion(
    transaction: &Transaction<'_>,
    removed: RemovedTeams,
) -> ApiResult<Option<String>> {
    if removed.is_empty() {
        return Ok(None);
    }
    let memberships: Map<String, Value> = removed
        .into_iter()
        .map(|(id, teams)| (id, json!({ "removed_teams": teams })))
        .collect();
    let task = new_task(MEMBERSHIP_DELETION, json!({ "memberships": memberships }));
    tasks::insert(transaction, &task)?;
    Ok(Some(task.id))
}

/// Builds an `UpdateUsersResponse` body and schedules the membership task, if any.
pub(super) fn updated_users_body(
    state: &SharedState,
    saved: Map<String, Value>,
    task_id: Option<String>,
) -> Map<String, Value> {
    if let Some(task_id) = &task_id {
        state.tasks.schedule(task_id.clone());
    }
    let mut body = Map::new();
    body.insert(String::from("users"), Value::Object(saved));
    body.insert(
        String::from("membership_deletion_task_id"),
        Value::String(task_id.unwrap_or_default()),
    );
    body
}
