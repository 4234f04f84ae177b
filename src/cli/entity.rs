//! `mockops publish`, `mockops promote`, `mockops promotion list`.

use super::context;
use super::event::report_outcome;
use super::output::Printer;
use super::{user_error, GlobalArgs};
use crate::entities::{self, EntityError, EntityKind, PromoteRequest};
use crate::events::Event;
use crate::pipeline::executor::Selection;
use crate::timefmt;
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PublishKind {
    Scenario,
    Persona,
}

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// What the file holds
    pub kind: PublishKind,
    /// The scenario or persona file (YAML with at least `name`)
    pub file: PathBuf,
    /// Environment to publish to (default: the first of `environments`)
    #[arg(long)]
    pub env: Option<String>,
    /// Version to record (default: the next number)
    #[arg(long)]
    pub version: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct PromoteArgs {
    /// What to promote
    pub kind: EntityKind,
    /// The entity's id (its `id`, else its file name without .yaml)
    pub id: String,
    /// Environment to copy from
    #[arg(long)]
    pub from: String,
    /// Environment to copy to (later in `environments` than --from)
    #[arg(long)]
    pub to: String,
    /// Recorded with the promotion and sent in promotion.completed
    #[arg(long)]
    pub comment: Option<String>,
    /// Allow promoting to an earlier environment
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum PromotionCommand {
    /// Promotions, newest first
    List {
        /// Only promotions of this entity
        #[arg(long = "entity", value_name = "ID")]
        entity: Option<String>,
    },
}

fn entity_err(e: EntityError) -> anyhow::Error {
    if e.is_user_error() {
        user_error(e.to_string())
    } else {
        e.into()
    }
}

pub fn publish(g: &GlobalArgs, args: PublishArgs, out: &mut Printer) -> Result<()> {
    let project = context::project(g)?;
    context::require_file(&args.file)?;
    let kind = match args.kind {
        PublishKind::Scenario => EntityKind::Scenario,
        PublishKind::Persona => EntityKind::Persona,
    };
    let pipelines = context::load_pipelines(&project, out)?;
    let store = context::open_store(&project, out)?;
    let (published, event) = entities::publish(
        &store,
        &project.root,
        &project.environments(),
        kind,
        &args.file,
        args.env.as_deref(),
        args.version.as_deref(),
        &project.workspace(),
        chrono::Utc::now(),
    )
    .map_err(entity_err)?;
    let Some(event) = event else {
        if out.json() {
            out.print_json(
                &serde_json::json!({"published": published, "event_id": null, "runs": []}),
            )?;
        } else {
            out.result(&format!(
                "{} `{}` version {} is already published with this content: nothing to do",
                published.entity_type, published.entity_id, published.version
            ));
        }
        return Ok(());
    };
    let engine = context::engine(&project, &store, &pipelines);
    let outcome = engine.dispatch(event, Selection::Matching)?;
    if out.json() {
        out.print_json(&serde_json::json!({"published": published, "event_id": outcome.event_id, "runs": outcome.runs}))?;
        if outcome.failed() {
            return Err(super::Exit(1).into());
        }
        return Ok(());
    }
    out.result(&format!(
        "published {} `{}` version {} to {} ({})",
        published.entity_type,
        published.entity_id,
        published.version,
        published.environment,
        published.path
    ));
    report_outcome(&outcome, out)
}

pub fn promote(g: &GlobalArgs, args: PromoteArgs, out: &mut Printer) -> Result<()> {
    let project = context::project(g)?;
    let pipelines = context::load_pipelines(&project, out)?;
    let store = context::open_store(&project, out)?;
    let req = PromoteRequest {
        kind: args.kind,
        id: &args.id,
        from: &args.from,
        to: &args.to,
        force: args.force,
        comment: args.comment.as_deref(),
        version: None,
    };
    let now = chrono::Utc::now();
    let (promotion, payload) =
        entities::promote(&store, &project.root, &project.environments(), &req, now)
            .map_err(entity_err)?;
    let event = Event::new(
        "promotion.completed",
        &project.workspace(),
        "promote",
        payload,
        now,
    );
    let engine = context::engine(&project, &store, &pipelines);
    let outcome = engine.dispatch(event, Selection::Matching)?;
    if out.json() {
        out.print_json(&serde_json::json!({"promotion": promotion, "event_id": outcome.event_id, "runs": outcome.runs}))?;
        if outcome.failed() {
            return Err(super::Exit(1).into());
        }
        return Ok(());
    }
    out.result(&format!(
        "promoted {} `{}` version {} from {} to {} ({})",
        promotion.entity_type,
        promotion.entity_id,
        promotion.version,
        promotion.from_environment,
        promotion.to_environment,
        promotion.id
    ));
    report_outcome(&outcome, out)
}

pub fn promotion(g: &GlobalArgs, cmd: PromotionCommand, out: &mut Printer) -> Result<()> {
    let PromotionCommand::List { entity } = cmd;
    let project = context::project(g)?;
    let store = context::open_store_to_read(&project, out)?;
    let list = store.promotions(entity.as_deref())?;
    if out.json() {
        return out.print_json(&list);
    }
    let rows = list
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                format!("{} {}", p.entity_type, p.entity_id),
                format!("{} → {}", p.from_environment, p.to_environment),
                p.version.clone(),
                out.status(&p.status),
                timefmt::format(&p.created_at),
            ]
        })
        .collect();
    out.table(
        &["id", "entity", "from → to", "version", "status", "created"],
        rows,
    );
    Ok(())
}
