//! The HTTP routes: Stream's API under `/api/v2/`, the control API under `/_sandbox/`, and
//! the optional demo folder under `/demo/`.

mod activation;
mod control;
mod deletion;
mod guest;
mod partial;
mod query;
mod tasks;
mod users;

use axum::extract::rejection::PathRejection;
use axum::extract::{OriginalUri, Path};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

use crate::auth::Access;
use crate::error::{code, ApiError, ApiResult};
use crate::input::QueryParams;
use crate::pipeline;
use crate::state::SharedState;
use crate::validate::check_user_id;

/// Builds the whole application.
pub fn app(state: SharedState) -> Router {
    let api = Router::new()
        .route(
            "/v2/users",
            get(query::query_users)
                .post(users::upsert)
                .patch(partial::update_partial),
        )
        .route("/v2/users/deactivate", post(activation::deactivate_many))
        .route("/v2/users/reactivate", post(activation::reactivate_many))
        .route("/v2/users/delete", post(deletion::delete_many))
        .route("/v2/users/restore", post(deletion::restore))
        .route(
            "/v2/users/{user_id}/deactivate",
            post(activation::deactivate_one),
        )
        .route(
            "/v2/users/{user_id}/reactivate",
            post(activation::reactivate_one),
        )
        .route("/v2/users/{user_id}/export", get(guest::export_user))
        .route("/v2/tasks/{id}", get(tasks::get_task))
        .route("/v2/guest", post(guest::create_guest))
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), pipeline::api));

    let mut app = Router::new()
        .nest("/api", api)
        .nest("/_sandbox", control::router())
        .fallback(unknown_endpoint);
    if let Some(dir) = &state.config.demo_dir {
        app = app.nest_service(
            "/demo",
            ServeDir::new(dir).append_index_html_on_directories(true),
        );
    }

    app.with_state(state)
        .layer(cors())
        .layer(from_fn(pipeline::front))
}

/// CORS for browser pages on any origin: preflights allow the headers Stream clients send,
/// and responses expose the rate-limit headers.
fn cors() -> CorsLayer {
    use axum::http::{header, HeaderName};
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("stream-auth-type"),
            HeaderName::from_static("x-client-request-id"),
            HeaderName::from_static("x-stream-client"),
        ])
        .expose_headers(pipeline::exposed_headers())
        .max_age(std::time::Duration::from_secs(600))
}

/// Authenticates a request and returns its query parameters.
pub async fn authorize(
    state: &SharedState,
    operation: &'static str,
    access: Access,
    headers: &HeaderMap,
    raw_query: Option<&str>,
) -> ApiResult<QueryParams> {
    let params = QueryParams::parse(raw_query);
    state
        .auth
        .authorize(&state.db, operation, access, headers, &params)
        .await?;
    Ok(params)
}

/// Reads and checks the `{user_id}` path parameter.
pub fn path_user_id(
    operation: &str,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<String> {
    let Path(user_id) = path.map_err(|rejection| {
        ApiError::field(
            operation,
            "user_id",
            format!("invalid path parameter: {rejection}"),
        )
    })?;
    check_user_id(operation, "user_id", &user_id)?;
    Ok(user_id)
}

pub(super) async fn unknown_endpoint(method: Method, OriginalUri(uri): OriginalUri) -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        code::NOT_FOUND,
        format!("{method} {} is not an endpoint of this sandbox", uri.path()),
    )
    .into_response()
}

pub(super) async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        code::NOT_ALLOWED,
        format!("method {method} is not allowed on {}", uri.path()),
    )
    .into_response()
}
