//! The PostgreSQL side of the query layer: connecting (TLS, timeouts, where the
//! password comes from), statements prepared once per connection, values, and the
//! translation of the server's errors into messages that name the server (never the
//! password) and say what to do.

use super::location::PgUrl;
pub use super::pg_tls::SslMode;
use super::values::{numbered_placeholders, Param, Value};
use super::{Result, StoreError};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, ToSql, Type};
use std::collections::HashMap;
use std::time::Duration;

/// Default `connect_timeout` (seconds) when the URL sets none.
pub const DEFAULT_CONNECT_TIMEOUT_S: u64 = 10;
/// Default `statement_timeout` when the URL sets none.
pub const DEFAULT_STATEMENT_TIMEOUT: &str = "5min";

/// An open connection with its prepared statements.
pub(crate) struct PgConn {
    client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
    pub(crate) server: Server,
    in_transaction: bool,
    /// The session lock that marks this process's runs as alive (see `runs.rs`).
    run_owner: Option<i64>,
    /// Exchange names this connection has seen (see `exchanges_pg.rs`).
    pub(crate) names: super::name_cache::NameCache,
}

/// Who and where, for messages.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    /// `host:port/database`.
    pub(crate) name: String,
    pub(crate) user: String,
    pub(crate) database: String,
}

impl Server {
    /// The server's error as a [`StoreError`] (see [`classify`]).
    pub(crate) fn error(&self, e: postgres::Error) -> StoreError {
        classify(e, &self.name, &self.user, &self.database, false)
    }
}

/// What mockops reads out of the URL itself; the rest goes to the client as it is.
struct Settings {
    rest: String,
    ssl_mode: SslMode,
    root_cert: Option<String>,
    statement_timeout: String,
}

fn settings(url: &PgUrl) -> Result<Settings> {
    let text = url.secret_text();
    let bad = |message: String| StoreError::Server {
        server: url.redacted().to_string(),
        message,
    };
    let (base, query) = text.split_once('?').unwrap_or((text, ""));
    let mut kept = Vec::new();
    let mut settings = Settings {
        rest: String::new(),
        ssl_mode: SslMode::Prefer,
        root_cert: None,
        statement_timeout: DEFAULT_STATEMENT_TIMEOUT.to_string(),
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match key {
            "sslmode" => {
                settings.ssl_mode = match value.as_str() {
                    "disable" => SslMode::Disable,
                    "allow" | "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(bad(format!(
                        "sslmode={other}: use disable, prefer, require, verify-ca or verify-full"
                    )))
                    }
                }
            }
            "sslrootcert" => settings.root_cert = Some(value),
            "statement_timeout" => settings.statement_timeout = value,
            _ => kept.push(pair),
        }
    }
    settings.rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok(settings)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Connects to the database `url` names.
pub(crate) fn connect(url: &PgUrl) -> Result<PgConn> {
    let settings = settings(url)?;
    let mut config: postgres::Config =
        settings
            .rest
            .parse()
            .map_err(|e: postgres::Error| StoreError::Server {
                server: url.redacted().to_string(),
                message: format!("not a usable PostgreSQL URL: {e}"),
            })?;
    if config.get_password().is_none() {
        if let Some(password) = std::env::var_os("PGPASSWORD") {
            config.password(password.to_string_lossy().as_bytes());
        }
    }
    if config.get_user().is_none() {
        if let Ok(user) = std::env::var("PGUSER") {
            config.user(&user);
        }
    }
    if config.get_hosts().is_empty() {
        config.host(&std::env::var("PGHOST").unwrap_or_else(|_| "localhost".into()));
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(DEFAULT_CONNECT_TIMEOUT_S));
    }
    if config.get_application_name().is_none() {
        config.application_name("mockops");
    }
    let user = config
        .get_user()
        .map(str::to_string)
        .unwrap_or_else(|| std::env::var("USER").unwrap_or_default());
    let database = config
        .get_dbname()
        .map(str::to_string)
        .unwrap_or_else(|| user.clone());
    let server = server_name(&config, &database);
    let conn = |e: postgres::Error| classify(e, &server, &user, &database, true);
    let client = match settings.ssl_mode {
        SslMode::Disable => {
            config.ssl_mode(postgres::config::SslMode::Disable);
            config.connect(postgres::NoTls).map_err(conn)?
        }
        mode => {
            let tls = super::pg_tls::client_config(mode, settings.root_cert.as_deref()).map_err(
                |message| StoreError::Server {
                    server: server.clone(),
                    message,
                },
            )?;
            config.ssl_mode(if mode == SslMode::Prefer {
                postgres::config::SslMode::Prefer
            } else {
                postgres::config::SslMode::Require
            });
            config
                .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
                .map_err(conn)?
        }
    };
    // The timeout is a `SET` after connecting, not the startup packet's `options`, which
    // connection poolers such as PgBouncer refuse ("unsupported startup parameter").
    let mut client = client;
    let timeout = settings.statement_timeout.replace(' ', "");
    client
        .batch_execute(&format!(
            "SET statement_timeout = '{}'",
            timeout.replace('\'', "''")
        ))
        .map_err(|e| match e.as_db_error() {
            Some(db) if db.code() == &postgres::error::SqlState::INVALID_PARAMETER_VALUE => {
                StoreError::Server {
                    server: server.clone(),
                    message: format!(
                        "statement_timeout={timeout} in the URL is not a duration the server accepts (write it like 30s, 5min or 1h)"
                    ),
                }
            }
            _ => conn(e),
        })?;
    Ok(PgConn {
        client,
        statements: HashMap::new(),
        server: Server {
            name: server,
            user,
            database,
        },
        in_transaction: false,
        run_owner: None,
        names: Default::default(),
    })
}

/// `host:port/database` of the first host (what messages name).
fn server_name(config: &postgres::Config, database: &str) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}/{database}")
}

impl PgConn {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(stmt) = self.statements.get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self
            .client
            .prepare(&numbered_placeholders(sql))
            .map_err(|e| self.error(e))?;
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn error(&self, e: postgres::Error) -> StoreError {
        self.server.error(e)
    }

    pub(crate) fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let stmt = self.statement(sql)?;
        let refs = refs(params);
        self.client.execute(&stmt, &refs).map_err(|e| self.error(e))
    }

    /// Runs statements without parameters in one round trip; keeps track of whether a
    /// transaction is open. A failed `BEGIN; …; COMMIT` is rolled back here.
    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        let result = self.client.batch_execute(sql).map_err(|e| self.error(e));
        let upper = sql
            .trim()
            .trim_end_matches(';')
            .trim_end()
            .to_ascii_uppercase();
        let opens = upper.starts_with("BEGIN");
        let closes = ["COMMIT", "ROLLBACK"]
            .iter()
            .any(|end| upper.ends_with(end) || upper.starts_with(end));
        match &result {
            Ok(()) if closes => self.in_transaction = false,
            Ok(()) if opens => self.in_transaction = true,
            Ok(()) => {}
            Err(_) if opens => {
                let _ = self.client.batch_execute("ROLLBACK");
                self.in_transaction = false;
            }
            Err(_) => {}
        }
        result
    }

    pub(crate) fn in_transaction(&self) -> bool {
        self.in_transaction
    }

    pub(crate) fn query_opt(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Option<postgres::Row>> {
        let stmt = self.statement(sql)?;
        let server = &self.server;
        let mut rows = self
            .client
            .query_raw(&stmt, params.iter().map(|p| p as &dyn ToSql))
            .map_err(|e| server.error(e))?;
        let first = rows.next().map_err(|e| server.error(e))?;
        // The rest of the rows are dropped with the iterator.
        Ok(first)
    }

    pub(crate) fn query_each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        visit: &mut dyn FnMut(&postgres::Row) -> Result<()>,
    ) -> Result<()> {
        let stmt = self.statement(sql)?;
        let server = &self.server;
        let fail = |e| server.error(e);
        let mut rows = self
            .client
            .query_raw(&stmt, params.iter().map(|p| p as &dyn ToSql))
            .map_err(fail)?;
        while let Some(row) = rows.next().map_err(fail)? {
            visit(&row)?;
        }
        Ok(())
    }

    /// The client (for COPY) and what names the server in errors.
    pub(crate) fn client(&mut self) -> (&mut postgres::Client, &Server) {
        (&mut self.client, &self.server)
    }

    /// The key of the session-level advisory lock this connection holds while it owns
    /// `running` runs, taken on first use.
    pub(crate) fn run_owner(&mut self) -> Result<i64> {
        if let Some(key) = self.run_owner {
            return Ok(key);
        }
        // 62 random bits of a UUIDv7: positive, and unique across machines in practice.
        let key = (uuid::Uuid::now_v7().as_u128() as i64) & ((1 << 62) - 1);
        let key = key.max(1);
        self.query_opt("SELECT pg_advisory_lock(?1)", &[Param::Int(key)])?;
        self.run_owner = Some(key);
        Ok(key)
    }

    /// The lock this connection took with [`PgConn::run_owner`], if any.
    pub(crate) fn own_run_owner(&self) -> Option<i64> {
        self.run_owner
    }
}

fn refs<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

/// Reads column `i` of a PostgreSQL row as a [`Value`].
pub(crate) fn value(row: &postgres::Row, i: usize) -> Result<Value<'_>> {
    let Some(column) = row.columns().get(i) else {
        return Err(StoreError::Column(format!("no column {i}")));
    };
    let get_err = |e: postgres::Error| StoreError::Column(format!("column {i}: {e}"));
    Ok(match *column.type_() {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::OID => row
            .try_get::<_, Option<u32>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Real(v.into())),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Blob),
        _ => row
            .try_get::<_, Option<&str>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Text),
    })
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::BOOL => (v != 0).to_sql(ty, out),
                Type::FLOAT8 => (v as f64).to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound as {ty}").into()),
            },
            Param::Real(v) => match *ty {
                Type::FLOAT4 => (v as f32).to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Param::Text(v) => v.to_sql(ty, out),
            Param::Blob(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// SQLSTATEs the engine asks the client to retry the transaction on.
pub(crate) fn is_retryable_code(code: &str) -> bool {
    matches!(code, "40001" | "40P01")
}

/// The server's error as a message that names it and says what to do.
pub(crate) fn classify(
    e: postgres::Error,
    server: &str,
    user: &str,
    database: &str,
    connecting: bool,
) -> StoreError {
    let unusable = |message: String| StoreError::Server {
        server: server.to_string(),
        message,
    };
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return match code {
            "28P01" | "28000" => unusable(format!(
                "authentication failed for user `{user}` ({}): check the user and the password (PGPASSWORD, or the URL given with --state or MOCKOPS_STATE)",
                db.message()
            )),
            "3D000" => unusable(format!(
                "database `{database}` does not exist: create it (createdb {database}, or CREATE DATABASE {database}) or fix the URL"
            )),
            "42501" => unusable(format!(
                "permission denied ({}): user `{user}` needs to create tables in database `{database}` the first time (GRANT CREATE ON SCHEMA public TO {user}), and to read and write mockops's tables after",
                db.message()
            )),
            "57P01" | "57P02" | "57P03" | "53300" => unusable(format!(
                "the server cannot serve the command now: {}",
                db.message()
            )),
            // mockops prepares each statement once per connection and keeps session
            // locks: a pooler that hands each transaction to another server session
            // (PgBouncer's transaction or statement mode) mixes up statement names.
            "42P05" | "26000" => unusable(format!(
                "the server session changed under the connection ({}): is a connection pooler in transaction or statement mode in between? mockops needs one session per connection (PgBouncer: pool_mode = session)",
                db.message()
            )),
            "57014" => unusable(format!(
                "a statement ran longer than its statement_timeout ({}): raise it with statement_timeout= in the URL",
                db.message()
            )),
            // Refused while connecting for a reason without a code of its own (a pooler
            // in between relays the server's refusals under a generic one): the command
            // cannot run at all, as when the server is down.
            _ if connecting => unusable(format!("cannot connect: {}", db.message())),
            _ => StoreError::Pg {
                server: server.to_string(),
                code: Some(code.to_string()),
                message: db.message().to_string(),
            },
        };
    }
    let io = io_cause(&e);
    if connecting {
        let reason = match io {
            Some(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                "no answer within the connect_timeout (set connect_timeout= in the URL, in seconds)"
                    .to_string()
            }
            Some(io) => format!("{io}"),
            None => e.to_string(),
        };
        return unusable(format!(
            "cannot connect: {reason}: is the server running, and are host and port right?"
        ));
    }
    if e.is_closed() || io.is_some() {
        return unusable(format!(
            "the connection to the server was lost ({}): what was committed before stays; run the command again",
            io.map(|io| io.to_string())
                .unwrap_or_else(|| "closed".into())
        ));
    }
    StoreError::Pg {
        server: server.to_string(),
        code: None,
        message: e.to_string(),
    }
}

fn io_cause(e: &postgres::Error) -> Option<&std::io::Error> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        cause = c.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::location::Location;
    use std::path::Path;

    fn url(text: &str) -> PgUrl {
        match Location::parse(text, Path::new("/")).unwrap() {
            Location::Postgres(url) => url,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn mockops_reads_its_own_parameters_and_passes_the_rest() {
        let s = settings(&url(
            "postgres://u:p@h/db?sslmode=verify-full&connect_timeout=3&sslrootcert=%2Fetc%2Fssl%2Fteam-ca.pem&statement_timeout=30s",
        ))
        .unwrap();
        assert_eq!(s.ssl_mode, SslMode::VerifyFull);
        assert_eq!(s.root_cert.as_deref(), Some("/etc/ssl/team-ca.pem"));
        assert_eq!(s.statement_timeout, "30s");
        assert_eq!(s.rest, "postgres://u:p@h/db?connect_timeout=3");
        let s = settings(&url("postgres://h/db")).unwrap();
        assert_eq!(s.ssl_mode, SslMode::Prefer);
        assert_eq!(s.statement_timeout, DEFAULT_STATEMENT_TIMEOUT);
        let e = settings(&url("postgres://u:secret@h/db?sslmode=sometimes"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("sslmode=sometimes") && !e.contains("secret"),
            "{e}"
        );
    }
}
