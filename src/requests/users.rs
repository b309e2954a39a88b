//! Requests that create, change, find and export users.

use serde_json::{Map, Value};

use super::{encode_component, ApiRequest, Method, Operation};
use crate::args::{describe, Body, Fields};
use crate::error::StreamError;

/// Checks that a user object has a non-empty string `id` and returns the ID.
fn user_id_of<'a>(
    operation: &'static str,
    path: &str,
    user: &'a Value,
) -> Result<&'a str, StreamError> {
    Fields::of(operation, path, Some(user), "with an id")?.required_id("id")
}

/// Builds `upsertUsers(users)`: `POST /api/v2/users` with `{ users: { [id]: user } }`.
///
/// Accepts an array of users, which is keyed by ID as the official SDK does (a later user
/// with the same ID replaces an earlier one), or the `{ users: { [id]: user } }` form shown
/// in Stream's docs, which is sent as given.
pub fn upsert_users(users: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "upsertUsers";
    let by_id = match (users, users.and_then(|u| u.get("users"))) {
        (Some(Value::Array(list)), _) => {
            let mut by_id = Map::new();
            for (index, user) in list.iter().enumerate() {
                let id = user_id_of(OPERATION, &format!("users[{index}]"), user)?;
                by_id.insert(id.to_owned(), user.clone());
            }
            by_id
        }
        (Some(Value::Object(_)), Some(Value::Object(by_id))) => {
            for (key, user) in by_id {
                user_id_of(OPERATION, &format!("users.{key}"), user)?;
            }
            by_id.clone()
        }
        (other, _) => {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "users",
                format!(
                    "must be an array of users or {{ users: {{ [id]: user }} }}, got {}",
                    describe(other)
                ),
            ))
        }
    };

    let mut body = Body::new();
    body.set("users", Value::Object(by_id));
    Ok(ApiRequest::new(
        Operation::UpsertUsers,
        Method::Post,
        String::from("/api/v2/users"),
    )
    .with_body(body.into_json()))
}

/// Builds `updateUsersPartial({ users: [{ id, set, unset }] })`: `PATCH /api/v2/users`.
pub fn update_users_partial(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "updateUsersPartial";
    let fields = Fields::of(OPERATION, "", request, "with users")?;
    let users = match fields.get("users") {
        Some(Value::Array(users)) => users,
        other => {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "users",
                format!(
                    "must be an array of {{ id, set, unset }}, got {}",
                    describe(other)
                ),
            ))
        }
    };
    for (index, update) in users.iter().enumerate() {
        let update = Fields::of(
            OPERATION,
            &format!("users[{index}]"),
            Some(update),
            "with id",
        )?;
        update.required_id("id")?;
        update.optional_object("set")?;
        update.optional_strings("unset")?;
    }

    let mut body = Body::new();
    body.copy(&fields, "users");
    Ok(ApiRequest::new(
        Operation::UpdateUsersPartial,
        Method::Patch,
        String::from("/api/v2/users"),
    )
    .with_body(body.into_json()))
}

/// Builds `queryUsers({ payload })`: `GET /api/v2/users?payload=<JSON>`.
///
/// Without a `payload` no `payload` parameter is sent, as in the official SDK.
pub fn query_users(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "queryUsers";
    let mut api_request = ApiRequest::new(
        Operation::QueryUsers,
        Method::Get,
        String::from("/api/v2/users"),
    );
    let Some(request) = request.filter(|r| !r.is_null()) else {
        return Ok(api_request);
    };

    let fields = Fields::of(OPERATION, "", Some(request), "with payload")?;
    if let Some(payload) = fields.optional_object("payload")? {
        let json = Value::Object(payload.clone()).to_string();
        api_request.query.push((String::from("payload"), json));
    }
    Ok(api_request)
}

/// Builds `createGuest({ user })`: `POST /api/v2/guest`.
pub fn create_guest(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "createGuest";
    let fields = Fields::of(OPERATION, "", request, "with user")?;
    match fields.get("user") {
        Some(user) => user_id_of(OPERATION, "user", user)?,
        None => {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "user",
                "is missing; pass the guest user, for example { id: \"guest-1\" }",
            ))
        }
    };

    let mut body = Body::new();
    body.copy(&fields, "user");
    Ok(ApiRequest::new(
        Operation::CreateGuest,
        Method::Post,
        String::from("/api/v2/guest"),
    )
    .with_body(body.into_json()))
}

/// Builds `exportUser({ user_id })`: `GET /api/v2/users/{user_id}/export`.
pub fn export_user(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "exportUser";
    let fields = Fields::of(OPERATION, "", request, "with user_id")?;
    let user_id = fields.required_id("user_id")?;

    let path = format!("/api/v2/users/{}/export", encode_component(user_id));
    Ok(ApiRequest::new(Operation::ExportUser, Method::Get, path))
}

#[cfg(test)]
#[path = "users_tests.rs"]
mod tests;
