//! Loading pipeline files into checked [`Pipeline`]s, with every problem located
//! (file, line, column) and, for templates, the static reference check of §2.2.

use super::filter::Filter;
use super::model::{PipelineDoc, RetryDoc, StepDoc, TriggerDoc};
use super::template;
use super::{Pipeline, RetryPolicy, RunIf, Step, Trigger};
use crate::events;
use crate::steps;
use crate::yamlfile::{self, YamlError};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A finding about a definition file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub error: YamlError,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "error: {}", self.error),
            Severity::Warning => write!(f, "warning: {}", self.error),
        }
    }
}

/// Pipelines loaded from files, with every finding.
#[derive(Default)]
pub struct Loaded {
    pub pipelines: Vec<Pipeline>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Every `*.yaml`/`*.yml` file in `dir`, sorted (none when the folder is missing).
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Loads every pipeline file of `dir`; names must be unique across them.
pub fn load_dir(dir: &Path, root: &Path) -> Loaded {
    load_files(&yaml_files(dir), root)
}

/// Loads the given files; names must be unique across them.
pub fn load_files(files: &[PathBuf], root: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for path in files {
        let (pipeline, diags) = load_file(path, root);
        loaded.diagnostics.extend(diags);
        if let Some(p) = pipeline {
            if let Some(other) = names.insert(p.name.clone(), p.file.clone()) {
                loaded.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    error: YamlError::whole(
                        Path::new(&p.file),
                        format!("pipeline name `{}` is already used by {other}", p.name),
                    ),
                });
                continue;
            }
            loaded.pipelines.push(p);
        }
    }
    loaded.pipelines.sort_by(|a, b| a.name.cmp(&b.name));
    super::index_filters(&mut loaded.pipelines);
    loaded
}

/// Loads one pipeline file: the pipeline when it has no error, and every finding.
pub fn load_file(path: &Path, root: &Path) -> (Option<Pipeline>, Vec<Diagnostic>) {
    let shown = display_path(path, root);
    let doc: PipelineDoc = match yamlfile::load(path) {
        Ok(doc) => doc,
        Err(mut e) => {
            e.file = PathBuf::from(&shown);
            return (None, vec![error(e)]);
        }
    };
    let mut checker = Checker {
        file: PathBuf::from(&shown),
        diags: Vec::new(),
    };
    let pipeline = checker.pipeline(doc, path, &shown);
    let ok = !checker.diags.iter().any(|d| d.severity == Severity::Error);
    (pipeline.filter(|_| ok), checker.diags)
}

fn display_path(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn error(e: YamlError) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        error: e,
    }
}

struct Checker {
    file: PathBuf,
    diags: Vec<Diagnostic>,
}

impl Checker {
    fn err_at<T>(&mut self, span: &Spanned<T>, msg: impl Into<String>) {
        self.diags
            .push(error(YamlError::spanned(&self.file, span, msg)));
    }

    fn warn_at<T>(&mut self, span: &Spanned<T>, msg: impl Into<String>) {
        self.diags.push(Diagnostic {
            severity: Severity::Warning,
            error: YamlError::spanned(&self.file, span, msg),
        });
    }

    fn err_file(&mut self, msg: impl Into<String>) {
        self.diags.push(error(YamlError::whole(&self.file, msg)));
    }

    fn pipeline(&mut self, doc: PipelineDoc, path: &Path, shown: &str) -> Option<Pipeline> {
        let PipelineDoc {
            name,
            mut description,
            mut enabled,
            mut triggers,
            mut step_defaults,
            mut steps,
            definition,
        } = doc;
        if let Some(def) = definition {
            let dup = triggers.is_some() || steps.is_some() || step_defaults.is_some();
            if dup {
                self.err_file("`definition:` (MockForge's form) cannot be combined with top-level `triggers`/`steps`/`step_defaults`");
            }
            description = description.or(def.description);
            enabled = enabled.or(def.enabled);
            triggers = def.triggers;
            steps = def.steps;
            step_defaults = def.step_defaults;
        }
        let name = match name {
            Some(n) if n.value.trim().is_empty() => {
                self.err_at(&n, "pipeline `name` is empty");
                n.value
            }
            Some(n) => n.value,
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "pipeline".into()),
        };
        let triggers = triggers.unwrap_or_default();
        if triggers.is_empty() {
            self.err_file("a pipeline needs at least one trigger (`triggers: [{event: ...}]`)");
        }
        let triggers: Vec<Trigger> = triggers
            .into_iter()
            .filter_map(|t| self.trigger(t))
            .collect();
        let defaults = self.step_defaults(step_defaults.unwrap_or_default());
        let steps_doc = steps.unwrap_or_default();
        if steps_doc.is_empty() {
            self.err_file("a pipeline needs at least one step");
        }
        let trigger_types: Vec<String> = triggers.iter().map(|t| t.event_type.clone()).collect();
        let mut built: Vec<Step> = Vec::new();
        for (i, s) in steps_doc.into_iter().enumerate() {
            let earlier: Vec<String> = built.iter().map(|s| s.name.clone()).collect();
            let name_span = s.name.clone();
            if let Some(step) = self.step(s, i, &defaults, &earlier, &trigger_types) {
                if earlier.contains(&step.name) {
                    let message = format!("step name `{}` is used twice", step.name);
                    match &name_span {
                        Some(span) => self.err_at(span, message),
                        None => self.err_file(message),
                    }
                    continue;
                }
                built.push(step);
            }
        }
        Some(Pipeline {
            name,
            file: shown.to_string(),
            path: path.to_path_buf(),
            description,
            enabled: enabled.unwrap_or(true),
            triggers,
            steps: built,
        })
    }

    fn trigger(&mut self, t: TriggerDoc) -> Option<Trigger> {
        if let Err(e) = events::check_type(&t.event.value) {
            self.err_at(&t.event, e.to_string());
            return None;
        }
        let filters = self.filters(t.filters);
        Some(Trigger {
            event_type: t.event.value,
            filters,
            signature: usize::MAX,
        })
    }

    fn filters(&mut self, doc: BTreeMap<String, Spanned<Value>>) -> Vec<Filter> {
        let mut out = Vec::new();
        for (key, spec) in doc {
            match Filter::parse(&key, &spec.value) {
                Ok(f) => out.push(f),
                Err(msg) => self.err_at(&spec, msg),
            }
        }
        out
    }

    fn step_defaults(
        &mut self,
        doc: BTreeMap<String, BTreeMap<String, Spanned<Value>>>,
    ) -> BTreeMap<String, Map<String, Value>> {
        let mut out = BTreeMap::new();
        for (type_name, config) in doc {
            if steps::find(&type_name).is_none() {
                let hint = crate::yamlfile::nearest(&type_name, steps::names())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                self.err_file(format!(
                    "step_defaults: unknown step type `{type_name}`{hint}"
                ));
                continue;
            }
            out.insert(
                type_name,
                config.into_iter().map(|(k, v)| (k, v.value)).collect(),
            );
        }
        out
    }

    fn step(
        &mut self,
        s: StepDoc,
        index: usize,
        defaults: &BTreeMap<String, Map<String, Value>>,
        earlier: &[String],
        trigger_types: &[String],
    ) -> Option<Step> {
        let type_span = &s.step_type;
        let Some(kind) = steps::find(&type_span.value) else {
            let hint = crate::yamlfile::nearest(&type_span.value, steps::names())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            self.err_at(
                type_span,
                format!(
                    "unknown step type `{}`{hint}; step types are {}",
                    type_span.value,
                    steps::names().join(", ")
                ),
            );
            return None;
        };
        let name = match &s.name {
            Some(n) if n.value.trim().is_empty() => {
                self.err_at(n, "step `name` is empty");
                return None;
            }
            Some(n) => n.value.clone(),
            None => format!("{}-{}", kind.name(), index + 1),
        };
        // Config: defaults for this type, then the step's own keys over them.
        let mut config: Map<String, Value> = defaults.get(kind.name()).cloned().unwrap_or_default();
        let own = s.config.unwrap_or_default();
        let allowed = kind.config_keys();
        for (key, value) in &own {
            if !allowed.contains(&key.as_str()) {
                let hint = crate::yamlfile::nearest(key, allowed.iter().copied())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                self.err_at(
                    value,
                    format!(
                        "step `{name}`: unknown config key `{key}` for type `{}`{hint}; keys are {}",
                        kind.name(),
                        allowed.join(", ")
                    ),
                );
            }
        }
        for key in config.keys() {
            if !allowed.contains(&key.as_str()) {
                self.err_file(format!(
                    "step_defaults.{}: unknown config key `{key}`",
                    kind.name()
                ));
            }
        }
        for (key, value) in own {
            config.insert(key, value.value);
        }
        for problem in kind.check_config(&config) {
            self.err_at(type_span, format!("step `{name}`: {problem}"));
        }
        self.check_templates(&name, &config, type_span, earlier, trigger_types);

        let timeout = match &s.timeout {
            None => None,
            Some(t) => match duration_of(&t.value) {
                Ok(d) => Some(d),
                Err(msg) => {
                    self.err_at(t, format!("step `{name}`: timeout: {msg}"));
                    None
                }
            },
        };
        let retry = self.retry(&name, s.retry, kind.retry_defaults());
        let run_if = match &s.condition {
            None => RunIf::Success,
            Some(c) => {
                match c.value.trim().replace(' ', "").as_str() {
                    "success()" | "success" => RunIf::Success,
                    "failure()" | "failure" => RunIf::Failure,
                    "always()" | "always" => RunIf::Always,
                    other => {
                        self.err_at(c, format!("step `{name}`: `if: {other}` must be success(), failure() or always()"));
                        RunIf::Success
                    }
                }
            }
        };
        let when = match s.when {
            Some(w) => {
                for key in w.keys() {
                    let root = template::split_path(key)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    if root == "steps" {
                        let target = template::split_path(key)
                            .get(1)
                            .cloned()
                            .unwrap_or_default();
                        if !earlier.contains(&target) {
                            self.err_at(type_span, format!("step `{name}`: `when` refers to `steps.{target}`, which is not an earlier step"));
                        }
                    }
                }
                self.filters(w)
            }
            None => Vec::new(),
        };
        Some(Step {
            name,
            kind,
            config,
            timeout,
            retry,
            continue_on_error: s.continue_on_error.unwrap_or(false),
            run_if,
            when,
        })
    }

    fn retry(
        &mut self,
        name: &str,
        doc: Option<RetryDoc>,
        defaults: steps::RetryDefaults,
    ) -> RetryPolicy {
        let mut policy = RetryPolicy {
            attempts: defaults.attempts,
            backoff: defaults.backoff,
            factor: 2.0,
            max_backoff: None,
        };
        let Some(doc) = doc else { return policy };
        if let Some(a) = doc.attempts {
            if a.value == 0 {
                self.err_at(
                    &a,
                    format!(
                        "step `{name}`: retry.attempts counts every try and must be at least 1"
                    ),
                );
            }
            policy.attempts = a.value.max(1);
        }
        if let Some(b) = doc.backoff {
            match duration_of(&b.value) {
                Ok(d) => policy.backoff = d,
                Err(msg) => self.err_at(&b, format!("step `{name}`: retry.backoff: {msg}")),
            }
        }
        if let Some(f) = doc.factor {
            if !(f.value.is_finite() && f.value >= 1.0) {
                self.err_at(
                    &f,
                    format!("step `{name}`: retry.factor must be a number >= 1"),
                );
            } else {
                policy.factor = f.value;
            }
        }
        if let Some(m) = doc.max_backoff {
            match duration_of(&m.value) {
                Ok(d) => policy.max_backoff = Some(d),
                Err(msg) => self.err_at(&m, format!("step `{name}`: retry.max_backoff: {msg}")),
            }
        }
        policy
    }

    fn check_templates(
        &mut self,
        step: &str,
        config: &Map<String, Value>,
        at: &Spanned<String>,
        earlier: &[String],
        trigger_types: &[String],
    ) {
        let mut strings = Vec::new();
        collect_strings(&Value::Object(config.clone()), &mut strings);
        let required: BTreeSet<&str> = trigger_types
            .iter()
            .filter_map(|t| events::required_keys(t).map(|k| (t, k)))
            .flat_map(|(t, k)| k.iter().chain(events::mockforge::extra_keys(t)).copied())
            .collect();
        let free_payload = trigger_types.iter().any(|t| t.starts_with("custom."));
        for text in strings {
            let scan = match template::scan(&text) {
                Ok(s) => s,
                Err(e) => {
                    self.err_at(at, format!("step `{step}`: {e} in {text:?}"));
                    continue;
                }
            };
            for helper in &scan.helpers {
                if !template::MOCKOPS_HELPERS.contains(&helper.as_str())
                    && !template::BUILTIN_HELPERS.contains(&helper.as_str())
                {
                    let all = template::MOCKOPS_HELPERS
                        .iter()
                        .chain(template::BUILTIN_HELPERS)
                        .copied();
                    let hint = crate::yamlfile::nearest(helper, all)
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    self.err_at(
                        at,
                        format!("step `{step}`: unknown helper `{helper}`{hint}"),
                    );
                }
            }
            for path in scan.paths.iter().filter(|p| !p.in_block) {
                let segs = template::split_path(&path.path);
                let Some(root) = segs.first() else { continue };
                match root.as_str() {
                    "steps" => {
                        let target = segs.get(1).cloned().unwrap_or_default();
                        if !earlier.contains(&target) {
                            self.err_at(at, format!(
                                "step `{step}`: `{}` refers to step `{target}`, which is not an earlier step",
                                path.path
                            ));
                        }
                    }
                    "event" => {
                        let key = match segs.get(1).map(String::as_str) {
                            Some("payload") => segs.get(2).cloned(),
                            Some(
                                "id" | "type" | "workspace_id" | "source" | "timestamp"
                                | "parent_id",
                            )
                            | None => None,
                            Some(other) => Some(other.to_string()),
                        };
                        if let Some(key) = key {
                            if !free_payload && !required.contains(key.as_str()) {
                                self.warn_at(at, format!(
                                    "step `{step}`: `{}`: `{key}` is not a required payload key of {}",
                                    path.path,
                                    trigger_types.join(", ")
                                ));
                            }
                        }
                    }
                    "pipeline" | "run" | "env" | "project" | "workspace_id" | "workspace_name"
                    | "timestamp" => {}
                    other => {
                        if required.contains(other) {
                            continue;
                        }
                        if free_payload {
                            self.warn_at(at, format!("step `{step}`: `{}` is not a known name; it must be a key of the custom event's payload", path.path));
                        } else {
                            self.err_at(at, format!(
                                "step `{step}`: unknown name `{other}` in `{}`; use event, pipeline, run, steps, env, project or a payload key",
                                path.path
                            ));
                        }
                    }
                }
            }
        }
    }
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.contains("{{") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// `30` (seconds), `"30s"`, `"5m"`, `"1h"`.
pub fn duration_of(v: &Value) -> Result<Duration, String> {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(secs) if secs > crate::timefmt::MAX_DURATION.as_secs_f64() => {
                Err(format!("duration `{n}` is longer than 100 years"))
            }
            Some(secs) if secs.is_finite() && secs >= 0.0 => Ok(Duration::from_secs_f64(secs)),
            _ => Err(format!("invalid duration {n}")),
        },
        Value::String(s) => crate::timefmt::parse_duration(s),
        other => Err(format!(
            "invalid duration {other} (use e.g. 30, \"30s\", \"5m\")"
        )),
    }
}
