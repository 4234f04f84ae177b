//! Pipelines: the YAML model, loading and validation, filters, templates and the executor.

pub mod batch;
mod commit;
pub mod dry_run;
pub mod executor;
pub mod filter;
pub mod model;
pub mod template;
pub mod validate;

pub use validate::{load_dir, load_file, Diagnostic, Loaded, Severity};

use crate::steps::StepType;
use filter::Filter;
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::time::Duration;

/// A checked pipeline, ready to run.
#[derive(Clone)]
pub struct Pipeline {
    pub name: String,
    /// As shown to users (relative to the project root).
    pub file: String,
    /// On disk.
    pub path: PathBuf,
    /// Line and column of its `name` in the file (none when named after the file).
    pub name_at: Option<(u64, u64)>,
    pub description: Option<String>,
    pub enabled: bool,
    pub triggers: Vec<Trigger>,
    pub steps: Vec<Step>,
}

/// An event type and the filters its events must pass.
#[derive(Clone, Debug)]
pub struct Trigger {
    pub event_type: String,
    pub filters: Vec<Filter>,
    /// Index of this trigger's distinct (event type, filters) combination in its
    /// pipeline set (see [`index_filters`]); `usize::MAX` until indexed.
    pub signature: usize,
}

/// When a step runs, given how the run has gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunIf {
    Success,
    Failure,
    Always,
}

/// Retry policy: `attempts` counts every try, the first included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub backoff: Duration,
    pub factor: f64,
    pub max_backoff: Option<Duration>,
}

impl RetryPolicy {
    /// The wait before try number `next_attempt` (2 for the first retry).
    pub fn delay_before(&self, next_attempt: u32) -> Duration {
        let exp = next_attempt.saturating_sub(2).min(30) as i32;
        let secs = self.backoff.as_secs_f64() * self.factor.powi(exp);
        let d = Duration::from_secs_f64(secs.clamp(0.0, 86_400.0));
        match self.max_backoff {
            Some(max) => d.min(max),
            None => d,
        }
    }
}

/// A checked step.
#[derive(Clone)]
pub struct Step {
    pub name: String,
    pub kind: &'static dyn StepType,
    /// Config with `step_defaults` merged under it; strings are templates.
    pub config: Map<String, Value>,
    pub timeout: Option<Duration>,
    pub retry: RetryPolicy,
    pub continue_on_error: bool,
    pub run_if: RunIf,
    pub when: Vec<Filter>,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Step")
            .field("name", &self.name)
            .field("type", &self.kind.name())
            .finish()
    }
}

/// Numbers the distinct filters and the distinct triggers (event type + filters) of a
/// set of pipelines, so that [`matching`] evaluates each distinct filter and trigger once
/// per event however many pipelines share them. Returns the number of distinct filters.
pub fn index_filters(pipelines: &mut [Pipeline]) -> usize {
    let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut signatures: std::collections::HashMap<(String, Vec<usize>), usize> =
        std::collections::HashMap::new();
    for p in pipelines.iter_mut() {
        for t in p.triggers.iter_mut() {
            for f in t.filters.iter_mut() {
                let next = ids.len();
                f.id = *ids.entry(f.canonical.clone()).or_insert(next);
            }
            let mut key: Vec<usize> = t.filters.iter().map(|f| f.id).collect();
            key.sort_unstable();
            let next = signatures.len();
            t.signature = *signatures
                .entry((t.event_type.clone(), key))
                .or_insert(next);
        }
    }
    ids.len()
}

/// Scratch space for [`matching`], reused across events.
#[derive(Debug, Default)]
pub struct MatchMemo {
    filters: Vec<u8>,
    triggers: Vec<u8>,
}

/// The enabled pipelines with a trigger for the event's type whose filters pass, in order.
pub fn matching<'p>(
    pipelines: &'p [Pipeline],
    event_type: &str,
    view: &Value,
    memo: &mut MatchMemo,
) -> Vec<&'p Pipeline> {
    // The memo grows on demand (ids are dense from 0) and is reset, not rebuilt.
    memo.filters.fill(0);
    memo.triggers.fill(0);
    let MatchMemo {
        filters: fmemo,
        triggers: tmemo,
    } = memo;
    let mut trigger_holds = |t: &Trigger| {
        let eval = |fmemo: &mut Vec<u8>| {
            t.event_type == event_type && filter::all_hold_memo(&t.filters, view, fmemo)
        };
        if t.signature != usize::MAX && t.signature >= tmemo.len() {
            tmemo.resize(t.signature + 1, 0);
        }
        match tmemo.get_mut(t.signature) {
            Some(slot) => {
                if *slot == 0 {
                    *slot = if eval(fmemo) { 1 } else { 2 };
                }
                *slot == 1
            }
            None => eval(fmemo),
        }
    };
    pipelines
        .iter()
        .filter(|p| p.enabled && p.triggers.iter().any(&mut trigger_holds))
        .collect()
}

impl Pipeline {
    /// The first trigger whose type is `event_type` and whose filters pass `view`;
    /// otherwise the reason none matched (the first failing filter of the first trigger of that type).
    pub fn matches(&self, event_type: &str, view: &Value) -> Result<usize, String> {
        let mut reason = None;
        for (i, t) in self.triggers.iter().enumerate() {
            if t.event_type != event_type {
                continue;
            }
            match filter::check_all(&t.filters, view) {
                Ok(()) => return Ok(i),
                Err(why) => {
                    reason.get_or_insert(format!("trigger {}: {why}", i + 1));
                }
            }
        }
        if self.triggers.is_empty() {
            return Err("it has no triggers: it runs only through `pipeline run`".to_string());
        }
        Err(reason.unwrap_or_else(|| {
            let types: Vec<&str> = self
                .triggers
                .iter()
                .map(|t| t.event_type.as_str())
                .collect();
            format!(
                "no trigger for `{event_type}` (triggers: {})",
                types.join(", ")
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn memoized_matching_agrees_with_each_pipelines_own_filters() {
        let dir = tempfile::tempdir().unwrap();
        let pdir = dir.path().join("pipelines");
        std::fs::create_dir_all(&pdir).unwrap();
        let shapes = [
            "n: { gte: 1 }",
            "n: { gte: 2 }",
            "kind: a",
            "kind: [a, b]",
            "n: { gte: 1 }\n      kind: b",
        ];
        for (i, f) in shapes.iter().enumerate() {
            std::fs::write(
                pdir.join(format!("p{i}.yaml")),
                format!("triggers:\n  - event: custom.x\n    filters:\n      {f}\nsteps:\n  - {{name: s, type: emit, config: {{event: custom.y}}}}\n"),
            )
            .unwrap();
        }
        let loaded = load_dir(&pdir, dir.path());
        assert!(!loaded.has_errors());
        let distinct = index_filters(&mut loaded.pipelines.clone());
        assert_eq!(distinct, 5, "`n: gte 1` is shared by two pipelines");
        let mut memo = MatchMemo::default();
        for view in [
            json!({"n": 1, "kind": "a"}),
            json!({"n": 2, "kind": "b"}),
            json!({"kind": "c"}),
        ] {
            let fast: Vec<&str> = matching(&loaded.pipelines, "custom.x", &view, &mut memo)
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            let slow: Vec<&str> = loaded
                .pipelines
                .iter()
                .filter(|p| p.matches("custom.x", &view).is_ok())
                .map(|p| p.name.as_str())
                .collect();
            assert_eq!(fast, slow, "view {view}");
        }
        assert!(matching(
            &loaded.pipelines,
            "custom.other",
            &json!({"n": 5}),
            &mut memo
        )
        .is_empty());
    }
}
