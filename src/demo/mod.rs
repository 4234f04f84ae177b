//! The parts of `mockops demo`: the demo project (the files of `examples/demo/`, compiled
//! in so that an installed binary has them), a local mock upstream, a webhook listener that
//! verifies signatures, seeded traffic, and a git repository whose origin is a local bare
//! one. Nothing here prints; `cli/demo.rs` runs the loop with the real commands.

pub mod git;
mod http;
pub mod listener;
pub mod traffic;
pub mod upstream;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Why a part of the demo could not run.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start {what}: {detail}")]
    Start { what: &'static str, detail: String },
    #[error("git: {0}")]
    Git(#[from] ::git2::Error),
    #[error("request {method} {path} through the gateway failed: {detail}")]
    Request {
        method: String,
        path: String,
        detail: String,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> DemoError + '_ {
    move |source| DemoError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The demo project's files, relative path and content.
pub const FILES: &[(&str, &str)] = &[
    (
        "mockops.yaml",
        include_str!("../../examples/demo/mockops.yaml"),
    ),
    (
        "federations/shop.yaml",
        include_str!("../../examples/demo/federations/shop.yaml"),
    ),
    (
        "pipelines/drift-to-pr.yaml",
        include_str!("../../examples/demo/pipelines/drift-to-pr.yaml"),
    ),
    (
        "specs/catalog.yaml",
        include_str!("../../examples/demo/specs/catalog.yaml"),
    ),
    (
        "specs/orders.yaml",
        include_str!("../../examples/demo/specs/orders.yaml"),
    ),
    (
        "specs/users.yaml",
        include_str!("../../examples/demo/specs/users.yaml"),
    ),
    (
        "specs/payments.yaml",
        include_str!("../../examples/demo/specs/payments.yaml"),
    ),
];

/// The addresses the committed files name, and what the demo writes in their place.
pub const MOCK_PLACEHOLDER: &str = "127.0.0.1:4010";
pub const REAL_PLACEHOLDER: &str = "127.0.0.1:4011";
pub const LISTENER_PLACEHOLDER: &str = "127.0.0.1:4020";

/// Where the demo's servers listen (ports the system chose).
#[derive(Debug, Clone, Copy)]
pub struct Addresses {
    pub mock: SocketAddr,
    pub real: SocketAddr,
    pub listener: SocketAddr,
}

impl Addresses {
    /// `text` with the placeholder addresses replaced by these, in one pass (a port the
    /// system chose may itself start like a placeholder: 40201 begins with 4020).
    pub fn apply(&self, text: &str) -> String {
        let Ok(address) = regex::Regex::new(r"127\.0\.0\.1:[0-9]+") else {
            return text.to_string();
        };
        address
            .replace_all(text, |found: &regex::Captures<'_>| match &found[0] {
                MOCK_PLACEHOLDER => self.mock.to_string(),
                REAL_PLACEHOLDER => self.real.to_string(),
                LISTENER_PLACEHOLDER => self.listener.to_string(),
                other => other.to_string(),
            })
            .into_owned()
    }
}

/// Where the demo's things go: the project, and its origin (a bare repository beside it).
#[derive(Debug, Clone)]
pub struct Layout {
    pub project: PathBuf,
    pub origin: PathBuf,
}

impl Layout {
    pub fn under(root: &Path) -> Layout {
        Layout {
            project: root.join("project"),
            origin: root.join("origin.git"),
        }
    }
}

/// Writes the demo project's files into `dir` with the servers' addresses, a `.gitignore`
/// for the state and the reports, and the `reports/` folder; returns the files written.
pub fn write_project(dir: &Path, addresses: &Addresses) -> Result<Vec<String>, DemoError> {
    let mut written = Vec::new();
    let files = FILES
        .iter()
        .copied()
        .chain([(".gitignore", ".mockops/\nreports/\n")]);
    for (rel, content) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        std::fs::write(&path, addresses.apply(content)).map_err(io_error(&path))?;
        written.push(rel.to_string());
    }
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).map_err(io_error(&reports))?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_replaced_and_the_files_are_valid_definitions() {
        let dir = tempfile::tempdir().unwrap();
        let at = |port| SocketAddr::from(([127, 0, 0, 1], port));
        let addresses = Addresses {
            mock: at(50001),
            real: at(50002),
            listener: at(50003),
        };
        write_project(dir.path(), &addresses).unwrap();
        let fed = std::fs::read_to_string(dir.path().join("federations/shop.yaml")).unwrap();
        assert!(fed.contains("http://127.0.0.1:50001") && fed.contains("http://127.0.0.1:50002"));
        let pipeline =
            std::fs::read_to_string(dir.path().join("pipelines/drift-to-pr.yaml")).unwrap();
        assert!(pipeline.contains("http://127.0.0.1:50003/hooks"));
        for (_, content) in FILES {
            let text = addresses.apply(content);
            for placeholder in [MOCK_PLACEHOLDER, REAL_PLACEHOLDER, LISTENER_PLACEHOLDER] {
                assert!(!text.contains(placeholder), "{placeholder} left");
            }
        }
        let fed = crate::federation::load_file(&dir.path().join("federations/shop.yaml")).unwrap();
        let errors: Vec<_> = crate::federation::validate(&fed, true)
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let loaded = crate::pipeline::load_dir(&dir.path().join("pipelines"), dir.path());
        assert!(
            loaded.diagnostics.is_empty(),
            "{:?}",
            loaded.diagnostics.len()
        );
        assert_eq!(loaded.pipelines.len(), 1);
    }

    #[test]
    fn every_file_of_examples_demo_is_compiled_in() {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let rel = path.strip_prefix(root).unwrap();
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let mut on_disk = Vec::new();
        walk(&root, &root, &mut on_disk);
        on_disk.sort();
        let mut compiled: Vec<String> = FILES.iter().map(|(rel, _)| rel.to_string()).collect();
        compiled.sort();
        assert_eq!(compiled, on_disk);
    }

    #[test]
    fn a_port_that_begins_like_a_placeholder_is_not_replaced_again() {
        let at = |port| SocketAddr::from(([127, 0, 0, 1], port));
        // 40201 begins with 4020, the listener's placeholder port.
        let addresses = Addresses {
            mock: at(40201),
            real: at(4010),
            listener: at(34303),
        };
        let text =
            "a http://127.0.0.1:4010/x b 127.0.0.1:4011 c 127.0.0.1:4020/hooks d 127.0.0.1:40100";
        assert_eq!(
            addresses.apply(text),
            "a http://127.0.0.1:40201/x b 127.0.0.1:4010 c 127.0.0.1:34303/hooks d 127.0.0.1:40100"
        );
    }
}
