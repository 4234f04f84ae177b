//! What the coverage CLI tests share: a project with specs, ingesting lines, reading the
//! report and finding its rows.
#![allow(dead_code)]

use crate::common::{Backend, Project};
use serde_json::Value;

/// A project whose `mockops.yaml` configures `specs` (path, service, text).
pub fn project(specs: &[(&str, &str, &str)], extra: &str) -> Project {
    project_on(Backend::Sqlite, specs, extra)
}

/// [`project`] with its state on `backend`.
pub fn project_on(backend: Backend, specs: &[(&str, &str, &str)], extra: &str) -> Project {
    let p = Project::on(backend);
    let mut config = String::from("specs:\n");
    for (path, service, text) in specs {
        p.write(path, text);
        config.push_str(&format!("  - path: {path}\n    service: {service}\n"));
    }
    config.push_str(extra);
    p.write("mockops.yaml", &config);
    p
}

/// Runs mockops with every CI variable mockops reads removed (so that runs are
/// deterministic wherever the tests run), then `env` set, as a CI runner sets them.
pub fn run_clean(p: &Project, args: &[&str], env: &[(&str, &str)]) -> crate::common::Output {
    let mut c = p.cmd();
    for v in mockops::coverage::ingest::ci_env::variables() {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args);
    let out = c.output().expect("run mockops");
    crate::common::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn ingest_lines(p: &Project, lines: &[Value]) -> Value {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    p.write("traffic.jsonl", &text);
    let (code, v, err) = p.json(&["coverage", "ingest", "traffic.jsonl"]);
    assert_eq!(code, 0, "{err}");
    v
}

pub fn report(p: &Project) -> Value {
    let (code, r, err) = p.json(&["coverage", "report", "--since", "all"]);
    assert_eq!(code, 0, "{err}");
    r
}

pub fn endpoint<'a>(report: &'a Value, service: &str, method: &str, path: &str) -> &'a Value {
    report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["service"] == service && e["method"] == method && e["path"] == path)
        .unwrap_or_else(|| panic!("no {service} {method} {path} in {:#}", report["endpoints"]))
}

pub fn drift_row<'a>(report: &'a Value, endpoint: &str) -> &'a Value {
    report["drift"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["endpoint"] == endpoint)
        .unwrap_or_else(|| panic!("no drift row {endpoint} in {:#}", report["drift"]))
}

pub fn text_report(p: &Project, format: &str) -> String {
    let out = p.run(&["coverage", "report", "--since", "all", "--format", format]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}
