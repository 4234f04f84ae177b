//! `mockops coverage ingest|report` and `mockops drift check`.

use super::context;
use super::event::report_outcome;
use super::federation_load::{load_all, record_all_levels};
use super::output::{Format, Printer};
use super::{user_error, Exit, GlobalArgs};
use crate::coverage::{
    self, DriftBudget, IngestOptions, IngestSummary, InputFormat, Report, ServiceInfo,
    SpecOperations,
};
use crate::events::Event;
use crate::federation::{self, Router};
use crate::pipeline::executor::Selection;
use crate::project::Project;
use crate::schema;
use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrafficFormat {
    Har,
    Jsonl,
    MockforgeJsonl,
}

/// `coverage report --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportBy {
    /// The CI run id of the exchanges
    #[value(name = "ci_run", alias = "ci-run")]
    CiRun,
    /// The branch (or ref) their CI run was recorded with
    Branch,
    /// The persona of the exchanges
    Persona,
}

#[derive(Debug, Subcommand)]
pub enum CoverageCommand {
    /// Ingest recorded traffic (HAR or JSON Lines)
    Ingest {
        /// HAR or JSON Lines files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The files' format (default: from each file's extension and content)
        #[arg(long, value_enum)]
        input_format: Option<TrafficFormat>,
        /// Scenario of exchanges that do not name one
        #[arg(long)]
        scenario: Option<String>,
        /// Persona of exchanges that do not name one
        #[arg(long)]
        persona: Option<String>,
        /// CI run id of the exchanges (default: from the CI environment)
        #[arg(long)]
        ci_run: Option<String>,
    },
    /// Endpoint coverage, scenario heatmap, persona hits, staleness and drift
    Report {
        /// Window: a duration (7d, 36h), an RFC 3339 date, or `all`
        #[arg(long, default_value = "7d")]
        since: String,
        /// Only this federation service
        #[arg(long)]
        service: Option<String>,
        /// Write the report to this file instead of stdout
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Exit 1 when coverage_percent is below this (0 to 100)
        #[arg(long, value_name = "PERCENT", value_parser = percentage)]
        fail_under: Option<f64>,
        /// Emit drift.threshold_exceeded for each exceeded budget
        #[arg(long)]
        check_drift: bool,
        /// Also show coverage per CI run, branch or persona
        #[arg(long, value_enum, value_name = "GROUP")]
        by: Option<ReportBy>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DriftCommand {
    /// Evaluate the drift budgets; emit drift.threshold_exceeded for each exceeded one
    Check {
        /// Only this federation service
        #[arg(long)]
        service: Option<String>,
        /// Report the verdicts but emit and dispatch nothing
        #[arg(long)]
        no_run: bool,
        /// Window: a duration (7d, 36h), an RFC 3339 date, or `all`
        #[arg(long, default_value = "7d")]
        since: String,
    },
}

/// `--fail-under`: a percentage that a report can reach (NaN would never fail the gate).
fn percentage(given: &str) -> Result<f64, String> {
    match given.trim().parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!(
            "expected a percentage from 0 to 100, got `{given}`"
        )),
    }
}

pub fn run(g: &GlobalArgs, cmd: CoverageCommand, out: &mut Printer) -> Result<()> {
    let project = context::project(g)?;
    match cmd {
        CoverageCommand::Ingest {
            files,
            input_format,
            scenario,
            persona,
            ci_run,
        } => ingest(
            &project,
            &files,
            input_format,
            scenario,
            persona,
            ci_run,
            out,
        ),
        CoverageCommand::Report {
            since,
            service,
            output,
            fail_under,
            check_drift,
            by,
        } => report(
            &project,
            &since,
            service.as_deref(),
            output,
            fail_under,
            check_drift,
            by.map(|by| match by {
                ReportBy::CiRun => coverage::GroupBy::CiRun,
                ReportBy::Branch => coverage::GroupBy::Branch,
                ReportBy::Persona => coverage::GroupBy::Persona,
            }),
            out,
        ),
    }
}

pub fn drift(g: &GlobalArgs, cmd: DriftCommand, out: &mut Printer) -> Result<()> {
    let DriftCommand::Check {
        service,
        no_run,
        since,
    } = cmd;
    let project = context::project(g)?;
    let (report, mut store) = build(&project, &since, service.as_deref(), None, out)?;
    let verdicts: Vec<&coverage::DriftRow> = report
        .drift
        .iter()
        .filter(|r| r.budget_percent.is_some())
        .collect();
    let mut rows = Vec::new();
    let mut failed = false;
    let pipelines = if no_run {
        Vec::new()
    } else {
        context::load_pipelines(&project, out)?
    };
    for row in verdicts {
        let mut event_id = None;
        if row.exceeded && !no_run {
            let outcome = emit_drift(&project, &mut store, &pipelines, row)?;
            failed |= outcome.failed();
            if !out.json() && out.format != Some(Format::Junit) {
                let _ = report_outcome(
                    &outcome,
                    &Printer {
                        format: None,
                        ..*out
                    },
                );
            }
            event_id = Some(outcome.event_id);
        }
        rows.push(json!({
            "service": row.service, "endpoint": row.endpoint, "total": row.total, "drifting": row.drifting,
            "drift_percent": row.drift_percent, "budget_percent": row.budget_percent, "exceeded": row.exceeded,
            "verdict": row.verdict, "event_id": event_id,
        }));
    }
    if out.json() {
        out.print_json(&rows)?;
    } else if out.format == Some(Format::Junit) {
        super::ci::drift_suite(&rows);
    } else {
        let table = rows
            .iter()
            .map(|r| {
                vec![
                    r["service"].as_str().unwrap_or("-").to_string(),
                    r["endpoint"].as_str().unwrap_or("").to_string(),
                    format!("{}/{}", r["drifting"], r["total"]),
                    format!("{:.1}%", r["drift_percent"].as_f64().unwrap_or(0.0)),
                    format!("{:.1}%", r["budget_percent"].as_f64().unwrap_or(0.0)),
                    match r["verdict"].as_str() {
                        Some("exceeded") => out.paint("exceeded", "31"),
                        Some(verdict) => verdict.to_string(),
                        None => "—".into(),
                    },
                ]
            })
            .collect();
        out.table(
            &[
                "service", "endpoint", "drifting", "drift", "budget", "verdict",
            ],
            table,
        );
    }
    if failed {
        return Err(Exit(1).into());
    }
    Ok(())
}

fn emit_drift(
    project: &Project,
    store: &mut crate::store::Store,
    pipelines: &[crate::pipeline::Pipeline],
    row: &coverage::DriftRow,
) -> Result<crate::pipeline::executor::DispatchOutcome> {
    let payload = json!({
        "service": row.service, "endpoint": row.endpoint, "drift_percent": row.drift_percent,
        "threshold_percent": row.budget_percent, "drifting": row.drifting, "total": row.total,
    });
    let event = Event::new(
        "drift.threshold_exceeded",
        &project.workspace(),
        "drift-check",
        payload.as_object().cloned().unwrap_or_default(),
        chrono::Utc::now(),
    );
    let engine = context::engine(project, store, pipelines);
    Ok(engine.dispatch(event, Selection::Matching)?)
}

#[allow(clippy::too_many_arguments)]
fn ingest(
    project: &Project,
    files: &[PathBuf],
    input_format: Option<TrafficFormat>,
    scenario: Option<String>,
    persona: Option<String>,
    ci_run: Option<String>,
    out: &Printer,
) -> Result<()> {
    let mut store = context::open_store(project, out)?;
    let mut opts = IngestOptions::new(chrono::Utc::now());
    opts.input_format = input_format.map(|f| match f {
        TrafficFormat::Har => InputFormat::Har,
        TrafficFormat::Jsonl => InputFormat::Jsonl,
        TrafficFormat::MockforgeJsonl => InputFormat::MockforgeJsonl,
    });
    opts.scenario = scenario;
    opts.persona = persona;
    opts.ci_run = ci_run;
    opts.env = std::env::vars().collect();
    let mut total = IngestSummary::default();
    let mut failures = 0;
    let bar = if std::io::stderr().is_terminal() && !out.quiet {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    for file in files {
        let mut progress = |p: coverage::Progress| {
            if let Some(b) = &bar {
                b.set_length(p.bytes_total);
                b.set_position(p.bytes_read);
                b.set_message(p.file.clone());
            }
        };
        match coverage::ingest_file(&mut store, file, &opts, &mut progress) {
            Ok(summary) => total.accumulate(summary),
            Err(e) => {
                failures += 1;
                total.files += 1;
                out.error(&e.to_string());
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for r in &total.rejected {
        out.warn(&format!("{}: entry {}: {}", r.file, r.entry, r.reason));
    }
    if out.json() {
        out.print_json(&total)?;
    } else {
        out.result(&format!(
            "{} file(s): {} read, {} ingested, {} duplicate(s), {} rejected",
            total.files,
            total.read,
            total.ingested,
            total.duplicates,
            total.rejected.len()
        ));
    }
    if total.nothing_ingested() && (failures > 0 || !total.rejected.is_empty() || total.read == 0) {
        return Err(Exit(2).into());
    }
    Ok(())
}

/// The configured OpenAPI specs as coverage inputs (a spec that fails to load stops the command).
pub fn spec_operations(project: &Project) -> Result<Vec<SpecOperations>> {
    let mut specs = Vec::new();
    for entry in &project.settings.specs {
        let path = project.root.join(&entry.path);
        if schema::schema_type_of(&path) != schema::SchemaType::OpenApi {
            continue;
        }
        let doc = schema::openapi::load(&path).map_err(|e| user_error(e.to_string()))?;
        specs.push(SpecOperations {
            service: entry.service.clone(),
            spec_path: entry.path.clone(),
            server_base_paths: doc.server_base_paths(),
            operations: doc
                .operations()
                .into_iter()
                .map(|op| coverage::OperationSpec {
                    method: op.method,
                    path: op.path,
                    operation_id: op.operation_id,
                    responses: op
                        .responses
                        .into_iter()
                        .map(|r| coverage::ResponseSpec {
                            status: r.status,
                            json_schema: r.json_schema,
                        })
                        .collect(),
                })
                .collect(),
        });
    }
    Ok(specs)
}

fn build(
    project: &Project,
    since: &str,
    service: Option<&str>,
    by: Option<coverage::GroupBy>,
    out: &Printer,
) -> Result<(Report, crate::store::Store)> {
    let now = chrono::Utc::now();
    let window = coverage::parse_since(since, now).map_err(|e| user_error(e.to_string()))?;
    let specs = spec_operations(project)?;
    let feds = load_all(project)?;
    let mut store = context::open_store(project, out)?;
    record_all_levels(project, &mut store)?;
    let mut services = Vec::new();
    for fed in &feds {
        let scenario = store
            .active_scenario(&fed.name)?
            .and_then(|a| serde_json::from_str::<federation::ScenarioFile>(&a.scenario).ok());
        for (service, level) in federation::effective_levels(fed, scenario.as_ref()) {
            services.push(ServiceInfo {
                service,
                reality_level: level,
            });
        }
    }
    let budgets: Vec<DriftBudget> = project
        .settings
        .drift
        .budgets
        .iter()
        .map(|b| DriftBudget {
            service: b.matches.service.clone(),
            endpoint: b.matches.endpoint.clone(),
            max_drift_percent: b.max_drift_percent,
            min_samples: b.min_samples,
        })
        .collect();
    let routers: Vec<(&federation::Federation, Router)> =
        feds.iter().map(|f| (f, Router::build(f))).collect();
    let resolve = |path: &str| -> Option<(String, String)> {
        routers.iter().find_map(|(fed, router)| {
            router.route(path).map(|m| {
                (
                    fed.services[m.service].name.clone(),
                    m.service_path.to_string(),
                )
            })
        })
    };
    let resolver: Option<coverage::Resolver<'_>> = if routers.is_empty() {
        None
    } else {
        Some(&resolve)
    };
    let report = coverage::build_report_by(
        &store, &specs, &services, &budgets, window, service, now, resolver, by,
    )
    .map_err(|e| user_error(e.to_string()))?;
    Ok((report, store))
}

#[allow(clippy::too_many_arguments)]
fn report(
    project: &Project,
    since: &str,
    service: Option<&str>,
    output: Option<PathBuf>,
    fail_under: Option<f64>,
    check_drift: bool,
    by: Option<coverage::GroupBy>,
    out: &Printer,
) -> Result<()> {
    let (report, mut store) = build(project, since, service, by, out)?;
    let text = match out.format {
        Some(Format::Json) => serde_json::to_string_pretty(&report)?,
        Some(Format::Markdown) => coverage::render_markdown(&report),
        Some(Format::Html) => coverage::render_html(&report),
        Some(Format::Junit) => {
            let Some(p) = fail_under else {
                return Err(user_error(
                    "--format junit reports the coverage gate: give --fail-under PERCENT",
                ));
            };
            let suite = super::ci::coverage_gate_suite(&report.summary, p);
            if output.is_some() {
                crate::ci_formats::junit::render("mockops", &[suite])
            } else {
                // Printed with the command's other suites when it ends.
                super::ci::add_suites(vec![suite]);
                String::new()
            }
        }
        None | Some(Format::Table) | Some(Format::Text) => {
            let width = terminal_width().unwrap_or(120);
            coverage::render_table(&report, width)
        }
        Some(other) => {
            return Err(user_error(format!(
                "--format {other}: coverage report prints table, json, markdown or html"
            )))
        }
    };
    match &output {
        Some(file) => {
            std::fs::write(file, &text)
                .map_err(|e| user_error(format!("{}: cannot write: {e}", file.display())))?;
            out.info(&format!("report written to {}", file.display()));
        }
        None if text.is_empty() => {}
        None => out.print(&text),
    }
    let mut failed = false;
    if check_drift {
        let pipelines = context::load_pipelines(project, out)?;
        for row in report.drift.iter().filter(|r| r.exceeded) {
            let outcome = emit_drift(project, &mut store, &pipelines, row)?;
            out.result(&format!(
                "drift.threshold_exceeded {} {} ({})",
                row.service.as_deref().unwrap_or("-"),
                row.endpoint,
                outcome.event_id
            ));
            failed |= outcome.failed();
        }
    }
    if let Some(p) = fail_under {
        if report.summary.coverage_percent < p {
            out.error(&format!(
                "coverage {:.1}% is under {p}%",
                report.summary.coverage_percent
            ));
            return Err(Exit(1).into());
        }
    }
    if failed {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// `COLUMNS`, else the terminal's width (100 when it reports 0×0), as for every table.
fn terminal_width() -> Option<u16> {
    let terminal = std::io::stdout()
        .is_terminal()
        .then(|| comfy_table::Table::new().width())
        .flatten();
    super::output::table_width(terminal)
}
