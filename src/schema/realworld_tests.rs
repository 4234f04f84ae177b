//! Every real pair under tests/data/realworld: oasdiff's OpenAPI cases and buf's Protobuf cases.

use super::*;
use std::path::Path;

const REALWORLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/realworld");

fn pair(case: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(REALWORLD).join("oasdiff").join(case);
    let find = |stem: &str| {
        ["yaml", "yml", "json"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.exists())
            .expect("case file")
    };
    (find("base"), find("revision"))
}

/// (case, breaking expected, an id that must appear)
const OASDIFF_CASES: [(&str, bool, &str); 32] = [
    ("01-path-removed", true, "endpoint-removed"),
    (
        "02-success-status-and-params-removed",
        true,
        "response-success-status-removed",
    ),
    (
        "03-paths-header-param-removed",
        true,
        "request-param-removed",
    ),
    (
        "04-request-param-enum-value-removed",
        true,
        "request-param-enum-value-removed",
    ),
    (
        "05-response-property-enum-value-added",
        false,
        "response-property-enum-value-added",
    ),
    (
        "06-request-property-became-required",
        true,
        "request-property-became-required",
    ),
    (
        "07-new-required-request-property",
        true,
        "new-required-request-property",
    ),
    (
        "08-response-required-property-removed",
        true,
        "response-required-property-removed",
    ),
    (
        "09-response-property-became-optional",
        true,
        "response-property-became-optional",
    ),
    (
        "10-request-body-became-enum",
        true,
        "request-body-became-enum",
    ),
    (
        "11-response-media-type-removed",
        true,
        "response-media-type-removed",
    ),
    ("12-path-param-renamed", false, "request-path-param-renamed"),
    (
        "13-api-removed-before-sunset",
        true,
        "endpoint-removed-before-sunset",
    ),
    (
        "14-api-removed-with-deprecation",
        false,
        "endpoint-removed-after-deprecation",
    ),
    ("15-servers-changed-json", false, "server-removed"),
    (
        "16-request-property-pattern-added",
        false,
        "request-property-pattern-added",
    ),
    (
        "17-response-property-type-changed",
        true,
        "response-property-type-changed",
    ),
    (
        "18-request-property-became-not-nullable",
        true,
        "request-property-became-not-nullable",
    ),
    ("19-endpoints-added", false, "endpoint-added"),
    (
        "20-new-path-level-params",
        true,
        "request-required-param-added",
    ),
    (
        "21-request-property-type-changed",
        true,
        "request-property-type-changed",
    ),
    (
        "22-response-body-type-changed",
        true,
        "response-body-type-changed",
    ),
    (
        "23-query-param-property-type-changed",
        true,
        "request-param-property-type-changed",
    ),
    (
        "24-query-param-enum-value-removed",
        true,
        "request-param-enum-value-removed",
    ),
    ("25-request-body-removed", false, "request-body-removed"),
    (
        "26-request-body-media-type-removed",
        true,
        "request-body-media-type-removed",
    ),
    (
        "27-response-optional-property-removed",
        false,
        "response-optional-property-removed",
    ),
    (
        "28-query-param-max-length-decreased",
        true,
        "request-param-max-length-decreased",
    ),
    (
        "29-endpoint-security-added",
        false,
        "endpoint-security-added",
    ),
    (
        "30-request-oneof-removed",
        true,
        "request-property-one-of-removed",
    ),
    (
        "31-openapi31-type-array-nullable",
        true,
        "response-property-became-nullable",
    ),
    (
        "32-response-success-status-removed-derived",
        true,
        "response-success-status-removed",
    ),
];

#[test]
fn every_oasdiff_pair_agrees_on_breaking_and_names_the_change() {
    let mut failures = Vec::new();
    for (case, breaking, id) in OASDIFF_CASES {
        let (base, revision) = pair(case);
        let report = diff_paths(&base, &revision, &[]).unwrap_or_else(|e| panic!("{case}: {e}"));
        let ids: Vec<&str> = report.changes.iter().map(|c| c.id.as_str()).collect();
        if (report.breaking_count > 0) != breaking || !ids.contains(&id) {
            failures.push(format!(
                "{case}: breaking={} ids={ids:?}\n{}",
                report.breaking_count,
                render_text(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_oasdiff_file_diffed_against_itself_has_no_change() {
    for (case, _, _) in OASDIFF_CASES {
        let (base, revision) = pair(case);
        for file in [base, revision] {
            let doc = openapi::load(&file).unwrap_or_else(|e| panic!("{e}"));
            let changes = openapi_diff::diff(&doc, &doc).expect("diff");
            assert!(changes.is_empty(), "{case}: {changes:?}");
        }
    }
}

#[test]
fn every_buf_pair_is_breaking_with_a_matching_id() {
    let cases: [(&str, &str); 13] = [
        ("breaking_enum_no_delete", "enum-removed"),
        ("breaking_enum_value_no_delete", "enum-value-removed"),
        ("breaking_field_no_delete", "field-removed"),
        (
            "breaking_field_no_delete_unless_number_reserved",
            "field-removed-without-reserve",
        ),
        (
            "breaking_field_same_cardinality",
            "field-cardinality-changed",
        ),
        ("breaking_field_same_json_name", "field-json-name-changed"),
        ("breaking_field_same_name", "field-name-changed"),
        ("breaking_field_same_type", "field-type-changed"),
        ("breaking_message_no_delete", "message-removed"),
        ("breaking_oneof_no_delete", "oneof-removed"),
        ("breaking_rpc_no_delete", "rpc-removed"),
        ("breaking_rpc_same_values", "rpc-client-streaming-changed"),
        ("breaking_service_no_delete", "service-removed"),
    ];
    let mut failures = Vec::new();
    for (case, id) in cases {
        let dir = Path::new(REALWORLD).join("protobuf").join(case);
        let report = match diff_paths(&dir.join("previous"), &dir.join("current"), &[]) {
            Ok(report) => report,
            // protox 0.10 does not parse `edition = "2023"` files: a located error that
            // says so, not a panic.
            Err(e)
                if e.to_string().contains(":1:1: ")
                    && e.to_string()
                        .contains("protobuf editions are not supported yet") =>
            {
                continue
            }
            Err(e) => panic!("{case}: {e}"),
        };
        let ids: Vec<&str> = report.changes.iter().map(|c| c.id.as_str()).collect();
        if report.breaking_count == 0 || !ids.iter().any(|i| i.starts_with(id)) {
            failures.push(format!("{case}: {}", render_text(&report)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn twilio_yaml_and_json_twins_have_no_change_and_versions_differ() {
    let dir = Path::new(REALWORLD).join("openapi");
    let yaml = dir.join("twilio_api_v2010-2026-04-14.yaml");
    let report =
        diff_paths(&yaml, &dir.join("twilio_api_v2010-2026-04-14.json"), &[]).expect("diff");
    assert!(report.changes.is_empty(), "{}", render_text(&report));
    let report =
        diff_paths(&dir.join("twilio_api_v2010-2024-06-27.yaml"), &yaml, &[]).expect("diff");
    assert!(!report.changes.is_empty());
}

#[test]
fn every_real_openapi_file_passes_the_structural_check() {
    let root = Path::new(REALWORLD);
    let mut files = vec![root.join("har/optic-books-capture.openapi.yml")];
    for dir in ["openapi", "oasdiff"] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                {
                    files.push(path);
                }
            }
        }
    }
    assert!(files.len() > 70, "{}", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| openapi::load(f).err().map(|e| e.to_string()))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_redoc_petstore_30_and_31_twins_diff_in_both_directions() {
    // Their `Pet.friend` refers back to `Pet` inline (`allOf`) in one and by `$ref` in the
    // other: the diff used to follow it until the stack overflowed.
    let dir = Path::new(REALWORLD).join("openapi");
    let (v30, v31) = (
        dir.join("redoc-petstore-v2-oas30.yaml"),
        dir.join("redoc-petstore-v2-oas31.yaml"),
    );
    for (old, new) in [(&v30, &v31), (&v31, &v30)] {
        let report = diff_paths(old, new, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.breaking_count > 0, "{}", report.changes.len());
        assert!(
            report
                .changes
                .iter()
                .all(|c| !c.location.contains("friend.friend")),
            "a cycle was followed"
        );
    }
}
