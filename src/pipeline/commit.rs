//! Commit points: the executor's writes wait in [`Pending`] and are committed in one
//! transaction before a step with effects outside mockops starts, at the end of a run
//! that had such a step, and at the end of a batch of dispatches.
//!
//! A run begun and finished within one commit is inserted once with its final status,
//! so an effect-free run never passes through `running` on disk. A [`Batch`] lets the
//! dispatches of one command share commit points.

use super::executor::{DispatchOutcome, Engine, EngineError, Selection};
use crate::events::Event;
use crate::store::{
    AttemptRecord, DeadLetter, LogRecord, RunRecord, StepRecord, Store, StoreError,
};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// A write waiting for the next commit point.
pub(super) enum Op {
    Event(Event),
    BeginRun(RunRecord),
    Step(Box<StepWrite>),
    Finish {
        run_id: String,
        status: String,
        error: Option<String>,
        at: DateTime<Utc>,
    },
}

/// A finished (or skipped) step with everything stored with it.
pub(super) struct StepWrite {
    pub(super) run_id: String,
    pub(super) idx: usize,
    pub(super) record: StepRecord,
    pub(super) attempts: Vec<AttemptRecord>,
    pub(super) logs: Vec<LogRecord>,
    /// (pipeline, step, key, value) to remember.
    pub(super) memory: Vec<(String, String, String, String)>,
    pub(super) dead_letter: Option<DeadLetter>,
}

/// Dispatches sharing commit points; see [`Engine::batch`].
pub struct Batch<'e, 'p> {
    engine: &'e Engine<'p>,
    pending: Pending,
    /// Ctrl-C and SIGTERM stop the batch's runs (rather than mockops at once) while it lives.
    _signals: crate::interrupt::Scope,
}

impl<'e, 'p> Batch<'e, 'p> {
    pub(super) fn new(engine: &'e Engine<'p>) -> Batch<'e, 'p> {
        Batch {
            engine,
            pending: Pending::default(),
            _signals: crate::interrupt::scope(),
        }
    }

    /// Stores `root` and dispatches it and everything it causes (durable at the latest
    /// at [`Batch::commit`]).
    pub fn dispatch(
        &mut self,
        root: Event,
        selection: Selection<'_>,
    ) -> Result<DispatchOutcome, EngineError> {
        self.engine
            .dispatch_into(root, selection, &mut self.pending)
    }

    /// Commits everything still pending.
    pub fn commit(mut self) -> Result<(), EngineError> {
        Ok(self.pending.flush(self.engine.store)?)
    }
}

impl Drop for Batch<'_, '_> {
    /// A batch dropped without [`Batch::commit`] (an early `?`) still stores what it did.
    fn drop(&mut self) {
        let _ = self.pending.flush(self.engine.store);
    }
}

/// Writes buffered until the next commit point, then committed in one transaction.
#[derive(Default)]
pub(super) struct Pending(pub(super) Vec<Op>);

impl Pending {
    pub(super) fn flush(&mut self, store: &Store) -> Result<(), StoreError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let ops = std::mem::take(&mut self.0);
        let finished: HashMap<&str, (&str, Option<&str>, &DateTime<Utc>)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Finish {
                    run_id,
                    status,
                    error,
                    at,
                } => Some((run_id.as_str(), (status.as_str(), error.as_deref(), at))),
                _ => None,
            })
            .collect();
        let mut begun: HashSet<&str> = HashSet::new();
        store.write(|s| {
            for op in &ops {
                match op {
                    Op::Event(e) => s.insert_event(e)?,
                    Op::BeginRun(r) => match finished.get(r.id.as_str()) {
                        Some(&(status, error, at)) => {
                            begun.insert(&r.id);
                            let mut done = r.clone();
                            done.status = status.to_string();
                            done.error = error.map(str::to_string);
                            done.finished_at = Some(*at);
                            s.begin_run(&done)?;
                        }
                        None => s.begin_run(r)?,
                    },
                    Op::Step(w) => {
                        s.record_step(&w.run_id, w.idx, &w.record, &w.attempts, &w.logs)?;
                        for (p, st, k, v) in &w.memory {
                            s.remember(p, st, k, v)?;
                        }
                        if let Some(d) = &w.dead_letter {
                            s.insert_dead_letter(d)?;
                        }
                    }
                    Op::Finish { run_id, .. } if begun.contains(run_id.as_str()) => {}
                    Op::Finish {
                        run_id,
                        status,
                        error,
                        at,
                    } => s.finish_run(run_id, status, error.as_deref(), *at)?,
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::events::Event;
    use crate::pipeline::executor::{Engine, EngineSettings, Selection};
    use crate::store::{RunRecord, Store};

    /// Runs as another process sees them.
    fn runs(path: &std::path::Path) -> Vec<RunRecord> {
        Store::open(path)
            .unwrap()
            .list_runs(None, None, 100)
            .unwrap()
    }

    #[test]
    fn a_batch_commits_once_and_never_stores_running() {
        let dir = tempfile::tempdir().unwrap();
        let pipelines = dir.path().join("pipelines");
        std::fs::create_dir_all(&pipelines).unwrap();
        std::fs::write(
            pipelines.join("p.yaml"),
            "name: p\ntriggers: [{event: custom.tick}]\nsteps:\n  - {name: e, type: emit, config: {event: custom.done}}\n",
        )
        .unwrap();
        let loaded = crate::pipeline::load_dir(&pipelines, dir.path()).pipelines;
        let state = dir.path().join("state.db");
        let store = Store::open(&state).unwrap();
        let engine = Engine {
            store: &store,
            pipelines: &loaded,
            settings: EngineSettings {
                project_root: dir.path().to_path_buf(),
                workspace: "w".into(),
                max_event_depth: 8,
                max_events_per_dispatch: 100,
                environments: Vec::new(),
                now: chrono::Utc::now,
            },
        };
        let tick = || {
            Event::new(
                "custom.tick",
                "w",
                "test",
                Default::default(),
                chrono::Utc::now(),
            )
        };
        let mut batch = engine.batch();
        for _ in 0..3 {
            let outcome = batch.dispatch(tick(), Selection::Matching).unwrap();
            assert_eq!(outcome.runs.len(), 1);
        }
        assert!(
            runs(&state).is_empty(),
            "nothing is committed before the batch is"
        );
        batch.commit().unwrap();
        let stored = runs(&state);
        assert_eq!(stored.len(), 3);
        assert!(stored.iter().all(|r| r.status == "succeeded"));
        assert_eq!(store.mark_interrupted_runs(chrono::Utc::now()).unwrap(), 0);

        // A batch left by an early return still stores what it did.
        {
            let mut dropped = engine.batch();
            dropped.dispatch(tick(), Selection::Matching).unwrap();
        }
        assert_eq!(runs(&state).len(), 4);
    }
}
