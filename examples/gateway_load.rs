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
//! (serving and recording) and the relay on CPU 1. Direct calls then use one core, as
//! before, and a proxy keeps up as long as its cost per request is below the client's and
//! upstream's together. Pin a peer the same way (`taskset -c 1 nginx …`).
//!
//! `MOCKOPS_LOAD_PEER=nginx` starts nginx itself (the `nginx` on `PATH`; Debian's
//! `nginx-light` will do) as the peer, on a free port, with the configuration
//! docs/performance.md shows (one worker process, upstream keep-alive, no access log,
//! connections kept open for 1,000,000 requests: at nginx's default of 1,000 it closed
//! them, and the clients here stop when their connection closes), on CPU 1 under
//! `MOCKOPS_LOAD_PIN=1`, and stops it at the end; its error log stays in a temporary folder.
//!
//! Each proxy's line also gives its CPU time per request (on-CPU time from
//! `/proc/…/schedstat` over the phase: the gateway's serving threads, and apart the recorder;
//! nginx's process; the relay's thread): on a machine shared with other work, throughput
//! follows the CPU share each proxy gets, and CPU per request is what the proxy controls.
//!
//! `MOCKOPS_LOAD_SOAK=SECONDS` skips everything else and loads the gateway alone for that
//! long, printing its RSS, the exchanges recorded and the recorder's counters every 30 s,
//! with SQLite's own memory and the heap in use (the memory measurement of the README).

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use mockops::exchange::Exchange;
use mockops::federation::{
    parse_str, serve, ExchangeSink, ScenarioFile, ScenarioSource, ServeOptions, SinkError,
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

/// The allocator of the `mockops` binary (`src/main.rs`), so that the gateway here runs as
/// `federation serve` does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct CountingSink(AtomicU64);
impl ExchangeSink for CountingSink {
    fn record(&self, batch: Vec<Exchange>) -> Result<(), SinkError> {
        self.0.fetch_add(batch.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}

/// What `federation serve` does with a batch: insert it into the state file.
struct StoreSink(std::sync::Mutex<Store>, AtomicU64);
impl ExchangeSink for StoreSink {
    fn record(&self, batch: Vec<Exchange>) -> Result<(), SinkError> {
        let mut store = self.0.lock().map_err(|_| "state file lock poisoned")?;
        store.insert_exchanges(&batch)?;
        self.1.fetch_add(batch.len() as u64, Ordering::Relaxed);
        Ok(())
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
fn serve_on_thread<F, Fut>(name: &str, at: &str, cpu: usize, serve: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = std::net::TcpListener::bind(at).expect("bind");
    let addr = listener.local_addr().expect("bound address");
    listener.set_nonblocking(true).expect("nonblocking");
    let thread = std::thread::Builder::new().name(name.to_string());
    let _ = thread.spawn(move || {
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
    serve_on_thread("load-upstream", &at, CLIENT_CPU, |stream| async move {
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
    serve_on_thread(
        "load-relay",
        "127.0.0.1:0",
        PROXY_CPU,
        move |mut client| async move {
            let Ok(mut server) = TcpStream::connect(upstream).await else {
                return;
            };
            let _ = server.set_nodelay(true);
            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        },
    )
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

/// Where the process's memory is, beside the RSS — to tell a cache filling up from a leak:
/// SQLite's own allocations (page caches, statements), and the C heap (glibc's malloc,
/// which SQLite uses; Rust's allocations go to mimalloc).
fn memory() -> String {
    // SAFETY: both only read counters.
    let (sqlite, heap) = unsafe { (rusqlite::ffi::sqlite3_memory_used(), libc::mallinfo2()) };
    format!(
        "sqlite {} KiB, C heap in use {} KiB of {} KiB",
        sqlite / 1024,
        heap.uordblks / 1024,
        heap.arena / 1024
    )
}

/// On-CPU nanoseconds so far of the threads of process `pid` whose name `pick` accepts
/// (the first field of `/proc/PID/task/TID/schedstat`).
fn cpu_ns(pid: u32, pick: &dyn Fn(&str) -> bool) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|name| pick(name.trim()))
        })
        .filter_map(|t| {
            std::fs::read_to_string(t.path().join("schedstat"))
                .ok()?
                .split_whitespace()
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// Whose CPU time a proxy's line reports.
#[derive(Clone, Copy)]
enum Cpu {
    /// The gateway: its serving threads, and its recorder apart.
    Gateway,
    /// A process of its own (nginx started by this example).
    Process(u32),
    /// The relay's thread.
    Relay,
    Unknown,
}

impl Cpu {
    /// (serving, recording) nanoseconds so far.
    fn now(self) -> (u64, u64) {
        let me = std::process::id();
        match self {
            Cpu::Gateway => (
                cpu_ns(me, &|n| n.starts_with("mockops-gatew")),
                cpu_ns(me, &|n| n.starts_with("mockops-recor")),
            ),
            Cpu::Process(pid) => (cpu_ns(pid, &|_| true), 0),
            Cpu::Relay => (cpu_ns(me, &|n| n == "load-relay"), 0),
            Cpu::Unknown => (0, 0),
        }
    }
}

/// nginx as the peer (`MOCKOPS_LOAD_PEER=nginx`), stopped on drop.
struct Nginx {
    child: std::process::Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// The README's configuration, in one process (`master_process off`, so that its CPU
    /// time is one process's), started from the calling thread (whose CPU affinity it
    /// inherits).
    fn start(upstream: SocketAddr) -> Nginx {
        let dir = tempfile::tempdir().expect("temporary directory");
        let addr = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            probe.local_addr().expect("bound address")
        };
        let d = dir.path().display();
        let conf = format!(
            "worker_processes 1;\nmaster_process off;\ndaemon off;\npid {d}/nginx.pid;\n\
             error_log {d}/error.log;\nevents {{ worker_connections 1024; }}\nhttp {{\n  \
             access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
             upstream mock {{ server {upstream}; keepalive 64; keepalive_requests 1000000; }}\n  \
             server {{\n    listen {addr};\n    keepalive_requests 1000000;\n    \
             location /api/ {{\n      proxy_pass http://mock/;\n      proxy_http_version 1.1;\n      \
             proxy_set_header Connection \"\";\n    }}\n  }}\n}}\n"
        );
        let path = dir.path().join("nginx.conf");
        std::fs::write(&path, conf).expect("nginx.conf written");
        let child = std::process::Command::new("nginx")
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&path)
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("nginx on PATH (apt-get install nginx-light)");
        let started = Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not listen on {addr}; see {}",
                dir.path().join("error.log").display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx {
            child,
            addr,
            _dir: dir,
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One measured closed-loop phase of a proxy: throughput, latencies, CPU per request.
fn measure(addr: SocketAddr, cpu: Cpu, seconds: u64) -> (f64, u32, u32, String) {
    let (serve0, record0) = cpu.now();
    let (rps, p50, p99) = run(addr, "/api/users/42", seconds);
    let (serve1, record1) = cpu.now();
    let requests = (rps * seconds as f64).max(1.0);
    let per = |ns: u64| ns as f64 / 1000.0 / requests;
    let text = match cpu {
        Cpu::Unknown => String::new(),
        Cpu::Gateway => format!(
            "  cpu {:.1} µs/req + recorder {:.1}",
            per(serve1 - serve0),
            per(record1 - record0)
        ),
        _ => format!("  cpu {:.1} µs/req", per(serve1 - serve0)),
    };
    (rps, p50, p99, text)
}

fn median(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    (xs[xs.len() / 2], xs[0], xs[xs.len() - 1])
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
    // The gateway's threads (and nginx) inherit the affinity of the thread that starts them.
    pin_current_thread(PROXY_CPU);
    let gateway = serve(fed, opts, sink, Arc::new(NoScenario)).expect("gateway starts");
    let peer_setting = std::env::var("MOCKOPS_LOAD_PEER").ok();
    let nginx = (peer_setting.as_deref() == Some("nginx")).then(|| Nginx::start(upstream));
    pin_current_thread(CLIENT_CPU);
    if pinning() {
        println!("pinned: client and upstream on CPU {CLIENT_CPU}, proxy on CPU {PROXY_CPU}");
    }
    let gateway_addr = gateway.local_addr();
    let status = |gateway: &mockops::federation::ServeHandle| {
        let s = gateway.recorder_status().unwrap_or_default();
        format!(
            "recorded: {}   waiting: {}   held back: {}   dropped: {}   {}",
            s.recorded,
            s.waiting,
            s.held,
            s.dropped,
            memory()
        )
    };

    if let Some(soak) = std::env::var("MOCKOPS_LOAD_SOAK")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        let started = Instant::now();
        println!(
            "soak: {soak} s against the gateway alone, rss {} KiB",
            rss_kib()
        );
        while started.elapsed() < Duration::from_secs(soak) {
            let (rps, _, p99, cpu) = measure(gateway_addr, Cpu::Gateway, 30);
            println!(
                "{:>4} s  {rps:>7.0} req/s  p99 {p99:>6} µs{cpu}  rss {} KiB  {}",
                started.elapsed().as_secs(),
                rss_kib(),
                status(&gateway)
            );
        }
        gateway.shutdown();
        println!("after shutdown: {}", recorded());
        return;
    }

    let rounds: usize = std::env::var("MOCKOPS_LOAD_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let peer: Option<(SocketAddr, Cpu)> = match (&nginx, peer_setting.as_deref()) {
        (Some(n), _) => Some((n.addr, Cpu::Process(n.child.id()))),
        (None, Some(a)) => a.parse().ok().map(|a| (a, Cpu::Unknown)),
        (None, None) => None,
    };
    let relay = std::env::var("MOCKOPS_LOAD_RELAY")
        .is_ok_and(|v| v == "1")
        .then(|| (start_relay(upstream), Cpu::Relay));
    // Each round measures direct calls again, so that every ratio compares runs made
    // seconds apart (this VM's speed drifts by up to 2× over minutes).
    type Phase = (&'static str, Option<(SocketAddr, Cpu)>, Vec<f64>, Vec<f64>);
    let mut phases: [Phase; 3] = [
        (
            "gateway",
            Some((gateway_addr, Cpu::Gateway)),
            Vec::new(),
            Vec::new(),
        ),
        ("peer", peer, Vec::new(), Vec::new()),
        ("relay", relay, Vec::new(), Vec::new()),
    ];
    let mut gateway_over_peer = Vec::new();
    for round in 1..=rounds {
        let (direct_rps, p50, p99) = run(upstream, "/users/42", seconds);
        println!(
            "round {round} direct:  {direct_rps:>9.0} req/s  p50 {p50:>6} µs  p99 {p99:>6} µs"
        );
        let mut this_round = [0.0f64; 3];
        for (i, (name, at, ratios, rates)) in phases.iter_mut().enumerate() {
            let Some((addr, cpu)) = *at else { continue };
            let (rps, p50, p99, cpu) = measure(addr, cpu, seconds);
            ratios.push(rps / direct_rps);
            rates.push(rps);
            this_round[i] = rps;
            println!(
                "round {round} {name:<8} {rps:>9.0} req/s  p50 {p50:>6} µs  p99 {p99:>6} µs  {:>3.0} % of direct{cpu}  rss {} KiB",
                rps / direct_rps * 100.0,
                rss_kib()
            );
        }
        if this_round[1] > 0.0 {
            gateway_over_peer.push(this_round[0] / this_round[1]);
        }
    }
    for (name, _, ratios, rates) in phases {
        if ratios.is_empty() {
            continue;
        }
        let (mid, low, high) = median(ratios);
        let (rate, _, _) = median(rates);
        println!(
            "{name}: median {rate:.0} req/s; of direct: median {:.0} % (min {:.0} %, max {:.0} %) over {rounds} rounds",
            mid * 100.0,
            low * 100.0,
            high * 100.0,
        );
    }
    if !gateway_over_peer.is_empty() {
        let (mid, low, high) = median(gateway_over_peer);
        println!(
            "gateway/peer throughput, same round: median {mid:.2} (min {low:.2}, max {high:.2})"
        );
    }
    println!("{}", status(&gateway));
    // Added latency without queueing: 64 connections at 25 requests/s each (1,600/s).
    // Pinned, a lightly loaded proxy sleeps on its own idle vCPU and every request waits
    // for that vCPU to be woken: nginx and the gateway alike measured 7–12 ms p99 so.
    let pace = Some(Duration::from_millis(40));
    if pinning() {
        println!(
            "at 1,600 req/s:  not measured when pinned (wake-ups of the idle proxy CPU dominate)"
        );
    } else {
        let (_, paced_direct_p50, paced_direct_p99) =
            run_with(upstream, "/users/42", seconds, pace);
        let (_, paced_p50, paced_p99) = run_with(gateway_addr, "/api/users/42", seconds, pace);
        println!(
            "at 1,600 req/s:  direct p50 {paced_direct_p50} µs p99 {paced_direct_p99} µs; gateway p50 {paced_p50} µs p99 {paced_p99} µs; added p99 {} µs",
            paced_p99 as i64 - paced_direct_p99 as i64
        );
        if let Some((peer, _)) = peer {
            let (_, peer_p50, peer_p99) = run_with(peer, "/api/users/42", seconds, pace);
            println!(
                "at 1,600 req/s:  peer p50 {peer_p50} µs p99 {peer_p99} µs; added p99 {} µs (gateway − peer: {} µs)",
                peer_p99 as i64 - paced_direct_p99 as i64,
                paced_p99 as i64 - peer_p99 as i64
            );
        }
    }
    drop(nginx);
    let last = status(&gateway);
    gateway.shutdown();
    println!("at shutdown: {last}; after: recorded {}", recorded());
}
