//! Which of the project's files `create_pr`'s `paths` select: the globs, the folders worth
//! walking for them, and the walk itself.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use crate::steps::StepFailure;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folders (or files) to walk: each glob's literal leading folders (`sdks/ts` for
/// `sdks/ts/**/*.ts`, the whole project for `**/*.ts`); a root inside another root is
/// dropped. This keeps `node_modules` and the like unwalked.
pub(super) fn walk_roots(patterns: &[String]) -> Vec<String> {
    let mut roots: Vec<String> = patterns
        .iter()
        .map(|p| {
            let p = p.trim_start_matches("./");
            match p.find(['*', '?', '[', '{', '\\']) {
                None => p.trim_end_matches('/').to_string(),
                Some(i) => p
                    .get(..i)
                    .and_then(|head| head.rsplit_once('/'))
                    .map_or(String::new(), |(dir, _)| dir.to_string()),
            }
        })
        .collect();
    roots.sort();
    roots.dedup();
    let mut kept: Vec<String> = Vec::new();
    for root in roots {
        let covered = kept
            .iter()
            .any(|k| k.is_empty() || root == *k || root.starts_with(&format!("{k}/")));
        if !covered {
            kept.push(root);
        }
    }
    kept
}

/// Every file under `dir` (not following directory links, skipping `.git`), as
/// (path relative to `root` with `/`, full path).
pub(super) fn walk(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, PathBuf>,
) -> Result<(), StepFailure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| StepFailure::fatal(format!("cannot list {}: {e}", dir.display())))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| StepFailure::fatal(format!("cannot list {}: {e}", dir.display())))?;
        let path = entry.path();
        if entry.file_name() == ".git" {
            continue;
        }
        let file_type = entry
            .file_type()
            .map_err(|e| StepFailure::fatal(format!("cannot read {}: {e}", path.display())))?;
        if file_type.is_dir() {
            walk(root, &path, out)?;
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let Some(text) = relative.to_str() else {
            return Err(StepFailure::fatal(format!(
                "file name {} is not UTF-8; git hosts cannot show it in a pull request",
                relative.to_string_lossy()
            )));
        };
        out.insert(text.replace('\\', "/"), path);
    }
    Ok(())
}

/// Globs with `*` staying within a segment and `**` crossing segments.
pub fn build_globs(patterns: &[String]) -> Result<GlobSet, StepFailure> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern.trim_start_matches("./"))
            .literal_separator(true)
            .build()
            .map_err(|e| {
                StepFailure::fatal(format!("config `paths`: invalid glob `{pattern}`: {e}"))
            })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| StepFailure::fatal(format!("config `paths`: {e}")))
}
