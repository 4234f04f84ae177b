//! Report tests for traffic over time: scenario heatmaps (empty days included), persona
//! hits and CI runs, and staleness of each service's reality level.

use super::*;

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
    // The real service unreachable: the gateway answered, no sign of real traffic.
    let mut unreachable = exchange(7, 12, "GET", "/pets/3", 502);
    unreachable.service = Some("pets".into());
    unreachable.reality_level = Some("real".into());
    unreachable.answered_by_gateway = true;
    insert(&mut store, vec![real, mocked, unreachable]);
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
