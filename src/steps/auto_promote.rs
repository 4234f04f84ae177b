//! Step `auto_promote`: promotes an entity between environments (docs/project.md) and emits
//! `promotion.completed`. MockForge's `from_environment`/`to_environment`,
//! `entity_version` and `comments` are accepted.

use super::{json_kind, EmitRequest, StepContext, StepFailure, StepSuccess, StepType};
use crate::entities::{self, EntityKind, PromoteRequest};
use serde_json::{json, Map, Value};

pub struct AutoPromoteStep;

const KEYS: &[&str] = &[
    "entity_type",
    "entity_id",
    "from",
    "to",
    "from_environment",
    "to_environment",
    "comment",
    "comments",
    "entity_version",
    "force",
];

fn pick<'a>(config: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| config.get(*k))
}

impl StepType for AutoPromoteStep {
    fn name(&self) -> &'static str {
        "auto_promote"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn check_config(&self, config: &Map<String, Value>) -> Vec<String> {
        let mut problems = Vec::new();
        for (what, keys) in [
            ("entity_type", &["entity_type"][..]),
            ("entity_id", &["entity_id"][..]),
            (
                "from (or from_environment)",
                &["from", "from_environment"][..],
            ),
            ("to (or to_environment)", &["to", "to_environment"][..]),
        ] {
            match pick(config, keys) {
                None => problems.push(format!("config `{what}` is required")),
                Some(Value::String(s)) if s.contains("{{") => {}
                Some(Value::String(s))
                    if what == "entity_type" && EntityKind::parse(s).is_none() =>
                {
                    problems.push(format!(
                        "config `entity_type` must be scenario, persona or config, got `{s}`"
                    ))
                }
                Some(Value::String(_)) => {}
                Some(other) => problems.push(format!(
                    "config `{what}` must be a string, got {}",
                    json_kind(other)
                )),
            }
        }
        problems
    }

    fn run(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
    ) -> Result<StepSuccess, StepFailure> {
        let text = |keys: &[&str], what: &str| -> Result<String, StepFailure> {
            match pick(config, keys) {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(Value::Number(n)) => Ok(n.to_string()),
                _ => Err(StepFailure::fatal(format!("config `{what}` is required"))),
            }
        };
        let kind_name = text(&["entity_type"], "entity_type")?;
        let kind = EntityKind::parse(&kind_name).ok_or_else(|| {
            StepFailure::fatal(format!(
                "entity_type must be scenario, persona or config, got `{kind_name}`"
            ))
        })?;
        let id = text(&["entity_id"], "entity_id")?;
        let from = text(&["from", "from_environment"], "from")?;
        let to = text(&["to", "to_environment"], "to")?;
        let comment = pick(config, &["comment", "comments"])
            .and_then(Value::as_str)
            .map(str::to_string);
        let version = pick(config, &["entity_version"]).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let force = matches!(config.get("force"), Some(Value::Bool(true)));
        let store = ctx
            .store
            .ok_or_else(|| StepFailure::fatal("auto_promote needs the state file"))?;
        let req = PromoteRequest {
            kind,
            id: &id,
            from: &from,
            to: &to,
            force,
            comment: comment.as_deref(),
            version: version.as_deref(),
        };
        let (promotion, payload) = entities::promote(
            store,
            ctx.project_root,
            ctx.environments,
            &req,
            chrono::Utc::now(),
        )
        .map_err(|e| StepFailure::fatal(e.to_string()))?;
        let mut outputs = Map::new();
        outputs.insert("promotion_id".into(), json!(promotion.id));
        outputs.insert("version".into(), json!(promotion.version));
        Ok(StepSuccess {
            outputs,
            emits: vec![EmitRequest {
                event_type: "promotion.completed".into(),
                payload,
                id_output: None,
            }],
            ..Default::default()
        })
    }
}
