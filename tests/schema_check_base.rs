//! `schema check --base REF`: specs against the same files at a git revision, statelessly,
//! as a CI job gates a pull request — with a real clone of a bare remote.

mod gitrepo;
use gitrepo::*;
use serde_json::Value;
use std::path::Path;

/// A bare `origin` with `main` holding the gated project, and a clone of it on branch
/// `feature`. Returns (temp dir, clone).
fn clone_on_a_branch() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin.git");
    let seed = tmp.path().join("seed");
    git_ok(
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", "origin.git"],
    );
    init(&seed);
    gated_project(&seed);
    assert!(commit_all(&seed, "pets").ok);
    git_ok(&seed, &["tag", "v1"]);
    git_ok(
        &seed,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    git_ok(&seed, &["push", "-q", "origin", "main", "v1"]);
    let work = tmp.path().join("work");
    git_ok(
        tmp.path(),
        &[
            "clone",
            "-q",
            origin.to_str().unwrap(),
            work.to_str().unwrap(),
        ],
    );
    git_ok(&work, &["checkout", "-q", "-b", "feature"]);
    (tmp, work)
}

fn check(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["--format", "json", "schema", "check"];
    all.extend_from_slice(args);
    let r = mockops(dir, &all);
    let v = r.json();
    (r.code, v, r.stderr)
}

fn schema_events(dir: &Path) -> Vec<Value> {
    let r = mockops(
        dir,
        &[
            "--format",
            "json",
            "event",
            "list",
            "--type",
            "schema.changed",
        ],
    );
    assert!(r.ok, "{}", r.both());
    r.json().as_array().cloned().unwrap_or_default()
}

#[test]
fn base_finds_the_breaking_change_of_a_branch_at_origin_main_a_tag_and_a_sha() {
    let (_tmp, work) = clone_on_a_branch();
    write(&work, "specs/pets.yaml", &pets_spec(false));
    assert!(commit_all(&work, "drop GET /pets/{id}").ok);
    let main_sha = git_ok(&work, &["rev-parse", "origin/main"]);
    for base in ["origin/main", "v1", main_sha.as_str(), &main_sha[..10]] {
        let (code, v, err) = check(&work, &["--base", base]);
        assert_eq!(code, 1, "--base {base}: the gate pipeline fails: {err}");
        assert_eq!(v["base"], base);
        assert_eq!(v["specs"][0]["spec_path"], "specs/pets.yaml");
        assert_eq!(v["specs"][0]["status"], "changed", "{v}");
        assert_eq!(v["specs"][0]["breaking_count"], 1, "{v}");
        assert_eq!(v["runs"][0]["status"], "failed", "{v}");
    }
    // Each check judged afresh: four events, each naming its base and the base's hash.
    let events = schema_events(&work);
    assert_eq!(events.len(), 4);
    let payload = &events[0]["payload"];
    assert_eq!(payload["base"], json_str(&main_sha[..10]));
    assert_eq!(payload["spec_path"], "specs/pets.yaml");
    assert_eq!(payload["changes"][0]["id"], "endpoint-removed", "{payload}");
    let old_hash = payload["old_hash"].as_str().unwrap();
    assert!(old_hash.starts_with("sha256:"), "{payload}");
    assert_ne!(payload["old_hash"], payload["new_hash"]);
    assert!(events
        .iter()
        .all(|e| e["payload"]["old_hash"] == payload["old_hash"]));
    // Nothing was stored: the working-tree check records its first snapshot now.
    let (code, v, err) = check(&work, &["--no-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["specs"][0]["status"], "recorded");
    // The branch against itself: nothing changed.
    let (code, v, _) = check(&work, &["--base", "HEAD"]);
    assert_eq!(code, 0);
    assert_eq!(v["specs"][0]["status"], "unchanged");
}

fn json_str(s: &str) -> Value {
    Value::String(s.to_string())
}

#[test]
fn a_bad_ref_is_bad_input_with_a_clear_message() {
    let (_tmp, work) = clone_on_a_branch();
    for bad in ["no-such-branch", "origin/nope", "deadbeefdeadbeef"] {
        let r = mockops(&work, &["schema", "check", "--base", bad]);
        assert_eq!(r.code, 2, "{}", r.both());
        assert!(
            r.stderr
                .contains(&format!("--base {bad}: `{bad}` is not a revision")),
            "{}",
            r.both()
        );
        assert!(!r.stderr.contains("fatal"), "{}", r.stderr);
    }
    // Outside any repository.
    let plain = tempfile::tempdir().unwrap();
    gated_project(plain.path());
    let r = mockops(plain.path(), &["schema", "check", "--base", "main"]);
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(
        r.stderr.contains("not inside a git work tree"),
        "{}",
        r.stderr
    );
}

#[test]
fn specs_added_and_removed_since_the_base_and_the_index_as_the_new_side() {
    let (_tmp, work) = clone_on_a_branch();
    write(
        &work,
        "mockops.yaml",
        "specs:\n  - path: specs/pets.yaml\n  - path: specs/orders.yaml\n  - path: specs/later.yaml\n",
    );
    write(&work, "specs/orders.yaml", &pets_spec(true));
    std::fs::remove_file(work.join("specs/pets.yaml")).unwrap();
    let (code, v, err) = check(&work, &["--base", "origin/main"]);
    assert_eq!(code, 1, "a removed spec is breaking: {err}");
    let status = |i: usize| v["specs"][i]["status"].as_str().unwrap().to_string();
    assert_eq!(
        (status(0), status(1), status(2)),
        ("removed".into(), "added".into(), "absent".into()),
        "{v}"
    );
    assert_eq!(v["specs"][0]["breaking_count"], 1);
    assert_eq!(v["specs"][1]["breaking_count"], 0);
    let events = schema_events(&work);
    let removed = events
        .iter()
        .find(|e| e["payload"]["spec_path"] == "specs/pets.yaml")
        .expect("an event for the removed spec");
    assert_eq!(removed["payload"]["new_hash"], Value::Null);
    assert_eq!(removed["payload"]["changes"][0]["id"], "spec-removed");
    let added = events
        .iter()
        .find(|e| e["payload"]["spec_path"] == "specs/orders.yaml")
        .expect("an event for the added spec");
    assert_eq!(added["payload"]["old_hash"], Value::Null);
    assert_eq!(added["payload"]["changes"][0]["id"], "spec-added");

    // --staged --base: the index against the base, not the working tree.
    git_ok(&work, &["checkout", "-q", "--", "."]);
    git_ok(&work, &["checkout", "-q", "HEAD", "--", "mockops.yaml"]);
    write(&work, "specs/pets.yaml", &pets_spec(false));
    git_ok(&work, &["add", "specs/pets.yaml"]);
    write(&work, "specs/pets.yaml", &pets_spec(true));
    let (code, v, err) = check(&work, &["--staged", "--base", "v1", "--no-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["specs"][0]["status"], "changed", "{v}");
    assert_eq!(v["specs"][0]["breaking_count"], 1, "{v}");
    let (_, v, _) = check(&work, &["--base", "v1", "--no-run"]);
    assert_eq!(
        v["specs"][0]["status"], "unchanged",
        "the working tree is v1's: {v}"
    );
}

#[test]
fn a_spec_that_cannot_load_is_exit_2_and_the_others_are_still_checked() {
    let (_tmp, work) = clone_on_a_branch();
    write(
        &work,
        "mockops.yaml",
        "specs:\n  - path: specs/broken.yaml\n  - path: specs/pets.yaml\n",
    );
    write(&work, "specs/broken.yaml", "openapi: 3.0.3\npaths: [\n");
    write(&work, "specs/pets.yaml", &pets_spec(false));
    let (code, v, err) = check(&work, &["--base", "origin/main", "--no-run"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(v["specs"][0]["status"], "error");
    assert!(err.contains("specs/broken.yaml:"), "{err}");
    assert_eq!(v["specs"][1]["status"], "changed");
    assert_eq!(v["specs"][1]["breaking_count"], 1);
    // A spec broken at the base says where.
    git_ok(&work, &["add", "-A"]);
    git_ok(&work, &["commit", "-q", "--no-verify", "-m", "broken"]);
    write(
        &work,
        "specs/broken.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    let (code, _, err) = check(&work, &["--base", "HEAD", "--no-run"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("at HEAD: "), "{err}");
}

#[test]
fn external_refs_at_the_base_are_read_from_the_base() {
    let (_tmp, work) = clone_on_a_branch();
    // main: the spec's schema lives in a second file that the branch changes.
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/pet.yaml#/Pet'}\n";
    let pet = |props: &str| format!("Pet:\n  type: object\n  properties:\n{props}");
    write(&work, "specs/pets.yaml", spec);
    write(
        &work,
        "specs/schemas/pet.yaml",
        &pet("    id: {type: string}\n    name: {type: string}\n"),
    );
    git_ok(&work, &["add", "-A"]);
    git_ok(&work, &["commit", "-q", "--no-verify", "-m", "pet schema"]);
    git_ok(&work, &["tag", "with-name"]);
    write(
        &work,
        "specs/schemas/pet.yaml",
        &pet("    id: {type: string}\n"),
    );
    let (code, v, err) = check(&work, &["--base", "with-name", "--no-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["specs"][0]["status"], "changed", "{v}");
    // Staged: the index holds the old file, so nothing changed there.
    let (_, v, _) = check(&work, &["--staged", "--base", "with-name", "--no-run"]);
    assert_eq!(v["specs"][0]["status"], "unchanged", "{v}");
}

#[test]
fn protobuf_at_the_base_is_compiled_with_its_imports_at_the_base() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    write(
        dir,
        "mockops.yaml",
        "specs:\n  - path: proto/shop/api.proto\n    import_paths: [proto]\n",
    );
    write(
        dir,
        "proto/money/v1/money.proto",
        "syntax = \"proto3\";\npackage money.v1;\nmessage Money { int64 units = 1; }\n",
    );
    write(
        dir,
        "proto/shop/api.proto",
        "syntax = \"proto3\";\npackage shop;\nimport \"money/v1/money.proto\";\nmessage Price { money.v1.Money amount = 1; }\n",
    );
    assert!(commit_all(dir, "v1").ok);
    // The import moves to a new file and package; the old file is gone from the work tree.
    std::fs::remove_dir_all(dir.join("proto/money/v1")).unwrap();
    write(
        dir,
        "proto/money/v2/money.proto",
        "syntax = \"proto3\";\npackage money.v2;\nmessage Money { int64 units = 1; }\n",
    );
    write(
        dir,
        "proto/shop/api.proto",
        "syntax = \"proto3\";\npackage shop;\nimport \"money/v2/money.proto\";\nmessage Price { money.v2.Money amount = 1; }\n",
    );
    let (code, v, err) = check(dir, &["--base", "HEAD", "--no-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["specs"][0]["status"], "changed", "{v}");
    assert!(
        v["specs"][0]["breaking_count"].as_u64().unwrap() >= 1,
        "the field's type changed: {v}"
    );
    // The index too holds the old import, so --staged compiles as well.
    let (code, v, err) = check(dir, &["--staged", "--no-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["specs"][0]["status"], "unchanged", "{v}");
}

#[test]
fn a_project_in_a_subfolder_reports_paths_from_its_own_root() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path();
    init(top);
    let api = top.join("services/api");
    gated_project(&api);
    assert!(commit_all(top, "api").ok);
    write(&api, "specs/pets.yaml", &pets_spec(false));
    git_ok(top, &["add", "-A"]);
    let (code, v, err) = check(&api, &["--staged"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(v["specs"][0]["spec_path"], "specs/pets.yaml");
    let events = schema_events(&api);
    assert_eq!(events[0]["payload"]["spec_path"], "specs/pets.yaml");
    assert_eq!(events[0]["payload"]["base"], "HEAD");
    assert_eq!(events[0]["source"], "schema-check");
}
