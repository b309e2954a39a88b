//! The request that reads a task's state.

use serde_json::Value;

use super::{encode_component, ApiRequest, Method, Operation};
use crate::args::Fields;
use crate::error::StreamError;

/// Builds `getTask({ id })`: `GET /api/v2/tasks/{id}`.
pub fn get_task(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    let fields = Fields::of("getTask", "", request, "with id")?;
    let id = fields.required_id("id")?;

    let path = format!("/api/v2/tasks/{}", encode_component(id));
    Ok(ApiRequest::new(Operation::GetTask, Method::Get, path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_task_request() {
        let request = get_task(Some(&json!({"id": "0f1e-2d"}))).unwrap();

        assert_eq!(request.method, Method::Get);
        assert_eq!(request.path, "/api/v2/tasks/0f1e-2d");
        assert_eq!(request.body, None);
    }

    #[test]
    fn get_task_requires_id() {
        let missing = get_task(Some(&json!({}))).unwrap_err();
        let not_object = get_task(None).unwrap_err();

        assert_eq!(
            missing.to_string(),
            "getTask: id is missing; it must be a non-empty string"
        );
        assert_eq!(
            not_object.to_string(),
            "getTask: the argument must be an object with id, got undefined"
        );
    }
}
