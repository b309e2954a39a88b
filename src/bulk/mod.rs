//! Bulk calls: the six user methods that take a list accept any number of users or IDs.
//!
//! Stream accepts at most [`MAX_CHUNK_SIZE`] users or IDs per request. A longer list is
//! checked as a whole first, then split into chunks of at most that many, which the
//! JavaScript layer sends with bounded concurrency. A list of up to [`MAX_CHUNK_SIZE`] is
//! sent as one request with the same payload as before.
//!
//! - [`plan`] checks the argument and builds one request per chunk.
//! - [`BulkRun`] decides when the next chunk may start (concurrency and rate limit), and
//!   records the outcome of each chunk.
//! - [`merge`] combines the response bodies of the chunks into one result.

mod merge;
mod run;

pub use merge::{merge, without_users};
pub use run::{BulkRun, ChunkIds, Progress, Step};

use std::collections::HashMap;

use serde_json::Value;

use crate::args::describe;
use crate::error::StreamError;
use crate::requests::{self, ApiRequest, Operation};

/// Maximum number of users or user IDs that Stream accepts in one request.
pub const MAX_CHUNK_SIZE: usize = 100;
/// Chunks in flight at once when the call's options give no `concurrency`.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Largest accepted `concurrency`. It bounds how fast one call uses up a rate-limit window,
/// which is shared with every other call to the same endpoint.
pub const MAX_CONCURRENCY: usize = 16;

/// Reads the `concurrency` call option: absent or `null` means [`DEFAULT_CONCURRENCY`].
pub fn concurrency_from_json(
    operation: &'static str,
    value: Option<&Value>,
) -> Result<usize, StreamError> {
    let Some(value) = value.filter(|value| !value.is_null()) else {
        return Ok(DEFAULT_CONCURRENCY);
    };
    match value.as_u64() {
        Some(number @ 1..) if number <= MAX_CONCURRENCY as u64 => Ok(number as usize),
        _ => Err(StreamError::invalid_argument(
            operation,
            "options.concurrency",
            format!(
                "must be a whole number from 1 to {MAX_CONCURRENCY}, got {}",
                describe(Some(value))
            ),
        )),
    }
}

/// One request of a bulk call and the user IDs it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// The request.
    pub request: ApiRequest,
    /// The IDs of the users in the request, in input order.
    pub ids: Vec<String>,
}

/// Builds the request of one operation from its JSON argument.
type Builder = fn(Option<&Value>) -> Result<ApiRequest, StreamError>;

/// Checks the argument of a bulk operation and splits it into requests of at most
/// [`MAX_CHUNK_SIZE`] users or IDs.
///
/// The whole argument is checked before any request is built, so an invalid user in the
/// last chunk rejects the call before anything is sent. When the call needs more than one
/// request, an ID may appear only once in the whole list, because the requests run
/// concurrently and their order on the server is not defined. Operations other than the
/// six bulk ones are rejected with an internal error.
pub fn plan(operation: Operation, argument: Option<&Value>) -> Result<Vec<Chunk>, StreamError> {
    match operation {
        Operation::UpsertUsers => plan_upsert(argument),
        Operation::UpdateUsersPartial => plan_partial_update(argument),
        Operation::DeactivateUsers => plan_by_ids(operation, requests::deactivate_users, argument),
        Operation::ReactivateUsers => plan_by_ids(operation, requests::reactivate_users, argument),
        Operation::DeleteUsers => plan_by_ids(operation, requests::delete_users, argument),
        Operation::RestoreUsers => plan_by_ids(operation, requests::restore_users, argument),
        other => Err(StreamError::Internal {
            operation: other.name(),
            detail: String::from("bulk::plan called for an operation without a list"),
        }),
    }
}

/// Returns the single chunk of a list that fits in one request.
fn single(request: ApiRequest, ids: Vec<String>) -> Vec<Chunk> {
    vec![Chunk { request, ids }]
}

/// Splits `items` into consecutive chunks of at most [`MAX_CHUNK_SIZE`] and builds the
/// request of each with `build`. `id_of` returns the user ID of an item.
fn split<T>(
    items: impl IntoIterator<Item = T>,
    id_of: impl Fn(&T) -> String,
    build: impl Fn(Vec<T>) -> Result<ApiRequest, StreamError>,
) -> Result<Vec<Chunk>, StreamError> {
    let mut chunks = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let part: Vec<T> = items.by_ref().take(MAX_CHUNK_SIZE).collect();
        let ids = part.iter().map(&id_of).collect();
        chunks.push(Chunk {
            request: build(part)?,
            ids,
        });
    }
    Ok(chunks)
}

/// Rejects the second occurrence of an ID. `path_of` names the item at an index.
fn check_unique_ids(
    operation: &'static str,
    ids: &[String],
    path_of: impl Fn(usize) -> String,
) -> Result<(), StreamError> {
    let mut first_index = HashMap::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        if let Some(first) = first_index.insert(id.as_str(), index) {
            return Err(StreamError::invalid_argument(
                operation,
                path_of(index),
                format!(
                    "{} repeats the id of {}; a list of more than {MAX_CHUNK_SIZE} is sent as \
                     concurrent requests, so each ID may appear once; merge the two",
                    describe(Some(&Value::from(id.as_str()))),
                    path_of(first)
                ),
            ));
        }
    }
    Ok(())
}

/// Returns the string `id` of an object, which the builders have already checked.
fn id_of(item: &Value) -> String {
    item.get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn plan_upsert(argument: Option<&Value>) -> Result<Vec<Chunk>, StreamError> {
    // Checks every user, and that no ID appears twice in the whole list.
    let by_id = requests::users_by_id(argument)?;
    if by_id.len() <= MAX_CHUNK_SIZE {
        let ids = by_id.keys().cloned().collect();
        return Ok(single(requests::upsert_request(by_id), ids));
    }
    split(
        by_id,
        |(id, _)| id.clone(),
        |part| Ok(requests::upsert_request(part.into_iter().collect())),
    )
}

fn plan_partial_update(argument: Option<&Value>) -> Result<Vec<Chunk>, StreamError> {
    const OPERATION: &str = "updateUsersPartial";
    let updates = requests::partial_updates(argument)?;
    if updates.len() <= MAX_CHUNK_SIZE {
        let ids = updates.iter().map(id_of).collect();
        return Ok(single(
            requests::partial_update_request(updates.clone()),
            ids,
        ));
    }
    let ids: Vec<String> = updates.iter().map(id_of).collect();
    check_unique_ids(OPERATION, &ids, |index| format!("users[{index}].id"))?;
    split(updates.iter().cloned(), id_of, |part| {
        Ok(requests::partial_update_request(part))
    })
}

/// Plans the four operations whose argument has a `user_ids` list. Each chunk's argument is
/// the caller's with `user_ids` replaced by the chunk's IDs, so every option is sent with
/// every chunk.
fn plan_by_ids(
    operation: Operation,
    build: Builder,
    argument: Option<&Value>,
) -> Result<Vec<Chunk>, StreamError> {
    let whole = build(argument)?;
    let fields = argument
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let ids: Vec<String> = fields
        .get("user_ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if ids.len() <= MAX_CHUNK_SIZE {
        return Ok(single(whole, ids));
    }
    check_unique_ids(operation.name(), &ids, |index| format!("user_ids[{index}]"))?;
    split(ids, String::clone, |part| {
        let mut chunk_fields = fields.clone();
        let part = part.into_iter().map(Value::from).collect();
        chunk_fields.insert(String::from("user_ids"), Value::Array(part));
        build(Some(&Value::Object(chunk_fields)))
    })
}

#[cfg(test)]
mod tests;
