//! `federation serve`: a local HTTP gateway that routes each request to its service and
//! behaves per reality level (hyper 1 + tokio; keep-alive upstream connections held per
//! downstream connection).
//!
//! The gateway knows nothing of the state file: exchanges leave through an
//! [`ExchangeSink`] (in batches, from a background thread) and the active scenario comes
//! from a [`ScenarioSource`] polled every [`ServeOptions::scenario_poll`].

mod behaviour;
mod forward;
mod options;
mod proxy;
mod recorder;
#[cfg(test)]
mod tests;
mod upstream;

use super::router::Router;
use super::scenario::ScenarioFile;
use super::validate::{url_problem, validate};
use super::{Federation, FederationError};
pub use options::ServeOptions;
use proxy::State;
use recorder::Recorder;
pub use recorder::{ExchangeSink, RecorderStatus, SinkError};
use std::net::SocketAddr;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::watch;

/// Which scenario is active now (polled, so a change made by another process shows up).
pub trait ScenarioSource: Send + Sync + 'static {
    fn active(&self) -> Option<ScenarioFile>;
}

/// A running gateway. [`ServeHandle::shutdown`] (also run on drop) stops accepting,
/// finishes requests in flight and flushes the recorder. Call it outside any async runtime.
pub struct ServeHandle {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    /// The thread driving the runtime (accepting and serving until told to stop).
    server: Option<JoinHandle<()>>,
    poller: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
    recorder: Option<Arc<Recorder>>,
}

impl ServeHandle {
    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Exchanges dropped because the recorder could not keep up.
    pub fn dropped_exchanges(&self) -> u64 {
        self.recorder_status().map_or(0, |s| s.dropped)
    }

    /// The recorder's counters (`None` when not recording).
    pub fn recorder_status(&self) -> Option<RecorderStatus> {
        self.recorder.as_ref().map(|r| r.status())
    }

    /// Graceful shutdown; returns when the recorder has handed over everything, with its
    /// final counters (`None` when not recording).
    pub fn shutdown(mut self) -> Option<RecorderStatus> {
        self.stop_all()
    }

    fn stop_all(&mut self) -> Option<RecorderStatus> {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            // The accept loop waits at most the grace period for requests in flight.
            let _ = server.join();
        }
        if let Some((stop, thread)) = self.poller.take() {
            let _ = stop.send(());
            let _ = thread.join();
        }
        let recorder = self.recorder.take()?;
        recorder.finish();
        Some(recorder.status())
    }
}

impl Drop for ServeHandle {
    fn drop(&mut self) {
        let _ = self.stop_all();
    }
}

/// Starts the gateway and returns once it listens. Refuses a federation that does not
/// validate strictly (a level missing its URL is an error here) or uses `https` upstreams.
pub fn serve(
    fed: Federation,
    opts: ServeOptions,
    sink: Arc<dyn ExchangeSink>,
    scenarios: Arc<dyn ScenarioSource>,
) -> Result<ServeHandle, FederationError> {
    let errors: Vec<_> = validate(&fed, true)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if !errors.is_empty() {
        return Err(FederationError::Invalid(errors));
    }
    for s in &fed.services {
        for url in [&s.mock_url, &s.upstream_url].into_iter().flatten() {
            if url_problem(url).is_none() && !url.starts_with("http://") {
                return Err(FederationError::Start(format!(
                    "service `{}`: `{url}`: the gateway forwards plain http:// only",
                    s.name
                )));
            }
        }
    }
    let listener =
        std::net::TcpListener::bind(opts.listen).map_err(|source| FederationError::Bind {
            addr: opts.listen,
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| FederationError::Start(e.to_string()))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| FederationError::Start(e.to_string()))?;
    // One worker: a single-threaded runtime, so a request and its upstream call never
    // hop between threads (each hop is a wake-up of another thread: tens of µs in a VM).
    let runtime = if opts.worker_threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(opts.worker_threads)
            .thread_name("mockops-gateway")
            .enable_all()
            .build()
    }
    .map_err(|e| FederationError::Start(format!("cannot start the runtime: {e}")))?;
    let recorder = if opts.record {
        Some(
            Recorder::start(sink, opts.record_queue, opts.record_hold)
                .map_err(|e| FederationError::Start(e.to_string()))?,
        )
    } else {
        None
    };
    let router = Router::build(&fed);
    let initial = scenarios.active();
    let state = {
        let _guard = runtime.enter();
        Arc::new(State::new(
            fed,
            router,
            opts.clone(),
            recorder.clone(),
            initial,
        )?)
    };
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener)
            .map_err(|e| FederationError::Start(e.to_string()))?
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    let poller = start_poller(state.clone(), scenarios, opts.scenario_poll)?;
    let grace = opts.shutdown_grace;
    let server = std::thread::Builder::new()
        .name("mockops-gateway".into())
        .spawn(move || {
            runtime.block_on(proxy::accept_loop(listener, state, stop_rx, grace));
            runtime.shutdown_timeout(Duration::from_secs(1));
        })
        .map_err(|e| FederationError::Start(format!("cannot start the gateway thread: {e}")))?;
    Ok(ServeHandle {
        addr,
        stop: stop_tx,
        server: Some(server),
        poller: Some(poller),
        recorder,
    })
}

/// Asks the scenario source every `every` on a plain thread (the source may block on disk).
fn start_poller(
    state: Arc<State>,
    scenarios: Arc<dyn ScenarioSource>,
    every: Duration,
) -> Result<(mpsc::Sender<()>, JoinHandle<()>), FederationError> {
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("mockops-scenarios".into())
        .spawn(move || loop {
            match stop_rx.recv_timeout(every) {
                Err(mpsc::RecvTimeoutError::Timeout) => state.set_scenario(scenarios.active()),
                _ => return,
            }
        })
        .map_err(|e| FederationError::Start(e.to_string()))?;
    Ok((stop_tx, thread))
}
