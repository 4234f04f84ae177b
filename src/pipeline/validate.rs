//! Loading pipeline files into checked [`Pipeline`]s, with every problem located
//! (file, line, column) and, for templates, the static reference check.

use super::filter::Filter;
use super::model::{self, Node, PipelineDoc, TriggerDoc};
use super::{Pipeline, Step, Trigger};
use crate::events;
use crate::steps;
use crate::yamlfile::{self, YamlError};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[path = "validate_steps.rs"]
mod step;
#[path = "validate_templates.rs"]
mod templates;

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

/// Extensions of definition files (pipelines, federations): YAML, and JSON, which
/// MockForge's API takes (JSON is read as the YAML it also is).
pub const DEFINITION_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Every definition file (`*.yaml`, `*.yml`, `*.json`) in `dir`, sorted (none when the
/// folder is missing).
pub fn definition_files(dir: &Path) -> Vec<PathBuf> {
    files_with(dir, DEFINITION_EXTENSIONS)
}

/// Every `*.yaml`/`*.yml` file in `dir`, sorted (none when the folder is missing).
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    files_with(dir, &["yaml", "yml"])
}

/// Whether `path` names a definition file by its extension.
pub fn is_definition_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DEFINITION_EXTENSIONS.contains(&e))
}

fn files_with(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .and_then(|e| e.to_str())
                            .is_some_and(|e| extensions.contains(&e))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Loads every pipeline file of `dir`; names must be unique across them.
pub fn load_dir(dir: &Path, root: &Path) -> Loaded {
    load_files(&definition_files(dir), root)
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
                let file = Path::new(&p.file);
                let message = format!("pipeline name `{}` is already used by {other}", p.name);
                loaded.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    error: match p.name_at {
                        Some((line, column)) => YamlError::at(file, line, column, message),
                        None => YamlError::whole(file, message),
                    },
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
    let file = PathBuf::from(&shown);
    let located = |mut e: YamlError| {
        e.file = file.clone();
        error(e)
    };
    let text = match yamlfile::read_text(path) {
        Ok(text) => text,
        Err(e) => return (None, vec![located(e)]),
    };
    // First every unknown key of every level (the typed documents ignore them), so one
    // run reports them all; then the typed document.
    let tree: Spanned<Node> = match yamlfile::parse(path, &text) {
        Ok(tree) => tree,
        Err(e) => return (None, vec![located(e)]),
    };
    let mut checker = Checker {
        file: file.clone(),
        text: &text,
        tree: &tree,
        in_definition: false,
        diags: Vec::new(),
    };
    for unknown in model::unknown_keys(&tree) {
        let key = &unknown.key.value;
        let hint = crate::yamlfile::nearest(key, unknown.known.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        checker.err_at(
            unknown.key,
            format!(
                "unknown field `{key}`{hint}; fields here are {}",
                unknown.known.join(", ")
            ),
        );
    }
    let doc: PipelineDoc = match yamlfile::parse(path, &text) {
        Ok(doc) => doc,
        Err(e) => {
            checker.diags.push(located(e));
            return (None, checker.diags);
        }
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

struct Checker<'t> {
    file: PathBuf,
    /// The file's text, to place template errors inside a value.
    text: &'t str,
    /// The file as read first, to place findings about keys.
    tree: &'t Spanned<Node>,
    /// The file uses MockForge's `definition:` form.
    in_definition: bool,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Where the key at `path` (under `definition:` in MockForge's form) is written.
    fn key_at(&self, path: &[&str]) -> Option<Spanned<()>> {
        let prefix: &[&str] = if self.in_definition {
            &["definition"]
        } else {
            &[]
        };
        let mut node = self.tree;
        let mut found = None;
        for segment in prefix.iter().chain(path) {
            let Node::Map(entries) = &node.value else {
                return None;
            };
            let (key, value) = entries.iter().find(|(k, _)| k.value == *segment)?;
            found = Some(Spanned {
                value: (),
                referenced: key.referenced,
                defined: key.defined,
            });
            node = value;
        }
        found
    }

    /// An error at the key at `path` when it is found, else about the whole file.
    fn err_at_key(&mut self, path: &[&str], msg: impl Into<String>) {
        match self.key_at(path) {
            Some(span) => self.err_at(&span, msg),
            None => self.err_file(msg),
        }
    }

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

    fn warn_file(&mut self, msg: impl Into<String>) {
        self.diags.push(Diagnostic {
            severity: Severity::Warning,
            error: YamlError::whole(&self.file, msg),
        });
    }

    /// A warning at `span` when there is one, else about the whole file.
    fn warn_maybe_at<T>(&mut self, span: Option<&Spanned<T>>, msg: impl Into<String>) {
        match span {
            Some(span) => self.warn_at(span, msg),
            None => self.warn_file(msg),
        }
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
            workspace_id,
            org_id,
        } = doc;
        let mut definition_name = None;
        if let Some(def) = definition {
            let dup = triggers.is_some() || steps.is_some() || step_defaults.is_some();
            if dup {
                self.err_at_key(&["definition"], "`definition:` (MockForge's form) cannot be combined with top-level `triggers`/`steps`/`step_defaults`");
            }
            self.in_definition = true;
            description = description.or(def.description);
            enabled = enabled.or(def.enabled);
            triggers = def.triggers;
            steps = def.steps;
            step_defaults = def.step_defaults;
            definition_name = def.name;
        }
        // MockForge's API stores a pipeline's `name` beside its `definition`, whose own
        // `name` is required: either names the pipeline; when both do, the outer one wins.
        let name = match (name, definition_name) {
            (Some(outer), Some(inner)) => {
                if inner.value != outer.value {
                    self.warn_at(
                        &inner,
                        format!(
                            "`definition.name` `{}` differs from `name` `{}`; the pipeline is called `{}`",
                            inner.value, outer.value, outer.value
                        ),
                    );
                }
                Some(outer)
            }
            (outer, inner) => outer.or(inner),
        };
        let name_at = name
            .as_ref()
            .map(|n| (n.referenced.line(), n.referenced.column()))
            .filter(|(line, _)| *line > 0);
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
        // MockForge's minimal pipeline has `triggers: []` and `steps: []`.
        let triggers_span = triggers.as_ref().map(|t| Spanned {
            value: (),
            referenced: t.referenced,
            defined: t.defined,
        });
        let triggers = triggers.map(|t| t.value).unwrap_or_default();
        if triggers.is_empty() {
            self.warn_maybe_at(
                triggers_span.as_ref(),
                format!("pipeline `{name}` has no triggers: no event runs it; it runs only by hand (`mockops pipeline run {name} --event TYPE`)"),
            );
        }
        let mut triggers: Vec<Trigger> = triggers
            .into_iter()
            .filter_map(|t| self.trigger(t))
            .collect();
        // MockForge's API form scopes a pipeline to a workspace: its triggers match only
        // that workspace's events.
        if let Some(ws) = &workspace_id {
            match Filter::parse("workspace_id", &Value::String(ws.value.clone())) {
                Ok(scope) => triggers
                    .iter_mut()
                    .for_each(|t| t.filters.push(scope.clone())),
                Err(msg) => self.err_at(ws, msg),
            }
        }
        if let Some(org) = &org_id {
            self.warn_at(
                org,
                "`org_id`: mockops has no organisations, so it is not used; the pipeline runs for the events of its triggers (and `workspace_id`, when given)",
            );
        }
        let defaults = self.step_defaults(step_defaults.unwrap_or_default());
        let steps_span = steps.as_ref().map(|s| Spanned {
            value: (),
            referenced: s.referenced,
            defined: s.defined,
        });
        let steps_doc = steps.map(|s| s.value).unwrap_or_default();
        if steps_doc.is_empty() {
            self.warn_maybe_at(
                steps_span.as_ref(),
                format!("pipeline `{name}` has no steps: its runs do nothing"),
            );
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
            name_at,
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
            let Some(kind) = steps::find(&type_name) else {
                let hint = crate::yamlfile::nearest(&type_name, steps::names())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                self.err_at_key(
                    &["step_defaults", &type_name],
                    format!("step_defaults: unknown step type `{type_name}`{hint}"),
                );
                continue;
            };
            let allowed = kind.config_keys();
            let mut defaults = Map::new();
            for (key, value) in config {
                if let Some((_, note)) = kind.ignored_keys().iter().find(|(k, _)| *k == key) {
                    self.warn_at(
                        &value,
                        format!(
                            "step_defaults.{type_name}: `{key}` is not used by mockops: {note}"
                        ),
                    );
                } else if !allowed.contains(&key.as_str()) {
                    let hint = crate::yamlfile::nearest(&key, allowed.iter().copied())
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    self.err_at(
                        &value,
                        format!("step_defaults.{type_name}: unknown config key `{key}`{hint}; keys are {}", allowed.join(", ")),
                    );
                } else {
                    defaults.insert(key, value.value);
                }
            }
            out.insert(type_name, defaults);
        }
        out
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
