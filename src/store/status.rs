//! `state status`: which engine, which schema version, how many rows in each table.
//! `state migrate` (`copy.rs`) reports with [`CopyReport`].

use super::db::params;
use super::{Result, Store};
use serde::Serialize;

/// Every table of the schema, in the order `state status` lists them.
pub(super) const TABLES: [&str; 18] = [
    "events",
    "runs",
    "steps",
    "attempts",
    "logs",
    "step_memory",
    "dead_letters",
    "spec_snapshots",
    "entity_versions",
    "promotions",
    "active_scenarios",
    "exchanges",
    "exchange_bodies",
    "exchange_routes",
    "exchange_labels",
    "reality_changes",
    "ci_runs",
    "gateway_runs",
];

/// What `state status` prints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StateStatus {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The file, or the URL without its password.
    pub location: String,
    pub schema_version: i64,
    /// Rows per table, in [`TABLES`] order.
    pub tables: serde_json::Map<String, serde_json::Value>,
}

/// What `state migrate` copied, per table: rows added, and rows the target already had.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CopyReport {
    pub from: String,
    pub to: String,
    pub tables: serde_json::Map<String, serde_json::Value>,
}

impl CopyReport {
    pub(super) fn add(&mut self, table: &str, copied: u64, present: u64) {
        self.tables.insert(
            table.to_string(),
            serde_json::json!({"copied": copied, "already_present": present}),
        );
    }
}

impl Store {
    /// The engine, schema version and row counts.
    pub fn status(&self) -> Result<StateStatus> {
        let mut tables = serde_json::Map::new();
        for table in TABLES {
            let rows: i64 =
                self.conn
                    .query_one(&format!("SELECT count(*) FROM {table}"), params![], |r| {
                        r.get(0)
                    })?;
            tables.insert(table.to_string(), rows.into());
        }
        Ok(StateStatus {
            backend: self.engine().name(),
            location: self.location().to_string(),
            schema_version: self.schema_version()?,
            tables,
        })
    }
}
