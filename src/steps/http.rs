//! Shared HTTP for network steps: one ureq request with timeouts taken from the step's
//! deadline, and the mapping of outcomes to [`StepFailure`]s (429/5xx/network errors are
//! retryable and carry the server's `Retry-After`; other 4xx are fatal).

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use super::StepFailure;
use std::time::{Duration, Instant};

/// Timeout used for one request when the step has no deadline.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How much of a response body is read (the rest is ignored).
const BODY_LIMIT: u64 = 4 * 1024 * 1024;

/// A response, whatever its status.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
    /// The parsed `Retry-After` header, when present.
    pub retry_after: Option<Duration>,
}

impl HttpResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One HTTP request.
#[derive(Debug, Clone)]
pub struct HttpRequest<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: Vec<(String, String)>,
    pub body: Option<&'a str>,
    pub deadline: Option<Instant>,
}

/// Sends a request. `Err` only for failures where no response arrived (connection, TLS,
/// timeout); the message names the target as [`redact_url`] shows it, never the full URL.
pub fn send(request: &HttpRequest<'_>) -> Result<HttpResponse, StepFailure> {
    let target = redact_url(request.url);
    let timeout = match request.deadline {
        Some(deadline) => {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(StepFailure {
                    message: format!("timed out before sending to {target}"),
                    timed_out: true,
                    retryable: true,
                    ..Default::default()
                });
            }
            left
        }
        None => DEFAULT_TIMEOUT,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent("mockops")
        .build()
        .into();
    let mut builder = ureq::http::Request::builder()
        .method(request.method)
        .uri(request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let built = builder
        .body(request.body.unwrap_or("").to_string())
        .map_err(|e| StepFailure::fatal(format!("invalid HTTP request to {target}: {e}")))?;
    // On its own thread, so that Ctrl-C or SIGTERM ends the wait for an answer at once
    // (the request is abandoned; mockops is about to exit).
    let call = crate::interrupt::abandon_on_signal(move || call(&agent, built))
        .ok_or_else(|| StepFailure::fatal(format!("request to {target} abandoned")))?;
    call.map_err(|e| network_failure(&target, &e))
}

fn call(
    agent: &ureq::Agent,
    request: ureq::http::Request<String>,
) -> Result<HttpResponse, ureq::Error> {
    let mut response = agent.run(request)?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let body = response
        .body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_string()
        .unwrap_or_default();
    Ok(HttpResponse {
        status,
        body,
        retry_after,
    })
}

fn network_failure(target: &str, error: &ureq::Error) -> StepFailure {
    let timed_out = matches!(error, ureq::Error::Timeout(_));
    // ureq's messages may quote the URL; keep only the kind of failure.
    let cause = match error {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::Io(e) => e.kind().to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        other => other.to_string().replace(target, "***"),
    };
    StepFailure {
        message: format!("request to {target} failed: {cause}"),
        timed_out,
        retryable: true,
        ..Default::default()
    }
}

/// Turns a non-2xx response into a failure: 429 and 5xx are retryable (with the server's
/// `Retry-After`), other statuses are fatal. `what` names the call (`slack webhook …`).
pub fn status_failure(what: &str, response: &HttpResponse) -> StepFailure {
    let retryable = response.status == 429 || response.status >= 500;
    let snippet: String = response.body.chars().take(300).collect();
    StepFailure {
        message: format!(
            "{what} answered HTTP {}{}{}",
            response.status,
            if snippet.trim().is_empty() { "" } else { ": " },
            snippet.trim()
        ),
        retryable,
        retry_after: if retryable {
            response.retry_after
        } else {
            None
        },
        ..Default::default()
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// A URL shown without its secret parts: scheme, host and port, then `/***` when it
/// has a path or query (`https://hooks.slack.com/***`). Credentials are dropped.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s, r),
        None => return "***".to_string(),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let tail = rest.get(authority_end..).unwrap_or("");
    let suffix = if tail.is_empty() || tail == "/" {
        ""
    } else {
        "/***"
    };
    format!("{scheme}://{host}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_paths_and_credentials() {
        assert_eq!(
            redact_url("https://hooks.slack.com/services/T0/B0/secret"),
            "https://hooks.slack.com/***"
        );
        assert_eq!(redact_url("smtp://user:pw@mail:25"), "smtp://mail:25");
        assert_eq!(
            redact_url("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(redact_url("not a url"), "***");
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn statuses_map_to_retryable_or_fatal() {
        let mut r = HttpResponse {
            status: 429,
            body: String::new(),
            retry_after: Some(Duration::from_secs(3)),
        };
        let f = status_failure("x", &r);
        assert!(f.retryable);
        assert_eq!(f.retry_after, Some(Duration::from_secs(3)));
        r.status = 404;
        let f = status_failure("x", &r);
        assert!(!f.retryable && f.retry_after.is_none());
        assert!(f.message.contains("404"));
    }

    #[test]
    fn connection_refused_is_retryable_and_hides_the_path() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = format!("http://127.0.0.1:{port}/secret/path");
        let err = send(&HttpRequest {
            method: "POST",
            url: &url,
            headers: vec![],
            body: Some("{}"),
            deadline: Some(Instant::now() + Duration::from_secs(5)),
        })
        .unwrap_err();
        assert!(err.retryable);
        assert!(!err.message.contains("secret"), "{}", err.message);
    }
}

/// A real HTTP server on 127.0.0.1 for tests: records every request and answers with
/// what the handler returns.
#[cfg(test)]
pub mod test_server {
    use std::sync::{Arc, Mutex};

    /// A request as the server received it.
    #[derive(Debug, Clone)]
    pub struct Received {
        pub method: String,
        pub path: String,
        pub headers: Vec<(String, String)>,
        pub body: String,
    }

    impl Received {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// The handler's answer: status, headers, body.
    pub type Answer = (u16, Vec<(String, String)>, String);

    pub struct TestServer {
        pub url: String,
        pub received: Arc<Mutex<Vec<Received>>>,
    }

    impl TestServer {
        pub fn start(handler: impl Fn(&Received, usize) -> Answer + Send + 'static) -> Self {
            let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
            let url = format!("http://{}", server.server_addr().to_ip().unwrap());
            let received = Arc::new(Mutex::new(Vec::new()));
            let log = Arc::clone(&received);
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let got = Received {
                        method: request.method().to_string(),
                        path: request.url().to_string(),
                        headers: request
                            .headers()
                            .iter()
                            .map(|h| (h.field.to_string(), h.value.to_string()))
                            .collect(),
                        body,
                    };
                    let index = {
                        let mut all = log.lock().unwrap();
                        all.push(got.clone());
                        all.len() - 1
                    };
                    let (status, headers, text) = handler(&got, index);
                    let mut response =
                        tiny_http::Response::from_string(text).with_status_code(status);
                    for (k, v) in headers {
                        response.add_header(
                            tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap(),
                        );
                    }
                    let _ = request.respond(response);
                }
            });
            TestServer { url, received }
        }

        pub fn requests(&self) -> Vec<Received> {
            self.received.lock().unwrap().clone()
        }
    }
}
