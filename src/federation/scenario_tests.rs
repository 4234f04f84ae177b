//! Tests of reading scenarios: mockops's form, MockForge's manifest and activation body,
//! and every mistake of a file reported at once.

use super::*;
use crate::federation::parse_str;

fn fed() -> Federation {
    parse_str(
        Path::new("f.yaml"),
        "name: shop\nservices:\n  - {name: auth, workspace_id: a, base_path: /auth, reality_level: mock_v3, mock_url: \"http://m\"}\n  \
         - {name: cart, workspace_id: c, base_path: /cart, reality_level: real, upstream_url: \"http://r\", mock_url: \"http://m\"}\n  \
         - {name: pay, workspace_id: p, base_path: /pay, reality_level: chaos_driven, mock_url: \"http://m\", config: {error_rate: 0.4}}\n",
    )
    .unwrap()
}

fn parse(text: &str) -> Result<(ScenarioFile, Vec<Diagnostic>), FederationError> {
    parse_scenario(Path::new("s.yaml"), text, &fed())
}

fn errors(text: &str) -> Vec<String> {
    match parse(text) {
        Err(FederationError::Invalid(d)) => d.iter().map(ToString::to_string).collect(),
        other => panic!("expected located errors, got {other:?}"),
    }
}

#[test]
fn scenario_loads_and_round_trips_through_json() {
    let text = "name: outage\nservices:\n  auth:\n    reality_level: chaos_driven\n    latency_ms: [10, 20]\n    \
                error_rate: 0.5\n    error_status: 503\n    headers: {x-team: core}\n";
    let (sc, warnings) = parse(text).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
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
    assert!(
        !json.contains("chaos_level") && !json.contains("notes"),
        "{json}"
    );
}

#[test]
fn a_mockforge_manifest_with_service_overrides_loads() {
    let text = "manifest_version: \"1.0\"\nname: payments-degraded\nversion: 1.0.0\ntitle: Payments degraded\n\
                description: d\nauthor: qa\ncategory: payment\ncompatibility: {min_version: 0.3.0}\nfiles: []\n\
                service_overrides:\n  pay:\n    reality_level: CHAOS_DRIVEN\n    chaos_level: 0.5\n    failure_rate: 0.25\n    \
                latency_ms: 120\n    notes: the card processor is slow\n    metadata: {ticket: QA-7}\n  \
                auth:\n    reality_level: MockV3\n";
    let (sc, warnings) = parse(text).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(sc.name, "payments-degraded");
    let pay = &sc.services["pay"];
    assert_eq!(pay.reality_level, Some(RealityLevel::ChaosDriven));
    assert_eq!((pay.chaos_level, pay.error_rate), (Some(0.5), Some(0.25)));
    assert_eq!(
        pay.latency_ms.map(|l| (l.min_ms, l.max_ms)),
        Some((120, 120))
    );
    assert_eq!(pay.notes.as_deref(), Some("the card processor is slow"));
    assert_eq!(
        sc.services["auth"].reality_level,
        Some(RealityLevel::MockV3)
    );
    // Written back in the canonical spelling.
    let json = serde_json::to_value(&sc).unwrap();
    assert_eq!(json["services"]["pay"]["reality_level"], "chaos_driven");
    assert_eq!(json["services"]["auth"]["reality_level"], "mock_v3");
}

#[test]
fn the_activation_body_merges_like_mockforge() {
    let text = r#"{
  "scenario_name": "black-friday",
  "manifest": {"name": "base", "version": "1", "service_overrides": {
      "auth": {"notes": "from the manifest", "latency_ms": 5},
      "pay": {"failure_rate": 0.1}}},
  "service_overrides": {"pay": {"failure_rate": 0.9}}
}"#;
    let (sc, _) = parse(text).unwrap();
    assert_eq!(sc.name, "black-friday");
    assert_eq!(sc.services["pay"].error_rate, Some(0.9), "the body wins");
    assert_eq!(
        sc.services["auth"].notes.as_deref(),
        Some("from the manifest")
    );
    // Without `scenario_name`, the manifest's name.
    let (sc, _) = parse(r#"{"manifest": {"name": "base"}, "service_overrides": {}}"#).unwrap();
    assert_eq!(sc.name, "base");
}

#[test]
fn every_mistake_is_reported_at_once_with_its_place() {
    let text = "name: s\nservice_overrides:\n  auht: {failure_rate: 0.1}\n  auth:\n    reality_level: real\n    \
                chaos_level: 2\n    latency: 3\n  cart:\n    reality_level: mock_v4\n    failure_rate: -1\n    \
                headers: {\"bad header\": x}\n";
    let e = errors(text);
    let expect = [
        "s.yaml:3:3: error: scenario names unknown service `auht` of federation `shop` (did you mean `auth`?)",
        "s.yaml:5:20: error: service `auth` cannot be `real`: it has no `upstream_url`",
        "s.yaml:6:18: error: `chaos_level` of `auth` must be a number from 0 to 1",
        "s.yaml:7:5: error: unknown key `latency` in the override of `auth` (did you mean `latency_ms`?)",
        "s.yaml:9:20: error: unknown reality level `mock_v4`, expected one of real, mock_v3, blended, chaos_driven (did you mean `mock_v3`?)",
        "s.yaml:10:19: error: `failure_rate` of `cart` must be a number from 0 to 1",
        "s.yaml:11:15: error: header name `bad header` of `cart` is not a valid HTTP header name",
    ];
    assert_eq!(e, expect);
}

#[test]
fn conflicting_or_missing_pieces_are_refused() {
    let e = errors("name: s\nservices:\n  auth: {error_rate: 0.1, failure_rate: 0.2}\n");
    assert!(
        e[0].contains("`failure_rate` of `auth` is 0.2 but `error_rate` (line 3) is 0.1"),
        "{e:?}"
    );
    let e = errors("name: s\nservices: {}\nservice_overrides: {}\n");
    assert!(
        e[0].starts_with("s.yaml:3:1:") && e[0].contains("keep one"),
        "{e:?}"
    );
    let e = errors("services: {}\n");
    assert!(e[0].contains("a scenario needs a `name`"), "{e:?}");
    let e = errors("name: ' '\n");
    assert!(e[0].contains("non-empty `name`"), "{e:?}");
    let e = errors("name: s\nservices:\n  auth: {latency_ms: [0, 18446744073709551615]}\n");
    assert!(
        e[0].starts_with("s.yaml:3:") && e[0].contains("above the limit"),
        "{e:?}"
    );
}

#[test]
fn a_chaos_level_with_nothing_to_scale_warns() {
    let (_, warnings) =
        parse("name: s\nservices:\n  auth: {chaos_level: 0.5}\n  pay: {chaos_level: 0.5}\n")
            .unwrap();
    let texts: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].starts_with("s.yaml:3:3: warning: `chaos_level` of `auth` has no effect"),
        "{texts:?}"
    );
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
    assert!(validate_scenario(&sc, &f).is_empty());
}
