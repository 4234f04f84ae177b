//! The static template check for one step's config: syntax (placed at the file's
//! line and column), helpers, and the names templates refer to — MockForge's flat names
//! (`{{event_type}}`, `{{workspace_id}}`, `{{org_id}}`, payload keys at the top) included.

use super::Checker;
use crate::events;
use crate::pipeline::template::{self, TemplateError};
use crate::yamlfile::YamlError;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};

/// Names at the top of the template context besides the payload keys.
const FLAT_NAMES: &[&str] = &[
    "pipeline",
    "run",
    "env",
    "project",
    "workspace_id",
    "workspace_name",
    "timestamp",
    "event_type",
    "org_id",
];

/// Fields of `event` besides the payload keys (also under `event.payload`).
const EVENT_FIELDS: &[&str] = &[
    "id",
    "type",
    "event_type",
    "workspace_id",
    "org_id",
    "source",
    "timestamp",
    "parent_id",
];

/// What the check needs to know about one step.
pub(super) struct StepTemplates<'a> {
    pub step: &'a str,
    /// The merged config (`step_defaults` under the step's own keys).
    pub config: &'a Map<String, Value>,
    /// Where each of the step's own top-level config values is in the file.
    pub spans: &'a BTreeMap<String, Spanned<()>>,
    /// The step's `type`, where findings without a better place go.
    pub at: &'a Spanned<String>,
    pub earlier: &'a [String],
    pub trigger_types: &'a [String],
}

impl Checker<'_> {
    pub(super) fn check_templates(&mut self, t: &StepTemplates<'_>) {
        let step = t.step;
        let at = t.at;
        let mut strings = Vec::new();
        for (key, value) in t.config {
            collect_strings(key, value, &mut strings);
        }
        // Our required keys and MockForge's spelling of them (both are in the payload).
        let required: BTreeSet<&str> = t
            .trigger_types
            .iter()
            .filter_map(|t| events::required_keys(t).map(|k| (t, k)))
            .flat_map(|(t, k)| k.iter().chain(events::mockforge::extra_keys(t)).copied())
            .collect();
        // Custom events carry any payload; a pipeline without triggers runs on whatever
        // event `pipeline run` is given.
        let free_payload =
            t.trigger_types.is_empty() || t.trigger_types.iter().any(|t| t.starts_with("custom."));
        let payload_of = if t.trigger_types.is_empty() {
            "the event given to `pipeline run`".to_string()
        } else {
            t.trigger_types.join(", ")
        };
        for (key, text) in strings {
            let scan = match template::scan(text) {
                Ok(s) => s,
                Err(TemplateError::Syntax {
                    message,
                    at: inside,
                }) => {
                    let (line, column) = self.place_in_value(t.spans.get(key), at, text, inside);
                    self.diags.push(super::error(YamlError::at(
                        &self.file,
                        line,
                        column,
                        format!("step `{step}`: config `{key}`: template syntax error: {message}"),
                    )));
                    continue;
                }
                Err(e) => {
                    self.err_at(at, format!("step `{step}`: config `{key}`: {e}"));
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
                        if !t.earlier.contains(&target) {
                            self.err_at(at, format!(
                                "step `{step}`: `{}` refers to step `{target}`, which is not an earlier step",
                                path.path
                            ));
                        }
                    }
                    "event" => {
                        let key = match segs.get(1).map(String::as_str) {
                            Some("payload") => segs.get(2).cloned(),
                            Some(field) if EVENT_FIELDS.contains(&field) => None,
                            None => None,
                            Some(other) => Some(other.to_string()),
                        };
                        if let Some(key) = key {
                            if !free_payload && !required.contains(key.as_str()) {
                                self.warn_at(at, format!(
                                    "step `{step}`: `{}`: `{key}` is not a required payload key of {payload_of}; the step fails unless the event's payload has it",
                                    path.path
                                ));
                            }
                        }
                    }
                    name if FLAT_NAMES.contains(&name) => {}
                    other if required.contains(other) => {}
                    _ if free_payload => {
                        self.warn_at(at, format!(
                            "step `{step}`: `{}` is not a known name; it must be a key of the payload of {payload_of}",
                            path.path
                        ));
                    }
                    // MockForge's flat form of a payload key (`{{drift_count}}`).
                    other if segs.len() == 1 => {
                        self.warn_at(at, format!(
                            "step `{step}`: `{other}` is not a required payload key of {payload_of}; the step fails unless the event's payload has it"
                        ));
                    }
                    other => {
                        self.err_at(at, format!(
                            "step `{step}`: unknown name `{other}` in `{}`; use event, pipeline, run, steps, env, project or a payload key (`event.payload.{}` for a value inside one)",
                            path.path, path.path
                        ));
                    }
                }
            }
        }
    }

    /// The file's line and column of a place inside a config value: the value's own
    /// place when the value is not a single template string whose text can be matched.
    fn place_in_value(
        &self,
        value: Option<&Spanned<()>>,
        fallback: &Spanned<String>,
        template: &str,
        inside: Option<(usize, usize)>,
    ) -> (u64, u64) {
        let (line, column) = match value {
            Some(v) if v.referenced.line() > 0 => (v.referenced.line(), v.referenced.column()),
            _ => (fallback.referenced.line(), fallback.referenced.column()),
        };
        let Some((t_line, t_col)) = inside else {
            return (line, column);
        };
        position_in_file(self.text, (line, column), template, (t_line, t_col))
            .unwrap_or((line, column))
    }
}

/// Maps line `t_line`, column `t_col` of `template` to the file, given where the YAML
/// scalar holding it starts: for plain and quoted scalars on one line, and for literal
/// block scalars (`|`). The template's text before the place must appear verbatim in the
/// file there (an escape or a folded line makes the mapping give up).
fn position_in_file(
    text: &str,
    (line, column): (u64, u64),
    template: &str,
    (t_line, t_col): (usize, usize),
) -> Option<(u64, u64)> {
    let file_lines: Vec<&str> = text.lines().collect();
    let start: Vec<char> = file_lines
        .get(usize::try_from(line).ok()? - 1)?
        .chars()
        .collect();
    let first = *start.get(usize::try_from(column).ok()? - 1)?;
    let template_line: Vec<char> = template
        .lines()
        .nth(t_line.checked_sub(1)?)?
        .chars()
        .collect();
    let before = template_line.get(..t_col.checked_sub(1)?)?;
    let (file_line, chars, offset): (u64, Vec<char>, usize) = match first {
        '|' => {
            let n = usize::try_from(line).ok()? + t_line - 1;
            let content: Vec<char> = file_lines.get(n)?.chars().collect();
            let indent = file_lines
                .get(usize::try_from(line).ok()?)?
                .chars()
                .take_while(|c| *c == ' ')
                .count();
            (n as u64 + 1, content, indent)
        }
        '>' => return None,
        '"' | '\'' if t_line == 1 => (line, start, usize::try_from(column).ok()?),
        _ if t_line == 1 => (line, start, usize::try_from(column).ok()? - 1),
        _ => return None,
    };
    let found = chars.get(offset..offset + before.len())?;
    (found == before).then_some((file_line, (offset + t_col) as u64))
}

/// Every template string of a config value, with the top-level key it is under.
fn collect_strings<'a>(key: &'a str, v: &'a Value, out: &mut Vec<(&'a str, &'a str)>) {
    match v {
        Value::String(s) if s.contains("{{") => out.push((key, s)),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(key, x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(key, x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::position_in_file;

    #[test]
    fn template_places_map_to_the_file() {
        let text = "steps:\n  - config:\n      a: \"x {{#if}}\"\n      b: y {{z\n      c: |\n        one\n        two {{oops\n";
        // double-quoted: the quote is column 10, the template's column 3 is column 13
        assert_eq!(
            position_in_file(text, (3, 10), "x {{#if}}", (1, 3)),
            Some((3, 13))
        );
        // plain
        assert_eq!(
            position_in_file(text, (4, 10), "y {{z", (1, 3)),
            Some((4, 12))
        );
        // literal block: the template's second line is the file's 7th
        assert_eq!(
            position_in_file(text, (5, 10), "one\ntwo {{oops\n", (2, 5)),
            Some((7, 13))
        );
        // text that does not match (an escape before the place) gives up
        assert_eq!(position_in_file(text, (3, 10), "q {{#if}}", (1, 3)), None);
    }
}
