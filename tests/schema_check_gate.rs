//! The breaking-change gate with real git: `schema check --staged` (what the pre-commit hook
//! runs) compares the index with HEAD and stores nothing, so a blocked commit stays blocked.

mod gitrepo;
use gitrepo::*;

#[test]
fn a_blocked_commit_is_blocked_again_when_retried() {
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    let r = mockops(dir, &["hook", "install"]);
    assert!(r.ok, "{}", r.both());
    let first = commit_all(dir, "pets");
    assert!(first.ok, "adding a spec is not breaking: {}", first.both());

    // Remove an operation: breaking, so the gate pipeline fails and the commit is blocked.
    write(dir, "specs/pets.yaml", &pets_spec(false));
    let blocked = commit_all(dir, "drop GET /pets/{id}");
    assert!(!blocked.ok, "the breaking commit must be blocked");
    assert!(
        blocked.stderr.contains("refuse"),
        "the failed step is named: {}",
        blocked.both()
    );
    // The same commit attempted again is judged again, the same way.
    let again = git(dir, &["commit", "-q", "-m", "drop GET /pets/{id}"]);
    assert!(!again.ok, "a retried commit must be blocked again");
    // ... also after the working-tree check stored its snapshot of the new version.
    let r = mockops(dir, &["schema", "check"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.both());
    let after_check = git(dir, &["commit", "-q", "-m", "drop GET /pets/{id}"]);
    assert!(!after_check.ok, "schema check must not open the gate");
    assert_eq!(
        std::fs::read_to_string(dir.join("gate.log"))
            .unwrap_or_default()
            .lines()
            .filter(|l| *l == "specs/pets.yaml")
            .count(),
        3,
        "the gate ran for each of the three attempts"
    );
    assert_eq!(
        git_ok(dir, &["log", "--format=%s"]),
        "pets",
        "nothing was committed after the first commit"
    );
}

#[test]
fn staged_checks_are_judged_the_same_twice_and_store_no_snapshot() {
    let (_tmp, dir) = gated_repo("repo");
    let dir = &dir;
    assert!(commit_all(dir, "pets").ok);
    write(dir, "specs/pets.yaml", &pets_spec(false));
    git_ok(dir, &["add", "-A"]);
    for attempt in 0..2 {
        let r = mockops(dir, &["--format", "json", "schema", "check", "--staged"]);
        assert_eq!(r.code, 1, "attempt {attempt}: {}", r.both());
        let v = r.json();
        assert_eq!(v["specs"][0]["status"], "changed", "{v}");
        assert_eq!(v["specs"][0]["breaking_count"], 1, "{v}");
    }
    // --no-run reports without dispatching, and stores nothing either.
    let r = mockops(
        dir,
        &[
            "--format", "json", "schema", "check", "--staged", "--no-run",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(r.json()["specs"][0]["status"], "changed");
    // No snapshot was stored: the working-tree check records its first one now.
    let r = mockops(dir, &["--format", "json", "schema", "check"]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(r.json()["specs"][0]["status"], "recorded", "{}", r.both());
}
