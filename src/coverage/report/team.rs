//! The team sections in each rendering: the endpoints × day heatmap (the table shows a
//! sparkline per operation, Markdown the numbers, HTML a colour grid) and coverage per
//! CI run, branch or persona (`--by`). Compact where the report is read in a terminal
//! or a pull request: only operations with hits, and the last [`DAYS_SHOWN`] days.

use super::percent;
use crate::coverage::model::{GroupBy, GroupCoverage, Groups, HeatRow, Heatmap, Report};
use std::fmt::Write;

/// Days of the heatmap in the table and Markdown (the JSON and HTML have more).
const DAYS_SHOWN: usize = 14;

/// `(none)` for the group of exchanges that name no CI run, branch or persona.
fn group_name(row: &GroupCoverage) -> String {
    row.group.clone().unwrap_or_else(|| "(none)".to_string())
}

fn title(groups: &Groups) -> String {
    format!("Coverage by {}", groups.by.as_str())
}

/// The header of a `--by` table: the ci_run view adds the run's branch and jobs.
fn group_header(by: GroupBy) -> Vec<&'static str> {
    let mut header = vec![by.as_str()];
    if by == GroupBy::CiRun {
        header.extend(["branch", "jobs"]);
    }
    header.extend(["covered", "coverage", "hits", "exchanges"]);
    header
}

/// A group's cells as text, in [`group_header`]'s order.
fn group_cells(by: GroupBy, row: &GroupCoverage) -> Vec<String> {
    let mut cells = vec![group_name(row)];
    if by == GroupBy::CiRun {
        let ci = row.ci.clone().unwrap_or_default();
        cells.push(ci.branch.unwrap_or_else(|| "—".to_string()));
        cells.push(if ci.jobs.is_empty() {
            "—".to_string()
        } else {
            ci.jobs.join(", ")
        });
    }
    cells.extend([
        format!("{} / {}", row.covered, row.operations),
        percent(row.coverage_percent),
        row.hits.to_string(),
        row.exchanges.to_string(),
    ]);
    cells
}

/// The last days shown and the rows with hits in the whole window.
fn shown(heatmap: &Heatmap) -> (usize, Vec<&HeatRow>) {
    let skip = heatmap.days.len().saturating_sub(DAYS_SHOWN);
    (skip, heatmap.rows.iter().filter(|r| r.hits > 0).collect())
}

/// `MM-DD` of a day's start.
fn short_day(day: &str) -> &str {
    day.get(5..10).unwrap_or(day)
}

fn endpoint(row: &HeatRow) -> String {
    format!("{} {}", row.method, row.path)
}

/// A terminal table: its title, header and rows (no rows is `(none)`).
pub(super) type TableSection = (String, Vec<&'static str>, Vec<Vec<String>>);

/// The terminal tables.
pub(super) fn table_sections(report: &Report) -> Vec<TableSection> {
    let mut sections = Vec::new();
    let (skip, rows) = shown(&report.heatmap);
    let days = &report.heatmap.days[skip..];
    let span = match (days.first(), days.last()) {
        (Some(first), Some(last)) => format!(", {} … {}", short_day(first), short_day(last)),
        _ => String::new(),
    };
    sections.push((
        format!("Endpoints per day{span}"),
        vec!["Service", "Endpoint", "Hits", "Per day"],
        rows.iter()
            .map(|r| {
                vec![
                    super::or_dash(r.service.as_deref()),
                    endpoint(r),
                    r.hits.to_string(),
                    super::cells::sparkline(&r.days[skip..]),
                ]
            })
            .collect(),
    ));
    if let Some(groups) = &report.groups {
        sections.push((
            title(groups),
            group_header(groups.by),
            groups
                .rows
                .iter()
                .map(|r| group_cells(groups.by, r))
                .collect(),
        ));
    }
    sections
}

/// The Markdown sections.
pub(super) fn markdown(out: &mut String, report: &Report) {
    use super::cells::{cell, code, header};
    let (skip, rows) = shown(&report.heatmap);
    if !rows.is_empty() {
        out.push_str("### Endpoints per day\n\n");
        let days: Vec<&str> = report.heatmap.days[skip..]
            .iter()
            .map(|d| short_day(d))
            .collect();
        let mut columns = vec!["Service", "Endpoint", "Hits"];
        columns.extend(days.iter().copied());
        header(out, &columns);
        for r in rows {
            let cells: Vec<String> = r.days[skip..]
                .iter()
                .map(|&h| {
                    if h == 0 {
                        "·".to_string()
                    } else {
                        h.to_string()
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&super::or_dash(r.service.as_deref())),
                code(&endpoint(r)),
                r.hits,
                cells.join(" | ")
            );
        }
        out.push('\n');
    }
    if let Some(groups) = &report.groups {
        let _ = writeln!(out, "### {}\n", title(groups));
        header(out, &group_header(groups.by));
        for r in &groups.rows {
            let cells: Vec<String> = group_cells(groups.by, r).iter().map(|c| cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
}

/// The HTML sections: the heatmap as a colour grid of every operation, the groups as a table.
pub(super) fn html(out: &mut String, report: &Report) {
    use super::cells::{esc, heat_colour, HEATMAP_DAYS};
    let heatmap = &report.heatmap;
    out.push_str("<h2>Endpoints per day</h2>");
    if heatmap.rows.is_empty() {
        out.push_str("<p class=\"muted\">No operations.</p>");
    } else {
        let skip = heatmap.days.len().saturating_sub(HEATMAP_DAYS);
        let max = heatmap
            .rows
            .iter()
            .flat_map(|r| r.days.iter().skip(skip).copied())
            .max()
            .unwrap_or(0);
        out.push_str("<table class=\"heat\"><tr><th></th>");
        for (i, day) in heatmap.days.iter().skip(skip).enumerate() {
            let label = if i % 7 == 0 { short_day(day) } else { "" };
            let _ = write!(out, "<td class=\"day\"><div>{}</div></td>", esc(label));
        }
        out.push_str("<th class=\"total\">hits</th></tr>");
        for r in &heatmap.rows {
            let service = r
                .service
                .as_deref()
                .map(|s| format!("{s} "))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr><th><code>{}{}</code></th>",
                esc(&service),
                esc(&endpoint(r))
            );
            for (day, hits) in heatmap.days.iter().zip(&r.days).skip(skip) {
                let _ = write!(
                    out,
                    "<td><div class=\"c\" style=\"background:{}\" title=\"{}: {} hits\"></div></td>",
                    heat_colour(*hits, max),
                    esc(day.get(..10).unwrap_or(day)),
                    hits
                );
            }
            let _ = write!(out, "<th class=\"total\">{}</th></tr>", r.hits);
        }
        let _ = write!(
            out,
            "</table><p class=\"legend muted\">busiest cell: {max} hits</p>"
        );
    }
    let Some(groups) = &report.groups else {
        return;
    };
    let _ = write!(out, "<h2>{}</h2><table><tr>", esc(&title(groups)));
    for column in group_header(groups.by) {
        let _ = write!(out, "<th>{}</th>", esc(column));
    }
    out.push_str("</tr>");
    for r in &groups.rows {
        out.push_str("<tr>");
        for c in group_cells(groups.by, r) {
            let _ = write!(out, "<td>{}</td>", esc(&c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

#[cfg(test)]
mod tests {
    use crate::coverage::report::sample::sample_report;
    use crate::coverage::{render_html, render_markdown, render_table};

    #[test]
    fn the_table_shows_operations_with_hits_and_the_groups() {
        let text = render_table(&sample_report(), 160);
        assert!(text.contains("Endpoints per day, 03-08 … 03-10"), "{text}");
        let row = text
            .lines()
            .find(|l| l.contains("GET /pets/{petId}") && l.contains("▂·█"))
            .unwrap_or_else(|| panic!("no heatmap row in {text}"));
        assert!(row.contains("12"), "{row}");
        assert!(!text.contains("POST /pets "), "no row without hits: {text}");
        assert!(text.contains("Coverage by ci_run"), "{text}");
        let run = text.lines().find(|l| l.contains("run-<1>|x")).unwrap();
        for cell in ["feature/<b>", "e2e, test", "1 / 2", "50%", "14"] {
            assert!(run.contains(cell), "{cell} in {run}");
        }
        let none = text.lines().find(|l| l.contains("(none)")).unwrap();
        assert!(none.contains("0 / 2") && none.contains("0%"), "{none}");
    }

    #[test]
    fn markdown_has_the_numbers_per_day_and_escapes_group_names() {
        let text = render_markdown(&sample_report());
        assert!(
            text.contains("| Service | Endpoint | Hits | 03-08 | 03-09 | 03-10 |"),
            "{text}"
        );
        assert!(
            text.contains("| pets | `GET /pets/{petId}` | 12 | 2 | · | 10 |"),
            "{text}"
        );
        assert!(!text.contains("`POST /pets` | 0 | · |"), "{text}");
        assert!(text.contains("### Coverage by ci_run"), "{text}");
        assert!(
            text.contains(
                "| run-&lt;1&gt;\\|x | feature/&lt;b&gt; | e2e, test | 1 / 2 | 50% | 12 | 14 |"
            ),
            "{text}"
        );
        assert!(
            text.contains("| (none) | — | — | 0 / 2 | 0% | 0 | 1 |"),
            "{text}"
        );
    }

    #[test]
    fn html_has_a_colour_grid_of_every_operation_and_the_groups() {
        let html = render_html(&sample_report());
        assert!(html.contains("<h2>Endpoints per day</h2>"));
        assert!(html.contains("title=\"2026-03-10: 10 hits\""), "{html}");
        assert!(html.contains("<code>pets POST /pets</code>"), "{html}");
        assert!(html.contains("<h2>Coverage by ci_run</h2>"));
        assert!(
            html.contains("<td>run-&lt;1&gt;|x</td><td>feature/&lt;b&gt;</td><td>e2e, test</td>"),
            "{html}"
        );
        let mut report = sample_report();
        report.groups = None;
        assert!(!render_html(&report).contains("Coverage by"));
    }
}
