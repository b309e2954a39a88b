//! Properties of the sandbox's `filter_conditions` parser, its matcher and the ID
//! pre-selection that `QueryUsers` reads from SQLite.
//!
//! An input is the JSON of `filter_conditions`. A filter that parses is evaluated against a
//! fixed set of users stored in an in-memory SQLite database created with the sandbox's own
//! schema, the way the query route reads them.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use rusqlite::Connection;
use serde_json::{json, Map, Value};
use stream_sandbox::db::{self, users};
use stream_sandbox::query::fields::value_of;
use stream_sandbox::query::filter::{self, compare, Filter};
use stream_sandbox::user_record::StoredUser;

/// Values checked for a transitive order per input; the check takes cubic time.
const MAX_ORDERED_VALUES: usize = 24;

/// The creation time of the first user, in Unix nanoseconds (2024-05-01T10:00:00Z).
const CREATED_AT_NANOS: i64 = 1_714_557_600_000_000_000;
/// One hour in nanoseconds, the gap between the users' creation times.
const HOUR_NANOS: i64 = 3_600_000_000_000;

/// Returns the users to store, with name, role, teams, language and custom data of every JSON type.
fn sample_users() -> Vec<StoredUser> {
    let profiles = [
        json!({"id": "alice", "name": "Alice Query", "role": "admin", "teams": ["red", "blue"],
               "language": "en", "custom": {"age": 31, "email": "alice@example.com",
               "tags": ["a", "b"], "vip": true, "score": 1.5}}),
        json!({"id": "bob", "name": "Bob", "role": "user", "teams": ["red"],
               "language": "", "custom": {"age": 31.0, "username": "bobby", "nested": {"k": 1},
               "score": -0.0}}),
        json!({"id": "carol-1", "role": "guest", "teams": [],
               "custom": {"age": "31", "score": 9_007_199_254_740_993_i64, "none": null}}),
        json!({"id": "Dave@x", "name": "Åsa ANNA-Lena", "role": "user", "teams": ["blue"],
               "language": "sv", "custom": {"score": 9_007_199_254_740_992.0_f64,
               "tags": [], "age": -1}}),
        json!({"id": "erin_2", "name": "", "role": "moderator", "teams": ["green", "red"],
               "custom": {"email": "erin@example.com", "vip": false,
               "score": 9_007_199_254_740_992_i64}}),
        json!({"id": "frank", "name": "frank", "role": "user",
               "custom": {"age": 1e300, "tags": ["a"]}}),
    ];
    let mut users: Vec<StoredUser> = profiles
        .into_iter()
        .zip(0..)
        .map(|(mut profile, index)| {
            profile["created_at"] = json!(CREATED_AT_NANOS + index * HOUR_NANOS);
            profile["updated_at"] = json!(CREATED_AT_NANOS + (index + 1) * HOUR_NANOS);
            serde_json::from_value(profile).expect("a valid stored user")
        })
        .collect();
    // Queries return deactivated users only on request, and deleted ones never.
    users[4].deactivated_at = Some(CREATED_AT_NANOS + 10 * HOUR_NANOS);
    users[5].deleted_at = Some(CREATED_AT_NANOS + 11 * HOUR_NANOS);
    users
}

/// Returns the database with [`sample_users`], created once per process.
fn database() -> &'static Mutex<Connection> {
    static DATABASE: OnceLock<Mutex<Connection>> = OnceLock::new();
    DATABASE.get_or_init(|| {
        let mut connection = db::open_connection(":memory:").expect("in-memory database");
        let transaction = connection.transaction().expect("transaction");
        for user in sample_users() {
            users::put(&transaction, &user).expect("insert user");
        }
        transaction.commit().expect("commit");
        Mutex::new(connection)
    })
}

/// Checks every filter property on one input and panics when one fails.
pub fn check(data: &[u8]) {
    let Ok(conditions) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let parsed = match filter::parse(&conditions) {
        Ok(parsed) => parsed,
        Err(problem) => {
            assert!(
                problem.starts_with("filter_conditions"),
                "a parse error does not name its path: {problem}"
            );
            return;
        }
    };

    let mut connection = database()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let transaction = connection.transaction().expect("transaction");
    let stored = users::visible(&transaction, true, None).expect("read all users");
    for include_deactivated in [false, true] {
        check_preselection(&transaction, &parsed, include_deactivated);
    }
    check_logical_wrappers(&conditions, &parsed, &stored);
    check_order_is_transitive(&parsed, &stored);
}

/// Returns the IDs of `users` that match `filter`.
fn matching_ids(filter: &Filter, users: &[StoredUser]) -> BTreeSet<String> {
    users
        .iter()
        .filter(|user| filter.matches(user))
        .map(|user| user.id.clone())
        .collect()
}

/// Checks that reading only the rows of `candidate_ids` finds every user that a full scan
/// matches.
fn check_preselection(
    transaction: &rusqlite::Transaction<'_>,
    parsed: &Filter,
    include_deactivated: bool,
) {
    let all = users::visible(transaction, include_deactivated, None).expect("full scan");
    let expected = matching_ids(parsed, &all);

    let candidates = parsed.candidate_ids();
    let selected = users::visible(transaction, include_deactivated, candidates.as_deref())
        .expect("candidate read");
    let found = matching_ids(parsed, &selected);
    assert_eq!(
        found, expected,
        "reading candidates {candidates:?} (include_deactivated {include_deactivated}) \
         changed the result"
    );
}

/// Checks that `$and` and `$or` of one filter match what it matches, and `$nor` the opposite.
fn check_logical_wrappers(conditions: &Value, parsed: &Filter, users: &[StoredUser]) {
    let expected = matching_ids(parsed, users);
    let all_ids: BTreeSet<String> = users.iter().map(|user| user.id.clone()).collect();
    let complement: BTreeSet<String> = all_ids.difference(&expected).cloned().collect();

    for (operator, wanted) in [
        ("$and", &expected),
        ("$or", &expected),
        ("$nor", &complement),
    ] {
        let mut wrapper = Map::new();
        wrapper.insert(operator.to_owned(), Value::Array(vec![conditions.clone()]));
        let wrapped = match filter::parse(&Value::Object(wrapper)) {
            Ok(wrapped) => wrapped,
            Err(problem) => panic!("{operator} of a valid filter failed to parse: {problem}"),
        };
        assert_eq!(
            &matching_ids(&wrapped, users),
            wanted,
            "{operator} of the filter matched other users"
        );
    }
}

/// Checks that the order behind `$gt`, `$lt` and sorting is transitive on the filter's
/// operands and the users' values of its fields, because Rust's sort may panic on an
/// intransitive order.
fn check_order_is_transitive(parsed: &Filter, users: &[StoredUser]) {
    let mut values = Vec::new();
    collect_values(parsed, users, &mut values);
    values.truncate(MAX_ORDERED_VALUES);

    let not_greater = |a: &Value, b: &Value| {
        compare(Some(a), b).map(|ordering| ordering != std::cmp::Ordering::Greater)
    };
    for a in &values {
        for b in &values {
            if not_greater(a, b) != Some(true) {
                continue;
            }
            for c in &values {
                if not_greater(b, c) == Some(true) {
                    assert_eq!(
                        not_greater(a, c),
                        Some(true),
                        "{a} <= {b} and {b} <= {c}, but not {a} <= {c}"
                    );
                }
            }
        }
    }
}

/// Appends each condition's operand (or its list items) and the users' values of its field.
fn collect_values(filter: &Filter, users: &[StoredUser], values: &mut Vec<Value>) {
    match filter {
        Filter::And(parts) | Filter::Or(parts) | Filter::Nor(parts) => {
            for part in parts {
                collect_values(part, users, values);
            }
        }
        Filter::Condition { field, operand, .. } => {
            match operand {
                Value::Array(items) => values.extend(items.iter().cloned()),
                other => values.push(other.clone()),
            }
            values.extend(
                users
                    .iter()
                    .filter_map(|user| value_of(user, &field.source)),
            );
        }
    }
}
