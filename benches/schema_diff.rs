//! `schema_diff`: parsing and diffing the two multi-MB Twilio specs.
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/realworld/openapi");

fn bench(c: &mut Criterion) {
    let new = Path::new(DIR).join("twilio_api_v2010-2026-04-14.yaml");
    let old = Path::new(DIR).join("twilio_api_v2010-2024-06-27.yaml");
    let text = std::fs::read_to_string(&new).expect("twilio spec");
    let mut group = c.benchmark_group("schema_diff");
    group.sample_size(10);
    group.bench_function("twilio_parse", |b| {
        b.iter(|| mockops::schema::openapi::parse("t.yaml", &text).expect("parse"))
    });
    group.bench_function("twilio_self", |b| {
        b.iter(|| mockops::schema::diff_paths(&new, &new, &[]).expect("diff"))
    });
    group.bench_function("twilio_versions", |b| {
        b.iter(|| mockops::schema::diff_paths(&old, &new, &[]).expect("diff"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
