//! Protobuf: compiling `.proto` files in-process with protox (recording every source it
//! loads, so a snapshot recompiles later) and the breaking-change diff of two compilations.

use super::{Change, Disk, Files, Level, SchemaError};
use prost_types::FileDescriptorProto;
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
    /// The folder the entry files' names are relative to (empty for a snapshot).
    pub base: PathBuf,
}

impl Compiled {
    /// What the change placer reads: the descriptors and their base folder.
    fn positions(&self) -> super::proto_positions::Sources<'_> {
        super::proto_positions::Sources {
            files: &self.files,
            base: &self.base,
        }
    }
}

/// Resolves imports from memory first, then from include directories, then google's files.
struct RecordingResolver {
    memory: BTreeMap<String, String>,
    includes: Vec<PathBuf>,
    files: Rc<dyn Files>,
    recorded: Rc<RefCell<BTreeMap<String, String>>>,
    google: GoogleFileResolver,
}

impl FileResolver for RecordingResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        let source = match self.memory.get(name) {
            Some(text) => Some(text.clone()),
            None => self.read_from_includes(name)?,
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

impl RecordingResolver {
    /// The first `dir/name` of the include directories that exists.
    fn read_from_includes(&self, name: &str) -> Result<Option<String>, protox::Error> {
        for dir in &self.includes {
            let path = dir.join(name);
            match super::files::read_string(self.files.as_ref(), &path) {
                Ok(Some(text)) => return Ok(Some(text)),
                Ok(None) => {}
                Err(e) => return Err(protox::Error::new(std::io::Error::other(e.to_string()))),
            }
        }
        Ok(None)
    }
}

/// Compiles OLD/NEW as given on the command line: a `.proto` file or a directory.
pub fn compile_paths(path: &Path, import_paths: &[PathBuf]) -> Result<Compiled, SchemaError> {
    compile_in(&(Rc::new(Disk) as Rc<dyn Files>), path, import_paths)
}

/// Compiles the `.proto` file or folder at `path`, reading it and its imports from `files`.
pub fn compile_in(
    files: &Rc<dyn Files>,
    path: &Path,
    import_paths: &[PathBuf],
) -> Result<Compiled, SchemaError> {
    let (entries, own_dir) = entry_files(files.as_ref(), path)?;
    let mut memory = BTreeMap::new();
    if let [single] = entries.as_slice() {
        if !files.is_dir(path) {
            // The named file itself, whatever the include directories hold under its name.
            let text = super::files::read_string(files.as_ref(), path)?.ok_or_else(|| {
                SchemaError::Io {
                    file: path.to_path_buf(),
                    message: "no such file".into(),
                }
            })?;
            memory.insert(single.clone(), text);
        }
    }
    compile(files.clone(), entries, own_dir, memory, import_paths)
}

/// Compiles the file at `path` with its content replaced by `text`.
pub fn compile_with_text(
    path: &Path,
    text: &str,
    import_paths: &[PathBuf],
) -> Result<Compiled, SchemaError> {
    let (entries, own_dir) = entry_files(&Disk, path)?;
    let memory = entries
        .iter()
        .map(|name| (name.clone(), text.to_string()))
        .take(1)
        .collect();
    compile(Rc::new(Disk), entries, own_dir, memory, import_paths)
}

/// Recompiles a snapshot without the files on disk.
pub fn compile_sources(sources: &ProtoSources) -> Result<Compiled, SchemaError> {
    compile(
        Rc::new(NoFiles),
        sources.entries.clone(),
        PathBuf::new(),
        sources.files.clone(),
        &[],
    )
}

/// The import names of the entry files and the directory they are relative to.
fn entry_files(files: &dyn Files, path: &Path) -> Result<(Vec<String>, PathBuf), SchemaError> {
    if files.is_dir(path) {
        let names = files
            .protos_below(path)
            .map_err(|message| SchemaError::Io {
                file: path.to_path_buf(),
                message,
            })?;
        Ok((names, path.to_path_buf()))
    } else {
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

/// No files: a snapshot's compilation reads only what the snapshot holds.
struct NoFiles;

impl Files for NoFiles {
    fn read(&self, _: &Path) -> Result<Option<Vec<u8>>, String> {
        Ok(None)
    }
    fn is_dir(&self, _: &Path) -> bool {
        false
    }
    fn protos_below(&self, _: &Path) -> Result<Vec<String>, String> {
        Ok(Vec::new())
    }
}

fn compile(
    files: Rc<dyn Files>,
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
        files,
        recorded: recorded.clone(),
        google: GoogleFileResolver::new(),
    };
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    compiler.include_source_info(true);
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
        base: own_dir,
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
    let mut message = err.to_string();
    if message.ends_with("found 'edition'") {
        // protox 0.10 knows `syntax` only; say so instead of listing what it expected.
        message.push_str(
            " (protobuf editions are not supported yet: mockops reads proto2 and proto3 files)",
        );
    }
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
    super::proto_messages::diff_messages(&old.files, &new.files, &mut push);
    super::proto_messages::diff_enums(&old.files, &new.files, &mut push);
    super::proto_services::diff_services(&old.files, &new.files, &mut push);
    super::proto_positions::place(old.positions(), new.positions(), &mut out);
    out
}

#[cfg(test)]
#[path = "proto_tests.rs"]
mod tests;
