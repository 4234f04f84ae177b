//! `mockops demo`: each stage of the closed loop leaves its effect (exchanges and runs in
//! the demo's state file, the branch on its bare origin, a verified webhook, the HTML
//! report), and the folder it was started from — a project of its own, or this
//! repository — is left as it was.

mod common;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir` (but `skip`) with its content, to compare before and after.
fn snapshot(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            if skip.iter().any(|s| rel.starts_with(s)) {
                continue;
            }
            if path.is_dir() {
                all.insert(rel, b"<dir>".to_vec());
                stack.push(path);
            } else {
                all.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    all
}

fn demo_cmd(cwd: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("mockops").unwrap();
    c.current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .timeout(std::time::Duration::from_secs(120));
    c
}

fn mockops_in(project: &Path, args: &[&str]) -> Value {
    let out = assert_cmd::Command::cargo_bin("mockops")
        .unwrap()
        .current_dir(project)
        .env_remove("MOCKOPS_PROJECT")
        .env_remove("MOCKOPS_STATE")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_demo_closes_the_loop_in_its_own_folder() {
    // Started from inside a project of the user's, with its variables set: none of it is used.
    let user = common::Project::new();
    user.write("mockops.yaml", "workspace: mine\n")
        .write("pipelines/keep.yaml", "name: keep\ntriggers: [{event: drift.threshold_exceeded}]\nsteps: [{name: s, type: run, config: {command: 'touch touched'}}]\n");
    let state = user.path("elsewhere/state.db");
    let before = snapshot(user.root(), &[]);
    let scratch = tempfile::tempdir().unwrap();
    let out_dir = scratch.path().join("demo");

    let out = demo_cmd(user.root())
        .env("MOCKOPS_PROJECT", user.root())
        .env("MOCKOPS_STATE", &state)
        // A proxy for everything else: the demo's addresses are all on 127.0.0.1.
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .args(["demo", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        before,
        snapshot(user.root(), &[]),
        "the current folder changed"
    );
    assert!(!state.exists());

    // It says what happened at each stage, with the commands it ran.
    for expected in [
        "$ mockops federation serve --listen 127.0.0.1:0",
        "$ mockops coverage report --since all",
        "$ mockops drift check --since all",
        "drift-to-pr succeeded",
        "mockops/drift-orders",
        "signature verified",
        "HTML report: ",
    ] {
        assert!(stdout.contains(expected), "no `{expected}` in:\n{stdout}");
    }
    assert!(
        stderr.contains("listening on http://127.0.0.1:"),
        "{stderr}"
    );

    let project = out_dir.join("project");
    // The gateway recorded every request, for the services it routed them to.
    let report = mockops_in(&project, &["coverage", "report", "--since", "all"]);
    assert_eq!(
        report["summary"]["exchanges"],
        json!(60),
        "{}",
        report["summary"]
    );
    let levels: Vec<&str> = report["staleness"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["reality_level"].as_str())
        .collect();
    assert_eq!(levels, ["real", "blended", "chaos_driven", "mock_v3"]);

    // drift check emitted the event, whose pipeline ran and succeeded.
    let events = mockops_in(
        &project,
        &["event", "list", "--type", "drift.threshold_exceeded"],
    );
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let history = mockops_in(&project, &["pipeline", "history"]);
    let run = &history.as_array().unwrap()[0];
    assert_eq!(run["pipeline"], json!("drift-to-pr"));
    assert_eq!(run["status"], json!("succeeded"), "{run}");
    let shown = mockops_in(&project, &["pipeline", "show", run["id"].as_str().unwrap()]);
    let steps: Vec<(&str, &str)> = shown["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [("open-pr", "succeeded"), ("tell", "succeeded")]);
    // The listener answers 204 only to a message whose signature verifies.
    assert_eq!(shown["steps"][1]["outputs"]["status_code"], json!(204));

    // The pull request's branch is on the bare origin, with the drift note.
    let origin = out_dir.join("origin.git");
    let note = common::git(&origin, &["show", "mockops/drift-orders:drift/orders.md"]);
    assert!(note.starts_with("# Drift on orders"), "{note}");
    assert!(!user.path("touched").exists());

    // The report is the self-contained HTML file, kept with the project.
    let html = std::fs::read_to_string(project.join("reports/coverage.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    assert!(html.contains("orders") && !html.contains("<script src="));
    assert!(stdout.contains(&project.join("reports/coverage.html").display().to_string()));
}

#[test]
fn by_default_the_folder_goes_and_the_report_stays_and_the_repository_is_untouched() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let skip = ["target", ".git"];
    let before = snapshot(repo, &skip);
    let tmp = tempfile::tempdir().unwrap();
    let out = demo_cmd(repo)
        .env("TMPDIR", tmp.path())
        .args(["demo", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(snapshot(repo, &skip), before, "the repository changed");

    // Only the report is left, in the temp folder.
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with("mockops-demo-report-") && left[0].ends_with(".html"));
    let report = PathBuf::from(summary["report"].as_str().unwrap());
    assert_eq!(report, tmp.path().join(&left[0]));
    assert!(std::fs::read_to_string(&report).unwrap().contains("orders"));
    assert_eq!(summary["folder"], Value::Null);
    assert!(!Path::new(summary["project"].as_str().unwrap()).exists());

    assert_eq!(
        summary["branches"][0]["name"],
        json!("mockops/drift-orders")
    );
    assert_eq!(summary["branches"][0]["files"], json!(["drift/orders.md"]));
    let hooks = summary["webhooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    assert_eq!(hooks[0]["verified"], json!(true));
    assert_eq!(hooks[0]["status"], json!(204));
    assert_eq!(hooks[0]["body"]["branch"], json!("mockops/drift-orders"));
    let traffic = summary["traffic"].as_object().unwrap();
    let levels: Vec<&str> = traffic
        .values()
        .map(|t| t["reality"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["real", "blended", "chaos_driven", "mock_v3"]);
    let requests: u64 = traffic
        .values()
        .map(|t| t["requests"].as_u64().unwrap())
        .sum();
    assert_eq!(requests, 60);
}

#[test]
fn out_must_be_a_new_or_empty_folder() {
    let p = common::Project::new();
    p.write("full/file", "x");
    let out = p.run(&["demo", "--out", "full"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--out full: not empty"),
        "{}",
        out.stderr
    );
    assert_eq!(p.read("full/file"), "x");
}
