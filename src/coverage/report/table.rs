//! The terminal rendering: one comfy-table per section, fitted to the terminal width.

use super::cells::sparkline;
use super::{
    days, is_empty, join_statuses, or_dash, percent, staleness_level, verdict_text, window_text,
};
use crate::coverage::model::Report;
use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

/// Undeclared paths (and gateway answers) shown in the table (the JSON has all of them).
const UNDECLARED_SHOWN: usize = 20;
/// Days of the scenario sparkline.
const SPARK_DAYS: usize = 14;

fn table(width: u16, header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.max(40))
        .set_header(header.to_vec());
    table
}

fn number(value: u64) -> Cell {
    Cell::new(value).set_alignment(CellAlignment::Right)
}

/// Wraps text at spaces so that no line is wider than `width` characters (long words stay whole).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out.push('\n');
    out
}

/// The last row of a list cut at [`UNDECLARED_SHOWN`].
fn more_row(t: &mut Table, total: usize) {
    if total > UNDECLARED_SHOWN {
        let more = total - UNDECLARED_SHOWN;
        t.add_row(vec![Cell::new(format!(
            "… {more} more (see --format json)"
        ))]);
    }
}

/// Renders the report as terminal tables no wider than `width` columns.
pub fn render_table(report: &Report, width: u16) -> String {
    let s = &report.summary;
    let headline = format!(
        "Coverage {} — {} of {} operations hit, {} fully; {} exchanges ({})",
        percent(s.coverage_percent),
        s.covered,
        s.operations,
        s.full,
        s.exchanges,
        window_text(report)
    );
    let mut out = wrap(&headline, usize::from(width.max(40)));
    if is_empty(report) {
        out.push_str("\nNothing to report: no operations are configured and no traffic was recorded in this window.\n");
        return out;
    }
    let mut section = |title: &str, table: Option<Table>| {
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        match table {
            Some(t) => {
                out.push_str(&t.to_string());
                out.push('\n');
            }
            None => out.push_str("  (none)\n"),
        }
    };

    let endpoints = (!report.endpoints.is_empty()).then(|| {
        let mut t = table(
            width,
            &[
                "Service", "Method", "Path", "Hits", "Declared", "Seen", "Status",
            ],
        );
        for e in &report.endpoints {
            t.add_row(vec![
                Cell::new(or_dash(e.service.as_deref())),
                Cell::new(&e.method),
                Cell::new(&e.path),
                number(e.hits),
                Cell::new(e.statuses_declared.join(", ")),
                Cell::new(join_statuses(&e.statuses_seen)),
                Cell::new(e.status.as_str()),
            ]);
        }
        t
    });
    section("Endpoints", endpoints);

    let undeclared = (!report.undeclared.is_empty()).then(|| {
        let shown = &report.undeclared[..report.undeclared.len().min(UNDECLARED_SHOWN)];
        let ambiguous = shown.iter().any(|u| !u.candidates.is_empty());
        let mut header = vec!["Service", "Method", "Path", "Hits"];
        if ambiguous {
            header.push("Candidate specs");
        }
        let mut t = table(width, &header);
        for u in shown {
            let mut row = vec![
                Cell::new(or_dash(u.service.as_deref())),
                Cell::new(&u.method),
                Cell::new(&u.path),
                number(u.hits),
            ];
            if ambiguous {
                row.push(Cell::new(u.candidates.join(", ")));
            }
            t.add_row(row);
        }
        more_row(&mut t, report.undeclared.len());
        t
    });
    section("Undeclared traffic", undeclared);

    let without_spec = (!report.services_without_spec.is_empty()).then(|| {
        let mut t = table(width, &["Service", "Hits", "First seen", "Last seen"]);
        for s in &report.services_without_spec {
            t.add_row(vec![
                Cell::new(&s.service),
                number(s.hits),
                Cell::new(&s.first_seen),
                Cell::new(&s.last_seen),
            ]);
        }
        t
    });
    if without_spec.is_some() {
        section("Services without a spec", without_spec);
    }

    let by_gateway = (!report.gateway_answers.is_empty()).then(|| {
        let mut t = table(width, &["Service", "Method", "Path", "Status", "Hits"]);
        for g in report.gateway_answers.iter().take(UNDECLARED_SHOWN) {
            t.add_row(vec![
                Cell::new(or_dash(g.service.as_deref())),
                Cell::new(&g.method),
                Cell::new(&g.path),
                Cell::new(g.status),
                number(g.hits),
            ]);
        }
        more_row(&mut t, report.gateway_answers.len());
        t
    });
    if by_gateway.is_some() {
        section("Answered by the gateway (not coverage)", by_gateway);
    }

    let scenarios = (!report.scenarios.is_empty()).then(|| {
        let mut t = table(
            width,
            &["Scenario", "Hits", &format!("Last {SPARK_DAYS} days")],
        );
        for sc in &report.scenarios {
            let start = sc.buckets.len().saturating_sub(SPARK_DAYS);
            let hits: Vec<u64> = sc.buckets.iter().skip(start).map(|b| b.hits).collect();
            t.add_row(vec![
                Cell::new(&sc.scenario),
                number(sc.hits),
                Cell::new(sparkline(&hits)),
            ]);
        }
        t
    });
    section("Scenarios", scenarios);

    for (title, header, rows) in super::team::table_sections(report) {
        let t = (!rows.is_empty()).then(|| {
            let mut t = table(width, &header);
            for row in rows {
                t.add_row(row);
            }
            t
        });
        section(&title, t);
    }

    let personas = (!report.personas.is_empty()).then(|| {
        let mut t = table(width, &["Persona", "CI runs", "Hits", "Last seen"]);
        for p in &report.personas {
            t.add_row(vec![
                Cell::new(&p.persona),
                number(p.ci_runs),
                number(p.hits),
                Cell::new(&p.last_seen),
            ]);
        }
        t
    });
    section("Personas", personas);

    let staleness = (!report.staleness.is_empty()).then(|| {
        let mut t = table(
            width,
            &[
                "Service",
                "Reality level",
                "Days at level",
                "Last real exchange",
                "Days since real",
            ],
        );
        for st in &report.staleness {
            t.add_row(vec![
                Cell::new(&st.service),
                Cell::new(staleness_level(st)),
                Cell::new(days(st.days_at_level)),
                Cell::new(or_dash(st.last_real_exchange.as_deref())),
                Cell::new(days(st.days_since_real)),
            ]);
        }
        t
    });
    section("Staleness", staleness);

    let drift = (!report.drift.is_empty()).then(|| {
        let mut t = table(
            width,
            &[
                "Service", "Endpoint", "Total", "Drifting", "Drift", "Budget", "Verdict",
            ],
        );
        for d in &report.drift {
            t.add_row(vec![
                Cell::new(or_dash(d.service.as_deref())),
                Cell::new(&d.endpoint),
                number(d.total),
                number(d.drifting),
                Cell::new(percent(d.drift_percent)),
                Cell::new(d.budget_percent.map_or_else(|| "—".to_string(), percent)),
                Cell::new(if d.exceeded {
                    "EXCEEDED"
                } else {
                    verdict_text(d)
                }),
            ]);
        }
        t
    });
    section("Drift", drift);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::report::sample::sample_report;

    #[test]
    fn fits_the_width_and_names_every_section() {
        let report = sample_report();
        for width in [60u16, 100, 160] {
            let text = render_table(&report, width);
            for line in text.lines() {
                assert!(
                    line.chars().count() <= usize::from(width),
                    "{width}: {line:?}"
                );
            }
            for title in [
                "Endpoints",
                "Undeclared traffic",
                "Services without a spec",
                "Answered by the gateway",
                "Scenarios",
                "Personas",
                "Staleness",
                "Drift",
            ] {
                assert!(text.contains(title), "{title}");
            }
        }
        let wide = render_table(&report, 160);
        assert!(wide.contains("/pets/{petId}"));
        assert!(wide.contains("EXCEEDED"));
        assert!(wide.contains("insufficient"));
        assert!(wide.contains("specs/pets.yaml, specs/vets.yaml"), "{wide}");
        assert!(wide.contains("Coverage 50%"), "{wide}");
    }

    #[test]
    fn sparkline_scales_to_the_busiest_day() {
        assert_eq!(sparkline(&[0, 1, 8]), "·▁█");
        assert_eq!(sparkline(&[0, 0]), "··");
    }
}
