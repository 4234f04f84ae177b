//! The Markdown rendering, for pull-request comments (GitHub-flavoured tables).

use super::cells::{cell, code, header};
use super::{
    days, is_empty, join_statuses, or_dash, percent, staleness_level, verdict_text, window_text,
};
use crate::coverage::model::{CoverageStatus, Report};
use std::fmt::Write;

/// Undeclared paths listed (the JSON has all of them).
const UNDECLARED_SHOWN: usize = 20;

/// Renders the report as Markdown.
pub fn render_markdown(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::from("## API coverage\n\n");
    let _ = writeln!(
        out,
        "**{}** of operations hit ({} of {}, {} fully) over **{}** exchanges, {}.\n",
        percent(s.coverage_percent),
        s.covered,
        s.operations,
        s.full,
        s.exchanges,
        window_text(report)
    );
    if is_empty(report) {
        out.push_str("Nothing to report: no operations are configured and no traffic was recorded in this window.\n");
        return out;
    }
    if !report.endpoints.is_empty() {
        out.push_str("### Endpoints\n\n");
        header(
            &mut out,
            &["Service", "Endpoint", "Hits", "Declared", "Seen", "Status"],
        );
        for e in &report.endpoints {
            let mark = match e.status {
                CoverageStatus::Full => "✅ full",
                CoverageStatus::Partial => "🟡 partial",
                CoverageStatus::None => "❌ none",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&or_dash(e.service.as_deref())),
                code(&format!("{} {}", e.method, e.path)),
                e.hits,
                cell(&e.statuses_declared.join(", ")),
                join_statuses(&e.statuses_seen),
                mark
            );
        }
        out.push('\n');
    }
    if !report.undeclared.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Undeclared traffic ({} paths)</summary>\n",
            report.undeclared.len()
        );
        header(&mut out, &["Service", "Request", "Hits", "Candidate specs"]);
        for u in report.undeclared.iter().take(UNDECLARED_SHOWN) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&or_dash(u.service.as_deref())),
                code(&format!("{} {}", u.method, u.path)),
                u.hits,
                cell(&u.candidates.join(", "))
            );
        }
        if report.undeclared.len() > UNDECLARED_SHOWN {
            let _ = writeln!(
                out,
                "\n…and {} more.",
                report.undeclared.len() - UNDECLARED_SHOWN
            );
        }
        out.push_str("\n</details>\n\n");
    }
    if !report.services_without_spec.is_empty() {
        out.push_str("### Services without a spec\n\nTheir traffic covers no operation: give a spec in `mockops.yaml` their `service` name to cover them.\n\n");
        header(&mut out, &["Service", "Hits", "First seen", "Last seen"]);
        for s in &report.services_without_spec {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&s.service),
                s.hits,
                s.first_seen,
                s.last_seen
            );
        }
        out.push('\n');
    }
    if !report.gateway_answers.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Answered by the gateway, not coverage ({} requests)</summary>\n",
            report.gateway_answers.len()
        );
        header(&mut out, &["Service", "Request", "Status", "Hits"]);
        for g in report.gateway_answers.iter().take(UNDECLARED_SHOWN) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&or_dash(g.service.as_deref())),
                code(&format!("{} {}", g.method, g.path)),
                g.status,
                g.hits
            );
        }
        if report.gateway_answers.len() > UNDECLARED_SHOWN {
            let _ = writeln!(
                out,
                "\n…and {} more.",
                report.gateway_answers.len() - UNDECLARED_SHOWN
            );
        }
        out.push_str("\n</details>\n\n");
    }
    if !report.scenarios.is_empty() {
        out.push_str("### Scenarios\n\n");
        header(&mut out, &["Scenario", "Hits", "Busiest day", "Days used"]);
        for sc in &report.scenarios {
            let busiest = sc
                .buckets
                .iter()
                .filter(|b| b.hits > 0)
                .max_by_key(|b| b.hits);
            let used = sc.buckets.iter().filter(|b| b.hits > 0).count();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} of {} |",
                cell(&sc.scenario),
                sc.hits,
                busiest.map_or_else(
                    || "—".to_string(),
                    |b| format!("{} ({})", b.start.get(..10).unwrap_or(&b.start), b.hits)
                ),
                used,
                sc.buckets.len()
            );
        }
        out.push('\n');
    }
    super::team::markdown(&mut out, report);
    if !report.personas.is_empty() {
        out.push_str("### Personas\n\n");
        header(&mut out, &["Persona", "CI runs", "Hits", "Last seen"]);
        for p in &report.personas {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&p.persona),
                p.ci_runs,
                p.hits,
                p.last_seen
            );
        }
        out.push('\n');
    }
    if !report.staleness.is_empty() {
        out.push_str("### Staleness\n\n");
        header(
            &mut out,
            &[
                "Service",
                "Reality level",
                "Days at level",
                "Last real exchange",
                "Days since real",
            ],
        );
        for st in &report.staleness {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&st.service),
                cell(&staleness_level(st)),
                days(st.days_at_level),
                or_dash(st.last_real_exchange.as_deref()),
                days(st.days_since_real)
            );
        }
        out.push('\n');
    }
    if !report.drift.is_empty() {
        out.push_str("### Drift\n\n");
        header(
            &mut out,
            &[
                "Service", "Endpoint", "Total", "Drifting", "Drift", "Budget", "Verdict",
            ],
        );
        for d in &report.drift {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&or_dash(d.service.as_deref())),
                code(&d.endpoint),
                d.total,
                d.drifting,
                percent(d.drift_percent),
                d.budget_percent.map_or_else(|| "—".to_string(), percent),
                if d.exceeded {
                    "🔴 exceeded"
                } else {
                    verdict_text(d)
                }
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::report::sample::sample_report;

    #[test]
    fn tables_have_as_many_cells_as_headers() {
        let text = render_markdown(&sample_report());
        assert!(text.contains("### Endpoints"));
        assert!(text.contains("`GET /pets/{petId}`"));
        assert!(text.contains("🔴 exceeded"));
        assert!(text.contains("| insufficient |"), "{text}");
        assert!(text.contains("### Services without a spec"));
        assert!(text.contains("| payments | 4 |"), "{text}");
        assert!(text.contains("Answered by the gateway"));
        assert!(text.contains("specs/pets.yaml, specs/vets.yaml"));
        let mut columns = 0;
        let mut rows = 0;
        for line in text.lines() {
            if !line.starts_with('|') {
                columns = 0;
                continue;
            }
            rows += 1;
            let cells = line.replace("\\|", "").matches('|').count();
            if columns == 0 {
                columns = cells;
            }
            assert_eq!(cells, columns, "{line}");
        }
        assert!(rows > 10, "{text}");
    }

    #[test]
    fn pipes_in_values_are_escaped() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn html_in_values_is_escaped_outside_code_spans() {
        assert_eq!(cell("<b>x</b> & y"), "&lt;b&gt;x&lt;/b&gt; &amp; y");
        assert_eq!(code("GET /a|<b>"), "`GET /a\\|<b>`");
    }
}
