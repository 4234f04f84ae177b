//! Events in the state file.

use super::db::{params, Row};
use super::{Result, Store};
use crate::events::Event;
use crate::timefmt;
use chrono::{DateTime, Utc};

const COLUMNS: &str =
    "id, type, workspace_id, source, timestamp, parent_id, replay_of, payload, depth";

fn from_row(row: &Row<'_>) -> Result<(Event, String)> {
    let ts: String = row.get(4)?;
    let payload: String = row.get(7)?;
    Ok((
        Event {
            id: row.get(0)?,
            event_type: row.get(1)?,
            workspace_id: row.get(2)?,
            source: row.get(3)?,
            timestamp: timefmt::parse(&ts).unwrap_or_default(),
            parent_id: row.get(5)?,
            replay_of: row.get(6)?,
            payload: Default::default(),
            depth: row.get(8)?,
        },
        payload,
    ))
}

fn finish(pair: (Event, String)) -> Result<Event> {
    let (mut e, payload) = pair;
    e.payload = serde_json::from_str(&payload)?;
    Ok(e)
}

impl Store {
    /// Stores an event (before it is dispatched).
    pub fn insert_event(&self, e: &Event) -> Result<()> {
        self.conn.execute(
            &format!("INSERT INTO events ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                e.id,
                e.event_type,
                e.workspace_id,
                e.source,
                timefmt::format(&e.timestamp),
                e.parent_id,
                e.replay_of,
                serde_json::to_string(&e.payload)?,
                e.depth
            ],
        )?;
        Ok(())
    }

    pub fn event(&self, id: &str) -> Result<Option<Event>> {
        let found = self.conn.query_opt(
            &format!("SELECT {COLUMNS} FROM events WHERE id = ?1"),
            params![id],
            from_row,
        )?;
        found.map(finish).transpose()
    }

    /// Resolves a full id or a unique prefix of one.
    pub fn resolve_event_id(&self, prefix: &str) -> Result<String> {
        self.resolve_prefix("events", "event", prefix)
    }

    /// Events newest first, optionally of one type and since a time.
    pub fn list_events(
        &self,
        event_type: Option<&str>,
        since: Option<DateTime<Utc>>,
        limit: u32,
    ) -> Result<Vec<Event>> {
        let since = since.map(|t| timefmt::format(&t)).unwrap_or_default();
        let rows = self.conn.query_all(
            &format!(
                "SELECT {COLUMNS} FROM events WHERE (CAST(?1 AS TEXT) IS NULL OR type = ?1) AND timestamp >= ?2 ORDER BY id DESC LIMIT ?3"
            ),
            params![event_type, since, limit],
            from_row,
        )?;
        rows.into_iter().map(finish).collect()
    }

    pub fn child_events(&self, id: &str) -> Result<Vec<Event>> {
        let rows = self.conn.query_all(
            &format!("SELECT {COLUMNS} FROM events WHERE parent_id = ?1 ORDER BY id"),
            params![id],
            from_row,
        )?;
        rows.into_iter().map(finish).collect()
    }
}
