//! Tests of reading federation files: both forms, typed config, and located errors.

use super::*;
use crate::federation::{parse_str, FederationError};
use serde_json::json;
use std::path::Path;

fn parse(text: &str) -> Result<Federation, FederationError> {
    parse_str(Path::new("federations/checkout.yaml"), text)
}

const MOCKFORGE: &str = "federation:
  name: e-commerce-platform
  services:
    - name: auth
      workspace_id: 550e8400-e29b-41d4-a716-446655440000
      base_path: /auth
      reality_level: real
    - name: payments
      workspace_id: 550e8400-e29b-41d4-a716-446655440001
      base_path: /payments
      reality_level: mock_v3
      config:
        region: eu
        nested: {a: [1, 2]}
      dependencies: [auth]
";

#[test]
fn mockforge_wrapper_with_uuids_and_free_config_loads() {
    let fed = parse(MOCKFORGE).unwrap();
    assert_eq!(fed.name, "e-commerce-platform");
    assert_eq!(fed.services.len(), 2);
    let pay = &fed.services[1];
    assert_eq!(pay.workspace_id, "550e8400-e29b-41d4-a716-446655440001");
    assert_eq!(pay.reality_level, RealityLevel::MockV3);
    assert_eq!(pay.dependencies[0].name, "auth");
    assert_eq!(pay.config.raw["nested"]["a"][1], 2);
    let unknown: Vec<_> = pay
        .config
        .unknown_keys
        .iter()
        .map(|k| (k.key.as_str(), k.loc.line))
        .collect();
    assert_eq!(unknown, vec![("region", 13), ("nested", 14)]);
    assert_eq!(pay.loc.line, 8);
}

#[test]
fn name_defaults_to_file_stem_and_config_is_typed() {
    let fed = parse(
        "services:\n  - name: pay\n    workspace_id: w\n    base_path: /p\n    reality_level: chaos_driven\n    \
         config: { error_rate: 0.2, error_status: 503, latency_ms: [50, 400], seed: 7, strip_prefix: false, timeout_ms: 10 }\n",
    )
    .unwrap();
    assert_eq!(fed.name, "checkout");
    let c = &fed.services[0].config;
    assert_eq!(c.error_rate, Some(0.2));
    assert_eq!(c.error_status, Some(503));
    assert_eq!(
        c.latency_ms,
        Some(LatencyRange {
            min_ms: 50,
            max_ms: 400
        })
    );
    assert_eq!(
        (c.seed, c.strip_prefix, c.timeout_ms),
        (Some(7), false, Some(10))
    );
    assert!(c.unknown_keys.is_empty());
}

#[test]
fn unknown_service_key_is_an_error_with_location_and_hint() {
    let err = parse(
        "services:\n  - name: a\n    workspace_id: w\n    base_pth: /a\n    reality_level: real\n",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "federations/checkout.yaml:4:5: error: unknown key `base_pth` in service `a`"
        ),
        "{text}"
    );
    assert!(text.contains("did you mean `base_path`?"), "{text}");
    assert!(
        !text.contains("has no `base_path`"),
        "the typo is reported once: {text}"
    );
}

#[test]
fn unknown_reality_level_is_an_error_with_location() {
    let err = parse("services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: mock_v2\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("federations/checkout.yaml:5:20: error: unknown reality level `mock_v2`"),
        "{err}"
    );
    assert!(err.contains("did you mean `mock_v3`?"), "{err}");
}

#[test]
fn mistyped_known_config_keys_are_errors() {
    for (config, needle) in [
        (
            "{ ratio: 1.5 }",
            "config `ratio` must be a number from 0 to 1",
        ),
        ("{ error_status: 42 }", "config `error_status`"),
        ("{ latency_ms: [400, 50] }", "min above max"),
        ("{ latency_ms: fast }", "config `latency_ms`"),
        (
            "{ latency_ms: [0, 18446744073709551615] }",
            "latency 18446744073709551615 ms is above the limit of 3600000 ms",
        ),
        ("{ latency_ms: 3600001 }", "above the limit"),
        (
            "{ strip_prefix: 'no' }",
            "config `strip_prefix` must be true or false",
        ),
        ("{ blend: half }", "config `blend` must be"),
        ("{ timeout_ms: 0 }", "config `timeout_ms`"),
        ("{ blend: ratio }", "needs `ratio`"),
    ] {
        let text = format!(
            "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: real\n    config: {config}\n"
        );
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains(needle), "{config}: {err}");
    }
}

#[test]
fn wrapper_must_be_alone() {
    let err = parse("name: x\nfederation:\n  services: []\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`federation:` must be the only top-level key"),
        "{err}"
    );
}

#[test]
fn ratio_alone_means_ratio_blend() {
    let fed = parse(
        "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: blended\n    config: { ratio: 0.3 }\n",
    )
    .unwrap();
    assert_eq!(fed.services[0].config.blend, Some(BlendMode::Ratio));
}

#[test]
fn levels_read_as_mockforge_reads_them() {
    for (written, level) in [
        ("REAL", RealityLevel::Real),
        ("Real", RealityLevel::Real),
        ("MOCK_V3", RealityLevel::MockV3),
        ("mockv3", RealityLevel::MockV3),
        ("MockV3", RealityLevel::MockV3),
        ("Blended", RealityLevel::Blended),
        ("chaosdriven", RealityLevel::ChaosDriven),
        ("ChaosDriven", RealityLevel::ChaosDriven),
        ("CHAOS_DRIVEN", RealityLevel::ChaosDriven),
    ] {
        let fed = parse(&format!(
            "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: {written}\n"
        ))
        .unwrap();
        assert_eq!(fed.services[0].reality_level, level, "{written}");
        // Written back canonically (the cache and every output).
        let json = serde_json::to_value(&fed.services[0]).unwrap();
        assert_eq!(json["reality_level"], level.as_str(), "{written}");
        assert_eq!(
            serde_json::from_value::<RealityLevel>(json!(written)).unwrap(),
            level
        );
    }
    for wrong in ["mock", "mock-v3", "v3", ""] {
        assert_eq!(RealityLevel::parse(wrong), None, "{wrong}");
    }
}

#[test]
fn every_mistake_of_a_file_is_reported_at_once() {
    let text = "name: shop\nowner: me\nservices:\n  - name: auth\n    workspace_id: a\n    base_path: /auth\n    \
                reality_level: mock_v2\n    config: { error_rate: 2, latency_ms: fast, timeout_ms: 0 }\n  \
                - name: pay\n    workspace_id: p\n    base_path: /pay\n    reality_level: Chaos-Driven\n    \
                mock_ulr: http://m\n    config: { seed: -1, strip_prefix: maybe }\n  \
                - name: cart\n    base_path: /auth\n    reality_level: real\n    dependencies: [auht]\n";
    let FederationError::Invalid(diags) = parse(text).unwrap_err() else {
        panic!("expected every finding")
    };
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    let f = "federations/checkout.yaml";
    assert_eq!(
        errors,
        [
            format!("{f}:2:1: error: unknown key `owner` at the top of a federation file"),
            format!("{f}:7:20: error: unknown reality level `mock_v2`, expected one of real, mock_v3, blended, chaos_driven (did you mean `mock_v3`?)"),
            format!("{f}:8:27: error: config `error_rate` must be a number from 0 to 1"),
            format!("{f}:8:42: error: config `latency_ms`: `latency_ms` must be a number or [min, max]"),
            format!("{f}:8:60: error: config `timeout_ms` must be a positive integer"),
            format!("{f}:12:20: error: unknown reality level `Chaos-Driven`, expected one of real, mock_v3, blended, chaos_driven (did you mean `chaos_driven`?)"),
            format!("{f}:13:5: error: unknown key `mock_ulr` in service `pay` (did you mean `mock_url`?)"),
            format!("{f}:14:21: error: config `seed` must be a non-negative integer"),
            format!("{f}:14:39: error: config `strip_prefix` must be true or false"),
            format!("{f}:15:5: error: service `cart` has no `workspace_id`"),
            format!("{f}:16:16: error: base path `/auth` of `cart` matches the same paths as `/auth` of `auth` (line 6)"),
            format!("{f}:18:20: error: service `cart` depends on unknown service `auht` (did you mean `auth`?)"),
        ]
    );
    // A level that could not be read is not reported again as a missing URL.
    assert!(
        !diags.iter().any(|d| d.message.contains("`pay` is")),
        "{diags:?}"
    );
}

#[test]
fn config_upstream_url_is_the_real_service() {
    let fed = parse(
        "federation:\n  name: mf\n  services:\n    - name: auth\n      workspace_id: w\n      base_path: /auth\n      \
         reality_level: real\n      config:\n        upstream_url: http://127.0.0.1:9/api\n        mock_url: http://127.0.0.1:8\n",
    )
    .unwrap();
    let auth = &fed.services[0];
    assert_eq!(auth.upstream_url.as_deref(), Some("http://127.0.0.1:9/api"));
    assert_eq!(auth.mock_url.as_deref(), Some("http://127.0.0.1:8"));
    assert_eq!(
        (auth.upstream_url_loc.line, auth.upstream_url_loc.column),
        (9, 23)
    );
    assert!(
        auth.config.unknown_keys.is_empty(),
        "read keys are not reported as unused"
    );
    assert_eq!(
        auth.config.raw["upstream_url"], "http://127.0.0.1:9/api",
        "kept as written"
    );
    assert!(crate::federation::validate(&fed, true).is_empty());

    // The same URL twice is fine; two different ones are a located error.
    let twice = |top: &str| {
        format!(
            "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: real\n    \
             upstream_url: {top}\n    config: {{upstream_url: \"http://h:1\"}}\n"
        )
    };
    assert!(parse(&twice("http://h:1")).is_ok());
    let err = parse(&twice("http://h:2")).unwrap_err().to_string();
    assert!(
        err.contains("checkout.yaml:7:28: error: `config.upstream_url` of service `a` is `http://h:1` but its `upstream_url` (line 6) is `http://h:2`: keep one"),
        "{err}"
    );
    let err = parse(&twice("http://h:1").replace("\"http://h:1\"}", "[1]}"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("config `upstream_url` must be a URL"), "{err}");
}

#[test]
fn blend_ratio_is_mockforges_ratio() {
    let read = |extra: &str| {
        parse(&format!(
            "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: blended\n{extra}"
        ))
    };
    for extra in [
        "    config: { blend_ratio: 0.3 }\n",
        "    blend_ratio: 0.3\n",
    ] {
        let c = read(extra).unwrap().services[0].config.clone();
        assert_eq!(
            (c.blend, c.ratio),
            (Some(BlendMode::Ratio), Some(0.3)),
            "{extra}"
        );
    }
    let err = read("    blend_ratio: 0.3\n    config: { ratio: 0.5 }\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("config `blend_ratio` is 0.3 but `ratio` (line 7) is 0.5: keep one"),
        "{err}"
    );
}

#[test]
fn a_json_federation_reads_like_yaml() {
    let fed = parse(
        "{\n\t\"name\": \"e-commerce-platform\",\n\t\"services\": [{\"name\": \"auth\", \"workspace_id\": \"w\", \
         \"base_path\": \"/auth\", \"reality_level\": \"REAL\", \"config\": {}, \"dependencies\": []}]\n}\n",
    )
    .unwrap();
    assert_eq!(fed.name, "e-commerce-platform");
    assert_eq!(fed.services[0].reality_level, RealityLevel::Real);
}

#[test]
fn a_service_without_a_name_does_not_hide_the_next_ones_findings() {
    let FederationError::Invalid(diags) = parse(
        "services:\n  - {base_path: /a}\n  - {name: b, workspace_id: '', base_path: /b, reality_level: real}\n",
    )
    .unwrap_err() else {
        panic!("expected findings")
    };
    let texts: Vec<String> = diags.iter().map(ToString::to_string).collect();
    let f = "federations/checkout.yaml";
    assert_eq!(
        texts,
        [
            format!("{f}:2:5: error: a service needs a `name`"),
            format!("{f}:2:5: error: the service at line 2 has no `workspace_id`"),
            format!("{f}:2:5: error: the service at line 2 has no `reality_level` (one of real, mock_v3, blended, chaos_driven)"),
            format!("{f}:3:5: error: service `b` has an empty `workspace_id`"),
            format!("{f}:3:5: warning: service `b` is `real` but has no `upstream_url`"),
        ]
    );
}
