//! Requests of every API operation: method, path, query and JSON body.
//!
//! Each builder takes the operation's JavaScript argument as JSON, checks it, and returns an
//! [`ApiRequest`] with the payload that `@stream-io/node-sdk` 0.7.64 sends. The builders copy
//! the same known properties and drop unknown ones, and `queryUsers` sends its `payload` as
//! JSON in the query string.

mod activation;
mod deletion;
mod tasks;
mod users;

pub use activation::{deactivate_user, deactivate_users, reactivate_user, reactivate_users};
pub use deletion::{delete_users, restore_users};
pub use tasks::get_task;
pub use users::{create_guest, export_user, query_users, update_users_partial, upsert_users};
pub(crate) use users::{partial_update_request, partial_updates, upsert_request, users_by_id};

use crate::timestamps::Schema;

/// An API operation, named after its JavaScript method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `upsertUsers`: `POST /api/v2/users`.
    UpsertUsers,
    /// `updateUsersPartial`: `PATCH /api/v2/users`.
    UpdateUsersPartial,
    /// `queryUsers`: `GET /api/v2/users`.
    QueryUsers,
    /// `deactivateUser`: `POST /api/v2/users/{user_id}/deactivate`.
    DeactivateUser,
    /// `reactivateUser`: `POST /api/v2/users/{user_id}/reactivate`.
    ReactivateUser,
    /// `deactivateUsers`: `POST /api/v2/users/deactivate`.
    DeactivateUsers,
    /// `reactivateUsers`: `POST /api/v2/users/reactivate`.
    ReactivateUsers,
    /// `deleteUsers`: `POST /api/v2/users/delete`.
    DeleteUsers,
    /// `restoreUsers`: `POST /api/v2/users/restore`.
    RestoreUsers,
    /// `getTask`: `GET /api/v2/tasks/{id}`.
    GetTask,
    /// `createGuest`: `POST /api/v2/guest`.
    CreateGuest,
    /// `exportUser`: `GET /api/v2/users/{user_id}/export`.
    ExportUser,
}

impl Operation {
    /// Returns the JavaScript method name, used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Operation::UpsertUsers => "upsertUsers",
            Operation::UpdateUsersPartial => "updateUsersPartial",
            Operation::QueryUsers => "queryUsers",
            Operation::DeactivateUser => "deactivateUser",
            Operation::ReactivateUser => "reactivateUser",
            Operation::DeactivateUsers => "deactivateUsers",
            Operation::ReactivateUsers => "reactivateUsers",
            Operation::DeleteUsers => "deleteUsers",
            Operation::RestoreUsers => "restoreUsers",
            Operation::GetTask => "getTask",
            Operation::CreateGuest => "createGuest",
            Operation::ExportUser => "exportUser",
        }
    }

    /// Returns the schema of the response body, which lists its timestamp fields.
    pub fn response_schema(self) -> Option<Schema> {
        match self {
            Operation::UpsertUsers | Operation::UpdateUsersPartial => {
                Some(Schema::UpdateUsersResponse)
            }
            Operation::QueryUsers => Some(Schema::QueryUsersResponse),
            Operation::DeactivateUser => Some(Schema::DeactivateUserResponse),
            Operation::ReactivateUser => Some(Schema::ReactivateUserResponse),
            Operation::GetTask => Some(Schema::GetTaskResponse),
            Operation::CreateGuest => Some(Schema::CreateGuestResponse),
            Operation::ExportUser => Some(Schema::ExportUserResponse),
            Operation::DeactivateUsers
            | Operation::ReactivateUsers
            | Operation::DeleteUsers
            | Operation::RestoreUsers => None,
        }
    }
}

/// An HTTP method used by the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
}

impl Method {
    /// Returns the method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }
}

/// One API request, before the client adds its base URL, `api_key` and headers.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    /// The operation that builds this request.
    pub operation: Operation,
    /// HTTP method.
    pub method: Method,
    /// Path with its parameters percent-encoded, for example `/api/v2/tasks/abc`.
    pub path: String,
    /// Query parameters other than `api_key`, not yet encoded.
    pub query: Vec<(String, String)>,
    /// JSON body, for methods that send one.
    pub body: Option<String>,
}

impl ApiRequest {
    fn new(operation: Operation, method: Method, path: String) -> Self {
        Self {
            operation,
            method,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    fn with_body(mut self, body: String) -> Self {
        self.body = Some(body);
        self
    }

    /// Returns `path?query`, with `api_key` appended last as the official SDK does.
    pub fn path_and_query(&self, api_key: &str) -> String {
        let mut url = self.path.clone();
        let parameters = self.query.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        for (index, (name, value)) in parameters.chain([("api_key", api_key)]).enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&encode_component(name));
            url.push('=');
            url.push_str(&encode_component(value));
        }
        url
    }
}

/// Percent-encodes `text` like JavaScript's `encodeURIComponent`: every byte except ASCII
/// letters, digits and `-_.!~*'()` becomes `%XX` of its UTF-8 encoding.
pub fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_component_matches_js() {
        // Expected values from Node 20's encodeURIComponent.
        assert_eq!(
            encode_component("Zoë & Co? #1 =%"),
            "Zo%C3%AB%20%26%20Co%3F%20%231%20%3D%25"
        );
        assert_eq!(
            encode_component("a-b_c.d!e~f*g'h(i)j"),
            "a-b_c.d!e~f*g'h(i)j"
        );
        assert_eq!(encode_component("a/b:c"), "a%2Fb%3Ac");
        assert_eq!(encode_component("{\"x\":[1]}"), "%7B%22x%22%3A%5B1%5D%7D");
    }

    #[test]
    fn path_and_query_appends_api_key_last() {
        let mut request = ApiRequest::new(
            Operation::QueryUsers,
            Method::Get,
            String::from("/api/v2/users"),
        );
        request
            .query
            .push((String::from("payload"), String::from("{}")));

        assert_eq!(
            request.path_and_query("k&y"),
            "/api/v2/users?payload=%7B%7D&api_key=k%26y"
        );
    }

    #[test]
    fn path_and_query_without_parameters() {
        let request = ApiRequest::new(
            Operation::GetTask,
            Method::Get,
            String::from("/api/v2/tasks/t"),
        );

        assert_eq!(request.path_and_query("key"), "/api/v2/tasks/t?api_key=key");
    }

    #[test]
    fn names_are_js_method_names() {
        assert_eq!(Operation::UpdateUsersPartial.name(), "updateUsersPartial");
        assert_eq!(Operation::GetTask.name(), "getTask");
        assert_eq!(Method::Patch.as_str(), "PATCH");
    }
}
