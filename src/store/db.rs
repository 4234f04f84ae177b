//! One query layer over the two engines: an SQLite connection or a PostgreSQL client.
//!
//! Every table file writes its SQL once, in the subset both engines accept (`?N`
//! placeholders, `INSERT … ON CONFLICT`, `RETURNING`, `IS NOT DISTINCT FROM`,
//! `CAST(?N AS …)` where PostgreSQL cannot infer a parameter's type), binds [`Param`]s
//! and reads columns through [`Row::get`]. For PostgreSQL each statement is rewritten
//! (`?N` → `$N`) and prepared once per connection. Values cross as one small type,
//! so an integer binds to `BIGINT`, `INTEGER` or `BOOLEAN` alike, and reads back from any
//! of them. SQL that must differ between the engines asks [`Db::engine`] and is marked
//! `Dialect:` where it is written.

use super::pg::PgConn;
use super::{Result, StoreError};
use std::cell::RefCell;

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// An open connection.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    /// The sync client needs `&mut` for every call; the store hands out `&self`.
    Postgres(Box<RefCell<PgConn>>),
}

/// A value bound to a statement.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Converts a Rust value to a [`Param`] (see [`params!`](crate::store::db::params)).
pub(crate) trait ToParam {
    fn param(&self) -> Param<'_>;
}

macro_rules! int_params {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn param(&self) -> Param<'_> {
                Param::Int(*self as i64)
            }
        }
    )*};
}
int_params!(i64, i32, u32, u16, u8, usize, u64);

impl ToParam for bool {
    fn param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}
impl ToParam for f64 {
    fn param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}
impl ToParam for str {
    fn param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for String {
    fn param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for [u8] {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl ToParam for Vec<u8> {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<const N: usize> ToParam for [u8; N] {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<T: ToParam + ?Sized> ToParam for &T {
    fn param(&self) -> Param<'_> {
        (**self).param()
    }
}
impl<T: ToParam> ToParam for Option<T> {
    fn param(&self) -> Param<'_> {
        self.as_ref().map_or(Param::Null, ToParam::param)
    }
}
impl ToParam for Param<'_> {
    fn param(&self) -> Param<'_> {
        *self
    }
}

/// `params![a, b, …]`: a slice of [`Param`]s borrowed from the values.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::store::db::ToParam::param(&$value)),*][..]
    };
}
pub(crate) use params;

/// A column value as read, borrowed from the row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A Rust type a column converts to.
pub(crate) trait Column: Sized {
    fn from_value(value: Value<'_>) -> Option<Self>;
}

macro_rules! int_columns {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_value(value: Value<'_>) -> Option<Self> {
                match value {
                    Value::Int(v) => <$t>::try_from(v).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
int_columns!(i64, i32, u32, u16, u64, usize);

impl Column for bool {
    fn from_value(value: Value<'_>) -> Option<Self> {
        match value {
            Value::Int(v) => Some(v != 0),
            _ => None,
        }
    }
}
impl Column for f64 {
    fn from_value(value: Value<'_>) -> Option<Self> {
        match value {
            Value::Real(v) => Some(v),
            Value::Int(v) => Some(v as f64),
            _ => None,
        }
    }
}
impl Column for String {
    fn from_value(value: Value<'_>) -> Option<Self> {
        match value {
            Value::Text(v) => Some(v.to_string()),
            _ => None,
        }
    }
}
impl Column for Vec<u8> {
    fn from_value(value: Value<'_>) -> Option<Self> {
        match value {
            Value::Blob(v) => Some(v.to_vec()),
            _ => None,
        }
    }
}
impl<T: Column> Column for Option<T> {
    fn from_value(value: Value<'_>) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A column value owned (for copying rows between databases).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Owned {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Column for Owned {
    fn from_value(value: Value<'_>) -> Option<Self> {
        Some(match value {
            Value::Null => Owned::Null,
            Value::Int(v) => Owned::Int(v),
            Value::Real(v) => Owned::Real(v),
            Value::Text(v) => Owned::Text(v.to_string()),
            Value::Blob(v) => Owned::Blob(v.to_vec()),
        })
    }
}

impl ToParam for Owned {
    fn param(&self) -> Param<'_> {
        match self {
            Owned::Null => Param::Null,
            Owned::Int(v) => Param::Int(*v),
            Owned::Real(v) => Param::Real(*v),
            Owned::Text(v) => Param::Text(v),
            Owned::Blob(v) => Param::Blob(v),
        }
    }
}

/// One row of a result, from either engine.
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// Column `i` as `T`; a column of another type is an error naming it.
    pub(crate) fn get<T: Column>(&self, i: usize) -> Result<T> {
        let value = match self {
            Row::Sqlite(row) => {
                use rusqlite::types::ValueRef;
                match row.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(v) => Value::Text(std::str::from_utf8(v).map_err(|_| {
                        StoreError::Column(format!("column {i} is not valid UTF-8"))
                    })?),
                    ValueRef::Blob(v) => Value::Blob(v),
                }
            }
            Row::Postgres(row) => super::pg::value(row, i)?,
        };
        T::from_value(value).ok_or_else(|| {
            StoreError::Column(format!(
                "column {i} holds {value:?}, not a {}",
                std::any::type_name::<T>()
            ))
        })
    }
}

impl Db {
    pub(crate) fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, for SQLite-only paths (PRAGMAs, the row-by-row ingest).
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Some(conn),
            Db::Postgres(_) => None,
        }
    }

    pub(crate) fn pg(&self) -> Option<std::cell::RefMut<'_, PgConn>> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(pg) => Some(pg.borrow_mut()),
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        match self {
            Db::Sqlite(conn) => Ok(conn
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(params))?
                as u64),
            Db::Postgres(pg) => pg.borrow_mut().execute(sql, params),
        }
    }

    /// Runs statements without parameters (DDL, session settings).
    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => pg.borrow_mut().batch(sql),
        }
    }

    /// Visits each row of a query as it arrives (no result set is held in memory).
    pub(crate) fn query_each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut visit: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        match self {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                while let Some(row) = rows.next()? {
                    visit(&Row::Sqlite(row))?;
                }
                Ok(())
            }
            Db::Postgres(pg) => pg
                .try_borrow_mut()
                .map_err(|_| StoreError::Column("a query ran inside another's rows".into()))?
                .query_each(sql, params, &mut |row| visit(&Row::Postgres(row))),
        }
    }

    /// Every row, converted by `f`.
    pub(crate) fn query_all<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.query_each(sql, params, |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, if any.
    pub(crate) fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        match self {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                match rows.next()? {
                    Some(row) => Ok(Some(f(&Row::Sqlite(row))?)),
                    None => Ok(None),
                }
            }
            Db::Postgres(pg) => {
                let row = pg.borrow_mut().query_opt(sql, params)?;
                row.map(|row| f(&Row::Postgres(&row))).transpose()
            }
        }
    }

    /// The first row; a query that returns none is an error.
    pub(crate) fn query_one<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| StoreError::Column(format!("no row from `{sql}`")))
    }

    /// Starts a write transaction (SQLite takes the write lock at once).
    pub(crate) fn begin(&self) -> Result<()> {
        match self {
            // Cached statements: parsing BEGIN and COMMIT anew cost more than a small commit.
            Db::Sqlite(conn) => {
                conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
                Ok(())
            }
            Db::Postgres(pg) => pg.borrow_mut().batch("BEGIN"),
        }
    }

    /// Starts a read transaction that sees one snapshot throughout.
    pub(crate) fn begin_snapshot(&self) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch("BEGIN")?),
            // Dialect: READ COMMITTED (the default) takes a new snapshot per statement.
            Db::Postgres(pg) => pg
                .borrow_mut()
                .batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
        }
    }

    pub(crate) fn commit(&self) -> Result<()> {
        match self {
            Db::Sqlite(conn) => {
                conn.prepare_cached("COMMIT")?.execute([])?;
                Ok(())
            }
            Db::Postgres(pg) => pg.borrow_mut().batch("COMMIT"),
        }
    }

    /// Rolls back the open transaction, if any; errors are dropped (it is cleanup).
    pub(crate) fn rollback(&self) {
        if self.in_transaction() {
            let _ = self.batch("ROLLBACK");
        }
    }

    /// Whether a transaction is open.
    pub(crate) fn in_transaction(&self) -> bool {
        match self {
            Db::Sqlite(conn) => !conn.is_autocommit(),
            Db::Postgres(pg) => pg.borrow().in_transaction(),
        }
    }
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(v) => ValueRef::Integer(v),
            Param::Real(v) => ValueRef::Real(v),
            Param::Text(v) => ValueRef::Text(v.as_bytes()),
            Param::Blob(v) => ValueRef::Blob(v),
        }))
    }
}

/// `?N` → `$N` outside quoted text, for PostgreSQL.
pub(crate) fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered_placeholders("SELECT '?1', \"a?\" FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1', \"a?\" FROM t WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn values_convert_across_types() {
        assert_eq!(u32::from_value(Value::Int(7)), Some(7));
        assert_eq!(u32::from_value(Value::Int(-1)), None);
        assert_eq!(bool::from_value(Value::Int(1)), Some(true));
        assert_eq!(Option::<String>::from_value(Value::Null), Some(None));
        assert_eq!(String::from_value(Value::Int(1)), None);
        assert_eq!(f64::from_value(Value::Int(2)), Some(2.0));
    }
}
