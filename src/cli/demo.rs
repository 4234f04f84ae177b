//! `mockops demo`: the closed loop in a throwaway project, on 127.0.0.1 only.
//!
//! The project comes from `examples/demo/` (compiled in, see `demo::FILES`); every stage
//! is a real mockops command run in it by this same binary (so what is printed is what a
//! user types after `cd` into a kept project): the gateway is `federation serve`, then
//! `coverage report` and `drift check`, whose pipeline pushes a branch to the project's
//! bare origin and sends a signed webhook. `demo/` provides the servers, the traffic and
//! the git repository; this file runs and tells.

use super::demo_commands::Runner;
use super::output::Printer;
use super::{user_error, Exit, GlobalArgs};
use crate::demo::listener::{Listener, Received};
use crate::demo::upstream::Upstream;
use crate::demo::{self, git, traffic, Addresses, Layout};
use anyhow::{Context, Result};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Keep the demo's folder (project, origin, report) in the temp folder and say where
    #[arg(long)]
    pub keep: bool,
    /// Build the demo in DIR (new, or empty) and keep it there
    #[arg(long, value_name = "DIR", conflicts_with = "keep")]
    pub out: Option<PathBuf>,
}

/// The traffic: how many requests, from which seed, under which CI run label.
const REQUESTS: usize = 60;
const SEED: u64 = 7;
const CI_RUN: &str = "demo-1";
/// The pipeline's environment variable holding the webhook secret.
const SECRET_VAR: &str = "MOCKOPS_DEMO_WEBHOOK_SECRET";
const REPORT: &str = "reports/coverage.html";

pub fn run(g: &GlobalArgs, args: DemoArgs, out: &mut Printer) -> Result<()> {
    let started = Instant::now();
    let _signals = crate::interrupt::scope(); // a signal stops the demo between stages
    let mut folder = Folder::create(args.out.as_deref(), args.keep)?;
    let result = closed_loop(g, &folder, out, started);
    match result {
        Ok(summary) => finish(folder, summary, out),
        // Interrupted: the folder goes (unless kept), as at a normal end.
        Err(e) if crate::interrupt::signal().is_some() => Err(e),
        Err(e) => {
            // Whatever went wrong can be looked at: the folder stays.
            let kept = folder.keep();
            out.error(&format!(
                "the demo stopped; its folder is kept: {}",
                kept.display()
            ));
            Err(e)
        }
    }
}

/// Where the demo lives: a temp folder (removed at the end unless kept) or `--out DIR`.
struct Folder {
    root: PathBuf,
    temp: Option<tempfile::TempDir>,
    keep: bool,
}

impl Folder {
    fn create(out: Option<&Path>, keep: bool) -> Result<Folder> {
        if let Some(dir) = out {
            let empty = match std::fs::read_dir(dir) {
                Ok(mut entries) => entries.next().is_none(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                Err(e) => return Err(user_error(format!("--out {}: {e}", dir.display()))),
            };
            if !empty || dir.is_file() {
                return Err(user_error(format!(
                    "--out {}: not empty; the demo needs a new or empty folder",
                    dir.display()
                )));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| user_error(format!("--out {}: {e}", dir.display())))?;
            let root = dir
                .canonicalize()
                .with_context(|| format!("cannot resolve {}", dir.display()))?;
            return Ok(Folder {
                root,
                temp: None,
                keep: true,
            });
        }
        let temp = tempfile::Builder::new()
            .prefix("mockops-demo-")
            .tempdir()
            .context("cannot create a temp folder for the demo")?;
        Ok(Folder {
            root: temp.path().to_path_buf(),
            temp: Some(temp),
            keep,
        })
    }

    /// Keeps the folder whatever happens next; returns where it is.
    fn keep(&mut self) -> PathBuf {
        self.keep = true;
        if let Some(temp) = self.temp.as_mut() {
            temp.disable_cleanup(true);
        }
        self.root.clone()
    }
}

/// What the demo did, for the closing lines and `--format json`.
#[derive(Debug, serde::Serialize)]
struct Summary {
    folder: Option<String>,
    project: String,
    origin: String,
    report: String,
    gateway: String,
    traffic: std::collections::BTreeMap<String, traffic::ServiceTally>,
    branches: Vec<git::Branch>,
    webhooks: Vec<serde_json::Value>,
    seconds: f64,
}

fn closed_loop(
    g: &GlobalArgs,
    folder: &Folder,
    out: &Printer,
    started: Instant,
) -> Result<Summary> {
    let layout = Layout::under(&folder.root);
    let upstream = Upstream::start()?;
    let secret = webhook_secret();
    let listener = Listener::start(secret.clone())?;
    let addresses = Addresses {
        mock: upstream.mock_addr(),
        real: upstream.real_addr(),
        listener: listener.addr(),
    };
    demo::write_project(&layout.project, &addresses)?;
    git::init_with_origin(&layout.project, &layout.origin)?;
    let runner = Runner::new(g, out, &layout.project)?;

    out.result("mockops demo: the closed loop in a throwaway project, on 127.0.0.1 only");
    out.result("");
    out.result(&format!(
        "project   {} (the files of examples/demo/, committed on main)",
        layout.project.display()
    ));
    out.result(&format!(
        "origin    {} (a bare repository, the project's remote)",
        layout.origin.display()
    ));
    out.result(&format!(
        "upstream  mock http://{}, real http://{} (the real orders service drifts from its spec)",
        addresses.mock, addresses.real
    ));
    out.result(&format!(
        "listener  http://{}/hooks (checks Standard Webhooks signatures)",
        addresses.listener
    ));

    section(
        out,
        "1/6 the gateway: federation `shop` in front of the upstream",
    );
    let gateway = runner.gateway()?;
    stop_if_interrupted()?;

    section(
        out,
        &format!("2/6 traffic: {REQUESTS} seeded requests through the gateway (personas alice and bob, CI run {CI_RUN})"),
    );
    let sent = traffic::send(gateway.addr, &traffic::plan(SEED, REQUESTS), CI_RUN)?;
    let tally = traffic::tally(&sent);
    if let Some(lost) = sent.iter().find(|s| matches!(s.status, 502 | 504)) {
        return Err(anyhow::anyhow!(
            "the gateway could not reach the upstream for {} {} ({})",
            lost.request.method,
            lost.request.path,
            lost.status
        ));
    }
    let rows = tally
        .iter()
        .map(|(service, t)| {
            let answers: Vec<String> = t
                .statuses
                .iter()
                .map(|(status, n)| format!("{status} ×{n}"))
                .collect();
            vec![
                service.clone(),
                t.reality.clone(),
                t.requests.to_string(),
                answers.join(", "),
            ]
        })
        .collect();
    if !out.json() {
        out.table(&["service", "reality level", "requests", "answers"], rows);
    }
    let gateway_address = gateway.addr.to_string();
    gateway.stop()?;
    stop_if_interrupted()?;

    section(out, "3/6 coverage from the recorded traffic");
    runner.run(&["coverage", "report", "--since", "all"], &[])?;
    runner.run(
        &[
            "coverage", "report", "--since", "all", "--format", "html", "-o", REPORT,
        ],
        &[],
    )?;
    stop_if_interrupted()?;

    section(
        out,
        "4/6 drift: a budget is exceeded, drift.threshold_exceeded runs pipelines/drift-to-pr.yaml",
    );
    runner.run(
        &["drift", "check", "--since", "all"],
        &[(SECRET_VAR, &secret)],
    )?;

    section(
        out,
        "5/6 the pull request's branch on origin (provider `none` pushes it; github, gitlab and gitea also open the pull request)",
    );
    let branches = git::branches(&layout.origin, "mockops/")?;
    if branches.is_empty() {
        out.error("no branch was pushed to origin");
    }
    for b in &branches {
        out.result(&format!(
            "{}  {}  {}",
            b.name,
            b.commit.get(..7).unwrap_or(&b.commit),
            b.message
        ));
        for file in &b.files {
            out.result(&format!("  + {file}"));
        }
    }

    section(out, "6/6 the webhook, as the listener received it");
    let received = listener.received();
    if received.is_empty() {
        out.error("the listener received nothing");
    }
    for r in &received {
        out.result(&describe_webhook(r));
        if r.body.is_object() {
            out.result(&format!("  {}", r.body));
        }
    }
    let webhooks = received
        .iter()
        .map(|r| {
            json!({"method": r.method, "path": r.path, "id": r.id, "status": r.status,
                   "verified": r.verdict.is_ok(),
                   "error": r.verdict.as_ref().err().map(ToString::to_string), "body": r.body})
        })
        .collect();
    let complete = !branches.is_empty() && received.iter().any(|r| r.verdict.is_ok());
    let summary = Summary {
        folder: None,
        project: layout.project.display().to_string(),
        origin: layout.origin.display().to_string(),
        report: layout.project.join(REPORT).display().to_string(),
        gateway: gateway_address,
        traffic: tally,
        branches,
        webhooks,
        seconds: started.elapsed().as_secs_f64(),
    };
    if !complete {
        return Err(anyhow::anyhow!(
            "the loop did not close: no branch on origin or no verified webhook"
        ));
    }
    Ok(summary)
}

fn describe_webhook(r: &Received) -> String {
    let verdict = match &r.verdict {
        Ok(()) => "signature verified (HMAC-SHA256 of id.timestamp.body)".to_string(),
        Err(e) => format!("signature refused: {e}"),
    };
    format!(
        "{} {}  webhook-id {}  {verdict} → answered {}",
        r.method,
        r.path,
        r.id.as_deref().unwrap_or("-"),
        r.status
    )
}

fn finish(mut folder: Folder, mut summary: Summary, out: &Printer) -> Result<()> {
    let project_report = PathBuf::from(&summary.report);
    if !folder.keep {
        // The folder goes; the report the user came for stays, beside it in the temp folder.
        let kept = tempfile::Builder::new()
            .prefix("mockops-demo-report-")
            .suffix(".html")
            .tempfile()
            .context("cannot create the report's file")?;
        std::fs::copy(&project_report, kept.path())
            .with_context(|| format!("cannot copy {}", project_report.display()))?;
        let (_, path) = kept.keep().context("cannot keep the report's file")?;
        summary.report = path.display().to_string();
    } else {
        summary.folder = Some(folder.keep().display().to_string());
    }
    summary.seconds = (summary.seconds * 10.0).round() / 10.0;
    if out.json() {
        return out.print_json(&summary);
    }
    out.result(&format!("\ndone in {:.1} s", summary.seconds));
    out.result(&format!("HTML report: {}", summary.report));
    match &summary.folder {
        Some(dir) => out.result(&format!(
            "the demo's folder is kept: {dir} (cd {dir}/project; mockops pipeline history)"
        )),
        None => out.result(
            "the demo's folder was removed (--keep keeps it, --out DIR puts it where you say)",
        ),
    }
    drop(folder);
    Ok(())
}

fn section(out: &Printer, title: &str) {
    out.result(&format!("\n▸ {title}"));
}

fn stop_if_interrupted() -> Result<()> {
    match crate::interrupt::signal() {
        Some(_) => Err(Exit(1).into()),
        None => Ok(()),
    }
}

/// A fresh Standard Webhooks secret (`whsec_` and 32 random bytes, base64).
fn webhook_secret() -> String {
    use base64::Engine;
    let mut bytes = Vec::with_capacity(32);
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}
