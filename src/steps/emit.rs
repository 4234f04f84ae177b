//! Step `emit`: emits an event; it is dispatched after the current run ends.

use super::{json_kind, EmitRequest, StepContext, StepFailure, StepSuccess, StepType};
use serde_json::{Map, Value};

pub struct EmitStep;

impl StepType for EmitStep {
    fn name(&self) -> &'static str {
        "emit"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        &["event", "payload"]
    }

    fn has_side_effects(&self) -> bool {
        false
    }

    fn check_config(&self, config: &Map<String, Value>) -> Vec<String> {
        let mut problems = Vec::new();
        match config.get("event") {
            None => problems.push("config `event` is required".to_string()),
            Some(Value::String(t)) if !t.contains("{{") => {
                if let Err(e) = crate::events::check_type(t) {
                    problems.push(e.to_string());
                }
            }
            Some(Value::String(_)) => {}
            Some(other) => problems.push(format!(
                "config `event` must be a string, got {}",
                json_kind(other)
            )),
        }
        if let Some(p) = config.get("payload") {
            if !matches!(p, Value::Object(_)) && !super::is_template(p) {
                problems.push(format!(
                    "config `payload` must be a map, got {}",
                    json_kind(p)
                ));
            }
        }
        problems
    }

    fn run(
        &self,
        _ctx: &StepContext<'_>,
        config: &Map<String, Value>,
    ) -> Result<StepSuccess, StepFailure> {
        let event_type = super::required_str(config, "event")?.to_string();
        let payload = match config.get("payload") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(p)) => p.clone(),
            Some(other) => {
                return Err(StepFailure::fatal(format!(
                    "config `payload` must be a map, got {}",
                    json_kind(other)
                )))
            }
        };
        crate::events::check_payload(&event_type, &payload)
            .map_err(|e| StepFailure::fatal(e.to_string()))?;
        Ok(StepSuccess {
            emits: vec![EmitRequest {
                event_type,
                payload,
                id_output: Some("event_id"),
            }],
            ..Default::default()
        })
    }
}
