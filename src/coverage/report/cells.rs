//! Cell-level helpers every report renderer shares: Markdown and HTML escaping, the
//! terminal sparkline and the heatmap's colours. A leaf: it knows no renderer.

use std::fmt::Write;

/// A sparkline of daily hits: ` ▁▂▃▄▅▆▇█`.
pub(super) fn sparkline(hits: &[u64]) -> String {
    const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = hits.iter().copied().max().unwrap_or(0);
    hits.iter()
        .map(|&h| {
            if max == 0 || h == 0 {
                '·'
            } else {
                let level = ((h * 8).div_ceil(max)).clamp(1, 8) as usize;
                BARS.get(level).copied().unwrap_or('█')
            }
        })
        .collect()
}

/// Escapes text for a table cell: pipes, newlines, and HTML (traffic-supplied names
/// must not inject markup into a PR comment).
pub(super) fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

pub(super) fn code(text: &str) -> String {
    // inside a code span HTML is not interpreted: only pipes and newlines matter
    let inner = text
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('`', "'");
    format!("`{inner}`")
}

pub(super) fn header(out: &mut String, columns: &[&str]) {
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        columns.iter().map(|_| "---|").collect::<String>()
    );
}

/// Days of the heatmap shown (the most recent ones; the JSON has every day).
pub(super) const HEATMAP_DAYS: usize = 62;
/// The heatmap's colours, from no hits to the busiest cell.
pub(super) const HEAT: [&str; 5] = ["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"];

pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn heat_colour(hits: u64, max: u64) -> &'static str {
    if hits == 0 || max == 0 {
        return HEAT[0];
    }
    let level = (hits * 4).div_ceil(max).clamp(1, 4) as usize;
    HEAT.get(level).copied().unwrap_or(HEAT[4])
}
