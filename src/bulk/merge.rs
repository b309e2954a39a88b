//! One result from the response bodies of the chunks of a bulk call.

use crate::decoded::Decoded;
use crate::requests::Operation;

/// Merges the response bodies of the chunks that succeeded, given in chunk order.
/// `reference` is the position in `bodies` of the body that arrived last.
///
/// - `users` (upsert and partial update): the users of every body, in chunk order.
/// - `task_id` (deactivate, reactivate, delete): the first body's, and `task_ids` is added
///   with every body's, in chunk order.
/// - `membership_deletion_task_id` (upsert and partial update): the first non-empty one, and
///   `membership_deletion_task_ids` is added with every non-empty one, so that no task
///   started by a chunk goes unreported.
/// - Every other field, such as `duration`, comes from the reference body.
///
/// Without bodies the result has the merged fields only, empty.
pub fn merge(operation: Operation, bodies: &[&Decoded], reference: Option<usize>) -> Decoded {
    let reference = reference
        .and_then(|position| bodies.get(position))
        .or(bodies.last());
    let mut entries: Vec<(String, Decoded)> = match reference {
        Some(Decoded::Object(entries)) => entries.clone(),
        _ => Vec::new(),
    };

    match operation {
        Operation::UpsertUsers | Operation::UpdateUsersPartial => {
            let users = Decoded::Object(object_entries(bodies, "users"));
            replace(&mut entries, "users", users);
            let task_ids: Vec<Decoded> = strings(bodies, "membership_deletion_task_id")
                .into_iter()
                .filter(|id| !id.is_empty())
                .map(Decoded::String)
                .collect();
            if let Some(first) = task_ids.first() {
                replace(&mut entries, "membership_deletion_task_id", first.clone());
            }
            replace(
                &mut entries,
                "membership_deletion_task_ids",
                Decoded::Array(task_ids),
            );
        }
        Operation::DeactivateUsers | Operation::ReactivateUsers | Operation::DeleteUsers => {
            let task_ids: Vec<Decoded> = strings(bodies, "task_id")
                .into_iter()
                .map(Decoded::String)
                .collect();
            match task_ids.first() {
                Some(first) => replace(&mut entries, "task_id", first.clone()),
                None => entries.retain(|(key, _)| key != "task_id"),
            }
            replace(&mut entries, "task_ids", Decoded::Array(task_ids));
        }
        _ => {}
    }
    Decoded::Object(entries)
}

/// Sets `key` to `value`, keeping its position when present and appending it otherwise.
fn replace(entries: &mut Vec<(String, Decoded)>, key: &str, value: Decoded) {
    match entries.iter_mut().find(|(name, _)| name == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key.to_owned(), value)),
    }
}

/// Returns the field `key` of an object body.
fn field<'a>(body: &'a Decoded, key: &str) -> Option<&'a Decoded> {
    match body {
        Decoded::Object(entries) => entries
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value),
        _ => None,
    }
}

/// Concatenates the entries of the object field `key` of every body.
fn object_entries(bodies: &[&Decoded], key: &str) -> Vec<(String, Decoded)> {
    let mut merged = Vec::new();
    for body in bodies {
        if let Some(Decoded::Object(entries)) = field(body, key) {
            merged.extend(entries.iter().cloned());
        }
    }
    merged
}

/// Returns the string field `key` of every body that has one, in order.
fn strings(bodies: &[&Decoded], key: &str) -> Vec<String> {
    bodies
        .iter()
        .filter_map(|body| match field(body, key) {
            Some(Decoded::String(text)) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Returns a copy of `body` whose `users` map is empty, for merging the other fields when the
/// users have already been converted elsewhere. Keeping the key keeps its position.
pub fn without_users(body: &Decoded) -> Decoded {
    match body {
        Decoded::Object(entries) => Decoded::Object(
            entries
                .iter()
                .map(|(key, value)| match key.as_str() {
                    "users" => (key.clone(), Decoded::Object(Vec::new())),
                    _ => (key.clone(), value.clone()),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}
