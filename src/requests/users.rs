//! Requests that create, change, find and export users.

use std::collections::HashMap;

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

/// Returns the error of an `upsertUsers` call without users, which Stream would reject
/// only after a round trip.
fn no_users() -> StreamError {
    StreamError::invalid_argument(
        "upsertUsers",
        "users",
        "is empty; pass at least one user, for example [{ id: \"alice\" }]",
    )
}

/// Builds `upsertUsers(users)`: `POST /api/v2/users` with `{ users: { [id]: user } }`.
///
/// Accepts an array of users, which is keyed by ID as the official SDK does, or the
/// `{ users: { [id]: user } }` form shown in Stream's docs, which is sent as given. An ID may
/// appear only once per call: the official SDK silently keeps the last of two users with the
/// same ID, which loses the first one's fields. In the keyed form each key must equal its
/// user's `id`.
pub fn upsert_users(users: Option<&Value>) -> Result<ApiRequest, StreamError> {
    Ok(upsert_request(users_by_id(users)?))
}

/// Checks the argument of `upsertUsers` as [`upsert_users`] describes and returns the users
/// keyed by ID, in input order.
pub(crate) fn users_by_id(users: Option<&Value>) -> Result<Map<String, Value>, StreamError> {
    const OPERATION: &str = "upsertUsers";
    let by_id = match (users, users.and_then(|u| u.get("users"))) {
        (Some(Value::Array(list)), _) => {
            if list.is_empty() {
                return Err(no_users());
            }
            let mut by_id = Map::new();
            let mut first_index = HashMap::new();
            for (index, user) in list.iter().enumerate() {
                let id = user_id_of(OPERATION, &format!("users[{index}]"), user)?;
                if let Some(first) = first_index.insert(id, index) {
                    return Err(StreamError::invalid_argument(
                        OPERATION,
                        format!("users[{index}].id"),
                        format!(
                            "{} repeats the id of users[{first}]; each user may appear once \
                             per call, so merge the two",
                            describe(Some(&Value::from(id)))
                        ),
                    ));
                }
                by_id.insert(id.to_owned(), user.clone());
            }
            by_id
        }
        (Some(Value::Object(_)), Some(Value::Object(by_id))) => {
            if by_id.is_empty() {
                return Err(no_users());
            }
            for (key, user) in by_id {
                let path = format!("users.{key}");
                let id = user_id_of(OPERATION, &path, user)?;
                if id != key {
                    return Err(StreamError::invalid_argument(
                        OPERATION,
                        format!("{path}.id"),
                        format!(
                            "must equal its key {}, got {}",
                            describe(Some(&Value::from(key.as_str()))),
                            describe(Some(&Value::from(id)))
                        ),
                    ));
                }
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

    Ok(by_id)
}

/// Builds the `upsertUsers` request of users that [`users_by_id`] has checked.
pub(crate) fn upsert_request(by_id: Map<String, Value>) -> ApiRequest {
    let mut body = Body::new();
    body.set("users", Value::Object(by_id));
    ApiRequest::new(
        Operation::UpsertUsers,
        Method::Post,
        String::from("/api/v2/users"),
    )
    .with_body(body.into_json())
}

/// Builds `updateUsersPartial({ users: [{ id, set, unset }] })`: `PATCH /api/v2/users`.
pub fn update_users_partial(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    let updates = partial_updates(request)?;
    Ok(partial_update_request(updates.clone()))
}

/// Checks the argument of `updateUsersPartial` and returns its `users` list.
pub(crate) fn partial_updates(request: Option<&Value>) -> Result<&Vec<Value>, StreamError> {
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
        check_set_and_unset(&update)?;
    }
    Ok(users)
}

/// Builds the `updateUsersPartial` request of updates that [`partial_updates`] has checked.
pub(crate) fn partial_update_request(updates: Vec<Value>) -> ApiRequest {
    let mut body = Body::new();
    body.set("users", Value::Array(updates));
    ApiRequest::new(
        Operation::UpdateUsersPartial,
        Method::Patch,
        String::from("/api/v2/users"),
    )
    .with_body(body.into_json())
}

/// Checks the `set` and `unset` of one partial update: neither may touch `id`, and no field
/// may be in both.
fn check_set_and_unset(update: &Fields<'_>) -> Result<(), StreamError> {
    const OPERATION: &str = "updateUsersPartial";
    let set = update.optional_object("set")?;
    let unset = update.optional_strings("unset")?;

    if set.is_some_and(|set| set.contains_key("id")) {
        return Err(StreamError::invalid_argument(
            OPERATION,
            format!("{}.id", update.path_of("set")),
            "cannot be set: a user's id never changes; create a new user instead",
        ));
    }
    for (index, name) in unset.into_iter().flatten().enumerate() {
        let path = format!("{}[{index}]", update.path_of("unset"));
        let name = name.as_str().unwrap_or_default();
        if name == "id" {
            return Err(StreamError::invalid_argument(
                OPERATION,
                path,
                "is \"id\", which cannot be removed from a user",
            ));
        }
        if set.is_some_and(|set| set.contains_key(name)) {
            return Err(StreamError::invalid_argument(
                OPERATION,
                path,
                format!(
                    "is {}, which set also changes; a field can be set or unset in one \
                     update, not both",
                    describe(Some(&Value::from(name)))
                ),
            ));
        }
    }
    Ok(())
}

/// Largest `payload.limit` of `queryUsers` that Stream accepts.
const MAX_QUERY_LIMIT: u64 = 100;
/// Largest `payload.offset` of `queryUsers` that Stream accepts.
const MAX_QUERY_OFFSET: u64 = 1000;

/// Checks an optional whole-number property of the `queryUsers` payload.
fn check_bounded_integer(payload: &Fields<'_>, name: &str, max: u64) -> Result<(), StreamError> {
    let Some(value) = payload.get(name) else {
        return Ok(());
    };
    match value.as_u64() {
        Some(number) if number <= max => Ok(()),
        _ => Err(StreamError::invalid_argument(
            "queryUsers",
            payload.path_of(name),
            format!(
                "must be a whole number from 0 to {max}, got {}",
                describe(Some(value))
            ),
        )),
    }
}

/// Builds `queryUsers({ payload })`: `GET /api/v2/users?payload=<JSON>`.
///
/// `payload.filter_conditions` is required, as in Stream's OpenAPI schema: the official SDK
/// sends a call without it and Stream rejects it, so it is rejected here before sending.
/// `{}` matches every user. `limit` must be a whole number from 0 to 100 and `offset` one
/// from 0 to 1000, the bounds of the schema's `QueryUsersPayload`.
pub fn query_users(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "queryUsers";
    const EXAMPLE: &str = "{ payload: { filter_conditions: { id: { $in: [\"alice\"] } } } }";
    let request = request.filter(|r| !r.is_null());
    let payload = match request {
        None => None,
        Some(request) => {
            Fields::of(OPERATION, "", Some(request), "with payload")?.optional_object("payload")?
        }
    };
    let Some(payload) = payload else {
        return Err(StreamError::invalid_argument(
            OPERATION,
            "payload",
            format!("is missing; pass {EXAMPLE}, or filter_conditions: {{}} to match every user"),
        ));
    };

    let checked = Value::Object(payload.clone());
    let payload_fields = Fields::of(OPERATION, "payload", Some(&checked), "")?;
    match payload_fields.get("filter_conditions") {
        Some(Value::Object(_)) => {}
        None => {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "payload.filter_conditions",
                "is missing; pass a filter such as { id: { $in: [\"alice\"] } }, or {} to \
                 match every user",
            ))
        }
        Some(other) => {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "payload.filter_conditions",
                format!(
                    "must be a filter object such as {{ id: {{ $in: [\"alice\"] }} }}, got {}",
                    describe(Some(other))
                ),
            ))
        }
    }
    check_bounded_integer(&payload_fields, "limit", MAX_QUERY_LIMIT)?;
    check_bounded_integer(&payload_fields, "offset", MAX_QUERY_OFFSET)?;

    let mut api_request = ApiRequest::new(
        Operation::QueryUsers,
        Method::Get,
        String::from("/api/v2/users"),
    );
    api_request
        .query
        .push((String::from("payload"), checked.to_string()));
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
