//! Federation scenarios: named per-service overrides (level, latency, errors, headers)
//! that a running gateway applies while the scenario is active.

use super::model::{Federation, LatencyRange, Loc, RealityLevel};
use super::validate::{Diagnostic, Severity};
use super::FederationError;
use crate::yamlfile;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;

/// What a scenario changes for one service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reality_level: Option<RealityLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<LatencyRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_status: Option<u16>,
    /// Extra headers added to requests forwarded to the service.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
}

/// A federation scenario file: `{name, services: {auth: {...}}}`. Serializes to JSON and
/// back unchanged, so the state file may keep it as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: String,
    #[serde(default)]
    pub services: BTreeMap<String, ServiceOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    #[serde(default)]
    services: BTreeMap<String, Spanned<ServiceOverride>>,
}

/// Reads a scenario file and checks it against `fed` (unknown services, levels whose URL
/// the service lacks, out-of-range values and bad header names are refused, with places).
pub fn load_scenario(path: &Path, fed: &Federation) -> Result<ScenarioFile, FederationError> {
    let raw: RawScenario = yamlfile::load(path)?;
    from_raw(path, raw, fed)
}

/// [`load_scenario`] on text already read.
pub fn parse_scenario(
    path: &Path,
    text: &str,
    fed: &Federation,
) -> Result<ScenarioFile, FederationError> {
    let raw: RawScenario = yamlfile::parse(path, text)?;
    from_raw(path, raw, fed)
}

fn from_raw(
    path: &Path,
    raw: RawScenario,
    fed: &Federation,
) -> Result<ScenarioFile, FederationError> {
    let mut diagnostics = Vec::new();
    let mut services = BTreeMap::new();
    for (name, spanned) in raw.services {
        let loc = Loc {
            line: spanned.referenced.line(),
            column: spanned.referenced.column(),
        };
        for message in override_problems(fed, &name, &spanned.value) {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: path.to_path_buf(),
                line: (loc.line > 0).then_some(loc.line),
                column: (loc.line > 0).then_some(loc.column),
                service: Some(name.clone()),
                message,
            });
        }
        services.insert(name, spanned.value);
    }
    if raw.name.trim().is_empty() {
        diagnostics.push(Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line: None,
            column: None,
            service: None,
            message: "a scenario needs a non-empty `name`".into(),
        });
    }
    if diagnostics.is_empty() {
        Ok(ScenarioFile {
            name: raw.name,
            services,
        })
    } else {
        Err(FederationError::Invalid(diagnostics))
    }
}

/// The problems of a scenario against a federation (empty: it can be activated).
pub fn validate_scenario(scenario: &ScenarioFile, fed: &Federation) -> Vec<String> {
    scenario
        .services
        .iter()
        .flat_map(|(name, o)| override_problems(fed, name, o))
        .collect()
}

fn override_problems(fed: &Federation, name: &str, o: &ServiceOverride) -> Vec<String> {
    let Some(service) = fed.service(name) else {
        let hint = yamlfile::nearest(name, fed.services.iter().map(|s| s.name.as_str()))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return vec![format!(
            "scenario names unknown service `{name}` of federation `{}`{hint}",
            fed.name
        )];
    };
    let mut problems = Vec::new();
    if let Some(level) = o.reality_level {
        if !service.has_urls_for(level) {
            problems.push(format!(
                "service `{name}` cannot be `{level}`: it has no `{}`",
                level.required_urls().join("` or `")
            ));
        }
    }
    if o.error_rate.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
        problems.push(format!("`error_rate` of `{name}` must be from 0 to 1"));
    }
    if o.error_status.is_some_and(|s| !(100..=599).contains(&s)) {
        problems.push(format!(
            "`error_status` of `{name}` must be an HTTP status from 100 to 599"
        ));
    }
    for (header, value) in &o.headers {
        if hyper::header::HeaderName::from_bytes(header.as_bytes()).is_err() {
            problems.push(format!(
                "header name `{header}` of `{name}` is not a valid HTTP header name"
            ));
        }
        if hyper::header::HeaderValue::from_str(value).is_err() {
            problems.push(format!(
                "header `{header}` of `{name}` has a value that cannot be sent"
            ));
        }
    }
    problems
}

/// Each service's effective reality level: the scenario's override, else its own.
pub fn effective_levels(
    fed: &Federation,
    scenario: Option<&ScenarioFile>,
) -> BTreeMap<String, String> {
    fed.services
        .iter()
        .map(|s| {
            let level = scenario
                .and_then(|sc| sc.services.get(&s.name))
                .and_then(|o| o.reality_level)
                .unwrap_or(s.reality_level);
            (s.name.clone(), level.as_str().to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::federation::parse_str;

    fn fed() -> Federation {
        parse_str(
            Path::new("f.yaml"),
            "name: shop\nservices:\n  - {name: auth, workspace_id: a, base_path: /auth, reality_level: mock_v3, mock_url: \"http://m\"}\n  \
             - {name: cart, workspace_id: c, base_path: /cart, reality_level: real, upstream_url: \"http://r\", mock_url: \"http://m\"}\n",
        )
        .unwrap()
    }

    #[test]
    fn scenario_loads_and_round_trips_through_json() {
        let text = "name: outage\nservices:\n  auth:\n    reality_level: chaos_driven\n    latency_ms: [10, 20]\n    \
                    error_rate: 0.5\n    error_status: 503\n    headers: {x-team: core}\n";
        let sc = parse_scenario(Path::new("s.yaml"), text, &fed()).unwrap();
        assert_eq!(sc.name, "outage");
        let auth = &sc.services["auth"];
        assert_eq!(auth.reality_level, Some(RealityLevel::ChaosDriven));
        assert_eq!(
            auth.latency_ms,
            Some(LatencyRange {
                min_ms: 10,
                max_ms: 20
            })
        );
        let json = serde_json::to_string(&sc).unwrap();
        assert_eq!(serde_json::from_str::<ScenarioFile>(&json).unwrap(), sc);
    }

    #[test]
    fn unknown_service_and_missing_url_are_refused_with_places() {
        let text = "name: s\nservices:\n  auht: {error_rate: 0.1}\n  auth: {reality_level: real}\n";
        let err = parse_scenario(Path::new("s.yaml"), text, &fed())
            .unwrap_err()
            .to_string();
        assert!(err.contains("s.yaml:3:9: error: scenario names unknown service `auht` of federation `shop` (did you mean `auth`?)"), "{err}");
        assert!(
            err.contains(
                "s.yaml:4:9: error: service `auth` cannot be `real`: it has no `upstream_url`"
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_and_levels_are_yaml_errors() {
        let err = parse_scenario(
            Path::new("s.yaml"),
            "name: s\nservices:\n  auth: {latency: 3}\n",
            &fed(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `latency`"), "{err}");
        let err = parse_scenario(
            Path::new("s.yaml"),
            "name: s\nservices:\n  auth: {reality_level: mock}\n",
            &fed(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("s.yaml:3:"), "{err}");
        let err = parse_scenario(
            Path::new("s.yaml"),
            "name: s\nservices:\n  auth: {latency_ms: [0, 18446744073709551615]}\n",
            &fed(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("s.yaml:3:"), "{err}");
        assert!(err.to_string().contains("above the limit"), "{err}");
    }

    #[test]
    fn effective_levels_apply_overrides() {
        let f = fed();
        let mut sc = ScenarioFile {
            name: "s".into(),
            services: BTreeMap::new(),
        };
        assert_eq!(effective_levels(&f, None)["cart"], "real");
        sc.services.insert(
            "cart".into(),
            ServiceOverride {
                reality_level: Some(RealityLevel::MockV3),
                ..Default::default()
            },
        );
        let levels = effective_levels(&f, Some(&sc));
        assert_eq!(
            (levels["auth"].as_str(), levels["cart"].as_str()),
            ("mock_v3", "mock_v3")
        );
    }
}
