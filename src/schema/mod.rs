//! Schema changes (docs/schema.md): structural diffs of OpenAPI/Swagger documents and Protobuf files.
//!
//! [`diff_paths`] compares two files (or, for Protobuf, directories); [`snapshot_path`] /
//! [`diff_snapshots`] let `schema check` store a spec and compare it later without the files.

pub mod checks;
mod files;
pub mod openapi;
mod openapi_diff;
mod openapi_json;
pub mod proto;
mod proto_messages;
mod proto_names;
mod proto_positions;
mod proto_services;
mod render;
mod schema_diff;
mod source;

#[cfg(test)]
#[path = "realworld_tests.rs"]
mod realworld_tests;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use files::{exists_in, normalize as normalize_path, schema_type_in, Disk, Files};
pub use proto::ProtoSources;
pub use render::{render_markdown, render_text};
pub use source::{diff_loaded, load, Loaded};

/// The kind of a schema file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaType {
    OpenApi,
    Protobuf,
}

impl fmt::Display for SchemaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SchemaType::OpenApi => "openapi",
            SchemaType::Protobuf => "protobuf",
        })
    }
}

/// `.proto` files and directories are Protobuf; everything else is OpenAPI.
pub fn schema_type_of(path: &Path) -> SchemaType {
    if path.extension().is_some_and(|e| e == "proto") || path.is_dir() {
        SchemaType::Protobuf
    } else {
        SchemaType::OpenApi
    }
}

/// How much a change matters to existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Breaking,
    Warning,
    Info,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        })
    }
}

/// One structural change: a stable kebab-case `id`, its `level`, where it is and what it is,
/// and where the element is in the new document (in the old one for a removal): `file`,
/// 1-based `line` and `column`, when the parser could place it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub id: String,
    pub level: Level,
    pub location: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl Change {
    pub(crate) fn new(
        id: &str,
        level: Level,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        #[cfg(test)]
        assert!(
            checks::is_listed(id, level),
            "change `{id}` at level {level} is not in src/schema/checks.rs"
        );
        Change {
            id: id.to_string(),
            level,
            location: location.into(),
            message: message.into(),
            file: None,
            line: None,
            column: None,
        }
    }

    /// `file:line:column` when the change was placed, else `file`, else nothing.
    pub fn place(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        })
    }
}

/// The result of `schema diff`, in the JSON shape of docs/conventions.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffReport {
    pub old: String,
    pub new: String,
    pub breaking_count: usize,
    pub changes: Vec<Change>,
}

impl DiffReport {
    /// Sorts the changes and counts the breaking ones.
    pub fn new(old: impl Into<String>, new: impl Into<String>, mut changes: Vec<Change>) -> Self {
        sort_changes(&mut changes);
        let breaking_count = changes
            .iter()
            .filter(|c| c.level == Level::Breaking)
            .count();
        DiffReport {
            old: old.into(),
            new: new.into(),
            breaking_count,
            changes,
        }
    }
}

/// Deterministic order: level, then location, then id (then message); duplicates dropped.
pub fn sort_changes(changes: &mut Vec<Change>) {
    changes.sort_by(|a, b| {
        (a.level, &a.location, &a.id, &a.message).cmp(&(b.level, &b.location, &b.id, &b.message))
    });
    changes.dedup_by(|a, b| {
        (a.level, &a.location, &a.id, &a.message) == (b.level, &b.location, &b.id, &b.message)
    });
}

/// Why a schema could not be loaded or compared.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The file could not be read.
    #[error("{}: cannot read: {message}", file.display())]
    Io { file: PathBuf, message: String },
    /// The text is not valid YAML/JSON, or not valid Protobuf.
    #[error("{}", located(file, *line, *column, message))]
    Syntax {
        file: PathBuf,
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
    /// The document parses but is not an OpenAPI 3.x / Swagger 2.0 document, or a part the
    /// diff reads does not have the shape OpenAPI gives it (`responses: "oops"`).
    #[error("{}", located(file, *line, *column, message))]
    NotOpenApi {
        file: PathBuf,
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
    /// A `$ref` names a target that does not exist.
    #[error("{}", located(file, *line, *column, &format!("unresolved $ref `{reference}`: {message}")))]
    UnresolvedRef {
        file: PathBuf,
        line: Option<u64>,
        column: Option<u64>,
        reference: String,
        message: String,
    },
    /// A Protobuf import could not be found.
    #[error("{}", located(file, *line, *column, message))]
    MissingImport {
        file: PathBuf,
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
    /// Schemas nested deeper than the diff follows (a guard for the stack).
    #[error("{}: {location}: schemas are nested more than {limit} levels deep; mockops compares no deeper", file.display())]
    TooDeep {
        file: PathBuf,
        location: String,
        limit: usize,
    },
    /// OLD and NEW are not the same kind of schema.
    #[error("cannot compare {old_type} `{}` with {new_type} `{}`", old.display(), new.display())]
    Mismatch {
        old: PathBuf,
        new: PathBuf,
        old_type: SchemaType,
        new_type: SchemaType,
    },
}

fn located(file: &Path, line: Option<u64>, column: Option<u64>, message: &str) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: {message}", file.display()),
        (Some(l), None) => format!("{}:{l}: {message}", file.display()),
        _ => format!("{}: {message}", file.display()),
    }
}

impl SchemaError {
    /// The file the error is about, when there is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            SchemaError::Io { file, .. }
            | SchemaError::Syntax { file, .. }
            | SchemaError::NotOpenApi { file, .. }
            | SchemaError::UnresolvedRef { file, .. }
            | SchemaError::MissingImport { file, .. }
            | SchemaError::TooDeep { file, .. } => Some(file),
            SchemaError::Mismatch { .. } => None,
        }
    }
}

impl From<crate::yamlfile::YamlError> for SchemaError {
    fn from(e: crate::yamlfile::YamlError) -> Self {
        SchemaError::Syntax {
            file: e.file,
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

/// A stored version of a spec that can be compared later without the files on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Snapshot {
    /// `name` is the spec's path as given; `text` its content; `external` the files its
    /// `$ref`s point to (relative name → content).
    OpenApi {
        name: String,
        text: String,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        external: BTreeMap<String, String>,
    },
    Protobuf(ProtoSources),
}

impl Snapshot {
    /// The schema type of the snapshot.
    pub fn schema_type(&self) -> SchemaType {
        match self {
            Snapshot::OpenApi { .. } => SchemaType::OpenApi,
            Snapshot::Protobuf(_) => SchemaType::Protobuf,
        }
    }
}

/// Compares OLD with NEW (files, or for Protobuf files or directories).
pub fn diff_paths(
    old: &Path,
    new: &Path,
    import_paths: &[PathBuf],
) -> Result<DiffReport, SchemaError> {
    let (old_type, new_type) = (schema_type_of(old), schema_type_of(new));
    if old_type != new_type {
        return Err(SchemaError::Mismatch {
            old: old.to_path_buf(),
            new: new.to_path_buf(),
            old_type,
            new_type,
        });
    }
    let changes = match old_type {
        SchemaType::OpenApi => {
            let old_text = read_text(old)?;
            let new_text = read_text(new)?;
            let old_doc = openapi::parse_at(old, &old_text)?;
            if old_text == new_text && old.parent() == new.parent() {
                // Same bytes next to the same referenced files: nothing to compare.
                Vec::new()
            } else {
                let new_doc = openapi::parse_at(new, &new_text)?;
                openapi_diff::diff(&old_doc, &new_doc)?
            }
        }
        SchemaType::Protobuf => {
            let old_set = proto::compile_paths(old, import_paths)?;
            let new_set = proto::compile_paths(new, import_paths)?;
            proto::diff(&old_set, &new_set)
        }
    };
    Ok(DiffReport::new(
        old.display().to_string(),
        new.display().to_string(),
        changes,
    ))
}

pub(crate) fn read_text(path: &Path) -> Result<String, SchemaError> {
    let bytes = std::fs::read(path).map_err(|e| SchemaError::Io {
        file: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| files::not_utf8(path, &e))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Reads and validates the spec at `path` (with the files it references, or its imports).
pub fn snapshot_path(path: &Path, import_paths: &[PathBuf]) -> Result<Snapshot, SchemaError> {
    let disk: std::rc::Rc<dyn Files> = std::rc::Rc::new(Disk);
    Ok(load(&disk, path, import_paths)?.snapshot)
}

/// Like [`snapshot_path`], but the main file's content is `text` (e.g. the git-staged version).
pub fn snapshot_text(
    path: &Path,
    text: &str,
    import_paths: &[PathBuf],
) -> Result<Snapshot, SchemaError> {
    match schema_type_of(path) {
        SchemaType::OpenApi => {
            let doc = openapi::parse_at(path, text)?;
            Ok(Snapshot::OpenApi {
                name: path.display().to_string(),
                text: text.to_string(),
                external: doc.external_sources(),
            })
        }
        SchemaType::Protobuf => Ok(Snapshot::Protobuf(
            proto::compile_with_text(path, text, import_paths)?.sources,
        )),
    }
}

/// Compares two snapshots (both OpenAPI or both Protobuf).
pub fn diff_snapshots(old: &Snapshot, new: &Snapshot) -> Result<Vec<Change>, SchemaError> {
    if old == new {
        return Ok(Vec::new());
    }
    if old.schema_type() != new.schema_type() {
        return Err(mismatch(old, new));
    }
    diff_loaded(
        &Loaded::from_snapshot(old.clone())?,
        &Loaded::from_snapshot(new.clone())?,
    )
}

/// The error for comparing an OpenAPI snapshot with a Protobuf one.
fn mismatch(old: &Snapshot, new: &Snapshot) -> SchemaError {
    let name = |s: &Snapshot| match s {
        Snapshot::OpenApi { name, .. } => PathBuf::from(name),
        Snapshot::Protobuf(p) => PathBuf::from(p.entries.first().cloned().unwrap_or_default()),
    };
    SchemaError::Mismatch {
        old: name(old),
        new: name(new),
        old_type: old.schema_type(),
        new_type: new.schema_type(),
    }
}
