//! `POST /api/v2/guest` and `GET /api/v2/users/{user_id}/export`.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};

use super::{authorize, path_user_id};
use crate::auth::Access;
use crate::clock::now_nanos;
use crate::db::users;
use crate::error::{ApiError, ApiResult};
use crate::input::read_json_object;
use crate::input::RawQuery;
use crate::reply::Reply;
use crate::state::SharedState;
use crate::user_input::{upserted_user, FieldContext};
use crate::user_record::StoredUser;
use crate::validate::{check_user_id, describe};

/// The role of every guest.
const GUEST_ROLE: &str = "guest";

/// `POST /api/v2/guest`: creates a user with role `guest` and returns a token for it.
/// A `role` in the request is replaced by `guest`; an existing ID is rejected.
pub async fn create_guest(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Reply> {
    const OPERATION: &str = "CreateGuest";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let body = read_json_object(OPERATION, &headers, body, false).await?;

    let object = match body.get("user") {
        Some(Value::Object(user)) => user.clone(),
        None | Some(Value::Null) => return Err(ApiError::field(OPERATION, "user", "is required")),
        Some(other) => {
            return Err(ApiError::field(
                OPERATION,
                "user",
                format!("must be a user object, got {}", describe(other)),
            ))
        }
    };
    let id = match object.get("id") {
        Some(Value::String(id)) => id.clone(),
        None | Some(Value::Null) => {
            return Err(ApiError::field(OPERATION, "user.id", "is required"))
        }
        Some(other) => {
            return Err(ApiError::field(
                OPERATION,
                "user.id",
                format!("must be a string, got {}", describe(other)),
            ))
        }
    };
    check_user_id(OPERATION, "user.id", &id)?;

    let roles = state.roles.clone();
    let user_id = id.clone();
    let user = state
        .db
        .transaction(move |transaction| {
            if users::get(transaction, &user_id)?.is_some() {
                return Err(ApiError::field(
                    OPERATION,
                    "user.id",
                    format!("user {} already exists", json!(user_id)),
                ));
            }
            let context = FieldContext {
                operation: OPERATION,
                path: String::from("user"),
                roles: &roles,
            };
            let mut without_role = object;
            without_role.remove("role");
            let mut user = upserted_user(
                StoredUser::new(&user_id, now_nanos()),
                &without_role,
                &context,
            )?;
            user.role = String::from(GUEST_ROLE);
            users::put(transaction, &user)?;
            Ok(user.to_response(false))
        })
        .await?;

    let mut body = Map::new();
    body.insert(String::from("user"), user);
    body.insert(
        String::from("access_token"),
        Value::String(state.auth.user_token(&id)),
    );
    Ok(Reply::created(body))
}

/// `GET /api/v2/users/{user_id}/export`: returns a user's data, deactivated or soft-deleted
/// users included. The sandbox stores no messages or reactions, so those lists are empty.
pub async fn export_user(
    State(state): State<SharedState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Reply> {
    const OPERATION: &str = "ExportUser";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let user_id = path_user_id(OPERATION, path)?;

    let id = user_id.clone();
    let user = state
        .db
        .transaction(move |transaction| users::get(transaction, &id))
        .await?;
    let Some(user) = user else {
        return Err(ApiError::not_found(
            OPERATION,
            format!("user {} does not exist", json!(user_id)),
        ));
    };
    let mut body = Map::new();
    body.insert(String::from("user"), user.to_response(false));
    body.insert(String::from("messages"), json!([]));
    body.insert(String::from("reactions"), json!([]));
    Ok(Reply::ok(body))
}
