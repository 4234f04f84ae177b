//! Broken definition files: every one exits 2 with file, line and column, never panics.

mod common;
use common::Project;

/// (file content, expected line:col or "" for whole-file errors, a word the message must hold)
const BROKEN: &[(&str, &str, &str)] = &[
    ("name: x\ntriggers: [{event: custom.a}\nsteps: []\n", ":3:", ""),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    tpye: run\n", ":5:5", "did you mean `type`"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: notfy\n", ":5:11", "unknown step type"),
    ("triggers:\n  - event: schema.chnaged\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", ":2:12", "did you mean `schema.changed`"),
    ("triggers:\n  - event: nope\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", ":2:12", "custom."),
    ("triggers:\n  - event: custom.a\n    filters:\n      n: { gtee: 1 }\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", ":4:10", "did you mean `gte`"),
    ("triggers:\n  - event: custom.a\n    filters:\n      n: { gt: many }\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", ":4:", "needs a number"),
    ("triggers:\n  - event: custom.a\n    filters:\n      n: { regex: \"(\" }\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", ":4:", "regex"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    timeout: five minutes\n    config: {command: x}\n", ":6:14", "duration"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    retry: { attempts: 2, backoff: soon }\n    config: {command: x}\n", ":6:", "backoff"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    timeout: 1e20\n    config: {command: x}\n", ":6:14", "longer than 100 years"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    timeout: \"18446744073709551615s\"\n    config: {command: x}\n", ":6:14", "longer than 100 years"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    retry: { backoff: 18446744073709551615 }\n    config: {command: x}\n", ":6:", "longer than 100 years"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    retry: { max_backoff: 1e300 }\n    config: {command: x}\n", ":6:", "longer than 100 years"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    retry: { attempts: 0 }\n    config: {command: x}\n", ":6:", "attempts"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    retry: { tries: 2 }\n    config: {command: x}\n", ":6:14", "unknown field `tries`"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    config: { command: \"{{#if x}}\" }\n", ":6:25", "`{{#if …}}` is never ended"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    config: { command: \"{{shout x}}\" }\n", ":5:11", "unknown helper `shout`"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    config: { command: \"{{steps.later.outputs.x}}\" }\n  - {name: later, type: run, config: {command: x}}\n", ":5:11", "not an earlier step"),
    ("triggers:\n  - event: workspace.created\nsteps:\n  - name: s\n    type: run\n    config: { command: \"{{nonsense.x}}\" }\n", ":5:11", "unknown name `nonsense`"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    config: { comand: x }\n", ":6:23", "did you mean `command`"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    config: { command: 5 }\n", ":5:11", "command"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: emit\n    config: { payload: {} }\n", ":5:11", "`event` is required"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: emit\n    config: { event: bogus.type }\n", ":5:11", "unknown event type"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    if: sometimes()\n    config: {command: x}\n", ":6:9", "success()"),
    ("triggers:\n  - event: custom.a\nsteps:\n  - {name: s, type: run, config: {command: x}}\n  - {name: s, type: run, config: {command: x}}\n", ":5:12", "used twice"),
    ("triggers:\n  - event: custom.a\nsteps: 5\n", ":3:8", ""),
    ("- just\n- a list\n", ":1:1", ""),
    ("name: [unclosed\n", ":", ""),
    ("\t bad: indentation\n", "", ""),
    ("", "", "empty"),
    ("triggers:\n  - event: custom.a\nstep_defaults:\n  notifyy: {}\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", "", "unknown step type `notifyy`"),
    ("unknown_top: 1\ntriggers:\n  - event: custom.a\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", ":1:1", "unknown field `unknown_top`"),
    ("triggers:\n  - event: custom.a\n    filter: {}\nsteps:\n  - {name: s, type: run, config: {command: x}}\n", ":3:5", "did you mean `filters`"),
    ("a: &a [*a, *a]\n", "", ""),
    ("triggers:\n  - event: custom.a\nsteps:\n  - name: s\n    type: run\n    when: { steps.nothere.outputs.x: 1 }\n    config: {command: x}\n", "", "not an earlier step"),
];

#[test]
fn every_broken_pipeline_exits_2_with_its_location() {
    for (i, (content, location, word)) in BROKEN.iter().enumerate() {
        let p = Project::new();
        let file = format!("pipelines/broken{i}.yaml");
        p.write(&file, content);
        let out = p.run(&["pipeline", "validate"]);
        assert_eq!(out.code, 2, "case {i}: {content:?}\nstderr: {}", out.stderr);
        assert!(
            !out.stderr.contains("panicked"),
            "case {i} panicked: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains(&file),
            "case {i}: message does not name the file: {}",
            out.stderr
        );
        if !location.is_empty() {
            assert!(
                out.stderr.contains(&format!("{file}{location}")),
                "case {i}: expected {file}{location} in: {}",
                out.stderr
            );
        }
        assert!(
            out.stderr.contains(word),
            "case {i}: expected {word:?} in: {}",
            out.stderr
        );
        // the same file blocks dispatch too, and nothing stored is lost
        let out = p.run(&["event", "emit", "custom.a"]);
        assert_eq!(
            out.code, 2,
            "case {i}: emit with a broken pipeline must exit 2"
        );
    }
}

#[test]
fn broken_settings_and_payloads_exit_2() {
    let p = Project::new();
    p.write(
        "mockops.yaml",
        "workspace: w\nlimits:\n  max_event_dept: 3\n",
    );
    let out = p.run(&["event", "list"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("mockops.yaml:3:3")
            && out.stderr.contains("did you mean `max_event_depth`"),
        "{}",
        out.stderr
    );

    for (settings, place, says) in [
        ("environments: [dev, Prod]\n", ":1:15", "`Prod` is invalid"),
        ("environments: []\n", ":1:15", "at least one environment"),
        ("environments: [dev, dev]\n", ":1:15", "listed twice"),
        ("limits:\n  max_event_depth: 0\n", ":2:20", "at least 1"),
        ("drift:\n  budgets:\n    - max_drift_percent: 500\n", ":3:26", "between 0 and 100"),
        ("drift:\n  budgets:\n    - match: {endpoint: \"GET /x/[[\"}\n      max_drift_percent: 5\n", ":3:25", "glob"),
    ] {
        let p = Project::new();
        p.write("mockops.yaml", settings);
        let out = p.run(&["event", "list"]);
        assert_eq!(out.code, 2, "{settings:?}: {}", out.stderr);
        assert!(out.stderr.contains(&format!("mockops.yaml{place}: ")), "{settings:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{settings:?}: {}", out.stderr);
    }

    let p = Project::new();
    p.write("a-file.txt", "not a folder\n");
    for args in [
        vec!["init", "a-file.txt"],
        vec!["event", "list", "--format", "dot"],
        vec!["event", "emit", "custom.a", "--workspace", ""],
        vec!["event", "emit", "custom.ü ä"],
        vec!["pipeline", "list", "--format", "html"],
        vec!["--format", "markdown", "event", "dead-letters"],
        vec!["event", "emit", "custom.a", "--payload", "{nope"],
        vec!["event", "emit", "custom.a", "--payload", "[1]"],
        vec!["event", "emit", "custom.a", "-p", "noequals"],
        vec![
            "event",
            "emit",
            "custom.a",
            "--payload-file",
            "missing.json",
        ],
        vec!["event", "show", "no-such-id"],
        vec!["pipeline", "show", "no-such-run"],
        vec!["pipeline", "validate", "missing.yaml"],
        vec!["pipeline", "history", "--status", "weird"],
        vec!["event", "list", "--since", "yesterday-ish"],
        vec!["event", "list", "--since", "99999999999d"],
        vec!["watch", "--debounce=18446744073709551615"],
        vec!["no-such-command"],
        vec!["event", "emit"],
    ] {
        let out = p.run(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{args:?}: {}", out.stderr);
        if args.contains(&"--format") {
            assert!(out.stderr.contains("--format "), "{args:?}: {}", out.stderr);
            assert!(out.stdout.is_empty(), "{args:?} printed: {}", out.stdout);
        }
    }
}

#[test]
fn a_missing_import_path_is_named() {
    let p = Project::new();
    let proto = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/realworld/protobuf/breaking_field_same_name/previous"
    );
    let out = p.run(&["schema", "diff", proto, proto]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = p.run(&[
        "schema",
        "diff",
        proto,
        proto,
        "--import-path",
        "no-such-dir",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--import-path no-such-dir: no such folder"),
        "{}",
        out.stderr
    );
}

backends! {
    fn a_good_emit_survives_a_later_broken_file(backend) {
        let p = Project::on(backend);
        p.write("pipelines/ok.yaml", "triggers: [{event: custom.a}]\nsteps:\n  - {name: s, type: run, config: {command: \"true\"}}\n");
        assert_eq!(p.run(&["event", "emit", "custom.a"]).code, 0);
        p.write("pipelines/bad.yaml", "triggers: [\n");
        // The broken file is reported and makes the command exit 2; the event is stored and
        // the valid pipeline runs all the same.
        let out = p.run(&["event", "emit", "custom.a"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("pipelines/bad.yaml:"), "{}", out.stderr);
        std::fs::remove_file(p.path("pipelines/bad.yaml")).unwrap();
        let (_, events, _) = p.json(&["event", "list"]);
        let events = events.as_array().unwrap();
        assert_eq!(
            events.len(),
            2,
            "the first event is still there, the second is stored"
        );
        let (_, shown, _) = p.json(&["event", "show", events[0]["id"].as_str().unwrap()]);
        assert_eq!(shown["runs"][0]["pipeline"], "ok");
        assert_eq!(shown["runs"][0]["status"], "succeeded");
    }
}

/// SQLite only: it damages the file itself (PostgreSQL's unusable states are in
/// `state_cli.rs`).
#[test]
fn a_damaged_foreign_or_newer_state_file_is_exit_2_and_left_as_it_was() {
    let p = Project::new();
    assert_eq!(p.run(&["event", "emit", "custom.a"]).code, 0);
    let state = p.path(".mockops/state.db");
    // Fold the WAL into the file so that a copy of its bytes is the whole state.
    assert_eq!(p.run(&["event", "list"]).code, 0);
    let good = std::fs::read(&state).unwrap();
    let newer = {
        let copy = p.path("newer.db");
        std::fs::write(&copy, &good).unwrap();
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        std::fs::read(&copy).unwrap()
    };
    let foreign = {
        let copy = p.path("foreign.db");
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute_batch("CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('keep me');")
            .unwrap();
        drop(conn);
        std::fs::read(&copy).unwrap()
    };
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("foreign", foreign, "is another application's database"),
        (
            "truncated",
            good[..good.len().min(5000)].to_vec(),
            "malformed",
        ),
        (
            "text",
            b"not a database at all\n".to_vec(),
            "file is not a database",
        ),
        (
            "newer",
            newer,
            "written by a newer mockops (schema version 99",
        ),
    ];
    for (case, bytes, says) in cases {
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(p.path(&format!(".mockops/state.db{suffix}")));
        }
        std::fs::write(&state, &bytes).unwrap();
        for args in [
            &["event", "list"][..],
            &["pipeline", "list"],
            &["federation", "list"],
            &["event", "emit", "custom.a"],
        ] {
            let out = p.run(args);
            assert_eq!(out.code, 2, "{case} {args:?}: {}", out.stderr);
            assert!(
                out.stderr
                    .contains(&format!("state file {}", state.display())),
                "{case} {args:?}: the message must name the file: {}",
                out.stderr
            );
            assert!(out.stderr.contains(says), "{case} {args:?}: {}", out.stderr);
            assert_eq!(
                out.stderr.matches(says).count(),
                1,
                "{case}: said twice: {}",
                out.stderr
            );
            let unchanged = std::fs::read(&state).unwrap() == bytes;
            assert!(unchanged, "{case} {args:?}: the state file changed");
        }
    }
    std::fs::remove_file(&state).unwrap();
    std::fs::create_dir(&state).unwrap();
    let out = p.run(&["event", "list"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("is a folder, not a file"),
        "{}",
        out.stderr
    );
}

/// Runs a copy of the binary as a user who cannot write to the project: `nobody` when the
/// tests run as root (root writes anywhere), else the current user.
fn run_without_write_access(
    p: &Project,
    bin: &std::path::Path,
    args: &[&str],
) -> (i32, String, String) {
    let mut command = if unsafe { libc::geteuid() } == 0 {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = command
        .args(args)
        .current_dir(p.root())
        .env_remove("MOCKOPS_PROJECT")
        .env_remove("MOCKOPS_STATE")
        .env("NO_COLOR", "1")
        .output()
        .expect("run mockops");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn set_tree_writable(root: &std::path::Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |is_dir: bool| match (is_dir, writable) {
        (true, true) => 0o755,
        (true, false) => 0o555,
        (false, true) => 0o644,
        (false, false) => 0o444,
    };
    let mut stack = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let is_dir = path.is_dir();
        if is_dir {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
        let executable = path.file_name().is_some_and(|n| n == "mockops-copy");
        let bits = if executable { 0o555 } else { mode(is_dir) };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(bits)).unwrap();
    }
}

/// SQLite only: it is about the file's permissions.
#[test]
fn a_project_this_user_cannot_write_to_is_still_listed() {
    let p = Project::new();
    assert_eq!(p.run(&["init"]).code, 0);
    assert_eq!(p.run(&["event", "emit", "custom.a"]).code, 0);
    let bin = p.path("mockops-copy");
    std::fs::copy(assert_cmd::cargo::cargo_bin("mockops"), &bin).unwrap();
    set_tree_writable(p.root(), false);

    let (code, stdout, stderr) =
        run_without_write_access(&p, &bin, &["event", "list", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let events: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let types: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["custom.a", "workspace.created"]);
    for args in [
        &["pipeline", "history"][..],
        &["pipeline", "list"],
        &["federation", "list"],
        &["promotion", "list"],
        &["event", "dead-letters"],
    ] {
        let (code, _, stderr) = run_without_write_access(&p, &bin, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
    // Writing is refused, naming the file; nothing is lost.
    let (code, _, stderr) = run_without_write_access(&p, &bin, &["event", "emit", "custom.b"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("state file "), "{stderr}");
    set_tree_writable(p.root(), true);
    let events = p.run(&["event", "list", "--format", "json"]).json();
    assert_eq!(events.as_array().unwrap().len(), 2);
}

#[test]
fn validate_takes_folders_and_names_what_is_not_a_file() {
    let p = Project::new();
    p.write(
        "pipelines/ok.yaml",
        "triggers: [{event: custom.a}]\nsteps:\n  - {name: s, type: run, config: {command: \"true\"}}\n",
    );
    p.write(
        "federations/f.yaml",
        "name: f\nservices:\n  - {name: a, workspace_id: w, base_path: /a, reality_level: mock_v3, mock_url: \"http://127.0.0.1:4010\"}\n",
    );
    let out = p.run(&["pipeline", "validate", "pipelines"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("1 pipeline(s) valid"), "{}", out.stdout);
    let out = p.run(&["federation", "validate", "federations"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("1 federation(s) valid"),
        "{}",
        out.stderr
    );
    for (args, says) in [
        (
            &["pipeline", "validate", "/dev/null"][..],
            "/dev/null: is not a regular file",
        ),
        (
            &["publish", "scenario", "pipelines"],
            "pipelines: is a folder, not a file",
        ),
        (
            &["federation", "scenario", "activate", "pipelines"],
            "pipelines: is a folder, not a file",
        ),
    ] {
        let out = p.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
}
