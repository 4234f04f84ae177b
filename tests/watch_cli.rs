//! `mockops watch` end to end: a real file change runs the pipeline; an invalid
//! definition is reported and the last good ones are kept; SIGTERM ends it with 0.

mod common;
use common::Project;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const V1: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n  /b:\n    get:\n      responses:\n        '200': {description: ok}\n";
const V2: &str = "openapi: 3.0.3\ninfo: {title: t, version: '2'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
const V3: &str = "openapi: 3.0.3\ninfo: {title: t, version: '3'}\npaths: {}\n";

struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(mut check: impl FnMut() -> bool, limit: Duration) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

backends! {
    fn watch_runs_pipelines_on_change_keeps_good_definitions_and_stops_on_sigterm(backend) {
        let p = Project::on(backend);
        p.write(
            "mockops.yaml",
            "specs:\n  - path: specs/api.yaml\nwatch:\n  ignore: [\"specs/ignored/**\"]\n",
        );
        p.write("specs/api.yaml", V1);
        p.write(
            "pipelines/on-change.yaml",
            "triggers: [{event: schema.changed}]\nsteps:\n  - name: mark\n    type: run\n    config: { command: \"date +%s%N >> started.log; echo {{event.payload.breaking_count}} >> changed.log\" }\n",
        );
        assert_eq!(p.run(&["schema", "check"]).code, 0, "baseline snapshot");
        let child = p
            .process()
            .args(["watch", "--debounce", "100ms"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut guard = Guard(child);
        let stderr = guard.0.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let ready = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("watch never said it was ready");
        assert!(
            ready.starts_with("watching ") && ready.ends_with(" paths"),
            "{ready}"
        );

        // A burst of writes gives one run after the last one.
        let mut written = 0;
        for text in [V1, V2, V1, V2] {
            std::thread::sleep(Duration::from_millis(10));
            std::fs::write(p.path("specs/api.yaml"), text).unwrap();
            written = now_ns();
        }
        assert!(
            wait_for(
                || !p.read("changed.log").is_empty(),
                Duration::from_secs(15)
            ),
            "the pipeline did not run"
        );
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(
            p.read("changed.log").lines().collect::<Vec<_>>(),
            vec!["1"],
            "one run for the burst"
        );
        let started: u128 = p
            .read("started.log")
            .lines()
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        eprintln!(
            "watch latency: last write → step start = {} ms (debounce 100 ms)",
            (started.saturating_sub(written)) / 1_000_000
        );

        // An invalid pipeline is reported; the old definitions keep working.
        p.write("pipelines/on-change.yaml", "triggers: [\n");
        let mut saw_error = false;
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end && !saw_error {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
                saw_error |= line.contains("pipelines/on-change.yaml");
            }
        }
        assert!(saw_error, "the invalid pipeline was not reported");
        // an atomic save by rename counts as a change
        std::fs::write(p.path("specs/api.tmp-save"), V3).unwrap();
        std::fs::rename(p.path("specs/api.tmp-save"), p.path("specs/api.yaml")).unwrap();
        assert!(
            wait_for(
                || p.read("changed.log").lines().count() == 2,
                Duration::from_secs(15)
            ),
            "the kept definition did not run for the renamed save: {:?}",
            p.read("changed.log")
        );
        // ignored paths are ignored
        p.write("specs/ignored/x.yaml", "a: 1\n");

        // SIGTERM ends it cleanly with exit 0.
        // SAFETY: signalling our own child process.
        unsafe {
            libc::kill(guard.0.id() as i32, libc::SIGTERM);
        }
        let mut status = None;
        assert!(wait_for(
            || {
                status = guard.0.try_wait().unwrap();
                status.is_some()
            },
            Duration::from_secs(10)
        ));
        assert_eq!(status.unwrap().code(), Some(0));
    }
}
