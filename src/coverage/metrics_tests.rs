//! Report tests: a real capture against its real spec, and hand-built traffic for each metric.

use super::*;
use crate::coverage::ingest::ingest_file;
use crate::coverage::{drift_verdicts, parse_since, render_html, render_markdown, render_table};
use crate::exchange::Exchange;
use chrono::TimeZone;
use serde_json::{json, Value};

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
            "/../shared/realworld/har/optic-books-capture.openapi.yml"
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
                "/../shared/realworld/har/optic-books-capture.openapi.yml"
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
        query: None,
        status,
        service: None,
        workspace_id: None,
        reality_level: None,
        scenario: None,
        persona: None,
        ci_run: None,
        duration_ms: None,
        request_body: None,
        response_body: None,
        source: "jsonl".into(),
        gateway_path: None,
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
fn full_partial_none_drift_and_budgets() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = Vec::new();
    for i in 0..10 {
        let mut x = exchange(9, i, "GET", &format!("/v1/pets/{i}"), 200);
        x.response_body = Some(if i < 2 {
            r#"{"id": "x"}"#.into()
        } else {
            format!(r#"{{"id": {i}, "name": "rex"}}"#)
        });
        batch.push(x);
    }
    batch.push(exchange(9, 11, "GET", "/pets/1", 404));
    batch.push(exchange(9, 12, "POST", "/pets", 201));
    batch.push(exchange(9, 13, "POST", "/pets", 500));
    batch.push(exchange(9, 14, "GET", "/pets/1", 418));
    batch.push(exchange(9, 15, "GET", "/toys", 200));
    insert(&mut store, batch);
    let budgets = [
        DriftBudget {
            service: Some("pets".into()),
            endpoint: Some("GET /pets/*".into()),
            max_drift_percent: 10.0,
            min_samples: 5,
        },
        DriftBudget {
            service: Some("pets".into()),
            endpoint: Some("POST /pets".into()),
            max_drift_percent: 0.0,
            min_samples: 5,
        },
        DriftBudget {
            service: None,
            endpoint: None,
            max_drift_percent: 50.0,
            min_samples: 1,
        },
    ];
    let r = report(&store, &[pets_spec()], &budgets, "7d");
    let statuses: Vec<(&str, &str, CoverageStatus)> = r
        .endpoints
        .iter()
        .map(|e| (e.method.as_str(), e.path.as_str(), e.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("GET", "/pets/{petId}", CoverageStatus::Full),
            ("POST", "/pets", CoverageStatus::Full),
            ("DELETE", "/pets/{petId}", CoverageStatus::None)
        ]
    );
    let get = &r.endpoints[0];
    assert_eq!(
        (get.hits, get.statuses_seen.clone()),
        (12, vec![200, 404, 418])
    );
    assert_eq!(get.statuses_declared, vec!["200", "404"]);
    assert_eq!(
        r.endpoints[1].statuses_declared,
        vec!["2XX"],
        "default is not a declared status"
    );
    assert_eq!(
        (
            r.summary.covered,
            r.summary.operations,
            r.summary.coverage_percent
        ),
        (2, 3, 66.67)
    );
    assert_eq!(r.summary.exchanges, 15);
    assert_eq!(r.undeclared.len(), 1);
    assert_eq!(
        r.undeclared[0].service, None,
        "no service, no route: unknown"
    );

    // GET: 2 schema violations + 1 undeclared 418 of 12; POST: 500 is covered by default.
    let row = |endpoint: &str| {
        r.drift
            .iter()
            .find(|d| d.endpoint == endpoint)
            .unwrap()
            .clone()
    };
    let get = row("GET /pets/{petId}");
    assert_eq!(
        (
            get.total,
            get.drifting,
            get.drift_percent,
            get.budget_percent
        ),
        (12, 3, 25.0, Some(10.0))
    );
    assert!(get.exceeded);
    let post = row("POST /pets");
    assert_eq!(
        (post.total, post.drifting, post.budget_percent),
        (2, 0, Some(0.0))
    );
    assert!(!post.exceeded);
    let pets = r
        .drift
        .iter()
        .find(|d| d.endpoint == "*" && d.service.is_some())
        .unwrap();
    assert_eq!(
        (pets.service.as_deref(), pets.total, pets.drifting),
        (Some("pets"), 14, 3)
    );
    assert_eq!((pets.budget_percent, pets.exceeded), (Some(50.0), false));
    let unknown = r
        .drift
        .iter()
        .find(|d| d.endpoint == "*" && d.service.is_none())
        .unwrap();
    assert_eq!(
        (unknown.total, unknown.drifting, unknown.exceeded),
        (1, 1, true),
        "/toys matches nothing"
    );
    let verdicts = drift_verdicts(&r);
    let exceeded: Vec<(&str, f64)> = verdicts
        .iter()
        .map(|v| (v.endpoint.as_str(), v.threshold_percent))
        .collect();
    assert_eq!(exceeded, vec![("*", 50.0), ("GET /pets/{petId}", 10.0)]);

    // min_samples: the same traffic under a budget that wants 100 samples gives no verdict.
    let strict = [DriftBudget {
        service: None,
        endpoint: Some("**".into()),
        max_drift_percent: 1.0,
        min_samples: 100,
    }];
    let r = report(&store, &[pets_spec()], &strict, "7d");
    assert!(r.drift.iter().all(|d| !d.exceeded));
    assert!(drift_verdicts(&r).is_empty());
}

#[test]
fn heatmap_buckets_include_empty_days_and_personas_count_ci_runs() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = Vec::new();
    for (day, scenario, persona, run) in [
        (4, "happy", Some("admin"), Some("r1")),
        (4, "happy", Some("admin"), Some("r1")),
        (7, "happy", Some("admin"), Some("r2")),
        (7, "outage", Some("guest"), None),
        (10, "happy", Some("admin"), None),
        (1, "happy", Some("admin"), Some("r0")),
    ] {
        let mut x = exchange(day, 6 + batch.len() as u32, "GET", "/pets/1", 200);
        x.scenario = Some(scenario.into());
        x.persona = persona.map(str::to_string);
        x.ci_run = run.map(str::to_string);
        x.duration_ms = Some(batch.len() as f64);
        batch.push(x);
    }
    insert(&mut store, batch);
    let r = report(&store, &[pets_spec()], &[], "2026-03-03");
    assert_eq!(r.scenarios.len(), 2);
    let happy = &r.scenarios[0];
    assert_eq!((happy.scenario.as_str(), happy.hits), ("happy", 4));
    let starts: Vec<&str> = happy.buckets.iter().map(|b| b.start.as_str()).collect();
    assert_eq!(starts.len(), 8, "3rd through 10th");
    assert_eq!(starts[0], "2026-03-03T00:00:00Z");
    assert_eq!(starts[7], "2026-03-10T00:00:00Z");
    let hits: Vec<u64> = happy.buckets.iter().map(|b| b.hits).collect();
    assert_eq!(hits, vec![0, 2, 0, 0, 1, 0, 0, 1]);
    assert_eq!(r.scenarios[1].buckets.len(), 8);
    let admin = &r.personas[0];
    assert_eq!(
        (admin.persona.as_str(), admin.ci_runs, admin.hits),
        ("admin", 2, 4),
        "r0 is outside the window"
    );
    assert_eq!(admin.last_seen, "2026-03-10T10:00:00Z");
    assert_eq!(
        (r.personas[1].persona.as_str(), r.personas[1].ci_runs),
        ("guest", 0)
    );
}

#[test]
fn staleness_follows_reality_changes_and_real_traffic() {
    let mut store = Store::open_in_memory().unwrap();
    let at = |d: u32| Utc.with_ymd_and_hms(2026, 3, d, 0, 0, 0).unwrap();
    store
        .record_reality_change("pets", Some("main"), "real", at(1))
        .unwrap();
    store
        .record_reality_change("pets", Some("main"), "mock", at(2))
        .unwrap();
    store
        .record_reality_change("pets", Some("main"), "mock", at(5))
        .unwrap();
    store
        .record_reality_change("toys", Some("main"), "chaos", at(3))
        .unwrap();
    let mut real = exchange(1, 12, "GET", "/pets/1", 200);
    real.service = Some("pets".into());
    real.reality_level = Some("real".into());
    let mut mocked = exchange(8, 12, "GET", "/pets/2", 200);
    mocked.service = Some("pets".into());
    mocked.reality_level = Some("mock".into());
    insert(&mut store, vec![real, mocked]);
    let services = [
        ServiceInfo {
            service: "pets".into(),
            reality_level: "mock".into(),
        },
        ServiceInfo {
            service: "toys".into(),
            reality_level: "blended".into(),
        },
    ];
    let r = build_report(
        &store,
        &[],
        &services,
        &[],
        Window { since: None },
        None,
        now(),
        None,
    )
    .unwrap();
    let pets = &r.staleness[0];
    assert_eq!(
        pets.since.as_deref(),
        Some("2026-03-02T00:00:00Z"),
        "a repeated mock keeps the first"
    );
    assert_eq!(pets.days_at_level, Some(8));
    assert_eq!(
        pets.last_real_exchange.as_deref(),
        Some("2026-03-01T12:00:00Z")
    );
    assert_eq!(pets.days_since_real, Some(9));
    let toys = &r.staleness[1];
    assert_eq!(
        (toys.since.clone(), toys.days_at_level, toys.days_since_real),
        (None, None, None),
        "recorded level is not the current one"
    );
    let only = build_report(
        &store,
        &[],
        &services,
        &[],
        Window { since: None },
        Some("toys"),
        now(),
        None,
    )
    .unwrap();
    assert_eq!(only.staleness.len(), 1);
    assert_eq!(only.summary.exchanges, 0);
}

#[test]
fn service_filter_and_resolver() {
    let mut store = Store::open_in_memory().unwrap();
    let mut other = pets_spec();
    other.service = Some("toys".into());
    other.operations.truncate(1);
    other.operations[0].path = "/toys/{id}".into();
    let mut tied = exchange(9, 1, "GET", "/toys/1", 200);
    tied.service = Some("toys".into());
    insert(
        &mut store,
        vec![
            tied,
            exchange(9, 2, "GET", "/gw/pets/pets/7", 404),
            exchange(9, 3, "GET", "/nowhere", 200),
        ],
    );
    let resolver = |path: &str| {
        path.strip_prefix("/gw/pets")
            .map(|rest| ("pets".to_string(), rest.to_string()))
    };
    let specs = [pets_spec(), other];
    let window = Window { since: None };
    let r = build_report(
        &store,
        &specs,
        &[],
        &[],
        window,
        Some("pets"),
        now(),
        Some(&resolver),
    )
    .unwrap();
    assert_eq!(r.endpoints.len(), 3, "only the pets spec");
    assert_eq!(r.summary.exchanges, 1, "the routed exchange");
    assert_eq!(r.endpoints[0].statuses_seen, vec![404]);
    let all = build_report(
        &store,
        &specs,
        &[],
        &[],
        window,
        None,
        now(),
        Some(&resolver),
    )
    .unwrap();
    assert_eq!((all.summary.exchanges, all.summary.covered), (3, 2));
    assert_eq!(all.undeclared[0].path, "/nowhere");
    assert_eq!(all.undeclared[0].service, None);
}

#[test]
fn an_empty_state_gives_an_honest_empty_report() {
    let store = Store::open_in_memory().unwrap();
    let r = report(&store, &[], &[], "7d");
    let value = serde_json::to_value(&r).unwrap();
    assert_eq!(
        value,
        json!({"endpoints": [], "undeclared": [], "summary": {"operations": 0, "covered": 0, "full": 0, "coverage_percent": 0.0, "exchanges": 0}, "scenarios": [], "personas": [], "staleness": [], "drift": []})
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
    insert(&mut store, vec![x]);
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
            "summary",
            "scenarios",
            "personas",
            "staleness",
            "drift"
        ]
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
            "exceeded"
        ]
    );
    assert_eq!(value["endpoints"][0]["status"], "partial");
}
