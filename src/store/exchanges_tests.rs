//! Tests of storing and scanning exchanges (`exchanges.rs`).

use super::*;
use chrono::TimeZone;

fn exchange(path: &str, status: u16, body: Option<&str>) -> Exchange {
    Exchange {
        timestamp: Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap(),
        method: "GET".into(),
        path: path.into(),
        query: None,
        status,
        service: Some("pets".into()),
        workspace_id: None,
        reality_level: None,
        scenario: Some("happy".into()),
        persona: None,
        ci_run: None,
        duration_ms: Some(3.5),
        request_body: None,
        response_body: body.map(str::to_string),
        source: "jsonl".into(),
        gateway_path: None,
        answered_by_gateway: false,
    }
}

#[test]
fn reinserting_counts_duplicates_and_groups_by_body() {
    let mut store = Store::open_in_memory().unwrap();
    let batch = vec![
        exchange("/pets/1", 200, Some("{}")),
        exchange("/pets/2", 200, Some("{}")),
        exchange("/pets/2", 404, None),
    ];
    let first = store.insert_exchanges(&batch).unwrap();
    assert_eq!(
        first,
        InsertCounts {
            inserted: 3,
            duplicates: 0
        }
    );
    let again = store.insert_exchanges(&batch).unwrap();
    assert_eq!(
        again,
        InsertCounts {
            inserted: 0,
            duplicates: 3
        }
    );
    assert_eq!(store.exchange_count(None).unwrap(), 3);
    let mut seen = Vec::new();
    store
        .scan_window(None, &mut |x| {
            seen.push((
                x.id,
                x.route().unwrap().path.to_string(),
                x.response_hash,
                x.scenario.map(|l| l.name.to_string()),
            ))
        })
        .unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].2, Some(body_hash("{}")));
    assert_eq!(seen[2].2, None);
    assert_eq!(seen[0].3.as_deref(), Some("happy"));
    assert_eq!(
        store.exchange_response_body(seen[0].0).unwrap().as_deref(),
        Some("{}")
    );
    assert_eq!(store.exchange_response_body(seen[2].0).unwrap(), None);
    // Several at once: those with a body, none for the others or for unknown ids.
    let ids: Vec<i64> = seen.iter().map(|s| s.0).chain([i64::MAX]).collect();
    let bodies = store.exchange_response_bodies(&ids).unwrap();
    assert_eq!(bodies.get(&seen[0].0).map(String::as_str), Some("{}"));
    assert!(!bodies.contains_key(&seen[2].0));
    assert!(!bodies.contains_key(&i64::MAX));
    let since = Utc
        .with_ymd_and_hms(2026, 3, 10, 9, 0, 0)
        .unwrap()
        .timestamp_millis();
    let mut later = 0;
    store.scan_window(Some(since), &mut |_| later += 1).unwrap();
    assert_eq!(later, 0);
}

#[test]
fn a_read_only_store_can_be_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut store = Store::open(&path).unwrap();
    store
        .insert_exchanges(&[exchange("/pets/1", 200, Some("{}"))])
        .unwrap();
    drop(store);
    let reader = Store::open_read_only(&path).unwrap().unwrap();
    let mut count = 0;
    reader.scan_window(Some(0), &mut |_| count += 1).unwrap();
    assert_eq!(count, 1);
}

#[test]
fn reality_changes_come_back_in_order() {
    let mut store = Store::open_in_memory().unwrap();
    let later = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    let earlier = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    store
        .record_reality_change("pets", Some("main"), "mock", later)
        .unwrap();
    store
        .record_reality_change("pets", None, "real", earlier)
        .unwrap();
    let changes = store.reality_changes().unwrap();
    assert_eq!(
        changes[0],
        ("pets".to_string(), "real".to_string(), earlier)
    );
    assert_eq!(changes[1].1, "mock");
}

/// A batch rolled back after storing new routes: the writer forgets their ids, which
/// the next routes get, so a later exchange is never filed under another's route.
#[test]
fn a_rolled_back_batch_leaves_no_stale_route_ids() {
    let mut store = Store::open_in_memory().unwrap();
    store.fail_inserts_of_status(599, "ROLLBACK");
    let failed = store.insert_exchanges(&[exchange("/a", 200, None), exchange("/b", 599, None)]);
    assert!(failed.is_err());
    assert!(store.sqlite().unwrap().is_autocommit());
    store.stop_failing_inserts();
    // `/c` now gets the id `/a` had in the rolled-back transaction.
    store
        .insert_exchanges(&[exchange("/c", 200, None)])
        .unwrap();
    store
        .insert_exchanges(&[exchange("/a", 201, None)])
        .unwrap();
    let mut stmt = store
        .sqlite()
        .unwrap()
        .prepare("SELECT path, status FROM exchanges_named ORDER BY id")
        .unwrap();
    let rows: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(rows, [("/c".to_string(), 200), ("/a".to_string(), 201)]);
}

/// A narrow window (read through the `ts` index) loads only its own routes' names, not
/// every path the state file ever saw; the whole table loads them all.
#[test]
fn a_narrow_window_loads_only_its_routes() {
    let mut store = Store::open_in_memory().unwrap();
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 3, d, 8, 0, 0).unwrap();
    let mut batch: Vec<Exchange> = (1..=3)
        .map(|i| Exchange {
            timestamp: day(1),
            ..exchange(&format!("/old/{i}"), 200, None)
        })
        .collect();
    batch.push(Exchange {
        timestamp: day(10),
        ..exchange("/new", 200, None)
    });
    store.insert_exchanges(&batch).unwrap();
    let since = day(10).timestamp_millis() - 3_600_000;
    let mut seen = Vec::new();
    store
        .scan_window(Some(since), &mut |x| {
            seen.push((x.route().unwrap().path.clone(), x.names.routes_loaded()))
        })
        .unwrap();
    assert_eq!(seen, [("/new".to_string(), 1)]);
    let mut loaded = 0;
    store
        .scan_window(None, &mut |x| loaded = x.names.routes_loaded())
        .unwrap();
    assert_eq!(loaded, 4);
}
