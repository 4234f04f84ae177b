//! Human renderings of a [`DiffReport`]: a plain listing grouped by level, and Markdown.

use super::{DiffReport, Level};
use std::fmt::Write;

const LEVELS: [(Level, &str); 3] = [
    (Level::Breaking, "Breaking"),
    (Level::Warning, "Warnings"),
    (Level::Info, "Info"),
];

/// A plain-text listing, grouped by level.
pub fn render_text(report: &DiffReport) -> String {
    let mut out = String::new();
    if report.changes.is_empty() {
        let _ = writeln!(out, "{} → {}: no changes", report.old, report.new);
        return out;
    }
    let _ = writeln!(
        out,
        "{} → {}: {} change(s), {} breaking",
        report.old,
        report.new,
        report.changes.len(),
        report.breaking_count
    );
    for (level, title) in LEVELS {
        let group: Vec<_> = report.changes.iter().filter(|c| c.level == level).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({}):", group.len());
        for c in group {
            let _ = write!(out, "  [{}] {}: {}", c.id, c.location, c.message);
            match c.place() {
                Some(place) => {
                    let _ = writeln!(out, " ({place})");
                }
                None => out.push('\n'),
            }
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Markdown for a pull-request comment: a summary line and one table per level.
pub fn render_markdown(report: &DiffReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Schema changes: `{}` → `{}`\n",
        escape(&report.old),
        escape(&report.new)
    );
    if report.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "**{} change(s), {} breaking.**",
        report.changes.len(),
        report.breaking_count
    );
    for (level, title) in LEVELS {
        let group: Vec<_> = report.changes.iter().filter(|c| c.level == level).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n#### {title} ({})\n", group.len());
        out.push_str("| id | location | change | where |\n|---|---|---|---|\n");
        for c in group {
            let place = c
                .place()
                .map(|p| format!("`{}`", escape(&p)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {place} |",
                c.id,
                escape(&c.location),
                escape(&c.message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Change, DiffReport, Level};
    use super::*;

    #[test]
    fn groups_by_level_and_counts_breaking() {
        let report = DiffReport::new(
            "a.yaml",
            "b.yaml",
            vec![
                Change::new("endpoint-added", Level::Info, "GET /x", "endpoint added"),
                Change::new(
                    "endpoint-removed",
                    Level::Breaking,
                    "GET /y",
                    "endpoint | removed",
                ),
            ],
        );
        assert_eq!(report.breaking_count, 1);
        let text = render_text(&report);
        let breaking = text.find("Breaking (1)").expect("breaking group");
        let info = text.find("Info (1)").expect("info group");
        assert!(breaking < info, "{text}");
        let md = render_markdown(&report);
        assert!(
            md.contains("| `endpoint-removed` | `GET /y` | endpoint \\| removed |  |"),
            "{md}"
        );
        let mut placed = report.clone();
        placed.changes[0].file = Some("b.yaml".into());
        placed.changes[0].line = Some(12);
        placed.changes[0].column = Some(5);
        assert!(
            render_markdown(&placed).contains("| endpoint \\| removed | `b.yaml:12:5` |"),
            "{}",
            render_markdown(&placed)
        );
        assert!(
            render_text(&placed).contains("endpoint | removed (b.yaml:12:5)"),
            "{}",
            render_text(&placed)
        );
        assert!(render_text(&DiffReport::new("a", "b", vec![])).contains("no changes"));
    }
}
