//! Active federation scenarios, with their activation time.

use super::db::params;
use super::{Result, Store};
use crate::timefmt;
use chrono::{DateTime, Utc};

pub(super) const MIGRATION: &str = r#"
CREATE TABLE active_scenarios (
    federation   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    scenario     TEXT NOT NULL,
    file         TEXT NOT NULL,
    activated_at TEXT NOT NULL
);
"#;

/// An active scenario as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveScenario {
    pub name: String,
    /// The scenario file's content as JSON.
    pub scenario: String,
    pub file: String,
    pub activated_at: DateTime<Utc>,
}

impl Store {
    pub fn active_scenario(&self, federation: &str) -> Result<Option<ActiveScenario>> {
        self.conn.query_opt(
            "SELECT name, scenario, file, activated_at FROM active_scenarios WHERE federation = ?1",
            params![federation],
            |r| {
                let at: String = r.get(3)?;
                Ok(ActiveScenario {
                    name: r.get(0)?,
                    scenario: r.get(1)?,
                    file: r.get(2)?,
                    activated_at: timefmt::parse(&at).unwrap_or_default(),
                })
            },
        )
    }

    pub fn activate_scenario(&self, federation: &str, s: &ActiveScenario) -> Result<()> {
        self.conn.execute(
            "INSERT INTO active_scenarios (federation, name, scenario, file, activated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (federation) DO UPDATE SET name = excluded.name, scenario = excluded.scenario,
                 file = excluded.file, activated_at = excluded.activated_at",
            params![federation, s.name, s.scenario, s.file, timefmt::format(&s.activated_at)],
        )?;
        Ok(())
    }

    /// Deactivates; true when a scenario was active.
    pub fn deactivate_scenario(&self, federation: &str) -> Result<bool> {
        Ok(self.conn.execute(
            "DELETE FROM active_scenarios WHERE federation = ?1",
            params![federation],
        )? > 0)
    }
}
