//! Bounded load test of `federation serve`: 64 keep-alive connections against a hyper mock
//! upstream. Each of `MOCKOPS_LOAD_ROUNDS` rounds (default 3) calls the upstream directly,
//! then through the gateway (and through a peer proxy and a raw relay when asked), and
//! prints throughput, p50/p99 latency, the process RSS and each proxy's share of that
//! round's direct throughput; then the median share over the rounds. Then direct and
//! gateway again at a fixed 1,600 requests/s, where the difference in p99 is the latency
//! the gateway adds rather than queueing behind a saturated CPU. Runs about
//! (2 + rounds × (2 + peer + relay)) × `SECONDS` and stops by itself.
//!
//! `cargo run --release --example gateway_load [SECONDS] [WORKERS] [store|count|norecord]`
//!
//! `store` (the default) records every exchange into a real state file, as `federation
//! serve` does; `count` hands batches to a sink that only counts them; `norecord` records
//! nothing.
//!
//! To compare with another proxy on the same machine and load, bind the upstream at a
//! known address with `MOCKOPS_LOAD_UPSTREAM=127.0.0.1:18080` and name the peer, which must
//! forward `/api/…` to that upstream as `/…`, with `MOCKOPS_LOAD_PEER=127.0.0.1:18090`
//! (the README shows an nginx configuration); the peer is measured like the gateway.
//! `MOCKOPS_LOAD_ROUNDS=0` skips the closed-loop rounds and measures only the fixed rate.
//!
//! `MOCKOPS_LOAD_RELAY=1` also measures the floor of any proxy on this machine: a raw TCP
//! relay (one thread, like the gateway) that copies bytes between each client connection
//! and its own upstream connection, parsing nothing — the two reads and two writes per
//! request that every HTTP proxy must make, and nothing else.
//!
//! `MOCKOPS_LOAD_PIN=1` gives the proxy a core of its own, as a proxy bench on separate
//! machines would: the load generator and the upstream run on CPU 0, the gateway's threads
//! (and the relay) on CPU 1. Direct calls then use one core, as before, and a proxy keeps
//! up as long as its cost per request is below the client's and upstream's together. Pin
//! a peer the same way (`taskset -c 1 nginx …`).

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use mockops::exchange::Exchange;
use mockops::federation::{
    parse_str, serve, ExchangeSink, ScenarioFile, ScenarioSource, ServeOptions,
};
use mockops::store::Store;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 64;

struct CountingSink(AtomicU64);
impl ExchangeSink for CountingSink {
    fn record(&self, batch: Vec<Exchange>) {
        self.0.fetch_add(batch.len() as u64, Ordering::Relaxed);
    }
}

/// What `federation serve` does with a batch: insert it into the state file.
struct StoreSink(std::sync::Mutex<Store>, AtomicU64);
impl ExchangeSink for StoreSink {
    fn record(&self, batch: Vec<Exchange>) {
        self.1.fetch_add(batch.len() as u64, Ordering::Relaxed);
        if let Ok(mut store) = self.0.lock() {
            let _ = store.insert_exchanges(&batch);
        }
    }
}

struct NoScenario;
impl ScenarioSource for NoScenario {
    fn active(&self) -> Option<ScenarioFile> {
        None
    }
}

/// CPU of the load generator and the upstream under `MOCKOPS_LOAD_PIN`.
const CLIENT_CPU: usize = 0;
/// CPU of the proxy under measurement under `MOCKOPS_LOAD_PIN`.
const PROXY_CPU: usize = 1;

fn pinning() -> bool {
    std::env::var("MOCKOPS_LOAD_PIN").is_ok_and(|v| v == "1")
}

/// Under `MOCKOPS_LOAD_PIN`, keeps the calling thread (and the threads it starts) on `cpu`.
fn pin_current_thread(cpu: usize) {
    if !pinning() {
        return;
    }
    // SAFETY: `set` is a zeroed, owned cpu_set_t; pid 0 names the calling thread.
    let pinned = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    assert_eq!(pinned, 0, "cannot pin a thread to CPU {cpu}");
}

/// Binds `at` and serves each accepted connection with `serve` on its own one-thread
/// runtime (like the gateway's), on `cpu` under `MOCKOPS_LOAD_PIN`; returns the bound
/// address.
fn serve_on_thread<F, Fut>(at: &str, cpu: usize, serve: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = std::net::TcpListener::bind(at).expect("bind");
    let addr = listener.local_addr().expect("bound address");
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        pin_current_thread(cpu);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream));
            }
        });
    });
    addr
}

/// A one-thread hyper server answering a small JSON body.
fn start_upstream() -> SocketAddr {
    let at = std::env::var("MOCKOPS_LOAD_UPSTREAM").unwrap_or_else(|_| "127.0.0.1:0".into());
    serve_on_thread(&at, CLIENT_CPU, |stream| async move {
        let service = service_fn(|_req: Request<hyper::body::Incoming>| async {
            Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(
                b"{\"ok\":true,\"id\":42}",
            ))))
        });
        let _ = http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service)
            .await;
    })
}

/// The raw TCP relay of `MOCKOPS_LOAD_RELAY`: `/api/x` is not rewritten, which the upstream
/// (answering every path alike) does not mind.
fn start_relay(upstream: SocketAddr) -> SocketAddr {
    serve_on_thread("127.0.0.1:0", PROXY_CPU, move |mut client| async move {
        let Ok(mut server) = TcpStream::connect(upstream).await else {
            return;
        };
        let _ = server.set_nodelay(true);
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    })
}

/// One keep-alive connection sending GETs until `until` — back to back, or one every
/// `pace` when given; returns latencies in µs.
async fn client(
    addr: SocketAddr,
    path: &'static str,
    until: Instant,
    pace: Option<Duration>,
    offset: Duration,
) -> Vec<u32> {
    let mut latencies = Vec::new();
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return latencies;
    };
    let _ = stream.set_nodelay(true);
    let request =
        format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\naccept: application/json\r\n\r\n");
    let mut buf = vec![0u8; 16 * 1024];
    // Paced connections start spread over one period, not in one burst.
    let mut next = Instant::now() + offset;
    while Instant::now() < until {
        if let Some(pace) = pace {
            tokio::time::sleep_until(next.into()).await;
            next += pace;
        }
        let start = Instant::now();
        if stream.write_all(request.as_bytes()).await.is_err() {
            break;
        }
        let mut filled = 0;
        loop {
            let Ok(n) = stream.read(&mut buf[filled..]).await else {
                return latencies;
            };
            if n == 0 {
                return latencies;
            }
            filled += n;
            if response_complete(&buf[..filled]) {
                break;
            }
        }
        latencies.push(start.elapsed().as_micros() as u32);
    }
    latencies
}

fn response_complete(data: &[u8]) -> bool {
    let Some(head_end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    data.len() >= head_end + 4 + length
}

fn run(addr: SocketAddr, path: &'static str, seconds: u64) -> (f64, u32, u32) {
    run_with(addr, path, seconds, None)
}

/// `pace`: each connection sends one request per `pace` (an open, unsaturated load).
fn run_with(
    addr: SocketAddr,
    path: &'static str,
    seconds: u64,
    pace: Option<Duration>,
) -> (f64, u32, u32) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut all: Vec<u32> = rt.block_on(async {
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|i| {
                let offset = pace.unwrap_or_default() * i as u32 / CONNECTIONS as u32;
                tokio::spawn(client(addr, path, until, pace, offset))
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap_or_default());
        }
        all
    });
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    (all.len() as f64 / elapsed, pct(0.50), pct(0.99))
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(4);
    let upstream = start_upstream();
    let fed = parse_str(
        Path::new("load.yaml"),
        &format!(
            "name: load\nservices:\n  - {{name: api, workspace_id: w, base_path: /api, reality_level: mock_v3, mock_url: \"http://{upstream}\"}}\n"
        ),
    )
    .expect("federation parses");
    let workers: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(ServeOptions::default().worker_threads);
    let mode = std::env::args().nth(3).unwrap_or_else(|| "store".into());
    let record = mode != "norecord";
    let state_dir = tempfile::tempdir().expect("temporary directory");
    let counter = Arc::new(CountingSink(AtomicU64::new(0)));
    let (sink, recorded): (Arc<dyn ExchangeSink>, Box<dyn Fn() -> u64>) = if mode == "store" {
        let store = Store::open(&state_dir.path().join("state.db")).expect("state file");
        let sink = Arc::new(StoreSink(std::sync::Mutex::new(store), AtomicU64::new(0)));
        (
            sink.clone(),
            Box::new(move || sink.1.load(Ordering::Relaxed)),
        )
    } else {
        (
            counter.clone(),
            Box::new(move || counter.0.load(Ordering::Relaxed)),
        )
    };
    println!("gateway: {workers} worker thread(s), recording: {mode}");
    let opts = ServeOptions {
        listen: "127.0.0.1:0".parse().expect("address"),
        worker_threads: workers,
        record,
        ..ServeOptions::default()
    };
    // The gateway's threads inherit the affinity of the thread that starts them.
    pin_current_thread(PROXY_CPU);
    let gateway = serve(fed, opts, sink, Arc::new(NoScenario)).expect("gateway starts");
    pin_current_thread(CLIENT_CPU);
    if pinning() {
        println!("pinned: client and upstream on CPU {CLIENT_CPU}, proxy on CPU {PROXY_CPU}");
    }
    let gateway_addr = gateway.local_addr();

    let rounds: usize = std::env::var("MOCKOPS_LOAD_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let peer: Option<SocketAddr> = std::env::var("MOCKOPS_LOAD_PEER")
        .ok()
        .and_then(|a| a.parse().ok());
    let relay = std::env::var("MOCKOPS_LOAD_RELAY")
        .is_ok_and(|v| v == "1")
        .then(|| start_relay(upstream));
    // Each round measures direct calls again, so that every ratio compares runs made
    // seconds apart (this VM's speed drifts by up to 2× over minutes).
    let mut ratios: [(&str, Option<SocketAddr>, Vec<f64>); 3] = [
        ("gateway", Some(gateway_addr), Vec::new()),
        ("peer", peer, Vec::new()),
        ("relay", relay, Vec::new()),
    ];
    for round in 1..=rounds {
        let (direct_rps, p50, p99) = run(upstream, "/users/42", seconds);
        println!(
            "round {round} direct:  {direct_rps:>9.0} req/s  p50 {p50:>6} µs  p99 {p99:>6} µs"
        );
        for (name, addr, ratios) in &mut ratios {
            let Some(addr) = *addr else { continue };
            let (rps, p50, p99) = run(addr, "/api/users/42", seconds);
            ratios.push(rps / direct_rps);
            println!(
                "round {round} {name:<8} {rps:>9.0} req/s  p50 {p50:>6} µs  p99 {p99:>6} µs  {:>3.0} % of direct  rss {} KiB",
                rps / direct_rps * 100.0,
                rss_kib()
            );
        }
    }
    for (name, _, mut ratios) in ratios {
        if ratios.is_empty() {
            continue;
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "{name}/direct throughput: median {:.0} % (min {:.0} %, max {:.0} %) over {} rounds",
            ratios[ratios.len() / 2] * 100.0,
            ratios[0] * 100.0,
            ratios[ratios.len() - 1] * 100.0,
            ratios.len()
        );
    }
    // Added latency without queueing: 64 connections at 25 requests/s each (1,600/s).
    // Pinned, a lightly loaded proxy sleeps on its own idle vCPU and every request waits
    // for that vCPU to be woken: nginx and the gateway alike measured 7–12 ms p99 so.
    let pace = Some(Duration::from_millis(40));
    if pinning() {
        println!(
            "at 1,600 req/s:  not measured when pinned (wake-ups of the idle proxy CPU dominate)"
        );
        let dropped = gateway.dropped_exchanges();
        gateway.shutdown();
        println!("recorded: {}   dropped: {dropped}", recorded());
        return;
    }
    let (_, paced_direct_p50, paced_direct_p99) = run_with(upstream, "/users/42", seconds, pace);
    let (_, paced_p50, paced_p99) = run_with(gateway_addr, "/api/users/42", seconds, pace);
    println!(
        "at 1,600 req/s:  direct p50 {paced_direct_p50} µs p99 {paced_direct_p99} µs; gateway p50 {paced_p50} µs p99 {paced_p99} µs; added p99 {} µs",
        paced_p99 as i64 - paced_direct_p99 as i64
    );
    if let Some(peer) = peer {
        let (_, peer_p50, peer_p99) = run_with(peer, "/api/users/42", seconds, pace);
        println!(
            "at 1,600 req/s:  peer p50 {peer_p50} µs p99 {peer_p99} µs; added p99 {} µs",
            peer_p99 as i64 - paced_direct_p99 as i64
        );
    }
    let dropped = gateway.dropped_exchanges();
    gateway.shutdown();
    println!("recorded: {}   dropped: {dropped}", recorded());
}
