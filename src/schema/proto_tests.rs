use super::*;

#[test]
fn missing_import_and_syntax_error_name_file_line_column() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("a.proto"),
        "syntax = \"proto3\";\npackage p;\nimport \"nope.proto\";\n",
    )
    .expect("write");
    let err = compile_paths(&dir.path().join("a.proto"), &[]).expect_err("missing import");
    assert!(matches!(err, SchemaError::MissingImport { .. }), "{err:?}");
    assert!(err.to_string().contains("a.proto:3:1: "), "{err}");
    std::fs::write(
        dir.path().join("b.proto"),
        "syntax = \"proto3\";\nmessage M {\n  int32 x = ;\n}\n",
    )
    .expect("write");
    let err = compile_paths(&dir.path().join("b.proto"), &[]).expect_err("syntax");
    assert!(err.to_string().contains("b.proto:3:"), "{err}");
}

#[test]
fn snapshot_recompiles_without_files_and_detects_number_change() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("dep.proto"),
        "syntax = \"proto3\";\npackage p;\nmessage D { int32 a = 1; }\n",
    )
    .expect("write");
    let main = dir.path().join("m.proto");
    std::fs::write(&main, "syntax = \"proto3\";\npackage p;\nimport \"dep.proto\";\nmessage M { D d = 1; string s = 2; }\n").expect("write");
    let old = crate::schema::snapshot_path(&main, &[]).expect("snapshot");
    let new_text = "syntax = \"proto3\";\npackage p;\nimport \"dep.proto\";\nmessage M { D d = 1; string s = 3; }\n";
    let new = crate::schema::snapshot_text(&main, new_text, &[]).expect("snapshot");
    drop(dir);
    let changes = crate::schema::diff_snapshots(&old, &new).expect("diff");
    assert!(
        changes
            .iter()
            .any(|c| c.id == "field-number-changed" && c.location == "p.M.s"),
        "{changes:?}"
    );
    assert!(crate::schema::diff_snapshots(&old, &old)
        .expect("same")
        .is_empty());
}
