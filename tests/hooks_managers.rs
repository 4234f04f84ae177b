//! Hook managers own the hooks folder: `mockops hook install` says so and prints what to
//! add to their configuration; that text, added as printed, makes the real manager run
//! mockops on a real `git commit`. The tests of the real tools (lefthook, husky, the
//! pre-commit framework) run when the tool is on PATH, and fail without it when
//! MOCKOPS_TEST_REQUIRE_HOOK_TOOLS=1 (as in CI). None touches the network: pre-commit only
//! runs `repo: local` hooks.

mod gitrepo;
use gitrepo::*;
use std::path::{Path, PathBuf};

/// The folder holding `name` on PATH; `None` (the test then has nothing to try) unless the
/// tools are required.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .find(|dir| dir.join(name).is_file());
    if found.is_none() {
        assert!(
            std::env::var("MOCKOPS_TEST_REQUIRE_HOOK_TOOLS").as_deref() != Ok("1"),
            "`{name}` is not on PATH and MOCKOPS_TEST_REQUIRE_HOOK_TOOLS=1"
        );
        eprintln!("`{name}` is not on PATH: this test has nothing to try");
    }
    found
}

fn append(dir: &Path, rel: &str, text: &str) {
    let old = std::fs::read_to_string(dir.join(rel)).unwrap_or_default();
    write(dir, rel, &format!("{old}{text}"));
}

/// `hook install` refuses because `manager` owns the hooks; returns what it printed to add.
fn refused_install(dir: &Path, manager: &str) -> String {
    let r = mockops(dir, &["hook", "install"]);
    assert_eq!(r.code, 1, "nothing was installed: {}", r.both());
    assert!(r.stderr.contains(manager), "{}", r.both());
    assert!(r.stderr.contains("none was written"), "{}", r.both());
    assert!(r.stdout.contains("hook run pre-commit"), "{}", r.both());
    r.stdout
}

/// After the printed text was added, `hook install` sees mockops in the configuration.
fn install_sees_mockops(dir: &Path, manager: &str) {
    let r = mockops(dir, &["hook", "install"]);
    assert!(r.ok, "{}", r.both());
    assert!(
        r.stdout.contains(&format!(
            "{manager} manages the pre-commit hook and runs mockops already"
        )),
        "{}",
        r.both()
    );
}

/// Runs `program args` in `dir` with the tools' folder on PATH.
fn run_tool(dir: &Path, tools: &Path, program: &str, args: &[&str]) -> Ran {
    let r = run_in(dir, program, args, &path_with(&[tools]));
    assert!(r.ok, "{program} {args:?}: {}", r.both());
    r
}

/// Commits with the tools on PATH (the manager's hook calls them); the commit's result.
fn commit_with(dir: &Path, tools: &Path, message: &str) -> Ran {
    git_ok(dir, &["add", "-A"]);
    run_in(
        dir,
        "git",
        &["commit", "-q", "-m", message],
        &path_with(&[tools]),
    )
}

/// The project commits, then a breaking change is blocked by the manager's hook.
fn gate_holds(dir: &Path, tools: &Path) {
    let c = commit_with(dir, tools, "project");
    assert!(c.ok, "{}", c.both());
    write(dir, "specs/pets.yaml", &pets_spec(false));
    let c = commit_with(dir, tools, "breaking");
    assert!(!c.ok, "the manager's hook must run mockops: {}", c.both());
    assert!(
        std::fs::read_to_string(dir.join("gate.log"))
            .unwrap_or_default()
            .contains("specs/pets.yaml"),
        "{}",
        c.both()
    );
}

#[test]
fn lefthook_runs_the_printed_command() {
    let Some(tools) = tool("lefthook") else {
        return;
    };
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    write(
        dir,
        "lefthook.yml",
        "pre-push:\n  commands:\n    hello:\n      run: echo hello\n",
    );
    run_tool(dir, &tools, "lefthook", &["install"]);
    let hook = std::fs::read_to_string(dir.join(".git/hooks/pre-commit")).unwrap_or_default();
    let snippet = refused_install(dir, "lefthook");
    assert_eq!(
        std::fs::read_to_string(dir.join(".git/hooks/pre-commit")).unwrap_or_default(),
        hook,
        "lefthook's hook is left alone"
    );
    append(dir, "lefthook.yml", &snippet);
    run_tool(dir, &tools, "lefthook", &["install"]);
    install_sees_mockops(dir, "lefthook");
    gate_holds(dir, &tools);
}

#[test]
fn husky_runs_the_printed_line() {
    let Some(tools) = tool("husky") else {
        return;
    };
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    run_tool(dir, &tools, "husky", &[]);
    assert_eq!(git_ok(dir, &["config", "core.hooksPath"]), ".husky/_");
    let line = refused_install(dir, "husky");
    assert!(!dir.join(".husky/pre-commit").exists());
    append(dir, ".husky/pre-commit", &line);
    install_sees_mockops(dir, "husky");
    gate_holds(dir, &tools);
}

#[test]
fn husky_v9_layout_without_npm() {
    // What husky v9 sets up: core.hooksPath .husky/_, whose hooks run .husky/<hook>.
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    write(
        dir,
        ".husky/_/pre-commit",
        "#!/usr/bin/env sh\nhook=\"$(dirname \"$(dirname \"$0\")\")/$(basename \"$0\")\"\n[ -f \"$hook\" ] || exit 0\nsh -e \"$hook\" \"$@\"\n",
    );
    chmod_x(&dir.join(".husky/_/pre-commit"));
    git_ok(dir, &["config", "core.hooksPath", ".husky/_"]);
    let line = refused_install(dir, "husky");
    assert_eq!(line, "mockops hook run pre-commit\n");
    append(dir, ".husky/pre-commit", &line);
    install_sees_mockops(dir, "husky");
    gate_holds(dir, &mockops_dir());
}

/// The pre-commit framework, with its caches in `home`.
fn pre_commit(dir: &Path, tools: &Path, home: &Path, args: &[&str]) -> Ran {
    let path = path_with(&[tools]);
    run_with_env(dir, "pre-commit", args, &path, &[("PRE_COMMIT_HOME", home)])
}

#[test]
fn pre_commit_runs_the_printed_local_hook_and_all_files_checks_everything() {
    let Some(tools) = tool("pre-commit") else {
        return;
    };
    let (tmp, dir) = gated_repo("repo");
    let (dir, home) = (&dir, &tmp.path().join("pre-commit-home"));
    write(dir, ".pre-commit-config.yaml", "repos: []\n");
    let snippet = refused_install(dir, "pre-commit");
    write(
        dir,
        ".pre-commit-config.yaml",
        &format!("repos:\n{snippet}"),
    );
    let r = pre_commit(dir, &tools, home, &["install"]);
    assert!(r.ok, "{}", r.both());
    install_sees_mockops(dir, "the pre-commit framework");
    // The hook really runs; the environment keeps pre-commit's caches in the temp folder.
    let commit = |message: &str| {
        git_ok(dir, &["add", "-A"]);
        let path = path_with(&[&tools]);
        let args = ["commit", "-q", "-m", message];
        run_with_env(dir, "git", &args, &path, &[("PRE_COMMIT_HOME", home)])
    };
    let c = commit("project");
    assert!(c.ok, "{}", c.both());
    // A breaking change not staged: --all-files checks the working tree against HEAD.
    write(dir, "specs/pets.yaml", &pets_spec(false));
    let r = pre_commit(dir, &tools, home, &["run", "--all-files"]);
    assert!(
        !r.ok,
        "--all-files must check the unstaged spec: {}",
        r.both()
    );
    assert!(
        std::fs::read_to_string(dir.join("gate.log"))
            .unwrap_or_default()
            .contains("specs/pets.yaml"),
        "{}",
        r.both()
    );
    // Staged, through git commit: blocked.
    let c = commit("breaking");
    assert!(!c.ok, "{}", c.both());
}

#[test]
fn the_repositorys_pre_commit_hooks_file_works_as_a_local_hook() {
    let Some(tools) = tool("pre-commit") else {
        return;
    };
    // .pre-commit-hooks.yaml's entries, as they are, under a `repo: local`.
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let indented: String = hooks.lines().map(|l| format!("      {l}\n")).collect();
    let (tmp, dir) = gated_repo("repo");
    let (dir, home) = (&dir, &tmp.path().join("pre-commit-home"));
    write(
        dir,
        ".pre-commit-config.yaml",
        &format!("repos:\n  - repo: local\n    hooks:\n{indented}"),
    );
    assert!(commit_all(dir, "project").ok);
    let r = pre_commit(dir, &tools, home, &["run", "--all-files"]);
    assert!(r.ok, "{}", r.both());
    // An invalid pipeline, not staged yet: named by --all-files? Only tracked files are,
    // so stage it; pre-commit passes it and mockops refuses it.
    write(
        dir,
        "pipelines/bad.yaml",
        "triggers: [{event: custom.a}]\nsteps:\n  - {name: s, type: nope}\n",
    );
    git_ok(dir, &["add", "pipelines/bad.yaml"]);
    let r = pre_commit(dir, &tools, home, &["run"]);
    assert!(!r.ok, "{}", r.both());
    assert!(r.stdout.contains("pipelines/bad.yaml:3:"), "{}", r.both());
    git_ok(dir, &["rm", "-q", "--cached", "pipelines/bad.yaml"]);
    std::fs::remove_file(dir.join("pipelines/bad.yaml")).unwrap();
    // A breaking spec change in the working tree.
    write(dir, "specs/pets.yaml", &pets_spec(false));
    let r = pre_commit(dir, &tools, home, &["run", "--all-files"]);
    assert!(!r.ok, "{}", r.both());
    // The pre-push hook validates every definition.
    let r = pre_commit(
        dir,
        &tools,
        home,
        &["run", "--hook-stage", "pre-push", "--all-files"],
    );
    assert!(r.ok, "{}", r.both());
}

#[test]
fn managers_are_recognised_by_their_files_without_the_tools() {
    for (file, content, manager) in [
        ("lefthook.yml", "pre-push:\n  commands: {}\n", "lefthook"),
        (".lefthook.yml", "{}\n", "lefthook"),
        (".pre-commit-config.yaml", "repos: []\n", "pre-commit"),
        (
            ".git/hooks/pre-commit",
            "#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n",
            "pre-commit",
        ),
        (
            ".git/hooks/pre-commit",
            "#!/bin/sh\ncall_lefthook run \"pre-commit\" \"$@\"\n",
            "lefthook",
        ),
    ] {
        let (_tmp, dir) = gated_repo("repo");
        let dir = &dir;
        write(dir, file, content);
        let before = std::fs::read_to_string(dir.join(".git/hooks/pre-commit")).ok();
        refused_install(dir, manager);
        assert_eq!(
            std::fs::read_to_string(dir.join(".git/hooks/pre-commit")).ok(),
            before,
            "{file}: no hook written"
        );
        // --force writes it anyway, saying whose folder it is.
        let r = mockops(dir, &["hook", "install", "--force"]);
        assert!(r.ok, "{}", r.both());
        assert!(r.stderr.contains("anyway (--force)"), "{}", r.both());
    }
    // A project in a subfolder gets a command that names it.
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path();
    init(top);
    gated_project(&top.join("services/api"));
    write(top, "lefthook.yml", "{}\n");
    let snippet = refused_install(&top.join("services/api"), "lefthook");
    assert!(
        snippet.contains("run: mockops --project services/api hook run pre-commit"),
        "{snippet}"
    );
}

#[test]
fn the_docs_show_what_hook_install_prints() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/hooks-and-watch.md");
    let text = std::fs::read_to_string(page).unwrap();
    for (file, content, manager) in [
        ("lefthook.yml", "{}\n", "lefthook"),
        (".pre-commit-config.yaml", "repos: []\n", "pre-commit"),
    ] {
        let (_tmp, dir) = gated_repo("repo");
        let dir = &dir;
        write(dir, file, content);
        let snippet = refused_install(dir, manager);
        assert!(
            text.contains(&snippet),
            "docs/hooks-and-watch.md must show what `hook install` prints for {manager}:\n{snippet}"
        );
    }
}
