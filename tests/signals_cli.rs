//! Ctrl-C and SIGTERM end everything mockops started: the step's process group is
//! stopped (SIGTERM, then SIGKILL after 2 s or at a second signal), the run and the cut
//! step are stored `interrupted`, and mockops exits 130 (SIGINT) or 143 (SIGTERM).
//!
//! Ctrl-C is typed into a real pseudo-terminal whose foreground process group is
//! mockops, so the kernel sends SIGINT the way a terminal does; the step runs in its own
//! process group and is reached only through mockops.
#![cfg(target_os = "linux")]

mod common;
use common::Project;
use serde_json::Value;
use std::ffi::CStr;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// mockops running as the session leader of a pseudo-terminal.
struct InPty {
    child: Child,
    master: File,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl InPty {
    fn spawn(p: &Project, args: &[&str]) -> InPty {
        // SAFETY: plain libc pty calls on a descriptor we own; the name buffer is
        // NUL-terminated by ptsname_r on success.
        let (master_fd, slave_name) = unsafe {
            let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
            assert!(fd >= 0, "posix_openpt: {}", std::io::Error::last_os_error());
            assert_eq!(libc::grantpt(fd), 0);
            assert_eq!(libc::unlockpt(fd), 0);
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(libc::ptsname_r(fd, name.as_mut_ptr(), name.len()), 0);
            (
                fd,
                CStr::from_ptr(name.as_ptr()).to_string_lossy().into_owned(),
            )
        };
        // SAFETY: the descriptor was just opened and is owned by nobody else.
        let master = unsafe { File::from_raw_fd(master_fd) };
        let slave = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(&slave_name)
            .unwrap();
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mockops"));
        cmd.args(args)
            .current_dir(p.root())
            .env_remove("MOCKOPS_PROJECT")
            .env_remove("MOCKOPS_STATE")
            .envs(state_env(p))
            .env("NO_COLOR", "1")
            .stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave);
        // SAFETY: only async-signal-safe calls between fork and exec: a new session whose
        // controlling terminal is the pty (stdin), so mockops is its foreground group.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap();
        drop(cmd); // closes our copies of the slave side
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().unwrap();
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        InPty {
            child,
            master,
            screen,
        }
    }

    /// Types Ctrl-C: the terminal sends SIGINT to its foreground process group.
    fn ctrl_c(&mut self) {
        self.master.write_all(&[0x03]).unwrap();
        self.master.flush().unwrap();
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Waits for mockops to end (at most `limit`; a hung mockops is killed and reported).
    fn wait(&mut self, limit: Duration) -> ExitStatus {
        wait_child(&mut self.child, limit, || self.screen.clone())
    }
}

impl Drop for InPty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_child(
    child: &mut Child,
    limit: Duration,
    screen: impl Fn() -> Arc<Mutex<Vec<u8>>>,
) -> ExitStatus {
    let end = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            let shown = String::from_utf8_lossy(&screen().lock().unwrap()).into_owned();
            panic!("mockops was still running {limit:?} after the signal:\n{shown}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `MOCKOPS_STATE` for a project whose state is on PostgreSQL.
fn state_env(p: &Project) -> Vec<(&'static str, String)> {
    p.state_url()
        .map(|url| vec![("MOCKOPS_STATE", url)])
        .unwrap_or_default()
}

/// mockops without a terminal (stderr piped), to be sent signals with kill(2).
fn spawn_plain(p: &Project, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("mockops"))
        .args(args)
        .current_dir(p.root())
        .env_remove("MOCKOPS_PROJECT")
        .env_remove("MOCKOPS_STATE")
        .envs(state_env(p))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends SIGTERM to mockops and checks that it exits 143 within `limit`.
fn sigterm_and_expect_143(child: &mut Child, limit: Duration) {
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = wait_child(child, limit, Default::default);
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr).unwrap();
    }
    assert_exit(status, 143, &stderr);
}

fn assert_exit(status: ExitStatus, code: i32, said: &str) {
    assert_eq!(
        status.code(),
        Some(code),
        "{status:?} (signal {:?})\n{said}",
        status.signal()
    );
}

/// Waits until the step has written its process group id (the `sh` running it leads
/// its own group, so `$$` is the group id).
fn wait_for_pgid(p: &Project, rel: &str) -> i32 {
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(pgid) = p.read(rel).trim().parse::<i32>() {
            return pgid;
        }
        assert!(Instant::now() < end, "the step never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_for_file(p: &Project, rel: &str) {
    let end = Instant::now() + Duration::from_secs(30);
    while !p.path(rel).exists() {
        assert!(Instant::now() < end, "{rel} never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every process (zombies included) whose process group is `pgid`, as `pid state comm`.
fn processes_in_group(pgid: i32) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.parse::<u32>().is_err() {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue; // ended while we looked
        };
        // pid (comm) state ppid pgrp ...
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        if fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(pgid) {
            found.push(format!("{name} {} {}", fields[0], &stat[..=close]));
        }
    }
    found
}

/// The only run, as `pipeline show --format json` prints it.
fn only_run(p: &Project) -> Value {
    let (_, runs, err) = p.json(&["pipeline", "history"]);
    let runs = runs.as_array().cloned().unwrap_or_default();
    assert_eq!(runs.len(), 1, "{runs:?} {err}");
    let id = runs[0]["id"].as_str().unwrap().to_string();
    let (code, run, err) = p.json(&["pipeline", "show", &id]);
    assert_eq!(code, 0, "{err}");
    run
}

fn assert_stored_interrupted(p: &Project, step: &str) -> Value {
    let run = only_run(p);
    assert_eq!(run["status"], "interrupted", "{run:#}");
    let steps = run["steps"].as_array().cloned().unwrap_or_default();
    let cut = steps
        .iter()
        .find(|s| s["name"] == step)
        .unwrap_or_else(|| panic!("step `{step}` was not stored: {run:#}"));
    assert_eq!(cut["status"], "interrupted", "{run:#}");
    run
}

const SLEEPER: &str = "name: long\ntriggers: [{event: custom.long}]\nsteps:\n  - name: wait\n    type: run\n    config: {command: \"echo $$ > pgid.tmp && mv pgid.tmp pgid; sleep 6; echo done >> marker\"}\n  - name: after\n    type: run\n    config: {command: \"echo after >> marker\"}\n";

backends! {
    fn ctrl_c_during_event_emit_stops_the_step_group_and_stores_the_run_interrupted(backend) {
        let p = Project::on(backend);
        p.write("pipelines/long.yaml", SLEEPER);
        let mut m = InPty::spawn(&p, &["event", "emit", "custom.long"]);
        let pgid = wait_for_pgid(&p, "pgid");
        let started = Instant::now();
        m.ctrl_c();
        // (the proof that the step was stopped is below: its group is empty when mockops
        // has exited, and the marker is still missing once the sleep would have ended)
        let status = m.wait(Duration::from_secs(30));
        assert_exit(status, 130, &m.screen());
        assert_eq!(
            processes_in_group(pgid),
            Vec::<String>::new(),
            "a process of the step outlived mockops"
        );
        let run = assert_stored_interrupted(&p, "wait");
        assert_eq!(run["steps"][1]["status"], "skipped", "{run:#}");
        let error = run["steps"][0]["error"].as_str().unwrap_or_default();
        assert!(error.contains("SIGINT"), "{error}");
        assert!(
            m.screen().contains("interrupted"),
            "mockops says why it stopped: {}",
            m.screen()
        );
        // wait until the sleep would have ended: nothing of the step ever writes the marker
        while started.elapsed() < Duration::from_secs(7) {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            !p.path("marker").exists(),
            "the step went on after Ctrl-C: {:?}",
            p.read("marker")
        );
    }
}

/// A step that ignores SIGTERM: `trap` leaves a note each time one arrives.
const STUBBORN: &str = "name: stubborn\ntriggers: [{event: custom.stubborn}]\nsteps:\n  - name: hold\n    type: run\n    config: {command: \"trap 'echo term >> got_term' TERM; echo $$ > pgid.tmp && mv pgid.tmp pgid; i=0; while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; echo done >> marker\"}\n";

backends! {
    fn sigterm_during_pipeline_run_kills_a_step_that_ignores_it_and_exits_143(backend) {
        let p = Project::on(backend);
        p.write("pipelines/stubborn.yaml", STUBBORN);
        let mut child = spawn_plain(&p, &["pipeline", "run", "stubborn"]);
        let pgid = wait_for_pgid(&p, "pgid");
        sigterm_and_expect_143(&mut child, Duration::from_secs(20));
        assert!(
            p.path("got_term").exists(),
            "the step's process group was sent SIGTERM first"
        );
        assert_eq!(
            processes_in_group(pgid),
            Vec::<String>::new(),
            "a step that ignores SIGTERM outlived mockops"
        );
        let run = assert_stored_interrupted(&p, "hold");
        let error = run["steps"][0]["error"].as_str().unwrap_or_default();
        assert!(
            error.contains("SIGTERM") && error.contains("2 s"),
            "the step says it was killed after the grace period: {error}"
        );
        assert!(!p.path("marker").exists());
    }
}

backends! {
    fn a_second_ctrl_c_kills_a_step_that_ignores_sigterm_at_once(backend) {
        let p = Project::on(backend);
        p.write("pipelines/stubborn.yaml", STUBBORN);
        let mut m = InPty::spawn(&p, &["event", "emit", "custom.stubborn"]);
        let pgid = wait_for_pgid(&p, "pgid");
        m.ctrl_c();
        // the step got SIGTERM and ignored it; mockops is still waiting for it
        wait_for_file(&p, "got_term");
        m.ctrl_c();
        let status = m.wait(Duration::from_secs(20));
        assert_exit(status, 130, &m.screen());
        assert_eq!(processes_in_group(pgid), Vec::<String>::new());
        let run = assert_stored_interrupted(&p, "hold");
        // the second signal, not the 2 s grace period, ended the step (the grace period
        // started with the first Ctrl-C; the second followed as soon as the step noted SIGTERM)
        let error = run["steps"][0]["error"].as_str().unwrap_or_default();
        assert!(error.contains("second signal"), "{error}");
        assert!(!p.path("marker").exists());
    }
}

backends! {
    fn watch_ends_on_the_first_ctrl_c_while_a_step_runs(backend) {
        let p = Project::on(backend);
        p.write("mockops.yaml", "specs:\n  - path: specs/api.yaml\n");
        p.write(
            "specs/api.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n",
        );
        p.write(
            "pipelines/on-change.yaml",
            "triggers: [{event: schema.changed}]\nsteps:\n  - name: slow\n    type: run\n    timeout: 60s\n    config: {command: \"echo $$ > pgid.tmp && mv pgid.tmp pgid; sleep 30; echo done >> marker\"}\n",
        );
        assert_eq!(p.run(&["schema", "check"]).code, 0, "baseline snapshot");
        let mut m = InPty::spawn(&p, &["watch", "--debounce", "50ms"]);
        let end = Instant::now() + Duration::from_secs(30);
        while !m.screen().contains("watching ") {
            assert!(Instant::now() < end, "watch never started: {}", m.screen());
            std::thread::sleep(Duration::from_millis(20));
        }
        p.write(
            "specs/api.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '2'}\npaths: {}\n",
        );
        let pgid = wait_for_pgid(&p, "pgid");
        m.ctrl_c();
        // one Ctrl-C is enough, and watch does not wait for the 30 s step
        let status = m.wait(Duration::from_secs(15));
        assert_exit(status, 130, &m.screen());
        assert_eq!(processes_in_group(pgid), Vec::<String>::new());
        assert_stored_interrupted(&p, "slow");
        assert!(!p.path("marker").exists());
    }
}

backends! {
    fn sigterm_during_a_webhook_that_never_answers_ends_the_run_interrupted(backend) {
        let p = Project::on(backend);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        p.write(
            "pipelines/tell.yaml",
            &format!("name: tell\ntriggers: [{{event: custom.tell}}]\nsteps:\n  - name: notify\n    type: notify\n    timeout: 120s\n    retry: {{attempts: 1}}\n    config: {{channel: webhook, url: \"{url}\", message: hi}}\n"),
        );
        let mut child = spawn_plain(&p, &["event", "emit", "custom.tell"]);
        // the server takes the connection and the request, and never answers
        let (mut conn, _) = listener.accept().unwrap();
        let mut first = [0u8; 16];
        let n = conn.read(&mut first).unwrap();
        assert!(n > 0, "the request never came");
        // the connection is still open: mockops must not wait for the 120 s timeout
        sigterm_and_expect_143(&mut child, Duration::from_secs(60));
        assert_stored_interrupted(&p, "notify");
        let (_, dead, _) = p.json(&["event", "dead-letters"]);
        assert_eq!(
            dead.as_array().map(Vec::len),
            Some(0),
            "an interrupted delivery is not a dead letter: {dead}"
        );
        drop(conn);
    }
}

backends! {
    fn sigterm_while_a_step_waits_to_retry_ends_the_run_at_once(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/flaky.yaml",
            "name: flaky\ntriggers: [{event: custom.flaky}]\nsteps:\n  - name: try\n    type: run\n    retry: {attempts: 3, backoff: 120s}\n    config: {command: \"echo $$ > pgid.tmp && mv pgid.tmp pgid; echo tried >> tries; exit 1\"}\n",
        );
        let mut child = spawn_plain(&p, &["event", "emit", "custom.flaky"]);
        let pgid = wait_for_pgid(&p, "pgid");
        // the first attempt failed and is gone: mockops now waits 120 s before the second
        let end = Instant::now() + Duration::from_secs(30);
        while !processes_in_group(pgid).is_empty() {
            assert!(Instant::now() < end, "the first attempt never ended");
            std::thread::sleep(Duration::from_millis(20));
        }
        sigterm_and_expect_143(&mut child, Duration::from_secs(60));
        let run = assert_stored_interrupted(&p, "try");
        assert_eq!(run["steps"][0]["attempts"], 1, "{run:#}");
        assert_eq!(p.read("tries"), "tried\n", "no attempt after the signal");
    }
}
