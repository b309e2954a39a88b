//! Requests that deactivate and reactivate users, one at once or many as a task.

use serde_json::Value;

use super::{encode_component, ApiRequest, Method, Operation};
use crate::args::{Body, Fields};
use crate::error::StreamError;

/// Builds `deactivateUser({ user_id, mark_messages_deleted, created_by_id })`:
/// `POST /api/v2/users/{user_id}/deactivate`.
pub fn deactivate_user(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "deactivateUser";
    let fields = Fields::of(OPERATION, "", request, "with user_id")?;
    let user_id = fields.required_id("user_id")?;
    fields.optional_string("created_by_id")?;
    fields.optional_bool("mark_messages_deleted")?;

    let mut body = Body::new();
    body.copy(&fields, "created_by_id");
    body.copy(&fields, "mark_messages_deleted");
    let path = format!("/api/v2/users/{}/deactivate", encode_component(user_id));
    Ok(ApiRequest::new(Operation::DeactivateUser, Method::Post, path).with_body(body.into_json()))
}

/// Builds `reactivateUser({ user_id, restore_messages, name, created_by_id })`:
/// `POST /api/v2/users/{user_id}/reactivate`.
pub fn reactivate_user(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "reactivateUser";
    let fields = Fields::of(OPERATION, "", request, "with user_id")?;
    let user_id = fields.required_id("user_id")?;
    fields.optional_string("created_by_id")?;
    fields.optional_string("name")?;
    fields.optional_bool("restore_messages")?;

    let mut body = Body::new();
    body.copy(&fields, "created_by_id");
    body.copy(&fields, "name");
    body.copy(&fields, "restore_messages");
    let path = format!("/api/v2/users/{}/reactivate", encode_component(user_id));
    Ok(ApiRequest::new(Operation::ReactivateUser, Method::Post, path).with_body(body.into_json()))
}

/// Builds `deactivateUsers({ user_ids, mark_messages_deleted, mark_channels_deleted,
/// created_by_id })`: `POST /api/v2/users/deactivate`, which starts a task.
pub fn deactivate_users(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "deactivateUsers";
    let fields = Fields::of(OPERATION, "", request, "with user_ids")?;
    fields.user_ids("user_ids")?;
    fields.optional_string("created_by_id")?;
    fields.optional_bool("mark_channels_deleted")?;
    fields.optional_bool("mark_messages_deleted")?;

    let mut body = Body::new();
    for name in [
        "user_ids",
        "created_by_id",
        "mark_channels_deleted",
        "mark_messages_deleted",
    ] {
        body.copy(&fields, name);
    }
    let path = String::from("/api/v2/users/deactivate");
    Ok(ApiRequest::new(Operation::DeactivateUsers, Method::Post, path).with_body(body.into_json()))
}

/// Builds `reactivateUsers({ user_ids, restore_messages, restore_channels, created_by_id })`:
/// `POST /api/v2/users/reactivate`, which starts a task.
pub fn reactivate_users(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "reactivateUsers";
    let fields = Fields::of(OPERATION, "", request, "with user_ids")?;
    fields.user_ids("user_ids")?;
    fields.optional_string("created_by_id")?;
    fields.optional_bool("restore_channels")?;
    fields.optional_bool("restore_messages")?;

    let mut body = Body::new();
    for name in [
        "user_ids",
        "created_by_id",
        "restore_channels",
        "restore_messages",
    ] {
        body.copy(&fields, name);
    }
    let path = String::from("/api/v2/users/reactivate");
    Ok(ApiRequest::new(Operation::ReactivateUsers, Method::Post, path).with_body(body.into_json()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(request: &ApiRequest) -> Value {
        serde_json::from_str(request.body.as_deref().unwrap_or("null")).unwrap()
    }

    #[test]
    fn deactivate_user_request() {
        let input = json!({
            "user_id": "hank",
            "mark_messages_deleted": false,
            "created_by_id": "boss",
            "unknown": 1
        });

        let request = deactivate_user(Some(&input)).unwrap();

        assert_eq!(request.method, Method::Post);
        assert_eq!(request.path, "/api/v2/users/hank/deactivate");
        assert_eq!(
            body(&request),
            json!({"created_by_id": "boss", "mark_messages_deleted": false})
        );
    }

    #[test]
    fn deactivate_user_encodes_path() {
        let input = json!({"user_id": "a/b c"});

        let request = deactivate_user(Some(&input)).unwrap();

        assert_eq!(request.path, "/api/v2/users/a%2Fb%20c/deactivate");
        assert_eq!(body(&request), json!({}));
    }

    #[test]
    fn reactivate_user_request() {
        let input = json!({"user_id": "hank", "restore_messages": true, "name": "Hank"});

        let request = reactivate_user(Some(&input)).unwrap();

        assert_eq!(request.path, "/api/v2/users/hank/reactivate");
        assert_eq!(
            body(&request),
            json!({"name": "Hank", "restore_messages": true})
        );
    }

    #[test]
    fn single_user_errors() {
        let missing = deactivate_user(Some(&json!({}))).unwrap_err();
        let numeric = reactivate_user(Some(&json!({"user_id": 7}))).unwrap_err();
        let flag = deactivate_user(Some(
            &json!({"user_id": "a", "mark_messages_deleted": "yes"}),
        ));

        assert_eq!(
            missing.to_string(),
            "deactivateUser: user_id is missing; it must be a non-empty string"
        );
        assert_eq!(
            numeric.to_string(),
            "reactivateUser: user_id must be a non-empty string, got 7"
        );
        assert!(flag
            .unwrap_err()
            .to_string()
            .contains("mark_messages_deleted must be true or false"));
    }

    #[test]
    fn deactivate_users_request() {
        let input = json!({
            "user_ids": ["ivy", "jack"],
            "mark_messages_deleted": true,
            "mark_channels_deleted": false,
            "created_by_id": "kate"
        });

        let request = deactivate_users(Some(&input)).unwrap();

        assert_eq!(request.operation, Operation::DeactivateUsers);
        assert_eq!(request.path, "/api/v2/users/deactivate");
        assert_eq!(
            body(&request),
            json!({
                "user_ids": ["ivy", "jack"],
                "created_by_id": "kate",
                "mark_channels_deleted": false,
                "mark_messages_deleted": true
            })
        );
    }

    #[test]
    fn reactivate_users_request() {
        let input = json!({"user_ids": ["ivy"], "restore_channels": true});

        let request = reactivate_users(Some(&input)).unwrap();

        assert_eq!(request.path, "/api/v2/users/reactivate");
        assert_eq!(
            body(&request),
            json!({"user_ids": ["ivy"], "restore_channels": true})
        );
    }

    #[test]
    fn batch_errors_name_value() {
        let text = deactivate_users(Some(&json!({"user_ids": "alice"}))).unwrap_err();
        let mixed = reactivate_users(Some(&json!({"user_ids": ["alice", 5]}))).unwrap_err();

        assert_eq!(
            text.to_string(),
            "deactivateUsers: user_ids must be an array of user IDs, got \"alice\""
        );
        assert_eq!(
            mixed.to_string(),
            "reactivateUsers: user_ids[1] must be a string, got 5"
        );
    }
}
