//! Parsing and evaluation of `filter_conditions` in Stream's MongoDB-like syntax.
//!
//! A filter object is the conjunction of its entries. An entry is `$and`, `$or` or `$nor`
//! with a list of filter objects, or a field with either a plain value (`$eq`) or an object
//! of operators. Every problem is reported with its path, for a 400 with code 4.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

use super::fields::{resolve, value_of, Field, FieldType, Op, Source};
use crate::clock::parse_timestamp;
use crate::user_record::StoredUser;
use crate::validate::describe;

/// A parsed filter.
#[derive(Debug, Clone)]
pub enum Filter {
    /// Every filter matches.
    And(Vec<Filter>),
    /// At least one filter matches.
    Or(Vec<Filter>),
    /// No filter matches.
    Nor(Vec<Filter>),
    /// One operator on one field.
    Condition {
        /// The field.
        field: Field,
        /// The operator.
        op: Op,
        /// The operand, with dates converted to Unix nanoseconds.
        operand: Value,
    },
}

/// Parses `filter_conditions`. The error names the path of the problem.
pub fn parse(filter: &Value) -> Result<Filter, String> {
    parse_object(filter, "filter_conditions")
}

fn parse_object(filter: &Value, path: &str) -> Result<Filter, String> {
    let Value::Object(entries) = filter else {
        return Err(format!(
            "{path} must be an object, got {}",
            describe(filter)
        ));
    };
    let mut parts = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let entry_path = format!("{path}.{key}");
        let part = match key.as_str() {
            "$and" => Filter::And(parse_list(value, &entry_path)?),
            "$or" => Filter::Or(parse_list(value, &entry_path)?),
            "$nor" => Filter::Nor(parse_list(value, &entry_path)?),
            _ if key.starts_with('$') => {
                return Err(format!(
                    "{entry_path}: {key} is not a logical operator: use $and, $or or $nor"
                ))
            }
            _ => parse_field(key, value, &entry_path)?,
        };
        parts.push(part);
    }
    Ok(Filter::And(parts))
}

fn parse_list(value: &Value, path: &str) -> Result<Vec<Filter>, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "{path} must be an array of filter objects, got {}",
            describe(value)
        ));
    };
    if items.is_empty() {
        return Err(format!("{path} must contain at least one filter object"));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| parse_object(item, &format!("{path}[{index}]")))
        .collect()
}

fn parse_field(name: &str, value: &Value, path: &str) -> Result<Filter, String> {
    let field = resolve(name);
    let operators = match value {
        Value::Object(operators) => operators.clone(),
        Value::Array(_) => {
            return Err(format!(
                "{path}: a list needs an operator, such as {{\"$in\": [...]}}"
            ))
        }
        plain => {
            let mut implicit = Map::new();
            implicit.insert(String::from("$eq"), plain.clone());
            implicit
        }
    };
    if operators.is_empty() {
        return Err(format!("{path} has no operator"));
    }

    let mut conditions = Vec::with_capacity(operators.len());
    for (op_name, operand) in &operators {
        let op_path = format!("{path}.{op_name}");
        let allowed: Vec<&str> = field.operators.iter().map(|op| op.name()).collect();
        let op = Op::parse(op_name)
            .filter(|op| field.operators.contains(op))
            .ok_or_else(|| {
                format!(
                    "{op_path}: operator {op_name} is not supported on field {name}: use {}",
                    allowed.join(", ")
                )
            })?;
        let operand = check_operand(&field, op, operand, &op_path)?;
        conditions.push(Filter::Condition {
            field: field.clone(),
            op,
            operand,
        });
    }
    Ok(if conditions.len() == 1 {
        conditions.remove(0)
    } else {
        Filter::And(conditions)
    })
}

/// Checks an operand against the operator and the field type, and converts dates.
fn check_operand(field: &Field, op: Op, operand: &Value, path: &str) -> Result<Value, String> {
    match op {
        Op::Exists => match operand {
            Value::Bool(_) => Ok(operand.clone()),
            other => Err(format!(
                "{path} must be true or false, got {}",
                describe(other)
            )),
        },
        Op::In | Op::Nin => {
            let Value::Array(items) = operand else {
                return Err(format!(
                    "{path} must be an array, got {}",
                    describe(operand)
                ));
            };
            let items = items
                .iter()
                .enumerate()
                .map(|(index, item)| check_scalar(field, item, &format!("{path}[{index}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Array(items))
        }
        Op::Autocomplete => match operand {
            Value::String(text) if !text.is_empty() => Ok(operand.clone()),
            other => Err(format!(
                "{path} must be a non-empty string, got {}",
                describe(other)
            )),
        },
        _ => check_scalar(field, operand, path),
    }
}

fn check_scalar(field: &Field, operand: &Value, path: &str) -> Result<Value, String> {
    let expected = match (field.field_type, operand) {
        (FieldType::Any, _) => return Ok(operand.clone()),
        (FieldType::Text | FieldType::TextList, Value::String(_)) => return Ok(operand.clone()),
        (FieldType::Boolean, Value::Bool(_)) => return Ok(operand.clone()),
        (FieldType::Date, Value::String(text)) => {
            return parse_timestamp(text).map(Value::from).ok_or_else(|| {
                format!("{path}: {} is not an RFC 3339 timestamp", describe(operand))
            })
        }
        (FieldType::Text | FieldType::TextList, _) => "a string",
        (FieldType::Boolean, _) => "true or false",
        (FieldType::Date, _) => "an RFC 3339 timestamp string",
    };
    Err(format!(
        "{path} must be {expected} for field {}, got {}",
        field.name,
        describe(operand)
    ))
}

impl Filter {
    /// Returns whether a user matches the filter.
    pub fn matches(&self, user: &StoredUser) -> bool {
        match self {
            Filter::And(parts) => parts.iter().all(|part| part.matches(user)),
            Filter::Or(parts) => parts.iter().any(|part| part.matches(user)),
            Filter::Nor(parts) => !parts.iter().any(|part| part.matches(user)),
            Filter::Condition { field, op, operand } => {
                let value = value_of(user, &field.source);
                test(*op, value.as_ref(), operand, field.field_type)
            }
        }
    }

    /// Returns the only user IDs that can match, when the top level requires `id` to be
    /// equal to one value or one of a list. The query then reads just those rows.
    pub fn candidate_ids(&self) -> Option<Vec<String>> {
        let Filter::And(parts) = self else {
            return None;
        };
        parts.iter().find_map(|part| match part {
            Filter::Condition {
                field,
                op: Op::Eq,
                operand: Value::String(id),
            } if field.source == Source::Id => Some(vec![id.clone()]),
            Filter::Condition {
                field,
                op: Op::In,
                operand: Value::Array(ids),
            } if field.source == Source::Id => Some(
                ids.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            ),
            _ => None,
        })
    }
}

fn test(op: Op, value: Option<&Value>, operand: &Value, field_type: FieldType) -> bool {
    let equal = |value: &Value, operand: &Value| match (field_type, value) {
        (FieldType::TextList, Value::Array(items)) => items.contains(operand),
        _ => json_equal(value, operand),
    };
    match op {
        Op::Exists => value.is_some() == (operand == &Value::Bool(true)),
        Op::Eq => value.is_some_and(|v| equal(v, operand)),
        Op::Ne => !value.is_some_and(|v| equal(v, operand)),
        Op::In => value.is_some_and(|v| list(operand).iter().any(|item| equal(v, item))),
        Op::Nin => !value.is_some_and(|v| list(operand).iter().any(|item| equal(v, item))),
        Op::Gt => compare(value, operand) == Some(Ordering::Greater),
        Op::Gte => matches!(
            compare(value, operand),
            Some(Ordering::Greater | Ordering::Equal)
        ),
        Op::Lt => compare(value, operand) == Some(Ordering::Less),
        Op::Lte => matches!(
            compare(value, operand),
            Some(Ordering::Less | Ordering::Equal)
        ),
        Op::Autocomplete => match (value, operand) {
            (Some(Value::String(text)), Value::String(prefix)) => autocomplete(text, prefix),
            _ => false,
        },
        Op::Contains => match (value, operand) {
            (Some(Value::Array(items)), _) => items.iter().any(|item| json_equal(item, operand)),
            (Some(Value::String(text)), Value::String(part)) => text.contains(part.as_str()),
            _ => false,
        },
    }
}

fn list(operand: &Value) -> &[Value] {
    operand.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// JSON equality, with numbers compared by value (`1` equals `1.0`).
fn json_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(_), Value::Number(_)) => compare(Some(left), right) == Some(Ordering::Equal),
        _ => left == right,
    }
}

/// Orders two numbers or two strings. Other pairs do not compare.
pub fn compare(value: Option<&Value>, operand: &Value) -> Option<Ordering> {
    match (value?, operand) {
        (Value::Number(a), Value::Number(b)) => Some(compare_numbers(a, b)),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

/// Orders two JSON numbers by their exact values.
///
/// Nanosecond times and other integers above 2^53 do not fit in an `f64`. Rounding only the
/// mixed pairs made the order intransitive (9007199254740993 equal to 9007199254740992.0,
/// which equals 9007199254740992, yet greater than it), and Rust's sort panics on such an
/// order.
fn compare_numbers(a: &Number, b: &Number) -> Ordering {
    match (integer_value(a), integer_value(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(a), None) => compare_float_to_integer(float_value(b), a).reverse(),
        (None, Some(b)) => compare_float_to_integer(float_value(a), b),
        // JSON numbers are finite, so floats always compare (and -0.0 equals 0.0).
        (None, None) => float_value(a)
            .partial_cmp(&float_value(b))
            .unwrap_or(Ordering::Equal),
    }
}

fn integer_value(number: &Number) -> Option<i128> {
    number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
}

fn float_value(number: &Number) -> f64 {
    // serde_json (without arbitrary_precision) returns Some for every number.
    number.as_f64().unwrap_or_default()
}

/// Orders a finite float against an integer without rounding the integer.
fn compare_float_to_integer(float: f64, integer: i128) -> Ordering {
    // 2^127: every integer from serde_json (i64 or u64) lies strictly between the bounds.
    const BOUND: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if float >= BOUND {
        return Ordering::Greater;
    }
    if float < -BOUND {
        return Ordering::Less;
    }
    // Within the bounds the whole part of the float converts to i128 exactly.
    let whole = float.floor();
    match (whole as i128).cmp(&integer) {
        Ordering::Equal if float > whole => Ordering::Greater,
        ordering => ordering,
    }
}

/// Returns whether a word of `text` starts with `prefix`, ignoring case. Words are separated by
/// whitespace, so "Ann" completes both "Annabel Query" and "Query Anna".
fn autocomplete(text: &str, prefix: &str) -> bool {
    let prefix = prefix.to_lowercase();
    let text = text.to_lowercase();
    text.starts_with(&prefix)
        || text
            .split_whitespace()
            .any(|word| word.starts_with(&prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order(a: Value, b: Value) -> Option<Ordering> {
        compare(Some(&a), &b)
    }

    #[test]
    fn compare_mixed_numbers_exactly() {
        let above_f64 = json!(9_007_199_254_740_993_i64);
        let rounded = json!(9_007_199_254_740_992.0_f64);
        let below = json!(9_007_199_254_740_992_i64);

        assert_eq!(
            order(above_f64.clone(), rounded.clone()),
            Some(Ordering::Greater)
        );
        assert_eq!(order(rounded.clone(), below.clone()), Some(Ordering::Equal));
        assert_eq!(order(above_f64, below), Some(Ordering::Greater));
    }

    #[test]
    fn compare_numbers_edge_cases() {
        assert_eq!(order(json!(1), json!(1.0)), Some(Ordering::Equal));
        assert_eq!(order(json!(1.5), json!(1)), Some(Ordering::Greater));
        assert_eq!(order(json!(-1.5), json!(-1)), Some(Ordering::Less));
        assert_eq!(order(json!(-0.0), json!(0)), Some(Ordering::Equal));
        assert_eq!(order(json!(-0.0), json!(0.0)), Some(Ordering::Equal));
        assert_eq!(
            order(json!(u64::MAX), json!(i64::MAX)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            order(json!(u64::MAX), json!(1.8446744073709552e19)),
            Some(Ordering::Less)
        );
        assert_eq!(
            order(json!(1e300), json!(u64::MAX)),
            Some(Ordering::Greater)
        );
        assert_eq!(order(json!(-1e300), json!(i64::MIN)), Some(Ordering::Less));
        assert_eq!(order(json!("a"), json!(1)), None);
    }

    #[test]
    fn eq_distinguishes_large_integers() {
        let filter = parse(&json!({"n": {"$eq": 9_007_199_254_740_992.0_f64}})).unwrap();
        let mut user = StoredUser::new("u", 0);
        user.custom
            .insert(String::from("n"), json!(9_007_199_254_740_993_i64));
        assert!(!filter.matches(&user));

        user.custom
            .insert(String::from("n"), json!(9_007_199_254_740_992_i64));
        assert!(filter.matches(&user));
    }
}
