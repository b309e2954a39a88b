//! `GET /api/v2/tasks/{id}`: the status of an asynchronous task.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};

use super::authorize;
use crate::auth::Access;
use crate::clock::format_timestamp;
use crate::db::tasks;
use crate::error::{ApiError, ApiResult};
use crate::input::RawQuery;
use crate::reply::Reply;
use crate::state::SharedState;

/// `GET /api/v2/tasks/{id}`: returns the task's status, and once it ended its `result`
/// (and `error` when it failed).
pub async fn get_task(
    State(state): State<SharedState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Reply> {
    const OPERATION: &str = "GetTask";
    authorize(
        &state,
        OPERATION,
        Access::Server,
        &headers,
        query.as_deref(),
    )
    .await?;
    let Path(task_id) = path.map_err(|rejection| {
        ApiError::field(
            OPERATION,
            "id",
            format!("invalid path parameter: {rejection}"),
        )
    })?;

    let id = task_id.clone();
    let task = state
        .db
        .transaction(move |transaction| tasks::get(transaction, &id))
        .await?;
    let Some(task) = task else {
        return Err(ApiError::not_found(
            OPERATION,
            format!("task {} does not exist", json!(task_id)),
        ));
    };

    let mut body = Map::new();
    body.insert(String::from("task_id"), Value::String(task.id));
    body.insert(String::from("status"), Value::String(task.status));
    body.insert(
        String::from("created_at"),
        json!(format_timestamp(task.created_at)),
    );
    body.insert(
        String::from("updated_at"),
        json!(format_timestamp(task.updated_at)),
    );
    if let Some(result) = task.result {
        body.insert(String::from("result"), result);
    }
    if let Some(error) = task.error {
        body.insert(String::from("error"), error);
    }
    Ok(Reply::ok(body))
}
