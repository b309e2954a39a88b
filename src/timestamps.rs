//! The timestamp fields of each response type.
//!
//! Stream sends timestamps as RFC 3339 strings or as integer nanoseconds since the Unix
//! epoch. `@stream-io/node-sdk` 0.7.64 turns exactly the fields of the types below into
//! `Date` objects (its generated decoders, which follow the OpenAPI schemas of the same
//! names); [`decode`](crate::decoded::decode) walks a body with this table so that the same
//! fields become dates here. Fields not listed stay as they are.

/// The decoding of one field of a response type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A timestamp.
    Timestamp,
    /// One value of another type.
    One(Schema),
    /// An array of values, or an object of values keyed by ID, of another type.
    Each(Schema),
}

/// A response type that contains timestamps, directly or in nested values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // Each variant is the OpenAPI schema of the same name.
pub enum Schema {
    UpdateUsersResponse,
    QueryUsersResponse,
    DeactivateUserResponse,
    ReactivateUserResponse,
    GetTaskResponse,
    CreateGuestResponse,
    ExportUserResponse,
    FullUserResponse,
    UserResponse,
    DeviceResponse,
    PushNotificationSettingsResponse,
    UserMuteResponse,
    ChannelMute,
    ChannelResponse,
    ChannelMemberResponse,
    ChannelConfigWithInfo,
    Command,
    MessageResponse,
    ReactionResponse,
    ReactionGroupResponse,
    ReactionGroupUserResponse,
    UserGroupResponse,
    UserGroupMember,
    DraftResponse,
    DraftPayloadResponse,
    PollResponseData,
    PollVoteResponseData,
    ReminderResponseData,
    SharedLocationResponseData,
}

use FieldKind::{Each, One, Timestamp};

/// Timestamp fields shared by most types.
const CREATED_UPDATED: [(&str, FieldKind); 2] =
    [("created_at", Timestamp), ("updated_at", Timestamp)];

impl Schema {
    /// Returns the fields of this type that hold timestamps or nested typed values.
    pub fn fields(self) -> &'static [(&'static str, FieldKind)] {
        use Schema::*;
        match self {
            UpdateUsersResponse | QueryUsersResponse => &[("users", Each(FullUserResponse))],
            DeactivateUserResponse | ReactivateUserResponse | CreateGuestResponse => {
                &[("user", One(UserResponse))]
            }
            GetTaskResponse | Command => &CREATED_UPDATED,
            DeviceResponse | UserGroupMember => &[("created_at", Timestamp)],
            ExportUserResponse => &[
                ("messages", Each(MessageResponse)),
                ("reactions", Each(ReactionResponse)),
                ("user", One(UserResponse)),
            ],
            FullUserResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("ban_expires", Timestamp),
                ("deactivated_at", Timestamp),
                ("deleted_at", Timestamp),
                ("last_active", Timestamp),
                ("revoke_tokens_issued_before", Timestamp),
                ("channel_mutes", Each(ChannelMute)),
                ("devices", Each(DeviceResponse)),
                ("mutes", Each(UserMuteResponse)),
            ],
            UserResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("ban_expires", Timestamp),
                ("deactivated_at", Timestamp),
                ("deleted_at", Timestamp),
                ("last_active", Timestamp),
                ("revoke_tokens_issued_before", Timestamp),
                ("devices", Each(DeviceResponse)),
                ("push_notifications", One(PushNotificationSettingsResponse)),
            ],
            PushNotificationSettingsResponse => &[("disabled_until", Timestamp)],
            UserMuteResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("expires", Timestamp),
                ("target", One(UserResponse)),
                ("user", One(UserResponse)),
            ],
            ChannelMute => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("expires", Timestamp),
                ("channel", One(ChannelResponse)),
                ("user", One(UserResponse)),
            ],
            ChannelResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("deleted_at", Timestamp),
                ("hide_messages_before", Timestamp),
                ("last_message_at", Timestamp),
                ("mute_expires_at", Timestamp),
                ("truncated_at", Timestamp),
                ("members", Each(ChannelMemberResponse)),
                ("config", One(ChannelConfigWithInfo)),
                ("created_by", One(UserResponse)),
                ("truncated_by", One(UserResponse)),
            ],
            ChannelMemberResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("archived_at", Timestamp),
                ("ban_expires", Timestamp),
                ("deleted_at", Timestamp),
                ("future_channel_ban_expires", Timestamp),
                ("invite_accepted_at", Timestamp),
                ("invite_rejected_at", Timestamp),
                ("pinned_at", Timestamp),
                ("user", One(UserResponse)),
            ],
            ChannelConfigWithInfo => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("commands", Each(Command)),
            ],
            MessageResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("deleted_at", Timestamp),
                ("message_text_updated_at", Timestamp),
                ("pin_expires", Timestamp),
                ("pinned_at", Timestamp),
                ("latest_reactions", Each(ReactionResponse)),
                ("own_reactions", Each(ReactionResponse)),
                ("mentioned_users", Each(UserResponse)),
                ("thread_participants", Each(UserResponse)),
                ("mentioned_groups", Each(UserGroupResponse)),
                ("reaction_groups", Each(ReactionGroupResponse)),
                ("user", One(UserResponse)),
                ("pinned_by", One(UserResponse)),
                ("draft", One(DraftResponse)),
                ("poll", One(PollResponseData)),
                ("quoted_message", One(MessageResponse)),
                ("reminder", One(ReminderResponseData)),
                ("shared_location", One(SharedLocationResponseData)),
            ],
            ReactionResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("user", One(UserResponse)),
            ],
            ReactionGroupResponse => &[
                ("first_reaction_at", Timestamp),
                ("last_reaction_at", Timestamp),
                ("latest_reactions_by", Each(ReactionGroupUserResponse)),
            ],
            ReactionGroupUserResponse => &[("created_at", Timestamp), ("user", One(UserResponse))],
            UserGroupResponse => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("members", Each(UserGroupMember)),
            ],
            DraftResponse => &[
                ("created_at", Timestamp),
                ("message", One(DraftPayloadResponse)),
                ("channel", One(ChannelResponse)),
                ("parent_message", One(MessageResponse)),
                ("quoted_message", One(MessageResponse)),
            ],
            DraftPayloadResponse => &[("mentioned_users", Each(UserResponse))],
            PollResponseData => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("latest_answers", Each(PollVoteResponseData)),
                ("own_votes", Each(PollVoteResponseData)),
                ("created_by", One(UserResponse)),
            ],
            PollVoteResponseData => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("user", One(UserResponse)),
            ],
            ReminderResponseData => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("remind_at", Timestamp),
                ("channel", One(ChannelResponse)),
                ("message", One(MessageResponse)),
                ("user", One(UserResponse)),
            ],
            SharedLocationResponseData => &[
                ("created_at", Timestamp),
                ("updated_at", Timestamp),
                ("end_at", Timestamp),
                ("channel", One(ChannelResponse)),
                ("message", One(MessageResponse)),
            ],
        }
    }

    /// Returns how field `name` of this type is decoded, or `None` to keep it as it is.
    pub fn field(self, name: &str) -> Option<FieldKind> {
        self.fields()
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, kind)| *kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_timestamps_listed() {
        for name in [
            "created_at",
            "updated_at",
            "deactivated_at",
            "deleted_at",
            "last_active",
        ] {
            assert_eq!(Schema::UserResponse.field(name), Some(Timestamp), "{name}");
            assert_eq!(
                Schema::FullUserResponse.field(name),
                Some(Timestamp),
                "{name}"
            );
        }
        assert_eq!(Schema::UserResponse.field("name"), None);
    }

    #[test]
    fn shared_created_updated_fields() {
        assert_eq!(Schema::GetTaskResponse.fields().len(), 2);
        assert_eq!(Schema::Command.field("updated_at"), Some(Timestamp));
        assert_eq!(
            Schema::DeviceResponse.fields(),
            &[("created_at", Timestamp)]
        );
        assert_eq!(Schema::UserGroupMember.field("updated_at"), None);
    }

    #[test]
    fn nested_types() {
        assert_eq!(
            Schema::UpdateUsersResponse.field("users"),
            Some(Each(Schema::FullUserResponse))
        );
        assert_eq!(
            Schema::ExportUserResponse.field("user"),
            Some(One(Schema::UserResponse))
        );
        assert_eq!(
            Schema::MessageResponse.field("quoted_message"),
            Some(One(Schema::MessageResponse))
        );
    }
}
