//! MockForge's recorder exports through the real binary: its JSON Lines of recorded
//! exchanges (recognised by content or named with `--input-format mockforge-jsonl`) and
//! its HAR export. The files follow MockForge's structs (tests/data/mockforge/traffic).

mod common;
mod coverage_support;
use common::Project;
use coverage_support::*;
use serde_json::json;

const MOCKFORGE_TRAFFIC: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mockforge/traffic");

const USERS_API: &str = "\
openapi: 3.0.3
info: {title: users, version: '1'}
paths:
  /api/users:
    get:
      responses:
        '200': {description: ok}
    post:
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {type: object, required: [id, name], properties: {id: {type: string}, name: {type: string}}}
  /api/users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok}
        '404': {description: missing}
";

fn mockforge_project(file: &str, as_name: &str) -> Project {
    let p = project(&[("specs/users.yaml", "users", USERS_API)], "");
    let text = std::fs::read_to_string(format!("{MOCKFORGE_TRAFFIC}/{file}")).unwrap();
    p.write(as_name, &text);
    p
}

/// MockForge's JSON Lines of `{"request": …, "response": …}` are read, recognised by their
/// content; lines without a response and non-HTTP lines are skipped with a reason.
#[test]
fn mockforge_recorded_exchanges_in_json_lines_are_read() {
    for name in ["recorded.jsonl", "export.txt"] {
        let p = mockforge_project("recorder-exchanges.jsonl", name);
        let (code, v, err) = p.json(&["coverage", "ingest", name]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(v["read"], json!(6), "{v}");
        assert_eq!(v["ingested"], json!(4), "{name}: {v}");
        let rejected = v["rejected"].as_array().unwrap();
        assert_eq!(rejected.len(), 2, "{v}");
        assert_eq!(rejected[0]["entry"], json!(4));
        assert!(
            rejected[0]["reason"]
                .as_str()
                .unwrap()
                .contains("no response"),
            "{v}"
        );
        assert_eq!(rejected[1]["entry"], json!(5));
        assert!(
            rejected[1]["reason"].as_str().unwrap().contains("Grpc"),
            "{v}"
        );

        let r = report(&p);
        let list = endpoint(&r, "users", "GET", "/api/users");
        assert_eq!(
            (list["hits"].clone(), list["statuses_seen"].clone()),
            (json!(1), json!([200]))
        );
        assert_eq!(
            endpoint(&r, "users", "GET", "/api/users/{id}")["hits"],
            json!(1)
        );
        let create = endpoint(&r, "users", "POST", "/api/users");
        assert_eq!(create["statuses_seen"], json!([201]));
        // The base64 body was decoded and conforms to the 201 schema.
        let drift = drift_row(&r, "POST /api/users");
        assert_eq!(drift["drifting"], json!(0), "{drift}");
        assert_eq!(
            r["undeclared"],
            json!([{"service": null, "method": "GET", "path": "/health", "hits": 1, "candidates": []}])
        );
        // The persona came from the recorded request headers.
        assert_eq!(r["personas"][0]["persona"], json!("alice"));
        assert_eq!(r["personas"][0]["hits"], json!(2));
        // Ingesting the file again adds nothing.
        let (_, again, _) = p.json(&["coverage", "ingest", name]);
        assert_eq!(again["duplicates"], json!(4), "{again}");
    }
}

/// `--input-format mockforge-jsonl` names the format; a line of another shape is then
/// rejected with a reason that says what was expected.
#[test]
fn the_mockforge_format_can_be_named() {
    let p = mockforge_project("recorder-exchanges.jsonl", "recorded.json");
    p.write(
        "plain.jsonl",
        "{\"method\":\"GET\",\"path\":\"/api/users\",\"status\":200}\n",
    );
    let (code, v, err) = p.json(&[
        "coverage",
        "ingest",
        "--input-format",
        "mockforge-jsonl",
        "recorded.json",
        "plain.jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["ingested"], json!(4), "{v}");
    let plain = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] == "plain.jsonl")
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        plain["reason"].as_str().unwrap().contains("request"),
        "{plain}"
    );
}

/// MockForge's HAR export (`har_export`) reads as any HAR; its "No Response" entries are
/// skipped with a reason.
#[test]
fn mockforge_har_export_is_read_and_its_no_response_entries_skipped() {
    let p = mockforge_project("har-export.har", "mockforge.har");
    let (code, v, err) = p.json(&["coverage", "ingest", "mockforge.har"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["read"], json!(4));
    assert_eq!(v["ingested"], json!(3), "{v}");
    assert_eq!(v["rejected"][0]["entry"], json!(3));
    assert!(
        v["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("no response"),
        "{v}"
    );
    let r = report(&p);
    assert_eq!(endpoint(&r, "users", "GET", "/api/users")["hits"], json!(1));
    assert_eq!(
        endpoint(&r, "users", "GET", "/api/users/{id}")["statuses_seen"],
        json!([200])
    );
    assert_eq!(r["personas"][0]["persona"], json!("bob"));
}
