//! Loading OpenAPI 3.0/3.1 and Swagger 2.0 documents (YAML or JSON) with `$ref` resolution,
//! also across files next to the spec, and (in `operations`) an index of their operations.

use super::files::normalize;
use super::SchemaError;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

mod locate;
mod operations;
pub(crate) mod positions;
mod structure;
pub use operations::{Operation, ResponseDecl};

/// The HTTP methods a path item may hold, in the order they are listed.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Which dialect a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// One loaded file: the main spec or a file its `$ref`s point to.
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// Path relative to the main file's directory (the main file: its name as given).
    pub key: String,
    pub path: PathBuf,
    pub text: String,
    pub root: Value,
}

/// A parsed document whose `$ref`s can be resolved.
#[derive(Debug)]
pub struct OpenApiDoc {
    pub(crate) files: Vec<SourceFile>,
    by_key: HashMap<String, usize>,
    pub version: SpecVersion,
}

/// A value inside one of the document's files.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    pub file: usize,
    pub value: &'a Value,
}

/// Identifies a `$ref` target: file index and JSON pointer.
pub(crate) type RefKey<'a> = (usize, &'a str);

/// Reads and parses the spec at `path` (and the files its `$ref`s point to).
pub fn load(path: &Path) -> Result<OpenApiDoc, SchemaError> {
    let text = super::read_text(path)?;
    parse_at(path, &text)
}

/// Parses `text` (YAML or JSON, detected by content); `name` is used in errors and to find
/// files referenced by `$ref` relative to it.
pub fn parse(name: &str, text: &str) -> Result<OpenApiDoc, SchemaError> {
    parse_at(Path::new(name), text)
}

pub(crate) fn parse_at(path: &Path, text: &str) -> Result<OpenApiDoc, SchemaError> {
    parse_in(&super::Disk, path, text)
}

/// Like [`parse_at`], reading the files `$ref`s point to from `files`.
pub(crate) fn parse_in(
    files: &dyn super::Files,
    path: &Path,
    text: &str,
) -> Result<OpenApiDoc, SchemaError> {
    let doc = build(path, text, Refs::Files(files))?;
    structure::check(&doc)?;
    Ok(doc)
}

/// Where the files that `$ref`s point to come from.
#[derive(Clone, Copy)]
enum Refs<'a> {
    Files(&'a dyn super::Files),
    /// A stored snapshot's files, by relative name.
    Snapshot(&'a BTreeMap<String, String>),
}

/// Loads a stored snapshot. Its structure is not checked again: it was checked when it was
/// stored, and one stored by an older mockops must still be comparable, or `schema check`
/// could never replace it.
pub(crate) fn parse_with_external(
    name: &str,
    text: &str,
    external: &BTreeMap<String, String>,
) -> Result<OpenApiDoc, SchemaError> {
    build(Path::new(name), text, Refs::Snapshot(external))
}

fn build(path: &Path, text: &str, external: Refs<'_>) -> Result<OpenApiDoc, SchemaError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = parse_value(path, text)?;
    let version = detect_version(path, text, &root)?;
    let main = SourceFile {
        key: path.display().to_string(),
        path: path.to_path_buf(),
        text: text.to_string(),
        root,
    };
    let mut doc = OpenApiDoc {
        files: vec![main],
        by_key: HashMap::new(),
        version,
    };
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // Load every file reachable through `$ref`s, then check that every `$ref` resolves.
    let mut next = 0;
    while next < doc.files.len() {
        let mut refs = Vec::new();
        collect_refs(&doc.files[next].root, &mut refs);
        let dir = doc.files[next]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for reference in refs {
            let file_part = reference.split('#').next().unwrap_or("");
            if file_part.is_empty() {
                continue;
            }
            let target = normalize(&dir.join(file_part));
            let key = relative_key(&base_dir, &target);
            if doc.by_key.contains_key(&key) {
                continue;
            }
            let loaded = match external {
                Refs::Snapshot(map) => map
                    .get(&key)
                    .cloned()
                    .ok_or_else(|| "not in the snapshot".to_string()),
                Refs::Files(files) => {
                    super::files::read_text_in(files, &target).map_err(|e| e.to_string())
                }
            };
            let content =
                loaded.map_err(|message| unresolved(&doc.files[next], &reference, message))?;
            let root = parse_value(&target, &content)?;
            doc.by_key.insert(key.clone(), doc.files.len());
            doc.files.push(SourceFile {
                key,
                path: target,
                text: content,
                root,
            });
        }
        next += 1;
    }
    for index in 0..doc.files.len() {
        let mut refs = Vec::new();
        collect_refs(&doc.files[index].root, &mut refs);
        for reference in refs {
            if doc.lookup(index, &reference).is_none() {
                return Err(unresolved(
                    &doc.files[index],
                    &reference,
                    "no such target".into(),
                ));
            }
        }
    }
    Ok(doc)
}

fn unresolved(file: &SourceFile, reference: &str, message: String) -> SchemaError {
    let (line, column) = position_of(&file.text, reference);
    SchemaError::UnresolvedRef {
        file: file.path.clone(),
        line,
        column,
        reference: reference.to_string(),
        message,
    }
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (Option<u64>, Option<u64>) {
    match text.find(needle) {
        Some(offset) => {
            let (line, column) = line_col(text, offset);
            (Some(line), Some(column))
        }
        None => (None, None),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before
        .get(line_start..)
        .map(|s| s.chars().count())
        .unwrap_or(0) as u64
        + 1;
    (line, column)
}

fn parse_value(path: &Path, text: &str) -> Result<Value, SchemaError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{') | Some('[')) {
        serde_json::from_str(text).map_err(|e| SchemaError::Syntax {
            file: path.to_path_buf(),
            line: Some(e.line() as u64),
            column: Some(e.column() as u64),
            message: format!("invalid JSON: {e}")
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        })
    } else {
        Ok(crate::yamlfile::parse::<Value>(path, text)?)
    }
}

fn detect_version(path: &Path, text: &str, root: &Value) -> Result<SpecVersion, SchemaError> {
    let not_openapi = |key: &str, message: &str| {
        let (line, column) = if key.is_empty() {
            (Some(1), Some(1))
        } else {
            position_of(text, key)
        };
        SchemaError::NotOpenApi {
            file: path.to_path_buf(),
            line,
            column,
            message: message.to_string(),
        }
    };
    let Some(object) = root.as_object() else {
        return Err(not_openapi(
            "",
            "not an OpenAPI/Swagger document: the top level is not a mapping",
        ));
    };
    let version_text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(v) = object.get("openapi") {
        let v = version_text(v);
        return if v.starts_with("3.1") || v.starts_with("3.2") {
            Ok(SpecVersion::OpenApi31)
        } else if v.starts_with("3.") {
            Ok(SpecVersion::OpenApi30)
        } else {
            Err(not_openapi(
                "openapi",
                &format!("unsupported OpenAPI version `{v}` (expected 3.0 or 3.1)"),
            ))
        };
    }
    if let Some(v) = object.get("swagger") {
        let v = version_text(v);
        return if v.starts_with('2') {
            Ok(SpecVersion::Swagger2)
        } else {
            Err(not_openapi(
                "swagger",
                &format!("unsupported Swagger version `{v}` (expected 2.0)"),
            ))
        };
    }
    Err(not_openapi(
        "",
        "not an OpenAPI/Swagger document: no `openapi` or `swagger` version field",
    ))
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            for (key, child) in map {
                // `example(s)` hold data, not schema: a `$ref` key there is just a value.
                if key != "example" && key != "examples" && key != "x-examples" {
                    collect_refs(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Lexically resolves `.` and `..` components.
fn relative_key(base: &Path, target: &Path) -> String {
    let base = normalize(base);
    match target.strip_prefix(&base) {
        Ok(rel) if !base.as_os_str().is_empty() => rel.display().to_string(),
        _ => target.display().to_string(),
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl OpenApiDoc {
    /// The main file's root value.
    pub(crate) fn root(&self) -> Node<'_> {
        Node {
            file: 0,
            value: self.files.first().map(|f| &f.root).unwrap_or(&Value::Null),
        }
    }

    /// The main file's name as given.
    pub fn name(&self) -> &str {
        self.files.first().map(|f| f.key.as_str()).unwrap_or("")
    }

    /// The content of every referenced file other than the main one (relative name → text).
    pub fn external_sources(&self) -> BTreeMap<String, String> {
        self.files
            .iter()
            .skip(1)
            .map(|f| (f.key.clone(), f.text.clone()))
            .collect()
    }

    /// Finds the target of `reference` as written in file `from`.
    pub(crate) fn lookup<'a>(
        &'a self,
        from: usize,
        reference: &'a str,
    ) -> Option<(RefKey<'a>, &'a Value)> {
        let (file_part, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            from
        } else {
            let dir = self
                .files
                .get(from)?
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let base = self
                .files
                .first()?
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            *self
                .by_key
                .get(&relative_key(&base, &normalize(&dir.join(file_part))))?
        };
        let root = &self.files.get(file)?.root;
        let value = if pointer.is_empty() {
            Some(root)
        } else if pointer.contains('%') {
            root.pointer(&percent_decode(pointer))
        } else {
            root.pointer(pointer)
        }?;
        Some(((file, pointer), value))
    }

    /// Follows `$ref`s from `node` (at most 32 hops); returns the target and the last ref
    /// followed. A dangling ref (impossible after loading) resolves to the node itself.
    pub(crate) fn resolve<'a>(&'a self, node: Node<'a>) -> (Node<'a>, Option<RefKey<'a>>) {
        let mut current = node;
        let mut last = None;
        for _ in 0..32 {
            let Some(Value::String(reference)) = current.value.get("$ref") else {
                break;
            };
            match self.lookup(current.file, reference) {
                Some((key, value)) => {
                    last = Some(key);
                    current = Node { file: key.0, value };
                }
                None => break,
            }
        }
        (current, last)
    }

    /// A child of a node after resolving it.
    pub(crate) fn child<'a>(&'a self, node: Node<'a>, key: &str) -> Option<Node<'a>> {
        let (node, _) = self.resolve(node);
        node.value.get(key).map(|value| Node {
            file: node.file,
            value,
        })
    }
}

#[cfg(test)]
mod tests;
