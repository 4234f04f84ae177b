//! Pipeline runs, their steps, attempts, logs and step memory.

use super::{Result, Store};
use crate::timefmt;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use serde_json::{Map, Value};

/// A run as shown by `pipeline show` / `history` (docs/conventions.md).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunRecord {
    pub id: String,
    pub pipeline: String,
    #[serde(skip)]
    pub pipeline_file: String,
    pub event_id: String,
    pub status: String,
    #[serde(serialize_with = "timefmt::serialize")]
    pub started_at: DateTime<Utc>,
    #[serde(serialize_with = "timefmt::serialize_opt")]
    pub finished_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<StepRecord>>,
}

/// One step of a run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StepRecord {
    pub name: String,
    #[serde(rename = "type")]
    pub step_type: String,
    pub status: String,
    pub attempts: u32,
    #[serde(serialize_with = "timefmt::serialize_opt")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "timefmt::serialize_opt")]
    pub finished_at: Option<DateTime<Utc>>,
    pub outputs: Map<String, Value>,
    pub error: Option<String>,
    /// The rendered config, secrets masked (not part of the JSON shape of `pipeline show`).
    #[serde(skip)]
    pub config: Option<Value>,
}

/// One try of a step.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRecord {
    pub attempt: u32,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub error: Option<String>,
}

/// A chunk of a step's log (`pipeline logs`, docs/conventions.md).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LogRecord {
    pub step: String,
    pub attempt: u32,
    pub stream: String,
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

const RUN_COLUMNS: &str =
    "id, pipeline, pipeline_file, event_id, status, started_at, finished_at, error";

fn run_from_row(row: &Row<'_>) -> rusqlite::Result<RunRecord> {
    let started: String = row.get(5)?;
    let finished: Option<String> = row.get(6)?;
    Ok(RunRecord {
        id: row.get(0)?,
        pipeline: row.get(1)?,
        pipeline_file: row.get(2)?,
        event_id: row.get(3)?,
        status: row.get(4)?,
        started_at: timefmt::parse(&started).unwrap_or_default(),
        finished_at: finished.as_deref().and_then(timefmt::parse),
        error: row.get(7)?,
        steps: None,
    })
}

impl Store {
    /// Runs `f` inside one immediate (write-locking) transaction.
    pub fn write<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        // Cached statements: parsing BEGIN and COMMIT anew cost more than a small commit.
        self.conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        match f(self) {
            Ok(v) => {
                self.conn.prepare_cached("COMMIT")?.execute([])?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Inserts a run as it stands (normally `running`), owned by this process.
    pub fn begin_run(&self, run: &RunRecord) -> Result<()> {
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO runs ({RUN_COLUMNS}, pid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ))?
            .execute(params![
                run.id,
                run.pipeline,
                run.pipeline_file,
                run.event_id,
                run.status,
                timefmt::format(&run.started_at),
                run.finished_at.as_ref().map(timefmt::format),
                run.error,
                std::process::id()
            ])?;
        Ok(())
    }

    /// Stores a finished step with its attempts and logs.
    pub fn record_step(
        &self,
        run_id: &str,
        idx: usize,
        step: &StepRecord,
        attempts: &[AttemptRecord],
        logs: &[LogRecord],
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO steps (run_id, idx, name, type, status, attempts, started_at, finished_at, config, outputs, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                run_id,
                idx as i64,
                step.name,
                step.step_type,
                step.status,
                step.attempts,
                step.started_at.as_ref().map(timefmt::format),
                step.finished_at.as_ref().map(timefmt::format),
                step.config.as_ref().map(|c| c.to_string()),
                serde_json::to_string(&step.outputs)?,
                step.error
            ])?;
        let mut ins = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO attempts (run_id, step, attempt, status, started_at, finished_at, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for a in attempts {
            ins.execute(params![
                run_id,
                step.name,
                a.attempt,
                a.status,
                timefmt::format(&a.started_at),
                timefmt::format(&a.finished_at),
                a.error
            ])?;
        }
        let mut ins = self.conn.prepare_cached(
            "INSERT INTO logs (run_id, step, attempt, stream, text, truncated) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for l in logs {
            ins.execute(params![
                run_id,
                l.step,
                l.attempt,
                l.stream,
                l.text,
                l.truncated
            ])?;
        }
        Ok(())
    }

    /// Sets a run's final status.
    pub fn finish_run(
        &self,
        run_id: &str,
        status: &str,
        error: Option<&str>,
        finished_at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE runs SET status = ?2, error = ?3, finished_at = ?4 WHERE id = ?1",
            )?
            .execute(params![
                run_id,
                status,
                error,
                timefmt::format(&finished_at)
            ])?;
        Ok(())
    }

    /// Marks `interrupted` every run left `running` by a process that no longer exists.
    /// Returns how many were marked.
    pub fn mark_interrupted_runs(&self, now: DateTime<Utc>) -> Result<usize> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, pid FROM runs WHERE status = 'running'")?;
        let rows: Vec<(String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let dead: Vec<String> = rows
            .into_iter()
            .filter(|(_, pid)| !process_alive(*pid))
            .map(|(id, _)| id)
            .collect();
        if dead.is_empty() {
            return Ok(0);
        }
        self.write(|s| {
            for id in &dead {
                s.conn
                    .prepare_cached(
                        "UPDATE runs SET status = 'interrupted', finished_at = ?2,
                         error = COALESCE(error, 'the mockops process running it stopped before it finished')
                         WHERE id = ?1 AND status = 'running'",
                    )?
                    .execute(params![id, timefmt::format(&now)])?;
            }
            Ok(dead.len())
        })
    }

    /// Resolves a full run id or a unique prefix of one.
    pub fn resolve_run_id(&self, prefix: &str) -> Result<String> {
        self.resolve_prefix("runs", "run", prefix)
    }

    /// A run with its steps.
    pub fn run(&self, id: &str) -> Result<Option<RunRecord>> {
        let run = self
            .conn
            .prepare_cached(&format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"))?
            .query_row([id], run_from_row)
            .optional()?;
        let Some(mut run) = run else { return Ok(None) };
        run.steps = Some(self.steps_of(id)?);
        Ok(Some(run))
    }

    fn steps_of(&self, run_id: &str) -> Result<Vec<StepRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, type, status, attempts, started_at, finished_at, outputs, error, config FROM steps WHERE run_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([run_id], |r| {
            let started: Option<String> = r.get(4)?;
            let finished: Option<String> = r.get(5)?;
            let outputs: String = r.get(6)?;
            let config: Option<String> = r.get(8)?;
            Ok((
                StepRecord {
                    name: r.get(0)?,
                    step_type: r.get(1)?,
                    status: r.get(2)?,
                    attempts: r.get(3)?,
                    started_at: started.as_deref().and_then(timefmt::parse),
                    finished_at: finished.as_deref().and_then(timefmt::parse),
                    outputs: Map::new(),
                    error: r.get(7)?,
                    config: None,
                },
                outputs,
                config,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut step, outputs, config) = row?;
            step.outputs = serde_json::from_str(&outputs)?;
            step.config = config.map(|c| serde_json::from_str(&c)).transpose()?;
            out.push(step);
        }
        Ok(out)
    }

    /// Attempts of one step of a run.
    pub fn attempts(&self, run_id: &str, step: &str) -> Result<Vec<AttemptRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT attempt, status, started_at, finished_at, error FROM attempts WHERE run_id = ?1 AND step = ?2 ORDER BY attempt",
        )?;
        let rows = stmt.query_map([run_id, step], |r| {
            let s: String = r.get(2)?;
            let f: String = r.get(3)?;
            Ok(AttemptRecord {
                attempt: r.get(0)?,
                status: r.get(1)?,
                started_at: timefmt::parse(&s).unwrap_or_default(),
                finished_at: timefmt::parse(&f).unwrap_or_default(),
                error: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Runs newest first, without steps.
    pub fn list_runs(
        &self,
        pipeline: Option<&str>,
        status: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RunRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE (?1 IS NULL OR pipeline = ?1) AND (?2 IS NULL OR status = ?2)
             ORDER BY started_at DESC, id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![pipeline, status, limit], run_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn runs_for_event(&self, event_id: &str) -> Result<Vec<RunRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE event_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([event_id], run_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Logs of a run, optionally of one step, in the order written.
    pub fn logs(&self, run_id: &str, step: Option<&str>) -> Result<Vec<LogRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT step, attempt, stream, text, truncated FROM logs WHERE run_id = ?1 AND (?2 IS NULL OR step = ?2) ORDER BY id",
        )?;
        let rows = stmt.query_map(params![run_id, step], |r| {
            Ok(LogRecord {
                step: r.get(0)?,
                attempt: r.get(1)?,
                stream: r.get(2)?,
                text: r.get(3)?,
                truncated: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn recall(&self, pipeline: &str, step: &str, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT value FROM step_memory WHERE pipeline = ?1 AND step = ?2 AND key = ?3",
            )?
            .query_row([pipeline, step, key], |r| r.get(0))
            .optional()?)
    }

    pub fn remember(&self, pipeline: &str, step: &str, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO step_memory (pipeline, step, key, value) VALUES (?1, ?2, ?3, ?4)")?
            .execute([pipeline, step, key, value])?;
        Ok(())
    }
}

fn process_alive(pid: i64) -> bool {
    if pid <= 0 || pid > i32::MAX as i64 {
        return false;
    }
    if pid == std::process::id() as i64 {
        return true;
    }
    // SAFETY: kill(2) with signal 0 only checks for existence; no memory is touched.
    let rc = unsafe { libc::kill(pid as i32, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
