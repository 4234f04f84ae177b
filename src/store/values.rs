//! The values both engines share: [`Param`] (bound to a statement, built with
//! [`params!`]), [`Value`] (a column as read) with the [`Column`] conversions, and the
//! `?N` → `$N` rewrite for PostgreSQL. A leaf of the store: it knows neither engine's
//! connection.

/// A value bound to a statement.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Converts a Rust value to a [`Param`] (see [`params!`](crate::store::values::params)).
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
        &[$($crate::store::values::ToParam::param(&$value)),*][..]
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
