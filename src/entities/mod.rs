//! Entities — scenarios, personas and configs per environment (docs/project.md) — and the
//! `publish` / `promote` operations. Files are copied byte for byte, atomically.

use crate::events::Event;
use crate::store::{EntityVersion, Promotion, Store, StoreError};
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The three kinds of entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EntityKind {
    Scenario,
    Persona,
    Config,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Scenario => "scenario",
            EntityKind::Persona => "persona",
            EntityKind::Config => "config",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        match s {
            "scenario" => Some(EntityKind::Scenario),
            "persona" => Some(EntityKind::Persona),
            "config" => Some(EntityKind::Config),
            _ => None,
        }
    }
}

/// Why a publish or promotion was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    #[error("invalid {what} `{id}`: use [a-z0-9][a-z0-9._-]* (no `..` or `/`)")]
    InvalidId { what: &'static str, id: String },
    #[error("unknown environment `{env}`; environments are {known}")]
    UnknownEnvironment { env: String, known: String },
    #[error("{kind} `{id}` not found in environment `{env}` ({path})")]
    Missing {
        kind: &'static str,
        id: String,
        env: String,
        path: String,
    },
    #[error("cannot promote backwards or sideways from `{from}` to `{to}` (order: {order}); use --force")]
    Backwards {
        from: String,
        to: String,
        order: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("version `{version}` of {kind} `{id}` already exists with other content")]
    VersionTaken {
        kind: &'static str,
        id: String,
        version: String,
    },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EntityError {
    /// Bad input (exit 2) rather than a failed operation.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, EntityError::Io { .. } | EntityError::Store(_))
    }
}

/// `environments/<env>/<kind>s/<id>.yaml`
pub fn entity_path(root: &Path, env: &str, kind: EntityKind, id: &str) -> PathBuf {
    root.join("environments")
        .join(env)
        .join(format!("{}s", kind.as_str()))
        .join(format!("{id}.yaml"))
}

/// `sha256:<hex>` of bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

fn check_id(what: &'static str, id: &str) -> Result<(), EntityError> {
    if crate::entity_id_is_valid(id) {
        Ok(())
    } else {
        Err(EntityError::InvalidId {
            what,
            id: id.into(),
        })
    }
}

fn check_env(envs: &[String], env: &str) -> Result<usize, EntityError> {
    check_id("environment", env)?;
    envs.iter()
        .position(|e| e == env)
        .ok_or_else(|| EntityError::UnknownEnvironment {
            env: env.into(),
            known: envs.join(", "),
        })
}

/// Reads an entity file: its bytes, its `name` and its id (`id` field, else file stem).
pub fn read_entity(path: &Path) -> Result<(Vec<u8>, String, String), EntityError> {
    let bytes = std::fs::read(path)
        .map_err(|e| EntityError::Invalid(format!("{}: cannot read: {e}", path.display())))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| EntityError::Invalid(format!("{}: not UTF-8 text", path.display())))?;
    let doc: Value =
        crate::yamlfile::parse(path, text).map_err(|e| EntityError::Invalid(e.to_string()))?;
    let Value::Object(map) = doc else {
        return Err(EntityError::Invalid(format!(
            "{}: an entity must be a map with at least `name`",
            path.display()
        )));
    };
    let name = match map.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() => n.clone(),
        _ => {
            return Err(EntityError::Invalid(format!(
                "{}: an entity needs a `name`",
                path.display()
            )))
        }
    };
    let id = match map.get("id") {
        Some(Value::String(id)) => id.clone(),
        Some(other) => {
            return Err(EntityError::Invalid(format!(
                "{}: `id` must be a string, got {other}",
                path.display()
            )))
        }
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    check_id("entity id", &id)?;
    Ok((bytes, name, id))
}

/// Writes `bytes` to `path` atomically: a temp file in the same folder, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EntityError> {
    let io = |e: std::io::Error| EntityError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let dir = path
        .parent()
        .ok_or_else(|| EntityError::Invalid(format!("{}: no parent folder", path.display())))?;
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// What `publish` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Published {
    pub entity_type: String,
    pub entity_id: String,
    pub name: String,
    pub version: String,
    pub hash: String,
    pub environment: String,
    pub path: String,
    /// Identical content was already published: nothing was recorded or emitted.
    pub unchanged: bool,
}

/// A version given to `publish`: `1`, `2.1.0`, `v3-rc.1+build` (a letter or digit, then
/// letters, digits and `.`, `_`, `+`, `-`; at most 64). It is shown in tables, events and
/// file listings, so no spaces, slashes or control characters.
fn check_version(version: &str) -> Result<(), EntityError> {
    let ok = version.len() <= 64
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'));
    if ok {
        return Ok(());
    }
    Err(EntityError::Invalid(format!(
        "invalid --version `{version}`: use a letter or digit, then letters, digits, `.`, `_`, `+` or `-` (at most 64), e.g. 2.1.0"
    )))
}

/// Records a new version of the entity in `file`, copies it to `env` and returns the
/// `*.published` event to dispatch (none when the content was already published).
#[allow(clippy::too_many_arguments)]
pub fn publish(
    store: &Store,
    root: &Path,
    envs: &[String],
    kind: EntityKind,
    file: &Path,
    env: Option<&str>,
    version: Option<&str>,
    workspace: &str,
    now: DateTime<Utc>,
) -> Result<(Published, Option<Event>), EntityError> {
    if kind == EntityKind::Config {
        return Err(EntityError::Invalid(
            "configs are promoted, not published (publish scenario|persona)".into(),
        ));
    }
    let env = env
        .map(str::to_string)
        .or_else(|| envs.first().cloned())
        .unwrap_or_else(|| "dev".into());
    check_env(envs, &env)?;
    if let Some(version) = version {
        check_version(version)?;
    }
    let (bytes, name, id) = read_entity(file)?;
    let hash = content_hash(&bytes);
    let dest = entity_path(root, &env, kind, &id);
    let rel = dest
        .strip_prefix(root)
        .unwrap_or(&dest)
        .to_string_lossy()
        .replace('\\', "/");
    let latest = store.latest_entity_version(kind.as_str(), &id)?;
    if let Some(l) = &latest {
        if l.hash == hash && version.is_none_or(|v| v == l.version) && dest.exists() {
            let published = Published {
                entity_type: kind.as_str().into(),
                entity_id: id,
                name,
                version: l.version.clone(),
                hash,
                environment: env,
                path: rel,
                unchanged: true,
            };
            return Ok((published, None));
        }
    }
    let seq = latest.as_ref().map(|l| l.seq + 1).unwrap_or(1);
    let version = match version {
        Some(v) => {
            if store.entity_version_exists(kind.as_str(), &id, v)? {
                return Err(EntityError::VersionTaken {
                    kind: kind.as_str(),
                    id,
                    version: v.into(),
                });
            }
            v.to_string()
        }
        None => {
            let mut n = seq;
            while store.entity_version_exists(kind.as_str(), &id, &n.to_string())? {
                n += 1;
            }
            n.to_string()
        }
    };
    let same_file = file.canonicalize().ok() == dest.canonicalize().ok();
    if !same_file {
        write_atomic(&dest, &bytes)?;
    }
    let v = EntityVersion {
        version: version.clone(),
        hash: hash.clone(),
        seq,
    };
    store.write(|s| s.insert_entity_version(kind.as_str(), &id, &v, &env, now))?;
    let mut payload = Map::new();
    payload.insert(format!("{}_id", kind.as_str()), json!(id));
    payload.insert(format!("{}_name", kind.as_str()), json!(name));
    payload.insert("version".into(), json!(version));
    payload.insert("environment".into(), json!(env));
    payload.insert("hash".into(), json!(hash));
    payload.insert("path".into(), json!(rel));
    let event = Event::new(
        &format!("{}.published", kind.as_str()),
        workspace,
        "publish",
        payload,
        now,
    );
    Ok((
        Published {
            entity_type: kind.as_str().into(),
            entity_id: id,
            name,
            version,
            hash,
            environment: env,
            path: rel,
            unchanged: false,
        },
        Some(event),
    ))
}

/// A promotion request.
pub struct PromoteRequest<'a> {
    pub kind: EntityKind,
    pub id: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub force: bool,
    pub comment: Option<&'a str>,
    pub version: Option<&'a str>,
}

/// Copies an entity to the next environment, recording `pending → completed|failed`.
/// Returns the promotion and the payload of `promotion.completed` (when completed).
pub fn promote(
    store: &Store,
    root: &Path,
    envs: &[String],
    req: &PromoteRequest<'_>,
    now: DateTime<Utc>,
) -> Result<(Promotion, Map<String, Value>), EntityError> {
    check_id("entity id", req.id)?;
    let from_idx = check_env(envs, req.from)?;
    let to_idx = check_env(envs, req.to)?;
    if to_idx <= from_idx && !req.force {
        return Err(EntityError::Backwards {
            from: req.from.into(),
            to: req.to.into(),
            order: envs.join(" → "),
        });
    }
    if req.from == req.to {
        return Err(EntityError::Invalid(format!(
            "cannot promote from `{}` to itself",
            req.from
        )));
    }
    let src = entity_path(root, req.from, req.kind, req.id);
    if !src.is_file() {
        return Err(EntityError::Missing {
            kind: req.kind.as_str(),
            id: req.id.into(),
            env: req.from.into(),
            path: src.strip_prefix(root).unwrap_or(&src).display().to_string(),
        });
    }
    let bytes = std::fs::read(&src).map_err(|e| EntityError::Io {
        path: src.display().to_string(),
        message: e.to_string(),
    })?;
    let hash = content_hash(&bytes);
    let kind = req.kind.as_str();
    let version = match req.version {
        Some(v) => v.to_string(),
        None => match store.entity_version_by_hash(kind, req.id, &hash)? {
            Some(v) => v.version,
            None => {
                // content never published: record it as a new version
                let latest = store.latest_entity_version(kind, req.id)?;
                let seq = latest.map(|l| l.seq + 1).unwrap_or(1);
                let mut n = seq;
                while store.entity_version_exists(kind, req.id, &n.to_string())? {
                    n += 1;
                }
                let v = EntityVersion {
                    version: n.to_string(),
                    hash: hash.clone(),
                    seq,
                };
                store.write(|s| s.insert_entity_version(kind, req.id, &v, req.from, now))?;
                v.version
            }
        },
    };
    let mut promotion = Promotion {
        id: crate::events::new_id(),
        entity_type: kind.into(),
        entity_id: req.id.into(),
        from_environment: req.from.into(),
        to_environment: req.to.into(),
        version: version.clone(),
        status: "pending".into(),
        created_at: now,
        hash: hash.clone(),
        comment: req.comment.map(str::to_string),
        error: None,
    };
    store.write(|s| s.insert_promotion(&promotion))?;
    let dest = entity_path(root, req.to, req.kind, req.id);
    match write_atomic(&dest, &bytes) {
        Ok(()) => {
            store.write(|s| {
                s.finish_promotion(&promotion.id, "completed", None, chrono::Utc::now())
            })?;
            promotion.status = "completed".into();
        }
        Err(e) => {
            let msg = e.to_string();
            store.write(|s| {
                s.finish_promotion(&promotion.id, "failed", Some(&msg), chrono::Utc::now())
            })?;
            return Err(e);
        }
    }
    let payload = json!({
        "promotion_id": promotion.id, "entity_type": kind, "entity_id": req.id,
        "from_environment": req.from, "to_environment": req.to, "version": version, "hash": hash,
        "comment": req.comment,
    });
    Ok((promotion, payload.as_object().cloned().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envs() -> Vec<String> {
        vec!["dev".into(), "test".into(), "prod".into()]
    }

    #[test]
    fn publish_versions_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let file = dir.path().join("checkout.yaml");
        std::fs::write(&file, "name: Checkout happy path\nsteps: []\n").unwrap();
        let now = Utc::now();
        let run = || {
            publish(
                &store,
                dir.path(),
                &envs(),
                EntityKind::Scenario,
                &file,
                None,
                None,
                "w",
                now,
            )
            .unwrap()
        };
        let (p1, e1) = run();
        assert_eq!((p1.version.as_str(), p1.unchanged), ("1", false));
        let ev = e1.unwrap();
        assert_eq!(ev.event_type, "scenario.published");
        crate::events::check_payload(&ev.event_type, &ev.payload).unwrap();
        let copied = entity_path(dir.path(), "dev", EntityKind::Scenario, "checkout");
        assert_eq!(
            std::fs::read(&copied).unwrap(),
            std::fs::read(&file).unwrap()
        );
        let (p2, e2) = run();
        assert!(p2.unchanged && e2.is_none());
        std::fs::write(&file, "name: Checkout happy path\nsteps: [a]\n").unwrap();
        let (p3, _) = run();
        assert_eq!(p3.version, "2");
    }

    #[test]
    fn a_given_version_must_be_a_plain_token() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let file = dir.path().join("checkout.yaml");
        std::fs::write(&file, "name: Checkout\n").unwrap();
        let publish_as = |version: &str| {
            let kind = EntityKind::Scenario;
            publish(
                &store,
                dir.path(),
                &envs(),
                kind,
                &file,
                None,
                Some(version),
                "w",
                Utc::now(),
            )
        };
        for bad in ["", "-1", "a b/../c", "2\n", "x/y", &"9".repeat(65)] {
            let err = publish_as(bad).unwrap_err();
            assert!(err.is_user_error(), "{bad:?}");
            assert!(
                err.to_string().contains("invalid --version"),
                "{bad:?}: {err}"
            );
        }
        let copied = entity_path(dir.path(), "dev", EntityKind::Scenario, "checkout");
        assert!(
            !copied.exists(),
            "nothing is published under a refused version"
        );
        let (published, _) = publish_as("2.1.0-rc.1+build7").unwrap();
        assert_eq!(published.version, "2.1.0-rc.1+build7");
    }

    #[test]
    fn promote_copies_forward_only_and_records() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let src = entity_path(dir.path(), "dev", EntityKind::Persona, "alice");
        std::fs::create_dir_all(src.parent().unwrap()).unwrap();
        std::fs::write(&src, "name: Alice\n").unwrap();
        let req = PromoteRequest {
            kind: EntityKind::Persona,
            id: "alice",
            from: "dev",
            to: "test",
            force: false,
            comment: Some("ok"),
            version: None,
        };
        let (p, payload) = promote(&store, dir.path(), &envs(), &req, Utc::now()).unwrap();
        assert_eq!(p.status, "completed");
        crate::events::check_payload("promotion.completed", &payload).unwrap();
        assert!(entity_path(dir.path(), "test", EntityKind::Persona, "alice").is_file());
        let back = PromoteRequest {
            from: "test",
            to: "dev",
            ..req
        };
        assert!(matches!(
            promote(&store, dir.path(), &envs(), &back, Utc::now()),
            Err(EntityError::Backwards { .. })
        ));
        let bad = PromoteRequest {
            id: "../etc",
            ..back
        };
        assert!(matches!(
            promote(&store, dir.path(), &envs(), &bad, Utc::now()),
            Err(EntityError::InvalidId { .. })
        ));
        let unknown = PromoteRequest {
            id: "alice",
            from: "dev",
            to: "staging",
            ..bad
        };
        assert!(matches!(
            promote(&store, dir.path(), &envs(), &unknown, Utc::now()),
            Err(EntityError::UnknownEnvironment { .. })
        ));
        assert_eq!(store.promotions(Some("alice")).unwrap().len(), 1);
    }
}
