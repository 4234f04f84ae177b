//! Report tests: a real capture against its real spec, the report as a whole (an empty state,
//! exact JSON keys) and the hand-built traffic fixtures that the per-section tests share
//! (`endpoints`: coverage, undeclared and drift; `activity`: heatmaps, personas, staleness).

use super::*;
use crate::coverage::ingest::ingest_file;
use crate::coverage::{drift_verdicts, parse_since, render_html, render_markdown, render_table};
use crate::exchange::Exchange;
use chrono::TimeZone;
use serde_json::{json, Value};

#[path = "metrics_tests_endpoints.rs"]
mod endpoints;

#[path = "metrics_tests_activity.rs"]
mod activity;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

/// Test-only: the operations of an OpenAPI 3 document (paths, methods, responses and
/// their `application/json` schemas, with `components` carried along for `$ref`s).
fn spec_from_openapi(path: &str, service: Option<&str>) -> SpecOperations {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Value = serde_saphyr::from_str(&text).unwrap();
    let mut operations = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"]
                .as_object()
                .map(|all| {
                    all.iter()
                        .map(|(status, response)| ResponseSpec {
                            status: status.clone(),
                            json_schema: response.pointer("/content/application~1json/schema").map(
                                |schema| {
                                    let mut schema = schema.clone();
                                    if let (Some(object), Some(components)) =
                                        (schema.as_object_mut(), doc.get("components"))
                                    {
                                        object.insert("components".into(), components.clone());
                                    }
                                    schema
                                },
                            ),
                        })
                        .collect()
                })
                .unwrap_or_default();
            operations.push(OperationSpec {
                method: method.to_ascii_uppercase(),
                path: template.clone(),
                operation_id: op["operationId"].as_str().map(str::to_string),
                responses,
            });
        }
    }
    SpecOperations {
        service: service.map(str::to_string),
        spec_path: path.into(),
        server_base_paths: vec![],
        operations,
    }
}

fn report(store: &Store, specs: &[SpecOperations], budgets: &[DriftBudget], since: &str) -> Report {
    let window = parse_since(since, now()).unwrap();
    build_report(store, specs, &[], budgets, window, None, now(), None).unwrap()
}

#[test]
fn optic_capture_against_its_spec() {
    let mut store = Store::open_in_memory().unwrap();
    let har = crate::coverage::ingest::tests::realworld("optic-books-capture.har");
    ingest_file(&mut store, &har, &IngestOptions::new(now()), &mut |_| {}).unwrap();
    let spec = spec_from_openapi(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/realworld/har/optic-books-capture.openapi.yml"
        ),
        None,
    );
    let budgets = [DriftBudget {
        service: None,
        endpoint: None,
        max_drift_percent: 10.0,
        min_samples: 5,
    }];
    let r = report(&store, &[spec], &budgets, "all");
    assert_eq!(r.summary.operations, 2);
    assert_eq!(r.summary.covered, 2);
    assert_eq!(
        r.summary.full, 2,
        "/form declares nothing, /books's 200 was seen"
    );
    assert_eq!(r.summary.coverage_percent, 100.0);
    assert_eq!(r.summary.exchanges, 10);
    let books = r.endpoints.iter().find(|e| e.path == "/books").unwrap();
    assert_eq!(
        (books.hits, books.statuses_seen.clone(), books.status),
        (1, vec![200], CoverageStatus::Full)
    );
    assert_eq!(r.undeclared.len(), 7);
    assert_eq!(r.undeclared.iter().map(|u| u.hits).sum::<u64>(), 8);
    assert_eq!(r.undeclared[0].hits, 2, "POST /authors twice, sorted first");
    assert_eq!(
        (
            r.undeclared[0].method.as_str(),
            r.undeclared[0].path.as_str()
        ),
        ("POST", "/authors")
    );
    let service = r.drift.iter().find(|d| d.endpoint == "*").unwrap();
    assert_eq!(
        (service.total, service.drifting),
        (10, 9),
        "8 undeclared + /form's undeclared 200"
    );
    assert!(service.exceeded);
    let form = r.drift.iter().find(|d| d.endpoint == "POST /form").unwrap();
    assert_eq!((form.total, form.drifting), (1, 1));
    let get_books = r.drift.iter().find(|d| d.endpoint == "GET /books").unwrap();
    assert_eq!(get_books.drifting, 0, "the body fits the schema");
    // The window counts: the capture is from 1970, so a 7-day window is empty.
    let recent = report(
        &store,
        &[spec_from_openapi(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/realworld/har/optic-books-capture.openapi.yml"
            ),
            None,
        )],
        &[],
        "7d",
    );
    assert_eq!((recent.summary.exchanges, recent.summary.covered), (0, 0));
}

fn exchange(day: u32, hour: u32, method: &str, path: &str, status: u16) -> Exchange {
    Exchange {
        timestamp: Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap(),
        method: method.into(),
        path: path.into(),
        status,
        source: "jsonl".into(),
        ..Default::default()
    }
}

fn pets_spec() -> SpecOperations {
    let pet_schema = json!({"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}});
    SpecOperations {
        service: Some("pets".into()),
        spec_path: "pets.yaml".into(),
        server_base_paths: vec!["/v1".into()],
        operations: vec![
            OperationSpec {
                method: "GET".into(),
                path: "/pets/{petId}".into(),
                operation_id: Some("showPet".into()),
                responses: vec![
                    ResponseSpec {
                        status: "200".into(),
                        json_schema: Some(pet_schema),
                    },
                    ResponseSpec {
                        status: "404".into(),
                        json_schema: None,
                    },
                ],
            },
            OperationSpec {
                method: "POST".into(),
                path: "/pets".into(),
                operation_id: None,
                responses: vec![
                    ResponseSpec {
                        status: "2XX".into(),
                        json_schema: None,
                    },
                    ResponseSpec {
                        status: "default".into(),
                        json_schema: None,
                    },
                ],
            },
            OperationSpec {
                method: "DELETE".into(),
                path: "/pets/{petId}".into(),
                operation_id: None,
                responses: vec![ResponseSpec {
                    status: "204".into(),
                    json_schema: None,
                }],
            },
        ],
    }
}

fn insert(store: &mut Store, batch: Vec<Exchange>) {
    store.insert_exchanges(&batch).unwrap();
}

#[test]
fn an_empty_state_gives_an_honest_empty_report() {
    let store = Store::open_in_memory().unwrap();
    let r = report(&store, &[], &[], "7d");
    let value = serde_json::to_value(&r).unwrap();
    assert_eq!(
        value,
        json!({"endpoints": [], "undeclared": [], "services_without_spec": [], "gateway_answers": [], "summary": {"operations": 0, "covered": 0, "full": 0, "coverage_percent": 0.0, "exchanges": 0}, "scenarios": [], "personas": [], "staleness": [], "drift": [], "heatmap": {"days": (3..=10).map(|d| format!("2026-03-{d:02}T00:00:00Z")).collect::<Vec<_>>(), "rows": []}})
    );
    assert!(render_table(&r, 80).contains("Nothing to report"));
    assert!(render_markdown(&r).contains("Nothing to report"));
    assert!(render_html(&r).contains("Nothing to report"));
    // Operations but no traffic: every endpoint is `none`.
    let r = report(&store, &[pets_spec()], &[], "7d");
    assert!(r
        .endpoints
        .iter()
        .all(|e| e.status == CoverageStatus::None && e.hits == 0));
    assert!(r.drift.is_empty());
}

#[test]
fn json_keys_are_exact() {
    let mut store = Store::open_in_memory().unwrap();
    let mut x = exchange(9, 1, "GET", "/pets/1", 404);
    x.scenario = Some("s".into());
    x.persona = Some("p".into());
    let mut billing = exchange(9, 2, "GET", "/bills/1", 200);
    billing.service = Some("billing".into());
    let mut no_route = exchange(9, 3, "GET", "/nowhere", 404);
    no_route.answered_by_gateway = true;
    let undeclared = exchange(9, 4, "GET", "/elsewhere", 200);
    insert(&mut store, vec![x, billing, no_route, undeclared]);
    let services = [ServiceInfo {
        service: "pets".into(),
        reality_level: "mock".into(),
    }];
    let r = build_report(
        &store,
        &[pets_spec()],
        &services,
        &[],
        parse_since("7d", now()).unwrap(),
        None,
        now(),
        None,
    )
    .unwrap();
    let value = serde_json::to_value(&r).unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&value),
        [
            "endpoints",
            "undeclared",
            "services_without_spec",
            "gateway_answers",
            "summary",
            "scenarios",
            "personas",
            "staleness",
            "drift",
            "heatmap"
        ]
    );
    assert_eq!(
        keys(&value["heatmap"]["rows"][0]),
        ["service", "method", "path", "hits", "days"]
    );
    assert_eq!(
        keys(&value["undeclared"][0]),
        ["service", "method", "path", "hits", "candidates"]
    );
    assert_eq!(
        keys(&value["services_without_spec"][0]),
        ["service", "hits", "first_seen", "last_seen"]
    );
    assert_eq!(
        keys(&value["gateway_answers"][0]),
        ["service", "method", "path", "status", "hits"]
    );
    assert_eq!(
        keys(&value["endpoints"][0]),
        [
            "service",
            "method",
            "path",
            "operation_id",
            "hits",
            "statuses_declared",
            "statuses_seen",
            "status"
        ]
    );
    assert_eq!(
        keys(&value["summary"]),
        [
            "operations",
            "covered",
            "full",
            "coverage_percent",
            "exchanges"
        ]
    );
    assert_eq!(
        keys(&value["scenarios"][0]),
        ["scenario", "hits", "buckets"]
    );
    assert_eq!(
        keys(&value["scenarios"][0]["buckets"][0]),
        ["start", "hits"]
    );
    assert_eq!(
        keys(&value["personas"][0]),
        ["persona", "ci_runs", "hits", "last_seen"]
    );
    assert_eq!(
        keys(&value["staleness"][0]),
        [
            "service",
            "reality_level",
            "since",
            "days_at_level",
            "last_real_exchange",
            "days_since_real"
        ]
    );
    assert_eq!(
        keys(&value["drift"][0]),
        [
            "service",
            "endpoint",
            "total",
            "drifting",
            "drift_percent",
            "budget_percent",
            "exceeded",
            "verdict"
        ]
    );
    assert_eq!(value["endpoints"][0]["status"], "partial");
}
