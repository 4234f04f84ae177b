//! One step of a pipeline file checked: its type, its config (MockForge's keys that
//! mockops does not use warn and are dropped; unknown keys are errors), `timeout`,
//! `retry`, `if` and `when`.

use super::templates::StepTemplates;
use super::{duration_of, Checker};
use crate::pipeline::model::{RetryDoc, StepDoc};
use crate::pipeline::{template, RetryPolicy, RunIf, Step};
use crate::steps;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

impl Checker<'_> {
    pub(super) fn step(
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
        let mut own = s.config.unwrap_or_default();
        let allowed = kind.config_keys();
        for (key, note) in kind.ignored_keys() {
            if let Some(value) = own.remove(*key) {
                self.warn_at(
                    &value,
                    format!("step `{name}`: `{key}` is not used by mockops: {note}"),
                );
            }
        }
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
        let spans: BTreeMap<String, Spanned<()>> = own
            .iter()
            .map(|(k, v)| {
                let span = Spanned {
                    value: (),
                    referenced: v.referenced,
                    defined: v.defined,
                };
                (k.clone(), span)
            })
            .collect();
        for (key, value) in own {
            config.insert(key, value.value);
        }
        for problem in kind.check_config(&config) {
            self.err_at(type_span, format!("step `{name}`: {problem}"));
        }
        self.check_templates(&StepTemplates {
            step: &name,
            config: &config,
            spans: &spans,
            at: type_span,
            earlier,
            trigger_types,
        });

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
}
