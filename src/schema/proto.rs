//! Protobuf: compiling `.proto` files in-process with protox (recording every source it
//! loads, so a snapshot recompiles later) and the breaking-change diff of two compilations.

use super::{Change, Level, SchemaError};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};
use protox::file::{File, FileResolver, GoogleFileResolver};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Every file a compilation loaded (import name → content, google well-known types excluded)
/// and the names of the entry files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtoSources {
    pub entries: Vec<String>,
    pub files: BTreeMap<String, String>,
}

/// The result of a compilation: the entry files' descriptors and the sources read.
#[derive(Debug)]
pub struct Compiled {
    pub files: Vec<FileDescriptorProto>,
    pub sources: ProtoSources,
}

/// Resolves imports from memory first, then from include directories, then google's files.
struct RecordingResolver {
    memory: BTreeMap<String, String>,
    includes: Vec<PathBuf>,
    recorded: Rc<RefCell<BTreeMap<String, String>>>,
    google: GoogleFileResolver,
}

impl FileResolver for RecordingResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        let source = match self.memory.get(name) {
            Some(text) => Some(text.clone()),
            None => self
                .includes
                .iter()
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
                .map(|path| {
                    std::fs::read_to_string(&path).map_err(|e| {
                        protox::Error::new(std::io::Error::other(format!(
                            "{}: {e}",
                            path.display()
                        )))
                    })
                })
                .transpose()?,
        };
        match source {
            Some(text) => {
                self.recorded
                    .borrow_mut()
                    .insert(name.to_string(), text.clone());
                File::from_source(name, &text)
            }
            None => self.google.open_file(name),
        }
    }
}

/// Compiles OLD/NEW as given on the command line: a `.proto` file or a directory.
pub fn compile_paths(path: &Path, import_paths: &[PathBuf]) -> Result<Compiled, SchemaError> {
    let (entries, own_dir) = entry_files(path)?;
    compile(entries, own_dir, BTreeMap::new(), import_paths)
}

/// Compiles the file at `path` with its content replaced by `text`.
pub fn compile_with_text(
    path: &Path,
    text: &str,
    import_paths: &[PathBuf],
) -> Result<Compiled, SchemaError> {
    let (entries, own_dir) = entry_files(path)?;
    let memory = entries
        .iter()
        .map(|name| (name.clone(), text.to_string()))
        .take(1)
        .collect();
    compile(entries, own_dir, memory, import_paths)
}

/// Recompiles a snapshot without the files on disk.
pub fn compile_sources(sources: &ProtoSources) -> Result<Compiled, SchemaError> {
    compile(
        sources.entries.clone(),
        PathBuf::new(),
        sources.files.clone(),
        &[],
    )
}

/// The import names of the entry files and the directory they are relative to.
fn entry_files(path: &Path) -> Result<(Vec<String>, PathBuf), SchemaError> {
    let io = |e: std::io::Error| SchemaError::Io {
        file: path.to_path_buf(),
        message: e.to_string(),
    };
    if path.is_dir() {
        let mut names = Vec::new();
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).map_err(io)? {
                let p = entry.map_err(io)?.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "proto") {
                    if let Ok(rel) = p.strip_prefix(path) {
                        names.push(rel.to_string_lossy().replace('\\', "/"));
                    }
                }
            }
        }
        names.sort();
        Ok((names, path.to_path_buf()))
    } else {
        if !path.is_file() {
            return Err(SchemaError::Io {
                file: path.to_path_buf(),
                message: "no such file".into(),
            });
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok((
            vec![name],
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
        ))
    }
}

fn compile(
    entries: Vec<String>,
    own_dir: PathBuf,
    memory: BTreeMap<String, String>,
    import_paths: &[PathBuf],
) -> Result<Compiled, SchemaError> {
    let recorded = Rc::new(RefCell::new(BTreeMap::new()));
    let mut includes: Vec<PathBuf> = import_paths.to_vec();
    includes.push(own_dir.clone());
    let resolver = RecordingResolver {
        memory,
        includes,
        recorded: recorded.clone(),
        google: GoogleFileResolver::new(),
    };
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    for name in &entries {
        if let Err(err) = compiler.open_file(name) {
            return Err(convert_error(&err, &recorded.borrow(), &own_dir));
        }
    }
    let wanted: BTreeSet<&str> = entries.iter().map(String::as_str).collect();
    let files = compiler
        .file_descriptor_set()
        .file
        .into_iter()
        .filter(|f| wanted.contains(f.name()))
        .collect();
    let files_read = recorded.borrow().clone();
    Ok(Compiled {
        files,
        sources: ProtoSources {
            entries,
            files: files_read,
        },
    })
}

fn convert_error(
    err: &protox::Error,
    sources: &BTreeMap<String, String>,
    own_dir: &Path,
) -> SchemaError {
    use miette::Diagnostic;
    let name = err.file().unwrap_or("").to_string();
    let file = if name.is_empty() {
        own_dir.to_path_buf()
    } else {
        own_dir.join(&name)
    };
    let offset = err
        .labels()
        .and_then(|mut labels| labels.next())
        .map(|label| label.offset());
    let (line, column) = match (offset, sources.get(&name)) {
        (Some(offset), Some(text)) => {
            let (l, c) = super::openapi::line_col(text, offset);
            (Some(l), Some(c))
        }
        _ => (None, None),
    };
    let message = err.to_string();
    if err.is_file_not_found() {
        SchemaError::MissingImport {
            file,
            line,
            column,
            message,
        }
    } else {
        SchemaError::Syntax {
            file,
            line,
            column,
            message,
        }
    }
}

/// Compares two compilations, as buf's FILE-level breaking rules do.
pub fn diff(old: &Compiled, new: &Compiled) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |id: &str, level: Level, location: &str, message: String| {
        out.push(Change::new(id, level, location, message))
    };
    let old_files: BTreeMap<&str, &FileDescriptorProto> =
        old.files.iter().map(|f| (f.name(), f)).collect();
    let new_files: BTreeMap<&str, &FileDescriptorProto> =
        new.files.iter().map(|f| (f.name(), f)).collect();
    for (name, f) in &old_files {
        match new_files.get(name) {
            None => push(
                "file-removed",
                Level::Breaking,
                name,
                format!("file `{name}` removed"),
            ),
            Some(nf) if nf.package() != f.package() => push(
                "file-package-changed",
                Level::Breaking,
                name,
                format!(
                    "package changed from `{}` to `{}`",
                    f.package(),
                    nf.package()
                ),
            ),
            Some(_) => {}
        }
    }
    for name in new_files.keys().filter(|n| !old_files.contains_key(*n)) {
        push(
            "file-added",
            Level::Info,
            name,
            format!("file `{name}` added"),
        );
    }
    let packages = |files: &[FileDescriptorProto]| {
        files
            .iter()
            .map(|f| f.package().to_string())
            .collect::<BTreeSet<_>>()
    };
    let (op, np) = (packages(&old.files), packages(&new.files));
    for p in op.difference(&np) {
        push(
            "package-removed",
            Level::Breaking,
            p,
            format!("package `{p}` removed"),
        );
    }
    for p in np.difference(&op) {
        push(
            "package-added",
            Level::Info,
            p,
            format!("package `{p}` added"),
        );
    }
    let (om, nm) = (messages(&old.files), messages(&new.files));
    for (full, m) in &om {
        match nm.get(full) {
            None => push(
                "message-removed",
                Level::Breaking,
                full,
                format!("message `{full}` removed"),
            ),
            Some(n) => diff_message(full, m, n, &mut push),
        }
    }
    for full in nm.keys().filter(|k| !om.contains_key(*k)) {
        push(
            "message-added",
            Level::Info,
            full,
            format!("message `{full}` added"),
        );
    }
    let (oe, ne) = (enums(&old.files), enums(&new.files));
    for (full, e) in &oe {
        match ne.get(full) {
            None => push(
                "enum-removed",
                Level::Breaking,
                full,
                format!("enum `{full}` removed"),
            ),
            Some(n) => diff_enum(full, e, n, &mut push),
        }
    }
    for full in ne.keys().filter(|k| !oe.contains_key(*k)) {
        push(
            "enum-added",
            Level::Info,
            full,
            format!("enum `{full}` added"),
        );
    }
    super::proto_services::diff_services(&old.files, &new.files, &mut push);
    out
}

pub(crate) fn prefixed(package: &str, name: &str) -> String {
    if package.is_empty() {
        name.to_string()
    } else {
        format!("{package}.{name}")
    }
}

fn messages(files: &[FileDescriptorProto]) -> BTreeMap<String, &DescriptorProto> {
    fn walk<'a>(
        scope: &str,
        list: &'a [DescriptorProto],
        out: &mut BTreeMap<String, &'a DescriptorProto>,
    ) {
        for m in list {
            let full = prefixed(scope, m.name());
            walk(&full, &m.nested_type, out);
            out.insert(full, m);
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        walk(f.package(), &f.message_type, &mut out);
    }
    // Synthetic map-entry messages are compared through their map field.
    out.retain(|_, m| !m.options.as_ref().is_some_and(|o| o.map_entry()));
    out
}

fn enums(files: &[FileDescriptorProto]) -> BTreeMap<String, &EnumDescriptorProto> {
    fn walk<'a>(
        scope: &str,
        list: &'a [DescriptorProto],
        out: &mut BTreeMap<String, &'a EnumDescriptorProto>,
    ) {
        for m in list {
            let full = prefixed(scope, m.name());
            for e in &m.enum_type {
                out.insert(prefixed(&full, e.name()), e);
            }
            walk(&full, &m.nested_type, out);
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        for e in &f.enum_type {
            out.insert(prefixed(f.package(), e.name()), e);
        }
        walk(f.package(), &f.message_type, &mut out);
    }
    out
}

fn field_type(f: &FieldDescriptorProto) -> String {
    match f.r#type() {
        Type::Message | Type::Enum | Type::Group => {
            f.type_name().trim_start_matches('.').to_string()
        }
        other => format!("{other:?}").to_lowercase(),
    }
}

fn cardinality(f: &FieldDescriptorProto) -> &'static str {
    match f.label() {
        Label::Repeated => "repeated",
        Label::Required => "required",
        Label::Optional if f.proto3_optional() => "optional",
        Label::Optional if f.oneof_index.is_some() => "oneof",
        Label::Optional => "optional",
    }
}

fn reserved_number(m: &DescriptorProto, number: i32) -> bool {
    m.reserved_range
        .iter()
        .any(|r| r.start() <= number && number < r.end())
}

fn diff_message(
    full: &str,
    old: &DescriptorProto,
    new: &DescriptorProto,
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let oneof_name = |m: &DescriptorProto, f: &FieldDescriptorProto| {
        f.oneof_index
            .filter(|_| !f.proto3_optional())
            .and_then(|i| m.oneof_decl.get(i as usize))
            .map(|o| o.name().to_string())
    };
    for of in &old.field {
        let at = format!("{full}.{}", of.name());
        let Some(nf) = new.field.iter().find(|f| f.number() == of.number()) else {
            if let Some(moved) = new.field.iter().find(|f| f.name() == of.name()) {
                push(
                    "field-number-changed",
                    Level::Breaking,
                    &at,
                    format!(
                        "field number changed from {} to {}",
                        of.number(),
                        moved.number()
                    ),
                );
            } else if reserved_number(new, of.number()) {
                push(
                    "field-removed",
                    Level::Breaking,
                    &at,
                    format!(
                        "field {} `{}` removed (its number is reserved)",
                        of.number(),
                        of.name()
                    ),
                );
            } else {
                push(
                    "field-removed-without-reserve",
                    Level::Breaking,
                    &at,
                    format!(
                        "field {} `{}` removed without reserving its number",
                        of.number(),
                        of.name()
                    ),
                );
            }
            continue;
        };
        if nf.name() != of.name() {
            push(
                "field-name-changed",
                Level::Breaking,
                &at,
                format!(
                    "field {} renamed from `{}` to `{}`",
                    of.number(),
                    of.name(),
                    nf.name()
                ),
            );
        }
        if nf.json_name() != of.json_name() {
            push(
                "field-json-name-changed",
                Level::Breaking,
                &at,
                format!(
                    "json_name changed from `{}` to `{}`",
                    of.json_name(),
                    nf.json_name()
                ),
            );
        }
        if field_type(of) != field_type(nf) {
            push(
                "field-type-changed",
                Level::Breaking,
                &at,
                format!(
                    "type changed from `{}` to `{}`",
                    field_type(of),
                    field_type(nf)
                ),
            );
        }
        let (oc, nc) = (cardinality(of), cardinality(nf));
        if oc != nc && !(oc == "oneof" || nc == "oneof") {
            push(
                "field-cardinality-changed",
                Level::Breaking,
                &at,
                format!("cardinality changed from {oc} to {nc}"),
            );
        }
        if oneof_name(old, of) != oneof_name(new, nf) {
            let show = |o: Option<String>| o.unwrap_or_else(|| "none".into());
            push(
                "field-oneof-changed",
                Level::Breaking,
                &at,
                format!(
                    "oneof changed from `{}` to `{}`",
                    show(oneof_name(old, of)),
                    show(oneof_name(new, nf))
                ),
            );
        }
    }
    for nf in new.field.iter().filter(|f| {
        !old.field
            .iter()
            .any(|o| o.number() == f.number() || o.name() == f.name())
    }) {
        push(
            "field-added",
            Level::Info,
            &format!("{full}.{}", nf.name()),
            format!("field {} `{}` added", nf.number(), nf.name()),
        );
    }
    let real_oneofs = |m: &DescriptorProto| -> BTreeSet<String> {
        m.oneof_decl
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                m.field
                    .iter()
                    .any(|f| f.oneof_index == Some(*i as i32) && !f.proto3_optional())
            })
            .map(|(_, o)| o.name().to_string())
            .collect()
    };
    let (oo, no) = (real_oneofs(old), real_oneofs(new));
    for name in oo.difference(&no) {
        push(
            "oneof-removed",
            Level::Breaking,
            &format!("{full}.{name}"),
            format!("oneof `{name}` removed"),
        );
    }
    for name in no.difference(&oo) {
        push(
            "oneof-added",
            Level::Info,
            &format!("{full}.{name}"),
            format!("oneof `{name}` added"),
        );
    }
    for r in &old.reserved_range {
        if !(r.start()..r.end())
            .all(|n| reserved_number(new, n) || new.field.iter().any(|f| f.number() == n))
        {
            push(
                "reserved-range-removed",
                Level::Breaking,
                full,
                format!("reserved range {}..{} removed", r.start(), r.end() - 1),
            );
        }
    }
    for name in old.reserved_name.iter().filter(|n| {
        !new.reserved_name.contains(n) && !new.field.iter().any(|f| f.name() == n.as_str())
    }) {
        push(
            "reserved-name-removed",
            Level::Breaking,
            full,
            format!("reserved name `{name}` removed"),
        );
    }
}

fn diff_enum(
    full: &str,
    old: &EnumDescriptorProto,
    new: &EnumDescriptorProto,
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let reserved = |n: i32| {
        new.reserved_range
            .iter()
            .any(|r| r.start() <= n && n <= r.end())
    };
    for ov in &old.value {
        let at = format!("{full}.{}", ov.name());
        match new.value.iter().find(|v| v.number() == ov.number()) {
            None => {
                if let Some(moved) = new.value.iter().find(|v| v.name() == ov.name()) {
                    push(
                        "enum-value-number-changed",
                        Level::Breaking,
                        &at,
                        format!(
                            "enum value number changed from {} to {}",
                            ov.number(),
                            moved.number()
                        ),
                    );
                } else if reserved(ov.number()) {
                    push(
                        "enum-value-removed",
                        Level::Breaking,
                        &at,
                        format!(
                            "enum value {} `{}` removed (its number is reserved)",
                            ov.number(),
                            ov.name()
                        ),
                    );
                } else {
                    push(
                        "enum-value-removed-without-reserve",
                        Level::Breaking,
                        &at,
                        format!(
                            "enum value {} `{}` removed without reserving its number",
                            ov.number(),
                            ov.name()
                        ),
                    );
                }
            }
            Some(nv)
                if nv.name() != ov.name() && !new.value.iter().any(|v| v.name() == ov.name()) =>
            {
                push(
                    "enum-value-name-changed",
                    Level::Breaking,
                    &at,
                    format!(
                        "enum value {} renamed from `{}` to `{}`",
                        ov.number(),
                        ov.name(),
                        nv.name()
                    ),
                );
            }
            Some(_) => {}
        }
    }
    for nv in new.value.iter().filter(|v| {
        !old.value
            .iter()
            .any(|o| o.number() == v.number() || o.name() == v.name())
    }) {
        push(
            "enum-value-added",
            Level::Info,
            &format!("{full}.{}", nv.name()),
            format!("enum value {} `{}` added", nv.number(), nv.name()),
        );
    }
}

#[cfg(test)]
#[path = "proto_tests.rs"]
mod tests;
