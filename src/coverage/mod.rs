//! Coverage and drift from recorded traffic (docs/coverage.md): ingest HAR and JSON Lines into the
//! exchange table, match exchanges to the operations of the configured specs, and
//! report endpoint coverage, scenario heatmaps, persona hits, staleness and drift.
//!
//! The domain never prints: ingest reports progress through a callback, the report is
//! a value that the renderers (`table`, `json` via serde, `markdown`, `html`) turn into text.

mod drift;
pub mod ingest;
mod matcher;
mod metrics;
pub mod model;
mod report;
mod scan;

pub use ingest::ingest_file;
pub use matcher::Resolver;
pub use metrics::build_report;
pub use model::*;
pub use report::{render_html, render_markdown, render_table};

use crate::store::StoreError;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// What can go wrong in coverage.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file that cannot be read as a whole (a HAR that is not JSON, no `log.entries`).
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    BadFile { path: PathBuf, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("--since {given:?}: {message}")]
    BadSince { given: String, message: String },
    #[error("drift budget endpoint glob {glob:?}: {message}")]
    BadGlob { glob: String, message: String },
}

/// Parses `--since`: a duration back from `now` (`7d`, `36h`), an RFC 3339 date
/// (midnight UTC) or date-time, or `all`.
pub fn parse_since(given: &str, now: DateTime<Utc>) -> Result<Window, CoverageError> {
    crate::timefmt::parse_since(given, now)
        .map(|since| Window { since })
        .map_err(|message| CoverageError::BadSince {
            given: given.to_string(),
            message,
        })
}

/// The budgets that were exceeded: one `drift.threshold_exceeded` event each.
pub fn drift_verdicts(report: &Report) -> Vec<DriftVerdict> {
    report
        .drift
        .iter()
        .filter(|row| row.exceeded)
        .filter_map(|row| {
            Some(DriftVerdict {
                service: row.service.clone(),
                endpoint: row.endpoint.clone(),
                drift_percent: row.drift_percent,
                threshold_percent: row.budget_percent?,
                drifting: row.drifting,
                total: row.total,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
    }

    #[test]
    fn since_takes_durations_dates_and_all() {
        let w = parse_since("7d", now()).unwrap();
        assert_eq!(
            w.since,
            Some(Utc.with_ymd_and_hms(2026, 3, 3, 12, 0, 0).unwrap())
        );
        let w = parse_since("36h", now()).unwrap();
        assert_eq!(
            w.since,
            Some(Utc.with_ymd_and_hms(2026, 3, 9, 0, 0, 0).unwrap())
        );
        let w = parse_since("2026-03-01", now()).unwrap();
        assert_eq!(
            w.since,
            Some(Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap())
        );
        let w = parse_since("2026-03-01T06:00:00+02:00", now()).unwrap();
        assert_eq!(
            w.since,
            Some(Utc.with_ymd_and_hms(2026, 3, 1, 4, 0, 0).unwrap())
        );
        assert_eq!(parse_since("all", now()).unwrap().since, None);
    }

    #[test]
    fn since_rejects_nonsense_with_the_value() {
        let err = parse_since("last tuesday", now()).unwrap_err().to_string();
        assert!(err.contains("last tuesday"), "{err}");
        assert!(err.contains("7d"), "{err}");
    }
}
