//! Route lookup cost: mockops' segment tree vs the `matchit` crate on the same table.
//!
//! Targets (README, Performance): ≤ 200 ns per lookup at 10,000 services, and 10,000 services at most
//! 1.5× slower than 100.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mockops::federation::{parse_str, Federation, Router};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// Half static base paths (`/svcN`), half with a parameter (`/tN/{id}/api`).
fn base_path(i: usize) -> String {
    if i % 2 == 0 {
        format!("/svc{i}")
    } else {
        format!("/t{i}/{{id}}/api")
    }
}

fn federation(n: usize) -> Federation {
    let mut text = String::from("name: bench\nservices:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  - {{name: s{i}, workspace_id: w{i}, base_path: \"{}\", reality_level: mock_v3}}\n",
            base_path(i)
        ));
    }
    parse_str(Path::new("bench.yaml"), &text).expect("generated federation parses")
}

/// 1,024 request paths spread over the table, with a service path after the base path.
fn queries(n: usize) -> Vec<String> {
    (0..1024)
        .map(|k| {
            let i = (k * 7919) % n;
            if i % 2 == 0 {
                format!("/svc{i}/users/42/orders")
            } else {
                format!("/t{i}/acme/api/orders/7")
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut ours = c.benchmark_group("route_lookup");
    for n in [100usize, 10_000] {
        let fed = federation(n);
        let router = Router::build(&fed);
        let paths = queries(n);
        assert!(paths.iter().all(|p| router.route(p).is_some()));
        ours.bench_with_input(BenchmarkId::from_parameter(n), &paths, |b, paths| {
            let mut k = 0usize;
            b.iter(|| {
                k = (k + 1) & 1023;
                black_box(router.route(black_box(&paths[k])).map(|m| m.service))
            })
        });
    }
    ours.finish();

    let mut theirs = c.benchmark_group("matchit_lookup");
    for n in [100usize, 10_000] {
        let mut router = matchit::Router::new();
        for i in 0..n {
            let base = base_path(i);
            router.insert(base.clone(), i).expect("base path inserts");
            router
                .insert(format!("{base}/{{*rest}}"), i)
                .expect("prefix route inserts");
        }
        let paths = queries(n);
        assert!(paths.iter().all(|p| router.at(p).is_ok()));
        theirs.bench_with_input(BenchmarkId::from_parameter(n), &paths, |b, paths| {
            let mut k = 0usize;
            b.iter(|| {
                k = (k + 1) & 1023;
                black_box(router.at(black_box(&paths[k])).map(|m| *m.value).ok())
            })
        });
    }
    theirs.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
