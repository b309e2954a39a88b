//! `GET /api/v2/users?payload=<JSON>`: queries users with a filter, sort and paging.

use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::authorize;
use crate::auth::Access;
use crate::db::users;
use crate::error::{ApiError, ApiResult};
use crate::input::parse_json;
use crate::input::RawQuery;
use crate::query::{filter, sort};
use crate::reply::Reply;
use crate::state::SharedState;
use crate::validate::describe;

const OPERATION: &str = "QueryUsers";
/// Users returned when `limit` is missing or 0.
// NOTE: 30 is an assumption about Stream's default page size; Stream's OpenAPI document
// gives only the maximum of 100.
const DEFAULT_LIMIT: u64 = 30;
/// Maximum `limit`.
const MAX_LIMIT: u64 = 100;
/// Maximum `offset`.
const MAX_OFFSET: u64 = 1000;

/// `GET /api/v2/users`: returns the users that match `filter_conditions`. Deleted users are
/// never returned, and deactivated ones only with `include_deactivated_users`.
pub async fn query_users(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Reply> {
    let params = authorize(&state, OPERATION, Access::Read, &headers, query.as_deref()).await?;
    let Some(payload) = params.get("payload") else {
        return Err(ApiError::field(
            OPERATION,
            "payload",
            "is required: send the query as JSON in the payload query parameter",
        ));
    };
    let payload = match parse_json(OPERATION, "the payload parameter", payload.as_bytes())? {
        Value::Object(payload) => payload,
        other => {
            return Err(ApiError::field(
                OPERATION,
                "payload",
                format!("must be a JSON object, got {}", describe(&other)),
            ))
        }
    };

    let conditions = payload
        .get("filter_conditions")
        .ok_or_else(|| ApiError::field(OPERATION, "filter_conditions", "is required"))?;
    let filter =
        filter::parse(conditions).map_err(|problem| ApiError::input(OPERATION, problem))?;
    let sort_keys =
        sort::parse(payload.get("sort")).map_err(|problem| ApiError::input(OPERATION, problem))?;
    let limit = match bounded_integer(&payload, "limit", MAX_LIMIT)? {
        None | Some(0) => DEFAULT_LIMIT,
        Some(limit) => limit,
    };
    let offset = bounded_integer(&payload, "offset", MAX_OFFSET)?.unwrap_or(0);
    let include_deactivated = optional_flag(&payload, "include_deactivated_users")?;
    optional_flag(&payload, "presence")?;
    if let Some(user_id) = payload
        .get("user_id")
        .filter(|v| !v.is_null() && !v.is_string())
    {
        return Err(ApiError::field(
            OPERATION,
            "user_id",
            format!("must be a string, got {}", describe(user_id)),
        ));
    }

    let candidates = filter.candidate_ids();
    let found = state
        .db
        .transaction(move |transaction| {
            let mut matching: Vec<_> =
                users::visible(transaction, include_deactivated, candidates.as_deref())?
                    .into_iter()
                    .filter(|user| filter.matches(user))
                    .collect();
            sort::sort_users(&mut matching, &sort_keys);
            Ok(matching)
        })
        .await?;

    let page: Vec<Value> = found
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|user| user.to_response(true))
        .collect();
    let mut body = Map::new();
    body.insert(String::from("users"), Value::Array(page));
    Ok(Reply::ok(body))
}

/// Reads an optional integer from 0 to `max`.
fn bounded_integer(payload: &Map<String, Value>, field: &str, max: u64) -> ApiResult<Option<u64>> {
    match payload.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => match number.as_u64() {
            Some(value) if value <= max => Ok(Some(value)),
            _ => Err(ApiError::field(
                OPERATION,
                field,
                format!("must be an integer from 0 to {max}, got {number}"),
            )),
        },
        Some(other) => Err(ApiError::field(
            OPERATION,
            field,
            format!(
                "must be an integer from 0 to {max}, got {}",
                describe(other)
            ),
        )),
    }
}

fn optional_flag(payload: &Map<String, Value>, field: &str) -> ApiResult<bool> {
    match payload.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(other) => Err(ApiError::field(
            OPERATION,
            field,
            format!("must be true or false, got {}", describe(other)),
        )),
    }
}
