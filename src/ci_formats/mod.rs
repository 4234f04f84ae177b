//! What CI reads: SARIF 2.1.0 (code scanning), JUnit XML (test reporters) and GitHub
//! workflow commands (annotations), rendered from one neutral model of findings and test
//! suites. Pure: these functions build text; `cli/` decides where it goes.

pub mod github;
pub mod junit;
pub mod sarif;

use std::path::{Component, Path, PathBuf};

/// How much a finding matters, in SARIF's words (breaking → error, warning → warning,
/// info → note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    /// SARIF's `level` value.
    pub fn sarif(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// A check a finding comes from: its id and the text that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    /// One line: what the check finds.
    pub short: String,
    /// What it means and what to do about it.
    pub help: String,
    /// The level its findings usually have.
    pub level: Level,
}

/// A place in a file, relative to the repository root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// One result: a validation error, a schema change, a failed gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub level: Level,
    /// A short title (annotations show it in bold).
    pub title: String,
    pub message: String,
    pub location: Option<Location>,
}

/// The findings of one command, with the rules they come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub rules: Vec<Rule>,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Adds `rule` unless a rule with its id is there already.
    pub fn rule(&mut self, rule: Rule) {
        if !self.rules.iter().any(|r| r.id == rule.id) {
            self.rules.push(rule);
        }
    }
}

/// `path` relative to `root` with `/` separators, for a path given relative to `cwd` or
/// absolute. A path outside `root` stays as it was given (made absolute), since SARIF
/// consumers can place nothing outside the repository anyway.
pub fn repo_relative(path: &Path, cwd: &Path, root: &Path) -> String {
    let absolute = normalize(&if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    });
    let root = normalize(root);
    let shown = match absolute.strip_prefix(&root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => absolute,
    };
    let parts: Vec<String> = shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    if shown.has_root() {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined
    }
}

/// Lexically resolves `.` and `..`.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `response-success-status-removed` → `Response success status removed`.
pub fn humanize(id: &str) -> String {
    let text = id.replace('-', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_to_the_repository_root() {
        let root = Path::new("/repo");
        assert_eq!(
            repo_relative(Path::new("specs/api.yaml"), Path::new("/repo"), root),
            "specs/api.yaml"
        );
        assert_eq!(
            repo_relative(Path::new("../specs/./a.yaml"), Path::new("/repo/sub"), root),
            "specs/a.yaml"
        );
        assert_eq!(
            repo_relative(Path::new("/repo/x/y.proto"), Path::new("/elsewhere"), root),
            "x/y.proto"
        );
        assert_eq!(
            repo_relative(Path::new("/tmp/o.yaml"), Path::new("/repo"), root),
            "/tmp/o.yaml"
        );
        assert_eq!(humanize("endpoint-removed"), "Endpoint removed");
    }
}
