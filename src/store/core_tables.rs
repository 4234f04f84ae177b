//! Schema of the core tables: events, runs, step results and attempts, logs,
//! step memory and dead letters.

pub(super) const MIGRATION: &str = r#"
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    source       TEXT NOT NULL,
    timestamp    TEXT NOT NULL,
    parent_id    TEXT,
    replay_of    TEXT,
    payload      TEXT NOT NULL,
    depth        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_by_type ON events(type, timestamp);
CREATE INDEX events_by_parent ON events(parent_id);

CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    pipeline      TEXT NOT NULL,
    pipeline_file TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    status        TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    error         TEXT,
    pid           INTEGER NOT NULL
);
CREATE INDEX runs_by_pipeline ON runs(pipeline, started_at);
CREATE INDEX runs_by_event ON runs(event_id);
CREATE INDEX runs_by_status ON runs(status);

CREATE TABLE steps (
    run_id      TEXT NOT NULL REFERENCES runs(id),
    idx         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    config      TEXT,
    outputs     TEXT NOT NULL DEFAULT '{}',
    error       TEXT,
    PRIMARY KEY (run_id, idx)
);

CREATE TABLE attempts (
    run_id      TEXT NOT NULL,
    step        TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    error       TEXT,
    PRIMARY KEY (run_id, step, attempt)
);

CREATE TABLE logs (
    id        INTEGER PRIMARY KEY,
    run_id    TEXT NOT NULL,
    step      TEXT NOT NULL,
    attempt   INTEGER NOT NULL,
    stream    TEXT NOT NULL,
    text      TEXT NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX logs_by_run ON logs(run_id, step, attempt);

CREATE TABLE step_memory (
    pipeline TEXT NOT NULL,
    step     TEXT NOT NULL,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (pipeline, step, key)
);

CREATE TABLE dead_letters (
    id            TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    pipeline      TEXT NOT NULL,
    pipeline_file TEXT NOT NULL,
    step          TEXT NOT NULL,
    target        TEXT NOT NULL,
    body          TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    delivered_at  TEXT
);
"#;

/// Version 6: the run-path tables keyed by their primary key alone (`WITHOUT ROWID`: one
/// B-tree each instead of a table plus its key index), `runs` indexed on `running` only
/// (what interrupted-run recovery looks for), `events` on `parent_id` only where there is
/// one. An effect-free run then dirties about half as many pages per commit. Child
/// tables first: `steps` referenced `runs`, which cannot be dropped under it.
pub(super) const COMPACT_RUN_TABLES: &str = r#"
CREATE TABLE steps_v6 (
    run_id      TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    config      TEXT,
    outputs     TEXT NOT NULL DEFAULT '{}',
    error       TEXT,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;
INSERT INTO steps_v6 SELECT run_id, idx, name, type, status, attempts, started_at, finished_at, config, outputs, error FROM steps;
DROP TABLE steps;
ALTER TABLE steps_v6 RENAME TO steps;

CREATE TABLE attempts_v6 (
    run_id      TEXT NOT NULL,
    step        TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    error       TEXT,
    PRIMARY KEY (run_id, step, attempt)
) WITHOUT ROWID;
INSERT INTO attempts_v6 SELECT run_id, step, attempt, status, started_at, finished_at, error FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_v6 RENAME TO attempts;

CREATE TABLE runs_v6 (
    id            TEXT PRIMARY KEY,
    pipeline      TEXT NOT NULL,
    pipeline_file TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    status        TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    error         TEXT,
    pid           INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO runs_v6 SELECT id, pipeline, pipeline_file, event_id, status, started_at, finished_at, error, pid FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v6 RENAME TO runs;
CREATE INDEX runs_by_pipeline ON runs(pipeline, started_at);
CREATE INDEX runs_by_event ON runs(event_id);
CREATE INDEX runs_running ON runs(status) WHERE status = 'running';

CREATE TABLE events_v6 (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    source       TEXT NOT NULL,
    timestamp    TEXT NOT NULL,
    parent_id    TEXT,
    replay_of    TEXT,
    payload      TEXT NOT NULL,
    depth        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO events_v6 SELECT id, type, workspace_id, source, timestamp, parent_id, replay_of, payload, depth FROM events;
DROP TABLE events;
ALTER TABLE events_v6 RENAME TO events;
CREATE INDEX events_by_type ON events(type, timestamp);
CREATE INDEX events_by_parent ON events(parent_id) WHERE parent_id IS NOT NULL;
"#;
