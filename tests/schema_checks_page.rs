//! `docs/schema-checks.md` is generated from the code's own list of checks
//! (`src/schema/checks.rs`); this test fails when the page is stale. Regenerate it with:
//!
//!     MOCKOPS_UPDATE_DOCS=1 cargo test --test schema_checks_page
//!
//! (The crate's own tests fail when the differ reports an id or level missing from the list.)

use std::path::Path;

#[test]
fn the_schema_checks_page_is_current() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema-checks.md");
    let fresh = mockops::schema::checks::markdown();
    if std::env::var_os("MOCKOPS_UPDATE_DOCS").is_some() {
        std::fs::write(&page, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/schema-checks.md is stale: regenerate it with \
         `MOCKOPS_UPDATE_DOCS=1 cargo test --test schema_checks_page`"
    );
}

#[test]
fn the_page_names_every_id_with_its_levels() {
    let page = mockops::schema::checks::markdown();
    let all = mockops::schema::checks::all();
    assert!(all.len() > 300, "{} ids", all.len());
    for (id, levels) in &all {
        let levels: Vec<String> = levels.iter().map(|l| l.to_string()).collect();
        let line = format!("- `{id}` — {}", levels.join(", "));
        assert!(page.contains(&line), "{line}");
    }
    for id in [
        "endpoint-removed",
        "field-removed-without-reserve",
        "spec-added",
    ] {
        assert!(
            page.contains(&format!("| `{id}` |")),
            "{id} has a table row"
        );
    }
}
