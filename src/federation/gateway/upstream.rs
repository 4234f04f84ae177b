//! What forwarding works with, below both the proxy and `forward.rs`: an upstream's
//! address, the client that calls upstreams, and an [`Answer`] (a service's, or one the
//! gateway made itself).

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::http::uri::{Authority, Scheme};
use hyper::{StatusCode, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde_json::Value;
use std::time::Duration;

/// The pooled keep-alive client that calls every upstream.
pub(super) type Client = hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>;

/// The client: keep-alive, no Nagle, a 5 s connect timeout. Must run inside the runtime
/// (the pool's timer needs it).
pub(super) fn client() -> Client {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_connect_timeout(Some(Duration::from_secs(5)));
    hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(1024)
        .build(connector)
}

pub(super) struct Upstream {
    pub(super) scheme: Scheme,
    pub(super) authority: Authority,
    /// The URL's path without its trailing `/` (often empty).
    pub(super) base_path: String,
}

impl Upstream {
    pub(super) fn parse(url: &str) -> Option<Upstream> {
        let uri: Uri = url.parse().ok()?;
        let parts = uri.into_parts();
        Some(Upstream {
            scheme: parts.scheme?,
            authority: parts.authority?,
            base_path: parts
                .path_and_query
                .map(|p| p.path().trim_end_matches('/').to_string())
                .unwrap_or_default(),
        })
    }

    pub(super) fn path_for(&self, service_path: &str) -> String {
        format!("{}{}", self.base_path, service_path)
    }
}

pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    /// The gateway made this answer itself (no route, upstream down, an injected error),
    /// rather than passing on a service's: recorded so, it never counts as coverage.
    pub(super) by_gateway: bool,
}

pub(super) enum UpstreamError {
    Unreachable(String),
    TimedOut,
}

/// An answer the gateway makes itself.
pub(super) fn json_answer(status: StatusCode, body: Value) -> Answer {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Answer {
        status,
        headers,
        body: Bytes::from(body.to_string()),
        by_gateway: true,
    }
}
