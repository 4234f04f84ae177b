//! Coverage benchmarks: `ingest_jsonl` (100,000 generated lines into a fresh SQLite file)
//! and `report` (1,000,000 exchanges × 500 operations, generated once into
//! `target/coverage-bench/report.db` and reused).

#[path = "support/coverage_data.rs"]
mod coverage_data;

use criterion::{criterion_group, criterion_main, Criterion};
use mockops::coverage::{build_report, ingest_file, parse_since, IngestOptions};
use mockops::store::Store;
use std::io::BufWriter;
use std::path::PathBuf;

fn bench_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/coverage-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ingest_jsonl(c: &mut Criterion) {
    let dir = bench_dir();
    let file = dir.join("traffic-100k.jsonl");
    if !file.exists() {
        let mut out = BufWriter::new(std::fs::File::create(&file).unwrap());
        coverage_data::write_jsonl(&mut out, 100_000, 7).unwrap();
    }
    let mut group = c.benchmark_group("coverage");
    group.sample_size(10);
    group.bench_function("ingest_jsonl_100k", |b| {
        b.iter_with_setup(
            || tempfile::tempdir().unwrap(),
            |tmp| {
                let mut store = Store::open(&tmp.path().join("state.db")).unwrap();
                let opts = IngestOptions::new(coverage_data::now());
                let summary = ingest_file(&mut store, &file, &opts, &mut |_| {}).unwrap();
                assert_eq!(summary.read, 100_000);
            },
        )
    });
    group.finish();
}

fn report_db() -> PathBuf {
    let path = bench_dir().join("report-1m.db");
    let marker = bench_dir().join("report-1m.done");
    if !marker.exists() {
        let _ = std::fs::remove_file(&path);
        let mut store = Store::open(&path).unwrap();
        let mut rng = coverage_data::Rng::new(42);
        let mut batch = Vec::with_capacity(10_000);
        for i in 0..1_000_000u64 {
            batch.push(coverage_data::exchange(&mut rng, i));
            if batch.len() == 10_000 {
                store.insert_exchanges(&batch).unwrap();
                batch.clear();
            }
        }
        std::fs::write(&marker, "1000000").unwrap();
    }
    path
}

fn report(c: &mut Criterion) {
    let path = report_db();
    let store = Store::open(&path).unwrap();
    let specs = coverage_data::specs();
    let now = coverage_data::now();
    let window = parse_since("7d", now).unwrap();
    let mut group = c.benchmark_group("coverage");
    group.sample_size(10);
    group.bench_function("report_1m_x_500", |b| {
        b.iter(|| {
            let report = build_report(&store, &specs, &[], &[], window, None, now, None).unwrap();
            assert_eq!(report.endpoints.len(), 500);
            report
        })
    });
    group.finish();
}

criterion_group!(benches, ingest_jsonl, report);
criterion_main!(benches);
