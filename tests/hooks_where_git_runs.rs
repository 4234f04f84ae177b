//! `mockops hook install` puts the hook where git runs it, and the hook finds its project
//! when it runs: core.hooksPath, linked worktrees, moved and copied repositories,
//! monorepos, `git commit -a`; `hook uninstall`; `hook run pre-commit FILE...`. Every
//! commit here is a real `git commit` that runs the hook.

mod gitrepo;
use gitrepo::*;
use std::path::Path;

/// Installs the hook from `project`, commits everything, then stages a breaking change.
fn installed_and_committed(repo_top: &Path, project: &Path) {
    let r = mockops(project, &["hook", "install"]);
    assert!(r.ok, "{}", r.both());
    let c = commit_all(repo_top, "project");
    assert!(c.ok, "adding the project is not breaking: {}", c.both());
}

/// A breaking change to `project`'s spec must block the commit in `repo_top`, and the gate
/// must have run in `project` (its gate.log).
fn assert_breaking_commit_blocked(repo_top: &Path, project: &Path) {
    write(project, "specs/pets.yaml", &pets_spec(false));
    let c = commit_all(repo_top, "breaking");
    assert!(!c.ok, "the hook must block a breaking commit: {}", c.both());
    assert!(
        std::fs::read_to_string(project.join("gate.log"))
            .unwrap_or_default()
            .contains("specs/pets.yaml"),
        "the gate ran for this project: {}",
        c.both()
    );
    write(project, "specs/pets.yaml", &pets_spec(true));
    git_ok(repo_top, &["add", "-A"]);
}

#[test]
fn core_hooks_path_is_where_the_hook_goes() {
    // (core.hooksPath, the project's folder in the repository)
    for (hooks_path, project) in [(".githooks", "."), ("ABSOLUTE", "."), (".githooks", "api")] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("repo");
        init(&dir);
        let setting = if hooks_path == "ABSOLUTE" {
            tmp.path().join("shared-hooks").display().to_string()
        } else {
            hooks_path.to_string()
        };
        git_ok(&dir, &["config", "core.hooksPath", &setting]);
        let project = dir.join(project);
        gated_project(&project);
        installed_and_committed(&dir, &project);
        // A relative core.hooksPath is relative to the top of the work tree.
        let expected = if hooks_path == "ABSOLUTE" {
            tmp.path().join("shared-hooks/pre-commit")
        } else {
            dir.join(".githooks/pre-commit")
        };
        assert!(
            expected.is_file(),
            "{} must hold the hook",
            expected.display()
        );
        assert!(!dir.join(".git/hooks/pre-commit").exists());
        assert_breaking_commit_blocked(&dir, &project);
    }
}

#[test]
fn a_hook_installed_from_a_linked_worktree_runs_in_every_worktree() {
    let (tmp, main) = gated_repo("main");
    assert!(commit_all(&main, "project").ok);
    let linked = tmp.path().join("linked");
    git_ok(
        &main,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "feature",
            linked.to_str().unwrap(),
        ],
    );
    let r = mockops(&linked, &["hook", "install"]);
    assert!(r.ok, "{}", r.both());
    assert!(
        main.join(".git/hooks/pre-commit").is_file(),
        "the hook goes to the shared hooks folder: {}",
        r.both()
    );
    assert_breaking_commit_blocked(&linked, &linked);
    assert_breaking_commit_blocked(&main, &main);
    // A project in a subfolder of a linked worktree: git gives the hook GIT_DIR there.
    let sub = linked.join("services/api");
    gated_project(&sub);
    let r = mockops(&sub, &["hook", "install"]);
    assert!(r.ok, "{}", r.both());
    assert!(commit_all(&linked, "second project").ok);
    assert_breaking_commit_blocked(&linked, &sub);
}

#[test]
fn a_moved_repository_keeps_working() {
    let (tmp, original) = gated_repo("original");
    installed_and_committed(&original, &original);

    let moved = tmp.path().join("moved");
    std::fs::rename(&original, &moved).unwrap();
    write(&moved, "notes.txt", "not a definition\n");
    let c = commit_all(&moved, "notes");
    assert!(
        c.ok,
        "a moved repository must not block every commit: {}",
        c.both()
    );
    assert_breaking_commit_blocked(&moved, &moved);
}

#[test]
fn a_copied_repository_checks_itself_not_the_original() {
    let (tmp, original) = gated_repo("original");
    installed_and_committed(&original, &original);
    let copy = tmp.path().join("copy");
    let cp = std::process::Command::new("cp")
        .args(["-a", original.to_str().unwrap(), copy.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(cp.success());
    assert_breaking_commit_blocked(&copy, &copy);
    assert!(
        !original.join("gate.log").exists(),
        "the copy's hook must check the copy, not the repository it came from"
    );
}

#[test]
fn two_projects_of_a_monorepo_share_the_hook_and_leave_it_one_by_one() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path();
    init(top);
    write(
        top,
        ".git/hooks/pre-commit",
        "#!/bin/sh\necho foreign >> foreign.log\n",
    );
    chmod_x(&top.join(".git/hooks/pre-commit"));
    let a = top.join("services/a");
    let b = top.join("services/b");
    gated_project(&a);
    gated_project(&b);
    for p in [&a, &b] {
        let r = mockops(p, &["hook", "install"]);
        assert!(r.ok, "{}", r.both());
    }
    let hook = std::fs::read_to_string(top.join(".git/hooks/pre-commit")).unwrap();
    assert!(
        hook.contains("services/a") && hook.contains("services/b"),
        "{hook}"
    );
    assert!(
        !hook.contains(top.to_str().unwrap()),
        "no absolute project path: {hook}"
    );
    assert!(commit_all(top, "two projects").ok);
    assert_breaking_commit_blocked(top, &a);
    assert_breaking_commit_blocked(top, &b);
    // Committing from inside one project's folder runs the hook the same way.
    write(&b, "specs/pets.yaml", &pets_spec(false));
    git_ok(top, &["add", "-A"]);
    assert!(!git(&a, &["commit", "-q", "-m", "from a"]).ok);
    write(&b, "specs/pets.yaml", &pets_spec(true));
    git_ok(top, &["add", "-A"]);

    let r = mockops(&a, &["hook", "uninstall"]);
    assert!(r.ok, "{}", r.both());
    assert!(
        r.stdout.contains("still runs for services/b"),
        "{}",
        r.both()
    );
    assert_breaking_commit_blocked(top, &b);
    let r = mockops(&b, &["hook", "uninstall"]);
    assert!(r.ok, "{}", r.both());
    let restored = std::fs::read_to_string(top.join(".git/hooks/pre-commit")).unwrap();
    assert!(restored.contains("echo foreign"), "{restored}");
    assert!(!top.join(".git/hooks/pre-commit.mockops-chained").exists());
}

#[test]
fn uninstall_without_arguments_removes_every_mockops_hook_and_restores_the_chained_ones() {
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    for hook in ["pre-commit", "pre-push"] {
        let path = dir.join(".git/hooks").join(hook);
        write(
            dir,
            &format!(".git/hooks/{hook}"),
            &format!("#!/bin/sh\n# theirs: {hook}\n"),
        );
        chmod_x(&path);
    }
    let r = mockops(dir, &["hook", "install", "pre-commit", "pre-push"]);
    assert!(r.ok, "{}", r.both());
    let r = mockops(dir, &["hook", "uninstall"]);
    assert!(r.ok, "{}", r.both());
    for hook in ["pre-commit", "pre-push"] {
        let text = std::fs::read_to_string(dir.join(".git/hooks").join(hook)).unwrap();
        assert_eq!(text, format!("#!/bin/sh\n# theirs: {hook}\n"));
        assert!(!dir
            .join(format!(".git/hooks/{hook}.mockops-chained"))
            .exists());
    }
    let r = mockops(dir, &["hook", "uninstall"]);
    assert!(r.ok);
    assert!(
        r.stdout.contains("no mockops hook installed"),
        "{}",
        r.both()
    );
}

#[test]
fn commit_all_checks_the_index_git_commit_builds() {
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    installed_and_committed(dir, dir);
    // Not staged: `git commit -a` stages it into a temporary index for the hook.
    write(dir, "specs/pets.yaml", &pets_spec(false));
    let c = git(dir, &["commit", "-q", "-a", "-m", "breaking"]);
    assert!(!c.ok, "git commit -a must be gated too: {}", c.both());
    // A staged deletion of the spec is a breaking change as well.
    git_ok(dir, &["checkout", "-q", "--", "specs/pets.yaml"]);
    git_ok(dir, &["rm", "-q", "specs/pets.yaml"]);
    let c = git(dir, &["commit", "-q", "-m", "remove the spec"]);
    assert!(!c.ok, "removing the spec must be gated: {}", c.both());
}

#[test]
fn hook_run_with_files_checks_exactly_those_files_in_the_working_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path();
    init(top);
    let api = top.join("api");
    gated_project(&api);
    write(top, "other/pipelines/x.yaml", "not: [valid\n");
    assert!(commit_all(top, "project").ok);
    // Nothing relevant named: nothing happens, no state file.
    let r = mockops(
        top,
        &[
            "--project",
            "api",
            "hook",
            "run",
            "pre-commit",
            "README",
            "other/pipelines/x.yaml",
        ],
    );
    assert!(r.ok, "{}", r.both());
    assert!(!api.join(".mockops/state.db").exists());
    // An invalid pipeline in the working tree (not staged) blocks when named.
    write(
        &api,
        "pipelines/bad.yaml",
        "triggers: [{event: custom.a}]\nsteps:\n  - {name: s, type: nope}\n",
    );
    let r = mockops(
        top,
        &[
            "--project",
            "api",
            "hook",
            "run",
            "pre-commit",
            "api/pipelines/bad.yaml",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("pipelines/bad.yaml:3:"), "{}", r.both());
    // ... and is not looked at when not named.
    let r = mockops(
        top,
        &[
            "--project",
            "api",
            "hook",
            "run",
            "pre-commit",
            "api/pipelines/gate.yaml",
        ],
    );
    assert!(r.ok, "{}", r.both());
    std::fs::remove_file(api.join("pipelines/bad.yaml")).unwrap();
    // A named spec is checked against HEAD, staged or not, and twice the same
    // (`--project` after the hook name, as the pre-commit framework's `args` put it).
    write(&api, "specs/pets.yaml", &pets_spec(false));
    for _ in 0..2 {
        let r = mockops(
            top,
            &[
                "hook",
                "run",
                "pre-commit",
                "--project",
                "api",
                "api/specs/pets.yaml",
            ],
        );
        assert_eq!(r.code, 1, "{}", r.both());
    }
    // Staged mode (no files) sees nothing staged.
    let r = mockops(top, &["--project", "api", "hook", "run", "pre-commit"]);
    assert!(r.ok, "{}", r.both());
}

#[test]
fn config_changes_are_emitted_against_head() {
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    write(
        dir,
        "federations/f.yaml",
        "name: f\nservices:\n  - {name: a, base_path: /a, workspace_id: w, reality_level: mock_v3}\n",
    );
    let events = |dir: &Path| {
        let r = mockops(
            dir,
            &[
                "--format",
                "json",
                "event",
                "list",
                "--type",
                "config.changed",
            ],
        );
        r.json().as_array().cloned().unwrap_or_default()
    };
    installed_and_committed(dir, dir);
    let first = events(dir);
    assert_eq!(first.len(), 2, "the first commit adds two config files");
    assert!(first.iter().all(|e| e["payload"]["old_hash"].is_null()));
    // Named but unchanged since HEAD: no event.
    let r = mockops(
        dir,
        &[
            "hook",
            "run",
            "pre-commit",
            "federations/f.yaml",
            "mockops.yaml",
        ],
    );
    assert!(r.ok, "{}", r.both());
    assert_eq!(events(dir).len(), 2);
    // Deleted and committed: config.changed with no new hash.
    git_ok(dir, &["rm", "-q", "federations/f.yaml"]);
    let c = git(dir, &["commit", "-q", "-m", "no federation"]);
    assert!(c.ok, "{}", c.both());
    let e = events(dir);
    assert_eq!(e.len(), 3);
    assert_eq!(e[0]["payload"]["path"], "federations/f.yaml");
    assert_eq!(e[0]["payload"]["new_hash"], serde_json::Value::Null);
    assert!(e[0]["payload"]["old_hash"].is_string());
}
