//! Entity versions and promotions.

use super::db::{params, Row};
use super::{Result, Store};
use crate::timefmt;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub(super) const MIGRATION: &str = r#"
CREATE TABLE entity_versions (
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    version      TEXT NOT NULL,
    hash         TEXT NOT NULL,
    environment  TEXT NOT NULL,
    published_at TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    PRIMARY KEY (entity_type, entity_id, version)
);
CREATE TABLE promotions (
    id               TEXT PRIMARY KEY,
    entity_type      TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    from_environment TEXT NOT NULL,
    to_environment   TEXT NOT NULL,
    version          TEXT NOT NULL,
    hash             TEXT NOT NULL,
    status           TEXT NOT NULL,
    comment          TEXT,
    error            TEXT,
    created_at       TEXT NOT NULL,
    finished_at      TEXT
);
CREATE INDEX promotions_by_entity ON promotions(entity_id, created_at);
"#;

/// A published version of an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityVersion {
    pub version: String,
    pub hash: String,
    pub seq: i64,
}

/// A promotion (`promotion list`, docs/conventions.md).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Promotion {
    pub id: String,
    pub entity_type: String,
    pub entity_id: String,
    pub from_environment: String,
    pub to_environment: String,
    pub version: String,
    pub status: String,
    #[serde(serialize_with = "timefmt::serialize")]
    pub created_at: DateTime<Utc>,
    pub hash: String,
    pub comment: Option<String>,
    pub error: Option<String>,
}

impl Store {
    /// The newest published version of an entity.
    pub fn latest_entity_version(
        &self,
        entity_type: &str,
        entity_id: &str,
    ) -> Result<Option<EntityVersion>> {
        self.conn.query_opt(
            "SELECT version, hash, seq FROM entity_versions WHERE entity_type = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT 1",
            params![entity_type, entity_id],
            version_from_row,
        )
    }

    /// The newest version with this content hash.
    pub fn entity_version_by_hash(
        &self,
        entity_type: &str,
        entity_id: &str,
        hash: &str,
    ) -> Result<Option<EntityVersion>> {
        self.conn.query_opt(
            "SELECT version, hash, seq FROM entity_versions WHERE entity_type = ?1 AND entity_id = ?2 AND hash = ?3 ORDER BY seq DESC LIMIT 1",
            params![entity_type, entity_id, hash],
            version_from_row,
        )
    }

    pub fn entity_version_exists(
        &self,
        entity_type: &str,
        entity_id: &str,
        version: &str,
    ) -> Result<bool> {
        Ok(self
            .conn
            .query_opt(
                "SELECT 1 FROM entity_versions WHERE entity_type = ?1 AND entity_id = ?2 AND version = ?3",
                params![entity_type, entity_id, version],
                |_| Ok(()),
            )?
            .is_some())
    }

    pub fn insert_entity_version(
        &self,
        entity_type: &str,
        entity_id: &str,
        v: &EntityVersion,
        environment: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO entity_versions (entity_type, entity_id, version, hash, environment, published_at, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![entity_type, entity_id, v.version, v.hash, environment, timefmt::format(&at), v.seq],
        )?;
        Ok(())
    }

    pub fn insert_promotion(&self, p: &Promotion) -> Result<()> {
        self.conn.execute(
            "INSERT INTO promotions (id, entity_type, entity_id, from_environment, to_environment, version, hash, status, comment, error, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                p.id,
                p.entity_type,
                p.entity_id,
                p.from_environment,
                p.to_environment,
                p.version,
                p.hash,
                p.status,
                p.comment,
                p.error,
                timefmt::format(&p.created_at)
            ],
        )?;
        Ok(())
    }

    pub fn finish_promotion(
        &self,
        id: &str,
        status: &str,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE promotions SET status = ?2, error = ?3, finished_at = ?4 WHERE id = ?1",
            params![id, status, error, timefmt::format(&at)],
        )?;
        Ok(())
    }

    /// Promotions newest first, optionally of one entity.
    pub fn promotions(&self, entity_id: Option<&str>) -> Result<Vec<Promotion>> {
        self.conn.query_all(
            "SELECT id, entity_type, entity_id, from_environment, to_environment, version, status, created_at, hash, comment, error
             FROM promotions WHERE (CAST(?1 AS TEXT) IS NULL OR entity_id = ?1) ORDER BY created_at DESC, id DESC",
            params![entity_id],
            |r| {
            let created: String = r.get(7)?;
            Ok(Promotion {
                id: r.get(0)?,
                entity_type: r.get(1)?,
                entity_id: r.get(2)?,
                from_environment: r.get(3)?,
                to_environment: r.get(4)?,
                version: r.get(5)?,
                status: r.get(6)?,
                created_at: timefmt::parse(&created).unwrap_or_default(),
                hash: r.get(8)?,
                comment: r.get(9)?,
                error: r.get(10)?,
            })
            },
        )
    }
}

fn version_from_row(r: &Row<'_>) -> Result<EntityVersion> {
    Ok(EntityVersion {
        version: r.get(0)?,
        hash: r.get(1)?,
        seq: r.get(2)?,
    })
}
