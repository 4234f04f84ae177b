//! Checks of CI output against the official schemas (`tests/data/ci/`) and real consumers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Fails with every error when `log` is not a valid SARIF 2.1.0 log.
pub fn assert_valid_sarif(log: &serde_json::Value) {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("ci/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(log).unwrap()
    );
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"].as_array().map(Vec::len), Some(1), "one run");
}

/// Whether tools that CI installs must be present (`MOCKOPS_TEST_REQUIRE_CI_TOOLS=1`):
/// then a test that needs one fails instead of skipping.
pub fn tools_required() -> bool {
    std::env::var("MOCKOPS_TEST_REQUIRE_CI_TOOLS").is_ok_and(|v| v == "1")
}

/// Whether `python3 -c "import MODULE"` works; panics when it does not and CI tools are
/// required.
pub fn have_python_module(module: &str) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && tools_required() {
        panic!("python3 module `{module}` is missing (MOCKOPS_TEST_REQUIRE_CI_TOOLS=1): pip install it");
    }
    if !ok {
        eprintln!("skipped: python3 module `{module}` is not installed");
    }
    ok
}

/// Validates `xml` against the JUnit XSD with Python's `xmlschema`; returns false (skipped)
/// when it is not installed.
pub fn assert_valid_junit(xml: &str) -> bool {
    if !have_python_module("xmlschema") {
        return false;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, xmlschema; s = xmlschema.XMLSchema(sys.argv[1]); errs = [str(e) for e in s.iter_errors(sys.argv[2])]; print('\\n'.join(errs)); sys.exit(1 if errs else 0)",
        ])
        .arg(data("ci/junit-10.xsd"))
        .arg(&file)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "invalid JUnit XML:\n{}{}\n{xml}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}
