use super::*;

/// The `properties` names of the object schema `name` under `$defs` (or the root).
fn keys(schema: &Value, def: Option<&str>) -> Vec<String> {
    let node = match def {
        Some(d) => &schema["$defs"][d],
        None => schema,
    };
    let mut keys: Vec<String> = node["properties"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn pipeline_schema_has_exactly_the_keys_the_loader_accepts() {
    use crate::pipeline::model::{DEFINITION_KEYS, RETRY_KEYS, STEP_KEYS, TOP_KEYS, TRIGGER_KEYS};
    let s = schema(Kind::Pipeline);
    assert_eq!(keys(&s, None), sorted(TOP_KEYS));
    assert_eq!(keys(&s, Some("Definition")), sorted(DEFINITION_KEYS));
    assert_eq!(keys(&s, Some("Trigger")), sorted(TRIGGER_KEYS));
    assert_eq!(keys(&s, Some("Step")), sorted(STEP_KEYS));
    assert_eq!(keys(&s, Some("Retry")), sorted(RETRY_KEYS));
    let types: Vec<String> = crate::steps::registry()
        .iter()
        .map(|t| t.name().to_string())
        .collect();
    let mut in_schema: Vec<String> = s["$defs"]["StepType"]["oneOf"]
        .as_array()
        .expect("step types")
        .iter()
        .flat_map(|v| v["enum"].as_array().cloned().unwrap_or_default())
        .chain(
            s["$defs"]["StepType"]["oneOf"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|v| v.get("const").cloned()),
        )
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    in_schema.sort();
    let mut types = types;
    types.sort();
    assert_eq!(in_schema, types);
}

#[test]
fn federation_and_scenario_schemas_have_exactly_the_keys_the_readers_accept() {
    use crate::federation::reading::{API_KEYS, SERVICE_KEYS, TOP_KEYS, WRAPPED_KEYS};
    let s = schema(Kind::Federation);
    let top: Vec<&str> = TOP_KEYS.iter().chain(API_KEYS).copied().collect();
    assert_eq!(keys(&s, None), sorted(&top));
    assert_eq!(keys(&s, Some("Wrapped")), sorted(WRAPPED_KEYS));
    assert_eq!(keys(&s, Some("Service")), sorted(SERVICE_KEYS));
    assert_eq!(
        keys(&s, Some("ServiceConfig")),
        sorted(crate::federation::KNOWN_CONFIG_KEYS)
    );
    let s = schema(Kind::Scenario);
    let top: Vec<&str> = crate::federation::scenario::TOP_KEYS
        .iter()
        .chain(crate::federation::scenario::MANIFEST_KEYS)
        .copied()
        .collect();
    assert_eq!(keys(&s, None), sorted(&top));
    assert_eq!(
        keys(&s, Some("Override")),
        sorted(crate::federation::scenario::OVERRIDE_KEYS)
    );
}

/// Every property of every object has a description (editors show it on hover).
#[test]
fn every_key_has_a_description() {
    fn walk(path: &str, value: &Value, missing: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (key, prop) in props {
                        if prop
                            .get("description")
                            .and_then(Value::as_str)
                            .is_none_or(str::is_empty)
                        {
                            missing.push(format!("{path}.{key}"));
                        }
                    }
                }
                for (key, child) in map {
                    walk(&format!("{path}/{key}"), child, missing);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), item, missing);
                }
            }
            _ => {}
        }
    }
    for kind in Kind::ALL {
        let s = schema(kind);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind:?}"
        );
        let mut missing = Vec::new();
        walk(kind.file_name(), &s, &mut missing);
        assert!(
            missing.is_empty(),
            "keys without a description: {missing:?}"
        );
    }
}
