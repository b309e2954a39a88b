//! Response bodies with their timestamps marked, ready to convert to JavaScript values.

use serde_json::{Number, Value};

use crate::timestamps::{FieldKind, Schema};

/// A timestamp as Stream sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum Timestamp {
    /// An RFC 3339 string, left to the JavaScript engine's `Date` parser.
    Text(String),
    /// Milliseconds since the Unix epoch, from integer nanoseconds rounded down.
    UnixMillis(f64),
}

impl Timestamp {
    /// Converts a timestamp field's value, or returns `None` for values that are neither a
    /// string nor a number.
    pub fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::String(text) => Some(Timestamp::Text(text.clone())),
            Value::Number(nanos) => Some(Timestamp::UnixMillis(nanos_to_millis(nanos))),
            _ => None,
        }
    }
}

/// Converts nanoseconds to whole milliseconds, rounding down like
/// `Math.floor(nanos / 1000000)`. Integers are divided exactly.
fn nanos_to_millis(nanos: &Number) -> f64 {
    if let Some(whole) = nanos.as_i64() {
        whole.div_euclid(1_000_000) as f64
    } else if let Some(whole) = nanos.as_u64() {
        (whole / 1_000_000) as f64
    } else {
        (nanos.as_f64().unwrap_or(f64::NAN) / 1e6).floor()
    }
}

/// A JSON value in which the timestamp fields are marked.
///
/// Object entries keep the order of the response body.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as a JavaScript number (64-bit float).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Decoded>),
    /// An object.
    Object(Vec<(String, Decoded)>),
    /// A timestamp, which becomes a JavaScript `Date`.
    Timestamp(Timestamp),
}

impl Decoded {
    /// Returns the value of property `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Decoded> {
        match self {
            Decoded::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Returns the text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Decoded::String(text) => Some(text),
            _ => None,
        }
    }
}

/// Decodes `value` as type `schema` (or as plain JSON when `None`), marking timestamps.
pub fn decode(value: Value, schema: Option<Schema>) -> Decoded {
    match value {
        Value::Null => Decoded::Null,
        Value::Bool(flag) => Decoded::Bool(flag),
        Value::Number(number) => Decoded::Number(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => Decoded::String(text),
        Value::Array(items) => Decoded::Array(items.into_iter().map(|v| decode(v, None)).collect()),
        Value::Object(map) => Decoded::Object(
            map.into_iter()
                .map(|(key, field)| {
                    let kind = schema.and_then(|s| s.field(&key));
                    let decoded = decode_field(field, kind);
                    (key, decoded)
                })
                .collect(),
        ),
    }
}

fn decode_field(value: Value, kind: Option<FieldKind>) -> Decoded {
    if value.is_null() {
        return Decoded::Null;
    }
    match kind {
        None => decode(value, None),
        Some(FieldKind::Timestamp) => match Timestamp::from_json(&value) {
            Some(timestamp) => Decoded::Timestamp(timestamp),
            None => decode(value, None),
        },
        Some(FieldKind::One(schema)) => decode(value, Some(schema)),
        Some(FieldKind::Each(schema)) => match value {
            Value::Array(items) => {
                Decoded::Array(items.into_iter().map(|v| decode(v, Some(schema))).collect())
            }
            Value::Object(map) => Decoded::Object(
                map.into_iter()
                    .map(|(key, v)| (key, decode(v, Some(schema))))
                    .collect(),
            ),
            other => decode(other, None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(value: &str) -> Decoded {
        Decoded::Timestamp(Timestamp::Text(value.to_owned()))
    }

    #[test]
    fn users_by_id_get_dates() {
        let body = json!({
            "users": {
                "alice": {
                    "id": "alice",
                    "created_at": "2024-05-01T10:00:00.123456Z",
                    "updated_at": 1_714_557_600_123_456_789_u64,
                    "deactivated_at": null,
                    "custom": {"created_at": "not a date here"},
                    "devices": [{"id": "d", "created_at": "2024-05-01T10:00:00Z"}]
                }
            },
            "duration": "1.2ms"
        });

        let decoded = decode(body, Some(Schema::UpdateUsersResponse));

        let alice = decoded.get("users").and_then(|u| u.get("alice")).unwrap();
        assert_eq!(
            alice.get("created_at"),
            Some(&text("2024-05-01T10:00:00.123456Z"))
        );
        assert_eq!(
            alice.get("updated_at"),
            Some(&Decoded::Timestamp(Timestamp::UnixMillis(
                1_714_557_600_123.0
            )))
        );
        assert_eq!(alice.get("deactivated_at"), Some(&Decoded::Null));
        let custom = alice.get("custom").unwrap();
        assert_eq!(
            custom.get("created_at"),
            Some(&Decoded::String("not a date here".into()))
        );
        let devices = alice.get("devices").unwrap();
        let Decoded::Array(devices) = devices else {
            panic!("devices is {devices:?}")
        };
        assert_eq!(
            devices[0].get("created_at"),
            Some(&text("2024-05-01T10:00:00Z"))
        );
        assert_eq!(
            decoded.get("duration").and_then(Decoded::as_str),
            Some("1.2ms")
        );
    }

    #[test]
    fn query_users_array_gets_dates() {
        let body = json!({"users": [{"id": "a", "last_active": "2024-01-01T00:00:00Z"}]});

        let decoded = decode(body, Some(Schema::QueryUsersResponse));

        let Some(Decoded::Array(users)) = decoded.get("users") else {
            panic!("{decoded:?}")
        };
        assert_eq!(
            users[0].get("last_active"),
            Some(&text("2024-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn untyped_bodies_keep_strings() {
        let body = json!({"task_id": "t", "created_at": "2024-01-01T00:00:00Z"});

        let decoded = decode(body, None);

        assert_eq!(
            decoded.get("created_at"),
            Some(&Decoded::String("2024-01-01T00:00:00Z".into()))
        );
    }

    #[test]
    fn object_order_is_kept() {
        let body: Value = serde_json::from_str(r#"{"b":1,"a":2,"c":3}"#).unwrap();

        let Decoded::Object(entries) = decode(body, None) else {
            panic!("not an object")
        };

        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
    }

    #[test]
    fn nanoseconds_round_down() {
        let negative: Number = serde_json::from_str("-1").unwrap();
        let float: Number = serde_json::from_str("1.5e15").unwrap();
        let large: Number = serde_json::from_str("18446744073709551615").unwrap();

        assert_eq!(nanos_to_millis(&negative), -1.0);
        assert_eq!(nanos_to_millis(&float), 1_500_000_000.0);
        assert_eq!(nanos_to_millis(&large), 18_446_744_073_709.0);
    }

    #[test]
    fn non_timestamp_values_in_timestamp_fields_stay() {
        let body = json!({"created_at": true, "updated_at": "2024-01-01T00:00:00Z"});

        let decoded = decode(body, Some(Schema::GetTaskResponse));

        assert_eq!(decoded.get("created_at"), Some(&Decoded::Bool(true)));
        assert_eq!(
            decoded.get("updated_at"),
            Some(&text("2024-01-01T00:00:00Z"))
        );
    }
}
