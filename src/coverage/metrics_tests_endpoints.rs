//! Report tests for the endpoint rows and drift: full/partial/none coverage, undeclared
//! traffic, drift rows and budgets, and the service filter with a gateway resolver.

use super::*;

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
