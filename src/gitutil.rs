//! The git repository around a project, through the `git` program: where git reads hooks,
//! what is staged, and the files of the index or of any revision (`--staged`, `--base`,
//! hooks). The program, not git2, because inside a hook it must see what git sees (the
//! temporary index of `git commit -a` through `GIT_INDEX_FILE`, a linked worktree's
//! `GIT_DIR`, `core.hooksPath`), and because a hook's path must not pay for git2's TLS
//! initialisation.

use crate::schema::normalize_path as normalize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// Git problems, with git's own message.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0}")]
    NoGit(String),
    #[error("not inside a git work tree: {0}")]
    NoRepo(String),
    #[error("`{rev}` is not a revision of this repository (a branch, tag or commit id)")]
    BadRevision { rev: String },
    #[error("git {command}: {message}")]
    Failed { command: String, message: String },
}

/// A staged change: the path relative to the project root, and whether it is a deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    pub path: String,
    pub deleted: bool,
}

/// Which version of the files to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// The index (what `git commit` would record).
    Index,
    /// A tree, by object id.
    Tree(String),
    /// Nothing: HEAD before the first commit.
    Empty,
}

/// The git environment as seen from another folder: relative `GIT_DIR`,
/// `GIT_INDEX_FILE`, ... made absolute, and, when `GIT_DIR` is set without `GIT_WORK_TREE`
/// (as in a hook of a linked worktree), the work tree made explicit, since git then takes
/// the current folder, and mockops runs git from the project's folder, which may be below it.
fn env_fixups() -> Vec<(&'static str, OsString)> {
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_COMMON_DIR",
    ] {
        if let Some(value) = std::env::var_os(var) {
            let p = PathBuf::from(&value);
            if p.is_relative() && !value.is_empty() {
                out.push((var, cwd.join(p).into_os_string()));
            }
        }
    }
    if std::env::var_os("GIT_DIR").is_some() && std::env::var_os("GIT_WORK_TREE").is_none() {
        out.push(("GIT_WORK_TREE", cwd.into_os_string()));
    }
    out
}

fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("git");
    c.args(args)
        .current_dir(dir)
        .envs(env_fixups())
        .stdin(Stdio::null());
    c
}

/// Runs git in `dir`; its stdout, or git's message.
fn run(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = git_command(dir, args)
        .output()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed {
            command: args.first().copied().unwrap_or_default().to_string(),
            message: git_message(&out.stderr),
        })
    }
}

/// git's first error line without its `fatal: ` prefix.
fn git_message(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("failed");
    line.trim_start_matches("fatal: ")
        .trim_start_matches("error: ")
        .trim()
        .to_string()
}

fn lines_z(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// Staged changes below `root` (relative to it), deletions included: one `git` process,
/// nothing else (a hook runs this on every commit).
pub fn staged_changes(root: &Path) -> Result<Vec<Staged>, GitError> {
    let out = run(
        root,
        &[
            "diff",
            "--cached",
            "--name-status",
            "-z",
            "--relative",
            "--no-renames",
            "--no-ext-diff",
        ],
    )
    .map_err(|e| match e {
        GitError::Failed { message, .. } => GitError::NoRepo(message),
        other => other,
    })?;
    let fields: Vec<String> = lines_z(&out).collect();
    Ok(fields
        .chunks(2)
        .filter_map(|pair| match pair {
            [status, path] => Some(Staged {
                path: path.clone(),
                deleted: status.starts_with('D'),
            }),
            _ => None,
        })
        .collect())
}

/// The repository around a project folder.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The project folder, as given: the paths handed in are below it.
    root: PathBuf,
    /// The top of the work tree.
    top: PathBuf,
    /// The project folder's path inside the work tree: `` or `a/b/`.
    prefix: String,
}

impl Repo {
    /// The work tree containing `root`.
    pub fn discover(root: &Path) -> Result<Repo, GitError> {
        let out =
            run(root, &["rev-parse", "--show-toplevel", "--show-prefix"]).map_err(|e| match e {
                GitError::Failed { message, .. } => GitError::NoRepo(message),
                other => other,
            })?;
        let text = String::from_utf8_lossy(&out);
        let mut lines = text.lines();
        let top = lines.next().unwrap_or_default();
        if top.is_empty() {
            return Err(GitError::NoRepo("the repository has no work tree".into()));
        }
        Ok(Repo {
            root: root.to_path_buf(),
            top: PathBuf::from(top),
            prefix: lines.next().unwrap_or_default().to_string(),
        })
    }

    /// The top of the work tree.
    pub fn top(&self) -> &Path {
        &self.top
    }

    /// The project folder's path inside the work tree (`.` at the top), with `/`.
    pub fn project_path(&self) -> String {
        match self.prefix.trim_end_matches('/') {
            "" => ".".to_string(),
            p => p.to_string(),
        }
    }

    fn git_path(&self, args: &[&str]) -> Result<PathBuf, GitError> {
        let out = run(&self.root, args)?;
        let text = String::from_utf8_lossy(&out);
        let p = PathBuf::from(text.trim_end_matches(['\n', '\r']));
        Ok(if p.is_absolute() {
            p
        } else {
            self.root.join(p)
        })
    }

    /// The folder git runs hooks from (`git rev-parse --git-path hooks`: `core.hooksPath`
    /// and linked worktrees honoured).
    pub fn hooks_dir(&self) -> Result<PathBuf, GitError> {
        self.git_path(&["rev-parse", "--git-path", "hooks"])
    }

    /// Every folder a hook of this repository may have been written to: where git runs
    /// them, the shared `hooks` folder, and this worktree's own (where older mockops wrote).
    pub fn hook_dirs(&self) -> Result<Vec<PathBuf>, GitError> {
        let mut dirs = vec![self.hooks_dir()?];
        for args in [
            ["rev-parse", "--git-common-dir"],
            ["rev-parse", "--absolute-git-dir"],
        ] {
            let dir = self.git_path(&args)?.join("hooks");
            let same = |a: &Path, b: &Path| {
                a == b
                    || a.canonicalize()
                        .ok()
                        .is_some_and(|c| b.canonicalize().ok() == Some(c))
            };
            if !dirs.iter().any(|d| same(d, &dir)) {
                dirs.push(dir);
            }
        }
        Ok(dirs)
    }

    /// A git configuration value, `None` when unset.
    pub fn config(&self, key: &str) -> Option<String> {
        run(&self.root, &["config", "--get", key])
            .ok()
            .map(|o| String::from_utf8_lossy(&o).trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// The tree of revision `rev`. `HEAD` before the first commit is [`Version::Empty`].
    pub fn resolve(&self, rev: &str) -> Result<Version, GitError> {
        let spec = format!("{rev}^{{tree}}");
        match run(
            &self.top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
        ) {
            Ok(out) => Ok(Version::Tree(
                String::from_utf8_lossy(&out).trim().to_string(),
            )),
            Err(GitError::Failed { .. }) if rev == "HEAD" && self.head_is_unborn() => {
                Ok(Version::Empty)
            }
            Err(GitError::Failed { .. }) => Err(GitError::BadRevision { rev: rev.into() }),
            Err(e) => Err(e),
        }
    }

    fn head_is_unborn(&self) -> bool {
        run(&self.top, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_err()
            && run(&self.top, &["symbolic-ref", "--quiet", "HEAD"]).is_ok()
    }

    /// `path` (a path below the project, or reached from it with `..`) as a path from the
    /// top of the work tree; `None` outside the work tree.
    fn in_repo(&self, path: &Path) -> Option<String> {
        let rel = lexical_relative(path, &self.root)?;
        let joined = normalize(&Path::new(&self.prefix).join(rel));
        if joined.as_os_str().is_empty() || joined.starts_with("..") {
            return None;
        }
        Some(joined.to_string_lossy().replace('\\', "/"))
    }

    /// The files of `version`, read on demand.
    pub fn files(&self, version: Version) -> GitFiles {
        GitFiles {
            repo: self.clone(),
            version,
            reader: RefCell::new(None),
            listings: RefCell::new(HashMap::new()),
        }
    }
}

/// `path` relative to `base`, lexically (`..` where `path` is not below `base`).
fn lexical_relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let path = normalize(path);
    let base = normalize(base);
    if path.is_absolute() != base.is_absolute() {
        return None;
    }
    let (mut p, mut b) = (path.components().peekable(), base.components().peekable());
    while let (Some(x), Some(y)) = (p.peek(), b.peek()) {
        if x != y {
            break;
        }
        p.next();
        b.next();
    }
    let mut out = PathBuf::new();
    for _ in b {
        out.push("..");
    }
    for part in p {
        out.push(part.as_os_str());
    }
    Some(out)
}

/// One `git cat-file --batch` process.
struct BatchReader {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl BatchReader {
    fn start(top: &Path) -> Result<BatchReader, String> {
        let mut child = git_command(top, &["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let stdin = child.stdin.take().ok_or("git cat-file: no input")?;
        let stdout = child.stdout.take().ok_or("git cat-file: no output")?;
        Ok(BatchReader {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The object named `spec`: its type and content; `None` when it does not exist.
    fn object(&mut self, spec: &str) -> Result<Option<(String, Vec<u8>)>, String> {
        let broken = |e: std::io::Error| format!("git cat-file: {e}");
        writeln!(self.stdin, "{spec}").map_err(broken)?;
        self.stdin.flush().map_err(broken)?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(broken)?;
        let fields: Vec<&str> = header.trim_end().split(' ').collect();
        let [_, kind, size] = fields.as_slice() else {
            // `<spec> missing` or `<spec> ambiguous`
            return Ok(None);
        };
        let size: usize = size
            .parse()
            .map_err(|_| format!("git cat-file: unexpected answer `{}`", header.trim_end()))?;
        let mut content = vec![0; size + 1]; // the object, then a newline
        self.stdout.read_exact(&mut content).map_err(broken)?;
        content.truncate(size);
        Ok(Some((kind.to_string(), content)))
    }
}

impl Drop for BatchReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The files of one version of the repository, addressed by their paths on disk.
pub struct GitFiles {
    repo: Repo,
    version: Version,
    reader: RefCell<Option<BatchReader>>,
    /// Paths below a folder (from the top), by folder.
    listings: RefCell<HashMap<String, Vec<String>>>,
}

impl GitFiles {
    /// The content of `rel` (relative to the project root) in this version.
    pub fn read_rel(&self, rel: &str) -> Result<Option<Vec<u8>>, String> {
        use crate::schema::Files;
        self.read(&self.repo.root.join(rel))
    }

    fn object(&self, repo_path: &str) -> Result<Option<(String, Vec<u8>)>, String> {
        if repo_path.contains('\n') {
            return Ok(None);
        }
        let spec = match &self.version {
            Version::Index => format!(":0:{repo_path}"),
            Version::Tree(oid) => format!("{oid}:{repo_path}"),
            Version::Empty => return Ok(None),
        };
        let mut reader = self.reader.borrow_mut();
        if reader.is_none() {
            *reader = Some(BatchReader::start(&self.repo.top)?);
        }
        let result = reader.as_mut().map(|r| r.object(&spec)).unwrap_or(Ok(None));
        if result.is_err() {
            *reader = None;
        }
        result
    }

    /// Every path below the folder `dir` (from the top), from the top.
    fn below(&self, dir: &str) -> Result<Vec<String>, String> {
        if let Some(found) = self.listings.borrow().get(dir) {
            return Ok(found.clone());
        }
        let spec = format!("{dir}/");
        let out = match &self.version {
            Version::Index => run(
                &self.repo.top,
                &["ls-files", "-z", "--cached", "--full-name", "--", &spec],
            ),
            Version::Tree(oid) => run(
                &self.repo.top,
                &[
                    "ls-tree",
                    "-r",
                    "-z",
                    "--name-only",
                    "--full-tree",
                    oid,
                    "--",
                    &spec,
                ],
            ),
            Version::Empty => Ok(Vec::new()),
        }
        .map_err(|e| e.to_string())?;
        let mut paths: Vec<String> = lines_z(&out).collect();
        paths.sort();
        paths.dedup();
        self.listings
            .borrow_mut()
            .insert(dir.to_string(), paths.clone());
        Ok(paths)
    }
}

impl crate::schema::Files for GitFiles {
    fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, String> {
        let Some(repo_path) = self.repo.in_repo(path) else {
            return Ok(None);
        };
        Ok(self
            .object(&repo_path)?
            .filter(|(kind, _)| kind == "blob")
            .map(|(_, content)| content))
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.repo
            .in_repo(path)
            .is_some_and(|dir| self.below(&dir).is_ok_and(|paths| !paths.is_empty()))
    }

    fn protos_below(&self, dir: &Path) -> Result<Vec<String>, String> {
        let Some(repo_dir) = self.repo.in_repo(dir) else {
            return Ok(Vec::new());
        };
        let prefix = format!("{repo_dir}/");
        Ok(self
            .below(&repo_dir)?
            .into_iter()
            .filter(|p| p.ends_with(".proto"))
            .filter_map(|p| p.strip_prefix(&prefix).map(str::to_string))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_relative_walks_up_where_needed() {
        let rel = |p: &str, b: &str| lexical_relative(Path::new(p), Path::new(b));
        assert_eq!(rel("/r/api/a.yaml", "/r/api"), Some("a.yaml".into()));
        assert_eq!(
            rel("/r/common/x.yaml", "/r/api"),
            Some("../common/x.yaml".into())
        );
        assert_eq!(rel("/r/api/./b/../a", "/r/api"), Some("a".into()));
        assert_eq!(rel("a", "/r"), None);
    }

    #[test]
    fn git_message_drops_the_prefix() {
        assert_eq!(
            git_message(b"fatal: not a git repository (or any of the parent directories): .git\n"),
            "not a git repository (or any of the parent directories): .git"
        );
    }
}
