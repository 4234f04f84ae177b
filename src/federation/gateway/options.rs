//! How the gateway runs: [`ServeOptions`] and their defaults.

use std::net::SocketAddr;
use std::time::Duration;

/// How the gateway runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Default `127.0.0.1:8080` (loopback unless told otherwise).
    pub listen: SocketAddr,
    /// Record exchanges (`--no-record` sets false).
    pub record: bool,
    /// Request bodies above this are answered 413.
    pub max_body_bytes: usize,
    /// Bodies above this are recorded without their text.
    pub record_body_cap: usize,
    /// Upstream timeout when a service's config has no `timeout_ms`.
    pub default_timeout: Duration,
    /// How often the scenario source is asked (≤ 1 s keeps pick-up within 2 s).
    pub scenario_poll: Duration,
    /// Worker threads of the runtime (default: 1 on machines with ≤ 2 cores, else 2).
    pub worker_threads: usize,
    /// How long `shutdown` waits for requests in flight.
    pub shutdown_grace: Duration,
    /// Exchanges that may wait for the recorder; past that, answers wait for room.
    pub record_queue: usize,
    /// The longest an answer waits for room in a full recorder buffer before its exchange
    /// is dropped (and counted).
    pub record_hold: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            record: true,
            max_body_bytes: 10 * 1024 * 1024,
            record_body_cap: 64 * 1024,
            default_timeout: Duration::from_secs(30),
            scenario_poll: Duration::from_millis(500),
            // The gateway shares the machine with the mock servers it fronts: on 2 cores one
            // worker measured faster (less contention) than two.
            worker_threads: std::thread::available_parallelism().map_or(1, |n| {
                if n.get() <= 2 {
                    1
                } else {
                    2
                }
            }),
            shutdown_grace: Duration::from_secs(10),
            record_queue: 16 * 1024,
            record_hold: Duration::from_secs(1),
        }
    }
}
