//! Engine benchmarks: trigger matching against 1,000 pipelines with 5 filters each,
//! and dispatch + persist of runs beside a bare SQLite insert baseline.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use mockops::events::Event;
use mockops::pipeline::executor::{Engine, EngineSettings, Selection};
use mockops::pipeline::{load_dir, Pipeline};
use mockops::store::Store;
use serde_json::{json, Map, Value};

fn write_pipelines(dir: &std::path::Path, n: usize, step: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let yaml = format!(
            "name: p{i:04}\ntriggers:\n  - event: schema.changed\n    filters:\n      schema_type: openapi\n      spec_path: {{ glob: \"specs/*.yaml\" }}\n      breaking_count: {{ gte: {} }}\n      workspace_id: {{ in: [w1, w2] }}\n      summary: {{ regex: \"^v[0-9]+\" }}\nsteps:\n{step}",
            i % 3
        );
        std::fs::write(dir.join(format!("p{i:04}.yaml")), yaml).unwrap();
    }
}

fn payload() -> Map<String, Value> {
    json!({"spec_path": "specs/a.yaml", "spec_name": "a", "schema_type": "openapi", "old_hash": "x", "new_hash": "y",
           "breaking_count": 1, "changes": [], "summary": "v2 changes"})
    .as_object()
    .cloned()
    .unwrap()
}

fn matching(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    write_pipelines(
        &dir.path().join("pipelines"),
        1000,
        "  - {name: s, type: run, config: {command: \"true\"}}\n",
    );
    let loaded = load_dir(&dir.path().join("pipelines"), dir.path());
    assert!(!loaded.has_errors());
    let pipelines: Vec<Pipeline> = loaded.pipelines;
    let event = Event::new(
        "schema.changed",
        "w1",
        "bench",
        payload(),
        chrono::Utc::now(),
    );
    let mut g = c.benchmark_group("match");
    // What dispatch does: each distinct filter and trigger evaluated once per event.
    let mut memo = mockops::pipeline::MatchMemo::default();
    g.bench_function("match_1000_pipelines_5_filters", |b| {
        b.iter(|| {
            let view = event.filter_view();
            mockops::pipeline::matching(&pipelines, &event.event_type, &view, &mut memo).len()
        })
    });
    // What a dry run does: every pipeline's filters, with the reason of the first miss.
    g.bench_function("explain_1000_pipelines_5_filters", |b| {
        b.iter(|| {
            let view = event.filter_view();
            pipelines
                .iter()
                .filter(|p| p.matches(&event.event_type, &view).is_ok())
                .count()
        })
    });
    g.finish();
}

fn dispatch(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let pdir = dir.path().join("pipelines");
    std::fs::create_dir_all(&pdir).unwrap();
    std::fs::write(
        pdir.join("noop.yaml"),
        "name: noop\ntriggers: [{event: custom.tick}]\nsteps:\n  - {name: e, type: emit, config: {event: custom.unconsumed}}\n",
    )
    .unwrap();
    let pipelines = load_dir(&pdir, dir.path()).pipelines;
    let store = Store::open(&dir.path().join("state.db")).unwrap();
    let engine = Engine {
        store: &store,
        pipelines: &pipelines,
        settings: EngineSettings {
            project_root: dir.path().to_path_buf(),
            workspace: "bench".into(),
            max_event_depth: 8,
            max_events_per_dispatch: 1000,
            environments: vec!["dev".into(), "test".into(), "prod".into()],
            now: chrono::Utc::now,
        },
    };
    let runs = 100u64;
    let mut g = c.benchmark_group("dispatch");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(20);
    let tick = || {
        Event::new(
            "custom.tick",
            "bench",
            "bench",
            Map::new(),
            chrono::Utc::now(),
        )
    };
    // One command dispatching `runs` events (hook run, schema check, watch): one commit.
    g.bench_function("dispatch", |b| {
        b.iter(|| {
            let mut batch = engine.batch();
            for _ in 0..runs {
                let out = batch.dispatch(tick(), Selection::Matching).unwrap();
                assert_eq!(out.runs.len(), 1);
            }
            batch.commit().unwrap();
        })
    });
    // `runs` commands of one event each (event emit): one commit per dispatch.
    g.bench_function("dispatch_commit_each", |b| {
        b.iter(|| {
            for _ in 0..runs {
                let out = engine.dispatch(tick(), Selection::Matching).unwrap();
                assert_eq!(out.runs.len(), 1);
            }
        })
    });
    // Baseline: one durable row insert per run, nothing else.
    let conn = rusqlite::Connection::open(dir.path().join("baseline.db")).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.execute_batch("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)")
        .unwrap();
    g.bench_function("sqlite_insert", |b| {
        b.iter_batched(
            || (),
            |_| {
                for _ in 0..runs {
                    conn.execute(
                        "INSERT INTO t VALUES (?1, ?2)",
                        [mockops::events::new_id(), "{}".to_string()],
                    )
                    .unwrap();
                }
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, matching, dispatch);
criterion_main!(benches);
