//! The team sections of the report: the endpoints × day heatmap and coverage per CI run,
//! branch or persona (`--by`).
//!
//! The heatmap is counted by the scan (per operation and day, in the pass that reads the
//! rows anyway). The groups are aggregated in SQL (`Store::route_hits`: a few rows per
//! route and label instead of one per exchange, only when `--by` asks) inside the scan's
//! read snapshot, and each route is attributed as the scan attributes it, so the numbers
//! agree with the rest of the report: a group's `hits` are its exchanges that matched an
//! operation, and the groups' `exchanges` add up to `summary.exchanges`.

use super::matcher::OpRef;
use super::model::*;
use super::scan::Scan;
use super::CoverageError;
use crate::fast_hash::FastMap;
use crate::store::{LabelColumn, RouteHits, Store};
use std::collections::{BTreeMap, BTreeSet};

const DAY_MS: i64 = 86_400_000;

/// Each operation's row in `endpoints` (the same walk over the specs).
fn endpoint_index(specs: &[SpecOperations], service_filter: Option<&str>) -> FastMap<OpRef, usize> {
    let mut index = FastMap::default();
    for (spec_index, spec) in specs.iter().enumerate() {
        if service_filter.is_some_and(|s| spec.service.as_deref() != Some(s)) {
            continue;
        }
        for op_index in 0..spec.operations.len() {
            let at = index.len();
            index.insert(
                OpRef {
                    spec: spec_index,
                    op: op_index,
                },
                at,
            );
        }
    }
    index
}

/// Where the report's window starts and ends, in days since the epoch.
pub(super) struct Days {
    pub first: i64,
    pub today: i64,
}

/// Operations of the report (the rows of `endpoints`).
pub(super) fn operation_count(specs: &[SpecOperations], service_filter: Option<&str>) -> u64 {
    endpoint_index(specs, service_filter).len() as u64
}

/// The heatmap's numbers, gathered before the endpoint rows exist.
pub(super) struct HeatCells {
    first: i64,
    today: i64,
    /// Per row of `endpoints`: hits per day from `first`.
    rows: Vec<Vec<u64>>,
}

/// Where each route of `hits` counts (see [`Scan::attribute`]).
pub(super) fn attribute(scan: &Scan<'_>, hits: &RouteHits) -> Vec<Option<Option<OpRef>>> {
    hits.routes.iter().map(|r| scan.attribute(r)).collect()
}

/// Hits per operation per day over `days`, from what the scan counted.
pub(super) fn heat_cells(
    scan: &Scan<'_>,
    specs: &[SpecOperations],
    service_filter: Option<&str>,
    days: &Days,
) -> HeatCells {
    let first = days.first.min(days.today);
    let width = (days.today - first + 1) as usize;
    let index = endpoint_index(specs, service_filter);
    let mut rows = vec![vec![0u64; width]; index.len()];
    for (&(class, day), &n) in &scan.op_days {
        let Some(op) = scan.classes.get(class).and_then(|c| c.op()) else {
            continue;
        };
        let Some(row) = index.get(&op).and_then(|&i| rows.get_mut(i)) else {
            continue;
        };
        // Days after today (clocks ahead) are outside the grid, as in the scenario heatmap.
        if let Some(cell) = usize::try_from(day - first)
            .ok()
            .and_then(|column| row.get_mut(column))
        {
            *cell += n;
        }
    }
    HeatCells {
        first,
        today: days.today,
        rows,
    }
}

impl HeatCells {
    /// The heatmap, one row per endpoint.
    pub(super) fn into_heatmap(self, endpoints: &[EndpointCoverage]) -> Heatmap {
        Heatmap {
            days: (self.first..=self.today)
                .map(|day| super::model::ms_to_rfc3339(day * DAY_MS))
                .collect(),
            rows: endpoints
                .iter()
                .zip(self.rows)
                .map(|(e, days)| HeatRow {
                    service: e.service.clone(),
                    method: e.method.clone(),
                    path: e.path.clone(),
                    hits: days.iter().sum(),
                    days,
                })
                .collect(),
        }
    }
}

/// One group's tally.
#[derive(Default)]
struct Tally {
    ops: BTreeSet<OpRef>,
    hits: u64,
    exchanges: u64,
}

/// The label column `--by` groups by.
pub(super) fn label_column(by: GroupBy) -> LabelColumn {
    match by {
        GroupBy::CiRun | GroupBy::Branch => LabelColumn::CiRun,
        GroupBy::Persona => LabelColumn::Persona,
    }
}

/// Coverage per CI run, branch or persona.
pub(super) fn groups(
    store: &Store,
    hits: &RouteHits,
    routes: &[Option<Option<OpRef>>],
    operations: u64,
    by: GroupBy,
) -> Result<Groups, CoverageError> {
    let runs = match by {
        GroupBy::Persona => BTreeMap::new(),
        GroupBy::CiRun | GroupBy::Branch => store.ci_runs()?,
    };
    let mut tallies: BTreeMap<Option<String>, Tally> = BTreeMap::new();
    for (route, label, n) in &hits.labels {
        let Some(Some(op)) = routes.get(*route as usize) else {
            continue;
        };
        let group = match by {
            GroupBy::Branch => label.as_ref().and_then(|run| runs.get(run)?.branch.clone()),
            GroupBy::CiRun | GroupBy::Persona => label.clone(),
        };
        let tally = tallies.entry(group).or_default();
        tally.exchanges += n;
        if let Some(op) = op {
            tally.hits += n;
            tally.ops.insert(*op);
        }
    }
    // Named groups by name, then the exchanges that name none.
    let mut ordered: Vec<(Option<String>, Tally)> = tallies.into_iter().collect();
    ordered.sort_by_key(|(group, _)| group.is_none());
    let rows = ordered
        .into_iter()
        .map(|(group, tally)| {
            let covered = tally.ops.len() as u64;
            let ci = (by == GroupBy::CiRun).then(|| {
                let info = group.as_ref().and_then(|run| runs.get(run));
                CiRunContext {
                    branch: info.and_then(|i| i.branch.clone()),
                    jobs: info.map(|i| i.jobs.clone()).unwrap_or_default(),
                }
            });
            GroupCoverage {
                group,
                operations,
                covered,
                coverage_percent: super::model::percent_of(covered, operations),
                hits: tally.hits,
                exchanges: tally.exchanges,
                ci,
            }
        })
        .collect();
    Ok(Groups { by, rows })
}
