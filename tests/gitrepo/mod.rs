//! Real git repositories for the hook and `schema check` tests: `git` and `mockops` run with
//! a fixed identity, no global or system git configuration, and the built `mockops` first
//! on PATH, so the hooks that git runs find it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a process did.
pub struct Ran {
    pub ok: bool,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    fn from(out: std::process::Output) -> Ran {
        Ran {
            ok: out.status.success(),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// stdout and stderr, for assertion messages.
    pub fn both(&self) -> String {
        format!(
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.both()))
    }
}

/// The folder holding the built `mockops`.
pub fn mockops_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("mockops")
        .parent()
        .unwrap()
        .to_path_buf()
}

/// PATH with the built `mockops` first, then `extra` folders, then the inherited PATH.
pub fn path_with(extra: &[&Path]) -> String {
    let mut parts = vec![mockops_dir().display().to_string()];
    parts.extend(extra.iter().map(|p| p.display().to_string()));
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

/// The environment every process of these tests gets.
pub fn isolate(c: &mut Command, path: &str) {
    c.env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .env_remove("MOCKOPS_PROJECT")
        .env_remove("MOCKOPS_STATE")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(std::process::Stdio::null());
}

/// Runs `program args` in `dir` with the isolated environment.
pub fn run_in(dir: &Path, program: &str, args: &[&str], path: &str) -> Ran {
    run_with_env(dir, program, args, path, &[])
}

/// `git args` in `dir`.
pub fn git(dir: &Path, args: &[&str]) -> Ran {
    run_in(dir, "git", args, &path_with(&[]))
}

/// `git args` in `dir`, which must succeed; its stdout, trimmed.
pub fn git_ok(dir: &Path, args: &[&str]) -> String {
    let r = git(dir, args);
    assert!(r.ok, "git {args:?} in {}: {}", dir.display(), r.both());
    r.stdout.trim().to_string()
}

/// The built `mockops args` in `dir`.
pub fn mockops(dir: &Path, args: &[&str]) -> Ran {
    let exe = assert_cmd::cargo::cargo_bin("mockops");
    let mut c = Command::new(exe);
    c.args(args).current_dir(dir);
    isolate(&mut c, &path_with(&[]));
    Ran::from(c.output().expect("run mockops"))
}

/// Writes `rel` under `dir`, creating folders.
pub fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// A new repository in `dir` on branch `main`.
pub fn init(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    git_ok(dir, &["init", "-q", "-b", "main"]);
}

/// `git add -A` and `git commit` (the hooks run); the commit's result.
pub fn commit_all(dir: &Path, message: &str) -> Ran {
    git_ok(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message])
}

/// An OpenAPI spec with `GET /pets` and, when `with_item`, `GET /pets/{id}`.
pub fn pets_spec(with_item: bool) -> String {
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: {title: pets, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n",
    );
    if with_item {
        s.push_str("  /pets/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok}\n");
    }
    s
}

/// A project in `dir` (its mockops.yaml lists `specs/pets.yaml`) whose pipeline `gate`
/// fails on every `schema.changed` with a breaking change, after noting it in `gate.log`.
pub fn gated_project(dir: &Path) {
    write(dir, "mockops.yaml", "specs:\n  - path: specs/pets.yaml\n");
    write(dir, "specs/pets.yaml", &pets_spec(true));
    write(
        dir,
        "pipelines/gate.yaml",
        "triggers:\n  - event: schema.changed\n    filters: { breaking_count: { gte: 1 } }\nsteps:\n  - name: refuse\n    type: run\n    config: { command: \"echo {{event.payload.spec_path}} >> gate.log; exit 1\" }\n",
    );
    write(dir, ".gitignore", ".mockops/\ngate.log\n");
}

/// A temp folder holding a new repository `name` with a [`gated_project`] at its top.
pub fn gated_repo(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    init(&dir);
    gated_project(&dir);
    (tmp, dir)
}

/// Makes `path` executable.
pub fn chmod_x(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `program args` in `dir` with the isolated environment and PATH `path`, plus `env`.
pub fn run_with_env(
    dir: &Path,
    program: &str,
    args: &[&str],
    path: &str,
    env: &[(&str, &Path)],
) -> Ran {
    let mut c = Command::new(program);
    c.args(args).current_dir(dir);
    isolate(&mut c, path);
    for (k, v) in env {
        c.env(k, v);
    }
    Ran::from(c.output().unwrap_or_else(|e| panic!("{program}: {e}")))
}
