//! Applies the fields of user objects from upserts, partial updates and guest requests.
//!
//! Fields of Stream's user model are type-checked and stored in their own slots. Any other
//! field becomes custom data, as Stream stores it. Server-managed fields that appear in
//! responses (`created_at`, `banned`, `online`, ...) are ignored when sent back.

use serde_json::{Map, Value};

use crate::clock::parse_timestamp;
use crate::error::{ApiError, ApiResult};
use crate::user_record::{StoredUser, DEFAULT_ROLE};
use crate::validate::{describe, Roles};

/// Response fields that only the server sets; a request that sends them has them ignored.
const READ_ONLY_FIELDS: &[&str] = &[
    "avg_response_time",
    "ban_expires",
    "banned",
    "blocked_user_ids",
    "bypass_moderation",
    "channel_mutes",
    "created_at",
    "deactivated_at",
    "deleted_at",
    "devices",
    "last_active",
    "latest_hidden_channels",
    "mutes",
    "online",
    "push_notifications",
    "shadow_banned",
    "total_unread_count",
    "unread_channels",
    "unread_count",
    "unread_threads",
    "updated_at",
];

/// The source of a user object in a request, for error messages.
pub struct FieldContext<'a> {
    /// Stream's operation name, such as `UpdateUsers`.
    pub operation: &'a str,
    /// The path of the object in the request, such as `users.alice`.
    pub path: String,
    /// The roles the app accepts.
    pub roles: &'a Roles,
}

impl FieldContext<'_> {
    fn field_path(&self, name: &str) -> String {
        format!("{}.{name}", self.path)
    }

    fn reject(&self, name: &str, problem: String) -> ApiError {
        ApiError::field(self.operation, &self.field_path(name), problem)
    }

    fn expect_string(&self, name: &str, value: &Value) -> ApiResult<Option<String>> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            other => Err(self.reject(name, format!("must be a string, got {}", describe(other)))),
        }
    }

    fn expect_object(&self, name: &str, value: &Value) -> ApiResult<Option<Map<String, Value>>> {
        match value {
            Value::Null => Ok(None),
            Value::Object(map) => Ok(Some(map.clone())),
            other => Err(self.reject(name, format!("must be an object, got {}", describe(other)))),
        }
    }
}

/// Sets one top-level field of a user object on `user`.
///
/// `id` must be handled by the caller. `custom` merges its keys into the custom data.
pub fn apply_field(
    user: &mut StoredUser,
    name: &str,
    value: &Value,
    context: &FieldContext<'_>,
) -> ApiResult<()> {
    match name {
        "name" => user.name = context.expect_string(name, value)?,
        "image" => user.image = context.expect_string(name, value)?,
        "language" => user.language = context.expect_string(name, value)?,
        "role" => {
            let role = context.expect_string(name, value)?;
            let role = role.unwrap_or_else(|| String::from(DEFAULT_ROLE));
            context
                .roles
                .check(context.operation, &context.field_path(name), &role)?;
            user.role = role;
        }
        "teams" => user.teams = teams_of(value, context)?,
        "teams_role" => {
            let teams_role = context.expect_object(name, value)?;
            if let Some((team, role)) = teams_role
                .iter()
                .flatten()
                .find(|(_, role)| !role.is_string())
            {
                return Err(context.reject(
                    &format!("teams_role.{team}"),
                    format!("must be a string, got {}", describe(role)),
                ));
            }
            user.teams_role = teams_role;
        }
        "invisible" => {
            user.invisible = match value {
                Value::Null => false,
                Value::Bool(flag) => *flag,
                other => {
                    return Err(
                        context.reject(name, format!("must be a boolean, got {}", describe(other)))
                    )
                }
            }
        }
        "privacy_settings" => user.privacy_settings = privacy_settings_of(value, context)?,
        "custom" => {
            if let Some(custom) = context.expect_object(name, value)? {
                user.custom.extend(custom);
            }
        }
        "revoke_tokens_issued_before" => {
            user.revoke_tokens_issued_before = match context.expect_string(name, value)? {
                None => None,
                Some(text) => Some(parse_timestamp(&text).ok_or_else(|| {
                    context.reject(
                        name,
                        format!("{} is not an RFC 3339 timestamp", describe(value)),
                    )
                })?),
            }
        }
        _ if READ_ONLY_FIELDS.contains(&name) => {}
        _ => {
            user.custom.insert(name.to_owned(), value.clone());
        }
    }
    Ok(())
}

/// Removes one field, named as in a partial update's `unset` list.
pub fn unset_field(user: &mut StoredUser, name: &str) {
    match name {
        "name" => user.name = None,
        "image" => user.image = None,
        "language" => user.language = None,
        "role" => user.role = String::from(DEFAULT_ROLE),
        "teams" => user.teams.clear(),
        "teams_role" => user.teams_role = None,
        "invisible" => user.invisible = false,
        "privacy_settings" => user.privacy_settings = None,
        "custom" => user.custom.clear(),
        "revoke_tokens_issued_before" => user.revoke_tokens_issued_before = None,
        _ => {
            user.custom.remove(name);
        }
    }
}

/// Builds the profile of an upserted user object on top of `base`, which carries the
/// server-managed state of the stored user (or is a new user).
pub fn upserted_user(
    base: StoredUser,
    object: &Map<String, Value>,
    context: &FieldContext<'_>,
) -> ApiResult<StoredUser> {
    let mut user = base;
    for (name, value) in object {
        if name != "id" {
            apply_field(&mut user, name, value, context)?;
        }
    }
    Ok(user)
}

fn teams_of(value: &Value, context: &FieldContext<'_>) -> ApiResult<Vec<String>> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => {
            return Err(context.reject(
                "teams",
                format!("must be an array of strings, got {}", describe(other)),
            ))
        }
    };
    let mut teams = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::String(team) if !team.is_empty() => {
                if !teams.contains(team) {
                    teams.push(team.clone());
                }
            }
            other => {
                return Err(context.reject(
                    &format!("teams[{index}]"),
                    format!("must be a non-empty string, got {}", describe(other)),
                ))
            }
        }
    }
    Ok(teams)
}

/// Settings a user's `privacy_settings` may contain.
const PRIVACY_SETTINGS: &[&str] = &["delivery_receipts", "read_receipts", "typing_indicators"];

/// Checks `privacy_settings` and stores it normalized. Each setting is an object with the
/// boolean `enabled`, which Stream's schema requires, and other keys are dropped.
fn privacy_settings_of(value: &Value, context: &FieldContext<'_>) -> ApiResult<Option<Value>> {
    let Some(settings) = context.expect_object("privacy_settings", value)? else {
        return Ok(None);
    };
    let mut normalized = Map::new();
    for (name, setting) in &settings {
        let field = format!("privacy_settings.{name}");
        if !PRIVACY_SETTINGS.contains(&name.as_str()) {
            return Err(context.reject(
                &field,
                format!(
                    "is not a privacy setting: use {}",
                    PRIVACY_SETTINGS.join(", ")
                ),
            ));
        }
        let enabled = match setting {
            Value::Object(setting) => setting.get("enabled"),
            other => {
                return Err(context.reject(
                    &field,
                    format!("must be an object with enabled, got {}", describe(other)),
                ))
            }
        };
        match enabled {
            Some(Value::Bool(enabled)) => {
                normalized.insert(name.clone(), serde_json::json!({ "enabled": enabled }));
            }
            None | Some(Value::Null) => {
                return Err(context.reject(&format!("{field}.enabled"), String::from("is required")))
            }
            Some(other) => {
                return Err(context.reject(
                    &format!("{field}.enabled"),
                    format!("must be a boolean, got {}", describe(other)),
                ))
            }
        }
    }
    Ok(Some(Value::Object(normalized)))
}
