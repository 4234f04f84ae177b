//! Spec snapshots for `schema check`: the last seen version of each spec.

use super::db::params;
use super::{Result, Store};
use crate::timefmt;
use chrono::{DateTime, Utc};

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
        self.conn.query_opt(
            "SELECT hash, snapshot FROM spec_snapshots WHERE spec_path = ?1",
            params![spec_path],
            |r| {
                Ok(StoredSnapshot {
                    hash: r.get(0)?,
                    snapshot: r.get(1)?,
                })
            },
        )
    }

    pub fn put_spec_snapshot(
        &self,
        spec_path: &str,
        hash: &str,
        snapshot: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO spec_snapshots (spec_path, hash, snapshot, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (spec_path) DO UPDATE SET hash = excluded.hash,
                 snapshot = excluded.snapshot, updated_at = excluded.updated_at",
            params![spec_path, hash, snapshot, timefmt::format(&at)],
        )?;
        Ok(())
    }
}
