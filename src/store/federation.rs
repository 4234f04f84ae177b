//! Active federation scenarios, with their activation time, and the gateway's runs with
//! their recorder counters.

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

/// Schema 10: each `federation serve` run with its recorder's counters, so that exchanges
/// the recorder could not store are on record, not only in a terminal.
pub(super) const GATEWAY_RUNS: &str = r#"
CREATE TABLE gateway_runs (
    id         INTEGER PRIMARY KEY,
    federation TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    stopped_at INTEGER,
    received   INTEGER NOT NULL DEFAULT 0,
    recorded   INTEGER NOT NULL DEFAULT 0,
    dropped    INTEGER NOT NULL DEFAULT 0,
    held       INTEGER NOT NULL DEFAULT 0
);
"#;

/// A gateway run's recorder counters (see `federation::RecorderStatus`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GatewayCounts {
    /// Exchanges the gateway answered while recording.
    pub received: u64,
    /// Exchanges stored.
    pub recorded: u64,
    /// Exchanges not stored: the recorder could not keep up, or the state file refused them.
    pub dropped: u64,
    /// Answers that waited for room in the recorder's buffer.
    pub held: u64,
}

/// A stored gateway run.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayRun {
    pub id: i64,
    pub federation: String,
    pub started_at: DateTime<Utc>,
    /// `None` while it runs (or when it was killed).
    pub stopped_at: Option<DateTime<Utc>>,
    pub counts: GatewayCounts,
}

impl Store {
    /// Stores the start of a gateway run; returns its id.
    pub fn start_gateway_run(&self, federation: &str, at: DateTime<Utc>) -> Result<i64> {
        self.conn.query_one(
            "INSERT INTO gateway_runs (federation, started_at) VALUES (?1, ?2) RETURNING id",
            params![federation, at.timestamp_millis()],
            |r| r.get(0),
        )
    }

    /// Stores a run's counters so far, and its end when `stopped_at` is given.
    pub fn update_gateway_run(
        &self,
        id: i64,
        counts: GatewayCounts,
        stopped_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.conn.execute(
            "UPDATE gateway_runs SET received = ?2, recorded = ?3, dropped = ?4, held = ?5,
             stopped_at = ?6 WHERE id = ?1",
            params![
                id,
                n(counts.received),
                n(counts.recorded),
                n(counts.dropped),
                n(counts.held),
                stopped_at.map(|t| t.timestamp_millis())
            ],
        )?;
        Ok(())
    }

    /// A federation's gateway runs, oldest first.
    pub fn gateway_runs(&self, federation: &str) -> Result<Vec<GatewayRun>> {
        let time = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
        self.conn.query_all(
            "SELECT id, federation, started_at, stopped_at, received, recorded, dropped, held
             FROM gateway_runs WHERE federation = ?1 ORDER BY id",
            params![federation],
            |r| {
                Ok(GatewayRun {
                    id: r.get(0)?,
                    federation: r.get(1)?,
                    started_at: time(r.get(2)?),
                    stopped_at: r.get::<Option<i64>>(3)?.map(time),
                    counts: GatewayCounts {
                        received: r.get(4)?,
                        recorded: r.get(5)?,
                        dropped: r.get(6)?,
                        held: r.get(7)?,
                    },
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gateway_run_keeps_its_counters_and_end() {
        let store = Store::open_in_memory().unwrap();
        let at = DateTime::from_timestamp_millis(1_700_000_000_000).unwrap();
        let id = store.start_gateway_run("shop", at).unwrap();
        store.start_gateway_run("other", at).unwrap();
        let counts = GatewayCounts {
            received: 10,
            recorded: 7,
            dropped: 3,
            held: 4,
        };
        store.update_gateway_run(id, counts, None).unwrap();
        let runs = store.gateway_runs("shop").unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].counts, runs[0].stopped_at), (counts, None));
        let end = at + chrono::Duration::seconds(5);
        store.update_gateway_run(id, counts, Some(end)).unwrap();
        assert_eq!(store.gateway_runs("shop").unwrap()[0].stopped_at, Some(end));
    }
}
