//! Spec snapshots for `schema check`: the last seen version of each spec.

use super::{Result, Store};
use crate::timefmt;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

pub(super) const MIGRATION: &str = r#"
CREATE TABLE spec_snapshots (
    spec_path  TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"#;

/// A stored snapshot: its content hash and serialized form.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSnapshot {
    pub hash: String,
    pub snapshot: String,
}

impl Store {
    pub fn spec_snapshot(&self, spec_path: &str) -> Result<Option<StoredSnapshot>> {
        Ok(self
            .conn
            .prepare_cached("SELECT hash, snapshot FROM spec_snapshots WHERE spec_path = ?1")?
            .query_row([spec_path], |r| {
                Ok(StoredSnapshot {
                    hash: r.get(0)?,
                    snapshot: r.get(1)?,
                })
            })
            .optional()?)
    }

    pub fn put_spec_snapshot(
        &self,
        spec_path: &str,
        hash: &str,
        snapshot: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO spec_snapshots (spec_path, hash, snapshot, updated_at) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![spec_path, hash, snapshot, timefmt::format(&at)])?;
        Ok(())
    }
}
