//! The project around the commands: `init`'s `.gitignore`, the state file outside any
//! project, and `mockops.yaml`'s shorthands.

mod common;
use common::Project;

#[test]
fn init_makes_git_ignore_the_state_folder_and_keeps_what_was_there() {
    // No .gitignore: one is created.
    let fresh = tempfile::tempdir().unwrap();
    let p = Project::in_dir(fresh);
    let out = p.run(&["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(p.read(".gitignore").lines().any(|l| l == ".mockops/"));
    assert!(out.stdout.contains("created .gitignore"), "{}", out.stdout);

    // An existing .gitignore without the line (and without a final newline): appended to.
    let p = Project::new();
    p.write(".gitignore", "target/\n*.log");
    let out = p.run(&["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = p.read(".gitignore");
    assert!(text.starts_with("target/\n*.log\n"), "{text}");
    assert_eq!(
        text.lines().filter(|l| *l == ".mockops/").count(),
        1,
        "{text}"
    );

    // Again, and in a project that already ignores it its own way: nothing added.
    assert_eq!(p.run(&["init"]).code, 0);
    assert_eq!(p.read(".gitignore"), text);
    let q = Project::new();
    q.write(".gitignore", "/.mockops\n");
    assert_eq!(q.run(&["init"]).code, 0);
    assert_eq!(q.read(".gitignore"), "/.mockops\n");

    // And git really ignores the state file.
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(p.root())
            .output()
            .expect("git")
    };
    assert!(git(&["init", "-q"]).status.success());
    let status = git(&["status", "--porcelain", "--untracked-files=all"]);
    let listed = String::from_utf8_lossy(&status.stdout);
    assert!(listed.contains("mockops.yaml"), "{listed}");
    assert!(!listed.contains(".mockops/"), "{listed}");
}

#[test]
fn a_fresh_clone_gets_the_editor_schemas_its_modelines_name_back() {
    // An `init`ed project committed to git, cloned: the clone has the modelines but not
    // `.mockops/` (ignored), so the schemas they name are missing until mockops runs.
    let origin = Project::in_dir(tempfile::tempdir().unwrap());
    assert_eq!(origin.run(&["init"]).code, 0);
    common::git(origin.root(), &["init", "-q", "-b", "main"]);
    common::git(origin.root(), &["add", "-A"]);
    common::git(origin.root(), &["commit", "-q", "-m", "init"]);
    let clone = tempfile::tempdir().unwrap(); // empty: git clones into it
    common::git(
        origin.root(),
        &["clone", "-q", ".", clone.path().to_str().unwrap()],
    );
    let p = Project::in_dir(clone);
    let modeline = p.read("pipelines/hello.yaml");
    assert!(
        modeline.starts_with(
            "# yaml-language-server: $schema=../.mockops/schemas/pipeline.schema.json"
        ),
        "{modeline}"
    );
    assert!(!p.path(".mockops/schemas").exists());

    let out = p.run(&["event", "list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for kind in ["pipeline", "federation", "scenario", "config"] {
        let written = p.read(&format!(".mockops/schemas/{kind}.schema.json"));
        let printed = p.run(&["json-schema", kind]);
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        assert_eq!(written.trim_end(), printed.stdout.trim_end(), "{kind}");
    }
    // Still not something git sees.
    let status = common::git(
        p.root(),
        &["status", "--porcelain", "--untracked-files=all"],
    );
    assert!(!status.contains(".mockops"), "{status}");
}

#[test]
fn outside_any_project_a_writing_command_says_where_it_creates_the_state_once() {
    let empty = tempfile::tempdir().unwrap();
    let root = empty.path().to_str().unwrap().to_string();
    let p = Project::in_dir(tempfile::tempdir().unwrap());
    let emit = || {
        p.run(&[
            "--project",
            &root,
            "event",
            "emit",
            "custom.hello",
            "-p",
            "a=1",
        ])
    };
    let first = emit();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("no mockops project here or above")
            && first.stderr.contains(".mockops/state.db")
            && first.stderr.contains("mockops init"),
        "{}",
        first.stderr
    );
    assert!(empty.path().join(".mockops/state.db").is_file());
    // From now on `.mockops/` marks the folder: nothing more is said.
    let second = emit();
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        !second.stderr.contains("no mockops project"),
        "{}",
        second.stderr
    );
    // A read-only command outside a project says nothing and creates nothing.
    let other = tempfile::tempdir().unwrap();
    let list = p.run(&[
        "--project",
        other.path().to_str().unwrap(),
        "pipeline",
        "list",
    ]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(
        !list.stderr.contains("no mockops project"),
        "{}",
        list.stderr
    );
    assert!(!other.path().join(".mockops").exists());
}

#[test]
fn a_spec_may_be_listed_by_its_path_alone() {
    let p = Project::new();
    p.write(
        "mockops.yaml",
        "specs:\n  - specs/api.yaml\n  - {path: specs/other.yaml, service: other}\n",
    );
    let spec = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n";
    p.write("specs/api.yaml", spec)
        .write("specs/other.yaml", spec);
    let out = p.run(&["schema", "check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Both were snapshotted: a removed operation in the shorthand one is now a change.
    p.write("specs/api.yaml", &spec.replace("/a:", "/b:"));
    let (code, value, stderr) = p.json(&["event", "list", "--type", "schema.changed"]);
    assert_eq!(
        (code, value.as_array().map(Vec::len)),
        (0, Some(0)),
        "{stderr}"
    );
    let out = p.run(&["schema", "check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (_, events, _) = p.json(&["event", "list", "--type", "schema.changed"]);
    assert_eq!(events[0]["payload"]["spec_path"], "specs/api.yaml");

    // A wrong key in the mapping form is still located and named.
    p.write(
        "mockops.yaml",
        "specs:\n  - specs/api.yaml\n  - {path: x.yaml, servce: a}\n",
    );
    let out = p.run(&["pipeline", "list"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("mockops.yaml:3:") && out.stderr.contains("did you mean `service`"),
        "{}",
        out.stderr
    );
}

#[test]
fn results_go_to_stdout_and_diagnostics_to_stderr() {
    let p = Project::new();
    p.write(
        "pipelines/ok.yaml",
        "name: ok\ntriggers: [{event: custom.go}]\nsteps:\n  - {name: hi, type: run, config: {command: \"true\"}}\n",
    );
    p.write(
        "pipelines/bad.yaml",
        "name: bad\ntriggers: [{event: custom.go}]\nsteps:\n  - {name: no, type: run, config: {command: \"exit 3\"}}\n",
    );
    // A run's outcome is what `event emit` produced: stdout. That it failed: stderr.
    let out = p.run(&["event", "emit", "custom.go"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with("event "), "{}", out.stdout);
    assert!(
        out.stdout.contains("ok succeeded") && out.stdout.contains("bad failed"),
        "{}",
        out.stdout
    );
    assert!(!out.stderr.contains("ok succeeded"), "{}", out.stderr);
    // A check's summary on stdout, its findings on stderr.
    p.write(
        "pipelines/warn.yaml",
        "name: warn\ntriggers: [{event: workspace.created}]\nsteps:\n  - {name: hi, type: run, config: {command: \"echo {{event.payload.nope}}\"}}\n",
    );
    let out = p.run(&["pipeline", "validate"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("3 pipeline(s) valid, 1 warning(s)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("warning:") && !out.stdout.contains("warning:"),
        "{}",
        out.stderr
    );
    // --quiet: errors only.
    let out = p.run(&["--quiet", "event", "emit", "custom.go"]);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""), "{}", out.stderr);
    // JSON stays one document on stdout.
    let (code, value, _) = p.json(&["event", "emit", "custom.go"]);
    assert_eq!((code, value["runs"].as_array().map(Vec::len)), (1, Some(2)));
}
