//! Commit points: the executor's writes wait in [`Pending`] and are committed in one
//! transaction before a step with effects outside mockops starts, at the end of a run
//! that had such a step, and at the end of a batch of dispatches.
//!
//! A run begun and finished within one commit is inserted once with its final status,
//! so an effect-free run never passes through `running` on disk. A `Batch` (in `batch`)
//! lets the dispatches of one command share commit points.

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
