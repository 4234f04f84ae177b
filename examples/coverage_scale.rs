//! One-off scale check: `cargo run --release --example coverage_scale -- DIR [LINES]` writes
//! LINES (default 1,000,000) JSONL exchanges to DIR/traffic.jsonl, ingests them into
//! DIR/state.db and builds the report, printing the times (DIR defaults to `coverage-scale`
//! in the system's temp folder). Run under `/usr/bin/time -v` for peak memory.
//! `MOCKOPS_SCALE_STATE=postgres://…` puts the state in that database instead of
//! DIR/state.db.

#[path = "../benches/support/coverage_data.rs"]
mod coverage_data;

use mockops::coverage::{
    build_report, ingest_file, parse_since, render_html, render_markdown, render_table,
    IngestOptions, ServiceInfo,
};
use mockops::store::{Location, Store};
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("coverage-scale"));
    let lines: u64 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let mode = args.next().unwrap_or_else(|| "all".into());
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("traffic.jsonl");
    let db = dir.join("state.db");
    let state = match std::env::var("MOCKOPS_SCALE_STATE") {
        Ok(url) => Location::parse(&url, &dir).unwrap(),
        Err(_) => Location::File(db.clone()),
    };
    if mode == "all" || mode == "generate" {
        let started = Instant::now();
        let mut out = BufWriter::new(std::fs::File::create(&file).unwrap());
        coverage_data::write_jsonl(&mut out, lines, 7).unwrap();
        drop(out);
        println!("generate: {lines} lines in {:?}", started.elapsed());
        let _ = std::fs::remove_file(&db);
    }
    if mode == "all" || mode == "ingest" {
        let mut store = Store::open_at(&state).unwrap();
        let started = Instant::now();
        let summary = ingest_file(
            &mut store,
            &file,
            &IngestOptions::new(coverage_data::now()),
            &mut |_| {},
        )
        .unwrap();
        println!(
            "ingest: read {} ingested {} duplicates {} rejected {} in {:?}",
            summary.read,
            summary.ingested,
            summary.duplicates,
            summary.rejected.len(),
            started.elapsed()
        );
    }
    if mode == "all" || mode == "report" {
        let store = Store::open_at(&state).unwrap();
        let now = coverage_data::now();
        let started = Instant::now();
        let report = build_report(
            &store,
            &coverage_data::specs(),
            &[],
            &[],
            parse_since("7d", now).unwrap(),
            None,
            now,
            None,
        )
        .unwrap();
        let built = started.elapsed();
        let table = render_table(&report, 120);
        let json = serde_json::to_string(&report).unwrap();
        println!(
            "report: {} exchanges, {} operations, {} undeclared paths in {built:?}; \
             with table ({} KB) and JSON ({} KB) rendered {:?}",
            report.summary.exchanges,
            report.endpoints.len(),
            report.undeclared.len(),
            table.len() / 1024,
            json.len() / 1024,
            started.elapsed()
        );
    }
    if let Some(other) = mode.strip_prefix("file=") {
        // Ingest any traffic file (e.g. a large HAR) into DIR/state.db.
        let mut store = Store::open(&db).unwrap();
        let started = Instant::now();
        let summary = ingest_file(
            &mut store,
            std::path::Path::new(other),
            &IngestOptions::new(coverage_data::now()),
            &mut |_| {},
        )
        .unwrap();
        println!(
            "ingest {other}: read {} ingested {} in {:?}",
            summary.read,
            summary.ingested,
            started.elapsed()
        );
    }
    if mode == "render" {
        // A smaller sample for looking at the renderers: the first 40 operations only.
        let store = Store::open(&db).unwrap();
        let now = coverage_data::now();
        let mut specs = coverage_data::specs();
        specs[0].operations.truncate(40);
        let services = [ServiceInfo {
            service: "bench".into(),
            reality_level: "mock".into(),
        }];
        let budgets = [mockops::coverage::DriftBudget {
            service: None,
            endpoint: None,
            max_drift_percent: 10.0,
            min_samples: 20,
        }];
        let report = build_report(
            &store,
            &specs,
            &services,
            &budgets,
            parse_since("14d", now).unwrap(),
            None,
            now,
            None,
        )
        .unwrap();
        std::fs::write(dir.join("report.html"), render_html(&report)).unwrap();
        std::fs::write(dir.join("report.md"), render_markdown(&report)).unwrap();
        std::fs::write(dir.join("report.txt"), render_table(&report, 100)).unwrap();
        std::fs::write(
            dir.join("report.json"),
            serde_json::to_string_pretty(&report).unwrap(),
        )
        .unwrap();
        println!(
            "render: wrote report.html, report.md, report.txt, report.json to {}",
            dir.display()
        );
    }
}
