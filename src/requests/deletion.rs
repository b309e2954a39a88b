//! Requests that delete users as a task and restore soft-deleted ones.

use serde_json::Value;

use super::{ApiRequest, Method, Operation};
use crate::args::{Body, Fields};
use crate::error::StreamError;

/// Delete modes of `user` and `messages`.
const USER_MODES: &[&str] = &["soft", "pruning", "hard"];
/// Delete modes of `conversations` and `calls`.
const CHANNEL_MODES: &[&str] = &["soft", "hard"];

/// Builds `deleteUsers({ user_ids, user, conversations, messages, calls, files,
/// new_channel_owner_id, new_call_owner_id })`: `POST /api/v2/users/delete`, which starts a
/// task. Each mode left out (or empty) means "do not delete".
pub fn delete_users(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "deleteUsers";
    let fields = Fields::of(OPERATION, "", request, "with user_ids")?;
    fields.user_ids("user_ids")?;
    fields.optional_choice("user", USER_MODES)?;
    fields.optional_choice("messages", USER_MODES)?;
    fields.optional_choice("conversations", CHANNEL_MODES)?;
    fields.optional_choice("calls", CHANNEL_MODES)?;
    fields.optional_bool("files")?;
    fields.optional_string("new_call_owner_id")?;
    fields.optional_string("new_channel_owner_id")?;

    let mut body = Body::new();
    let names = [
        "user_ids",
        "calls",
        "conversations",
        "files",
        "messages",
        "new_call_owner_id",
        "new_channel_owner_id",
        "user",
    ];
    for name in names {
        body.copy(&fields, name);
    }
    let path = String::from("/api/v2/users/delete");
    Ok(ApiRequest::new(Operation::DeleteUsers, Method::Post, path).with_body(body.into_json()))
}

/// Builds `restoreUsers({ user_ids })`: `POST /api/v2/users/restore`.
pub fn restore_users(request: Option<&Value>) -> Result<ApiRequest, StreamError> {
    const OPERATION: &str = "restoreUsers";
    let fields = Fields::of(OPERATION, "", request, "with user_ids")?;
    fields.user_ids("user_ids")?;

    let mut body = Body::new();
    body.copy(&fields, "user_ids");
    let path = String::from("/api/v2/users/restore");
    Ok(ApiRequest::new(Operation::RestoreUsers, Method::Post, path).with_body(body.into_json()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(request: &ApiRequest) -> Value {
        serde_json::from_str(request.body.as_deref().unwrap_or("null")).unwrap()
    }

    #[test]
    fn delete_users_copies_every_option() {
        let input = json!({
            "user_ids": ["mia"],
            "user": "soft",
            "messages": "pruning",
            "conversations": "hard",
            "calls": "soft",
            "files": true,
            "new_channel_owner_id": "noah",
            "new_call_owner_id": "noah",
            "extra": "dropped"
        });

        let request = delete_users(Some(&input)).unwrap();

        assert_eq!(request.path, "/api/v2/users/delete");
        let mut expected = input.clone();
        expected.as_object_mut().unwrap().remove("extra");
        assert_eq!(body(&request), expected);
    }

    #[test]
    fn delete_users_accepts_empty_mode() {
        let input = json!({"user_ids": ["mia"], "messages": ""});

        let request = delete_users(Some(&input)).unwrap();

        assert_eq!(body(&request), json!({"user_ids": ["mia"], "messages": ""}));
    }

    #[test]
    fn delete_users_rejects_unknown_modes() {
        let user = delete_users(Some(&json!({"user_ids": ["a"], "user": "obliterate"})));
        let calls = delete_users(Some(&json!({"user_ids": ["a"], "calls": "pruning"})));

        assert_eq!(
            user.unwrap_err().to_string(),
            "deleteUsers: user must be one of \"soft\", \"pruning\", \"hard\", got \"obliterate\""
        );
        assert!(calls
            .unwrap_err()
            .to_string()
            .contains("calls must be one of \"soft\", \"hard\""));
    }

    #[test]
    fn restore_users_request() {
        let request = restore_users(Some(&json!({"user_ids": ["mia"]}))).unwrap();

        assert_eq!(request.operation, Operation::RestoreUsers);
        assert_eq!(body(&request), json!({"user_ids": ["mia"]}));
    }

    #[test]
    fn restore_users_requires_ids() {
        let error = restore_users(Some(&json!({}))).unwrap_err();

        assert_eq!(
            error.to_string(),
            "restoreUsers: user_ids is missing; pass an array of user IDs"
        );
    }
}
