//! Where a spec's files are read from ([`Files`]: the disk, or a version of them that a
//! caller provides, such as a git revision), and reading them. A leaf of `schema/`: the
//! parsers and the loader read through it.

use super::{SchemaError, SchemaType};
use std::path::{Component, Path, PathBuf};

/// A set of files addressed by the paths they have on disk: the working tree itself
/// ([`Disk`]) or another version of it.
pub trait Files {
    /// The content of the file at `path`; `Ok(None)` when this version has no such file.
    fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, String>;
    /// Whether `path` is a folder in this version.
    fn is_dir(&self, path: &Path) -> bool;
    /// The `.proto` files below the folder `dir`, relative to it with `/`, sorted.
    fn protos_below(&self, dir: &Path) -> Result<Vec<String>, String>;
}

/// The files on disk.
pub struct Disk;

impl Files for Disk {
    fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, String> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn protos_below(&self, dir: &Path) -> Result<Vec<String>, String> {
        let mut names = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).map_err(|e| e.to_string())? {
                let p = entry.map_err(|e| e.to_string())?.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "proto") {
                    if let Ok(rel) = p.strip_prefix(dir) {
                        names.push(rel.to_string_lossy().replace('\\', "/"));
                    }
                }
            }
        }
        names.sort();
        Ok(names)
    }
}

/// The file at `path` as UTF-8 text; `Ok(None)` when there is no such file.
pub(crate) fn read_string(files: &dyn Files, path: &Path) -> Result<Option<String>, SchemaError> {
    let Some(bytes) = files.read(path).map_err(|message| SchemaError::Io {
        file: path.to_path_buf(),
        message,
    })?
    else {
        return Ok(None);
    };
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| not_utf8(path, &e))
}

/// The error for a file that is not UTF-8 text.
pub(crate) fn not_utf8(path: &Path, e: &std::string::FromUtf8Error) -> SchemaError {
    SchemaError::Syntax {
        file: path.to_path_buf(),
        line: None,
        column: None,
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    }
}

/// `path` with `.` and `a/..` removed, without asking the file system (`..` that cannot be
/// removed stays).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Like [`read_string`], without a leading byte-order mark; a missing file is an error.
pub(crate) fn read_text_in(files: &dyn Files, path: &Path) -> Result<String, SchemaError> {
    let text = read_string(files, path)?.ok_or_else(|| SchemaError::Io {
        file: path.to_path_buf(),
        message: "no such file".into(),
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// `.proto` files and folders are Protobuf; everything else is OpenAPI.
pub fn schema_type_in(files: &dyn Files, path: &Path) -> SchemaType {
    if path.extension().is_some_and(|e| e == "proto") || files.is_dir(path) {
        SchemaType::Protobuf
    } else {
        SchemaType::OpenApi
    }
}

/// Whether the spec at `path` (a file, or a folder of `.proto` files) exists in `files`.
pub fn exists_in(files: &dyn Files, path: &Path) -> Result<bool, SchemaError> {
    if files.is_dir(path) {
        return Ok(true);
    }
    files
        .read(path)
        .map(|content| content.is_some())
        .map_err(|message| SchemaError::Io {
            file: path.to_path_buf(),
            message,
        })
}
