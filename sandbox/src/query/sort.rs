//! The `sort` parameter of user queries: up to five fields, each ascending (1) or
//! descending (-1).

use std::cmp::Ordering;

use serde_json::Value;

use super::fields::{resolve, value_of, Source};
use super::filter::compare;
use crate::user_record::StoredUser;
use crate::validate::describe;

/// Maximum number of sort fields, as Stream's `QueryUsersPayload` allows.
pub const MAX_SORT_FIELDS: usize = 5;
/// Values of a sort field's optional `type`.
const SORT_TYPES: &[&str] = &["", "number", "boolean"];

/// One sort field.
#[derive(Debug, Clone)]
pub struct SortKey {
    source: Source,
    descending: bool,
}

/// Parses the `sort` array. A missing or null `sort` means no sort fields.
pub fn parse(sort: Option<&Value>) -> Result<Vec<SortKey>, String> {
    let items = match sort {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(format!(
                "sort must be an array of {{field, direction}}, got {}",
                describe(other)
            ))
        }
    };
    if items.len() > MAX_SORT_FIELDS {
        return Err(format!(
            "sort has {} fields, more than the maximum of {MAX_SORT_FIELDS}",
            items.len()
        ));
    }

    let mut keys = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let path = format!("sort[{index}]");
        let Value::Object(item) = item else {
            return Err(format!("{path} must be an object with field and direction"));
        };
        let field = match item.get("field") {
            Some(Value::String(field)) if !field.is_empty() => field,
            other => {
                let got = other.map_or(String::from("nothing"), describe);
                return Err(format!(
                    "{path}.field must be a non-empty string, got {got}"
                ));
            }
        };
        let descending = match item.get("direction") {
            None | Some(Value::Null) => false,
            Some(Value::Number(n)) if n.as_i64() == Some(1) => false,
            Some(Value::Number(n)) if n.as_i64() == Some(-1) => true,
            Some(other) => {
                return Err(format!(
                    "{path}.direction must be 1 or -1, got {}",
                    describe(other)
                ))
            }
        };
        match item.get("type") {
            None | Some(Value::Null) => {}
            Some(Value::String(kind)) if SORT_TYPES.contains(&kind.as_str()) => {}
            Some(other) => {
                return Err(format!(
                    "{path}.type must be \"number\", \"boolean\" or empty, got {}",
                    describe(other)
                ))
            }
        }
        keys.push(SortKey {
            source: resolve(field).source,
            descending,
        });
    }
    Ok(keys)
}

/// Sorts users by the keys, then by creation time and ID so that pages are stable.
pub fn sort_users(users: &mut [StoredUser], keys: &[SortKey]) {
    users.sort_by(|a, b| {
        for key in keys {
            let ordering = order(value_of(a, &key.source), value_of(b, &key.source));
            let ordering = if key.descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// Orders two values of one field: missing first, then by type (booleans, numbers,
/// strings, lists, objects), then by value.
fn order(a: Option<Value>, b: Option<Value>) -> Ordering {
    let rank = |value: &Option<Value>| match value {
        None | Some(Value::Null) => 0,
        Some(Value::Bool(_)) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::String(_)) => 3,
        Some(Value::Array(_)) => 4,
        Some(Value::Object(_)) => 5,
    };
    rank(&a).cmp(&rank(&b)).then_with(|| match (&a, &b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x @ (Value::Number(_) | Value::String(_))), Some(y)) => {
            compare(Some(x), y).unwrap_or(Ordering::Equal)
        }
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
        _ => Ordering::Equal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sort_mixed_large_numbers() {
        // Integers and floats around 2^53, which an order that rounds only mixed pairs to f64
        // made intransitive, so sorting 50 such users panicked.
        let values = [
            json!(9_007_199_254_740_993_i64),
            json!(9_007_199_254_740_992.0_f64),
            json!(9_007_199_254_740_992_i64),
            json!(9_007_199_254_740_994_i64),
            json!(9_007_199_254_740_991.0_f64),
        ];
        let mut users: Vec<StoredUser> = (0..50)
            .map(|index| {
                let mut user = StoredUser::new(&format!("user-{index:02}"), 0);
                let value = values[(index * 7 + index / 5) % values.len()].clone();
                user.custom.insert(String::from("n"), value);
                user
            })
            .collect();
        let keys = parse(Some(&json!([{"field": "n", "direction": 1}]))).unwrap();

        sort_users(&mut users, &keys);

        let sorted: Vec<Value> = users.iter().map(|user| user.custom["n"].clone()).collect();
        for pair in sorted.windows(2) {
            assert_ne!(
                compare(Some(&pair[0]), &pair[1]),
                Some(Ordering::Greater),
                "{} sorted before {}",
                pair[0],
                pair[1]
            );
        }
    }
}
