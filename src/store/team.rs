//! What the team report needs beyond the scan (schema 10): the CI runs exchanges were
//! recorded under, with the branch, job, workflow and attempt their CI named
//! (`ci_runs`), and the `--by` aggregate over the report's window, written once for
//! both engines: hits per route and label (`--by ci_run|persona`; a branch is a CI
//! run's).
//!
//! A CI run's label (`exchange_labels`, the exchanges' `ci_run_id`) is its id, as before;
//! `ci_runs` keys its context on that text, one row per (run, attempt, job), so that the
//! exchange rows and their bulk insert are unchanged. Rows are only ever added (`ON
//! CONFLICT DO NOTHING`): the first writer of a (run, attempt, job) names its branch.

use super::db::params;
use super::exchanges::NARROW;
use super::interned::{Names, RouteName};
use super::{Result, Store, StoreError};
use crate::fast_hash::FastMap;

pub(super) const MIGRATION: &str = "
CREATE TABLE ci_runs(
    run TEXT NOT NULL,
    attempt TEXT NOT NULL DEFAULT '',
    job TEXT NOT NULL DEFAULT '',
    branch TEXT,
    workflow TEXT,
    provider TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (run, attempt, job)
);
";

/// A CI run as its CI's variables describe it (see `coverage::ingest::ci_env`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiRun {
    /// The run id, as exchanges' `ci_run` carries it.
    pub run: String,
    /// `github`, `gitlab`, … or `none` (a run named by `--ci-run` outside CI).
    pub provider: String,
    pub branch: Option<String>,
    pub job: Option<String>,
    pub workflow: Option<String>,
    pub attempt: Option<String>,
}

/// A run's branch and the jobs that recorded under it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiRunInfo {
    pub branch: Option<String>,
    /// Distinct job names, sorted.
    pub jobs: Vec<String>,
}

/// The label column exchanges are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelColumn {
    CiRun,
    Persona,
}

impl LabelColumn {
    fn column(self) -> &'static str {
        match self {
            LabelColumn::CiRun => "ci_run_id",
            LabelColumn::Persona => "persona_id",
        }
    }
}

impl Store {
    /// Records a CI run's context (nothing when that run, attempt and job are known).
    pub fn record_ci_run(&self, run: &CiRun, recorded_at_ms: i64) -> Result<()> {
        self.write(|store| {
            store.conn.execute(
                "INSERT INTO ci_runs(run, attempt, job, branch, workflow, provider, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (run, attempt, job) DO NOTHING",
                params![
                    run.run,
                    run.attempt.as_deref().unwrap_or(""),
                    run.job.as_deref().unwrap_or(""),
                    run.branch,
                    run.workflow,
                    run.provider,
                    recorded_at_ms
                ],
            )?;
            Ok(())
        })
    }

    /// Every recorded CI run: its branch (the first attempt's, else any) and its jobs.
    pub fn ci_runs(&self) -> Result<std::collections::BTreeMap<String, CiRunInfo>> {
        let rows: Vec<(String, Option<String>, String)> = self.conn.query_all(
            "SELECT run, branch, job FROM ci_runs ORDER BY run, attempt, recorded_at, job",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut runs: std::collections::BTreeMap<String, CiRunInfo> = Default::default();
        for (run, branch, job) in rows {
            let info = runs.entry(run).or_default();
            if info.branch.is_none() {
                info.branch = branch;
            }
            if !job.is_empty() && !info.jobs.contains(&job) {
                info.jobs.push(job);
            }
        }
        for info in runs.values_mut() {
            info.jobs.sort();
        }
        Ok(runs)
    }

    /// Runs `f` in one read snapshot (the scan and the aggregates of one report then see
    /// the same rows however many writers are at work); inside a transaction, in that one.
    pub fn read_snapshot<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.conn.in_transaction() {
            return f();
        }
        self.conn.begin_snapshot()?;
        let result = f();
        match &result {
            Ok(_) => self.conn.commit()?,
            Err(_) => self.conn.rollback(),
        }
        result
    }

    /// Exchanges of the window per route and label of `column`, with the names of
    /// those routes (see [`RouteHits`]).
    pub fn route_hits(&self, since_ms: Option<i64>, column: LabelColumn) -> Result<RouteHits> {
        let (clause, bound) = self.since_clause(since_ms)?;
        // Grouped by id first, then named: one label lookup per group, not per row.
        let column = column.column();
        let sql = format!(
            "SELECT g.route_id, l.value, g.hits FROM (
                 SELECT route_id, {column} AS label_id, COUNT(*) AS hits
                 FROM exchanges WHERE {clause} GROUP BY route_id, {column}
             ) g LEFT JOIN exchange_labels l ON l.id = g.label_id"
        );
        let labels: Vec<(i64, Option<String>, u64)> =
            self.conn.query_all(&sql, params![bound], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<i64>(2)?.max(0) as u64))
            })?;
        let names = Names::load(&self.conn, (clause == NARROW).then_some(bound))?;
        let mut hits = RouteHits::default();
        let mut local: FastMap<i64, u32> = FastMap::default();
        let mut index = |id: i64| -> Result<u32> {
            if let Some(&at) = local.get(&id) {
                return Ok(at);
            }
            let name = names
                .route(names.route_id(0, id)?)
                .cloned()
                .ok_or_else(|| StoreError::Column(format!("route {id} has no name")))?;
            hits.routes.push(name);
            let at = (hits.routes.len() - 1) as u32;
            local.insert(id, at);
            Ok(at)
        };
        let labels = labels
            .into_iter()
            .map(|(route, label, n)| Ok((index(route)?, label, n)))
            .collect::<Result<Vec<_>>>()?;
        hits.labels = labels;
        Ok(hits)
    }
}

/// The team aggregates of a window: each route named once, and the counts by index
/// into [`RouteHits::routes`].
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RouteHits {
    pub routes: Vec<RouteName>,
    /// (route, label or `None` for exchanges naming none, exchanges).
    pub labels: Vec<(u32, Option<String>, u64)>,
}

#[cfg(test)]
#[path = "team_tests.rs"]
mod tests;
