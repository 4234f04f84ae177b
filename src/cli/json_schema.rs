//! `mockops json-schema pipeline|federation|scenario|config`: the JSON Schema (draft
//! 2020-12) of a kind of file, for editors (yaml-language-server, VS Code, JetBrains).

use super::output::Printer;
use crate::editor_schema::{self, Kind};
use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct JsonSchemaArgs {
    /// The kind of file
    pub kind: Kind,
}

pub fn run(args: JsonSchemaArgs, out: &Printer) -> Result<()> {
    out.print(&editor_schema::schema_text(args.kind));
    Ok(())
}

/// Where `init` keeps the schemas, from the project root.
pub const SCHEMA_DIR: &str = ".mockops/schemas";

/// Writes every schema under `root/.mockops/schemas/` (when its content changed), so that
/// the modelines `init` writes resolve offline and match this version of mockops.
pub fn write_schemas(root: &std::path::Path) -> Result<()> {
    let dir = root.join(SCHEMA_DIR);
    std::fs::create_dir_all(&dir)?;
    for kind in Kind::ALL {
        let path = dir.join(kind.file_name());
        let text = editor_schema::schema_text(kind);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text)?;
        }
    }
    Ok(())
}

/// The yaml-language-server modeline for a file at `rel` (from the project root).
pub fn modeline(rel: &str, kind: Kind) -> String {
    let depth = rel.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}{SCHEMA_DIR}/{}\n",
        "../".repeat(depth),
        kind.file_name()
    )
}
