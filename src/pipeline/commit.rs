//! Commit points: the executor's writes wait in [`Pending`] and are committed in one
//! transaction before a step with effects outside mockops starts, at the end of a run,
//! and at the end of a dispatch.

use crate::events::Event;
use crate::store::{
    AttemptRecord, DeadLetter, LogRecord, RunRecord, StepRecord, Store, StoreError,
};
use chrono::{DateTime, Utc};

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
        store.write(|s| {
            for op in &ops {
                match op {
                    Op::Event(e) => s.insert_event(e)?,
                    Op::BeginRun(r) => s.begin_run(r)?,
                    Op::Step(w) => {
                        s.record_step(&w.run_id, w.idx, &w.record, &w.attempts, &w.logs)?;
                        for (p, st, k, v) in &w.memory {
                            s.remember(p, st, k, v)?;
                        }
                        if let Some(d) = &w.dead_letter {
                            s.insert_dead_letter(d)?;
                        }
                    }
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
