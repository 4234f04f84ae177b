//! JSON Lines traffic: one exchange object per line (fields in docs/coverage.md), read line by line.
//!
//! `method`, `path` and `status` are required; other keys are ignored. Blank lines are
//! skipped (they still count for line numbers, which are 1-based). A line without
//! `method` and `path` but with a `request` object is MockForge's recorded exchange
//! (`mockforge`); with `--input-format mockforge-jsonl` every line must be one.

use super::{json_kind, mockforge, parse_timestamp, Sink};
use crate::coverage::CoverageError;
use crate::exchange::Exchange;
use serde::Deserialize;
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

#[derive(Deserialize)]
struct Line {
    timestamp: Option<Value>,
    method: Option<String>,
    path: Option<String>,
    query: Option<String>,
    status: Option<Value>,
    service: Option<String>,
    workspace_id: Option<String>,
    reality_level: Option<String>,
    scenario: Option<String>,
    persona: Option<String>,
    ci_run: Option<String>,
    duration_ms: Option<f64>,
    request_body: Option<Value>,
    response_body: Option<Value>,
    source: Option<String>,
    gateway_path: Option<String>,
    answered_by_gateway: Option<Value>,
    /// MockForge's recorded exchange.
    request: Option<Value>,
    response: Option<Value>,
}

/// Reads a JSON Lines file into the sink.
pub(super) fn read(
    reader: &mut impl BufRead,
    path: &Path,
    sink: &mut Sink<'_>,
    mockforge_only: bool,
) -> Result<(), CoverageError> {
    let mut buffer = Vec::with_capacity(4096);
    let mut line_number = 0u64;
    loop {
        buffer.clear();
        let n = reader
            .read_until(b'\n', &mut buffer)
            .map_err(|source| CoverageError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        if n == 0 {
            return Ok(());
        }
        line_number += 1;
        let line = buffer.trim_ascii();
        if line.is_empty() {
            continue;
        }
        sink.count_read();
        match parse_line(line, sink.now(), mockforge_only) {
            Ok(exchange) => sink.accept(exchange)?,
            Err(reason) => sink.reject(line_number, reason),
        }
    }
}

fn parse_line(
    line: &[u8],
    now: chrono::DateTime<chrono::Utc>,
    mockforge_only: bool,
) -> Result<Exchange, String> {
    if line.first() != Some(&b'{') {
        let kind = serde_json::from_slice::<Value>(line)
            .map(|v| json_kind(&v))
            .unwrap_or("not valid JSON");
        return Err(format!("line is {kind}, not a JSON object"));
    }
    let parsed: Line = serde_json::from_slice(line).map_err(|e| {
        let text = e.to_string();
        match text.rfind(" at line ") {
            Some(at) => format!("{} (column {})", &text[..at], e.column()),
            None => text,
        }
    })?;
    let recorded_by_mockforge = parsed.method.is_none()
        && parsed.path.is_none()
        && matches!(parsed.request, Some(Value::Object(_)));
    if mockforge_only || recorded_by_mockforge {
        return mockforge::to_exchange(parsed.request, parsed.response, now);
    }
    let method = parsed.method.filter(|m| !m.trim().is_empty());
    let path = parsed.path.filter(|p| !p.trim().is_empty());
    let missing: Vec<&str> = [
        ("method", method.is_none()),
        ("path", path.is_none()),
        ("status", parsed.status.is_none()),
    ]
    .iter()
    .filter(|(_, absent)| *absent)
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        return Err(format!("missing required field(s): {}", missing.join(", ")));
    }
    let status = parsed
        .status
        .as_ref()
        .map(status_of)
        .transpose()?
        .unwrap_or(0);
    if status == 0 {
        return Err("status 0: no response was recorded (the request got no answer)".into());
    }
    let answered_by_gateway = match parsed.answered_by_gateway {
        None | Some(Value::Null) => false,
        Some(Value::Bool(flag)) => flag,
        Some(other) => {
            return Err(format!(
                "answered_by_gateway must be true or false, not {}",
                json_kind(&other)
            ))
        }
    };
    if let Some(ms) = parsed
        .duration_ms
        .filter(|ms| !(ms.is_finite() && *ms >= 0.0))
    {
        return Err(format!(
            "duration_ms {ms} is not a duration (milliseconds, 0 or more)"
        ));
    }
    let timestamp = match parsed.timestamp {
        None | Some(Value::Null) => now,
        Some(value) => parse_timestamp(&value)?,
    };
    let path = path.unwrap_or_default();
    let (path, query) = match (path.split_once('?'), parsed.query) {
        (Some((bare, inline)), None) => (bare.to_string(), Some(inline.to_string())),
        (_, query) => (path, query),
    };
    Ok(Exchange {
        timestamp,
        method: method.unwrap_or_default().trim().to_ascii_uppercase(),
        path,
        query: query.filter(|q| !q.is_empty()),
        status,
        service: parsed.service,
        workspace_id: parsed.workspace_id,
        reality_level: parsed.reality_level,
        scenario: parsed.scenario,
        persona: parsed.persona,
        ci_run: parsed.ci_run,
        duration_ms: parsed.duration_ms,
        request_body: body_text(parsed.request_body),
        response_body: body_text(parsed.response_body),
        source: parsed.source.unwrap_or_else(|| "jsonl".into()),
        gateway_path: parsed.gateway_path,
        answered_by_gateway,
    })
}

fn status_of(value: &Value) -> Result<u16, String> {
    let number = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    number
        .filter(|n| *n <= 999)
        .map(|n| n as u16)
        .ok_or_else(|| format!("status must be an integer HTTP status, not {value}"))
}

/// A string is the body text; any other JSON value is kept as its JSON text.
fn body_text(value: Option<Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}
