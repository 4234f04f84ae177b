//! Ctrl-C, SIGTERM and SIGHUP while mockops runs steps: what a signal stops, in which
//! order, and which signal it was (for the exit code 128 + signal number).
//!
//! [`install`] (called once by the CLI) starts a thread that receives the signals. While
//! no [`Scope`] is open a signal keeps its default action (mockops ends at once, as any
//! program would). While one is open (a batch of pipeline runs, `watch`, the gateway):
//! - the first signal is recorded ([`signal`]) and every callback registered with
//!   [`on_signal`] is called with [`Phase::Terminate`] (step process groups get SIGTERM,
//!   waits end); [`GRACE`] later they are called with [`Phase::Kill`] (SIGKILL);
//! - a second signal calls them with [`Phase::Kill`] at once, and if mockops has not
//!   ended [`FORCE_EXIT_AFTER`] later (stuck in a call that cannot be cut), it exits.
//!
//! The executor notices [`signal`] between and after steps, stores what was cut as
//! `interrupted` and stops. Nothing here prints.

use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, Once};
use std::time::Duration;

/// How long a step's processes have between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(2);

/// After a second signal, how long mockops waits for its own bookkeeping before it exits.
pub const FORCE_EXIT_AFTER: Duration = Duration::from_secs(1);

/// What a signal asks of whatever mockops is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Stop now, politely (SIGTERM to process groups; waits end).
    Terminate,
    /// Stop at once (SIGKILL to process groups).
    Kill,
}

/// Why [`Phase::Kill`] came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KillReason {
    Grace,
    SecondSignal,
}

type Callback = Box<dyn Fn(Phase) + Send>;

struct State {
    /// The first signal received inside a scope.
    signal: Option<i32>,
    count: u32,
    kill: Option<KillReason>,
    scopes: usize,
    /// A long-running command (`watch`, the gateway) took the signal as its stop request.
    acknowledged: bool,
    next_id: u64,
    callbacks: Vec<(u64, Callback)>,
}

static STATE: Mutex<State> = Mutex::new(State {
    signal: None,
    count: 0,
    kill: None,
    scopes: 0,
    acknowledged: false,
    next_id: 0,
    callbacks: Vec::new(),
});

fn state() -> MutexGuard<'static, State> {
    // a callback that panicked must not stop the others from ever running again
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The signals handled.
const SIGNALS: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Starts receiving SIGINT, SIGTERM and SIGHUP (once per process; later calls do nothing).
pub fn install() -> std::io::Result<()> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = signal_hook::iterator::Signals::new(SIGNALS).and_then(|mut signals| {
            std::thread::Builder::new()
                .name("mockops-signals".into())
                .spawn(move || {
                    for sig in signals.forever() {
                        received(sig);
                    }
                })
                .map(|_| ())
        });
    });
    result
}

fn received(sig: i32) {
    let mut st = state();
    if st.scopes == 0 {
        drop(st);
        die_by(sig);
    }
    st.count += 1;
    if st.count == 1 {
        st.signal = Some(sig);
        notify(&st, Phase::Terminate);
        drop(st);
        std::thread::spawn(|| {
            std::thread::sleep(GRACE);
            let mut st = state();
            if st.kill.is_none() {
                st.kill = Some(KillReason::Grace);
                notify(&st, Phase::Kill);
            }
        });
    } else {
        if st.kill.is_none() {
            st.kill = Some(KillReason::SecondSignal);
        }
        notify(&st, Phase::Kill);
        let code = exit_code(st.signal.unwrap_or(sig));
        drop(st);
        std::thread::spawn(move || {
            std::thread::sleep(FORCE_EXIT_AFTER);
            std::process::exit(code);
        });
    }
}

fn notify(st: &State, phase: Phase) {
    for (_, callback) in &st.callbacks {
        callback(phase);
    }
}

/// The signal's default action: end the process by it (as without a handler).
fn die_by(sig: i32) -> ! {
    // SAFETY: restoring the default disposition and signalling ourselves; no memory is
    // touched. The default action of these signals ends the process.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::kill(libc::getpid(), sig);
    }
    std::process::exit(exit_code(sig));
}

/// While alive, signals are received rather than ending mockops at once.
#[must_use = "signals are received only while the scope lives"]
pub struct Scope(());

impl Drop for Scope {
    fn drop(&mut self) {
        let mut st = state();
        st.scopes = st.scopes.saturating_sub(1);
    }
}

/// Opens a scope (scopes nest).
pub fn scope() -> Scope {
    state().scopes += 1;
    Scope(())
}

/// The first signal received inside a scope, if any.
pub fn signal() -> Option<i32> {
    state().signal
}

/// `watch` and the gateway stop on a signal by design: the signal then does not make
/// mockops exit with 128 + signal by itself (a run it cut still does).
pub fn acknowledge() {
    state().acknowledged = true;
}

/// A signal received and not taken as a stop request: the command was interrupted.
pub fn unacknowledged() -> Option<i32> {
    let st = state();
    st.signal.filter(|_| !st.acknowledged)
}

/// A registered callback; dropping it unregisters it.
pub struct Registration(u64);

impl Drop for Registration {
    fn drop(&mut self) {
        state().callbacks.retain(|(id, _)| *id != self.0);
    }
}

/// Calls `callback` with each phase of an interruption. Phases that already happened are
/// delivered at once, before this returns, so no signal is missed.
pub fn on_signal(callback: impl Fn(Phase) + Send + 'static) -> Registration {
    let mut st = state();
    if st.signal.is_some() {
        callback(Phase::Terminate);
    }
    if st.kill.is_some() {
        callback(Phase::Kill);
    }
    st.next_id += 1;
    let id = st.next_id;
    st.callbacks.push((id, Box::new(callback)));
    Registration(id)
}

/// Sleeps for `duration` unless a signal comes first. Returns whether it slept fully.
pub fn sleep(duration: Duration) -> bool {
    let (tx, rx) = mpsc::channel();
    let _registration = on_signal(move |_| {
        let _ = tx.send(());
    });
    matches!(
        rx.recv_timeout(duration),
        Err(mpsc::RecvTimeoutError::Timeout)
    )
}

/// Runs `work` on its own thread and waits for its result, unless a signal comes first:
/// then `None`, and the thread is left to finish or to end with mockops. For blocking
/// calls that cannot be cut (a network request waiting for an answer).
pub fn abandon_on_signal<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    let wake = tx.clone();
    let _registration = on_signal(move |_| {
        let _ = wake.send(None);
    });
    if signal().is_some() {
        return None;
    }
    std::thread::spawn(move || {
        let _ = tx.send(Some(work()));
    });
    rx.recv().ok().flatten()
}

/// The exit code for a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
pub fn exit_code(sig: i32) -> i32 {
    128 + sig
}

/// The signal's name (`SIGINT`).
pub fn name(sig: i32) -> String {
    match sig {
        libc::SIGINT => "SIGINT".into(),
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGHUP => "SIGHUP".into(),
        other => format!("signal {other}"),
    }
}

/// "interrupted by SIGINT" (or "not interrupted").
pub fn describe() -> String {
    match signal() {
        Some(sig) => format!("interrupted by {}", name(sig)),
        None => "not interrupted".into(),
    }
}

/// What the signals did to a step's process group so far, for its record.
pub fn process_fate() -> String {
    match state().kill {
        None => "its process group was sent SIGTERM".to_string(),
        Some(KillReason::Grace) => format!(
            "its process group was sent SIGTERM and, still running {} s later, SIGKILL",
            GRACE.as_secs()
        ),
        Some(KillReason::SecondSignal) => {
            "its process group was sent SIGTERM, then SIGKILL at a second signal".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_exit_codes() {
        assert_eq!(exit_code(libc::SIGINT), 130);
        assert_eq!(exit_code(libc::SIGTERM), 143);
        assert_eq!(name(libc::SIGTERM), "SIGTERM");
    }
}
