//! [`Batch`]: the dispatches of one command sharing commit points (see `commit`). It sits
//! above the executor: the executor writes into a [`Pending`], and a batch owns one.

use super::commit::Pending;
use super::executor::{DispatchOutcome, Engine, EngineError, Selection};
use crate::events::Event;

/// Dispatches sharing commit points; see [`Engine::batch`].
pub struct Batch<'e, 'p> {
    engine: &'e Engine<'p>,
    pending: Pending,
    /// Ctrl-C and SIGTERM stop the batch's runs (rather than mockops at once) while it lives.
    _signals: crate::interrupt::Scope,
}

impl<'e, 'p> Batch<'e, 'p> {
    fn new(engine: &'e Engine<'p>) -> Batch<'e, 'p> {
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

impl<'p> Engine<'p> {
    /// A batch of dispatches whose effect-free writes share one transaction, committed by
    /// [`Batch::commit`] (a command commits before it returns). Runs with a step that acts
    /// outside mockops are still committed before that step starts and when they end.
    pub fn batch(&self) -> Batch<'_, 'p> {
        Batch::new(self)
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
