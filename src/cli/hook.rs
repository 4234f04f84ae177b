//! `mockops hook install|uninstall|run`: git hooks that validate definitions, check
//! staged specs and emit `config.changed` before a commit.

use super::context;
use super::output::Printer;
use super::{user_error, Exit, GlobalArgs};
use crate::events::Event;
use crate::gitutil;
use crate::pipeline::executor::Selection;
use crate::pipeline::{self, Severity};
use crate::project::Project;
use anyhow::{Context, Result};
use clap::Subcommand;
use serde_json::json;
use std::path::{Path, PathBuf};

const MARKER: &str = "# installed by mockops hook install";
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
    /// Write .git/hooks/<hook> calling `mockops hook run <hook>` (default: pre-commit)
    Install {
        hooks: Vec<HookName>,
        /// Replace an existing hook that is not mockops's instead of chaining it
        #[arg(long)]
        force: bool,
    },
    /// Remove mockops's hooks (restoring chained ones)
    Uninstall { hooks: Vec<HookName> },
    /// What the installed hook runs
    Run { hook: HookName },
}

pub fn run(g: &GlobalArgs, cmd: HookCommand, out: &mut Printer) -> Result<()> {
    match cmd {
        HookCommand::Install { hooks, force } => install(g, &default_hooks(hooks), force, out),
        HookCommand::Uninstall { hooks } => uninstall(g, &default_hooks(hooks), out),
        HookCommand::Run { hook } => run_hook(g, hook, out),
    }
}

fn default_hooks(h: Vec<HookName>) -> Vec<HookName> {
    if h.is_empty() {
        vec![HookName::PreCommit]
    } else {
        h
    }
}

fn hooks_dir(g: &GlobalArgs) -> Result<(Project, PathBuf)> {
    let project = context::project(g)?;
    let dir = gitutil::hooks_dir(&project.root).map_err(|e| user_error(e.to_string()))?;
    Ok((project, dir))
}

fn script(hook: HookName, exe: &Path, root: &Path) -> String {
    let exe = crate::pipeline::template::shell_quote(&exe.display().to_string());
    let root = crate::pipeline::template::shell_quote(&root.display().to_string());
    let name = hook.file();
    format!(
        "#!/bin/sh\n{MARKER}\n# Chained hook (the one that was here before), run first:\nhere=$(dirname \"$0\")\nif [ -x \"$here/{name}.{CHAINED_SUFFIX}\" ]; then\n  \"$here/{name}.{CHAINED_SUFFIX}\" \"$@\" || exit $?\nfi\nif command -v mockops >/dev/null 2>&1; then MOCKOPS=mockops; else MOCKOPS={exe}; fi\nexec \"$MOCKOPS\" --project {root} hook run {name}\n"
    )
}

fn install(g: &GlobalArgs, hooks: &[HookName], force: bool, out: &Printer) -> Result<()> {
    let (project, dir) = hooks_dir(g)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mockops"));
    for &hook in hooks {
        let path = dir.join(hook.file());
        let chained = dir.join(format!("{}.{CHAINED_SUFFIX}", hook.file()));
        if path.exists() {
            let existing = std::fs::read_to_string(&path).unwrap_or_default();
            if !existing.contains(MARKER) {
                if force {
                    out.warn(&format!(
                        "replacing the existing {} hook (--force)",
                        hook.file()
                    ));
                } else {
                    std::fs::rename(&path, &chained)
                        .with_context(|| format!("cannot move {}", path.display()))?;
                    out.info(&format!(
                        "kept the existing {} hook: it runs first, as {}",
                        hook.file(),
                        chained.display()
                    ));
                }
            }
        }
        std::fs::write(&path, script(hook, &exe, &project.root))
            .with_context(|| format!("cannot write {}", path.display()))?;
        set_executable(&path)?;
        out.info(&format!("installed {}", path.display()));
    }
    Ok(())
}

fn uninstall(g: &GlobalArgs, hooks: &[HookName], out: &Printer) -> Result<()> {
    let (_, dir) = hooks_dir(g)?;
    for &hook in hooks {
        let path = dir.join(hook.file());
        let chained = dir.join(format!("{}.{CHAINED_SUFFIX}", hook.file()));
        let ours = std::fs::read_to_string(&path)
            .map(|t| t.contains(MARKER))
            .unwrap_or(false);
        if !ours {
            out.info(&format!("no mockops {} hook installed", hook.file()));
            continue;
        }
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        if chained.exists() {
            std::fs::rename(&chained, &path)?;
            out.info(&format!(
                "removed the mockops {} hook and restored the previous one",
                hook.file()
            ));
        } else {
            out.info(&format!("removed the mockops {} hook", hook.file()));
        }
    }
    Ok(())
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
    let parts: Vec<&str> = rel.split('/').collect();
    if project.settings.specs.iter().any(|s| s.path == rel) {
        return Some(FileKind::Spec);
    }
    match parts.as_slice() {
        ["mockops.yaml"] => Some(FileKind::Settings),
        ["pipelines", _] if yaml => Some(FileKind::Pipeline),
        ["federations", _] if yaml || rel.ends_with(".json") => Some(FileKind::Federation),
        ["environments", _, "configs", _] if yaml => Some(FileKind::EntityConfig),
        _ => None,
    }
}

fn run_hook(g: &GlobalArgs, hook: HookName, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let staged = gitutil::staged_paths(&project.root).map_err(|e| user_error(e.to_string()))?;
    let relevant: Vec<(String, FileKind)> = staged
        .into_iter()
        .filter_map(|p| classify(&project, &p).map(|k| (p, k)))
        .collect();
    if relevant.is_empty() && hook == HookName::PreCommit {
        return Ok(()); // nothing of ours is staged: return at once
    }
    if hook == HookName::PrePush {
        // Before a push: every definition must be valid.
        let loaded = pipeline::load_dir(&project.pipelines_dir(), &project.root);
        let mut errors = print_pipeline_diagnostics(&loaded.diagnostics, out);
        for file in crate::federation::definition_files(&project.federations_dir()) {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", project.relative(&file)))?;
            errors += check_federation(&project, &project.relative(&file), &text, out);
        }
        return block_if_invalid(errors, "push", out);
    }
    // 1. staged pipeline and federation definitions must be valid (their staged content,
    //    not the work tree's)
    let tmp = tempfile::tempdir()?;
    let mut diagnostics = Vec::new();
    let mut federation_errors = 0;
    for (rel, kind) in &relevant {
        if !matches!(kind, FileKind::Pipeline | FileKind::Federation) {
            continue;
        }
        let Some(text) =
            gitutil::staged_text(&project.root, rel).map_err(|e| user_error(e.to_string()))?
        else {
            continue;
        };
        if *kind == FileKind::Federation {
            federation_errors += check_federation(&project, rel, &text, out);
            continue;
        }
        let copy = tmp.path().join(rel);
        std::fs::create_dir_all(copy.parent().unwrap_or(tmp.path()))?;
        std::fs::write(&copy, text)?;
        let (_, diags) = pipeline::load_file(&copy, tmp.path());
        diagnostics.extend(diags);
    }
    block_if_invalid(
        print_pipeline_diagnostics(&diagnostics, out) + federation_errors,
        "commit",
        out,
    )?;
    // 2. staged specs: schema check --staged
    let specs: Vec<PathBuf> = relevant
        .iter()
        .filter(|(_, k)| *k == FileKind::Spec)
        .map(|(p, _)| project.root.join(p))
        .collect();
    if !specs.is_empty() {
        super::schema::check(&project, &specs, true, false, None, out)?;
    }
    // 3. config.changed for staged config files
    let configs: Vec<&String> = relevant
        .iter()
        .filter(|(_, k)| {
            matches!(
                k,
                FileKind::Settings | FileKind::Federation | FileKind::EntityConfig
            )
        })
        .map(|(p, _)| p)
        .collect();
    if configs.is_empty() {
        return Ok(());
    }
    let pipelines = context::load_pipelines(&project, out)?;
    let store = context::open_store(&project, out)?;
    let engine = context::engine(&project, &store, &pipelines);
    let mut failed = false;
    // One commit for every event of this hook (each run is durable when the hook returns).
    let mut batch = engine.batch();
    let mut outcomes = Vec::new();
    for rel in configs {
        let new = gitutil::staged_text(&project.root, rel)
            .map_err(|e| user_error(e.to_string()))?
            .unwrap_or_default();
        let old = gitutil::head_text(&project.root, rel).map_err(|e| user_error(e.to_string()))?;
        let payload = json!({
            "path": rel,
            "old_hash": old.map(|b| crate::entities::content_hash(&b)),
            "new_hash": crate::entities::content_hash(new.as_bytes()),
        });
        let event = Event::new(
            "config.changed",
            &project.workspace(),
            "hook",
            payload.as_object().cloned().unwrap_or_default(),
            chrono::Utc::now(),
        );
        outcomes.push((rel, batch.dispatch(event, Selection::Matching)?));
    }
    batch.commit()?;
    for (rel, outcome) in &outcomes {
        for run in &outcome.runs {
            out.info(&format!(
                "{}: {} {}",
                rel,
                run.pipeline,
                out.status(&run.status)
            ));
        }
        failed |= outcome.failed();
    }
    if failed {
        out.error("a pipeline failed: the commit is blocked");
        return Err(Exit(1).into());
    }
    Ok(())
}

/// Prints pipeline diagnostics; returns how many are errors.
fn print_pipeline_diagnostics(diags: &[pipeline::Diagnostic], out: &Printer) -> usize {
    let mut errors = 0;
    for d in diags {
        match d.severity {
            Severity::Error => {
                errors += 1;
                out.error(&d.error.to_string());
            }
            Severity::Warning => out.warn(&d.error.to_string()),
        }
    }
    errors
}

/// Parses and validates one federation file's `text` (as `federation validate` does, not
/// strict), printing what it finds under the name `rel`; returns how many are errors.
fn check_federation(project: &Project, rel: &str, text: &str, out: &Printer) -> usize {
    super::federation::check_text(project, rel, text, out)
}

/// Exit 1 when there are errors: `blocked` is what they stop (`commit`, `push`).
fn block_if_invalid(errors: usize, blocked: &str, out: &Printer) -> Result<()> {
    if errors > 0 {
        out.error(&format!(
            "{errors} invalid definition(s): the {blocked} is blocked"
        ));
        return Err(Exit(1).into());
    }
    Ok(())
}
