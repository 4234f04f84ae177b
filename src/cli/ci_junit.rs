//! The JUnit suites of CI output: a suite per pipeline run (a test case per step), and a
//! suite per gate (`drift check`, `coverage report --fail-under`, ...).

use super::add_suites;
use crate::ci_formats::junit;
use crate::pipeline::executor::DispatchOutcome;

/// How many lines of a failed step's log go into its JUnit failure.
const LOG_TAIL: usize = 40;

/// One JUnit suite per pipeline run of `outcomes` (a test case per step, a failure with
/// the step's error and the tail of its log); `logs` gives a run's logs.
pub fn run_suites(
    outcomes: &[&DispatchOutcome],
    logs: &dyn Fn(&str) -> Vec<crate::store::LogRecord>,
) -> Vec<junit::Suite> {
    let mut suites = Vec::new();
    for outcome in outcomes {
        for run in &outcome.runs {
            let records = logs(&run.id);
            let seconds =
                |a: Option<chrono::DateTime<chrono::Utc>>,
                 b: Option<chrono::DateTime<chrono::Utc>>| match (a, b) {
                    (Some(a), Some(b)) => (b - a).num_milliseconds().max(0) as f64 / 1000.0,
                    _ => 0.0,
                };
            let mut cases = Vec::new();
            for s in run.steps.iter().flatten() {
                let log: String = records
                    .iter()
                    .filter(|l| l.step == s.name)
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join("");
                let error = s.error.clone().unwrap_or_else(|| s.status.clone());
                let outcome = match s.status.as_str() {
                    "succeeded" => junit::Outcome::Passed,
                    "skipped" => junit::Outcome::Skipped { message: error },
                    _ => junit::Outcome::Failed {
                        text: format!("{error}\n{}", junit::tail(&log, LOG_TAIL)),
                        message: error,
                    },
                };
                cases.push(junit::Case {
                    name: s.name.clone(),
                    classname: format!("{}.{}", run.pipeline, s.step_type),
                    time: seconds(s.started_at, s.finished_at),
                    outcome,
                    output: (!log.is_empty()).then(|| junit::tail(&log, LOG_TAIL)),
                });
            }
            if cases.is_empty() || (run.status != "succeeded" && !cases.iter().any(failed)) {
                // A run that failed before any step (a guard, a render error) still fails.
                let error = run.error.clone().unwrap_or_else(|| run.status.clone());
                cases.push(junit::Case {
                    name: "run".into(),
                    classname: run.pipeline.clone(),
                    time: 0.0,
                    outcome: if run.status == "succeeded" {
                        junit::Outcome::Passed
                    } else {
                        junit::Outcome::Failed {
                            message: error.clone(),
                            text: error,
                        }
                    },
                    output: None,
                });
            }
            suites.push(junit::Suite {
                name: run.pipeline.clone(),
                timestamp: Some(crate::timefmt::format(&run.started_at)),
                time: seconds(Some(run.started_at), run.finished_at),
                properties: vec![
                    ("run_id".into(), run.id.clone()),
                    ("event_id".into(), run.event_id.clone()),
                    ("status".into(), run.status.clone()),
                ],
                cases,
            });
        }
        for e in &outcome.errors {
            suites.push(gate_suite(
                "dispatch",
                "guard",
                Some(e.clone()),
                String::new(),
            ));
        }
    }
    suites
}

fn failed(c: &junit::Case) -> bool {
    matches!(c.outcome, junit::Outcome::Failed { .. })
}

/// One suite of one test case: a gate (`coverage`, `drift`, a spec) that passed or failed.
pub fn gate_suite(
    suite: &str,
    case: &str,
    failure: Option<String>,
    detail: String,
) -> junit::Suite {
    junit::Suite {
        name: suite.to_string(),
        timestamp: Some(crate::timefmt::format(&chrono::Utc::now())),
        time: 0.0,
        properties: Vec::new(),
        cases: vec![junit::Case {
            name: case.to_string(),
            classname: suite.to_string(),
            time: 0.0,
            outcome: match failure {
                Some(message) => junit::Outcome::Failed {
                    text: if detail.is_empty() {
                        message.clone()
                    } else {
                        format!("{message}\n{detail}")
                    },
                    message,
                },
                None => junit::Outcome::Passed,
            },
            output: (!detail.is_empty()).then_some(detail),
        }],
    }
}

/// `drift check` in JUnit: one suite, a test case per budget (service and endpoint),
/// failed when the budget is exceeded. `rows` are the command's JSON rows.
pub fn drift_suite(rows: &[serde_json::Value]) {
    let cases = rows
        .iter()
        .map(|r| {
            let service = r["service"].as_str().unwrap_or("*");
            let endpoint = r["endpoint"].as_str().unwrap_or("*");
            let detail = format!(
                "{}/{} exchanges drift: {:.1}% (budget {:.1}%)",
                r["drifting"],
                r["total"],
                r["drift_percent"].as_f64().unwrap_or(0.0),
                r["budget_percent"].as_f64().unwrap_or(0.0)
            );
            let exceeded = r["exceeded"].as_bool().unwrap_or(false);
            junit::Case {
                name: format!("{service} {endpoint}"),
                classname: format!("drift.{service}"),
                time: 0.0,
                outcome: if exceeded {
                    junit::Outcome::Failed {
                        message: format!("drift budget exceeded: {detail}"),
                        text: detail.clone(),
                    }
                } else {
                    junit::Outcome::Passed
                },
                output: Some(detail),
            }
        })
        .collect();
    add_suites(vec![junit::Suite {
        name: "drift".into(),
        timestamp: Some(crate::timefmt::format(&chrono::Utc::now())),
        time: 0.0,
        properties: Vec::new(),
        cases,
    }]);
}

/// `coverage report --fail-under P` in JUnit: one suite, one test case (the gate).
pub fn coverage_gate_suite(summary: &crate::coverage::Summary, percent: f64) -> junit::Suite {
    let met = summary.coverage_percent >= percent;
    let detail = format!(
        "coverage {:.1}%: {} of {} operations hit, {} fully; {} exchanges",
        summary.coverage_percent,
        summary.covered,
        summary.operations,
        summary.full,
        summary.exchanges
    );
    gate_suite(
        "coverage",
        &format!("coverage at least {percent}%"),
        (!met).then(|| {
            format!(
                "coverage {:.1}% is under {percent}%",
                summary.coverage_percent
            )
        }),
        detail,
    )
}
