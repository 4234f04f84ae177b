//! One recorded request/response pair: the unit of traffic for coverage and drift.
//!
//! Exchanges come from `federation serve` (the gateway records them) and from
//! `coverage ingest` (HAR and JSON Lines files).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A request/response pair as recorded (docs/coverage.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub timestamp: DateTime<Utc>,
    pub method: String,
    /// The path as the service received it (without the query).
    pub path: String,
    /// The raw query string without `?`.
    pub query: Option<String>,
    pub status: u16,
    pub service: Option<String>,
    pub workspace_id: Option<String>,
    pub reality_level: Option<String>,
    pub scenario: Option<String>,
    pub persona: Option<String>,
    pub ci_run: Option<String>,
    pub duration_ms: Option<f64>,
    /// Body texts (JSON is kept as its text).
    pub request_body: Option<String>,
    pub response_body: Option<String>,
    /// Where it came from: `gateway`, `har`, `jsonl`.
    pub source: String,
    /// For gateway traffic: the path the gateway received.
    pub gateway_path: Option<String>,
    /// The gateway answered itself (no route, upstream unreachable or timed out, an
    /// injected error): the answer says nothing about the service, so it never counts as
    /// coverage or drift.
    #[serde(default)]
    pub answered_by_gateway: bool,
}

impl Exchange {
    /// A content fingerprint: the same exchange ingested twice has the same one.
    pub fn fingerprint(&self) -> String {
        hex::encode(self.fingerprint_bytes())
    }

    /// The bytes [`Exchange::fingerprint`] spells in hex (the store keeps the first 8,
    /// taken from here without a trip through hex).
    pub fn fingerprint_bytes(&self) -> [u8; 16] {
        let mut h = Sha256::new();
        let fields: [&str; 14] = [
            &self
                .timestamp
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            &self.method,
            &self.path,
            self.query.as_deref().unwrap_or("\u{0}"),
            &self.status.to_string(),
            self.service.as_deref().unwrap_or("\u{0}"),
            self.workspace_id.as_deref().unwrap_or("\u{0}"),
            self.reality_level.as_deref().unwrap_or("\u{0}"),
            self.scenario.as_deref().unwrap_or("\u{0}"),
            self.persona.as_deref().unwrap_or("\u{0}"),
            self.ci_run.as_deref().unwrap_or("\u{0}"),
            self.request_body.as_deref().unwrap_or("\u{0}"),
            self.response_body.as_deref().unwrap_or("\u{0}"),
            self.gateway_path.as_deref().unwrap_or("\u{0}"),
        ];
        for f in fields {
            h.update((f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
        // Only when set, so exchanges stored before the flag existed keep their fingerprint.
        if self.answered_by_gateway {
            h.update(u64::MAX.to_le_bytes());
        }
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&h.finalize()[..16]);
        bytes
    }
}
