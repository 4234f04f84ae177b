//! A hand-built report for the renderers' tests.

use crate::coverage::model::*;
use chrono::{TimeZone, Utc};

pub(crate) fn sample_report() -> Report {
    let day = |d: u32, hits: u64| DayBucket {
        start: format!("2026-03-{d:02}T00:00:00Z"),
        hits,
    };
    Report {
        endpoints: vec![
            EndpointCoverage {
                service: Some("pets".into()),
                method: "GET".into(),
                path: "/pets/{petId}".into(),
                operation_id: Some("showPetById".into()),
                hits: 12,
                statuses_declared: vec!["200".into(), "404".into()],
                statuses_seen: vec![200, 500],
                status: CoverageStatus::Partial,
            },
            EndpointCoverage {
                service: Some("pets".into()),
                method: "POST".into(),
                path: "/pets".into(),
                operation_id: None,
                hits: 0,
                statuses_declared: vec!["201".into()],
                statuses_seen: vec![],
                status: CoverageStatus::None,
            },
        ],
        undeclared: vec![
            UndeclaredTraffic {
                service: None,
                method: "GET".into(),
                path: "/health|check".into(),
                hits: 3,
                candidates: vec![],
            },
            UndeclaredTraffic {
                service: None,
                method: "GET".into(),
                path: "/status".into(),
                hits: 1,
                candidates: vec!["specs/pets.yaml".into(), "specs/vets.yaml".into()],
            },
        ],
        services_without_spec: vec![ServiceWithoutSpec {
            service: "payments".into(),
            hits: 4,
            first_seen: "2026-03-08T10:00:00Z".into(),
            last_seen: "2026-03-10T11:00:00Z".into(),
        }],
        gateway_answers: vec![GatewayAnswer {
            service: None,
            method: "GET".into(),
            path: "/nowhere".into(),
            status: 404,
            hits: 2,
        }],
        summary: Summary {
            operations: 2,
            covered: 1,
            full: 0,
            coverage_percent: 50.0,
            exchanges: 15,
        },
        scenarios: vec![
            ScenarioHeat {
                scenario: "happy-path".into(),
                hits: 10,
                buckets: vec![day(8, 0), day(9, 8), day(10, 2)],
            },
            ScenarioHeat {
                scenario: "outage".into(),
                hits: 1,
                buckets: vec![day(8, 1), day(9, 0), day(10, 0)],
            },
        ],
        personas: vec![PersonaHits {
            persona: "admin".into(),
            ci_runs: 2,
            hits: 7,
            last_seen: "2026-03-10T09:00:00Z".into(),
        }],
        staleness: vec![Staleness {
            service: "pets".into(),
            reality_level: "mock".into(),
            since: Some("2026-02-01T00:00:00Z".into()),
            days_at_level: Some(37),
            last_real_exchange: None,
            days_since_real: None,
        }],
        drift: vec![
            DriftRow {
                service: Some("pets".into()),
                endpoint: "*".into(),
                total: 15,
                drifting: 4,
                drift_percent: 26.67,
                budget_percent: Some(5.0),
                exceeded: true,
                verdict: Some(BudgetVerdict::Exceeded),
            },
            DriftRow {
                service: Some("pets".into()),
                endpoint: "GET /pets/{petId}".into(),
                total: 12,
                drifting: 1,
                drift_percent: 8.33,
                budget_percent: None,
                exceeded: false,
                verdict: None,
            },
            DriftRow {
                service: Some("vets".into()),
                endpoint: "*".into(),
                total: 2,
                drifting: 2,
                drift_percent: 100.0,
                budget_percent: Some(5.0),
                exceeded: false,
                verdict: Some(BudgetVerdict::Insufficient),
            },
        ],
        heatmap: Heatmap {
            days: (8..=10)
                .map(|d| format!("2026-03-{d:02}T00:00:00Z"))
                .collect(),
            rows: vec![
                HeatRow {
                    service: Some("pets".into()),
                    method: "GET".into(),
                    path: "/pets/{petId}".into(),
                    hits: 12,
                    days: vec![2, 0, 10],
                },
                HeatRow {
                    service: Some("pets".into()),
                    method: "POST".into(),
                    path: "/pets".into(),
                    hits: 0,
                    days: vec![0, 0, 0],
                },
            ],
        },
        groups: Some(Groups {
            by: GroupBy::CiRun,
            rows: vec![
                GroupCoverage {
                    group: Some("run-<1>|x".into()),
                    operations: 2,
                    covered: 1,
                    coverage_percent: 50.0,
                    hits: 12,
                    exchanges: 14,
                    ci: Some(CiRunContext {
                        branch: Some("feature/<b>".into()),
                        jobs: vec!["e2e".into(), "test".into()],
                    }),
                },
                GroupCoverage {
                    group: None,
                    operations: 2,
                    covered: 0,
                    coverage_percent: 0.0,
                    hits: 0,
                    exchanges: 1,
                    ci: Some(CiRunContext::default()),
                },
            ],
        }),
        meta: ReportMeta {
            generated_at: Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap(),
            since: Some(Utc.with_ymd_and_hms(2026, 3, 3, 12, 0, 0).unwrap()),
            service_filter: None,
        },
    }
}
