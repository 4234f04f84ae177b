//! Placeholder until the core tables land.
pub(super) const MIGRATION: &str = "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);";
