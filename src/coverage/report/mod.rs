//! Renderers of the coverage report: terminal table, Markdown (PR comments) and a
//! self-contained HTML page. JSON is the report's serde serialization.

mod cells;
mod html;
mod markdown;
mod table;
mod team;

pub use html::render_html;
pub use markdown::render_markdown;
pub use table::render_table;

use super::model::{DriftRow, Report, Staleness};

/// `12.5%`, without trailing zeros noise.
pub(crate) fn percent(value: f64) -> String {
    let text = format!("{value:.1}");
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

/// `—` for a missing value.
pub(crate) fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_string(), str::to_string)
}

/// The window in words: `since 2026-03-03T12:00:00Z` or `all time`.
pub(crate) fn window_text(report: &Report) -> String {
    let mut text = match report.meta.since {
        Some(at) => format!("since {}", super::model::rfc3339(at)),
        None => "all time".to_string(),
    };
    if let Some(service) = &report.meta.service_filter {
        text.push_str(&format!(", service {service}"));
    }
    text
}

/// "12 days at mock since …" style summary of a staleness row's numbers.
pub(crate) fn days(value: Option<i64>) -> String {
    value.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The statuses seen of an endpoint, comma separated.
pub(crate) fn join_statuses(seen: &[u16]) -> String {
    seen.iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A drift row's verdict in words (`—` without a budget): never `ok` below `min_samples`.
pub(crate) fn verdict_text(row: &DriftRow) -> &'static str {
    row.verdict.map_or("—", |v| v.as_str())
}

/// Whether a report has nothing in it at all (no specs, no traffic, no services).
pub(crate) fn is_empty(report: &Report) -> bool {
    report.endpoints.is_empty() && report.summary.exchanges == 0 && report.staleness.is_empty()
}

pub(crate) fn staleness_level(row: &Staleness) -> String {
    match &row.since {
        Some(since) => format!("{} since {since}", row.reality_level),
        None => row.reality_level.clone(),
    }
}

#[cfg(test)]
pub(crate) mod sample;
