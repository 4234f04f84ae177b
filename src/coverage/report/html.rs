//! The HTML rendering: one self-contained file (inline CSS and SVG, no scripts, no
//! external fonts, nothing fetched) with the summary, the endpoint table, the scenario
//! heatmap as a colour grid, persona hits, staleness and drift, and the traffic that is
//! no coverage (undeclared, of services without a spec, answered by the gateway).

use super::cells::{esc, heat_colour, HEAT, HEATMAP_DAYS};
use super::{days, is_empty, join_statuses, or_dash, percent, verdict_text, window_text};
use crate::coverage::model::rfc3339;
use crate::coverage::model::{CoverageStatus, Report};
use std::fmt::Write;

/// Undeclared paths listed.
const UNDECLARED_SHOWN: usize = 50;

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.muted{color:#59636e;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:120px}
.card .v{font-size:24px;font-weight:600}.card .k{font-size:12px;color:#59636e}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.b{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.full{background:#dafbe1;color:#116329}.partial{background:#fff8c5;color:#7d4e00}.none{background:#ffebe9;color:#a40e26}
.heat td{border:none;padding:1px}.heat th{background:none;border:none;font-weight:normal;font-size:11px;padding:0 4px 0 0;white-space:nowrap}
.heat .c{width:13px;height:13px;border-radius:2px}
.heat .day{font-size:10px;color:#59636e;padding:0;text-align:left}
.heat .day div{width:13px;overflow:visible;white-space:nowrap}
.heat th.total{padding-left:10px;text-align:right}
.legend span{display:inline-block;width:11px;height:11px;border-radius:2px;vertical-align:middle;margin:0 1px}
tr.exceeded td{background:#ffebe9}
";

/// Colours of the heatmap, from no hits to the busiest day.
/// A horizontal bar as inline SVG.
fn bar(value: u64, max: u64, colour: &str) -> String {
    let width = if max == 0 {
        0
    } else {
        (value * 120).div_ceil(max)
    };
    format!(
        "<svg width=\"122\" height=\"10\" role=\"img\" aria-label=\"{value}\"><rect x=\"0\" y=\"1\" width=\"{width}\" height=\"8\" rx=\"2\" fill=\"{colour}\"/></svg>"
    )
}

/// A coverage gauge as inline SVG.
fn gauge(percent_value: f64) -> String {
    let width = (percent_value.clamp(0.0, 100.0) * 2.0).round();
    format!(
        "<svg width=\"200\" height=\"12\" role=\"img\" aria-label=\"coverage\"><rect width=\"200\" height=\"12\" rx=\"6\" fill=\"#ebedf0\"/><rect width=\"{width}\" height=\"12\" rx=\"6\" fill=\"#2da44e\"/></svg>"
    )
}

fn card(out: &mut String, value: &str, label: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div>",
        esc(value),
        esc(label)
    );
}

/// Renders the report as one self-contained HTML page.
pub fn render_html(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    out.push_str("<title>mockops coverage report</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n<h1>API coverage</h1>");
    let _ = write!(
        out,
        "<div class=\"muted\">Generated {} · {}</div>",
        esc(&rfc3339(report.meta.generated_at)),
        esc(&window_text(report))
    );
    out.push_str("<div class=\"cards\">");
    let coverage = percent(s.coverage_percent);
    card(&mut out, &coverage, "coverage");
    card(
        &mut out,
        &format!("{} / {}", s.covered, s.operations),
        "operations hit",
    );
    card(&mut out, &s.full.to_string(), "fully covered");
    card(&mut out, &s.exchanges.to_string(), "exchanges");
    out.push_str("</div>");
    let _ = write!(out, "<p>{}</p>", gauge(s.coverage_percent));
    if is_empty(report) {
        out.push_str("<p>Nothing to report: no operations are configured and no traffic was recorded in this window.</p></body></html>\n");
        return out;
    }
    endpoints(&mut out, report);
    undeclared(&mut out, report);
    without_spec(&mut out, report);
    gateway_answers(&mut out, report);
    heatmap(&mut out, report);
    super::team::html(&mut out, report);
    personas(&mut out, report);
    staleness(&mut out, report);
    drift(&mut out, report);
    out.push_str("</body></html>\n");
    out
}

fn endpoints(out: &mut String, report: &Report) {
    out.push_str("<h2>Endpoints</h2>");
    if report.endpoints.is_empty() {
        out.push_str("<p class=\"muted\">No operations configured.</p>");
        return;
    }
    out.push_str("<table><tr><th>Service</th><th>Endpoint</th><th>Operation</th><th>Hits</th><th>Declared</th><th>Seen</th><th>Status</th></tr>");
    for e in &report.endpoints {
        let class = match e.status {
            CoverageStatus::Full => "full",
            CoverageStatus::Partial => "partial",
            CoverageStatus::None => "none",
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{} {}</code></td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td><span class=\"b {class}\">{class}</span></td></tr>",
            esc(&or_dash(e.service.as_deref())),
            esc(&e.method),
            esc(&e.path),
            esc(&or_dash(e.operation_id.as_deref())),
            e.hits,
            esc(&e.statuses_declared.join(", ")),
            esc(&join_statuses(&e.statuses_seen)),
        );
    }
    out.push_str("</table>");
}

fn undeclared(out: &mut String, report: &Report) {
    if report.undeclared.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<h2>Undeclared traffic <span class=\"muted\">({} paths)</span></h2>",
        report.undeclared.len()
    );
    out.push_str(
        "<table><tr><th>Service</th><th>Request</th><th>Hits</th><th>Candidate specs</th></tr>",
    );
    for u in report.undeclared.iter().take(UNDECLARED_SHOWN) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{} {}</code></td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&or_dash(u.service.as_deref())),
            esc(&u.method),
            esc(&u.path),
            u.hits,
            esc(&u.candidates.join(", "))
        );
    }
    out.push_str("</table>");
    more(out, report.undeclared.len());
}

fn more(out: &mut String, total: usize) {
    if total > UNDECLARED_SHOWN {
        let _ = write!(
            out,
            "<p class=\"muted\">…and {} more.</p>",
            total - UNDECLARED_SHOWN
        );
    }
}

fn without_spec(out: &mut String, report: &Report) {
    if report.services_without_spec.is_empty() {
        return;
    }
    out.push_str(
        "<h2>Services without a spec</h2><p class=\"muted\">Their traffic covers no operation: give a spec in <code>mockops.yaml</code> their <code>service</code> name to cover them.</p>",
    );
    out.push_str(
        "<table><tr><th>Service</th><th>Hits</th><th>First seen</th><th>Last seen</th></tr>",
    );
    for s in &report.services_without_spec {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.service),
            s.hits,
            esc(&s.first_seen),
            esc(&s.last_seen)
        );
    }
    out.push_str("</table>");
}

fn gateway_answers(out: &mut String, report: &Report) {
    if report.gateway_answers.is_empty() {
        return;
    }
    out.push_str("<h2>Answered by the gateway <span class=\"muted\">(not coverage)</span></h2>");
    out.push_str("<table><tr><th>Service</th><th>Request</th><th>Status</th><th>Hits</th></tr>");
    for g in report.gateway_answers.iter().take(UNDECLARED_SHOWN) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{} {}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&or_dash(g.service.as_deref())),
            esc(&g.method),
            esc(&g.path),
            g.status,
            g.hits
        );
    }
    out.push_str("</table>");
    more(out, report.gateway_answers.len());
}

fn heatmap(out: &mut String, report: &Report) {
    out.push_str("<h2>Scenarios per day</h2>");
    if report.scenarios.is_empty() {
        out.push_str("<p class=\"muted\">No exchange named a scenario in this window.</p>");
        return;
    }
    let max = report
        .scenarios
        .iter()
        .flat_map(|s| s.buckets.iter().map(|b| b.hits))
        .max()
        .unwrap_or(0);
    let total_days = report.scenarios.first().map_or(0, |s| s.buckets.len());
    let skip = total_days.saturating_sub(HEATMAP_DAYS);
    if skip > 0 {
        let _ = write!(
            out,
            "<p class=\"muted\">The last {HEATMAP_DAYS} of {total_days} days.</p>"
        );
    }
    out.push_str("<table class=\"heat\"><tr><th></th>");
    if let Some(first) = report.scenarios.first() {
        for (i, bucket) in first.buckets.iter().skip(skip).enumerate() {
            let label = if i % 7 == 0 {
                bucket.start.get(5..10).unwrap_or("")
            } else {
                ""
            };
            let _ = write!(out, "<td class=\"day\"><div>{}</div></td>", esc(label));
        }
    }
    out.push_str("<th class=\"total\">hits</th></tr>");
    for sc in &report.scenarios {
        let _ = write!(out, "<tr><th>{}</th>", esc(&sc.scenario));
        for bucket in sc.buckets.iter().skip(skip) {
            let _ = write!(
                out,
                "<td><div class=\"c\" style=\"background:{}\" title=\"{}: {} hits\"></div></td>",
                heat_colour(bucket.hits, max),
                esc(bucket.start.get(..10).unwrap_or(&bucket.start)),
                bucket.hits
            );
        }
        let _ = write!(out, "<th class=\"total\">{}</th></tr>", sc.hits);
    }
    out.push_str("</table><p class=\"legend muted\">less ");
    for colour in HEAT {
        let _ = write!(out, "<span style=\"background:{colour}\"></span>");
    }
    let _ = write!(out, " more (busiest day: {max} hits)</p>");
}

fn personas(out: &mut String, report: &Report) {
    out.push_str("<h2>Personas</h2>");
    if report.personas.is_empty() {
        out.push_str("<p class=\"muted\">No exchange named a persona in this window.</p>");
        return;
    }
    let max = report.personas.iter().map(|p| p.hits).max().unwrap_or(0);
    out.push_str(
        "<table><tr><th>Persona</th><th>CI runs</th><th>Hits</th><th></th><th>Last seen</th></tr>",
    );
    for p in &report.personas {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.persona),
            p.ci_runs,
            p.hits,
            bar(p.hits, max, "#0969da"),
            esc(&p.last_seen)
        );
    }
    out.push_str("</table>");
}

fn staleness(out: &mut String, report: &Report) {
    out.push_str("<h2>Staleness</h2>");
    if report.staleness.is_empty() {
        out.push_str("<p class=\"muted\">No federation services.</p>");
        return;
    }
    out.push_str("<table><tr><th>Service</th><th>Reality level</th><th>Since</th><th>Days at level</th><th>Last real exchange</th><th>Days since real</th></tr>");
    for st in &report.staleness {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&st.service),
            esc(&st.reality_level),
            esc(&or_dash(st.since.as_deref())),
            days(st.days_at_level),
            esc(&or_dash(st.last_real_exchange.as_deref())),
            days(st.days_since_real)
        );
    }
    out.push_str("</table>");
}

fn drift(out: &mut String, report: &Report) {
    out.push_str("<h2>Drift</h2>");
    if report.drift.is_empty() {
        out.push_str("<p class=\"muted\">No traffic to judge.</p>");
        return;
    }
    out.push_str("<table><tr><th>Service</th><th>Endpoint</th><th>Total</th><th>Drifting</th><th>Drift</th><th>Budget</th><th>Verdict</th></tr>");
    for d in &report.drift {
        let row = if d.exceeded {
            " class=\"exceeded\""
        } else {
            ""
        };
        let verdict = verdict_text(d);
        let _ = write!(
            out,
            "<tr{row}><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{verdict}</td></tr>",
            esc(&or_dash(d.service.as_deref())),
            esc(&d.endpoint),
            d.total,
            d.drifting,
            percent(d.drift_percent),
            d.budget_percent.map_or_else(|| "—".to_string(), percent),
        );
    }
    out.push_str("</table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::report::sample::sample_report;

    fn assert_self_contained(html: &str) {
        let lower = html.to_ascii_lowercase();
        for forbidden in [
            "<script",
            "<link",
            "@import",
            "url(",
            "src=\"http",
            "src='http",
            "@font-face",
            "<iframe",
            "<img",
        ] {
            assert!(!lower.contains(forbidden), "found {forbidden}");
        }
    }

    #[test]
    fn html_is_self_contained_and_has_every_section() {
        let html = render_html(&sample_report());
        assert_self_contained(&html);
        for title in [
            "Endpoints",
            "Undeclared traffic",
            "Services without a spec",
            "Answered by the gateway",
            "Scenarios per day",
            "Personas",
            "Staleness",
            "Drift",
        ] {
            assert!(html.contains(title), "{title}");
        }
        assert!(html.contains("/pets/{petId}"));
        assert!(html.contains("<td>insufficient</td>"), "{html}");
        assert!(html.contains("<td>payments</td>"));
        assert!(
            html.contains("class=\"c\" style=\"background:#216e39\""),
            "the busiest day is darkest"
        );
        assert!(
            html.contains("class=\"c\" style=\"background:#ebedf0\""),
            "an empty day is grey"
        );
    }

    #[test]
    fn values_are_escaped() {
        let mut report = sample_report();
        report.personas[0].persona = "<script>alert(1)</script>".into();
        let html = render_html(&report);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert_self_contained(&html);
    }
}
