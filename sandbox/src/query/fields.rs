//! The user fields that queries filter and sort on, with their types and operators.
//!
//! The operators per built-in field are those listed for `QueryUsersPayload` in Stream's
//! OpenAPI document (v236.0.4, `x-stream-filter-fields`). Any other name refers to custom
//! data and gets the operators listed there for `custom`.

use serde_json::{json, Value};

use crate::user_record::StoredUser;

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Equal; on `teams`, the user belongs to the team.
    Eq,
    /// Not equal.
    Ne,
    /// Equal to one of a list.
    In,
    /// Equal to none of a list.
    Nin,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// Present (and not null), or absent.
    Exists,
    /// A word of the value starts with the text, ignoring case.
    Autocomplete,
    /// A list contains the value, or a text contains the text.
    Contains,
}

impl Op {
    /// Parses an operator name such as `$eq`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "$eq" => Self::Eq,
            "$ne" => Self::Ne,
            "$in" => Self::In,
            "$nin" => Self::Nin,
            "$gt" => Self::Gt,
            "$gte" => Self::Gte,
            "$lt" => Self::Lt,
            "$lte" => Self::Lte,
            "$exists" => Self::Exists,
            "$autocomplete" => Self::Autocomplete,
            "$contains" => Self::Contains,
            _ => return None,
        })
    }

    /// Returns the operator's name as it appears in filters.
    pub fn name(self) -> &'static str {
        match self {
            Self::Eq => "$eq",
            Self::Ne => "$ne",
            Self::In => "$in",
            Self::Nin => "$nin",
            Self::Gt => "$gt",
            Self::Gte => "$gte",
            Self::Lt => "$lt",
            Self::Lte => "$lte",
            Self::Exists => "$exists",
            Self::Autocomplete => "$autocomplete",
            Self::Contains => "$contains",
        }
    }
}

/// The type of a field's values, which operands must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A string.
    Text,
    /// A timestamp, given as an RFC 3339 string and compared as a time.
    Date,
    /// A boolean.
    Boolean,
    /// A list of strings (`teams`).
    TextList,
    /// Any JSON value (custom data).
    Any,
}

/// The value of a user that a field reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `id`.
    Id,
    /// `name`.
    Name,
    /// `role`.
    Role,
    /// `language`.
    Language,
    /// `teams`.
    Teams,
    /// `created_at`.
    CreatedAt,
    /// `updated_at`.
    UpdatedAt,
    /// `last_active`, which the sandbox never sets.
    LastActive,
    /// `banned`, `shadow_banned` and `bypass_moderation`, always false in the sandbox.
    AlwaysFalse,
    /// A key of the custom data.
    Custom(String),
}

/// A field name resolved to its source, type and allowed operators.
#[derive(Debug, Clone)]
pub struct Field {
    /// The name as written in the request.
    pub name: String,
    /// The value it reads.
    pub source: Source,
    /// The type operands must have.
    pub field_type: FieldType,
    /// Operators allowed on it.
    pub operators: &'static [Op],
}

use Op::*;

const BOOLEAN_OPS: &[Op] = &[Eq, Ne];
const DATE_OPS: &[Op] = &[Eq, Exists, Gt, Gte, In, Lt, Lte];
const CUSTOM_OPS: &[Op] = &[Contains, Eq, Exists, Gt, Gte, In, Lt, Lte];
const ID_OPS: &[Op] = &[Autocomplete, Eq, Exists, Gt, Gte, In, Lt, Lte, Ne, Nin];
const NAME_OPS: &[Op] = &[Autocomplete, Eq, Exists, Gt, Gte, In, Lt, Lte];
const ROLE_OPS: &[Op] = &[Eq, Exists, Gt, Gte, In, Lt, Lte];
const TEAMS_OPS: &[Op] = &[Contains, Eq, In];

/// Resolves a field name.
pub fn resolve(name: &str) -> Field {
    let (source, field_type, operators) = match name {
        "id" => (Source::Id, FieldType::Text, ID_OPS),
        "name" => (Source::Name, FieldType::Text, NAME_OPS),
        "role" => (Source::Role, FieldType::Text, ROLE_OPS),
        "language" => (Source::Language, FieldType::Text, &[Eq][..]),
        "teams" => (Source::Teams, FieldType::TextList, TEAMS_OPS),
        "created_at" => (Source::CreatedAt, FieldType::Date, DATE_OPS),
        "updated_at" => (Source::UpdatedAt, FieldType::Date, DATE_OPS),
        "last_active" => (Source::LastActive, FieldType::Date, DATE_OPS),
        "banned" | "shadow_banned" | "bypass_moderation" => {
            (Source::AlwaysFalse, FieldType::Boolean, BOOLEAN_OPS)
        }
        // Stream lists these as string fields; the sandbox's user model keeps them in
        // custom data.
        "email" => (
            Source::Custom(name.to_owned()),
            FieldType::Text,
            &[Eq, In][..],
        ),
        "username" => (
            Source::Custom(name.to_owned()),
            FieldType::Text,
            &[Autocomplete, Eq][..],
        ),
        _ => (Source::Custom(name.to_owned()), FieldType::Any, CUSTOM_OPS),
    };
    Field {
        name: name.to_owned(),
        source,
        field_type,
        operators,
    }
}

/// Returns a user's value of a field, or `None` when the user has none. Times are Unix
/// nanoseconds.
pub fn value_of(user: &StoredUser, source: &Source) -> Option<Value> {
    match source {
        Source::Id => Some(json!(user.id)),
        Source::Name => user.name.as_ref().map(|name| json!(name)),
        Source::Role => Some(json!(user.role)),
        Source::Language => user
            .language
            .as_ref()
            .filter(|l| !l.is_empty())
            .map(|l| json!(l)),
        Source::Teams => Some(json!(user.teams)),
        Source::CreatedAt => Some(json!(user.created_at)),
        Source::UpdatedAt => Some(json!(user.updated_at)),
        Source::LastActive => None,
        Source::AlwaysFalse => Some(Value::Bool(false)),
        Source::Custom(key) => user
            .custom
            .get(key)
            .filter(|value| !value.is_null())
            .cloned(),
    }
}
