//! Reads and writes of the `users` table. Each row keeps the whole user as JSON, plus the
//! columns that queries filter on.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::{ApiError, ApiResult};
use crate::user_record::StoredUser;

fn decode(record: &str) -> ApiResult<StoredUser> {
    serde_json::from_str(record).map_err(|error| {
        ApiError::internal(
            "Database",
            format!("stored user record is invalid: {error}"),
        )
    })
}

/// Loads one user, deleted ones included.
pub fn get(transaction: &Transaction<'_>, id: &str) -> ApiResult<Option<StoredUser>> {
    let record: Option<String> = transaction
        .query_row("SELECT record FROM users WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?;
    record.as_deref().map(decode).transpose()
}

/// Loads the users with the given IDs that exist, keyed by ID.
pub fn get_many(
    transaction: &Transaction<'_>,
    ids: &[String],
) -> ApiResult<HashMap<String, StoredUser>> {
    let mut statement = transaction.prepare_cached("SELECT record FROM users WHERE id = ?1")?;
    let mut found = HashMap::with_capacity(ids.len());
    for id in ids {
        let record: Option<String> = statement.query_row([id], |row| row.get(0)).optional()?;
        if let Some(record) = record {
            found.insert(id.clone(), decode(&record)?);
        }
    }
    Ok(found)
}

/// Inserts or replaces a user.
pub fn put(transaction: &Transaction<'_>, user: &StoredUser) -> ApiResult<()> {
    let record = serde_json::to_string(user).map_err(|error| {
        ApiError::internal(
            "Database",
            format!("cannot encode user {}: {error}", user.id),
        )
    })?;
    transaction
        .prepare_cached(
            "INSERT INTO users (id, record, created_at, deactivated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET record = excluded.record,
                 created_at = excluded.created_at, deactivated_at = excluded.deactivated_at,
                 deleted_at = excluded.deleted_at",
        )?
        .execute(params![
            user.id,
            record,
            user.created_at,
            user.deactivated_at,
            user.deleted_at
        ])?;
    Ok(())
}

/// Removes a user's row, as a hard delete does.
pub fn remove(transaction: &Transaction<'_>, id: &str) -> ApiResult<()> {
    transaction.execute("DELETE FROM users WHERE id = ?1", [id])?;
    Ok(())
}

/// Loads the users that queries may return: never deleted ones, and deactivated ones only
/// when `include_deactivated`. With `ids`, only those users are read.
pub fn visible(
    transaction: &Transaction<'_>,
    include_deactivated: bool,
    ids: Option<&[String]>,
) -> ApiResult<Vec<StoredUser>> {
    let keep = |user: &StoredUser| {
        !user.is_deleted() && (include_deactivated || user.deactivated_at.is_none())
    };
    if let Some(ids) = ids {
        let found = get_many(transaction, ids)?;
        return Ok(found.into_values().filter(keep).collect());
    }

    let mut statement = transaction.prepare_cached(
        "SELECT record FROM users
         WHERE deleted_at IS NULL AND (?1 OR deactivated_at IS NULL)",
    )?;
    let records = statement
        .query_map([include_deactivated], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    records.iter().map(|record| decode(record)).collect()
}
