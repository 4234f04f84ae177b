//! `mockops hook install|uninstall|run`: git hooks that validate definitions, check
//! staged specs and emit `config.changed` before a commit. Hooks go where git runs them
//! (`git rev-parse --git-path hooks`) and find their project at run time, relative to the
//! top of the work tree; a folder that another hook manager owns gets the line to add to
//! that manager's configuration instead.

use super::context;
use super::output::Printer;
use super::{user_error, Exit, GlobalArgs};
use crate::gitutil::Repo;
use crate::pipeline::template::shell_quote;
use crate::project::Project;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[path = "hook_managers.rs"]
mod managers;
#[path = "hook_run.rs"]
mod run;

const MARKER: &str = "# installed by mockops hook install";
const PROJECT_LINE: &str = "# mockops-project: ";
const CHAINED_SUFFIX: &str = "mockops-chained";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HookName {
    PreCommit,
    PrePush,
}

impl HookName {
    fn file(self) -> &'static str {
        match self {
            HookName::PreCommit => "pre-commit",
            HookName::PrePush => "pre-push",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write <hook> where git runs hooks, calling `mockops hook run <hook>` (default: pre-commit)
    Install {
        hooks: Vec<HookName>,
        /// Replace an existing hook that is not mockops's instead of chaining it, and write
        /// even where another hook manager owns the hooks
        #[arg(long)]
        force: bool,
    },
    /// Remove mockops's hooks (default: every one), restoring the hooks they chained
    Uninstall { hooks: Vec<HookName> },
    /// What the installed hook runs; FILE... checks exactly those files (pre-commit framework)
    Run {
        hook: HookName,
        /// Check these files (their working-tree content, specs against HEAD) instead of
        /// what is staged
        files: Vec<PathBuf>,
    },
}

pub fn run(g: &GlobalArgs, cmd: HookCommand, out: &mut Printer) -> Result<()> {
    match cmd {
        HookCommand::Install { hooks, force } => {
            let hooks = if hooks.is_empty() {
                vec![HookName::PreCommit]
            } else {
                hooks
            };
            install(g, &hooks, force, out)
        }
        HookCommand::Uninstall { hooks } => uninstall(g, &hooks, out),
        HookCommand::Run { hook, files } => run::run_hook(g, hook, &files, out),
    }
}

fn repo_of(project: &Project) -> Result<Repo> {
    Repo::discover(&project.root).map_err(|e| user_error(e.to_string()))
}

/// The hook script: runs the chained hook, then `mockops hook run` for each project (a
/// path from the top of the work tree, found when the hook runs).
fn script(hook: HookName, exe: &Path, projects: &[String]) -> String {
    let name = hook.file();
    let exe = shell_quote(&exe.display().to_string());
    let mut s = format!(
        "#!/bin/sh\n{MARKER}\n\
         # Runs `mockops hook run {name}` for each mockops project below (a path from the top\n\
         # of the work tree, so the repository may be moved or copied). Remove it with\n\
         # `mockops hook uninstall`.\n\
         here=$(dirname \"$0\")\n\
         if [ -x \"$here/{name}.{CHAINED_SUFFIX}\" ]; then\n  \"$here/{name}.{CHAINED_SUFFIX}\" \"$@\" || exit $?\nfi\n\
         if command -v mockops >/dev/null 2>&1; then MOCKOPS=mockops; else MOCKOPS={exe}; fi\n\
         top=$(git rev-parse --show-toplevel) || exit $?\n"
    );
    for p in projects {
        let dir = if p == "." {
            "\"$top\"".to_string()
        } else {
            format!("\"$top\"/{}", shell_quote(p))
        };
        s.push_str(&format!(
            "{PROJECT_LINE}{p}\n\"$MOCKOPS\" --project {dir} hook run {name} || exit $?\n"
        ));
    }
    s
}

/// The projects a mockops hook runs for (none in hooks written by older versions).
fn projects_in(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix(PROJECT_LINE))
        .map(str::to_string)
        .collect()
}

fn is_ours(text: &str) -> bool {
    text.contains(MARKER)
}

/// `path` relative to the top of the work tree, for messages.
fn shown(repo: &Repo, path: &Path) -> String {
    let top = repo.top();
    path.strip_prefix(top)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            let canon = path.canonicalize().ok()?;
            let top = top.canonicalize().ok()?;
            canon.strip_prefix(&top).ok().map(Path::to_path_buf)
        })
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| path.display().to_string())
}

fn install(g: &GlobalArgs, hooks: &[HookName], force: bool, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let repo = repo_of(&project)?;
    let dir = repo.hooks_dir().map_err(|e| user_error(e.to_string()))?;
    let me = repo.project_path();
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mockops"));
    let mut not_installed = 0;
    for &hook in hooks {
        let path = dir.join(hook.file());
        let existing = std::fs::read_to_string(&path).ok();
        let ours = existing.as_deref().is_some_and(is_ours);
        if !ours {
            if let Some(m) = managers::detect(&repo, &dir, hook, existing.as_deref(), &me) {
                if m.runs_mockops {
                    out.result(&format!(
                        "{} manages the {} hook and runs mockops already ({})",
                        m.name,
                        hook.file(),
                        m.config
                    ));
                    continue;
                }
                if !force {
                    out.warn(&format!(
                        "{} manages this repository's git hooks ({}): a {} hook written by mockops \
                         would be overwritten or never run, so none was written. {} (or use --force):",
                        m.name,
                        m.evidence,
                        hook.file(),
                        m.instruction
                    ));
                    out.print(&m.snippet);
                    not_installed += 1;
                    continue;
                }
                out.warn(&format!(
                    "{} manages this repository's git hooks ({}); writing the {} hook anyway (--force)",
                    m.name,
                    m.evidence,
                    hook.file()
                ));
            }
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let chained = dir.join(format!("{}.{CHAINED_SUFFIX}", hook.file()));
        let mut projects = Vec::new();
        match &existing {
            Some(text) if ours => projects = projects_in(text),
            Some(_) if force => out.warn(&format!(
                "replacing the existing {} hook (--force)",
                hook.file()
            )),
            Some(_) => {
                if chained.exists() {
                    return Err(user_error(format!(
                        "{} and {} both exist: move one away, then install again",
                        shown(&repo, &path),
                        shown(&repo, &chained)
                    )));
                }
                std::fs::rename(&path, &chained)
                    .with_context(|| format!("cannot move {}", path.display()))?;
                out.result(&format!(
                    "kept the existing {} hook: it runs first, as {}",
                    hook.file(),
                    shown(&repo, &chained)
                ));
            }
            None => {}
        }
        if !projects.contains(&me) {
            projects.push(me.clone());
        }
        std::fs::write(&path, script(hook, &exe, &projects))
            .with_context(|| format!("cannot write {}", path.display()))?;
        set_executable(&path)?;
        let others = projects.len() - 1;
        let also = if others > 0 {
            format!(" (and for {others} other project(s) of this repository)")
        } else {
            String::new()
        };
        out.result(&format!("installed {}{also}", shown(&repo, &path)));
    }
    if not_installed > 0 {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// Removes this project from mockops's hooks (`hooks`, or every one); a hook left with no
/// project is deleted and the hook it chained put back.
fn uninstall(g: &GlobalArgs, hooks: &[HookName], out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let repo = repo_of(&project)?;
    let me = repo.project_path();
    let dirs = repo.hook_dirs().map_err(|e| user_error(e.to_string()))?;
    let mut found = 0;
    for dir in &dirs {
        for path in hook_files(dir, hooks) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if !is_ours(&text) {
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let projects = projects_in(&text);
            let remaining: Vec<String> = projects.iter().filter(|p| **p != me).cloned().collect();
            if !projects.is_empty() && remaining.len() == projects.len() {
                continue; // another project's hook
            }
            found += 1;
            if !remaining.is_empty() {
                let hook = match name.as_str() {
                    "pre-push" => HookName::PrePush,
                    _ => HookName::PreCommit,
                };
                let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mockops"));
                std::fs::write(&path, script(hook, &exe, &remaining))
                    .with_context(|| format!("cannot write {}", path.display()))?;
                out.result(&format!(
                    "removed this project from {}; it still runs for {}",
                    shown(&repo, &path),
                    remaining.join(", ")
                ));
                continue;
            }
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
            let chained = dir.join(format!("{name}.{CHAINED_SUFFIX}"));
            if chained.exists() {
                std::fs::rename(&chained, &path)
                    .with_context(|| format!("cannot restore {}", chained.display()))?;
                out.result(&format!(
                    "removed the mockops {name} hook ({}) and restored the previous one",
                    shown(&repo, &path)
                ));
            } else {
                out.result(&format!(
                    "removed the mockops {name} hook ({})",
                    shown(&repo, &path)
                ));
            }
        }
    }
    if found == 0 {
        out.result("no mockops hook installed");
    }
    Ok(())
}

/// The hook files in `dir`: those named, or every file when none is.
fn hook_files(dir: &Path, hooks: &[HookName]) -> Vec<PathBuf> {
    if !hooks.is_empty() {
        return hooks.iter().map(|h| dir.join(h.file())).collect();
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_none_or(|e| e != CHAINED_SUFFIX && e != "sample")
        })
        .collect();
    files.sort();
    files
}

fn set_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perm = std::fs::metadata(path)?.permissions();
    perm.set_mode(0o755);
    std::fs::set_permissions(path, perm)?;
    Ok(())
}

/// What kind of project file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pipeline,
    Federation,
    Settings,
    EntityConfig,
    Spec,
}

/// Classifies a path relative to the project root.
pub fn classify(project: &Project, rel: &str) -> Option<FileKind> {
    let yaml = rel.ends_with(".yaml") || rel.ends_with(".yml");
    let definition = crate::pipeline::validate::is_definition_file(std::path::Path::new(rel));
    let parts: Vec<&str> = rel.split('/').collect();
    if project.settings.specs.iter().any(|s| s.path == rel) {
        return Some(FileKind::Spec);
    }
    match parts.as_slice() {
        ["mockops.yaml"] => Some(FileKind::Settings),
        ["pipelines", _] if definition => Some(FileKind::Pipeline),
        ["federations", _] if definition => Some(FileKind::Federation),
        ["environments", _, "configs", _] if yaml => Some(FileKind::EntityConfig),
        _ => None,
    }
}
