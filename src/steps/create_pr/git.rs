//! The git side of `create_pr`, with git2 and without touching the user's checkout.
//!
//! What it does: asks the remote for its heads (one connection), fetches the base and the
//! branch when their commits are not already local, then builds the new tree in an
//! in-memory index: the base commit's tree, plus every file under the project root matching
//! `paths` (read from disk and written as blobs), minus tracked files matching `paths` that
//! no longer exist on disk, plus MockForge's `files` (their content goes straight into
//! blobs: nothing is written to disk). The commit is created without updating any ref, then only
//! `refs/heads/<branch>` (refused if it is the checked-out branch) and the remote-tracking
//! ref move. The working tree, the index file and HEAD are never written.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use super::files::{build_globs, walk, walk_roots};
use crate::steps::http::redact_url;
use crate::steps::StepFailure;
use git2::{CredentialType, Direction, ErrorClass, Index, IndexEntry, IndexTime, Oid, Repository};
use globset::GlobSet;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

/// Largest file committed (and largest `files` entry written).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// What to commit and where to push it.
pub struct GitPlan<'a> {
    pub project_root: &'a Path,
    pub branch: &'a str,
    pub base: Option<&'a str>,
    pub remote: &'a str,
    /// Globs relative to the project root (`*` within a segment, `**` across).
    pub paths: &'a [String],
    /// Files committed with the given content (or deleted), whatever is on disk.
    pub files: &'a [FileChange],
    pub message: &'a str,
    pub author: Option<(&'a str, &'a str)>,
    /// Token for https remotes, with the user name the host expects for tokens.
    pub token: Option<(&'a str, &'a str)>,
    pub deadline: Option<Instant>,
}

/// A file of MockForge's `files`: its path relative to the project root (`/`-separated)
/// and its content, or `None` to delete it.
#[derive(Debug, Clone, PartialEq)]
pub struct FileChange {
    pub path: String,
    pub content: Option<Vec<u8>>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub struct GitOutcome {
    /// The branch's commit after the run.
    pub commit: String,
    /// A new commit was pushed.
    pub pushed: bool,
    /// The branch did not exist on the remote before.
    pub branch_created: bool,
    /// The base branch's name.
    pub base: String,
    /// The branch's content differs from the base (there is something to review).
    pub differs_from_base: bool,
}

/// Commits the matched files onto `branch` and pushes it.
pub fn commit_and_push(plan: &GitPlan<'_>) -> Result<GitOutcome, StepFailure> {
    let repo = Repository::discover(plan.project_root).map_err(|e| {
        StepFailure::fatal(format!(
            "no git repository at or above {}: {}",
            plan.project_root.display(),
            e.message()
        ))
    })?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| {
            StepFailure::fatal("the git repository is bare; create_pr needs a working tree")
        })?
        .to_path_buf();
    check_branch_name(plan.branch, "branch")?;
    if let Some(base) = plan.base {
        check_branch_name(base, "base")?;
    }
    let prefix = tree_prefix(&workdir, plan.project_root)?;
    let globs = build_globs(plan.paths)?;

    let mut remote = repo.find_remote(plan.remote).map_err(|_| {
        StepFailure::fatal(format!("the repository has no remote `{}`", plan.remote))
    })?;
    let shown_url = remote
        .url()
        .map(show_remote_url)
        .unwrap_or_else(|_| plan.remote.to_string());
    let (heads, default_branch) = {
        let connection = remote
            .connect_auth(
                Direction::Fetch,
                Some(callbacks(plan.token, plan.deadline)),
                None,
            )
            .map_err(|e| {
                git_failure(
                    &format!("cannot reach remote `{}` ({shown_url})", plan.remote),
                    &e,
                )
            })?;
        let heads: HashMap<String, Oid> = connection
            .list()
            .map_err(|e| git_failure("cannot list the remote's branches", &e))?
            .iter()
            .map(|h| (h.name().to_string(), h.oid()))
            .collect();
        let default = connection.default_branch().ok().and_then(|b| {
            b.as_str()
                .ok()
                .map(|s| s.trim_start_matches("refs/heads/").to_string())
        });
        (heads, default)
    };
    let base = match plan.base {
        Some(b) => b.to_string(),
        None => default_branch
            .or_else(|| local_default_branch(&repo, plan.remote))
            .unwrap_or_else(|| "main".to_string()),
    };
    let remote_base = heads.get(&format!("refs/heads/{base}")).copied();
    let remote_branch = heads.get(&format!("refs/heads/{}", plan.branch)).copied();
    let missing: Vec<String> = [
        (&base, remote_base),
        (&plan.branch.to_string(), remote_branch),
    ]
    .iter()
    .filter_map(|(name, oid)| {
        oid.filter(|o| repo.find_commit(*o).is_err())
            .map(|_| name.to_string())
    })
    .collect();
    if !missing.is_empty() {
        let refspecs: Vec<String> = missing
            .iter()
            .map(|b| format!("+refs/heads/{b}:refs/remotes/{}/{b}", plan.remote))
            .collect();
        let mut options = git2::FetchOptions::new();
        options.remote_callbacks(callbacks(plan.token, plan.deadline));
        remote
            .fetch(&refspecs, Some(&mut options), None)
            .map_err(|e| {
                git_failure(
                    &format!("cannot fetch from `{}` ({shown_url})", plan.remote),
                    &e,
                )
            })?;
    }
    let base_oid = match remote_base {
        Some(oid) => oid,
        None => repo
            .refname_to_id(&format!("refs/heads/{base}"))
            .map_err(|_| {
                StepFailure::fatal(format!(
                    "base branch `{base}` exists neither on remote `{}` nor locally",
                    plan.remote
                ))
            })?,
    };
    let base_commit = repo
        .find_commit(base_oid)
        .map_err(|e| git_failure(&format!("cannot read base `{base}`"), &e))?;
    let base_tree = base_commit
        .tree()
        .map_err(|e| git_failure("cannot read the base tree", &e))?;

    let tree_oid = build_tree(
        &repo,
        &base_tree,
        plan.project_root,
        &prefix,
        &globs,
        plan.paths,
        plan.files,
    )?;
    let differs_from_base = tree_oid != base_tree.id();
    let tip = match remote_branch {
        Some(oid) => Some(
            repo.find_commit(oid)
                .map_err(|e| git_failure("cannot read the branch", &e))?,
        ),
        None => None,
    };
    let unchanged = match &tip {
        Some(tip) => tip.tree_id() == tree_oid,
        None => !differs_from_base,
    };
    if unchanged {
        return Ok(GitOutcome {
            commit: tip.as_ref().map_or(base_oid, |t| t.id()).to_string(),
            pushed: false,
            branch_created: false,
            base,
            differs_from_base,
        });
    }
    // Keep the branch's history when it already builds on the base; else start from base.
    let parent = match &tip {
        Some(tip)
            if tip.id() == base_oid
                || repo
                    .graph_descendant_of(tip.id(), base_oid)
                    .unwrap_or(false) =>
        {
            tip
        }
        _ => &base_commit,
    };
    let signature = signature(&repo, plan.author)?;
    let tree = repo
        .find_tree(tree_oid)
        .map_err(|e| git_failure("cannot read the new tree", &e))?;
    let commit = repo
        .commit(None, &signature, &signature, plan.message, &tree, &[parent])
        .map_err(|e| git_failure("cannot create the commit", &e))?;

    let local_ref = format!("refs/heads/{}", plan.branch);
    if repo
        .head()
        .ok()
        .and_then(|h| h.name().ok().map(str::to_string))
        .as_deref()
        == Some(local_ref.as_str())
    {
        return Err(StepFailure::fatal(format!(
            "branch `{}` is checked out in {}; create_pr never moves the checked-out branch — switch to another branch or choose another `branch`",
            plan.branch,
            workdir.display()
        )));
    }
    repo.reference(&local_ref, commit, true, "mockops create_pr")
        .map_err(|e| git_failure(&format!("cannot write {local_ref}"), &e))?;
    push(&mut remote, plan, &local_ref, &shown_url)?;
    let _ = repo.reference(
        &format!("refs/remotes/{}/{}", plan.remote, plan.branch),
        commit,
        true,
        "mockops create_pr push",
    );
    Ok(GitOutcome {
        commit: commit.to_string(),
        pushed: true,
        branch_created: remote_branch.is_none(),
        base,
        differs_from_base,
    })
}

fn push(
    remote: &mut git2::Remote<'_>,
    plan: &GitPlan<'_>,
    local_ref: &str,
    shown_url: &str,
) -> Result<(), StepFailure> {
    let mut rejection: Option<String> = None;
    {
        let mut cbs = callbacks(plan.token, plan.deadline);
        cbs.push_update_reference(|name, status| {
            if let Some(message) = status {
                rejection = Some(format!("{name}: {message}"));
            }
            Ok(())
        });
        let mut options = git2::PushOptions::new();
        options.remote_callbacks(cbs);
        remote
            .push(&[format!("+{local_ref}:{local_ref}")], Some(&mut options))
            .map_err(|e| {
                git_failure(
                    &format!("cannot push to `{}` ({shown_url})", plan.remote),
                    &e,
                )
            })?;
    }
    match rejection {
        Some(reason) => Err(StepFailure::fatal(format!(
            "the remote `{}` rejected the push of {reason}",
            plan.remote
        ))),
        None => Ok(()),
    }
}

/// The new tree: base tree + matched files from disk − matched files deleted from disk,
/// then `files` over it.
fn build_tree(
    repo: &Repository,
    base_tree: &git2::Tree<'_>,
    project_root: &Path,
    prefix: &str,
    globs: &GlobSet,
    patterns: &[String],
    changes: &[FileChange],
) -> Result<Oid, StepFailure> {
    let mut index = Index::new().map_err(|e| git_failure("cannot create an index", &e))?;
    index
        .read_tree(base_tree)
        .map_err(|e| git_failure("cannot read the base tree", &e))?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut files = BTreeMap::new();
    if !patterns.is_empty() {
        for root in walk_roots(patterns) {
            let start = project_root.join(&root);
            match std::fs::symlink_metadata(&start) {
                Ok(m) if m.is_dir() => walk(project_root, &start, &mut files)?,
                Ok(_) => {
                    files.insert(root, start);
                }
                Err(_) => {}
            }
        }
    }
    for (relative, path) in files {
        if !globs.is_match(&relative) {
            continue;
        }
        let metadata = std::fs::symlink_metadata(&path)
            .map_err(|e| StepFailure::fatal(format!("cannot read {}: {e}", path.display())))?;
        let (content, mode) = if metadata.file_type().is_symlink() {
            let target = std::fs::read_link(&path).map_err(|e| {
                StepFailure::fatal(format!("cannot read link {}: {e}", path.display()))
            })?;
            (target.to_string_lossy().into_owned().into_bytes(), 0o120000)
        } else {
            if metadata.len() > MAX_FILE_BYTES {
                return Err(StepFailure::fatal(format!(
                    "{} is {} bytes, over create_pr's limit of {MAX_FILE_BYTES}",
                    path.display(),
                    metadata.len()
                )));
            }
            let executable =
                std::os::unix::fs::PermissionsExt::mode(&metadata.permissions()) & 0o111 != 0;
            let bytes = std::fs::read(&path)
                .map_err(|e| StepFailure::fatal(format!("cannot read {}: {e}", path.display())))?;
            (bytes, if executable { 0o100755 } else { 0o100644 })
        };
        let tree_path = format!("{prefix}{relative}");
        stage(repo, &mut index, &tree_path, &content, mode)?;
        seen.insert(tree_path);
    }
    let deleted: Vec<Vec<u8>> = index
        .iter()
        .filter_map(|entry| {
            let path = String::from_utf8(entry.path).ok()?;
            let relative = path.strip_prefix(prefix)?;
            (globs.is_match(relative) && !seen.contains(&path)).then(|| path.into_bytes())
        })
        .collect();
    for path in deleted {
        let shown = String::from_utf8_lossy(&path).into_owned();
        index
            .remove_path(Path::new(&shown))
            .map_err(|e| git_failure(&format!("cannot unstage {shown}"), &e))?;
    }
    for change in changes {
        let tree_path = format!("{prefix}{}", change.path);
        match &change.content {
            Some(content) => {
                // An existing file keeps its mode (say, executable); a new one is a plain file.
                let mode = index
                    .get_path(Path::new(&tree_path), 0)
                    .map(|e| e.mode)
                    .filter(|m| *m == 0o100755)
                    .unwrap_or(0o100644);
                stage(repo, &mut index, &tree_path, content, mode)?;
            }
            None => {
                if index.get_path(Path::new(&tree_path), 0).is_some() {
                    index
                        .remove_path(Path::new(&tree_path))
                        .map_err(|e| git_failure(&format!("cannot unstage {tree_path}"), &e))?;
                }
            }
        }
    }
    index
        .write_tree_to(repo)
        .map_err(|e| git_failure("cannot write the new tree", &e))
}

/// Puts `content` at `tree_path` in the index; unchanged files (same id and mode as in
/// the base) need no object write.
fn stage(
    repo: &Repository,
    index: &mut Index,
    tree_path: &str,
    content: &[u8],
    mode: u32,
) -> Result<(), StepFailure> {
    let id = Oid::hash_object(git2::ObjectType::Blob, content)
        .map_err(|e| git_failure(&format!("cannot hash {tree_path}"), &e))?;
    let unchanged = index
        .get_path(Path::new(tree_path), 0)
        .is_some_and(|entry| entry.id == id && entry.mode == mode);
    if !unchanged {
        let blob = repo
            .blob(content)
            .map_err(|e| git_failure(&format!("cannot store {tree_path}"), &e))?;
        index
            .add(&index_entry(tree_path, blob, mode, content.len()))
            .map_err(|e| git_failure(&format!("cannot stage {tree_path}"), &e))?;
    }
    Ok(())
}

fn index_entry(path: &str, id: Oid, mode: u32, size: usize) -> IndexEntry {
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: u32::try_from(size).unwrap_or(u32::MAX),
        id,
        flags: u16::try_from(path.len()).unwrap_or(0xfff).min(0xfff),
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// The project root's path inside the repository (`""` or `sub/dir/`).
fn tree_prefix(workdir: &Path, project_root: &Path) -> Result<String, StepFailure> {
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let root = project_root
        .canonicalize()
        .unwrap_or_else(|_| project_root.to_path_buf());
    let relative = root.strip_prefix(&workdir).map_err(|_| {
        StepFailure::fatal(format!(
            "{} is outside the repository {}",
            root.display(),
            workdir.display()
        ))
    })?;
    let text = relative.to_string_lossy().replace('\\', "/");
    Ok(if text.is_empty() {
        text
    } else {
        format!("{text}/")
    })
}

fn check_branch_name(name: &str, key: &str) -> Result<(), StepFailure> {
    let valid = git2::Reference::is_valid_name(&format!("refs/heads/{name}"));
    if valid && !name.is_empty() {
        Ok(())
    } else {
        Err(StepFailure::fatal(format!(
            "config `{key}`: git refuses the branch name `{name}`"
        )))
    }
}

fn local_default_branch(repo: &Repository, remote: &str) -> Option<String> {
    let head = repo
        .find_reference(&format!("refs/remotes/{remote}/HEAD"))
        .ok()?;
    let target = head.symbolic_target().ok()??;
    target
        .strip_prefix(&format!("refs/remotes/{remote}/"))
        .map(str::to_string)
}

fn signature(
    repo: &Repository,
    author: Option<(&str, &str)>,
) -> Result<git2::Signature<'static>, StepFailure> {
    let made = match author {
        Some((name, email)) => git2::Signature::now(name, email),
        None => repo
            .signature()
            .or_else(|_| git2::Signature::now("mockops", "mockops@localhost")),
    };
    made.map_err(|e| StepFailure::fatal(format!("config `author`: {}", e.message())))
}

fn callbacks<'a>(
    token: Option<(&'a str, &'a str)>,
    deadline: Option<Instant>,
) -> git2::RemoteCallbacks<'a> {
    let mut callbacks = git2::RemoteCallbacks::new();
    let mut tries = 0;
    callbacks.credentials(move |url, username, allowed| {
        tries += 1;
        if tries > 3 {
            return Err(git2::Error::from_str(
                "authentication failed (check `token`)",
            ));
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            if let Some((user, token)) = token {
                return git2::Cred::userpass_plaintext(user, token);
            }
            if let Ok(config) = git2::Config::open_default() {
                if let Ok(cred) = git2::Cred::credential_helper(&config, url, username) {
                    return Ok(cred);
                }
            }
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            return git2::Cred::ssh_key_from_agent(username.unwrap_or("git"));
        }
        if allowed.contains(CredentialType::DEFAULT) {
            return git2::Cred::default();
        }
        Err(git2::Error::from_str(
            "no credentials for this remote (set `token`)",
        ))
    });
    callbacks.transfer_progress(move |_| deadline.is_none_or(|d| Instant::now() < d));
    callbacks
}

/// A remote URL safe to show: local paths as they are, network URLs without path.
fn show_remote_url(url: &str) -> String {
    if url.contains("://") {
        redact_url(url)
    } else if let Some((host, _)) = url.split_once(':').filter(|(h, _)| !h.contains('/')) {
        format!("{}:***", host.rsplit_once('@').map_or(host, |(_, h)| h))
    } else {
        url.to_string()
    }
}

/// Network errors may pass on another attempt; the rest would repeat.
fn git_failure(what: &str, error: &git2::Error) -> StepFailure {
    let retryable = matches!(
        error.class(),
        ErrorClass::Net | ErrorClass::Http | ErrorClass::Ssh | ErrorClass::Ssl | ErrorClass::Os
    ) && error.code() != git2::ErrorCode::Auth;
    StepFailure {
        message: format!("{what}: {}", error.message()),
        retryable,
        ..Default::default()
    }
}
