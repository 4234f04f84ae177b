//! `mockops hook run HOOK [FILE...]`: what an installed hook runs. Without files it checks
//! what is staged (the index); with files (the pre-commit framework's way) exactly those
//! files, as they are in the working tree, specs against HEAD.

use super::{classify, FileKind, HookName};
use crate::cli::context;
use crate::cli::output::Printer;
use crate::cli::schema::CheckOptions;
use crate::cli::{user_error, Exit, GlobalArgs};
use crate::events::Event;
use crate::gitutil::{self, GitFiles, Repo, Version};
use crate::pipeline::executor::Selection;
use crate::pipeline::{self, Severity};
use crate::project::Project;
use crate::schema::normalize_path as normalize;
use anyhow::{Context, Result};
use serde_json::json;
use std::path::PathBuf;

/// A file the hook looks at: its path from the project root, its kind, and whether it is
/// gone (staged for deletion, or named but absent).
struct Relevant {
    rel: String,
    kind: FileKind,
    deleted: bool,
}

/// Where the new content of the files comes from.
enum Content {
    /// The index (what is staged).
    Index(Box<GitFiles>),
    /// The working tree (files named on the command line).
    WorkTree,
}

impl Content {
    fn read(&self, project: &Project, rel: &str) -> Result<Option<Vec<u8>>> {
        match self {
            Content::Index(files) => files.read_rel(rel).map_err(user_error),
            Content::WorkTree => match std::fs::read(project.root.join(rel)) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e).with_context(|| format!("cannot read {rel}")),
            },
        }
    }
}

pub(super) fn run_hook(
    g: &GlobalArgs,
    hook: HookName,
    files: &[PathBuf],
    out: &Printer,
) -> Result<()> {
    let project = context::project(g)?;
    if hook == HookName::PrePush {
        return pre_push(&project, out);
    }
    let relevant = if files.is_empty() {
        staged(&project)?
    } else {
        named(&project, files)?
    };
    if relevant.is_empty() {
        return Ok(()); // nothing of ours: return at once
    }
    let repo = Repo::discover(&project.root).map_err(|e| user_error(e.to_string()))?;
    let content = if files.is_empty() {
        Content::Index(Box::new(repo.files(Version::Index)))
    } else {
        Content::WorkTree
    };
    // 1. pipeline and federation definitions must be valid (their new content)
    let tmp = tempfile::tempdir()?;
    let mut diagnostics = Vec::new();
    let mut federation_errors = 0;
    for r in &relevant {
        if r.deleted || !matches!(r.kind, FileKind::Pipeline | FileKind::Federation) {
            continue;
        }
        let Some(bytes) = content.read(&project, &r.rel)? else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if r.kind == FileKind::Federation {
            federation_errors += check_federation(&project, &r.rel, &text, out);
            continue;
        }
        let copy = tmp.path().join(&r.rel);
        std::fs::create_dir_all(copy.parent().unwrap_or(tmp.path()))?;
        std::fs::write(&copy, text.as_bytes())?;
        let (_, diags) = pipeline::load_file(&copy, tmp.path());
        diagnostics.extend(diags);
    }
    block_if_invalid(
        print_pipeline_diagnostics(&diagnostics, out) + federation_errors,
        "commit",
        out,
    )?;
    // 2. specs against HEAD, statelessly
    let specs: Vec<PathBuf> = relevant
        .iter()
        .filter(|r| r.kind == FileKind::Spec)
        .map(|r| project.root.join(&r.rel))
        .collect();
    if !specs.is_empty() {
        let opts = CheckOptions {
            specs: &specs,
            staged: files.is_empty(),
            base: Some("HEAD"),
            no_run: false,
            source: "hook",
            fail_on: None,
        };
        crate::cli::schema::check_with(&project, &opts, None, out)?;
    }
    // 3. config.changed for the config files that differ from HEAD
    let configs: Vec<&Relevant> = relevant
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                FileKind::Settings | FileKind::Federation | FileKind::EntityConfig
            )
        })
        .collect();
    if configs.is_empty() {
        return Ok(());
    }
    let head = repo
        .resolve("HEAD")
        .map_err(|e| user_error(e.to_string()))?;
    let head = repo.files(head);
    let mut payloads = Vec::new();
    for r in configs {
        let new = if r.deleted {
            None
        } else {
            content.read(&project, &r.rel)?
        };
        let old = head.read_rel(&r.rel).map_err(user_error)?;
        if old == new {
            continue;
        }
        let hash = |b: Vec<u8>| crate::entities::content_hash(&b);
        payloads.push((
            r.rel.clone(),
            json!({"path": r.rel, "old_hash": old.map(hash), "new_hash": new.map(hash)}),
        ));
    }
    if payloads.is_empty() {
        return Ok(());
    }
    let pipelines = context::load_pipelines(&project, out)?;
    let store = context::open_store(&project, out)?;
    let engine = context::engine(&project, &store, &pipelines);
    // One commit for every event of this hook (each run is durable when the hook returns).
    let mut batch = engine.batch();
    let mut outcomes = Vec::new();
    for (rel, payload) in payloads {
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
    let mut failed = false;
    for (rel, outcome) in &outcomes {
        for run in &outcome.runs {
            out.result(&format!(
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

/// The staged files of the project that matter (deletions only for specs).
fn staged(project: &Project) -> Result<Vec<Relevant>> {
    let staged = gitutil::staged_changes(&project.root).map_err(|e| user_error(e.to_string()))?;
    Ok(staged
        .into_iter()
        .filter_map(|s| {
            let kind = classify(project, &s.path)?;
            (!s.deleted || kind != FileKind::Pipeline).then_some(Relevant {
                rel: s.path,
                kind,
                deleted: s.deleted,
            })
        })
        .collect())
}

/// The named files (relative to the current folder) that belong to the project and matter.
fn named(project: &Project, files: &[PathBuf]) -> Result<Vec<Relevant>> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let mut found: Vec<Relevant> = Vec::new();
    for f in files {
        let abs = normalize(&cwd.join(f));
        let root = normalize(&project.root);
        let Ok(rel) = abs.strip_prefix(&root) else {
            continue; // outside the project
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if found.iter().any(|r| r.rel == rel) {
            continue;
        }
        if let Some(kind) = classify(project, &rel) {
            found.push(Relevant {
                deleted: !abs.exists(),
                rel,
                kind,
            });
        }
    }
    Ok(found)
}

/// Before a push: every definition must be valid.
fn pre_push(project: &Project, out: &Printer) -> Result<()> {
    let loaded = pipeline::load_dir(&project.pipelines_dir(), &project.root);
    let mut errors = print_pipeline_diagnostics(&loaded.diagnostics, out);
    for file in pipeline::validate::definition_files(&project.federations_dir()) {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", project.relative(&file)))?;
        errors += check_federation(project, &project.relative(&file), &text, out);
    }
    block_if_invalid(errors, "push", out)
}

/// Prints pipeline diagnostics; returns how many are errors.
fn print_pipeline_diagnostics(diags: &[pipeline::Diagnostic], out: &Printer) -> usize {
    crate::cli::ci::pipeline_diagnostics(out, diags);
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
    crate::cli::federation_load::check_text(project, rel, text, out)
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
