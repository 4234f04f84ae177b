//! Many writers at once: PROCS processes each run EMITS `mockops event emit custom.c`
//! one after the other, in a temporary project whose one pipeline has a single `emit`
//! step, against each state named, in turn, in the same run; prints the wall time of each
//! and checks that every event and run was stored (the runs and events each state gained,
//! from `state status`).
//!
//! `cargo build --release && cargo run --release --example emit_load -- [PROCS] [EMITS] [STATE…]`
//!
//! PROCS defaults to 16, EMITS to 100. Each STATE is `sqlite` (a fresh state file, the
//! default) or a `postgres://…` URL (a direct server, or a pooler such as PgBouncer in
//! front of it). The binary is `target/release/mockops`, or `MOCKOPS_BIN`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const PIPELINE: &str = "name: c
triggers: [{event: custom.c}]
steps:
  - name: e
    type: emit
    config: {event: custom.d, payload: {j: \"{{event.payload.j}}\"}}
";

fn mockops(bin: &Path, project: &Path, state: &str) -> Command {
    let mut c = Command::new(bin);
    c.current_dir(project).env_remove("MOCKOPS_STATE");
    if state != "sqlite" {
        c.env("MOCKOPS_STATE", state);
    }
    c
}

/// `(runs, events)` stored in `state`.
fn counts(bin: &Path, project: &Path, state: &str) -> (i64, i64) {
    let out = mockops(bin, project, state)
        .args(["--format", "json", "state", "status"])
        .output()
        .expect("run mockops state status");
    assert!(
        out.status.success(),
        "state status: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let n = |t: &str| v["tables"][t].as_i64().unwrap_or(0);
    (n("runs"), n("events"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let procs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(16);
    let emits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let mut states: Vec<String> = args.collect();
    if states.is_empty() {
        states.push("sqlite".into());
    }
    let bin = std::env::var_os("MOCKOPS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/release/mockops"));
    let bin = std::fs::canonicalize(&bin)
        .unwrap_or_else(|_| panic!("{} is missing: cargo build --release", bin.display()));
    for state in &states {
        let project = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(project.path().join("pipelines")).unwrap();
        std::fs::write(project.path().join("pipelines/c.yaml"), PIPELINE).unwrap();
        // The schema first, so that the load measures emitting, not migrating.
        let before = counts(&bin, project.path(), state);
        let started = Instant::now();
        let failures: usize = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..procs)
                .map(|p| {
                    let (bin, project) = (&bin, project.path());
                    scope.spawn(move || {
                        (0..emits)
                            .filter(|j| {
                                !mockops(bin, project, state)
                                    .args(["event", "emit", "custom.c", "-p"])
                                    .arg(format!("j={}", p * emits + j))
                                    .stdout(Stdio::null())
                                    .status()
                                    .expect("run mockops")
                                    .success()
                            })
                            .count()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        });
        let wall = started.elapsed();
        let after = counts(&bin, project.path(), state);
        let label = match state.split_once('@') {
            Some((_, rest)) => format!("postgres://…@{rest}"),
            None => state.clone(),
        };
        println!(
            "{label}: {procs} × {emits} emits in {:.2} s; {} failed; stored {} runs and {} events (expected {} and {})",
            wall.as_secs_f64(),
            failures,
            after.0 - before.0,
            after.1 - before.1,
            procs * emits,
            procs * emits * 2
        );
    }
}
