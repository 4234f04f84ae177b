use super::*;

const PETSTORE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/realworld/openapi/redoc-petstore-v2-oas30.yaml"
);

#[test]
fn operations_and_base_paths_of_all_three_dialects() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/realworld/openapi"
    ));
    let v2 = load(&dir.join("redoc-petstore-v2-swagger20.yaml")).expect("swagger");
    assert_eq!(v2.version, SpecVersion::Swagger2);
    assert_eq!(v2.operations().len(), 20);
    assert_eq!(v2.server_base_paths(), vec!["/v2".to_string()]);
    let v31 = load(&dir.join("redoc-petstore-v2-oas31.yaml")).expect("3.1");
    assert_eq!(v31.version, SpecVersion::OpenApi31);
    let v30 = load(Path::new(PETSTORE)).expect("3.0");
    let ops = v30.operations();
    assert_eq!(ops.len(), 21);
    assert!(ops
        .iter()
        .any(|o| o.method == "GET" && o.path == "/pet/{petId}"));
    assert!(
        v30.server_base_paths().contains(&"/v2".to_string()),
        "{:?}",
        v30.server_base_paths()
    );
}

#[test]
fn response_schema_is_self_contained_and_validates_with_jsonschema() {
    let doc = load(Path::new(PETSTORE)).expect("load");
    let op = doc
        .operations()
        .into_iter()
        .find(|o| o.method == "GET" && o.path == "/pet/{petId}")
        .expect("op");
    let schema = op
        .responses
        .iter()
        .find(|r| r.status == "200")
        .and_then(|r| r.json_schema.clone())
        .expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    let good = serde_json::json!({"id": 1, "name": "doggie", "photoUrls": ["x"], "category": {"id": 1, "name": "dogs"}});
    assert!(validator.is_valid(&good), "{schema}");
    let bad = serde_json::json!({"id": "not-a-number", "photoUrls": "x"});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn bad_inputs_are_located_errors() {
    let not_openapi = parse("x.yaml", "title: hello\nitems: [1]\n").expect_err("not openapi");
    assert!(matches!(not_openapi, SchemaError::NotOpenApi { .. }));
    assert!(
        not_openapi.to_string().starts_with("x.yaml:1:1: "),
        "{not_openapi}"
    );
    let truncated =
        parse("t.json", "{\"openapi\": \"3.0.0\",\n \"paths\": {").expect_err("truncated");
    assert!(
        truncated.to_string().starts_with("t.json:2:"),
        "{truncated}"
    );
    let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Nope'\n";
    let missing = parse("m.yaml", text).expect_err("missing ref");
    assert!(
        missing
            .to_string()
            .starts_with("m.yaml:7:18: unresolved $ref"),
        "{missing}"
    );
    let yaml = parse("y.yaml", "openapi: 3.0.0\npaths: [\n").expect_err("bad yaml");
    assert!(yaml.to_string().starts_with("y.yaml:"), "{yaml}");
}

#[test]
fn refs_across_files_resolve() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("other.yaml"), "components:\n  schemas:\n    X:\n      type: object\n      properties:\n        a: {type: string}\n").expect("write");
    let main = "openapi: 3.0.0\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: 'other.yaml#/components/schemas/X'\n";
    std::fs::write(dir.path().join("main.yaml"), main).expect("write");
    let doc = load(&dir.path().join("main.yaml")).expect("load");
    assert_eq!(doc.external_sources().len(), 1);
    let schema = doc.operations()[0].responses[0]
        .json_schema
        .clone()
        .expect("schema");
    assert_eq!(
        schema.pointer("/$defs/X/properties/a/type"),
        Some(&Value::from("string")),
        "{schema}"
    );
}
