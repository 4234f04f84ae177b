//! Running a step's child process: its own process group, a deadline that kills the
//! whole group, and stdout/stderr captured up to a cap (marked when cut).
//!
//! Ctrl-C and SIGTERM reach the group only through mockops (it is not the terminal's
//! foreground group): while a command runs, an [`interrupt`] callback sends the group
//! SIGTERM, then SIGKILL. On Linux mockops is a child subreaper, so the group's
//! processes orphaned by the command's end become mockops's children and are reaped
//! before `run_command` returns: none outlives the step.

use crate::interrupt::{self, Phase};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Instant;

/// How much of each stream is kept (the rest is drained and dropped).
pub const LOG_CAP_BYTES: usize = 1024 * 1024;

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub enum Program {
    /// An argv list, run directly.
    Argv(Vec<String>),
    /// A string run by `sh -c`.
    Shell(String),
}

/// A command with its working folder, extra environment and deadline.
#[derive(Debug, Clone)]
pub struct CommandSpec {
    pub program: Program,
    pub cwd: PathBuf,
    pub env: Vec<(String, String)>,
    pub deadline: Option<Instant>,
}

/// How a command ended.
#[derive(Debug, Clone, Default)]
pub struct CommandResult {
    /// `None` when killed by a signal (a timeout included).
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    pub timed_out: bool,
    /// Set when a signal to mockops stopped the command: what was done to its group.
    pub interrupted: Option<String>,
}

/// Why a command could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("empty command")]
    Empty,
    #[error("`{program}` was not found on PATH")]
    NotFound { program: String },
    #[error("cannot start `{program}`: {source}")]
    Io {
        program: String,
        source: std::io::Error,
    },
}

/// Runs the command to completion or to its deadline, whichever comes first.
/// On the deadline the whole process group is killed; when the command ends by
/// itself, whatever it left running in its group is killed too, so that no step
/// leaves processes behind.
pub fn run_command(spec: &CommandSpec, cap: usize) -> Result<CommandResult, SpawnError> {
    let (mut command, program_name) = match &spec.program {
        Program::Argv(argv) => {
            let Some((first, rest)) = argv.split_first() else {
                return Err(SpawnError::Empty);
            };
            let mut c = Command::new(first);
            c.args(rest);
            (c, first.clone())
        }
        Program::Shell(script) => {
            if script.trim().is_empty() {
                return Err(SpawnError::Empty);
            }
            let mut c = Command::new("sh");
            c.arg("-c").arg(script);
            (c, "sh".to_string())
        }
    };
    command
        .current_dir(&spec.cwd)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    become_subreaper();
    let mut child = command.spawn().map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            SpawnError::NotFound {
                program: program_name.clone(),
            }
        } else {
            SpawnError::Io {
                program: program_name.clone(),
                source,
            }
        }
    })?;
    let pgid = child.id() as i32;
    // From here on a signal to mockops reaches the group (at once if it already came).
    let signalled = Arc::new(AtomicBool::new(false));
    let registration = {
        let signalled = signalled.clone();
        interrupt::on_signal(move |phase| {
            signalled.store(true, Ordering::SeqCst);
            signal_group(
                pgid,
                match phase {
                    Phase::Terminate => libc::SIGTERM,
                    Phase::Kill => libc::SIGKILL,
                },
            );
        })
    };
    let out_reader = child
        .stdout
        .take()
        .map(|s| thread::spawn(move || read_capped(s, cap)));
    let err_reader = child
        .stderr
        .take()
        .map(|s| thread::spawn(move || read_capped(s, cap)));

    let (tx, rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send(());
        status
    });
    let timed_out = match spec.deadline {
        Some(deadline) => {
            let wait = deadline.saturating_duration_since(Instant::now());
            rx.recv_timeout(wait).is_err()
        }
        None => rx.recv().is_err(),
    };
    // Kill the group: on timeout the command itself; otherwise whatever it left behind.
    signal_group(pgid, libc::SIGKILL);
    let status = waiter.join().ok().and_then(|r| r.ok());
    drop(registration);
    reap_group(pgid);
    let interrupted = signalled
        .load(Ordering::SeqCst)
        .then(interrupt::process_fate);
    let (stdout, stdout_truncated) = out_reader.and_then(|h| h.join().ok()).unwrap_or_default();
    let (stderr, stderr_truncated) = err_reader.and_then(|h| h.join().ok()).unwrap_or_default();
    Ok(CommandResult {
        exit_code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        stdout,
        stderr,
        stdout_truncated,
        stderr_truncated,
        timed_out,
        interrupted,
    })
}

fn signal_group(pgid: i32, signal: i32) {
    if pgid > 0 {
        // SAFETY: kill(2) with a negative pid signals the process group we created;
        // it has no memory-safety preconditions.
        unsafe {
            libc::kill(-pgid, signal);
        }
    }
}

/// Makes orphaned descendants mockops's children (Linux), so [`reap_group`] can wait for
/// them; elsewhere they go to init as before.
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) only sets a flag of this process.
        ONCE.call_once(|| unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        });
    }
}

/// Waits for every child of mockops still in the (killed) group `pgid`: once this
/// returns, none of the group's processes that mockops adopted exists any more.
fn reap_group(pgid: i32) {
    if pgid <= 0 {
        return;
    }
    loop {
        let mut status = 0;
        // SAFETY: waitpid(2) on our own children of that group; `status` is a valid int.
        let rc = unsafe { libc::waitpid(-pgid, &mut status, 0) };
        if rc > 0 {
            continue;
        }
        if rc < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break; // ECHILD: no child of ours is left in the group
    }
}

fn read_capped(mut stream: impl Read, cap: usize) -> (String, bool) {
    let mut kept = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut truncated = false;
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                if n > room {
                    truncated = true;
                }
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    (String::from_utf8_lossy(&kept).into_owned(), truncated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn shell(script: &str, deadline: Option<Duration>) -> CommandResult {
        let spec = CommandSpec {
            program: Program::Shell(script.into()),
            cwd: std::env::temp_dir(),
            env: vec![("GREETING".into(), "hi".into())],
            deadline: deadline.map(|d| Instant::now() + d),
        };
        run_command(&spec, 64).unwrap()
    }

    #[test]
    fn captures_output_and_exit_code() {
        let r = shell("echo $GREETING; echo oops >&2; exit 3", None);
        assert_eq!(r.exit_code, Some(3));
        assert_eq!(r.stdout, "hi\n");
        assert_eq!(r.stderr, "oops\n");
        assert!(!r.timed_out);
    }

    #[test]
    fn caps_output_and_marks_it() {
        let r = shell("yes x | head -c 1000", None);
        assert_eq!(r.stdout.len(), 64);
        assert!(r.stdout_truncated);
    }

    #[test]
    fn deadline_kills_the_whole_group() {
        let started = Instant::now();
        let r = shell(
            "sleep 30 & sleep 30; echo never",
            Some(Duration::from_millis(300)),
        );
        assert!(r.timed_out);
        assert_eq!(r.exit_code, None);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        assert!(!r.stdout.contains("never"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn what_the_command_leaves_in_its_group_is_killed_and_reaped_before_returning() {
        let r = shell("sleep 30 & echo $!", None);
        assert_eq!(r.exit_code, Some(0));
        let pid = r.stdout.trim();
        assert!(!pid.is_empty());
        // not even a zombie: mockops adopted the orphan and waited for it
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "the background sleep {pid} outlived the step"
        );
        assert_eq!(r.interrupted, None);
    }

    #[test]
    fn missing_program_is_named() {
        let spec = CommandSpec {
            program: Program::Argv(vec!["definitely-not-a-program-xyz".into()]),
            cwd: std::env::temp_dir(),
            env: vec![],
            deadline: None,
        };
        let err = run_command(&spec, 64).unwrap_err();
        assert!(
            err.to_string().contains("definitely-not-a-program-xyz"),
            "{err}"
        );
    }
}
