//! Schema migrations, applied in order and keyed on SQLite's `user_version`.
//!
//! Append only: never edit a migration that has shipped; add a new one.

use super::{Result, StoreError};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use std::path::Path;

const STEPS: &[&str] = &[super::core_tables::MIGRATION];

fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    STEPS.len() as i64
}

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > latest_version() {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            known: latest_version(),
        });
    }
    if found == latest_version() {
        return Ok(());
    }
    migrations()
        .to_latest(conn)
        .map_err(|source| StoreError::Migrate {
            path: path.to_path_buf(),
            source,
        })
}
