//! The state: one SQLite file, or a PostgreSQL database shared by a team. The only
//! module that knows SQL.
//!
//! `Store::open` creates the file on first use, sets WAL mode and a busy timeout
//! (so that two mockops processes can write at once), and migrates the schema
//! (`user_version`, see `migrations`). `Store::open_at` also takes a PostgreSQL URL
//! (`pg.rs` connects; the schema is migrated under an advisory lock). Both engines are
//! reached through one query layer (`db.rs`); each table group has its own file.

mod copy;
mod core_tables;
pub(crate) mod db;
mod dead_letters;
mod entities;
mod events;
mod exchange_keys;
pub mod exchanges;
mod exchanges_pg;
mod federation;
mod interned;
pub mod location;
mod name_cache;
mod pg;
mod pg_migrations;
#[cfg(test)]
mod pg_tests;
mod pg_tls;
mod runs;
mod snapshots;
mod status;
mod team;
pub(crate) mod values;

pub use dead_letters::DeadLetter;
pub use entities::{EntityVersion, Promotion};
pub use federation::{ActiveScenario, GatewayCounts, GatewayRun};
pub use runs::{AttemptRecord, LogRecord, RunRecord, StepRecord};
pub use snapshots::StoredSnapshot;
pub use status::{CopyReport, StateStatus};
pub use team::{CiRun, CiRunInfo, LabelColumn, RouteHits};
mod migrations;

pub use db::Engine;
use db::{params, Db};
pub use location::{Location, LocationError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What can go wrong with the state file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    // The wrapped errors are part of each message, not sources: printed as a chain, SQLite's
    // text would repeat ("malformed: malformed: Error code 11: … malformed").
    #[error("state file {}: {error}", path.display())]
    Open {
        path: PathBuf,
        error: rusqlite::Error,
    },
    #[error("state file {}: cannot create its folder: {error}", path.display())]
    CreateDir {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("state file {}: migration to schema version {version} failed: {error}", path.display())]
    Migrate {
        path: PathBuf,
        version: i64,
        error: rusqlite::Error,
    },
    #[error("state file {path} was written by a newer mockops (schema version {found}, this one knows {known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("state file {} is a folder, not a file", path.display())]
    Folder { path: PathBuf },
    #[error("state file {} is another application's database (it has tables but no mockops schema version): mockops leaves it alone", path.display())]
    Foreign { path: PathBuf },
    #[error("state file: {0}")]
    Sql(rusqlite::Error),
    /// The server is out of reach or refuses the command (down, wrong credentials, no
    /// such database, no permission): bad input, exit 2.
    #[error("PostgreSQL server {server}: {message}")]
    Server { server: String, message: String },
    #[error("PostgreSQL server {server}: migration to schema version {version} failed: {message}")]
    ServerMigrate {
        server: String,
        version: i64,
        message: String,
    },
    #[error("PostgreSQL server {server}: the database was written by a newer mockops (schema version {found}, this one knows {known})")]
    ServerTooNew {
        server: String,
        found: i64,
        known: i64,
    },
    /// A statement the server refused (`code`: its SQLSTATE).
    #[error("PostgreSQL server {server}: {message}")]
    Pg {
        server: String,
        code: Option<String>,
        message: String,
    },
    #[error(transparent)]
    Location(#[from] LocationError),
    #[error("state: {0}")]
    Column(String),
    #[error("state file: stored JSON is invalid: {0}")]
    Json(serde_json::Error),
    #[error("{0}")]
    NotFound(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open state.
pub struct Store {
    pub(crate) conn: Db,
    location: Location,
    /// Ids of interned exchange names this connection has seen (see `interned`).
    interned: interned::Interned,
}

impl Store {
    /// Opens (creating and migrating as needed) the state at `location` for writing.
    pub fn open_at(location: &Location) -> Result<Store> {
        match location {
            Location::File(path) => Store::open(path),
            Location::Postgres(url) => {
                let pg = pg::connect(url)?;
                let server = pg.server.name.clone();
                let conn = Db::Postgres(Box::new(std::cell::RefCell::new(pg)));
                migrations::migrate_postgres(&conn, &server)?;
                Ok(Store {
                    conn,
                    location: location.clone(),
                    interned: Default::default(),
                })
            }
        }
    }

    /// Opens the state at `location` to read it as it is: `None` when there is none yet
    /// (or it is older than this mockops, which only a write would migrate).
    pub fn open_read_only_at(location: &Location) -> Result<Option<Store>> {
        match location {
            Location::File(path) => Store::open_read_only(path),
            Location::Postgres(url) => {
                let pg = pg::connect(url)?;
                let server = pg.server.name.clone();
                let conn = Db::Postgres(Box::new(std::cell::RefCell::new(pg)));
                let known = migrations::latest_version();
                match migrations::postgres_version(&conn)? {
                    Some(found) if found > known => Err(StoreError::ServerTooNew {
                        server,
                        found,
                        known,
                    }),
                    Some(found) if found == known => Ok(Some(Store {
                        conn,
                        location: location.clone(),
                        interned: Default::default(),
                    })),
                    _ => Ok(None),
                }
            }
        }
    }

    /// Which engine holds the state.
    pub fn engine(&self) -> Engine {
        self.conn.engine()
    }

    /// Where the state is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Runs `f` inside one write transaction (SQLite: `BEGIN IMMEDIATE`, which takes the
    /// write lock). When PostgreSQL asks for the transaction to be retried (a deadlock or
    /// serialization failure among concurrent writers), it is rolled back and `f` runs
    /// again, so `f` must only write what it is given.
    pub fn write<T>(&self, mut f: impl FnMut(&Store) -> Result<T>) -> Result<T> {
        let mut tries = 0;
        loop {
            self.conn.begin()?;
            let result = f(self).and_then(|v| self.conn.commit().map(|()| v));
            match result {
                Ok(v) => return Ok(v),
                Err(e) => {
                    self.conn.rollback();
                    tries += 1;
                    if !e.is_retryable() || tries >= RETRIES {
                        return Err(e);
                    }
                    retry_pause(tries);
                }
            }
        }
    }

    /// Opens (creating and migrating as needed) the state file for writing.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|error| StoreError::CreateDir {
                    path: path.to_path_buf(),
                    error,
                })?;
            }
        }
        // Two processes may create or migrate the file at once: the loser of a lock
        // race gets SQLITE_BUSY without waiting (a read lock cannot be upgraded), so retry.
        let started = std::time::Instant::now();
        let conn = loop {
            match Self::open_once(path) {
                Ok(conn) => break conn,
                Err(e) if is_busy(&e) && started.elapsed() < Duration::from_secs(30) => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(e) => return Err(e),
            }
        };
        Ok(Store {
            conn: Db::Sqlite(conn),
            location: Location::File(path.to_path_buf()),
            interned: Default::default(),
        })
    }

    fn open_once(path: &Path) -> Result<Connection> {
        if path.is_dir() {
            return Err(StoreError::Folder {
                path: path.to_path_buf(),
            });
        }
        let mut conn = Connection::open(path).map_err(opening(path))?;
        refuse_foreign(&conn, path, user_version(&conn, path)?)?;
        configure(&conn).map_err(opening(path))?;
        // A file that is not a database (or is damaged) shows first here, reading its
        // schema version: name the file.
        migrations::migrate(&mut conn, path).map_err(|e| match e {
            StoreError::Sql(error) => opening(path)(error),
            other => other,
        })?;
        Ok(conn)
    }

    /// Opens an existing state file read-only; `None` when it does not exist yet.
    /// Read-only commands (`route`, `graph`, `list`, `validate`) use this and never write.
    pub fn open_read_only(path: &Path) -> Result<Option<Store>> {
        if !path.exists() {
            return Ok(None);
        }
        if path.is_dir() {
            return Err(StoreError::Folder {
                path: path.to_path_buf(),
            });
        }
        let read = |conn: Connection| -> Result<(Connection, i64)> {
            conn.busy_timeout(Duration::from_secs(10))?;
            let version = user_version(&conn, path)?;
            Ok((conn, version))
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let opened = Connection::open_with_flags(path, flags)
            .map_err(opening(path))
            .and_then(read);
        let (conn, version) = match opened {
            // Reading a WAL-mode file needs its `-shm` index, which SQLite cannot create in
            // a folder this user may not write to: read the file as it is on disk.
            Err(e) if e.is_read_only() => {
                let uri = format!("file:{}?immutable=1", uri_path(path));
                Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(opening(path))
                    .and_then(read)?
            }
            other => other?,
        };
        refuse_foreign(&conn, path, version)?;
        let known = migrations::latest_version();
        if version > known {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known,
            });
        }
        if version < known {
            // An old file: reading it through the current schema could fail; say nothing
            // is stored rather than migrate from a read-only command.
            return Ok(None);
        }
        Ok(Some(Store {
            conn: Db::Sqlite(conn),
            location: Location::File(path.to_path_buf()),
            interned: Default::default(),
        }))
    }

    /// An in-memory store, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrations::migrate(&mut conn, Path::new(":memory:"))?;
        Ok(Store {
            conn: Db::Sqlite(conn),
            location: Location::File(PathBuf::from(":memory:")),
            interned: Default::default(),
        })
    }

    /// The SQLite connection (tests and SQLite-only paths); `None` on PostgreSQL.
    pub(crate) fn sqlite(&self) -> Option<&Connection> {
        self.conn.sqlite()
    }

    /// Resolves a full id or a unique prefix of one in `table` (`what` names it in messages).
    pub(crate) fn resolve_prefix(
        &self,
        table: &'static str,
        what: &str,
        prefix: &str,
    ) -> Result<String> {
        // Ids are lowercase; SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
        let like = format!("{}%", prefix.replace(['%', '_'], "").to_ascii_lowercase());
        let ids: Vec<String> = self.conn.query_all(
            &format!("SELECT id FROM {table} WHERE id LIKE ?1 LIMIT 2"),
            params![like],
            |r| r.get(0),
        )?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(StoreError::NotFound(format!(
                "no {what} with id `{prefix}`"
            ))),
            _ => Err(StoreError::NotFound(format!(
                "{what} id `{prefix}` is ambiguous; give more characters"
            ))),
        }
    }

    /// Current schema version (SQLite: `user_version`; PostgreSQL: `mockops_schema`).
    pub fn schema_version(&self) -> Result<i64> {
        match &self.conn {
            Db::Sqlite(conn) => Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?),
            Db::Postgres(_) => Ok(migrations::postgres_version(&self.conn)?.unwrap_or(0)),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Sql(error)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Json(error)
    }
}

/// Tries of a transaction the engine asked to retry.
const RETRIES: u32 = 20;

/// A short, growing, jittered pause before retry `tries` (1-based).
fn retry_pause(tries: u32) {
    let jitter = (uuid::Uuid::now_v7().as_u128() % 1000) as u64;
    let base = 2u64 << tries.min(6);
    std::thread::sleep(Duration::from_micros(base * 1000 + jitter * base));
}

impl StoreError {
    /// The SQLSTATE of an error the PostgreSQL server reported.
    pub(crate) fn sqlstate(&self) -> Option<&str> {
        match self {
            StoreError::Pg { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The engine asked for the transaction to be tried again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Pg { code: Some(code), .. } if pg::is_retryable_code(code))
    }

    /// The file or its folder cannot be written by this process.
    pub fn is_read_only(&self) -> bool {
        match self {
            StoreError::Open { error, .. }
            | StoreError::Migrate { error, .. }
            | StoreError::Sql(error) => matches!(
                error.sqlite_error_code(),
                Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
            ),
            StoreError::CreateDir { error, .. } => {
                error.kind() == std::io::ErrorKind::PermissionDenied
            }
            _ => false,
        }
    }

    /// The state file itself is unusable (damaged, not a database, from a newer mockops,
    /// out of reach): bad input, exit 2, rather than a command that ran and failed.
    pub fn is_unusable_file(&self) -> bool {
        matches!(
            self,
            StoreError::Open { .. }
                | StoreError::Folder { .. }
                | StoreError::Foreign { .. }
                | StoreError::CreateDir { .. }
                | StoreError::Migrate { .. }
                | StoreError::TooNew { .. }
                | StoreError::Server { .. }
                | StoreError::ServerMigrate { .. }
                | StoreError::ServerTooNew { .. }
                | StoreError::Location(_)
        )
    }
}

/// `path` for a `file:` URI: `?` and `#` (and `%`) would end or escape the path part.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut uri = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri
}

/// A database with tables but no schema version is another application's (`--state`
/// pointed at the wrong file): checked before anything is set on the connection, since
/// even switching to WAL would rewrite its header.
fn refuse_foreign(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    if version != 0 {
        return Ok(());
    }
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(opening(path))?;
    if tables > 0 {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The schema version `path` was written with (0: none yet), read while opening it.
fn user_version(conn: &Connection, path: &Path) -> Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(opening(path))
}

/// Wraps an SQLite error met while opening `path`.
fn opening(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |error| StoreError::Open {
        path: path.to_path_buf(),
        error,
    }
}

fn is_busy(e: &StoreError) -> bool {
    let code = |s: &rusqlite::Error| s.sqlite_error_code();
    let busy = |c: Option<rusqlite::ErrorCode>| {
        matches!(
            c,
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    };
    match e {
        StoreError::Open { error, .. } | StoreError::Sql(error) => busy(code(error)),
        StoreError::Migrate { error, .. } => busy(code(error)),
        _ => false,
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/state.db");
        let first = Store::open(&path).unwrap();
        let v1 = first.schema_version().unwrap();
        drop(first);
        let second = Store::open(&path).unwrap();
        assert_eq!(second.schema_version().unwrap(), v1);
        assert_eq!(v1, migrations::latest_version());
        let mode: String = second
            .sqlite()
            .unwrap()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_path_with_uri_characters_stays_one_path() {
        assert_eq!(
            uri_path(Path::new("/tmp/a?b#c%d/state.db")),
            "/tmp/a%3fb%23c%25d/state.db"
        );
        // SQLite reads it back as the same file.
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("odd ?#% name");
        std::fs::create_dir(&folder).unwrap();
        let path = folder.join("state.db");
        drop(Store::open(&path).unwrap());
        let uri = format!("file:{}?immutable=1", uri_path(&path));
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(uri, flags).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, migrations::latest_version());
    }
}
