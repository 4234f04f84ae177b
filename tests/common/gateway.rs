//! The gateway harness of the federation CLI tests: tiny HTTP upstreams on 127.0.0.1 that
//! record what they saw, `federation serve` run as a real process, and an HTTP client.
#![allow(dead_code)]

use super::common::Project;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What an upstream saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering JSON (one request per connection).
pub struct Upstream {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub stop: Arc<AtomicBool>,
    pub thread: Option<JoinHandle<()>>,
}

impl Upstream {
    pub fn start(answer: fn(&Seen) -> Value) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while !stop2.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = serve_one(stream, &seen2, answer);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Upstream {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn serve_one(
    stream: TcpStream,
    seen: &Mutex<Vec<Seen>>,
    answer: fn(&Seen) -> Value,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body)?;
    let request = Seen {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let reply = answer(&request).to_string();
    seen.lock().unwrap().push(request);
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
        reply.len()
    )?;
    stream.flush()
}

pub fn mock_answer(req: &Seen) -> Value {
    json!({"from": "mock", "target": req.target, "mock_only": 1,
           "shared": "mock", "nested": {"a": "mock", "m": true}})
}

pub fn real_answer(req: &Seen) -> Value {
    json!({"from": "real", "target": req.target, "shared": "real",
           "nested": {"a": "real", "r": true}, "method": req.method, "body": req.body})
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed (and reaped) on drop, whatever happened in the test.
pub struct ChildGuard(pub Option<Child>);

impl ChildGuard {
    /// SIGTERM, then waits (bounded) for the exit status.
    pub fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        self.stop_with(libc::SIGTERM, within)
    }

    /// Sends `signal`, then waits (bounded) for the exit status.
    pub fn stop_with(
        &mut self,
        signal: libc::c_int,
        within: Duration,
    ) -> Option<std::process::ExitStatus> {
        let child = self.0.as_mut()?;
        unsafe {
            libc::kill(child.id() as libc::pid_t, signal);
        }
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                self.0 = None;
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `federation serve` and waits (bounded) until it says it listens.
pub fn start_gateway(p: &Project, port: u16, federation: &str) -> (ChildGuard, Arc<Mutex<String>>) {
    start_gateway_with(p, port, federation, &[])
}

pub fn start_gateway_with(
    p: &Project,
    port: u16,
    federation: &str,
    extra: &[&str],
) -> (ChildGuard, Arc<Mutex<String>>) {
    start_gateway_env(p, port, federation, extra, &[])
}

/// [`start_gateway_with`], with environment variables.
pub fn start_gateway_env(
    p: &Project,
    port: u16,
    federation: &str,
    extra: &[&str],
    envs: &[(&str, &str)],
) -> (ChildGuard, Arc<Mutex<String>>) {
    // The project's own process: on the PostgreSQL backend it names the project's database.
    let child = p
        .process()
        .envs(envs.iter().copied())
        .args([
            "federation",
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--federation",
            federation,
        ])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mockops federation serve");
    let mut guard = ChildGuard(Some(child));
    let stderr = guard.0.as_mut().unwrap().stderr.take().unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = mpsc::channel();
    {
        let log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if line.contains("listening on") {
                    let _ = tx.send(());
                }
                log.lock().unwrap().push_str(&(line + "\n"));
            }
        });
    }
    if rx.recv_timeout(Duration::from_secs(30)).is_err() {
        let status = guard.0.as_mut().unwrap().try_wait();
        panic!(
            "gateway did not start ({status:?}):\n{}",
            log.lock().unwrap()
        );
    }
    (guard, log)
}

pub struct Reply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Value,
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

pub fn reply(mut resp: ureq::http::Response<ureq::Body>) -> Reply {
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let text = resp.body_mut().read_to_string().unwrap();
    Reply {
        status: resp.status().as_u16(),
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

pub fn get(agent: &ureq::Agent, url: &str) -> Reply {
    reply(
        agent
            .get(url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}")),
    )
}
