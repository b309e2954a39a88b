//! `PATCH /api/v2/users`: the partial update.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use rusqlite::Transaction;
use serde_json::{json, Map, Value};

use super::authorize;
use super::users::{
    check_count, deleted_error, note_removed_teams, start_membership_deletion, updated_users_body,
    RemovedTeams,
};
use crate::auth::Access;
use crate::clock::now_nanos;
use crate::db::users;
use crate::error::{ApiError, ApiResult};
use crate::input::{read_json_object, RawQuery};
use crate::reply::Reply;
use crate::state::SharedState;
use crate::user_input::{apply_field, unset_field, FieldContext};
use crate::user_record::StoredUser;
use crate::validate::{check_user_id, describe, Roles};

/// `PATCH /api/v2/users`: sets and unsets fields of up to 100 existing users.
pub async fn update_partial(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "UpdateUsersPartial";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let body = read_json_object(OPERATION, &headers, body, false).await?;

    let updates = match body.get("users") {
        Some(Value::Array(updates)) => updates.clone(),
        None | Some(Value::Null) => return Err(ApiError::field(OPERATION, "users", "is required")),
        Some(other) => {
            return Err(ApiError::field(
                OPERATION,
                "users",
                format!(
                    "must be an array of {{id, set, unset}}, got {}",
                    describe(other)
                ),
            ))
        }
    };
    check_count(OPERATION, updates.len())?;
    let updates = updates
        .iter()
        .enumerate()
        .map(|(index, update)| parse_update(OPERATION, index, update))
        .collect::<ApiResult<Vec<_>>>()?;

    let roles = state.roles.clone();
    let (saved, task_id) = state
        .db
        .transaction(move |transaction| {
            let now = now_nanos();
            let mut saved = Map::new();
            let mut removed = RemovedTeams::new();
            for update in &updates {
                let (before, user) = apply_update(transaction, update, &roles, now)?;
                note_removed_teams(&mut removed, Some(&before), &user);
                users::put(transaction, &user)?;
                saved.insert(update.id.clone(), user.to_response(true));
            }
            let task_id = start_membership_deletion(transaction, removed)?;
            Ok((saved, task_id))
        })
        .await?;

    Ok(Reply::ok(updated_users_body(&state, saved, task_id)))
}

/// One validated entry of a partial update.
struct Update {
    index: usize,
    id: String,
    set: Map<String, Value>,
    unset: Vec<String>,
}

fn parse_update(operation: &str, index: usize, update: &Value) -> ApiResult<Update> {
    let path = format!("users[{index}]");
    let Value::Object(update) = update else {
        return Err(ApiError::field(
            operation,
            &path,
            format!(
                "must be an object with id, set and unset, got {}",
                describe(update)
            ),
        ));
    };
    let id = match update.get("id") {
        Some(Value::String(id)) => id.clone(),
        None | Some(Value::Null) => {
            return Err(ApiError::field(
                operation,
                &format!("{path}.id"),
                "is required",
            ))
        }
        Some(other) => {
            return Err(ApiError::field(
                operation,
                &format!("{path}.id"),
                format!("must be a string, got {}", describe(other)),
            ))
        }
    };
    check_user_id(operation, &format!("{path}.id"), &id)?;

    let set = match update.get("set") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(set)) => set.clone(),
        Some(other) => {
            return Err(ApiError::field(
                operation,
                &format!("{path}.set"),
                format!("must be an object, got {}", describe(other)),
            ))
        }
    };
    let unset = match update.get("unset") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(names)) => names
            .iter()
            .enumerate()
            .map(|(position, name)| match name {
                Value::String(name) => Ok(name.clone()),
                other => Err(ApiError::field(
                    operation,
                    &format!("{path}.unset[{position}]"),
                    format!("must be a field name, got {}", describe(other)),
                )),
            })
            .collect::<ApiResult<Vec<_>>>()?,
        Some(other) => {
            return Err(ApiError::field(
                operation,
                &format!("{path}.unset"),
                format!("must be an array of field names, got {}", describe(other)),
            ))
        }
    };

    if set.contains_key("id") {
        return Err(ApiError::field(
            operation,
            &format!("{path}.set.id"),
            "the user id cannot be changed",
        ));
    }
    if unset.iter().any(|name| name == "id") {
        return Err(ApiError::field(
            operation,
            &format!("{path}.unset"),
            "the user id cannot be unset",
        ));
    }
    if let Some(both) = unset.iter().find(|name| set.contains_key(name.as_str())) {
        return Err(ApiError::field(
            operation,
            &format!("{path}.unset"),
            format!("field {both:?} is both set and unset"),
        ));
    }
    Ok(Update {
        index,
        id,
        set,
        unset,
    })
}

/// Loads the user of a partial update and applies its `set` and `unset`. Returns the user
/// before and after the change.
fn apply_update(
    transaction: &Transaction<'_>,
    update: &Update,
    roles: &Roles,
    now: i64,
) -> ApiResult<(StoredUser, StoredUser)> {
    const OPERATION: &str = "UpdateUsersPartial";
    let field = format!("users[{}].id", update.index);
    let Some(before) = users::get(transaction, &update.id)? else {
        return Err(ApiError::field(
            OPERATION,
            &field,
            format!("user {} does not exist", describe(&json!(update.id))),
        ));
    };
    if before.is_deleted() {
        return Err(deleted_error(OPERATION, &update.id));
    }
    let mut user = before.clone();
    let context = FieldContext {
        operation: OPERATION,
        path: format!("users[{}].set", update.index),
        roles,
    };
    for (name, value) in &update.set {
        apply_field(&mut user, name, value, &context)?;
    }
    for name in &update.unset {
        unset_field(&mut user, name);
    }
    user.updated_at = now;
    Ok((before, user))
}
