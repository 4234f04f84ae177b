//! The request path of the gateway: accept, route, apply the plan, forward, answer, record.

use super::behaviour::{draw, seeded_rng, Draws, Plan};
use super::forward::Forward;
use super::options::ServeOptions;
use super::recorder::{Recorded, Recorder, ServiceLabel};
use super::upstream::{json_answer, Answer, Client, Held, Upstream};
use crate::federation::model::{Federation, RealityLevel};
use crate::federation::router::Router;
use crate::federation::scenario::ScenarioFile;
use crate::federation::FederationError;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Body as _;
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;

pub(super) struct ServiceRuntime {
    pub(super) mock: Option<Upstream>,
    pub(super) real: Option<Upstream>,
    rng: Mutex<ChaCha8Rng>,
    pub(super) timeout: Duration,
    name_header: HeaderValue,
    label: Arc<ServiceLabel>,
}

/// Everything a request needs, shared by all connections.
pub(crate) struct State {
    fed: Federation,
    router: Router,
    services: Vec<ServiceRuntime>,
    client: Arc<Client>,
    scenario: RwLock<Option<Arc<ScenarioFile>>>,
    recorder: Option<Arc<Recorder>>,
    opts: ServeOptions,
}

impl State {
    /// Must run inside the runtime.
    pub(crate) fn new(
        fed: Federation,
        router: Router,
        opts: ServeOptions,
        recorder: Option<Arc<Recorder>>,
        scenario: Option<ScenarioFile>,
    ) -> Result<State, FederationError> {
        let mut services = Vec::with_capacity(fed.services.len());
        for s in &fed.services {
            let name_header = HeaderValue::from_str(&s.name).map_err(|_| {
                FederationError::Start(format!(
                    "service name `{}` cannot be sent in a header",
                    s.name
                ))
            })?;
            services.push(ServiceRuntime {
                mock: s.mock_url.as_deref().and_then(Upstream::parse),
                real: s.upstream_url.as_deref().and_then(Upstream::parse),
                rng: Mutex::new(seeded_rng(s)),
                timeout: s
                    .config
                    .timeout_ms
                    .map_or(opts.default_timeout, Duration::from_millis),
                name_header,
                label: Arc::new(ServiceLabel {
                    name: s.name.clone(),
                    workspace_id: s.workspace_id.clone(),
                }),
            });
        }
        let client = Arc::new(Client::default());
        Ok(State {
            fed,
            router,
            services,
            client,
            scenario: RwLock::new(scenario.map(Arc::new)),
            recorder,
            opts,
        })
    }

    pub(crate) fn set_scenario(&self, active: Option<ScenarioFile>) {
        let changed = match self.scenario.read() {
            Ok(current) => current.as_deref() != active.as_ref(),
            Err(_) => false,
        };
        if changed {
            if let Ok(mut current) = self.scenario.write() {
                *current = active.map(Arc::new);
            }
        }
    }

    fn active_scenario(&self) -> Option<Arc<ScenarioFile>> {
        self.scenario.read().ok().and_then(|s| s.clone())
    }
}

/// Accepts until `stop` turns true, then waits (at most `grace`) for open connections.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .keep_alive(true);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of descriptors or a reset before accept: back off briefly.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let held = Arc::new(state.client.for_connection());
                let service = service_fn(move |req| handle(state.clone(), held.clone(), req));
                let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
}

/// Facts about the request kept for the exchange record.
struct Seen {
    started: Instant,
    timestamp: chrono::DateTime<chrono::Utc>,
    method: Method,
    gateway_path: String,
    query: Option<String>,
    persona: Option<String>,
    ci_run: Option<String>,
}

const X_MOCKOPS_PERSONA: HeaderName = HeaderName::from_static("x-mockops-persona");
const X_MOCKOPS_CI_RUN: HeaderName = HeaderName::from_static("x-mockops-ci-run");
const X_MOCKOPS_SERVICE: HeaderName = HeaderName::from_static("x-mockops-service");
const X_MOCKOPS_REALITY: HeaderName = HeaderName::from_static("x-mockops-reality");

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn handle(
    state: Arc<State>,
    held: Arc<Held>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let seen = Seen {
        started: Instant::now(),
        timestamp: chrono::Utc::now(),
        method: parts.method.clone(),
        gateway_path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        persona: header_text(&parts.headers, X_MOCKOPS_PERSONA),
        ci_run: header_text(&parts.headers, X_MOCKOPS_CI_RUN),
    };
    let Some(m) = state.router.route(&seen.gateway_path) else {
        let status = if seen.gateway_path.starts_with('/') {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::BAD_REQUEST
        };
        let error = if status == StatusCode::NOT_FOUND {
            "no route"
        } else {
            "malformed path"
        };
        let answer = json_answer(status, json!({"error": error, "path": seen.gateway_path}));
        record(&state, seen, None, None, None, &Bytes::new(), &answer).await;
        return Ok(into_response(answer));
    };
    let index = m.service;
    let service_path = m.service_path.to_string();
    let Some(runtime) = state.services.get(index) else {
        return Ok(into_response(json_answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": "route table mismatch"}),
        )));
    };
    let scenario = state.active_scenario();
    let plan = match state.fed.services.get(index) {
        Some(service) => Plan::new(service, scenario.as_deref()),
        None => {
            return Ok(into_response(json_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "route table mismatch"}),
            )))
        }
    };
    let request_body = match read_body(&parts.headers, body, state.opts.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(answer) => {
            record(
                &state,
                seen,
                Some(index),
                Some(&plan),
                None,
                &Bytes::new(),
                &answer,
            )
            .await;
            return Ok(into_response(decorate(answer, runtime, &plan)));
        }
    };
    let draws: Draws = match runtime.rng.lock() {
        Ok(mut rng) => draw(&mut rng),
        Err(poisoned) => draw(&mut poisoned.into_inner()),
    };
    let latency = plan.latency_ms(&draws);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let name = state
        .fed
        .services
        .get(index)
        .map(|s| s.name.as_str())
        .unwrap_or("");
    let (answer, target_path) = if plan.inject_error(&draws) {
        let status =
            StatusCode::from_u16(plan.error_status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let answer = json_answer(
            status,
            json!({"error": "injected by mockops chaos", "service": name}),
        );
        let path = primary(runtime, plan.level).map(|u| u.path_for(&service_path));
        (answer, path)
    } else {
        let forward = Forward {
            client: &held,
            mock: runtime.mock.as_ref(),
            real: runtime.real.as_ref(),
            timeout: runtime.timeout,
            name,
            parts: &parts,
            service_path: &service_path,
            body: &request_body,
            plan: &plan,
        };
        forward.run(&draws).await
    };
    record(
        &state,
        seen,
        Some(index),
        Some(&plan),
        target_path,
        &request_body,
        &answer,
    )
    .await;
    Ok(into_response(decorate(answer, runtime, &plan)))
}

/// The upstream whose path is recorded: real for `real`/`blended`, else the mock.
fn primary(runtime: &ServiceRuntime, level: RealityLevel) -> Option<&Upstream> {
    if level.targets_real() {
        runtime.real.as_ref()
    } else {
        runtime.mock.as_ref()
    }
}

async fn read_body(headers: &HeaderMap, body: Incoming, max: usize) -> Result<Bytes, Answer> {
    let too_large = || {
        json_answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"error": "request body too large", "limit_bytes": max}),
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    if body.is_end_stream() {
        // No body (most GETs): nothing to collect.
        return Ok(Bytes::new());
    }
    match Limited::new(body, max).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(e) => Err(json_answer(
            StatusCode::BAD_REQUEST,
            json!({"error": "cannot read the request body", "detail": e.to_string()}),
        )),
    }
}

fn decorate(mut answer: Answer, runtime: &ServiceRuntime, plan: &Plan) -> Answer {
    answer
        .headers
        .insert(X_MOCKOPS_SERVICE, runtime.name_header.clone());
    answer.headers.insert(
        X_MOCKOPS_REALITY,
        HeaderValue::from_static(plan.level.as_str()),
    );
    answer
}

fn into_response(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = answer.status;
    *response.headers_mut() = answer.headers;
    response
}

async fn record(
    state: &State,
    seen: Seen,
    index: Option<usize>,
    plan: Option<&Plan>,
    target_path: Option<String>,
    request_body: &Bytes,
    answer: &Answer,
) {
    let Some(recorder) = &state.recorder else {
        return;
    };
    let recorded = Recorded {
        timestamp: seen.timestamp,
        method: seen.method,
        path: target_path,
        gateway_path: seen.gateway_path,
        query: seen.query,
        status: answer.status.as_u16(),
        service: index
            .and_then(|i| state.services.get(i))
            .map(|s| s.label.clone()),
        reality_level: plan.map(|p| p.level.as_str()),
        scenario: plan.and_then(|p| p.scenario.clone()),
        persona: seen.persona,
        ci_run: seen.ci_run,
        duration_ms: seen.started.elapsed().as_secs_f64() * 1000.0,
        request_body: Recorded::body(request_body, state.opts.record_body_cap),
        response_body: Recorded::body(&answer.body, state.opts.record_body_cap),
        answered_by_gateway: answer.by_gateway,
    };
    recorder.record(recorded).await;
}
