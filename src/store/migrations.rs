//! Schema migrations, applied in order and keyed on SQLite's `user_version`
//! (cargo's pattern). Append only: never edit a migration that has shipped.
//!
//! The version is read and the migrations applied inside one `BEGIN IMMEDIATE`
//! transaction, so two processes opening a new state file at once cannot both
//! migrate it. (rusqlite_migration reads the version before taking the write lock,
//! which loses exactly that race; hence this small module instead.)

use super::{Result, StoreError};
use rusqlite::Connection;
use std::path::Path;

const STEPS: &[&str] = &[
    super::core_tables::MIGRATION,
    super::snapshots::MIGRATION,
    super::entities::MIGRATION,
    super::exchanges::MIGRATION,
    super::federation::MIGRATION,
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    STEPS.len() as i64
}

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found == latest_version() {
        return Ok(());
    }
    if found > latest_version() {
        return Err(too_new(path, found));
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > latest_version() {
        return Err(too_new(path, found));
    }
    for (i, sql) in STEPS.iter().enumerate().skip(found.max(0) as usize) {
        tx.execute_batch(sql)
            .map_err(|source| StoreError::Migrate {
                path: path.to_path_buf(),
                version: i as i64 + 1,
                source,
            })?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

fn too_new(path: &Path, found: i64) -> StoreError {
    StoreError::TooNew {
        path: path.to_path_buf(),
        found,
        known: latest_version(),
    }
}
