//! `mockops.yaml`.

// The types describe the file for schemars; nothing reads their fields.
#![allow(dead_code)]

use schemars::JsonSchema;
use serde::Deserialize;

/// Project settings; every key is optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mockops.yaml")]
pub struct ConfigFile {
    /// The workspace id events carry (default: the project folder's name).
    pub workspace: Option<String>,
    /// Environments in promotion order (default `[dev, test, prod]`).
    pub environments: Option<Vec<String>>,
    /// The API specs `schema check` and `watch` follow, and coverage measures traffic
    /// against.
    pub specs: Option<Vec<Spec>>,
    /// Drift settings.
    pub drift: Option<Drift>,
    /// `watch` settings.
    pub watch: Option<Watch>,
    /// Guards against runaway event chains.
    pub limits: Option<Limits>,
}

/// A spec: its path, or a mapping with `path`, `service` and `import_paths`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Spec {
    /// The spec's path from the project root.
    Path(String),
    /// The spec with its service and import paths.
    Mapping(SpecMapping),
}

/// A spec with its service and import paths.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecMapping {
    /// The spec's path from the project root (an OpenAPI/Swagger file, a `.proto` file or
    /// a folder of them).
    pub path: String,
    /// The service the spec describes (coverage and drift group traffic by it).
    pub service: Option<String>,
    /// Protobuf import paths, from the project root.
    pub import_paths: Option<Vec<String>>,
}

/// Drift settings.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Drift {
    /// Drift budgets; the first whose `match` fits an endpoint applies.
    pub budgets: Option<Vec<Budget>>,
}

/// A drift budget.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Which endpoints the budget is for (all when absent).
    #[serde(rename = "match")]
    pub matches: Option<BudgetMatch>,
    /// The largest share of drifting exchanges (0 to 100) before `drift.threshold_exceeded`.
    pub max_drift_percent: f64,
    /// Fewer exchanges than this give no verdict (default 1).
    pub min_samples: Option<u64>,
}

/// Which endpoints a budget is for.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetMatch {
    /// The service.
    pub service: Option<String>,
    /// The endpoint: `METHOD /path` with `*` globs (`GET /pets/*`).
    pub endpoint: Option<String>,
}

/// `watch` settings.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    /// Quiet time after the last change before acting, in milliseconds (default 100).
    pub debounce_ms: Option<u64>,
    /// Glob patterns of paths not to watch.
    pub ignore: Option<Vec<String>>,
}

/// Guards against runaway event chains.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// How deep a chain of emitted events may go (at least 1).
    pub max_event_depth: Option<u32>,
    /// How many events one dispatch may emit in all (at least 1).
    pub max_events_per_dispatch: Option<u32>,
}
