//! The stored form of a user and its `UserResponse` / `FullUserResponse` JSON.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::clock::format_timestamp;

/// The role a user gets when none is given.
pub const DEFAULT_ROLE: &str = "user";

/// A user as the database stores it. Times are Unix nanoseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredUser {
    /// The user ID.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Profile image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Global role.
    pub role: String,
    /// Teams the user belongs to.
    #[serde(default)]
    pub teams: Vec<String>,
    /// Role per team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams_role: Option<Map<String, Value>>,
    /// Preferred language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Whether the user appears offline to others.
    #[serde(default)]
    pub invisible: bool,
    /// Typing indicator, read receipt and delivery receipt settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_settings: Option<Value>,
    /// Custom data: every field outside the user model.
    #[serde(default)]
    pub custom: Map<String, Value>,
    /// Creation time.
    pub created_at: i64,
    /// Time of the last change.
    pub updated_at: i64,
    /// Deactivation time, while deactivated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deactivated_at: Option<i64>,
    /// Deletion time of a soft-deleted or pruned user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<i64>,
    /// Tokens issued before this time are rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_tokens_issued_before: Option<i64>,
}

impl StoredUser {
    /// Creates a user with only an ID, created at `now`.
    pub fn new(id: &str, now: i64) -> Self {
        Self {
            id: id.to_owned(),
            name: None,
            image: None,
            role: String::from(DEFAULT_ROLE),
            teams: Vec::new(),
            teams_role: None,
            language: None,
            invisible: false,
            privacy_settings: None,
            custom: Map::new(),
            created_at: now,
            updated_at: now,
            deactivated_at: None,
            deleted_at: None,
            revoke_tokens_issued_before: None,
        }
    }

    /// Returns a user with the same ID and server-managed state (creation, deactivation, deletion
    /// and token revocation times) but an empty profile, which an upsert then fills.
    pub fn with_empty_profile(&self, now: i64) -> Self {
        Self {
            created_at: self.created_at,
            deactivated_at: self.deactivated_at,
            deleted_at: self.deleted_at,
            revoke_tokens_issued_before: self.revoke_tokens_issued_before,
            ..Self::new(&self.id, now)
        }
    }

    /// Removes the personal data that a pruning delete removes: name, image and custom data.
    pub fn prune(&mut self) {
        self.name = None;
        self.image = None;
        self.custom.clear();
    }

    /// Returns whether the user is soft-deleted or pruned.
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    /// Returns the user as Stream's `UserResponse`, or `FullUserResponse` when `full`.
    ///
    /// The sandbox has no devices, mutes, bans or unread counts, so those fields always
    /// hold their empty values.
    pub fn to_response(&self, full: bool) -> Value {
        let mut body = Map::new();
        body.insert(String::from("id"), json!(self.id));
        if let Some(name) = &self.name {
            body.insert(String::from("name"), json!(name));
        }
        if let Some(image) = &self.image {
            body.insert(String::from("image"), json!(image));
        }
        body.insert(String::from("role"), json!(self.role));
        body.insert(String::from("teams"), json!(self.teams));
        if let Some(teams_role) = &self.teams_role {
            body.insert(
                String::from("teams_role"),
                Value::Object(teams_role.clone()),
            );
        }
        body.insert(
            String::from("language"),
            json!(self.language.as_deref().unwrap_or("")),
        );
        body.insert(String::from("invisible"), json!(self.invisible));
        if let Some(settings) = &self.privacy_settings {
            body.insert(String::from("privacy_settings"), settings.clone());
        }
        body.insert(String::from("custom"), Value::Object(self.custom.clone()));
        body.insert(
            String::from("created_at"),
            json!(format_timestamp(self.created_at)),
        );
        body.insert(
            String::from("updated_at"),
            json!(format_timestamp(self.updated_at)),
        );
        let optional_times = [
            ("deactivated_at", self.deactivated_at),
            ("deleted_at", self.deleted_at),
            (
                "revoke_tokens_issued_before",
                self.revoke_tokens_issued_before,
            ),
        ];
        for (name, time) in optional_times {
            if let Some(time) = time {
                body.insert(name.to_owned(), json!(format_timestamp(time)));
            }
        }

        // Moderation and presence state the sandbox does not model.
        body.insert(String::from("banned"), json!(false));
        body.insert(String::from("shadow_banned"), json!(false));
        body.insert(String::from("online"), json!(false));
        body.insert(String::from("blocked_user_ids"), json!([]));
        if full {
            for name in ["devices", "mutes", "channel_mutes"] {
                body.insert(name.to_owned(), json!([]));
            }
            for name in [
                "unread_count",
                "total_unread_count",
                "unread_channels",
                "unread_threads",
            ] {
                body.insert(name.to_owned(), json!(0));
            }
        }
        Value::Object(body)
    }
}
