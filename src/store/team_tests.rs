//! `ci_runs` and the `--by` aggregate on both engines (the PostgreSQL test cluster of
//! `tests/common/pg.rs`), and schema 10 over the rows of schema 9.

use super::super::location::Location;
use super::super::migrations::{latest_version, STEPS};
use super::super::pg_tests::harness;
use super::*;
use crate::exchange::Exchange;
use chrono::{TimeZone, Utc};
use std::path::Path;

fn on_postgres(hint: &str) -> Store {
    let url = harness::cluster().url(&harness::cluster().create_database(hint));
    Store::open_at(&Location::parse(&url, Path::new("/")).unwrap()).unwrap()
}

fn exchange(day: u32, hour: u32, path: &str, run: Option<&str>, persona: Option<&str>) -> Exchange {
    Exchange {
        timestamp: Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap(),
        method: "GET".into(),
        path: path.into(),
        status: 200,
        ci_run: run.map(str::to_string),
        persona: persona.map(str::to_string),
        source: "jsonl".into(),
        ..Default::default()
    }
}

fn aggregates_are_exact(mut store: Store) {
    store
        .insert_exchanges(&[
            exchange(3, 1, "/a", Some("r1"), Some("alice")),
            exchange(3, 23, "/a", Some("r1"), None),
            exchange(4, 0, "/a", Some("r2"), Some("alice")),
            exchange(4, 5, "/b", None, Some("bob")),
            exchange(1, 5, "/b", Some("r2"), None),
        ])
        .unwrap();
    let labelled = |since: Option<u32>, column| {
        let since = since.map(|day| {
            Utc.with_ymd_and_hms(2026, 3, day, 0, 0, 0)
                .unwrap()
                .timestamp_millis()
        });
        let hits = store.route_hits(since, column).unwrap();
        let mut paths: Vec<&str> = hits.routes.iter().map(|r| r.path.as_str()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), hits.routes.len(), "each route named once");
        let mut out: Vec<(String, Option<String>, u64)> = hits
            .labels
            .iter()
            .map(|(route, label, n)| (hits.routes[*route as usize].path.clone(), label.clone(), *n))
            .collect();
        out.sort();
        out
    };
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        labelled(None, LabelColumn::CiRun),
        [
            ("/a".into(), s("r1"), 2),
            ("/a".into(), s("r2"), 1),
            ("/b".into(), None, 1),
            ("/b".into(), s("r2"), 1)
        ]
    );
    assert_eq!(
        labelled(None, LabelColumn::Persona),
        [
            ("/a".into(), None, 1),
            ("/a".into(), s("alice"), 2),
            ("/b".into(), None, 1),
            ("/b".into(), s("bob"), 1)
        ]
    );
    // A window read through the `ts` index (a small part of the table: its names are
    // loaded by the window's own routes) and a wider one read as a plain scan.
    assert_eq!(
        labelled(Some(4), LabelColumn::Persona),
        [("/a".into(), s("alice"), 1), ("/b".into(), s("bob"), 1)]
    );
    assert_eq!(
        labelled(Some(2), LabelColumn::CiRun),
        [
            ("/a".into(), s("r1"), 2),
            ("/a".into(), s("r2"), 1),
            ("/b".into(), None, 1)
        ]
    );

    // The first writer of a (run, attempt, job) names it; other jobs add theirs.
    let run = |job: &str, branch: &str| CiRun {
        run: "r1".into(),
        provider: "github".into(),
        branch: Some(branch.into()),
        job: Some(job.into()),
        workflow: Some("CI".into()),
        attempt: Some("1".into()),
    };
    store.record_ci_run(&run("test", "main"), 1).unwrap();
    store.record_ci_run(&run("test", "other"), 2).unwrap();
    store.record_ci_run(&run("e2e", "main"), 3).unwrap();
    store
        .record_ci_run(
            &CiRun {
                run: "r2".into(),
                provider: "none".into(),
                ..Default::default()
            },
            4,
        )
        .unwrap();
    let runs = store.ci_runs().unwrap();
    assert_eq!(
        runs.get("r1"),
        Some(&CiRunInfo {
            branch: Some("main".into()),
            jobs: vec!["e2e".into(), "test".into()],
        })
    );
    assert_eq!(runs.get("r2"), Some(&CiRunInfo::default()));
    assert_eq!(runs.len(), 2);
}

#[test]
fn aggregates_and_ci_runs_on_sqlite() {
    aggregates_are_exact(Store::open_in_memory().unwrap());
}

#[test]
fn aggregates_and_ci_runs_on_postgres() {
    aggregates_are_exact(on_postgres("team"));
}

#[test]
fn version_10_keeps_the_exchanges_of_version_9_on_both_engines() {
    let insert = "INSERT INTO exchange_routes(id, service, method, path) VALUES (1, 'pets', 'GET', '/pets/1');
         INSERT INTO exchange_labels(id, value) VALUES (1, 'r9');
         INSERT INTO exchanges(id, ts, route_id, status, ci_run_id, fingerprint, source)
             VALUES (10, 1, 1, 200, 1, x'01', 'jsonl');";
    // SQLite.
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    for step in &STEPS[..9] {
        conn.execute_batch(step.sqlite).unwrap();
    }
    conn.pragma_update(None, "user_version", 9).unwrap();
    conn.execute_batch(insert).unwrap();
    super::super::migrations::migrate(&mut conn, Path::new("state.db")).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("PRAGMA user_version"), latest_version());
    assert_eq!(
        count("SELECT count(*) FROM exchanges_named WHERE ci_run = 'r9'"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM ci_runs"), 0);

    // PostgreSQL: the same rows (its identity columns take explicit ids too).
    let cluster = harness::cluster();
    let db = cluster.create_database("from9");
    let mut client = cluster.client(&db);
    client
        .batch_execute(
            "CREATE TABLE mockops_schema (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .unwrap();
    for (i, step) in STEPS[..9].iter().enumerate() {
        client.batch_execute(&step.postgres()).unwrap();
        client
            .execute(
                "INSERT INTO mockops_schema VALUES ($1, 'test')",
                &[&(i as i64 + 1)],
            )
            .unwrap();
    }
    client
        .batch_execute(&insert.replace("x'01'", "'\\x01'::bytea"))
        .unwrap();
    let store =
        Store::open_at(&Location::parse(&cluster.url(&db), Path::new("/")).unwrap()).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let count = |client: &mut postgres::Client, sql: &str| -> i64 {
        client.query_one(sql, &[]).unwrap().get(0)
    };
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM exchanges_named WHERE ci_run = 'r9'"
        ),
        1
    );
    assert_eq!(count(&mut client, "SELECT count(*) FROM ci_runs"), 0);
    store
        .record_ci_run(
            &CiRun {
                run: "r9".into(),
                provider: "gitlab".into(),
                branch: Some("main".into()),
                ..Default::default()
            },
            5,
        )
        .unwrap();
    assert_eq!(
        store.ci_runs().unwrap()["r9"].branch.as_deref(),
        Some("main")
    );
}
