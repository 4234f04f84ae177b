//! A small blocking HTTP server on 127.0.0.1 (tiny_http, one thread): the demo's upstream
//! and webhook listener answer through it. It stops when dropped.

use super::DemoError;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

/// A request as the handler sees it.
pub struct Incoming {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Bodies larger than this are cut (the demo's requests are small).
const MAX_BODY: u64 = 1024 * 1024;

pub struct Server {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Listens on an ephemeral port of 127.0.0.1 and answers each request with the
    /// handler's status and JSON body (`None`: no body).
    pub fn start(
        what: &'static str,
        handler: impl Fn(&Incoming) -> (u16, Option<String>) + Send + 'static,
    ) -> Result<Server, DemoError> {
        let server = tiny_http::Server::http("127.0.0.1:0").map_err(|e| DemoError::Start {
            what,
            detail: e.to_string(),
        })?;
        let addr = server.server_addr().to_ip().ok_or(DemoError::Start {
            what,
            detail: "no IP address".into(),
        })?;
        let server = Arc::new(server);
        let serving = server.clone();
        let thread = std::thread::Builder::new()
            .name(format!("mockops-demo-{what}"))
            .spawn(move || {
                for mut request in serving.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().take(MAX_BODY).read_to_string(&mut body);
                    let url = request.url();
                    let incoming = Incoming {
                        method: request.method().as_str().to_string(),
                        path: url.split('?').next().unwrap_or(url).to_string(),
                        headers: request
                            .headers()
                            .iter()
                            .map(|h| (h.field.to_string(), h.value.to_string()))
                            .collect(),
                        body,
                    };
                    let (status, body) = handler(&incoming);
                    let has_body = body.is_some();
                    let mut response = tiny_http::Response::from_string(body.unwrap_or_default())
                        .with_status_code(status);
                    if has_body {
                        if let Ok(header) = tiny_http::Header::from_bytes(
                            &b"Content-Type"[..],
                            &b"application/json"[..],
                        ) {
                            response = response.with_header(header);
                        }
                    }
                    let _ = request.respond(response);
                }
            })
            .map_err(|e| DemoError::Start {
                what,
                detail: e.to_string(),
            })?;
        Ok(Server {
            server,
            addr,
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
