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
