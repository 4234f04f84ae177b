//! MockForge's recorded exchanges in JSON Lines: one `{"request": …, "response": …}` per
//! line, the serde form of its recorder's `RecordedExchange` (what its API returns).
//!
//! Read from the `request`: `protocol` (only HTTP is traffic for coverage), `timestamp`,
//! `method`, `path`, `query_params` (a raw query string, or a JSON object of parameters),
//! `headers` (a JSON object, or MockForge's JSON text of one: the `x-mockops-*` headers
//! name scenario, persona and CI run), `body`/`body_encoding`, `duration_ms`; from the
//! `response`: `status_code`, `body`/`body_encoding`. A line without a response (or with
//! status 0) is skipped: the request got no answer.

use super::{body_text, json_kind, parse_timestamp};
use crate::exchange::Exchange;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Request {
    protocol: Option<String>,
    timestamp: Option<Value>,
    method: Option<String>,
    path: Option<String>,
    query_params: Option<String>,
    headers: Option<Value>,
    body: Option<String>,
    body_encoding: Option<String>,
    duration_ms: Option<f64>,
    status_code: Option<i64>,
}

#[derive(Deserialize)]
struct Response {
    status_code: Option<i64>,
    body: Option<String>,
    body_encoding: Option<String>,
}

/// `request` and `response` of a line as an exchange, or the reason it is skipped.
pub(super) fn to_exchange(
    request: Option<Value>,
    response: Option<Value>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Exchange, String> {
    let request =
        match request {
            Some(value @ Value::Object(_)) => value,
            Some(other) => {
                return Err(format!(
                    "`request` is {}, not MockForge's recorded request (an object)",
                    json_kind(&other)
                ))
            }
            None => return Err(
                "not a MockForge recorded exchange: expected a `request` object and a `response`"
                    .into(),
            ),
        };
    let request: Request = serde_json::from_value(request).map_err(|e| format!("request: {e}"))?;
    let response: Option<Response> = match response {
        None | Some(Value::Null) => None,
        Some(value) => Some(serde_json::from_value(value).map_err(|e| format!("response: {e}"))?),
    };
    if let Some(protocol) = request.protocol.as_deref() {
        if !protocol.eq_ignore_ascii_case("http") {
            return Err(format!(
                "protocol {protocol} is not HTTP: coverage reads HTTP exchanges only"
            ));
        }
    }
    let method = request
        .method
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let path = request
        .path
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let (method, path) = match (method, path) {
        (Some(method), Some(path)) => (method, path),
        (None, Some(_)) => return Err("request has no method".into()),
        (Some(_), None) => return Err("request has no path".into()),
        (None, None) => return Err("request has no method and path".into()),
    };
    let status = response
        .as_ref()
        .and_then(|r| r.status_code)
        .or(request.status_code)
        .unwrap_or(0);
    if status == 0 {
        return Err("no response was recorded (status 0): the request got no answer".into());
    }
    let status = u16::try_from(status)
        .ok()
        .filter(|s| *s <= 999)
        .ok_or_else(|| format!("status_code {status} is not an HTTP status"))?;
    let timestamp = match request.timestamp {
        None | Some(Value::Null) => now,
        Some(value) => {
            parse_timestamp(&value).map_err(|reason| format!("request.timestamp: {reason}"))?
        }
    };
    let (path, inline_query) = match path.split_once('?') {
        Some((bare, query)) => (bare, Some(query)),
        None => (path, None),
    };
    let query = request
        .query_params
        .as_deref()
        .map(query_text)
        .or_else(|| inline_query.map(str::to_string))
        .filter(|q| !q.is_empty());
    let headers = headers_of(request.headers);
    let header = |name: &str| {
        headers.as_ref().and_then(|h| {
            h.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .and_then(|(_, value)| value.as_str())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        })
    };
    Ok(Exchange {
        timestamp,
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        query,
        status,
        scenario: header("x-mockops-scenario"),
        persona: header("x-mockops-persona"),
        ci_run: header("x-mockops-ci-run"),
        duration_ms: request
            .duration_ms
            .filter(|ms| ms.is_finite() && *ms >= 0.0),
        request_body: request
            .body
            .as_deref()
            .and_then(|body| body_text(body, request.body_encoding.as_deref())),
        response_body: response.and_then(|r| {
            r.body
                .as_deref()
                .and_then(|body| body_text(body, r.body_encoding.as_deref()))
        }),
        source: "mockforge".into(),
        ..Exchange::default()
    })
}

/// `query_params` as a query string: MockForge's middleware stores the raw query, its
/// HAR export reads a JSON object of parameters; both are met.
fn query_text(raw: &str) -> String {
    match serde_json::from_str::<serde_json::Map<String, Value>>(raw) {
        Ok(params) => params
            .iter()
            .map(|(name, value)| match value {
                Value::String(text) => format!("{name}={text}"),
                other => format!("{name}={other}"),
            })
            .collect::<Vec<_>>()
            .join("&"),
        Err(_) => raw.trim().trim_start_matches('?').to_string(),
    }
}

/// The request headers: MockForge stores them as the JSON text of an object.
fn headers_of(value: Option<Value>) -> Option<serde_json::Map<String, Value>> {
    match value? {
        Value::Object(map) => Some(map),
        Value::String(text) => serde_json::from_str(&text).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
    }

    fn request(extra: Value) -> Value {
        let mut base = json!({
            "id": "r1", "protocol": "Http", "timestamp": "2026-03-02T10:15:30.123456789Z",
            "method": "get", "path": "/api/users", "query_params": null,
            "headers": "{\"X-Mockops-Scenario\":\"happy\",\"x-mockops-ci-run\":\"run-7\"}",
            "body": null, "body_encoding": "utf8", "client_ip": "127.0.0.1", "trace_id": null,
            "span_id": null, "duration_ms": 12, "status_code": null, "tags": null
        });
        if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
            base.extend(extra);
        }
        base
    }

    fn response(status: i64, body: Value, encoding: &str) -> Value {
        json!({"request_id": "r1", "status_code": status, "headers": "{}", "body": body,
               "body_encoding": encoding, "size_bytes": 2, "timestamp": "2026-03-02T10:15:30Z"})
    }

    #[test]
    fn a_recorded_exchange_becomes_an_exchange() {
        let x = to_exchange(
            Some(request(json!({"query_params": "page=1&limit=10"}))),
            Some(response(200, json!("eyJpZCI6MX0="), "base64")),
            now(),
        )
        .unwrap();
        assert_eq!(
            (x.method.as_str(), x.path.as_str(), x.status),
            ("GET", "/api/users", 200)
        );
        assert_eq!(x.query.as_deref(), Some("page=1&limit=10"));
        assert_eq!(
            x.response_body.as_deref(),
            Some("{\"id\":1}"),
            "base64 decoded"
        );
        assert_eq!(
            x.scenario.as_deref(),
            Some("happy"),
            "headers are case-insensitive"
        );
        assert_eq!(x.ci_run.as_deref(), Some("run-7"));
        assert_eq!(x.persona, None);
        assert_eq!(x.duration_ms, Some(12.0));
        assert_eq!(x.timestamp.timestamp_subsec_nanos(), 123_456_789);
        assert_eq!(
            (x.source.as_str(), x.service.as_deref()),
            ("mockforge", None)
        );
        // The query as a JSON object (what MockForge's HAR export expects), headers as an
        // object, a request body in UTF-8.
        let x = to_exchange(
            Some(request(json!({
                "query_params": "{\"fields\":\"name\",\"n\":2}",
                "headers": {"x-mockops-persona": "alice"},
                "body": "{\"name\":\"Ada\"}"
            }))),
            Some(response(201, Value::Null, "utf8")),
            now(),
        )
        .unwrap();
        assert_eq!(x.query.as_deref(), Some("fields=name&n=2"));
        assert_eq!(x.persona.as_deref(), Some("alice"));
        assert_eq!(x.request_body.as_deref(), Some("{\"name\":\"Ada\"}"));
        assert_eq!(x.response_body, None);
    }

    #[test]
    fn what_is_not_an_http_answer_is_skipped_with_a_reason() {
        let reason = |request: Option<Value>, response: Option<Value>| {
            to_exchange(request, response, now()).unwrap_err()
        };
        assert!(reason(Some(request(json!({}))), None).contains("no response"));
        assert!(reason(Some(request(json!({}))), Some(Value::Null)).contains("no response"));
        assert!(reason(
            Some(request(json!({}))),
            Some(response(0, Value::Null, "utf8"))
        )
        .contains("no response"));
        let grpc = reason(
            Some(request(json!({"protocol": "Grpc"}))),
            Some(response(0, Value::Null, "utf8")),
        );
        assert_eq!(
            grpc,
            "protocol Grpc is not HTTP: coverage reads HTTP exchanges only"
        );
        assert!(reason(None, None).contains("`request` object"));
        assert!(reason(Some(json!([1])), None).contains("an array"));
        assert_eq!(
            reason(
                Some(request(json!({"path": ""}))),
                Some(response(200, Value::Null, "utf8"))
            ),
            "request has no path"
        );
        assert!(reason(
            Some(request(json!({"timestamp": "yesterday"}))),
            Some(response(200, Value::Null, "utf8"))
        )
        .contains("request.timestamp"));
        // A status MockForge kept on the request counts when the response is missing.
        let x = to_exchange(Some(request(json!({"status_code": 204}))), None, now()).unwrap();
        assert_eq!(x.status, 204);
    }
}
