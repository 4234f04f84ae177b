//! mockops through PgBouncer (session mode) in front of the test cluster, as a team puts
//! one in front of a shared server when many short commands connect at once: every
//! command works unchanged, including the bulk ingest's COPY and temporary staging
//! table, and the connection settings mockops needs (the statement timeout) are set
//! after connecting, since a pooler refuses them in the startup packet.

mod common;
use common::pg::cluster;
use common::{Backend, Project};
use serde_json::json;

fn emit_pipeline(p: &Project) {
    p.write(
        "pipelines/c.yaml",
        "name: c\ntriggers: [{event: custom.c}]\nsteps:\n  - name: e\n    type: emit\n    config: {event: custom.d, payload: {j: \"{{event.payload.j}}\"}}\n",
    );
}

fn traffic(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"timestamp\":{},\"method\":\"GET\",\"path\":\"/items/{}\",\"status\":200,\"response_body\":\"{{}}\"}}\n",
                1_770_000_000_000i64 + i as i64,
                i % 7
            )
        })
        .collect()
}

#[test]
fn every_kind_of_command_works_through_pgbouncer() {
    let pooler = cluster().pooler();
    let p = Project::on(Backend::Postgres);
    let url = pooler.url(p.database.as_deref().unwrap());
    let through = [("MOCKOPS_STATE", url.as_str())];
    emit_pipeline(&p);
    for j in 0..3 {
        let out = p.run_with(
            &["event", "emit", "custom.c", "-p", &format!("j={j}")],
            &through,
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("c succeeded"), "{}", out.stdout);
    }
    assert_eq!(
        p.count("SELECT count(*) FROM runs WHERE status = 'succeeded'"),
        3
    );
    assert_eq!(p.count("SELECT count(*) FROM events"), 6);

    // Bulk ingest: COPY, then (the second time, every row a duplicate) the temporary
    // staging table; both within one pooled session.
    p.write("traffic.jsonl", &traffic(40));
    let first = p.run_with(
        &["--format", "json", "coverage", "ingest", "traffic.jsonl"],
        &through,
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.json()["ingested"], json!(40), "{}", first.stdout);
    let again = p.run_with(
        &["--format", "json", "coverage", "ingest", "traffic.jsonl"],
        &through,
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.json()["ingested"], json!(0), "{}", again.stdout);
    assert_eq!(again.json()["duplicates"], json!(40), "{}", again.stdout);
    assert_eq!(p.count("SELECT count(*) FROM exchanges"), 40);

    // A database the server does not have, asked for through the pooler: refused at
    // connection time, like a server that is down.
    let missing = pooler.url("no_such_database");
    let out = p.run_with(&["event", "list"], &[("MOCKOPS_STATE", missing.as_str())]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot connect") && out.stderr.contains("no_such_database"),
        "{}",
        out.stderr
    );

    let status = p.run_with(&["--format", "json", "state", "status"], &through);
    assert_eq!(status.code, 0, "{}", status.stderr);
    let v = status.json();
    assert_eq!(v["backend"], "postgres", "{v}");
    assert_eq!(v["tables"]["runs"], json!(3), "{v}");
    assert_eq!(v["tables"]["exchanges"], json!(40), "{v}");
}

#[test]
fn a_statement_timeout_the_server_refuses_is_exit_2_naming_it() {
    let p = Project::on(Backend::Postgres);
    let db = p.database.clone().unwrap();
    let bad = format!("{}&statement_timeout=soon", cluster().url(&db));
    let out = p.run_with(&["state", "status"], &[("MOCKOPS_STATE", bad.as_str())]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("statement_timeout=soon") && out.stderr.contains("30s"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("127.0.0.1:{}/{db}", cluster().port)),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

#[test]
fn a_run_whose_process_died_behind_pgbouncer_is_marked_interrupted() {
    // The run's liveness is a session-level advisory lock; behind a pooler the server
    // session outlives the client, and PgBouncer's `DISCARD ALL` is what releases it.
    let pooler = cluster().pooler();
    let p = Project::on(Backend::Postgres);
    let url = pooler.url(p.database.as_deref().unwrap());
    p.write(
        "pipelines/s.yaml",
        "name: s\ntriggers: [{event: custom.s}]\nsteps:\n  - {name: wait, type: run, config: {command: \"sleep 20\"}}\n",
    );
    let schema = p.run_with(&["state", "status"], &[("MOCKOPS_STATE", url.as_str())]);
    assert_eq!(schema.code, 0, "{}", schema.stderr);
    let mut child = p
        .process()
        .env("MOCKOPS_STATE", &url)
        .args(["event", "emit", "custom.s"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while p.count("SELECT count(*) FROM runs WHERE status = 'running'") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the run never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: nothing of mockops runs after this
    child.wait().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let out = p.run_with(
            &["--format", "json", "pipeline", "history"],
            &[("MOCKOPS_STATE", url.as_str())],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        if out.json().to_string().contains("\"interrupted\"") {
            break;
        }
        // PgBouncer notices the closed client and resets its server session a moment later.
        assert!(
            std::time::Instant::now() < deadline,
            "never marked interrupted: {}",
            out.stdout
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        p.count("SELECT count(*) FROM runs WHERE status = 'interrupted'"),
        1
    );
}

#[test]
fn a_pooler_in_transaction_mode_is_named_not_a_statement_error() {
    // Each transaction may land on another server session: statement names clash or go
    // missing. The second command reuses the first one's server session here.
    let pooler = cluster().pooler_in("transaction");
    let p = Project::on(Backend::Postgres);
    let url = pooler.url(p.database.as_deref().unwrap());
    let through = [("MOCKOPS_STATE", url.as_str())];
    let outs: Vec<_> = (0..3)
        .map(|_| p.run_with(&["state", "status"], &through))
        .collect();
    let failed: Vec<_> = outs.iter().filter(|o| o.code != 0).collect();
    assert!(
        !failed.is_empty(),
        "every command went through a transaction-mode pooler"
    );
    for out in failed {
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("transaction or statement mode")
                && out.stderr.contains("pool_mode = session"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}
