//! A temp project and a way to run the real `mockops` binary in it, on either backend.
#![allow(dead_code)]

pub mod http;
pub mod pg;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Where a test project keeps its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `.mockops/state.db` (the default).
    Sqlite,
    /// A database of its own on the test cluster (`MOCKOPS_STATE`).
    Postgres,
}

/// `backends! { fn name(backend) { … } }` makes the tests `name::sqlite` and
/// `name::postgres`, each running the body with its [`Backend`].
#[macro_export]
macro_rules! backends {
    ($($(#[$attr:meta])* fn $name:ident($backend:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn run($backend: $crate::common::Backend) $body
            $(#[$attr])*
            #[test]
            fn sqlite() {
                run($crate::common::Backend::Sqlite)
            }
            $(#[$attr])*
            #[test]
            fn postgres() {
                run($crate::common::Backend::Postgres)
            }
        }
    )*};
}

pub struct Project {
    pub dir: tempfile::TempDir,
    pub backend: Backend,
    /// The PostgreSQL database of a [`Backend::Postgres`] project.
    pub database: Option<String>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit code {}:\n{}\nstderr:\n{}",
                self.code, self.stdout, self.stderr
            )
        })
    }
}

impl Project {
    pub fn new() -> Project {
        Project::on(Backend::Sqlite)
    }

    /// A project in `dir` as it is (no `pipelines/` made), state on SQLite.
    pub fn in_dir(dir: tempfile::TempDir) -> Project {
        Project {
            dir,
            backend: Backend::Sqlite,
            database: None,
        }
    }

    /// A project whose state is on `backend`.
    pub fn on(backend: Backend) -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("pipelines")).unwrap();
        let database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let hint = std::thread::current().name().unwrap_or("t").to_string();
                Some(pg::cluster().create_database(&hint))
            }
        };
        Project {
            dir,
            backend,
            database,
        }
    }

    /// The value of `MOCKOPS_STATE` for this project (`None`: the default file).
    pub fn state_url(&self) -> Option<String> {
        self.database.as_ref().map(|db| pg::cluster().url(db))
    }

    /// A number from SQL run on this project's state (either backend).
    pub fn count(&self, sql: &str) -> i64 {
        match &self.database {
            Some(db) => pg::cluster().count(db, sql),
            None => {
                let conn = rusqlite::Connection::open(self.path(".mockops/state.db")).unwrap();
                conn.query_row(sql, [], |r| r.get(0)).unwrap()
            }
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, content: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_default()
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("mockops").unwrap();
        c.current_dir(self.root())
            .env_remove("MOCKOPS_PROJECT")
            .env_remove("MOCKOPS_STATE")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("PGPASSWORD")
            .env("NO_COLOR", "1")
            .timeout(std::time::Duration::from_secs(60));
        if let Some(url) = self.state_url() {
            c.env("MOCKOPS_STATE", url);
        }
        c
    }

    /// A plain process of the binary with this project's environment (for spawning).
    pub fn process(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("mockops"));
        c.current_dir(self.root())
            .env_remove("MOCKOPS_PROJECT")
            .env_remove("MOCKOPS_STATE")
            .env_remove("PGPASSWORD")
            .env("NO_COLOR", "1");
        if let Some(url) = self.state_url() {
            c.env("MOCKOPS_STATE", url);
        }
        c
    }

    /// Whether `needle` is anywhere in the stored state: the SQLite file's bytes, or
    /// any row of any table of the PostgreSQL database.
    pub fn state_contains(&self, needle: &str) -> bool {
        let Some(db) = &self.database else {
            return contains(&self.state_bytes(), needle);
        };
        let cluster = pg::cluster();
        let mut client = cluster.client(db);
        let tables: Vec<String> = client
            .query(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(!tables.is_empty(), "no tables in {db}");
        tables.iter().any(|t| {
            let sql = format!("SELECT count(*) FROM {t} x WHERE strpos(x::text, $1) > 0");
            client.query_one(&sql, &[&needle]).unwrap().get::<_, i64>(0) > 0
        })
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = self.cmd();
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().expect("run mockops");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs with `--format json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value, String) {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let v = out.json();
        (out.code, v, out.stderr)
    }

    pub fn state_bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for f in ["state.db", "state.db-wal", "state.db-shm"] {
            if let Ok(b) = std::fs::read(self.path(".mockops").join(f)) {
                all.extend(b);
            }
        }
        all
    }
}

pub fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A git identity and no system config, so that commits work on any machine.
pub const GIT_ENV: &[(&str, &str)] = &[
    ("GIT_AUTHOR_NAME", "Test Author"),
    ("GIT_AUTHOR_EMAIL", "author@example.com"),
    ("GIT_COMMITTER_NAME", "Test Committer"),
    ("GIT_COMMITTER_EMAIL", "committer@example.com"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
];

/// Runs git in `dir`; panics with its stderr when it fails; returns its trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .envs(GIT_ENV.iter().copied())
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
