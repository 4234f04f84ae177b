//! Loading a spec once to both snapshot it and compare it ([`load`], [`Loaded`],
//! [`diff_loaded`]), from the files of `files.rs`.

use super::files::{read_text_in, schema_type_in, Files};
use super::{openapi, proto, sort_changes, Change, SchemaError, SchemaType, Snapshot};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A spec loaded once: its snapshot (what `schema check` stores and hashes) and its parsed
/// form, so comparing it needs no second parse.
pub struct Loaded {
    pub snapshot: Snapshot,
    parsed: Parsed,
}

enum Parsed {
    OpenApi(Box<openapi::OpenApiDoc>),
    Protobuf(proto::Compiled),
}

/// Reads and validates the spec at `path` from `files` (with the files its `$ref`s point
/// to, or its imports, read from `files` too).
pub fn load(
    files: &Rc<dyn Files>,
    path: &Path,
    import_paths: &[PathBuf],
) -> Result<Loaded, SchemaError> {
    match schema_type_in(files.as_ref(), path) {
        SchemaType::OpenApi => {
            let text = read_text_in(files.as_ref(), path)?;
            let doc = openapi::parse_in(files.as_ref(), path, &text)?;
            Ok(Loaded {
                snapshot: Snapshot::OpenApi {
                    name: path.display().to_string(),
                    text,
                    external: doc.external_sources(),
                },
                parsed: Parsed::OpenApi(Box::new(doc)),
            })
        }
        SchemaType::Protobuf => {
            let compiled = proto::compile_in(files, path, import_paths)?;
            Ok(Loaded {
                snapshot: Snapshot::Protobuf(compiled.sources.clone()),
                parsed: Parsed::Protobuf(compiled),
            })
        }
    }
}

impl Loaded {
    /// A stored snapshot, parsed for comparison.
    pub fn from_snapshot(snapshot: Snapshot) -> Result<Loaded, SchemaError> {
        let parsed = match &snapshot {
            Snapshot::OpenApi {
                name,
                text,
                external,
            } => Parsed::OpenApi(Box::new(openapi::parse_with_external(
                name, text, external,
            )?)),
            Snapshot::Protobuf(sources) => Parsed::Protobuf(proto::compile_sources(sources)?),
        };
        Ok(Loaded { snapshot, parsed })
    }
}

/// Compares two loaded specs (both OpenAPI or both Protobuf); sorted changes.
pub fn diff_loaded(old: &Loaded, new: &Loaded) -> Result<Vec<Change>, SchemaError> {
    if old.snapshot == new.snapshot {
        return Ok(Vec::new());
    }
    let mut changes = match (&old.parsed, &new.parsed) {
        (Parsed::OpenApi(o), Parsed::OpenApi(n)) => super::openapi_diff::diff(o, n)?,
        (Parsed::Protobuf(o), Parsed::Protobuf(n)) => proto::diff(o, n),
        _ => return Err(super::mismatch(&old.snapshot, &new.snapshot)),
    };
    sort_changes(&mut changes);
    Ok(changes)
}
