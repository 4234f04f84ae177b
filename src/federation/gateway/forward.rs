//! Forwarding one request to its upstream(s): the calls, blending, fallback and failures.
//! Knows the upstreams and the client (`upstream.rs`) and the plan (`behaviour.rs`), not
//! the proxy that calls it.

use super::behaviour::{deep_merge, Draws, Plan};
use super::upstream::{json_answer, Answer, Held, Upstream, UpstreamError};
use crate::federation::model::{BlendMode, RealityLevel};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::{Request, StatusCode, Uri};
use serde_json::{json, Value};

/// Upstream answers larger than this are treated as a failed upstream.
const MAX_UPSTREAM_BODY: usize = 64 * 1024 * 1024;

/// Parsed once: removing by `&str` would parse the name on every request.
const HOP_BY_HOP: [HeaderName; 9] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    HeaderName::from_static("proxy-connection"),
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const X_MOCKOPS_SCENARIO: HeaderName = HeaderName::from_static("x-mockops-scenario");
const X_MOCKOPS_FALLBACK: HeaderName = HeaderName::from_static("x-mockops-fallback");

pub(super) struct Forward<'a> {
    /// The calling downstream connection's upstream connections.
    pub(super) client: &'a Held,
    pub(super) mock: Option<&'a Upstream>,
    pub(super) real: Option<&'a Upstream>,
    /// The service's timeout for one upstream call.
    pub(super) timeout: std::time::Duration,
    pub(super) name: &'a str,
    pub(super) parts: &'a hyper::http::request::Parts,
    pub(super) service_path: &'a str,
    pub(super) body: &'a Bytes,
    pub(super) plan: &'a Plan,
}

impl Forward<'_> {
    /// Forwards per level; returns the answer and the recorded (target) path.
    pub(super) async fn run(&self, draws: &Draws) -> (Answer, Option<String>) {
        let (mock, real) = (self.mock, self.real);
        match self.plan.level {
            RealityLevel::Real => self.single(real, "upstream_url").await,
            RealityLevel::MockV3 | RealityLevel::ChaosDriven => self.single(mock, "mock_url").await,
            RealityLevel::Blended => match self.plan.blend {
                BlendMode::Ratio if !self.plan.ratio_picks_real(draws) => {
                    self.single(mock, "mock_url").await
                }
                BlendMode::Ratio => match real {
                    Some(r) => match self.call(r).await {
                        Ok(a) if !a.status.is_server_error() => {
                            (a, Some(r.path_for(self.service_path)))
                        }
                        _ => self.fallback(mock).await,
                    },
                    None => self.fallback(mock).await,
                },
                mode => self.merged(real, mock, mode).await,
            },
        }
    }

    async fn single(&self, upstream: Option<&Upstream>, key: &str) -> (Answer, Option<String>) {
        let Some(upstream) = upstream else {
            let body = json!({"error": format!("service has no `{key}` for level {}", self.plan.level), "service": self.name});
            return (json_answer(StatusCode::BAD_GATEWAY, body), None);
        };
        let path = Some(upstream.path_for(self.service_path));
        match self.call(upstream).await {
            Ok(answer) => (answer, path),
            Err(e) => (self.failure(upstream, e), path),
        }
    }

    async fn fallback(&self, mock: Option<&Upstream>) -> (Answer, Option<String>) {
        let (mut answer, path) = self.single(mock, "mock_url").await;
        answer
            .headers
            .insert(X_MOCKOPS_FALLBACK, HeaderValue::from_static("mock"));
        (answer, path)
    }

    async fn merged(
        &self,
        real: Option<&Upstream>,
        mock: Option<&Upstream>,
        mode: BlendMode,
    ) -> (Answer, Option<String>) {
        let (Some(real), Some(mock_up)) = (real, mock) else {
            return self.fallback(mock).await;
        };
        let (real_result, mock_result) = tokio::join!(self.call(real), self.call(mock_up));
        let real_path = Some(real.path_for(self.service_path));
        match (real_result, mock_result) {
            (Ok(r), Ok(m)) if !r.status.is_server_error() => (merge_answers(r, m, mode), real_path),
            (Ok(r), Err(_)) if !r.status.is_server_error() => (r, real_path),
            (_, Ok(mut m)) => {
                m.headers
                    .insert(X_MOCKOPS_FALLBACK, HeaderValue::from_static("mock"));
                (m, Some(mock_up.path_for(self.service_path)))
            }
            (Ok(r), Err(_)) => (r, real_path),
            (Err(e), Err(_)) => (self.failure(real, e), real_path),
        }
    }

    fn failure(&self, upstream: &Upstream, error: UpstreamError) -> Answer {
        let target = format!(
            "{}://{}{}",
            upstream.scheme,
            upstream.authority,
            upstream.path_for(self.service_path)
        );
        match error {
            UpstreamError::Unreachable(detail) => json_answer(
                StatusCode::BAD_GATEWAY,
                json!({"error": "upstream unreachable", "service": self.name, "target": target, "detail": detail}),
            ),
            UpstreamError::TimedOut => json_answer(
                StatusCode::GATEWAY_TIMEOUT,
                json!({"error": "upstream timed out", "service": self.name, "target": target,
                       "timeout_ms": self.timeout.as_millis() as u64}),
            ),
        }
    }

    async fn call(&self, upstream: &Upstream) -> Result<Answer, UpstreamError> {
        let path_and_query = upstream.request_target(self.service_path, self.parts.uri.query());
        let uri = Uri::try_from(path_and_query).map_err(|e| {
            UpstreamError::Unreachable(format!("cannot build the upstream URL: {e}"))
        })?;
        let mut request = Request::new(Full::new(self.body.clone()));
        *request.method_mut() = self.parts.method.clone();
        *request.uri_mut() = uri;
        *request.headers_mut() = self.forward_headers();
        let exchange = async {
            let response = self
                .client
                .send(upstream, request)
                .await
                .map_err(UpstreamError::Unreachable)?;
            let (head, body) = response.into_parts();
            let body = Limited::new(body, MAX_UPSTREAM_BODY)
                .collect()
                .await
                .map_err(|e| UpstreamError::Unreachable(format!("reading the answer: {e}")))?
                .to_bytes();
            let mut headers = head.headers;
            strip_hop_by_hop(&mut headers);
            headers.remove(CONTENT_LENGTH);
            Ok(Answer {
                status: head.status,
                headers,
                body,
                by_gateway: false,
            })
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .unwrap_or(Err(UpstreamError::TimedOut))
    }

    fn forward_headers(&self) -> HeaderMap {
        let mut headers = self.parts.headers.clone();
        strip_hop_by_hop(&mut headers);
        headers.remove(CONTENT_LENGTH);
        if let Some(host) = headers.remove(HOST) {
            headers.insert(X_FORWARDED_HOST, host);
        }
        if let Some(name) = &self.plan.scenario {
            if let Ok(value) = HeaderValue::from_str(name) {
                headers.insert(X_MOCKOPS_SCENARIO, value);
            }
        }
        for (name, value) in &self.plan.extra_headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.insert(n, v);
            }
        }
        headers
    }
}

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    // Most messages have none: one look at each name (a few, compared as enum tags) is
    // cheaper than hashing the nine names to remove them.
    if !headers.keys().any(|name| HOP_BY_HOP.contains(name)) {
        return;
    }
    if headers.contains_key(header::CONNECTION) {
        let named: Vec<HeaderName> = headers
            .get_all(header::CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok())
            .collect();
        for name in named {
            headers.remove(name);
        }
    }
    for name in &HOP_BY_HOP {
        headers.remove(name);
    }
}

/// Real status and headers; JSON object bodies deep-merged per `mode`.
fn merge_answers(real: Answer, mock: Answer, mode: BlendMode) -> Answer {
    let parsed = (
        serde_json::from_slice::<Value>(&real.body),
        serde_json::from_slice::<Value>(&mock.body),
    );
    let (Ok(real_json @ Value::Object(_)), Ok(mock_json @ Value::Object(_))) = parsed else {
        return match mode {
            BlendMode::MockOverReal => Answer {
                status: real.status,
                ..mock
            },
            _ => real,
        };
    };
    let merged = match mode {
        BlendMode::MockOverReal => deep_merge(mock_json, real_json),
        _ => deep_merge(real_json, mock_json),
    };
    let mut headers = real.headers;
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Answer {
        status: real.status,
        headers,
        body: Bytes::from(merged.to_string()),
        by_gateway: false,
    }
}
