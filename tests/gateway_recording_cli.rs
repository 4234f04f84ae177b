//! `federation serve` records every exchange it answered: a clean stop (SIGINT, SIGTERM)
//! drains the recorder before the process exits, and exchanges the recorder could not
//! store are counted in the status line and in the state file, never lost silently. On
//! both backends: the gateway records into PostgreSQL the same way.

mod common;
#[path = "common/gateway.rs"]
mod gateway;
use common::{Backend, Project};
use gateway::*;
use mockops::store::{GatewayRun, Location, Store};
use std::time::Duration;

/// Threads sending requests at once, and requests each sends.
const CLIENTS: usize = 8;
const EACH: usize = 75;

fn project(mock: &Upstream, backend: Backend) -> Project {
    let p = Project::on(backend);
    p.write(
        "federations/shop.yaml",
        &format!(
            "services:\n  - name: pay\n    base_path: /pay\n    workspace_id: pay-ws\n    \
             reality_level: mock_v3\n    mock_url: {}\n",
            mock.url()
        ),
    );
    p
}

/// Sends `CLIENTS × EACH` requests from `CLIENTS` threads at once; all must be answered.
fn load(port: u16) -> usize {
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            std::thread::spawn(move || {
                let http = agent();
                for i in 0..EACH {
                    let r = get(&http, &format!("http://127.0.0.1:{port}/pay/{c}/{i}"));
                    assert_eq!(r.status, 200, "{}", r.body);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    CLIENTS * EACH
}

/// Stops the gateway with `signal` right after the load; returns its log.
fn stop(mut gateway: ChildGuard, log: &std::sync::Mutex<String>, signal: libc::c_int) -> String {
    let status = gateway.stop_with(signal, Duration::from_secs(30));
    let log = log.lock().unwrap().clone();
    let status = status.unwrap_or_else(|| panic!("gateway did not stop:\n{log}"));
    assert!(status.success(), "{status:?}:\n{log}");
    log
}

/// What the state holds: exchanges, and the gateway's runs.
fn stored(p: &Project) -> (u64, Vec<GatewayRun>) {
    let store = match p.state_url() {
        Some(url) => Store::open_at(&Location::parse(&url, p.root()).unwrap()).unwrap(),
        None => Store::open_read_only(&p.root().join(".mockops/state.db"))
            .unwrap()
            .expect("the state file exists"),
    };
    (
        store.exchange_count(None).unwrap(),
        store.gateway_runs("shop").unwrap(),
    )
}

backends! {
    /// Every exchange answered is stored, also when the recorder's buffer is far smaller than
    /// the load (4 places for 8 clients: answers then wait for room instead of being dropped).
    fn a_clean_stop_stores_every_exchange_answered(backend) {
        let mock = Upstream::start(mock_answer);
        let p = project(&mock, backend);
        let rounds = [(1, libc::SIGINT, "4"), (2, libc::SIGTERM, "16384")];
        for (round, signal, queue) in rounds {
            let port = free_port();
            let (gateway, log) =
                start_gateway_env(&p, port, "shop", &[], &[("MOCKOPS_RECORD_QUEUE", queue)]);
            let sent = load(port);
            let log = stop(gateway, &log, signal);
            let (exchanges, runs) = stored(&p);
            assert_eq!(exchanges, (round * sent) as u64, "{log}");
            let run = &runs[round - 1];
            assert_eq!(
                (run.counts.received, run.counts.recorded, run.counts.dropped),
                (sent as u64, sent as u64, 0),
                "{run:?}"
            );
            assert!(run.stopped_at.is_some(), "{run:?}");
            assert!(
                log.contains(&format!(
                    "gateway stopped: {sent} exchange(s) recorded, 0 dropped"
                )) && !log.contains("warning:"),
                "{log}"
            );
        }
    }
}

backends! {
    /// A recorder that cannot keep up says so: forced here with a queue where nothing may wait
    /// (`MOCKOPS_RECORD_QUEUE=0`), so every exchange is dropped — and each is counted.
    fn exchanges_the_recorder_cannot_take_are_counted_in_the_status_line_and_the_state_file(backend) {
        let mock = Upstream::start(mock_answer);
        let p = project(&mock, backend);
        let port = free_port();
        let (gateway, log) = start_gateway_env(&p, port, "shop", &[], &[("MOCKOPS_RECORD_QUEUE", "0")]);
        let sent = load(port);
        let log = stop(gateway, &log, libc::SIGINT);
        let (exchanges, runs) = stored(&p);
        assert_eq!(exchanges, 0, "{log}");
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(
            (runs[0].counts.received, runs[0].counts.dropped),
            (sent as u64, sent as u64),
            "{runs:?}"
        );
        assert!(
            log.contains(&format!(
                "warning: gateway stopped: 0 exchange(s) recorded, {sent} dropped"
            )),
            "{log}"
        );
    }
}

backends! {
    /// While it serves, a gateway whose recorder drops exchanges warns within the status
    /// interval (5 s) and stores its counters as it goes: a gateway killed outright
    /// (SIGKILL, no clean stop) leaves them in the state.
    fn a_recorder_that_drops_warns_while_serving_and_a_killed_gateway_leaves_its_counts(backend) {
        let mock = Upstream::start(mock_answer);
        let p = project(&mock, backend);
        let port = free_port();
        let (mut gateway, log) =
            start_gateway_env(&p, port, "shop", &[], &[("MOCKOPS_RECORD_QUEUE", "0")]);
        let sent = load(port);
        // Counted as each answer goes out; reported at the next status tick (every 5 s).
        let expected = format!("warning: recorder behind: 0 exchange(s) recorded, {sent} dropped");
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !log.lock().unwrap().contains(&expected) {
            assert!(
                std::time::Instant::now() < deadline,
                "no `{expected}` while serving:\n{}",
                log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let status = gateway.stop_with(libc::SIGKILL, Duration::from_secs(30));
        assert!(status.is_some_and(|s| !s.success()), "{status:?}");
        let (exchanges, runs) = stored(&p);
        assert_eq!(exchanges, 0);
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(
            (runs[0].counts.received, runs[0].counts.dropped),
            (sent as u64, sent as u64),
            "{runs:?}"
        );
        assert!(runs[0].stopped_at.is_none(), "killed, never stopped: {runs:?}");
    }
}
