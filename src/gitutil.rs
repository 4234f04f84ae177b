//! Reading the git index for `--staged` checks and hooks (git2, no `git` process).

use std::path::{Path, PathBuf};

/// Git problems, with git's own message.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("not inside a git repository: {0}")]
    NoRepo(String),
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("staged file {0} is not UTF-8 text")]
    NotText(String),
}

/// The repository containing `root` and `root`'s path inside its work tree.
fn open(root: &Path) -> Result<(git2::Repository, PathBuf), GitError> {
    let repo =
        git2::Repository::discover(root).map_err(|e| GitError::NoRepo(e.message().to_string()))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError::NoRepo("the repository is bare".into()))?
        .to_path_buf();
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canon_work = workdir.canonicalize().unwrap_or(workdir);
    let prefix = canon_root
        .strip_prefix(&canon_work)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok((repo, prefix))
}

fn repo_path(prefix: &Path, rel: &str) -> String {
    prefix.join(rel).to_string_lossy().replace('\\', "/")
}

/// The staged (index) content of `rel` (relative to `root`); `None` when it is not in the index.
pub fn staged_text(root: &Path, rel: &str) -> Result<Option<String>, GitError> {
    let (repo, prefix) = open(root)?;
    let index = repo.index()?;
    let path = repo_path(&prefix, rel);
    let Some(entry) = index.get_path(Path::new(&path), 0) else {
        return Ok(None);
    };
    let blob = repo.find_blob(entry.id)?;
    String::from_utf8(blob.content().to_vec())
        .map(Some)
        .map_err(|_| GitError::NotText(path))
}

/// Files whose staged version differs from HEAD (added, modified, renamed; not deleted),
/// relative to `root`. Asks the `git` program when there is one: a hook runs on every
/// commit, and git2's first use initialises OpenSSL (tens of milliseconds).
pub fn staged_paths(root: &Path) -> Result<Vec<String>, GitError> {
    if let Some(paths) = staged_paths_by_git_program(root) {
        return Ok(paths);
    }
    staged_paths_by_git2(root)
}

fn staged_paths_by_git_program(root: &Path) -> Option<Vec<String>> {
    let out = std::process::Command::new("git")
        .args([
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--diff-filter=ACMR",
            "--relative",
            "--no-renames",
        ])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(
        text.split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

fn staged_paths_by_git2(root: &Path) -> Result<Vec<String>, GitError> {
    let (repo, prefix) = open(root)?;
    let head_tree = match repo.head() {
        Ok(head) => Some(head.peel_to_tree()?),
        Err(_) => None, // no commit yet: everything in the index is staged
    };
    let index = repo.index()?;
    let diff = repo.diff_tree_to_index(head_tree.as_ref(), Some(&index), None)?;
    let mut paths = Vec::new();
    for delta in diff.deltas() {
        if delta.status() == git2::Delta::Deleted {
            continue;
        }
        if let Some(p) = delta.new_file().path() {
            if let Ok(rel) = p.strip_prefix(&prefix) {
                paths.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(paths)
}

/// The staged content of `rel` at HEAD (for `config.changed`'s old hash); `None` when absent.
pub fn head_text(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, GitError> {
    let (repo, prefix) = open(root)?;
    let Ok(head) = repo.head() else {
        return Ok(None);
    };
    let tree = head.peel_to_tree()?;
    let Ok(entry) = tree.get_path(Path::new(&repo_path(&prefix, rel))) else {
        return Ok(None);
    };
    let blob = repo.find_blob(entry.id())?;
    Ok(Some(blob.content().to_vec()))
}

/// The `.git/hooks` folder of the repository containing `root`.
pub fn hooks_dir(root: &Path) -> Result<PathBuf, GitError> {
    let (repo, _) = open(root)?;
    Ok(repo.path().join("hooks"))
}
