//! Builds the report (docs/coverage.md) from the exchange table and the configured specs.
//!
//! Each exchange counts once, for the service it was for (see `matcher`): operations it
//! covers, undeclared traffic (with the candidate specs when several fit), traffic of
//! services without a spec, or the gateway's own answers, which are never coverage.
//!
//! One sequential scan of the window (bodies are not read, see `scan`) aggregates
//! everything with hash maps: each distinct (service, method, path) is matched to an
//! operation once, exchanges are grouped by (operation, status, response-body hash), and
//! each distinct (operation, status, body) is validated once, reading one body. (SQL GROUP BYs were
//! tried first: three sorts of the window cost ~10× more than this one pass.)
//! Every number is over the window; staleness looks at all time.

use super::drift::{self, Budgets, DriftJudge, Verdict};
use super::matcher::{Attribution, Matcher, OpRef, Resolver};
use super::model::*;
use super::model::{ms_to_rfc3339, percent_of, rfc3339, round2};
use super::scan::{PersonaSeen, Scan};
use super::team;
use super::CoverageError;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const DAY_MS: i64 = 86_400_000;

/// (service, method, path) of undeclared traffic.
type RouteKey = (Option<String>, String, String);

/// Builds the coverage report over `window`, optionally for one service.
#[allow(clippy::too_many_arguments)]
pub fn build_report(
    store: &Store,
    specs: &[SpecOperations],
    services: &[ServiceInfo],
    budgets: &[DriftBudget],
    window: Window,
    service_filter: Option<&str>,
    now: DateTime<Utc>,
    resolver: Option<Resolver<'_>>,
) -> Result<Report, CoverageError> {
    build_report_by(
        store,
        specs,
        services,
        budgets,
        window,
        service_filter,
        now,
        resolver,
        None,
    )
}

/// [`build_report`] with coverage per CI run, branch or persona (`--by`).
#[allow(clippy::too_many_arguments)]
pub fn build_report_by(
    store: &Store,
    specs: &[SpecOperations],
    services: &[ServiceInfo],
    budgets: &[DriftBudget],
    window: Window,
    service_filter: Option<&str>,
    now: DateTime<Utc>,
    resolver: Option<Resolver<'_>>,
    by: Option<GroupBy>,
) -> Result<Report, CoverageError> {
    let budgets = Budgets::new(budgets)?;
    let since_ms = window.since.map(|at| at.timestamp_millis());
    let matcher = Matcher::new(specs);
    let mut scan = Scan::new(&matcher, resolver, service_filter);
    let today = now.timestamp_millis().div_euclid(DAY_MS);
    // `--by` reads the same snapshot as the scan.
    let (heat_cells, groups) = store.read_snapshot(|| {
        store.scan_window(since_ms, &mut |x| scan.visit(x))?;
        let days = team::Days {
            first: since_ms
                .or(scan.earliest_ms)
                .map_or(today, |ms| ms.div_euclid(DAY_MS)),
            today,
        };
        let groups = match by {
            Some(by) => {
                let hits = store.route_hits(since_ms, team::label_column(by))?;
                let routes = team::attribute(&scan, &hits);
                let operations = team::operation_count(specs, service_filter);
                Some(team::groups(store, &hits, &routes, operations, by)?)
            }
            None => None,
        };
        let cells = team::heat_cells(&scan, specs, service_filter, &days);
        Ok::<_, CoverageError>((cells, groups))
    })?;

    let mut judge = DriftJudge::new(specs);
    let mut op_hits: HashMap<OpRef, (u64, BTreeSet<u16>)> = HashMap::new();
    // (service, method, path) → (hits, candidate specs).
    let mut undeclared: HashMap<RouteKey, (u64, Vec<String>)> = HashMap::new();
    // Service → (hits, first, last).
    let mut no_spec: HashMap<String, (u64, i64, i64)> = HashMap::new();
    let mut body_verdicts: HashMap<(OpRef, usize, Option<i64>), bool> = HashMap::new();
    let mut service_drift: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
    let mut endpoint_drift: BTreeMap<OpRef, (u64, u64)> = BTreeMap::new();
    let exchanges = scan.exchanges;

    // The bodies the verdicts below need, one sample per (operation, response, body hash),
    // fetched together rather than one query each.
    let mut wanted: HashMap<(OpRef, usize, i64), i64> = HashMap::new();
    for (&(class, status, response_hash), &(_, sample_id)) in &scan.groups {
        let (Some(op), Some(hash)) = (scan.classes.get(class).and_then(|c| c.op()), response_hash)
        else {
            continue;
        };
        if let Verdict::NeedsBody(index) = judge.judge_status(Some(op), status) {
            wanted.entry((op, index, hash)).or_insert(sample_id);
        }
    }
    let samples: Vec<i64> = wanted.values().copied().collect();
    let mut bodies = store.exchange_response_bodies(&samples)?;

    for (&(class, status, response_hash), &(hits, sample_id)) in &scan.groups {
        let Some(class) = scan.classes.get(class) else {
            continue;
        };
        let Some(op) = class.op() else {
            continue;
        };
        let drifts = match judge.judge_status(Some(op), status) {
            Verdict::Drifts => true,
            Verdict::Conforms => false,
            Verdict::NeedsBody(index) => match body_verdicts.get(&(op, index, response_hash)) {
                Some(known) => *known,
                None => {
                    // The sample fetched for this key (this group's own when it is it).
                    let body = match response_hash {
                        Some(hash) => match wanted.get(&(op, index, hash)) {
                            Some(sample) => bodies.remove(sample),
                            None => store.exchange_response_body(sample_id)?,
                        },
                        None => None,
                    };
                    let drifts = judge.body_drifts(op, index, body.as_deref());
                    body_verdicts.insert((op, index, response_hash), drifts);
                    drifts
                }
            },
        };
        let drifting = if drifts { hits } else { 0 };
        let service_row = service_drift.entry(class.service.clone()).or_default();
        service_row.0 += hits;
        service_row.1 += drifting;
        let entry = op_hits.entry(op).or_default();
        entry.0 += hits;
        entry.1.insert(status);
        let row = endpoint_drift.entry(op).or_default();
        row.0 += hits;
        row.1 += drifting;
    }
    for route in scan.routes.iter().filter(|r| r.keep && r.hits > 0) {
        let Some(class) = scan.classes.get(route.class) else {
            continue;
        };
        let candidates = match &class.attribution {
            Attribution::Undeclared => Vec::new(),
            Attribution::Ambiguous(found) => found
                .iter()
                .filter_map(|&spec| specs.get(spec).map(|s| s.spec_path.clone()))
                .collect(),
            // Nothing to judge it against: reported apart, not as drift.
            Attribution::NoSpec => {
                let row = no_spec
                    .entry(class.service.clone().unwrap_or_default())
                    .or_insert((0, i64::MAX, i64::MIN));
                row.0 += route.hits;
                row.1 = row.1.min(route.first_ms);
                row.2 = row.2.max(route.last_ms);
                continue;
            }
            Attribution::Operation(_) | Attribution::Gateway => continue,
        };
        // Traffic that matches no operation drifts whatever its status or body.
        let service_row = service_drift.entry(class.service.clone()).or_default();
        service_row.0 += route.hits;
        service_row.1 += route.hits;
        let row = (
            class.service.clone(),
            route.method.clone(),
            route.path.clone(),
        );
        undeclared.entry(row).or_insert((0, candidates)).0 += route.hits;
    }

    let endpoints = endpoint_rows(specs, service_filter, &op_hits);
    let covered = endpoints.iter().filter(|e| e.hits > 0).count() as u64;
    let operations = endpoints.len() as u64;
    let summary = Summary {
        operations,
        covered,
        full: endpoints
            .iter()
            .filter(|e| e.status == CoverageStatus::Full)
            .count() as u64,
        coverage_percent: percent_of(covered, operations),
        exchanges,
    };
    let mut undeclared: Vec<UndeclaredTraffic> = undeclared
        .into_iter()
        .map(
            |((service, method, path), (hits, candidates))| UndeclaredTraffic {
                service,
                method,
                path,
                hits,
                candidates,
            },
        )
        .collect();
    undeclared.sort_by(|a, b| {
        b.hits
            .cmp(&a.hits)
            .then_with(|| (&a.path, &a.method).cmp(&(&b.path, &b.method)))
            .then_with(|| a.service.cmp(&b.service))
    });
    let mut services_without_spec: Vec<ServiceWithoutSpec> = no_spec
        .into_iter()
        .map(|(service, (hits, first, last))| ServiceWithoutSpec {
            service,
            hits,
            first_seen: ms_to_rfc3339(first),
            last_seen: ms_to_rfc3339(last),
        })
        .collect();
    services_without_spec
        .sort_by(|a, b| b.hits.cmp(&a.hits).then_with(|| a.service.cmp(&b.service)));
    let gateway_answers = gateway_rows(&scan);

    let first_day = since_ms
        .or(scan.earliest_ms)
        .map(|ms| ms.div_euclid(DAY_MS));
    let scenarios = scenario_rows(&scan, first_day.unwrap_or(today), today);
    let personas = persona_rows(scan.personas);
    let staleness = staleness_rows(store, services, service_filter, now)?;
    let drift = drift_rows(specs, &budgets, &service_drift, &endpoint_drift);
    let heatmap = heat_cells.into_heatmap(&endpoints);

    Ok(Report {
        endpoints,
        undeclared,
        services_without_spec,
        gateway_answers,
        summary,
        scenarios,
        personas,
        staleness,
        drift,
        heatmap,
        groups,
        meta: ReportMeta {
            generated_at: now,
            since: window.since,
            service_filter: service_filter.map(str::to_string),
        },
    })
}

fn endpoint_rows(
    specs: &[SpecOperations],
    service_filter: Option<&str>,
    op_hits: &HashMap<OpRef, (u64, BTreeSet<u16>)>,
) -> Vec<EndpointCoverage> {
    let mut rows = Vec::new();
    for (spec_index, spec) in specs.iter().enumerate() {
        if service_filter.is_some_and(|s| spec.service.as_deref() != Some(s)) {
            continue;
        }
        for (op_index, op) in spec.operations.iter().enumerate() {
            let seen = op_hits.get(&OpRef {
                spec: spec_index,
                op: op_index,
            });
            let hits = seen.map_or(0, |s| s.0);
            let statuses_seen: Vec<u16> = seen
                .map(|s| s.1.iter().copied().collect())
                .unwrap_or_default();
            let statuses_declared: Vec<String> = op
                .responses
                .iter()
                .map(|r| r.status.trim().to_string())
                .filter(|s| !s.eq_ignore_ascii_case("default"))
                .collect();
            let all_seen = statuses_declared.iter().all(|declared| {
                statuses_seen
                    .iter()
                    .any(|s| drift::status_pattern_matches(declared, *s))
            });
            let status = match (hits, all_seen) {
                (0, _) => CoverageStatus::None,
                (_, true) => CoverageStatus::Full,
                (_, false) => CoverageStatus::Partial,
            };
            rows.push(EndpointCoverage {
                service: spec.service.clone(),
                method: op.method.to_ascii_uppercase(),
                path: op.path.clone(),
                operation_id: op.operation_id.clone(),
                hits,
                statuses_declared,
                statuses_seen,
                status,
            });
        }
    }
    rows
}

/// The gateway's own answers by request and status, most first.
fn gateway_rows(scan: &Scan<'_>) -> Vec<GatewayAnswer> {
    let mut rows: Vec<GatewayAnswer> = scan
        .gateway
        .iter()
        .filter_map(|(&(route, status), &hits)| {
            let route = scan.routes.get(route as usize)?;
            let class = scan.classes.get(route.class)?;
            Some(GatewayAnswer {
                service: class.service.clone(),
                method: route.method.clone(),
                path: route.path.clone(),
                status,
                hits,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.hits.cmp(&a.hits).then_with(|| {
            (&a.path, &a.method, a.status, &a.service)
                .cmp(&(&b.path, &b.method, b.status, &b.service))
        })
    });
    rows
}

fn scenario_rows(scan: &Scan<'_>, first_day: i64, today: i64) -> Vec<ScenarioHeat> {
    let mut per_scenario: BTreeMap<&str, HashMap<i64, u64>> = BTreeMap::new();
    for (&(scenario, day), &hits) in &scan.scenario_days {
        if let Some(name) = scan.scenario_names.get(scenario) {
            *per_scenario
                .entry(name)
                .or_default()
                .entry(day)
                .or_default() += hits;
        }
    }
    let first_day = first_day.min(today);
    per_scenario
        .into_iter()
        .map(|(scenario, days)| ScenarioHeat {
            scenario: scenario.to_string(),
            hits: days.values().sum(),
            buckets: (first_day..=today)
                .map(|day| DayBucket {
                    start: ms_to_rfc3339(day * DAY_MS),
                    hits: days.get(&day).copied().unwrap_or(0),
                })
                .collect(),
        })
        .collect()
}

fn persona_rows(personas: Vec<(String, PersonaSeen)>) -> Vec<PersonaHits> {
    let sorted: BTreeMap<String, PersonaSeen> = personas.into_iter().collect();
    sorted
        .into_iter()
        .map(|(persona, (hits, runs, last))| PersonaHits {
            persona,
            ci_runs: runs.len() as u64,
            hits,
            last_seen: ms_to_rfc3339(last),
        })
        .collect()
}

fn staleness_rows(
    store: &Store,
    services: &[ServiceInfo],
    filter: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<Staleness>, CoverageError> {
    if !services
        .iter()
        .any(|info| filter.is_none_or(|s| s == info.service))
    {
        return Ok(Vec::new());
    }
    let changes = store.reality_changes()?;
    let last_real: HashMap<String, i64> = store.last_real_exchange_ms()?.into_iter().collect();
    let mut rows = Vec::new();
    for info in services {
        if filter.is_some_and(|s| s != info.service) {
            continue;
        }
        // The start of the last run of changes that left the service at its current level.
        let mut since: Option<DateTime<Utc>> = None;
        let mut level: Option<&str> = None;
        for (_, new_level, at) in changes.iter().filter(|c| c.0 == info.service) {
            if level != Some(new_level.as_str()) {
                since = Some(*at);
                level = Some(new_level.as_str());
            }
        }
        if level != Some(info.reality_level.as_str()) {
            since = None;
        }
        let real = last_real
            .get(&info.service)
            .and_then(|ms| DateTime::from_timestamp_millis(*ms));
        rows.push(Staleness {
            service: info.service.clone(),
            reality_level: info.reality_level.clone(),
            since: since.map(rfc3339),
            days_at_level: since.map(|at| (now - at).num_days()),
            last_real_exchange: real.map(rfc3339),
            days_since_real: real.map(|at| (now - at).num_days()),
        });
    }
    Ok(rows)
}

fn drift_rows(
    specs: &[SpecOperations],
    budgets: &Budgets<'_>,
    service_drift: &BTreeMap<Option<String>, (u64, u64)>,
    endpoint_drift: &BTreeMap<OpRef, (u64, u64)>,
) -> Vec<DriftRow> {
    let mut rows = Vec::new();
    for (service, (total, drifting)) in service_drift {
        let budget = budgets.for_service(service.as_deref());
        let (percent, verdict) = drift::verdict(*total, *drifting, budget);
        rows.push(DriftRow {
            service: service.clone(),
            endpoint: "*".into(),
            total: *total,
            drifting: *drifting,
            drift_percent: round2(percent),
            budget_percent: budget.map(|b| b.max_drift_percent),
            exceeded: verdict == Some(BudgetVerdict::Exceeded),
            verdict,
        });
    }
    for (op_ref, (total, drifting)) in endpoint_drift {
        let Some(spec) = specs.get(op_ref.spec) else {
            continue;
        };
        let Some(op) = spec.operations.get(op_ref.op) else {
            continue;
        };
        let endpoint = format!("{} {}", op.method.to_ascii_uppercase(), op.path);
        let budget = budgets.for_endpoint(spec.service.as_deref(), &endpoint);
        let (percent, verdict) = drift::verdict(*total, *drifting, budget);
        rows.push(DriftRow {
            service: spec.service.clone(),
            endpoint,
            total: *total,
            drifting: *drifting,
            drift_percent: round2(percent),
            budget_percent: budget.map(|b| b.max_drift_percent),
            exceeded: verdict == Some(BudgetVerdict::Exceeded),
            verdict,
        });
    }
    rows
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
