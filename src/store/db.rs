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
pub(crate) use super::values::{params, Column, Owned, Param, ToParam, Value};
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
