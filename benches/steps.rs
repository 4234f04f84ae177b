//! Benchmarks of the outward steps: `create_pr` on a 10,000-file repository pushing to a
//! local bare repository (target ≤ 2 s per run), and signed webhook delivery to a local
//! HTTP server (target ≥ 500 deliveries/s).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use git2::{Repository, RepositoryInitOptions};
use mockops::steps::{create_pr::CreatePrStep, notify::NotifyStep, StepContext, StepType};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::time::Duration;

const FILES: usize = 10_000;
const CHANGED: usize = 50;

fn context<'a>(root: &'a Path, recall: &'a dyn Fn(&str) -> Option<String>) -> StepContext<'a> {
    StepContext {
        project_root: root,
        pipeline_name: "bench",
        pipeline_file: Path::new("pipelines/bench.yaml"),
        step_name: "step",
        run_id: "run",
        deadline: None,
        recall,
        store: None,
        environments: &[],
    }
}

/// A working repository of `FILES` files under `pkg/`, pushed to a bare `origin`.
fn big_repository(dir: &Path) -> std::path::PathBuf {
    let bare = dir.join("origin.git");
    let work = dir.join("work");
    Repository::init_bare(&bare)
        .unwrap()
        .set_head("refs/heads/main")
        .unwrap();
    let mut options = RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = Repository::init_opts(&work, &options).unwrap();
    for i in 0..FILES {
        let path = work.join(format!("pkg/m{:03}/file{i:05}.ts", i % 100));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("export const value{i} = {i};\n")).unwrap();
    }
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("bench", "bench@example.test").unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "initial", &tree, &[])
        .unwrap();
    repo.remote("origin", bare.to_str().unwrap())
        .unwrap()
        .push(&["refs/heads/main:refs/heads/main"], None)
        .unwrap();
    work
}

fn create_pr_10k(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let work = big_repository(dir.path());
    let config: Map<String, Value> = serde_json::from_value(json!({
        "branch": "mockops/bench", "paths": ["pkg/**"], "provider": "none",
        "author": {"name": "bench", "email": "bench@example.test"}
    }))
    .unwrap();
    let recall = |_: &str| None;
    let mut round = 0usize;
    let mut group = c.benchmark_group("create_pr");
    group.sample_size(10);
    group.bench_function("create_pr_10k", |b| {
        b.iter(|| {
            round += 1;
            for i in 0..CHANGED {
                let n = i * (FILES / CHANGED);
                let path = work.join(format!("pkg/m{:03}/file{n:05}.ts", n % 100));
                std::fs::write(path, format!("export const value{n} = {round};\n")).unwrap();
            }
            let out = CreatePrStep.run(&context(&work, &recall), &config).unwrap();
            assert_ne!(out.outputs["operation"], json!("none"));
        })
    });
    group.finish();
}

fn webhook_delivery(c: &mut Criterion) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", server.server_addr().to_ip().unwrap());
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let _ = request.respond(tiny_http::Response::from_string("ok"));
        }
    });
    let config: Map<String, Value> = serde_json::from_value(json!({
        "channel": "webhook", "url": url, "secret": "whsec_c3VwZXJzZWNyZXRrZXkhIQ==",
        "payload": {"event": "schema.changed", "spec": "specs/payments.yaml", "breaking_count": 2}
    }))
    .unwrap();
    let recall = |_: &str| None;
    let root = std::env::temp_dir();
    let mut group = c.benchmark_group("notify");
    group.throughput(Throughput::Elements(1));
    group.bench_function("webhook_delivery", |b| {
        b.iter(|| {
            let out = NotifyStep.run(&context(&root, &recall), &config).unwrap();
            assert_eq!(out.outputs["delivered"], json!(1));
        })
    });
    group.finish();
}

fn short() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = short();
    targets = create_pr_10k, webhook_delivery
}
criterion_main!(benches);
