//! Where the state lives: an SQLite file, or a PostgreSQL database named by a URL.
//!
//! Parsing a location touches nothing PostgreSQL-related beyond reading the text, so a
//! command on a file pays nothing for the second engine. The password of a URL stays
//! inside [`PgUrl`]: everything shown (`Display`, messages) is the redacted form.

use std::fmt;
use std::path::{Path, PathBuf};

/// The schemes that name a PostgreSQL database.
pub const PG_SCHEMES: [&str; 2] = ["postgres", "postgresql"];

/// The state's location.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL database.
    Postgres(PgUrl),
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "File({})", path.display()),
            Location::Postgres(url) => write!(f, "Postgres({url})"),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => write!(f, "{url}"),
        }
    }
}

/// A location that cannot be used as written (bad input, exit 2).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct LocationError(pub String);

/// A `postgres://` URL. The text given is kept (the client parses it); what is shown is
/// [`PgUrl::redacted`].
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    url: String,
    redacted: String,
    has_password: bool,
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl PgUrl {
    /// The URL as given, password included: only for the client.
    pub(crate) fn secret_text(&self) -> &str {
        &self.url
    }

    /// The URL without its password.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// Whether the URL itself holds a password.
    pub fn has_password(&self) -> bool {
        self.has_password
    }
}

impl Location {
    /// Parses `text`: a URL with a scheme (only `postgres://` and `postgresql://` are
    /// accepted), else a file path, relative to `base`.
    pub fn parse(text: &str, base: &Path) -> Result<Location, LocationError> {
        match scheme_of(text) {
            Some(scheme) if PG_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) => {
                Ok(Location::Postgres(PgUrl::parse(text)?))
            }
            Some(scheme) => Err(LocationError(format!(
                "state `{}`: unknown scheme `{scheme}://`: use postgres:// or postgresql:// for PostgreSQL, or a file path for SQLite",
                redact(text).0
            ))),
            None => {
                let path = Path::new(text);
                Ok(Location::File(if path.is_absolute() {
                    path.to_path_buf()
                } else {
                    base.join(path)
                }))
            }
        }
    }

    /// The file, for an SQLite state.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    /// Whether the state already exists (a URL: assumed, the server is asked later).
    pub fn exists(&self) -> bool {
        match self {
            Location::File(path) => path.exists(),
            Location::Postgres(_) => true,
        }
    }
}

impl PgUrl {
    fn parse(text: &str) -> Result<PgUrl, LocationError> {
        let (redacted, has_password) = redact(text);
        Ok(PgUrl {
            url: text.to_string(),
            redacted,
            has_password,
        })
    }
}

/// `scheme` of `scheme://…`, when `text` starts like a URL (letters, digits, `+-.`).
fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// The URL without the password of its user-info part (`user:secret@` → `user@`) and
/// without a `password=` query parameter; whether it had one.
fn redact(text: &str) -> (String, bool) {
    let Some((scheme, rest)) = text.split_once("://") else {
        return (text.to_string(), false);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let mut has_password = false;
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => match userinfo.split_once(':') {
            Some((user, _)) => {
                has_password = true;
                format!("{user}@{hosts}")
            }
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|pair| {
                    let secret = pair
                        .split('=')
                        .next()
                        .is_some_and(|key| key.eq_ignore_ascii_case("password"));
                    has_password |= secret;
                    !secret
                })
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    (format!("{scheme}://{authority}{tail}"), has_password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_are_told_apart() {
        let base = Path::new("/p");
        assert_eq!(
            Location::parse("state.db", base).unwrap(),
            Location::File("/p/state.db".into())
        );
        assert_eq!(
            Location::parse("/abs/s.db", base).unwrap(),
            Location::File("/abs/s.db".into())
        );
        for url in [
            "postgres://u@h/db",
            "postgresql://u@h:5433/db?sslmode=require",
        ] {
            let Location::Postgres(pg) = Location::parse(url, base).unwrap() else {
                panic!("{url}")
            };
            assert_eq!(pg.redacted(), url);
            assert!(!pg.has_password());
        }
        let message = Location::parse("postgress://u:hunter2@h/db", base)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("unknown scheme `postgress://`"),
            "{message}"
        );
        assert!(
            message.contains("postgres:// or postgresql://"),
            "{message}"
        );
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn the_password_never_shows() {
        let Location::Postgres(pg) = Location::parse(
            "postgres://me:s3cret@db.example:5432/team?password=x2&sslmode=require",
            Path::new("/"),
        )
        .unwrap() else {
            panic!()
        };
        assert!(pg.has_password());
        assert_eq!(
            pg.redacted(),
            "postgres://me@db.example:5432/team?sslmode=require"
        );
        assert_eq!(format!("{pg}"), pg.redacted());
        assert!(pg.secret_text().contains("s3cret"));
        let shown = format!("{:?}", Location::Postgres(pg));
        assert!(
            !shown.contains("s3cret") && !shown.contains("x2"),
            "{shown}"
        );
    }
}
