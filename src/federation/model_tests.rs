//! Tests of reading federation files: both forms, typed config, and located errors.

use super::*;

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
    assert_eq!(unknown, vec![("nested", 14), ("region", 13)]);
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
        text.starts_with("federations/checkout.yaml:4:5: unknown field `base_pth`"),
        "{text}"
    );
    assert!(text.contains("did you mean `base_path`?"), "{text}");
}

#[test]
fn unknown_reality_level_is_an_error_with_location() {
    let err = parse("services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: mock_v2\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("federations/checkout.yaml:5:20: unknown reality level `mock_v2`"),
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
