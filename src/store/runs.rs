//! Pipeline runs, their steps, attempts, logs and step memory.

use super::db::{params, Row};
use super::{Result, Store};
use crate::timefmt;
use chrono::{DateTime, Utc};
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

fn run_from_row(row: &Row<'_>) -> Result<RunRecord> {
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
    /// Inserts a run as it stands (normally `running`), owned by this process.
    pub fn begin_run(&self, run: &RunRecord) -> Result<()> {
        let owner = self.run_owner(&run.status)?;
        self.conn.execute(
            &format!(
                "INSERT INTO runs ({RUN_COLUMNS}, pid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ),
            params![
                run.id,
                run.pipeline,
                run.pipeline_file,
                run.event_id,
                run.status,
                timefmt::format(&run.started_at),
                run.finished_at.as_ref().map(timefmt::format),
                run.error,
                owner
            ],
        )?;
        Ok(())
    }

    /// Dialect: what marks a `running` run as this process's, so that the next command
    /// can tell whether its owner still lives (`pid`). SQLite: the process id (one
    /// machine). PostgreSQL: runners on many machines share the database, so a pid says
    /// nothing; the run stores minus the key of a session-level advisory lock its
    /// connection holds, which the server releases when the connection ends.
    fn run_owner(&self, status: &str) -> Result<i64> {
        match self.conn.pg() {
            None => Ok(i64::from(std::process::id())),
            Some(_) if status != "running" => Ok(0),
            Some(mut pg) => Ok(-pg.run_owner()?),
        }
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
        self.conn.execute(
            "INSERT INTO steps (run_id, idx, name, type, status, attempts, started_at, finished_at, config, outputs, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (run_id, idx) DO UPDATE SET name = excluded.name, type = excluded.type,
                 status = excluded.status, attempts = excluded.attempts,
                 started_at = excluded.started_at, finished_at = excluded.finished_at,
                 config = excluded.config, outputs = excluded.outputs, error = excluded.error",
            params![
                run_id,
                idx,
                step.name,
                step.step_type,
                step.status,
                step.attempts,
                step.started_at.as_ref().map(timefmt::format),
                step.finished_at.as_ref().map(timefmt::format),
                step.config.as_ref().map(|c| c.to_string()),
                serde_json::to_string(&step.outputs)?,
                step.error
            ],
        )?;
        for a in attempts {
            self.conn.execute(
                "INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (run_id, step, attempt) DO UPDATE SET status = excluded.status,
                     started_at = excluded.started_at, finished_at = excluded.finished_at,
                     error = excluded.error",
                params![
                    run_id,
                    step.name,
                    a.attempt,
                    a.status,
                    timefmt::format(&a.started_at),
                    timefmt::format(&a.finished_at),
                    a.error
                ],
            )?;
        }
        for l in logs {
            self.conn.execute(
                "INSERT INTO logs (run_id, step, attempt, stream, text, truncated) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![run_id, l.step, l.attempt, l.stream, l.text, l.truncated],
            )?;
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
        self.conn.execute(
            "UPDATE runs SET status = ?2, error = ?3, finished_at = ?4 WHERE id = ?1",
            params![run_id, status, error, timefmt::format(&finished_at)],
        )?;
        Ok(())
    }

    /// Marks `interrupted` every run left `running` by a process that no longer exists.
    /// Returns how many were marked.
    pub fn mark_interrupted_runs(&self, now: DateTime<Utc>) -> Result<usize> {
        let rows: Vec<(String, i64)> = self.conn.query_all(
            "SELECT id, pid FROM runs WHERE status = 'running'",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if rows.is_empty() {
            return Ok(0);
        }
        let alive = self.live_owners()?;
        let dead: Vec<String> = rows
            .into_iter()
            .filter(|(_, pid)| !alive(*pid))
            .map(|(id, _)| id)
            .collect();
        if dead.is_empty() {
            return Ok(0);
        }
        self.write(|s| {
            for id in &dead {
                s.conn.execute(
                    "UPDATE runs SET status = 'interrupted', finished_at = ?2,
                     error = COALESCE(error, 'the mockops process running it stopped before it finished')
                     WHERE id = ?1 AND status = 'running'",
                    params![id, timefmt::format(&now)],
                )?;
            }
            Ok(dead.len())
        })
    }

    /// Dialect: which run owners (`pid`, see [`Store::run_owner`]) still live. SQLite:
    /// processes on this machine. PostgreSQL: the advisory locks held in this database
    /// (`pg_locks` shows every session's, to every user).
    fn live_owners(&self) -> Result<Box<dyn Fn(i64) -> bool>> {
        let Some(pg) = self.conn.pg() else {
            return Ok(Box::new(process_alive));
        };
        let own = pg.own_run_owner();
        drop(pg);
        let held: std::collections::HashSet<i64> = self
            .conn
            .query_all(
                "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks
                 WHERE locktype = 'advisory' AND objsubid = 1 AND granted
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                params![],
                |r| r.get(0),
            )?
            .into_iter()
            .collect();
        Ok(Box::new(move |pid| {
            pid < 0 && (own == Some(-pid) || held.contains(&-pid))
        }))
    }

    /// Resolves a full run id or a unique prefix of one.
    pub fn resolve_run_id(&self, prefix: &str) -> Result<String> {
        self.resolve_prefix("runs", "run", prefix)
    }

    /// A run with its steps.
    pub fn run(&self, id: &str) -> Result<Option<RunRecord>> {
        let run = self.conn.query_opt(
            &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"),
            params![id],
            run_from_row,
        )?;
        let Some(mut run) = run else { return Ok(None) };
        run.steps = Some(self.steps_of(id)?);
        Ok(Some(run))
    }

    fn steps_of(&self, run_id: &str) -> Result<Vec<StepRecord>> {
        self.conn.query_all(
            "SELECT name, type, status, attempts, started_at, finished_at, outputs, error, config FROM steps WHERE run_id = ?1 ORDER BY idx",
            params![run_id],
            |r| {
                let started: Option<String> = r.get(4)?;
                let finished: Option<String> = r.get(5)?;
                let outputs: String = r.get(6)?;
                let config: Option<String> = r.get(8)?;
                Ok(StepRecord {
                    name: r.get(0)?,
                    step_type: r.get(1)?,
                    status: r.get(2)?,
                    attempts: r.get(3)?,
                    started_at: started.as_deref().and_then(timefmt::parse),
                    finished_at: finished.as_deref().and_then(timefmt::parse),
                    outputs: serde_json::from_str(&outputs)?,
                    error: r.get(7)?,
                    config: config.map(|c| serde_json::from_str(&c)).transpose()?,
                })
            },
        )
    }

    /// Attempts of one step of a run.
    pub fn attempts(&self, run_id: &str, step: &str) -> Result<Vec<AttemptRecord>> {
        self.conn.query_all(
            "SELECT attempt, status, started_at, finished_at, error FROM attempts WHERE run_id = ?1 AND step = ?2 ORDER BY attempt",
            params![run_id, step],
            |r| {
                let s: String = r.get(2)?;
                let f: String = r.get(3)?;
                Ok(AttemptRecord {
                    attempt: r.get(0)?,
                    status: r.get(1)?,
                    started_at: timefmt::parse(&s).unwrap_or_default(),
                    finished_at: timefmt::parse(&f).unwrap_or_default(),
                    error: r.get(4)?,
                })
            },
        )
    }

    /// Runs newest first, without steps.
    pub fn list_runs(
        &self,
        pipeline: Option<&str>,
        status: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RunRecord>> {
        self.conn.query_all(
            &format!(
                "SELECT {RUN_COLUMNS} FROM runs WHERE (CAST(?1 AS TEXT) IS NULL OR pipeline = ?1)
                 AND (CAST(?2 AS TEXT) IS NULL OR status = ?2)
                 ORDER BY started_at DESC, id DESC LIMIT ?3"
            ),
            params![pipeline, status, limit],
            run_from_row,
        )
    }

    pub fn runs_for_event(&self, event_id: &str) -> Result<Vec<RunRecord>> {
        self.conn.query_all(
            &format!("SELECT {RUN_COLUMNS} FROM runs WHERE event_id = ?1 ORDER BY id"),
            params![event_id],
            run_from_row,
        )
    }

    /// Logs of a run, optionally of one step, in the order written.
    pub fn logs(&self, run_id: &str, step: Option<&str>) -> Result<Vec<LogRecord>> {
        self.conn.query_all(
            "SELECT step, attempt, stream, text, truncated FROM logs
             WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR step = ?2) ORDER BY id",
            params![run_id, step],
            |r| {
                Ok(LogRecord {
                    step: r.get(0)?,
                    attempt: r.get(1)?,
                    stream: r.get(2)?,
                    text: r.get(3)?,
                    truncated: r.get(4)?,
                })
            },
        )
    }

    pub fn recall(&self, pipeline: &str, step: &str, key: &str) -> Result<Option<String>> {
        self.conn.query_opt(
            "SELECT value FROM step_memory WHERE pipeline = ?1 AND step = ?2 AND key = ?3",
            params![pipeline, step, key],
            |r| r.get(0),
        )
    }

    pub fn remember(&self, pipeline: &str, step: &str, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO step_memory (pipeline, step, key, value) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (pipeline, step, key) DO UPDATE SET value = excluded.value",
            params![pipeline, step, key, value],
        )?;
        Ok(())
    }
}

/// Whether process `pid` exists on this machine.
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
