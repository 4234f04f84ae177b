//! `mockops federation serve`: the gateway run as a command, recording into the state
//! (the sink and the scenario source it reads), with its status line.

use super::context;
use super::federation_load::{active_scenario_of, pick, print_diags, record_levels};
use super::output::Printer;
use super::user_error;
use crate::federation::{self, Diagnostic, Federation, RecorderStatus, ScenarioFile, Severity};
use crate::project::Project;
use crate::store::Store;
use anyhow::Result;
use std::sync::{Arc, Mutex};

/// Where the gateway's exchanges go; those that name no CI run (no `x-mockops-ci-run`
/// header) get the CI run of the environment the gateway runs in, if any.
struct StoreSink {
    store: Mutex<Store>,
    ci_run: Option<String>,
}

impl StoreSink {
    /// Opens the state for the recorder and records the environment's CI run, if any.
    fn open(project: &Project) -> Result<StoreSink> {
        let store = Store::open_at(&project.state)?;
        let env: std::collections::HashMap<String, String> = std::env::vars().collect();
        let ci = crate::coverage::ingest::ci_env::ci_context(&env, None);
        if let Some(ci) = &ci {
            store.record_ci_run(ci, chrono::Utc::now().timestamp_millis())?;
        }
        Ok(StoreSink {
            store: Mutex::new(store),
            ci_run: ci.map(|c| c.run),
        })
    }
}

impl federation::ExchangeSink for StoreSink {
    /// One transaction per batch. A failed batch is lost, never the gateway: traffic keeps
    /// flowing, and the recorder counts the batch as dropped.
    fn record(
        &self,
        mut batch: Vec<crate::exchange::Exchange>,
    ) -> Result<(), federation::SinkError> {
        if let Some(run) = &self.ci_run {
            for x in batch.iter_mut().filter(|x| x.ci_run.is_none()) {
                x.ci_run = Some(run.clone());
            }
        }
        let mut store = self
            .store
            .lock()
            .map_err(|_| "the state file's lock was poisoned")?;
        store.insert_exchanges(&batch)?;
        Ok(())
    }
}

struct StoreScenarios {
    store: Mutex<Store>,
    fed: Federation,
}

impl federation::ScenarioSource for StoreScenarios {
    fn active(&self) -> Option<ScenarioFile> {
        let mut store = self.store.lock().ok()?;
        let scenario = active_scenario_of(Some(&store), &self.fed).ok().flatten();
        let _ = record_levels(&mut store, &self.fed, scenario.as_ref());
        scenario
    }
}

/// `--listen`: `IP:PORT` (`[::1]:PORT` for IPv6), or `localhost:PORT`, `:PORT` and a bare
/// `PORT`, which mean 127.0.0.1 (the gateway stays on loopback unless told otherwise).
fn listen_address(listen: &str) -> Option<std::net::SocketAddr> {
    let listen = listen.trim();
    if let Ok(addr) = listen.parse() {
        return Some(addr);
    }
    let port = listen
        .strip_prefix("localhost:")
        .or_else(|| listen.strip_prefix(':'))
        .unwrap_or(listen);
    let port: u16 = port.parse().ok()?;
    Some(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
}

pub(super) fn serve(
    project: &Project,
    name: Option<&str>,
    listen: &str,
    record: bool,
    out: &Printer,
) -> Result<()> {
    let fed = pick(project, name, out)?;
    let strict: Vec<Diagnostic> = federation::validate(&fed, true)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if print_diags(project, &strict, out) > 0 {
        return Err(user_error(
            "serve needs every service's URL for its reality level",
        ));
    }
    let addr = listen_address(listen).ok_or_else(|| {
        user_error(format!(
            "--listen {listen}: not an address (use IP:PORT, localhost:PORT or PORT, e.g. 127.0.0.1:8080)"
        ))
    })?;
    let mut opts = federation::ServeOptions {
        listen: addr,
        record,
        ..Default::default()
    };
    if let Some(queue) = record_queue_override() {
        opts.record_queue = queue;
    }
    let mut store = context::open_store(project, out)?;
    let scenario = active_scenario_of(Some(&store), &fed)?;
    record_levels(&mut store, &fed, scenario.as_ref())?;
    let sink = Arc::new(StoreSink::open(project)?);
    let scenarios = Arc::new(StoreScenarios {
        store: Mutex::new(store),
        fed: fed.clone(),
    });
    let _signals = crate::interrupt::scope(); // a signal is the gateway's stop request
    let handle =
        federation::serve(fed.clone(), opts, sink, scenarios.clone()).map_err(|e| match e {
            federation::FederationError::Bind { .. } => user_error(e.to_string()),
            other => anyhow::Error::from(other),
        })?;
    eprintln!(
        "federation `{}` listening on http://{}",
        fed.name,
        handle.local_addr()
    );
    let run = record
        .then(|| lock(&scenarios.store).start_gateway_run(&fed.name, chrono::Utc::now()))
        .transpose()?;
    let mut reported = RecorderStatus::default();
    let mut last_report = std::time::Instant::now();
    while crate::interrupt::signal().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if last_report.elapsed() < STATUS_EVERY {
            continue;
        }
        last_report = std::time::Instant::now();
        let Some((run, now)) = run.zip(handle.recorder_status()) else {
            continue;
        };
        if now != reported {
            // Stored as it goes, so a gateway that is killed leaves its counters behind.
            let _ = lock(&scenarios.store).update_gateway_run(run, gateway_counts(&now), None);
        }
        if now.dropped > reported.dropped {
            out.warn(&status_line("recorder behind", &now));
        }
        reported = now;
    }
    crate::interrupt::acknowledge();
    // Shut down first: the recorder hands over everything it holds, and what it could not
    // store is counted by then.
    let status = handle.shutdown();
    if let (Some(run), Some(status)) = (run, status) {
        lock(&scenarios.store).update_gateway_run(
            run,
            gateway_counts(&status),
            Some(chrono::Utc::now()),
        )?;
        if status.dropped > 0 {
            out.warn(&status_line("gateway stopped", &status));
        } else {
            out.info(&status_line("gateway stopped", &status));
        }
    } else {
        out.info("gateway stopped");
    }
    Ok(())
}

/// How often a running gateway stores its recorder's counters (and warns of new drops).
const STATUS_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// `MOCKOPS_RECORD_QUEUE=N`: how many exchanges may wait for the recorder (hidden; tests
/// use 0 to see every exchange dropped and counted).
fn record_queue_override() -> Option<usize> {
    std::env::var("MOCKOPS_RECORD_QUEUE")
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn gateway_counts(s: &RecorderStatus) -> crate::store::GatewayCounts {
    crate::store::GatewayCounts {
        received: s.received,
        recorded: s.recorded,
        dropped: s.dropped,
        held: s.held,
    }
}

/// `gateway stopped: 1200 exchange(s) recorded, 0 dropped` (and how many answers waited
/// for the recorder, when some did).
fn status_line(what: &str, s: &RecorderStatus) -> String {
    let mut line = format!(
        "{what}: {} exchange(s) recorded, {} dropped",
        s.recorded, s.dropped
    );
    if s.held > 0 {
        line.push_str(&format!(", {} answer(s) waited for the recorder", s.held));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::listen_address;

    #[test]
    fn listen_takes_an_address_or_a_loopback_port() {
        let at = |s: &str| listen_address(s).map(|a| a.to_string());
        assert_eq!(at("0.0.0.0:9000").as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(at("[::1]:9000").as_deref(), Some("[::1]:9000"));
        for loopback in ["9000", ":9000", "localhost:9000", " 9000 "] {
            assert_eq!(
                at(loopback).as_deref(),
                Some("127.0.0.1:9000"),
                "{loopback}"
            );
        }
        for bad in ["", "localhost", "99999", "host:80", "127.0.0.1", "-1"] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }
}
