//! Watch mode's pure parts: the trailing-edge debouncer (coalescing per file) and
//! the filter that honours `.gitignore` and `watch.ignore`.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Collects changes per file and releases a file once it has been quiet for `quiet`.
#[derive(Debug)]
pub struct Debouncer {
    quiet: Duration,
    pending: BTreeMap<PathBuf, Instant>,
}

impl Debouncer {
    pub fn new(quiet: Duration) -> Self {
        Debouncer {
            quiet,
            pending: BTreeMap::new(),
        }
    }

    /// Records a change of `path` at `now` (a later change pushes its deadline back).
    pub fn touch(&mut self, path: PathBuf, now: Instant) {
        self.pending.insert(path, now);
    }

    /// Files quiet since `quiet`, removed from the pending set, in path order.
    pub fn due(&mut self, now: Instant) -> Vec<PathBuf> {
        let ready: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, last)| now.duration_since(**last) >= self.quiet)
            .map(|(p, _)| p.clone())
            .collect();
        for p in &ready {
            self.pending.remove(p);
        }
        ready
    }

    /// When the next file becomes due.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.pending.values().min().map(|last| *last + self.quiet)
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

/// Paths watch mode leaves alone.
pub struct PathFilter {
    gitignore: Gitignore,
    ignore: GlobSet,
}

impl PathFilter {
    /// Reads `<root>/.gitignore` (when present) and compiles the `watch.ignore` globs.
    pub fn new(root: &Path, globs: &[String]) -> Result<PathFilter, String> {
        let mut gb = GitignoreBuilder::new(root);
        let gi = root.join(".gitignore");
        if gi.is_file() {
            if let Some(e) = gb.add(&gi) {
                return Err(format!("{}: {e}", gi.display()));
            }
        }
        let gitignore = gb.build().map_err(|e| e.to_string())?;
        let mut set = GlobSetBuilder::new();
        for g in globs {
            set.add(
                GlobBuilder::new(g)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("watch.ignore: invalid glob `{g}`: {e}"))?,
            );
        }
        let ignore = set.build().map_err(|e| e.to_string())?;
        Ok(PathFilter { gitignore, ignore })
    }

    /// Whether `rel` (relative to the root) is ignored.
    pub fn ignored(&self, rel: &str) -> bool {
        if rel.starts_with(".mockops/")
            || rel.starts_with(".git/")
            || rel
                .split('/')
                .any(|s| s.ends_with('~') || s.starts_with(".#"))
        {
            return true;
        }
        self.ignore.is_match(rel)
            || self
                .gitignore
                .matched_path_or_any_parents(rel, false)
                .is_ignore()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_edge_coalesces_a_burst() {
        let t0 = Instant::now();
        let mut d = Debouncer::new(Duration::from_millis(100));
        for i in 0..5 {
            d.touch(PathBuf::from("a"), t0 + Duration::from_millis(i * 30));
        }
        assert!(
            d.due(t0 + Duration::from_millis(150)).is_empty(),
            "still inside the burst's quiet period"
        );
        assert_eq!(d.next_deadline(), Some(t0 + Duration::from_millis(220)));
        assert_eq!(
            d.due(t0 + Duration::from_millis(220)),
            vec![PathBuf::from("a")]
        );
        assert!(d.is_empty());
    }

    #[test]
    fn gitignore_and_watch_ignore() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "target/\n*.tmp\n").unwrap();
        let f = PathFilter::new(dir.path(), &["sdks/**".into()]).unwrap();
        assert!(f.ignored("target/x.yaml"));
        assert!(f.ignored("specs/a.tmp"));
        assert!(f.ignored("sdks/ts/index.ts"));
        assert!(f.ignored(".mockops/state.db"));
        assert!(!f.ignored("specs/a.yaml"));
        assert!(!f.ignored("pipelines/p.yaml"));
    }
}
