//! `COMPLETE=<shell> mockops`: completions of the names and ids that exist in the project
//! (pipelines, federations, runs, events) and of each command's own `--format` values.

mod common;

use common::Project;

/// What fish would offer for the last word of `words` (one candidate a line, a tab before
/// its description).
fn complete(p: &Project, words: &[&str]) -> Vec<String> {
    let mut args = vec!["--", "mockops"];
    args.extend_from_slice(words);
    let out = p.run_with(&args, &[("COMPLETE", "fish")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .filter(|c| !c.starts_with('-'))
        .collect()
}

#[test]
fn names_and_ids_of_the_project_complete() {
    let p = Project::new();
    p.write(
        "pipelines/deploy.yaml",
        "name: deploy\ntriggers:\n  - event: custom.deploy\nsteps:\n  - name: s\n    type: emit\n    config: {event: custom.done}\n",
    );
    p.write(
        "federations/shop.yaml",
        "name: shop\nservices:\n  - name: a\n    base_path: /a\n    workspace_id: w\n    reality_level: mock_v3\n    mock_url: http://127.0.0.1:1\n",
    );
    assert_eq!(complete(&p, &["pipeline", "run", ""]), ["deploy"]);
    assert_eq!(
        complete(&p, &["federation", "route", "--federation", ""]),
        ["shop"]
    );
    // No state file yet: no ids, and completing creates none.
    assert!(complete(&p, &["pipeline", "show", ""]).is_empty());
    assert!(!p.path(".mockops/state.db").exists());
    let (code, run, err) = p.json(&["pipeline", "run", "deploy"]);
    assert_eq!(code, 0, "{err}");
    let run_id = run["runs"][0]["id"].as_str().unwrap().to_string();
    let event_id = run["event_id"].as_str().unwrap().to_string();
    assert_eq!(complete(&p, &["pipeline", "logs", ""]), [run_id]);
    let events = complete(&p, &["event", "replay", ""]);
    assert!(events.contains(&event_id), "{events:?}");
}

#[test]
fn format_completes_only_the_commands_values() {
    let p = Project::new();
    assert_eq!(
        complete(&p, &["schema", "diff", "a", "b", "--format", ""]),
        ["text", "table", "json", "markdown", "sarif", "github"]
    );
    assert_eq!(
        complete(&p, &["pipeline", "list", "--format", ""]),
        ["table", "text", "json"]
    );
}
