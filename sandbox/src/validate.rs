//! Input rules that Stream enforces on user IDs, roles, ID lists and enum fields.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// Maximum length of a user ID, in characters.
pub const MAX_USER_ID_CHARS: usize = 255;
/// Maximum number of user IDs in one bulk request, and of users in one upsert or update.
pub const MAX_USERS_PER_REQUEST: usize = 100;
/// Roles every Stream app has.
pub const BUILT_IN_ROLES: &[&str] = &[
    "admin",
    "anonymous",
    "channel_member",
    "channel_moderator",
    "guest",
    "moderator",
    "user",
];
/// Maximum length of a value quoted in an error message, in characters.
const MAX_QUOTED_CHARS: usize = 80;

/// Returns a JSON value as it appears in error messages, shortened when long.
pub fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_QUOTED_CHARS {
        return text;
    }
    let head: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    format!("{head}...")
}

/// Returns the problem with a user ID, or `None` when it is valid.
pub fn user_id_problem(id: &str) -> Option<String> {
    let quoted = describe(&Value::String(id.to_owned()));
    if id.is_empty() {
        return Some(String::from("user id must not be empty"));
    }
    if id.chars().count() > MAX_USER_ID_CHARS {
        return Some(format!(
            "user id {quoted} is longer than {MAX_USER_ID_CHARS} characters"
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '@' | '_' | '-');
    if !id.chars().all(allowed) {
        return Some(format!(
            "user id {quoted} is invalid: use only letters, digits, @, _ and -"
        ));
    }
    None
}

/// Checks a user ID found at `field` of an operation's input.
pub fn check_user_id(operation: &str, field: &str, id: &str) -> ApiResult<()> {
    match user_id_problem(id) {
        Some(problem) => Err(ApiError::field(operation, field, problem)),
        None => Ok(()),
    }
}

/// Returns whether `name` may be used as a custom role: 1 to 64 letters, digits, `_` or `-`.
pub fn is_valid_role_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

/// The roles this app accepts: the built-in ones and those given with `--role`.
#[derive(Debug, Clone)]
pub struct Roles {
    names: BTreeSet<String>,
}

impl Roles {
    /// Builds the set from the extra role names.
    pub fn new(extra: &[String]) -> Self {
        let mut names: BTreeSet<String> = BUILT_IN_ROLES.iter().map(|r| r.to_string()).collect();
        names.extend(extra.iter().cloned());
        Self { names }
    }

    /// Checks a role found at `field`.
    pub fn check(&self, operation: &str, field: &str, role: &str) -> ApiResult<()> {
        if self.names.contains(role) {
            return Ok(());
        }
        let known: Vec<&str> = self.names.iter().map(String::as_str).collect();
        Err(ApiError::field(
            operation,
            field,
            format!(
                "role {} does not exist: use one of {}",
                describe(&Value::String(role.to_owned())),
                known.join(", ")
            ),
        ))
    }
}

/// Reads the required list of 1 to 100 user IDs at `field`, without duplicates.
pub fn user_ids(operation: &str, body: &Map<String, Value>, field: &str) -> ApiResult<Vec<String>> {
    let items = match body.get(field) {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => {
            return Err(ApiError::field(operation, field, "is required"));
        }
        Some(other) => {
            return Err(ApiError::field(
                operation,
                field,
                format!("must be an array of user ids, got {}", describe(other)),
            ));
        }
    };
    if items.is_empty() || items.len() > MAX_USERS_PER_REQUEST {
        return Err(ApiError::field(
            operation,
            field,
            format!(
                "must contain 1 to {MAX_USERS_PER_REQUEST} user ids, got {}",
                items.len()
            ),
        ));
    }

    let mut ids: Vec<String> = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let item_field = format!("{field}[{index}]");
        let Value::String(id) = item else {
            return Err(ApiError::field(
                operation,
                &item_field,
                format!("must be a string, got {}", describe(item)),
            ));
        };
        check_user_id(operation, &item_field, id)?;
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Ok(ids)
}

/// Reads an optional enum string. A missing, null or empty value means "not set", as
/// Stream's delete modes document.
pub fn optional_choice(
    operation: &str,
    body: &Map<String, Value>,
    field: &str,
    choices: &[&str],
) -> ApiResult<Option<String>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.is_empty() => Ok(None),
        Some(Value::String(text)) if choices.contains(&text.as_str()) => Ok(Some(text.clone())),
        Some(other) => Err(ApiError::field(
            operation,
            field,
            format!("{} is not one of {}", describe(other), choices.join(", ")),
        )),
    }
}

/// Reads an optional boolean.
pub fn optional_bool(
    operation: &str,
    body: &Map<String, Value>,
    field: &str,
) -> ApiResult<Option<bool>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(other) => Err(ApiError::field(
            operation,
            field,
            format!("must be a boolean, got {}", describe(other)),
        )),
    }
}

/// Reads an optional string.
pub fn optional_string(
    operation: &str,
    body: &Map<String, Value>,
    field: &str,
) -> ApiResult<Option<String>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(ApiError::field(
            operation,
            field,
            format!("must be a string, got {}", describe(other)),
        )),
    }
}

/// Reads an optional user ID; an empty string counts as not set.
pub fn optional_user_id(
    operation: &str,
    body: &Map<String, Value>,
    field: &str,
) -> ApiResult<Option<String>> {
    match optional_string(operation, body, field)? {
        Some(id) if id.is_empty() => Ok(None),
        Some(id) => {
            check_user_id(operation, field, &id)?;
            Ok(Some(id))
        }
        None => Ok(None),
    }
}
