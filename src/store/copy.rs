//! `state migrate --to postgres://…`: copies a local SQLite state into PostgreSQL.
//!
//! Idempotent: rows are keyed by what identifies them (UUIDv7 ids, primary keys,
//! exchange fingerprints), so a second copy adds nothing. Rows without a natural key
//! follow their parent (a run's steps, attempts and logs are copied with the run, only
//! when the run itself is new) or are compared whole (reality-level changes). Ids that
//! are local counters (exchanges, names, logs) are assigned anew by the target.

use super::db::{params, Owned, Param, ToParam};
use super::exchange_keys::{InsertCounts, Keys};
use super::status::CopyReport;
use super::{Engine, Result, Store, StoreError};
use crate::exchange::Exchange;

/// Tables copied as they are, keyed by their primary key: `(table, key columns, other
/// columns)`.
const KEYED: [(&str, &str, &str); 9] = [
    (
        "events",
        "id",
        "type, workspace_id, source, timestamp, parent_id, replay_of, payload, depth",
    ),
    ("step_memory", "pipeline, step, key", "value"),
    (
        "dead_letters",
        "id",
        "run_id, event_id, pipeline, pipeline_file, step, target, body, attempts, last_error, created_at, delivered_at",
    ),
    ("spec_snapshots", "spec_path", "hash, snapshot, updated_at"),
    (
        "entity_versions",
        "entity_type, entity_id, version",
        "hash, environment, published_at, seq",
    ),
    (
        "promotions",
        "id",
        "entity_type, entity_id, from_environment, to_environment, version, hash, status, comment, error, created_at, finished_at",
    ),
    (
        "active_scenarios",
        "federation",
        "name, scenario, file, activated_at",
    ),
    (
        "ci_runs",
        "run, attempt, job",
        "branch, workflow, provider, recorded_at",
    ),
    (
        "runs",
        "id",
        "pipeline, pipeline_file, event_id, status, started_at, finished_at, error, pid",
    ),
];

/// A run's child rows: `(table, columns, order)`, all keyed on `run_id`.
const RUN_CHILDREN: [(&str, &str, &str); 3] = [
    (
        "steps",
        "run_id, idx, name, type, status, attempts, started_at, finished_at, config, outputs, error",
        "idx",
    ),
    (
        "attempts",
        "run_id, step, attempt, status, started_at, finished_at, error",
        "step, attempt",
    ),
    (
        "logs",
        "run_id, step, attempt, stream, text, truncated",
        "id",
    ),
];

/// Rows per transaction on the target.
const CHUNK: usize = 2_000;

impl Store {
    /// Copies this (SQLite) state into `target` (PostgreSQL); see the module doc.
    pub fn copy_into(&self, target: &mut Store) -> Result<CopyReport> {
        if self.engine() != Engine::Sqlite || target.engine() != Engine::Postgres {
            return Err(StoreError::NotFound(
                "state migrate copies a local SQLite state into PostgreSQL".into(),
            ));
        }
        let mut report = CopyReport {
            from: self.location().to_string(),
            to: target.location().to_string(),
            ..Default::default()
        };
        let mut new_runs = Vec::new();
        for (table, key, rest) in KEYED {
            let columns = format!("{key}, {rest}");
            let width = columns.split(',').count();
            let rows = self.rows(
                &format!("SELECT {columns} FROM {table} ORDER BY {key}"),
                &[],
                width,
            )?;
            let insert = format!(
                "INSERT INTO {table} ({columns}) VALUES ({}) ON CONFLICT ({key}) DO NOTHING",
                placeholders(width)
            );
            let stored = insert_rows(target, &insert, &rows)?;
            if table == "runs" {
                new_runs.extend(stored.iter().filter_map(|row| match &row[0] {
                    Owned::Text(id) => Some(id.clone()),
                    _ => None,
                }));
            }
            let copied = stored.len() as u64;
            report.add(table, copied, rows.len() as u64 - copied);
        }
        for (table, columns, order) in RUN_CHILDREN {
            let width = columns.split(',').count();
            let insert = format!(
                "INSERT INTO {table} ({columns}) VALUES ({})",
                placeholders(width)
            );
            let mut copied = 0;
            for runs in new_runs.chunks(CHUNK / 4) {
                let mut rows = Vec::new();
                for run in runs {
                    rows.extend(self.rows(
                        &format!(
                            "SELECT {columns} FROM {table} WHERE run_id = ?1 ORDER BY {order}"
                        ),
                        params![run],
                        width,
                    )?);
                }
                copied += insert_rows(target, &insert, &rows)?.len() as u64;
            }
            let all: i64 =
                self.conn
                    .query_one(&format!("SELECT count(*) FROM {table}"), params![], |r| {
                        r.get(0)
                    })?;
            report.add(table, copied, (all.max(0) as u64).saturating_sub(copied));
        }
        self.copy_reality_changes(target, &mut report)?;
        self.copy_gateway_runs(target, &mut report)?;
        self.copy_exchanges(target, &mut report)?;
        Ok(report)
    }

    /// Every row of a query with `width` columns, owned.
    fn rows(&self, sql: &str, params: &[Param<'_>], width: usize) -> Result<Vec<Vec<Owned>>> {
        self.conn.query_all(sql, params, |r| {
            (0..width).map(|i| r.get::<Owned>(i)).collect()
        })
    }

    /// Copies a table whose ids are local (`INTEGER PRIMARY KEY`): a row is new when the
    /// target has no row with the same `key` values. `columns` are `(name, SQL type)`.
    fn copy_by_content(
        &self,
        target: &mut Store,
        report: &mut CopyReport,
        table: &str,
        columns: &[(&str, &str)],
        key: &[&str],
    ) -> Result<()> {
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let rows = self.rows(
            &format!("SELECT {} FROM {table} ORDER BY id", names.join(", ")),
            &[],
            columns.len(),
        )?;
        let casts: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, (_, ty))| format!("CAST(?{} AS {ty})", i + 1))
            .collect();
        let same: Vec<String> = key
            .iter()
            .map(|k| {
                let at = names.iter().position(|n| n == k).unwrap_or(0) + 1;
                format!("{k} IS NOT DISTINCT FROM ?{at}")
            })
            .collect();
        let insert = format!(
            "INSERT INTO {table} ({}) SELECT {} WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {})",
            names.join(", "),
            casts.join(", "),
            same.join(" AND ")
        );
        let copied = insert_rows(target, &insert, &rows)?.len() as u64;
        report.add(table, copied, rows.len() as u64 - copied);
        Ok(())
    }

    fn copy_reality_changes(&self, target: &mut Store, report: &mut CopyReport) -> Result<()> {
        let columns = [
            ("service", "TEXT"),
            ("federation", "TEXT"),
            ("reality_level", "TEXT"),
            ("changed_at", "BIGINT"),
        ];
        let key = ["service", "federation", "reality_level", "changed_at"];
        self.copy_by_content(target, report, "reality_changes", &columns, &key)
    }

    /// A gateway run is the same run when its federation and start time are.
    fn copy_gateway_runs(&self, target: &mut Store, report: &mut CopyReport) -> Result<()> {
        let columns = [
            ("federation", "TEXT"),
            ("started_at", "BIGINT"),
            ("stopped_at", "BIGINT"),
            ("received", "BIGINT"),
            ("recorded", "BIGINT"),
            ("dropped", "BIGINT"),
            ("held", "BIGINT"),
        ];
        self.copy_by_content(
            target,
            report,
            "gateway_runs",
            &columns,
            &["federation", "started_at"],
        )
    }

    /// Exchanges go through the target's bulk insert with the fingerprints stored here.
    fn copy_exchanges(&self, target: &mut Store, report: &mut CopyReport) -> Result<()> {
        let mut total = InsertCounts::default();
        let mut batch: Vec<(Exchange, Keys)> = Vec::with_capacity(CHUNK);
        let mut flush = |batch: &mut Vec<(Exchange, Keys)>| -> Result<()> {
            let counts =
                super::exchanges_pg::insert(&target.conn, batch.iter().map(|(x, k)| (x, *k)))?;
            total.inserted += counts.inserted;
            total.duplicates += counts.duplicates;
            batch.clear();
            Ok(())
        };
        self.conn.query_each(
            "SELECT n.ts, n.service, n.method, n.path, n.query, n.status, n.workspace_id,
                 n.reality_level, n.scenario, n.persona, n.ci_run, n.duration_ms,
                 n.response_hash, n.source, n.gateway_path, e.fingerprint, b.request_body,
                 b.response_body, n.answered_by_gateway
             FROM exchanges_named n JOIN exchanges e ON e.id = n.id
                 LEFT JOIN exchange_bodies b ON b.exchange_id = n.id
             ORDER BY n.id",
            params![],
            |r| {
                let ts: i64 = r.get(0)?;
                let stored: Vec<u8> = r.get(15)?;
                let mut fingerprint = [0u8; 8];
                let n = stored.len().min(8);
                fingerprint[..n].copy_from_slice(&stored[..n]);
                let exchange = Exchange {
                    timestamp: chrono::DateTime::from_timestamp_millis(ts).unwrap_or_default(),
                    service: r.get(1)?,
                    method: r.get(2)?,
                    path: r.get(3)?,
                    query: r.get(4)?,
                    status: r.get(5)?,
                    workspace_id: r.get(6)?,
                    reality_level: r.get(7)?,
                    scenario: r.get(8)?,
                    persona: r.get(9)?,
                    ci_run: r.get(10)?,
                    duration_ms: r.get(11)?,
                    source: r.get(13)?,
                    gateway_path: r.get(14)?,
                    request_body: r.get(16)?,
                    response_body: r.get(17)?,
                    answered_by_gateway: r.get(18)?,
                };
                let keys = Keys {
                    fingerprint,
                    response_hash: r.get(12)?,
                };
                batch.push((exchange, keys));
                if batch.len() >= 10_000 {
                    flush(&mut batch)?;
                }
                Ok(())
            },
        )?;
        if !batch.is_empty() {
            flush(&mut batch)?;
        }
        report.add("exchanges", total.inserted, total.duplicates);
        Ok(())
    }
}

/// Runs `insert` for each row, a transaction per [`CHUNK`] rows; returns the rows it
/// stored (those it changed a row for). A retried transaction starts its chunk over.
fn insert_rows<'r>(
    target: &Store,
    insert: &str,
    rows: &'r [Vec<Owned>],
) -> Result<Vec<&'r Vec<Owned>>> {
    let mut stored = Vec::new();
    for chunk in rows.chunks(CHUNK) {
        stored.extend(target.write(|t| {
            let mut added = Vec::new();
            for row in chunk {
                let values: Vec<Param<'_>> = row.iter().map(ToParam::param).collect();
                if t.conn.execute(insert, &values)? > 0 {
                    added.push(row);
                }
            }
            Ok(added)
        })?);
    }
    Ok(stored)
}

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
