//! What forwarding works with, below both the proxy and `forward.rs`: an upstream's
//! address, the upstream connections ([`Client`], [`Held`]), and an [`Answer`] (a
//! service's, or one the gateway made itself).

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE, HOST};
use hyper::http::uri::{Authority, Scheme};
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpStream;

/// Upstream connections, held per downstream connection: a request takes its
/// connection's upstream connection to that upstream (no pool checkout, no key hashing),
/// and a downstream connection that closes hands its upstream connections to a shared
/// idle list for the next one. hyper's `client::conn` drives each connection.
#[derive(Default)]
pub(super) struct Client {
    idle: Mutex<Vec<(Authority, SendRequest<Full<Bytes>>)>>,
}

/// Idle upstream connections kept for downstream connections to come.
const IDLE_MAX: usize = 1024;
/// How long connecting to an upstream may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl Client {
    /// The upstream connections of one downstream connection.
    pub(super) fn for_connection(self: &Arc<Client>) -> Held {
        Held {
            client: self.clone(),
            senders: Mutex::new(Vec::new()),
        }
    }

    fn idle(&self, authority: &Authority) -> Option<SendRequest<Full<Bytes>>> {
        take(&mut *self.idle.lock().ok()?, authority)
    }
}

/// A downstream connection's upstream connections (usually one per upstream it calls).
pub(super) struct Held {
    client: Arc<Client>,
    senders: Mutex<Vec<(Authority, SendRequest<Full<Bytes>>)>>,
}

impl Held {
    /// Sends `request` (origin-form target; `Host` is set here) to `upstream`, on a held
    /// connection when there is one, else a new one. A held connection that turns out
    /// closed before the request was written is replaced once.
    pub(super) async fn send(
        &self,
        upstream: &Upstream,
        mut request: Request<Full<Bytes>>,
    ) -> Result<Response<Incoming>, String> {
        let authority = &upstream.authority;
        if let Some(host) = &upstream.host {
            request.headers_mut().insert(HOST, host.clone());
        }
        let held = self
            .senders
            .lock()
            .ok()
            .and_then(|mut s| take(&mut s, authority))
            .or_else(|| self.client.idle(authority));
        if let Some(mut sender) = held {
            if sender.ready().await.is_ok() {
                match sender.try_send_request(request).await {
                    Ok(response) => {
                        self.keep(authority, sender);
                        return Ok(response);
                    }
                    Err(mut e) => match e.take_message() {
                        Some(back) => request = back,
                        None => return Err(error_chain(e.error())),
                    },
                }
            }
        }
        let mut sender = connect(authority).await?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| error_chain(&e))?;
        self.keep(authority, sender);
        Ok(response)
    }

    /// Keeps a connection for this downstream connection's next request. (An HTTP/1
    /// connection takes its next request once the answer's body was read: `send` waits
    /// for that with `ready`.)
    fn keep(&self, authority: &Authority, sender: SendRequest<Full<Bytes>>) {
        if let Ok(mut senders) = self.senders.lock() {
            senders.push((authority.clone(), sender));
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Ok(senders) = self.senders.get_mut() else {
            return;
        };
        if let Ok(mut idle) = self.client.idle.lock() {
            idle.retain(|(_, s)| !s.is_closed());
            for (authority, sender) in senders.drain(..) {
                if idle.len() < IDLE_MAX && !sender.is_closed() {
                    idle.push((authority, sender));
                }
            }
        }
    }
}

fn take(
    list: &mut Vec<(Authority, SendRequest<Full<Bytes>>)>,
    authority: &Authority,
) -> Option<SendRequest<Full<Bytes>>> {
    loop {
        let at = list.iter().rposition(|(a, _)| a == authority)?;
        let (_, sender) = list.swap_remove(at);
        if !sender.is_closed() {
            return Some(sender);
        }
    }
}

/// A new connection to `authority` (no Nagle), driven by a task of its own.
async fn connect(authority: &Authority) -> Result<SendRequest<Full<Bytes>>, String> {
    let address = format!(
        "{}:{}",
        authority.host(),
        authority.port_u16().unwrap_or(80)
    );
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(&address))
        .await
        .map_err(|_| format!("connecting to {address} timed out"))?
        .map_err(|e| format!("cannot connect to {address}: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| error_chain(&e))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// An error with its causes, `: `-separated.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

pub(super) struct Upstream {
    pub(super) scheme: Scheme,
    pub(super) authority: Authority,
    /// The `Host` header sent to it (made once, not per request).
    host: Option<HeaderValue>,
    /// The URL's path without its trailing `/` (often empty).
    pub(super) base_path: String,
}

impl Upstream {
    pub(super) fn parse(url: &str) -> Option<Upstream> {
        let uri: Uri = url.parse().ok()?;
        let parts = uri.into_parts();
        let authority = parts.authority?;
        Some(Upstream {
            scheme: parts.scheme?,
            host: HeaderValue::from_str(authority.as_str()).ok(),
            authority,
            base_path: parts
                .path_and_query
                .map(|p| p.path().trim_end_matches('/').to_string())
                .unwrap_or_default(),
        })
    }

    pub(super) fn path_for(&self, service_path: &str) -> String {
        let mut path = String::with_capacity(self.base_path.len() + service_path.len());
        path.push_str(&self.base_path);
        path.push_str(service_path);
        path
    }

    /// The request target sent upstream: [`Upstream::path_for`], made to start with `/`,
    /// then `?` and the query when there is one (built in one allocation: once per request).
    pub(super) fn request_target(&self, service_path: &str, query: Option<&str>) -> String {
        let first = if self.base_path.is_empty() {
            service_path
        } else {
            &self.base_path
        };
        let slash = !first.starts_with('/');
        let mut target = String::with_capacity(
            1 + self.base_path.len() + service_path.len() + query.map_or(0, |q| q.len() + 1),
        );
        if slash {
            target.push('/');
        }
        target.push_str(&self.base_path);
        target.push_str(service_path);
        if let Some(q) = query {
            target.push('?');
            target.push_str(q);
        }
        target
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

#[cfg(test)]
mod tests {
    use super::Upstream;

    /// The target sent upstream is the base path, the service path, `/` first, then the
    /// query: as it was built with `format!` and inserts before it was made in one go.
    #[test]
    fn the_request_target_joins_base_path_service_path_and_query() {
        let at = |url: &str| Upstream::parse(url).unwrap();
        let cases = [
            ("http://h:1", "/users/7", None, "/users/7"),
            ("http://h:1", "", None, "/"),
            ("http://h:1/", "", Some("a=1"), "/?a=1"),
            (
                "http://h:1/v1/",
                "/items/7",
                Some("q=1&r=two"),
                "/v1/items/7?q=1&r=two",
            ),
            ("http://h:1/v1", "", Some(""), "/v1?"),
        ];
        for (url, service_path, query, want) in cases {
            assert_eq!(
                at(url).request_target(service_path, query),
                want,
                "{url} + {service_path} + {query:?}"
            );
        }
        assert_eq!(at("http://h:1/v1/").path_for("/x"), "/v1/x");
        assert_eq!(at("http://h:1").path_for(""), "");
        assert_eq!(
            at("http://h:1").host.as_ref().map(|h| h.as_bytes()),
            Some(&b"h:1"[..])
        );
    }
}
