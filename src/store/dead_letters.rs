//! Dead letters: deliveries that failed for good, kept for `event redeliver`.

use super::db::{params, Row};
use super::{Result, Store, StoreError};
use crate::timefmt;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A stored dead letter (`event dead-letters`, docs/conventions.md).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeadLetter {
    pub id: String,
    pub run_id: String,
    pub step: String,
    pub target: String,
    pub attempts: u32,
    pub last_error: String,
    #[serde(serialize_with = "timefmt::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "timefmt::serialize_opt")]
    pub delivered_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub event_id: String,
    #[serde(skip)]
    pub pipeline: String,
    #[serde(skip)]
    pub pipeline_file: String,
    #[serde(skip)]
    pub body: String,
}

const COLUMNS: &str =
    "id, run_id, event_id, pipeline, pipeline_file, step, target, body, attempts, last_error, created_at, delivered_at";

fn from_row(r: &Row<'_>) -> Result<DeadLetter> {
    let created: String = r.get(10)?;
    let delivered: Option<String> = r.get(11)?;
    Ok(DeadLetter {
        id: r.get(0)?,
        run_id: r.get(1)?,
        event_id: r.get(2)?,
        pipeline: r.get(3)?,
        pipeline_file: r.get(4)?,
        step: r.get(5)?,
        target: r.get(6)?,
        body: r.get(7)?,
        attempts: r.get(8)?,
        last_error: r.get(9)?,
        created_at: timefmt::parse(&created).unwrap_or_default(),
        delivered_at: delivered.as_deref().and_then(timefmt::parse),
    })
}

impl Store {
    pub fn insert_dead_letter(&self, d: &DeadLetter) -> Result<()> {
        self.conn.execute(
            &format!(
                "INSERT INTO dead_letters ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ),
            params![
                d.id,
                d.run_id,
                d.event_id,
                d.pipeline,
                d.pipeline_file,
                d.step,
                d.target,
                d.body,
                d.attempts,
                d.last_error,
                timefmt::format(&d.created_at),
                d.delivered_at.as_ref().map(timefmt::format)
            ],
        )?;
        Ok(())
    }

    /// Dead letters not yet redelivered, newest first.
    pub fn dead_letters(&self) -> Result<Vec<DeadLetter>> {
        self.conn.query_all(
            &format!(
                "SELECT {COLUMNS} FROM dead_letters WHERE delivered_at IS NULL ORDER BY id DESC"
            ),
            params![],
            from_row,
        )
    }

    pub fn dead_letter(&self, prefix: &str) -> Result<DeadLetter> {
        let id = self.resolve_prefix("dead_letters", "dead letter", prefix)?;
        self.conn.query_one(
            &format!("SELECT {COLUMNS} FROM dead_letters WHERE id = ?1"),
            params![id],
            from_row,
        )
    }

    /// Records a redelivery attempt: delivered, or one more failed attempt.
    pub fn update_dead_letter(
        &self,
        id: &str,
        delivered_at: Option<DateTime<Utc>>,
        error: Option<&str>,
    ) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE dead_letters SET delivered_at = ?2, attempts = attempts + 1, last_error = COALESCE(?3, last_error) WHERE id = ?1",
            params![id, delivered_at.as_ref().map(timefmt::format), error],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!(
                "no dead letter with id `{id}`"
            )));
        }
        Ok(())
    }
}
