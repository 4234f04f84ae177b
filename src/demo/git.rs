//! The demo project as a git repository (git2): one commit of its files on `main`, pushed
//! to `origin`, a bare repository beside it; and what branches the pipeline pushed there.

use super::DemoError;
use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature};
use std::path::Path;

const AUTHOR: (&str, &str) = ("mockops demo", "demo@mockops.invalid");

/// Makes `project` a repository with its files committed on `main`, and `origin` a bare
/// repository it is pushed to; returns the commit id.
pub fn init_with_origin(project: &Path, origin: &Path) -> Result<String, DemoError> {
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let bare = Repository::init_opts(origin, opts.bare(true))?;
    drop(bare);
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = Repository::init_opts(project, &opts)?;
    let mut index = repo.index()?;
    index.add_all(["*"], IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let signature = Signature::now(AUTHOR.0, AUTHOR.1)?;
    let commit = repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        "The demo project",
        &tree,
        &[],
    )?;
    let url = origin.to_string_lossy();
    let mut remote = repo.remote("origin", &url)?;
    remote.push(&["refs/heads/main:refs/heads/main"], None)?;
    Ok(commit.to_string())
}

/// A branch of the bare repository and its newest commit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Branch {
    pub name: String,
    pub commit: String,
    pub message: String,
    /// Files the commit adds, changes or deletes against its parent.
    pub files: Vec<String>,
}

/// The branches of `origin` whose names start with `prefix`, in name order.
pub fn branches(origin: &Path, prefix: &str) -> Result<Vec<Branch>, DemoError> {
    let repo = Repository::open_bare(origin)?;
    let mut found = Vec::new();
    for branch in repo.branches(Some(git2::BranchType::Local))? {
        let (branch, _) = branch?;
        let Some(name) = branch.name()?.map(str::to_string) else {
            continue;
        };
        if !name.starts_with(prefix) {
            continue;
        }
        let commit = branch.get().peel_to_commit()?;
        let tree = commit.tree()?;
        let parent_tree = match commit.parents().next() {
            Some(parent) => Some(parent.tree()?),
            None => None,
        };
        let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)?;
        let files = diff
            .deltas()
            .filter_map(|d| d.new_file().path().or(d.old_file().path()))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        found.push(Branch {
            name,
            commit: commit.id().to_string(),
            message: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
            files,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_is_pushed_to_its_bare_origin() {
        let dir = tempfile::tempdir().unwrap();
        let (project, origin) = (dir.path().join("p"), dir.path().join("o.git"));
        std::fs::create_dir_all(project.join("specs")).unwrap();
        std::fs::write(project.join("specs/a.yaml"), "a: 1\n").unwrap();
        let commit = init_with_origin(&project, &origin).unwrap();
        let bare = Repository::open_bare(&origin).unwrap();
        let main = bare.find_reference("refs/heads/main").unwrap();
        assert_eq!(main.target().unwrap().to_string(), commit);
        let all = branches(&origin, "").unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].files, ["specs/a.yaml"]);
        assert!(branches(&origin, "mockops/").unwrap().is_empty());
    }
}
