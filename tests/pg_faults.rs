//! The PostgreSQL server dies under a command: the command exits 2 naming the server,
//! what was committed stays, the next command marks the interrupted run, and ingesting
//! the same file again adds exactly the missing exchanges. These tests stop and start
//! the cluster, so they live in a test binary of their own (its cluster is theirs) and
//! run one after the other.

mod common;
use common::pg::cluster;
use common::{Backend, Project};
use serde_json::json;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The tests below take turns: each stops the server the other would use.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn exchanges_in(db: &str) -> i64 {
    let mut client = cluster().client(db);
    client
        .query_one("SELECT count(*) FROM exchanges", &[])
        .map(|r| r.get::<_, i64>(0))
        .unwrap_or(0)
}

#[test]
fn server_killed_mid_ingest_then_reingest_adds_exactly_the_missing() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::on(Backend::Postgres);
    let db = p.database.clone().unwrap();
    assert_eq!(p.run(&["event", "list"]).code, 0); // the schema
    let total = 300_000;
    let mut text = String::with_capacity(total * 90);
    for i in 0..total {
        text.push_str(&format!(
            "{{\"timestamp\":{},\"method\":\"GET\",\"path\":\"/items/{}\",\"status\":200}}\n",
            1_770_000_000_000i64 + i as i64,
            i % 500
        ));
    }
    p.write("big.jsonl", &text);
    let child = p
        .process()
        .args(["--format", "json", "coverage", "ingest", "big.jsonl"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the first committed batch", || exchanges_in(&db) > 0);
    cluster().kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    cluster().restart();
    let committed = exchanges_in(&db);
    assert!(
        committed > 0 && committed < total as i64,
        "the kill came too late or too early: {committed} of {total} stored"
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("PostgreSQL server 127.0.0.1:{}", cluster().port)),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let again = p.run(&["--format", "json", "coverage", "ingest", "big.jsonl"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let v = again.json();
    assert_eq!(v["ingested"], json!(total as i64 - committed), "{v}");
    assert_eq!(v["duplicates"], json!(committed), "{v}");
    assert_eq!(exchanges_in(&db), total as i64);
}

#[test]
fn server_killed_mid_run_then_the_next_command_marks_it_interrupted() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::on(Backend::Postgres);
    // A `run` step has effects outside mockops: the run is committed `running` first.
    p.write(
        "pipelines/long.yaml",
        "triggers: [{event: custom.long}]\nsteps:\n  - {name: wait, type: run, config: {command: \"sleep 4\"}}\n",
    );
    let child = p
        .process()
        .args(["event", "emit", "custom.long"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let db = p.database.clone().unwrap();
    wait_for("the running run", || {
        let mut client = cluster().client(&db);
        client
            .query_one("SELECT count(*) FROM runs WHERE status = 'running'", &[])
            .map(|r| r.get::<_, i64>(0) == 1)
            .unwrap_or(false)
    });
    cluster().kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    cluster().restart();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("PostgreSQL server 127.0.0.1:{}", cluster().port)),
        "{stderr}"
    );
    let (code, runs, err) = p.json(&["pipeline", "history"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(runs[0]["status"], "interrupted", "{runs}");
    assert!(err.contains("marked 1 run(s) interrupted"), "{err}");
    let (_, events, _) = p.json(&["event", "list"]);
    assert_eq!(events[0]["type"], "custom.long", "the event stayed");
}
