//! Bounded load test of `federation serve`: 64 keep-alive connections against a hyper mock
//! upstream, first directly, then through the gateway (recording on); prints throughput,
//! p50/p99 latency and the process RSS. Runs about 4 × `SECONDS` and stops by itself.
//!
//! `cargo run --release --example gateway_load [SECONDS] [WORKERS] [norecord]`

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

struct NoScenario;
impl ScenarioSource for NoScenario {
    fn active(&self) -> Option<ScenarioFile> {
        None
    }
}

/// A one-thread hyper server answering a small JSON body.
fn start_upstream() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind upstream");
    let addr = listener.local_addr().expect("upstream address");
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
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
                tokio::spawn(async move {
                    let service = service_fn(|_req: Request<hyper::body::Incoming>| async {
                        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(
                            b"{\"ok\":true,\"id\":42}",
                        ))))
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    addr
}

/// One keep-alive connection sending GETs until `until`; returns latencies in µs.
async fn client(addr: SocketAddr, path: &'static str, until: Instant) -> Vec<u32> {
    let mut latencies = Vec::new();
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return latencies;
    };
    let _ = stream.set_nodelay(true);
    let request =
        format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\naccept: application/json\r\n\r\n");
    let mut buf = vec![0u8; 16 * 1024];
    while Instant::now() < until {
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut all: Vec<u32> = rt.block_on(async {
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|_| tokio::spawn(client(addr, path, until)))
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
    let sink = Arc::new(CountingSink(AtomicU64::new(0)));
    let workers: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(ServeOptions::default().worker_threads);
    let record = std::env::args().nth(3).as_deref() != Some("norecord");
    println!("gateway: {workers} worker thread(s), recording {record}");
    let opts = ServeOptions {
        listen: "127.0.0.1:0".parse().expect("address"),
        worker_threads: workers,
        record,
        ..ServeOptions::default()
    };
    let gateway = serve(fed, opts, sink.clone(), Arc::new(NoScenario)).expect("gateway starts");
    let gateway_addr = gateway.local_addr();

    let (direct_rps, direct_p50, direct_p99) = run(upstream, "/users/42", seconds);
    println!(
        "direct:          {direct_rps:>9.0} req/s  p50 {direct_p50:>6} µs  p99 {direct_p99:>6} µs"
    );
    let mut rss = Vec::new();
    let mut last = (0.0, 0, 0);
    for round in 1..=3 {
        last = run(gateway_addr, "/api/users/42", seconds);
        rss.push(rss_kib());
        println!(
            "gateway round {round}: {:>9.0} req/s  p50 {:>6} µs  p99 {:>6} µs  rss {} KiB",
            last.0,
            last.1,
            last.2,
            rss_kib()
        );
    }
    let dropped = gateway.dropped_exchanges();
    gateway.shutdown();
    println!(
        "gateway/direct throughput: {:.0}%   added p99: {} µs   recorded: {}   dropped: {dropped}",
        last.0 / direct_rps * 100.0,
        last.2 as i64 - direct_p99 as i64,
        sink.0.load(Ordering::Relaxed)
    );
}
