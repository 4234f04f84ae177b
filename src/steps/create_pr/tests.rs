//! Tests of `create_pr` with real repositories (a bare `origin` and a working clone in a
//! temp dir) and a real HTTP server answering like GitHub, GitLab and Gitea.

use super::files::{build_globs, walk_roots};
use super::*;
use crate::steps::http::test_server::TestServer;
use git2::{Repository, RepositoryInitOptions};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A working repository whose `origin` is a bare repository, with one commit on `main`.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub work: PathBuf,
    pub bare: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("origin.git");
        let work = dir.path().join("work");
        let bare_repo = Repository::init_bare(&bare).unwrap();
        bare_repo.set_head("refs/heads/main").unwrap();
        let mut options = RepositoryInitOptions::new();
        options.initial_head("main");
        let repo = Repository::init_opts(&work, &options).unwrap();
        write(&work, "README.md", "hello\n");
        write(&work, "sdks/ts/stale.ts", "old\n");
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now("t", "t@example.test").unwrap();
        repo.commit(Some("HEAD"), &sig, &sig, "initial", &tree, &[])
            .unwrap();
        let mut remote = repo.remote("origin", bare.to_str().unwrap()).unwrap();
        remote
            .push(&["refs/heads/main:refs/heads/main"], None)
            .unwrap();
        Fixture {
            _dir: dir,
            work,
            bare,
        }
    }

    /// The files of `branch` in the bare repository: path → content.
    pub fn remote_files(&self, branch: &str) -> Vec<(String, String)> {
        let repo = Repository::open_bare(&self.bare).unwrap();
        let commit = repo
            .find_reference(&format!("refs/heads/{branch}"))
            .unwrap()
            .peel_to_commit()
            .unwrap();
        let mut files = Vec::new();
        commit
            .tree()
            .unwrap()
            .walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if let Ok(blob) = entry.to_object(&repo).and_then(|o| o.peel_to_blob()) {
                    let name = format!("{dir}{}", entry.name().unwrap());
                    files.push((name, String::from_utf8_lossy(blob.content()).into_owned()));
                }
                git2::TreeWalkResult::Ok
            })
            .unwrap();
        files
    }

    pub fn remote_tip(&self, branch: &str) -> Option<String> {
        let repo = Repository::open_bare(&self.bare).unwrap();
        repo.refname_to_id(&format!("refs/heads/{branch}"))
            .ok()
            .map(|o| o.to_string())
    }
}

pub fn write(root: &Path, path: &str, content: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, content).unwrap();
}

pub fn run_in(root: &Path, config: Value) -> Result<StepSuccess, StepFailure> {
    let recall = |_: &str| None;
    let ctx = StepContext {
        project_root: root,
        pipeline_name: "sdk",
        pipeline_file: Path::new("pipelines/sdk.yaml"),
        step_name: "pr",
        run_id: "run-1",
        deadline: Some(Instant::now() + Duration::from_secs(30)),
        recall: &recall,
        store: None,
        environments: &[],
    };
    CreatePrStep.run(&ctx, &serde_json::from_value(config).unwrap())
}

/// A fake GitHub: no open PR until one is POSTed, then PR #7.
pub(super) fn fake_github() -> TestServer {
    let opened = Arc::new(AtomicBool::new(false));
    TestServer::start(move |r, _| {
        let pr = json!({"number": 7, "html_url": "https://github.example/acme/api/pull/7"});
        match (r.method.as_str(), r.path.split('?').next().unwrap_or("")) {
            ("GET", "/repos/acme/api/pulls") if opened.load(Ordering::SeqCst) => {
                (200, vec![], json!([pr]).to_string())
            }
            ("GET", "/repos/acme/api/pulls") => (200, vec![], "[]".into()),
            ("POST", "/repos/acme/api/pulls") => {
                opened.store(true, Ordering::SeqCst);
                (201, vec![], pr.to_string())
            }
            ("PATCH", "/repos/acme/api/pulls/7") => (200, vec![], pr.to_string()),
            ("POST", "/repos/acme/api/issues/7/labels") => (200, vec![], "[]".into()),
            _ => (404, vec![], "{\"message\":\"Not Found\"}".into()),
        }
    })
}

pub(super) fn github_config(server: &TestServer) -> Value {
    json!({
        "branch": "mockops/sdk", "paths": ["sdks/ts/**"], "provider": "github", "repo": "acme/api",
        "token": "ghp_test", "api_url": server.url, "title": "Regenerate SDK", "labels": ["sdk"],
        "author": {"name": "Bot", "email": "bot@example.test"}
    })
}

#[test]
fn github_created_then_none_then_updated_without_touching_the_checkout() {
    let fx = Fixture::new();
    let server = fake_github();
    write(&fx.work, "sdks/ts/index.ts", "export const v = 1;\n");
    write(
        &fx.work,
        "sdks/ts/models/user.ts",
        "export type User = {};\n",
    );
    write(&fx.work, "notes.txt", "not to commit\n");
    std::fs::remove_file(fx.work.join("sdks/ts/stale.ts")).unwrap();
    let repo = Repository::open(&fx.work).unwrap();
    let head_before = repo.head().unwrap().target().unwrap();

    let first = run_in(&fx.work, github_config(&server)).unwrap();
    assert_eq!(first.outputs["operation"], json!("created"));
    assert_eq!(first.outputs["branch"], json!("mockops/sdk"));
    assert_eq!(first.outputs["pr_number"], json!(7));
    assert_eq!(
        first.outputs["pr_url"],
        json!("https://github.example/acme/api/pull/7")
    );
    let commit1 = first.outputs["commit"].as_str().unwrap().to_string();
    assert_eq!(
        fx.remote_tip("mockops/sdk").as_deref(),
        Some(commit1.as_str())
    );
    assert_eq!(
        fx.remote_files("mockops/sdk"),
        vec![
            ("README.md".to_string(), "hello\n".to_string()),
            ("sdks/ts/index.ts".into(), "export const v = 1;\n".into()),
            (
                "sdks/ts/models/user.ts".into(),
                "export type User = {};\n".into()
            ),
        ],
        "exactly base + matched files, the deleted stale file removed"
    );
    let bare = Repository::open_bare(&fx.bare).unwrap();
    let pushed = bare
        .find_commit(git2::Oid::from_str(&commit1).unwrap())
        .unwrap();
    assert_eq!(pushed.author().name().ok(), Some("Bot"));
    assert_eq!(pushed.parent_id(0).unwrap(), head_before);
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/repos/acme/api/pulls")
        .collect();
    assert_eq!(posts.len(), 1);
    let body: Value = serde_json::from_str(&posts[0].body).unwrap();
    assert_eq!(
        (
            body["head"].as_str(),
            body["base"].as_str(),
            body["title"].as_str()
        ),
        (Some("mockops/sdk"), Some("main"), Some("Regenerate SDK"))
    );
    assert_eq!(posts[0].header("authorization"), Some("Bearer ghp_test"));
    let get = &server.requests()[0];
    assert_eq!(
        get.path,
        "/repos/acme/api/pulls?head=acme%3Amockops%2Fsdk&state=open"
    );
    assert!(server
        .requests()
        .iter()
        .any(|r| r.path == "/repos/acme/api/issues/7/labels" && r.body == r#"{"labels":["sdk"]}"#));

    // The user's checkout is untouched: same HEAD, same branch, same file states.
    assert_eq!(repo.head().unwrap().name(), Ok("refs/heads/main"));
    assert_eq!(repo.head().unwrap().target().unwrap(), head_before);
    assert_eq!(
        repo.status_file(Path::new("notes.txt")).unwrap(),
        git2::Status::WT_NEW
    );
    assert_eq!(
        repo.status_file(Path::new("sdks/ts/stale.ts")).unwrap(),
        git2::Status::WT_DELETED
    );

    let second = run_in(&fx.work, github_config(&server)).unwrap();
    assert_eq!(second.outputs["operation"], json!("none"));
    assert_eq!(second.outputs["commit"], json!(commit1));
    assert_eq!(second.outputs["pr_number"], json!(7));
    assert_eq!(
        fx.remote_tip("mockops/sdk").as_deref(),
        Some(commit1.as_str())
    );
    let count = |m: &str, p: &str| {
        server
            .requests()
            .iter()
            .filter(|r| r.method == m && r.path == p)
            .count()
    };
    assert_eq!(count("POST", "/repos/acme/api/pulls"), 1);

    write(&fx.work, "sdks/ts/index.ts", "export const v = 2;\n");
    let third = run_in(&fx.work, github_config(&server)).unwrap();
    assert_eq!(third.outputs["operation"], json!("updated"));
    let commit3 = third.outputs["commit"].as_str().unwrap().to_string();
    assert_ne!(commit3, commit1);
    let bare = Repository::open_bare(&fx.bare).unwrap();
    let tip = bare
        .find_commit(git2::Oid::from_str(&commit3).unwrap())
        .unwrap();
    assert_eq!(
        tip.parent_id(0).unwrap().to_string(),
        commit1,
        "fast-forward on the existing branch"
    );
    assert!(fx
        .remote_files("mockops/sdk")
        .contains(&("sdks/ts/index.ts".into(), "export const v = 2;\n".into())));
    assert_eq!(count("POST", "/repos/acme/api/pulls"), 1);
    assert_eq!(count("PATCH", "/repos/acme/api/pulls/7"), 1);
}

#[test]
fn provider_none_pushes_mockforge_files() {
    let fx = Fixture::new();
    let config = json!({"branch": "gen", "base_branch": "main", "provider": "none",
        "files": [{"path": "generated/client.ts", "content": "// v1\n", "type": "typescript"}]});
    let out = run_in(&fx.work, config.clone()).unwrap();
    assert_eq!(out.outputs["operation"], json!("created"));
    assert_eq!(out.outputs["pr_url"], Value::Null);
    assert!(fx
        .remote_files("gen")
        .contains(&("generated/client.ts".into(), "// v1\n".into())));
    assert!(
        !fx.work.join("generated").exists(),
        "`files` go into the commit, not into the checkout"
    );
    assert!(fx
        .remote_files("gen")
        .contains(&("sdks/ts/stale.ts".into(), "old\n".into())));
    let again = run_in(&fx.work, config).unwrap();
    assert_eq!(again.outputs["operation"], json!("none"));
    assert_eq!(again.outputs["commit"], out.outputs["commit"]);
    let delete = json!({"branch": "gen", "provider": "none", "files": [{"path": "generated/client.ts", "type": "delete"}]});
    let deleted = run_in(&fx.work, delete).unwrap();
    assert_eq!(deleted.outputs["operation"], json!("updated"));
    assert!(!fx
        .remote_files("gen")
        .iter()
        .any(|(p, _)| p == "generated/client.ts"));
    assert!(!fx.work.join("generated/client.ts").exists());
}

#[test]
fn nothing_differing_from_base_opens_nothing() {
    let fx = Fixture::new();
    let server = fake_github();
    let out = run_in(&fx.work, github_config(&server)).unwrap();
    assert_eq!(out.outputs["operation"], json!("none"));
    assert!(fx.remote_tip("mockops/sdk").is_none());
    assert!(server.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn gitlab_and_gitea_open_their_requests() {
    let fx = Fixture::new();
    write(&fx.work, "sdks/ts/index.ts", "x\n");
    let gitlab = TestServer::start(|r, _| match r.method.as_str() {
        "GET" => (200, vec![], "[]".into()),
        _ => (
            201,
            vec![],
            json!({"iid": 3, "web_url": "https://gitlab.example/acme/api/-/merge_requests/3"})
                .to_string(),
        ),
    });
    let out = run_in(
        &fx.work,
        json!({"branch": "mr", "paths": "sdks/**", "provider": "gitlab", "repo": "acme/api",
        "token": "glpat", "api_url": format!("{}/api/v4", gitlab.url), "draft": true}),
    )
    .unwrap();
    assert_eq!(out.outputs["pr_number"], json!(3));
    let got = gitlab.requests();
    assert_eq!(
        got[0].path,
        "/api/v4/projects/acme%2Fapi/merge_requests?source_branch=mr&state=opened"
    );
    assert_eq!(got[1].path, "/api/v4/projects/acme%2Fapi/merge_requests");
    assert_eq!(got[1].header("private-token"), Some("glpat"));
    let body: Value = serde_json::from_str(&got[1].body).unwrap();
    assert_eq!(body["target_branch"], json!("main"));
    assert!(body["title"].as_str().unwrap().starts_with("Draft: "));

    let gitea = TestServer::start(|r, _| match r.method.as_str() {
        "GET" => (
            200,
            vec![],
            json!([{"number": 1, "html_url": "u1", "head": {"ref": "other"}}]).to_string(),
        ),
        _ => (
            201,
            vec![],
            json!({"number": 2, "html_url": "https://gitea.example/acme/api/pulls/2"}).to_string(),
        ),
    });
    let out = run_in(&fx.work, json!({"branch": "pr2", "paths": ["sdks/**"], "provider": "gitea", "owner": "acme", "repo": "api",
        "token": "tea", "api_url": gitea.url})).unwrap();
    assert_eq!(out.outputs["operation"], json!("created"));
    assert_eq!(
        out.outputs["pr_url"],
        json!("https://gitea.example/acme/api/pulls/2")
    );
    assert_eq!(
        gitea.requests()[1].header("authorization"),
        Some("token tea")
    );
}

#[test]
fn rate_limited_api_is_retryable_with_retry_after() {
    let fx = Fixture::new();
    write(&fx.work, "sdks/ts/index.ts", "x\n");
    let server = TestServer::start(|r, _| match r.method.as_str() {
        "GET" => (200, vec![], "[]".into()),
        _ => (429, vec![("Retry-After".into(), "12".into())], "{}".into()),
    });
    let err = run_in(&fx.work, github_config(&server)).unwrap_err();
    assert!(err.retryable);
    assert_eq!(err.retry_after, Some(Duration::from_secs(12)));
    // The retry finds the pushed branch unchanged and still opens the PR.
    let ok_server = fake_github();
    let out = run_in(&fx.work, github_config(&ok_server)).unwrap();
    assert_eq!(out.outputs["operation"], json!("created"));
}

#[test]
fn bad_input_gives_clear_messages() {
    let fx = Fixture::new();
    write(&fx.work, "sdks/ts/index.ts", "x\n");
    let base = json!({"branch": "b", "paths": ["sdks/**"], "provider": "none"});
    let with = |key: &str, value: Value| {
        let mut c = base.clone();
        c[key] = value;
        run_in(&fx.work, c).unwrap_err().message
    };
    assert!(with("provider", json!("bitbucket")).contains("unknown provider `bitbucket`"));
    assert!(with("branch", json!("bad..name")).contains("git refuses the branch name `bad..name`"));
    assert!(with("base", json!("nope")).contains("base branch `nope`"));
    assert!(with("remote", json!("upstream")).contains("no remote `upstream`"));
    let mut github = base.clone();
    github["provider"] = json!("github");
    assert!(run_in(&fx.work, github)
        .unwrap_err()
        .message
        .contains("needs config `repo`"));
    let files = with("files", json!([{"path": "../escape.txt", "content": "x"}]));
    assert!(files.contains("inside the project"), "{files}");
    assert!(with("files", json!([{"path": "a.bin", "content": [1, 2]}])).contains("must be text"));

    Repository::open(&fx.work)
        .unwrap()
        .remote_set_url("origin", "/nonexistent/repo.git")
        .unwrap();
    let unreachable = run_in(&fx.work, base.clone()).unwrap_err().message;
    assert!(
        unreachable.contains("cannot reach remote `origin`"),
        "{unreachable}"
    );

    let checked_out = run_in(
        &fx.work,
        json!({"branch": "main", "paths": ["sdks/**"], "provider": "none"}),
    );
    assert!(checked_out.is_err());
}

#[test]
fn checked_out_branch_is_never_moved() {
    let fx = Fixture::new();
    write(&fx.work, "sdks/ts/index.ts", "x\n");
    let err = run_in(
        &fx.work,
        json!({"branch": "main", "paths": ["sdks/**"], "provider": "none"}),
    )
    .unwrap_err();
    assert!(err.message.contains("is checked out"), "{}", err.message);
    assert_eq!(fx.remote_files("main").len(), 2);
}

#[test]
fn check_config_reports_statically() {
    let cfg = |v: Value| -> Map<String, Value> { serde_json::from_value(v).unwrap() };
    let problems = CreatePrStep.check_config(&cfg(
        json!({"provider": "svn", "draft": "maybe", "paths": 3}),
    ));
    for expected in [
        "`branch` is required",
        "unknown provider `svn`",
        "`draft` must be a boolean",
        "`paths` must be a list",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
    assert!(CreatePrStep
        .check_config(&cfg(json!({"branch": "b", "paths": ["x"]})))
        .iter()
        .any(|p| p.contains("`repo` is required")));
    let ok = cfg(
        json!({"branch": "mockops/{{slug event.payload.spec_name}}", "paths": ["sdk/**"], "provider": "none"}),
    );
    assert!(CreatePrStep.check_config(&ok).is_empty());
}

#[test]
fn walk_roots_are_the_literal_folders_of_the_globs() {
    let patterns = [
        "sdks/ts/**".to_string(),
        "sdks/ts/models/*.ts".into(),
        "docs/api.md".into(),
        "gen*/x".into(),
    ];
    assert_eq!(
        walk_roots(&patterns),
        [""],
        "`gen*/x` needs the whole project"
    );
    let patterns = [
        "sdks/ts/**".to_string(),
        "sdks/ts/models/*.ts".into(),
        "docs/api.md".into(),
    ];
    assert_eq!(walk_roots(&patterns), ["docs/api.md", "sdks/ts"]);
}

#[test]
fn globs_keep_star_within_a_segment() {
    let globs = build_globs(&["sdks/*.ts".to_string(), "gen/**".to_string()]).unwrap();
    assert!(globs.is_match("sdks/a.ts"));
    assert!(!globs.is_match("sdks/sub/a.ts"));
    assert!(globs.is_match("gen/a/b/c.py"));
    assert!(build_globs(&["a/[".to_string()])
        .unwrap_err()
        .message
        .contains("invalid glob"));
}
