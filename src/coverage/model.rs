//! Inputs and outputs of coverage: the operations of the configured specs, budgets,
//! federation services, ingest options and summaries, and the report (its JSON keys).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// The operations of one configured OpenAPI spec (built by the spec loader).
#[derive(Debug, Clone, PartialEq)]
pub struct SpecOperations {
    /// The federation service the spec belongs to (`specs[].service` in `mockops.yaml`).
    pub service: Option<String>,
    pub spec_path: String,
    /// Paths of the spec's `servers` URLs (`https://api.example.com/v1` → `/v1`; Swagger 2.0: `basePath`).
    pub server_base_paths: Vec<String>,
    pub operations: Vec<OperationSpec>,
}

/// One operation: a method on a path template.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationSpec {
    /// Upper case (`GET`).
    pub method: String,
    /// The spec's template, e.g. `/pets/{petId}`.
    pub path: String,
    pub operation_id: Option<String>,
    pub responses: Vec<ResponseSpec>,
}

/// One declared response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseSpec {
    /// `"200"`, `"default"` or a range such as `"2XX"`.
    pub status: String,
    /// A self-contained JSON Schema of the JSON response body, when declared.
    pub json_schema: Option<serde_json::Value>,
}

/// A drift budget of `mockops.yaml` (`drift.budgets[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct DriftBudget {
    pub service: Option<String>,
    /// Glob over `"METHOD /template"`, e.g. `"GET /users/*"`.
    pub endpoint: Option<String>,
    pub max_drift_percent: f64,
    pub min_samples: u64,
}

/// A recorded change of a federation service's reality level.
#[derive(Debug, Clone, PartialEq)]
pub struct RealityChange {
    pub service: String,
    pub reality_level: String,
    pub changed_at: DateTime<Utc>,
}

/// A federation service as currently configured, for staleness.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceInfo {
    pub service: String,
    pub reality_level: String,
}

/// The report window: exchanges at or after `since`; `None` is `--since all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: Option<DateTime<Utc>>,
}

/// The format of a traffic file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    Har,
    /// JSON Lines of exchanges; MockForge's recorded exchanges are recognised per line.
    Jsonl,
    /// JSON Lines of MockForge's recorded exchanges (`{"request": …, "response": …}`) only.
    MockforgeJsonl,
}

/// What `coverage ingest` was told besides the files.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// `--input-format`; guessed from extension and content when `None`.
    pub input_format: Option<InputFormat>,
    pub scenario: Option<String>,
    pub persona: Option<String>,
    pub ci_run: Option<String>,
    /// The process environment (injected so tests are deterministic); CI run ids come from it.
    pub env: HashMap<String, String>,
    /// The time given to exchanges without a timestamp.
    pub now: DateTime<Utc>,
}

impl IngestOptions {
    /// Options with no flags, an empty environment and the given clock.
    pub fn new(now: DateTime<Utc>) -> Self {
        IngestOptions {
            input_format: None,
            scenario: None,
            persona: None,
            ci_run: None,
            env: HashMap::new(),
            now,
        }
    }
}

/// Progress of one file's ingest, reported every batch and once at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub file: String,
    pub bytes_read: u64,
    pub bytes_total: u64,
    /// Entries (HAR) or lines (JSONL) read so far.
    pub entries: u64,
}

/// A skipped entry: 1-based entry number (HAR) or line number (JSONL).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedEntry {
    pub file: String,
    pub entry: u64,
    pub reason: String,
}

/// The JSON shape of `coverage ingest --format json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestSummary {
    pub files: u64,
    /// Entries or non-blank lines read.
    pub read: u64,
    pub ingested: u64,
    pub duplicates: u64,
    pub rejected: Vec<RejectedEntry>,
}

impl IngestSummary {
    /// Adds another file's summary to this one.
    pub fn accumulate(&mut self, other: IngestSummary) {
        self.files += other.files;
        self.read += other.read;
        self.ingested += other.ingested;
        self.duplicates += other.duplicates;
        self.rejected.extend(other.rejected);
    }

    /// True when nothing could be ingested: no exchange was new or already stored
    /// (the CLI exits 2). Re-ingesting a file (all duplicates) is not a failure.
    pub fn nothing_ingested(&self) -> bool {
        self.ingested == 0 && self.duplicates == 0
    }
}

/// The coverage report; the serialized keys are those docs/coverage.md names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub endpoints: Vec<EndpointCoverage>,
    pub undeclared: Vec<UndeclaredTraffic>,
    /// Traffic of services that no configured spec names.
    pub services_without_spec: Vec<ServiceWithoutSpec>,
    /// Answers the gateway made itself (never coverage).
    pub gateway_answers: Vec<GatewayAnswer>,
    pub summary: Summary,
    pub scenarios: Vec<ScenarioHeat>,
    pub personas: Vec<PersonaHits>,
    pub staleness: Vec<Staleness>,
    pub drift: Vec<DriftRow>,
    /// Hits per operation per UTC day over the window (the team heatmap).
    pub heatmap: Heatmap,
    /// Coverage per CI run, branch or persona (`--by`); absent without `--by`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Groups>,
    /// When and over what window the report was made (for the renderers; not in JSON).
    #[serde(skip)]
    pub meta: ReportMeta,
}

/// The report's clock and window.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    pub generated_at: DateTime<Utc>,
    pub since: Option<DateTime<Utc>>,
    pub service_filter: Option<String>,
}

/// `full`, `partial` or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageStatus {
    Full,
    Partial,
    None,
}

impl CoverageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Full => "full",
            CoverageStatus::Partial => "partial",
            CoverageStatus::None => "none",
        }
    }
}

/// One operation of a configured spec and the traffic it saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointCoverage {
    pub service: Option<String>,
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub hits: u64,
    /// Declared statuses, `default` excluded (`"200"`, `"2XX"`).
    pub statuses_declared: Vec<String>,
    /// Every status seen, ascending.
    pub statuses_seen: Vec<u16>,
    pub status: CoverageStatus,
}

/// Traffic that matched no operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndeclaredTraffic {
    pub service: Option<String>,
    pub method: String,
    pub path: String,
    pub hits: u64,
    /// The specs whose operations all fit, when no service or federation could decide
    /// between them (else empty).
    pub candidates: Vec<String>,
}

/// The traffic of a service that no configured spec names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceWithoutSpec {
    pub service: String,
    pub hits: u64,
    pub first_seen: String,
    pub last_seen: String,
}

/// Answers the gateway made itself for one request (no route, upstream down, an
/// injected error), by status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GatewayAnswer {
    pub service: Option<String>,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub hits: u64,
}

/// Totals over the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub operations: u64,
    pub covered: u64,
    pub full: u64,
    pub coverage_percent: f64,
    pub exchanges: u64,
}

/// One row of the scenario heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioHeat {
    pub scenario: String,
    pub hits: u64,
    pub buckets: Vec<DayBucket>,
}

/// Hits of one UTC day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayBucket {
    pub start: String,
    pub hits: u64,
}

/// A persona's use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonaHits {
    pub persona: String,
    pub ci_runs: u64,
    pub hits: u64,
    pub last_seen: String,
}

/// How long a federation service has been at its reality level, and since real traffic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Staleness {
    pub service: String,
    pub reality_level: String,
    pub since: Option<String>,
    pub days_at_level: Option<i64>,
    pub last_real_exchange: Option<String>,
    pub days_since_real: Option<i64>,
}

/// Drift of a service (`endpoint: "*"`) or of one endpoint (`"GET /pets/{petId}"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftRow {
    pub service: Option<String>,
    pub endpoint: String,
    pub total: u64,
    pub drifting: u64,
    pub drift_percent: f64,
    pub budget_percent: Option<f64>,
    pub exceeded: bool,
    /// The budget's verdict; `None` without a budget.
    pub verdict: Option<BudgetVerdict>,
}

/// A drift budget's verdict on a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetVerdict {
    Ok,
    Exceeded,
    /// Fewer exchanges than the budget's `min_samples`: no verdict can be given.
    Insufficient,
}

impl BudgetVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetVerdict::Ok => "ok",
            BudgetVerdict::Exceeded => "exceeded",
            BudgetVerdict::Insufficient => "insufficient",
        }
    }
}

/// An exceeded budget: the payload of `drift.threshold_exceeded`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftVerdict {
    pub service: Option<String>,
    pub endpoint: String,
    pub drift_percent: f64,
    pub threshold_percent: f64,
    pub drifting: u64,
    pub total: u64,
}

/// What `coverage report --by` groups exchanges by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The CI run id exchanges carry.
    CiRun,
    /// The branch (or ref) their CI run was recorded with.
    Branch,
    Persona,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::CiRun => "ci_run",
            GroupBy::Branch => "branch",
            GroupBy::Persona => "persona",
        }
    }
}

/// Coverage per group (`--by`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Groups {
    pub by: GroupBy,
    /// By group name; the exchanges without one (`group: null`) last.
    pub rows: Vec<GroupCoverage>,
}

/// The coverage one group's exchanges give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCoverage {
    /// The CI run, branch or persona; `null` for exchanges that name none.
    pub group: Option<String>,
    /// Operations of the report (the same for every group).
    pub operations: u64,
    /// Operations this group's exchanges hit.
    pub covered: u64,
    pub coverage_percent: f64,
    /// This group's exchanges that matched an operation.
    pub hits: u64,
    /// All of this group's exchanges in the window (undeclared traffic included).
    pub exchanges: u64,
    /// With `--by ci_run`: the run's branch and the jobs that recorded under it.
    #[serde(flatten)]
    pub ci: Option<CiRunContext>,
}

/// A CI run's branch and jobs as its CI named them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CiRunContext {
    pub branch: Option<String>,
    pub jobs: Vec<String>,
}

/// Endpoints × days: hits per operation per UTC day.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Heatmap {
    /// The start of each day (RFC 3339, 00:00 UTC), from the window's first day through
    /// today: the columns of every row.
    pub days: Vec<String>,
    /// One row per operation, in the order of `endpoints`.
    pub rows: Vec<HeatRow>,
}

/// One operation's hits per day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatRow {
    pub service: Option<String>,
    pub method: String,
    pub path: String,
    /// The sum of `days`.
    pub hits: u64,
    /// Hits per day, one per `Heatmap::days`.
    pub days: Vec<u64>,
}

pub(crate) fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// `part` of `whole` in percent, two decimals (0 of nothing is 0).
pub(crate) fn percent_of(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round2(part as f64 * 100.0 / whole as f64)
    }
}

pub(crate) fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn ms_to_rfc3339(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(rfc3339)
        .unwrap_or_default()
}
