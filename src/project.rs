//! The project: its root, `mockops.yaml`, and the paths of everything in it.

use crate::store::location::{Location, LocationError};
use crate::yamlfile::{self, YamlError};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// `mockops.yaml` (docs/project.md). Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub workspace: Option<String>,
    #[serde(default, deserialize_with = "checked::environments")]
    pub environments: Option<Vec<String>>,
    #[serde(default)]
    pub specs: Vec<SpecEntry>,
    #[serde(default)]
    pub drift: DriftSettings,
    #[serde(default)]
    pub watch: WatchSettings,
    #[serde(default)]
    pub limits: Limits,
    /// Where the state lives: a file path (SQLite) or a `postgres://` URL without a
    /// password (that comes from PGPASSWORD).
    pub state: Option<String>,
}

/// An API spec that mockops watches and diffs: `{path, service, import_paths}`, or just its
/// path (`specs: [specs/api.yaml]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpecEntry {
    pub path: String,
    pub service: Option<String>,
    pub import_paths: Vec<String>,
}

/// The mapping form of [`SpecEntry`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecMapping {
    path: String,
    service: Option<String>,
    #[serde(default)]
    import_paths: Vec<String>,
}

impl<'de> Deserialize<'de> for SpecEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> serde::de::Visitor<'de> for EntryVisitor {
            type Value = SpecEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a spec's path, or a mapping with `path` (and `service`, `import_paths`)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, path: &str) -> Result<SpecEntry, E> {
                Ok(SpecEntry {
                    path: path.to_string(),
                    service: None,
                    import_paths: Vec::new(),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SpecEntry, A::Error> {
                let m =
                    SpecMapping::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(SpecEntry {
                    path: m.path,
                    service: m.service,
                    import_paths: m.import_paths,
                })
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftSettings {
    #[serde(default)]
    pub budgets: Vec<BudgetEntry>,
}

/// A drift budget; the first whose `match` fits wins.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BudgetEntry {
    #[serde(rename = "match", default)]
    pub matches: BudgetMatch,
    #[serde(deserialize_with = "checked::percent")]
    pub max_drift_percent: f64,
    #[serde(default = "default_min_samples")]
    pub min_samples: u64,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BudgetMatch {
    pub service: Option<String>,
    #[serde(default, deserialize_with = "checked::endpoint_glob")]
    pub endpoint: Option<String>,
}

fn default_min_samples() -> u64 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchSettings {
    #[serde(default = "default_debounce")]
    pub debounce_ms: u64,
    #[serde(default)]
    pub ignore: Vec<String>,
}

impl Default for WatchSettings {
    fn default() -> Self {
        WatchSettings {
            debounce_ms: default_debounce(),
            ignore: Vec::new(),
        }
    }
}

fn default_debounce() -> u64 {
    100
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    #[serde(default = "default_depth", deserialize_with = "checked::at_least_one")]
    pub max_event_depth: u32,
    #[serde(
        default = "default_events_per_dispatch",
        deserialize_with = "checked::at_least_one"
    )]
    pub max_events_per_dispatch: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_event_depth: default_depth(),
            max_events_per_dispatch: default_events_per_dispatch(),
        }
    }
}

fn default_depth() -> u32 {
    8
}

fn default_events_per_dispatch() -> u32 {
    1000
}

/// Values checked as they are read, so that a problem is reported at its line and column
/// (serde-saphyr locates errors raised while a value is deserialized).
mod checked {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    pub fn environments<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
        let envs = Vec::<String>::deserialize(d)?;
        if envs.is_empty() {
            return Err(D::Error::custom(
                "`environments` must name at least one environment",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for env in &envs {
            if !crate::entity_id_is_valid(env) {
                return Err(D::Error::custom(format!(
                    "environment name `{env}` is invalid (use [a-z0-9][a-z0-9._-]*)"
                )));
            }
            if !seen.insert(env) {
                return Err(D::Error::custom(format!(
                    "environment `{env}` is listed twice"
                )));
            }
        }
        Ok(Some(envs))
    }

    pub fn percent<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let p = f64::deserialize(d)?;
        if !(p.is_finite() && (0.0..=100.0).contains(&p)) {
            return Err(D::Error::custom(format!(
                "drift budget max_drift_percent must be between 0 and 100, got {p}"
            )));
        }
        Ok(p)
    }

    pub fn endpoint_glob<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let glob = String::deserialize(d)?;
        crate::pipeline::filter::compile_glob(&glob)
            .map_err(|e| D::Error::custom(format!("drift budget endpoint glob: {e}")))?;
        Ok(Some(glob))
    }

    pub fn at_least_one<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        match u32::deserialize(d)? {
            0 => Err(D::Error::custom("a limit must be at least 1")),
            n => Ok(n),
        }
    }
}

/// A project on disk.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// Where the state lives (`--state`, `MOCKOPS_STATE`, `state:` in `mockops.yaml`,
    /// else `.mockops/state.db`).
    pub state: Location,
    pub settings: Settings,
    /// Whether `mockops.yaml` exists.
    pub has_settings_file: bool,
}

/// Problems with the project itself.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(transparent)]
    Yaml(#[from] YamlError),
    #[error("{file}: {message}")]
    Invalid { file: PathBuf, message: String },
    #[error("project folder {0} does not exist")]
    MissingRoot(PathBuf),
    #[error(transparent)]
    State(#[from] LocationError),
}

pub const SETTINGS_FILE: &str = "mockops.yaml";

impl Project {
    /// Finds the root (`--project`, `MOCKOPS_PROJECT`, else the nearest folder upwards
    /// holding `mockops.yaml`, `pipelines/` or `.mockops/`, else `cwd`), reads its settings.
    pub fn discover(
        explicit_root: Option<&Path>,
        explicit_state: Option<&Path>,
        cwd: &Path,
    ) -> Result<Project, ProjectError> {
        let root = match explicit_root {
            Some(r) => {
                let r = if r.is_absolute() {
                    r.to_path_buf()
                } else {
                    cwd.join(r)
                };
                if !r.is_dir() {
                    return Err(ProjectError::MissingRoot(r));
                }
                r
            }
            None => find_root(cwd),
        };
        Self::at(root, explicit_state, cwd)
    }

    /// The project rooted at `root`.
    pub fn at(
        root: PathBuf,
        explicit_state: Option<&Path>,
        cwd: &Path,
    ) -> Result<Project, ProjectError> {
        let settings_path = root.join(SETTINGS_FILE);
        let has_settings_file = settings_path.is_file();
        let settings: Settings = if has_settings_file {
            let text =
                std::fs::read_to_string(&settings_path).map_err(|e| ProjectError::Invalid {
                    file: settings_path.clone(),
                    message: format!("cannot read: {e}"),
                })?;
            if text.trim().is_empty() {
                Settings::default()
            } else {
                yamlfile::parse(&settings_path, &text)?
            }
        } else {
            Settings::default()
        };
        validate_settings(&settings, &settings_path)?;
        let state = match (explicit_state, &settings.state) {
            (Some(p), _) => match p.to_str() {
                Some(text) => Location::parse(text, cwd)?,
                None => Location::File(cwd.join(p)),
            },
            (None, Some(text)) => {
                let location = Location::parse(text, &root)?;
                if let Location::Postgres(url) = &location {
                    if url.has_password() {
                        return Err(ProjectError::Invalid {
                            file: settings_path,
                            message: format!(
                                "state: {url}: the URL holds a password; mockops never reads one from mockops.yaml: remove it and set PGPASSWORD (or give the whole URL with --state or MOCKOPS_STATE)"
                            ),
                        });
                    }
                }
                location
            }
            (None, None) => Location::File(root.join(".mockops").join("state.db")),
        };
        Ok(Project {
            root,
            state,
            settings,
            has_settings_file,
        })
    }

    /// The default workspace id for events: `workspace`, else the root folder's name.
    pub fn workspace(&self) -> String {
        self.settings.workspace.clone().unwrap_or_else(|| {
            self.root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "default".into())
        })
    }

    /// The promotion order.
    pub fn environments(&self) -> Vec<String> {
        self.settings
            .environments
            .clone()
            .unwrap_or_else(|| vec!["dev".into(), "test".into(), "prod".into()])
    }

    /// True when the root holds what marks a project (`mockops.yaml`, `pipelines/` or
    /// `.mockops/`); false for a folder mockops fell back to because nothing was found.
    pub fn looks_like_a_project(&self) -> bool {
        is_project_root(&self.root)
    }

    pub fn pipelines_dir(&self) -> PathBuf {
        self.root.join("pipelines")
    }

    pub fn federations_dir(&self) -> PathBuf {
        self.root.join("federations")
    }

    /// Derived data that can always be rebuilt (parsed federations): `.mockops/cache`.
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join(".mockops").join("cache")
    }

    pub fn environments_dir(&self) -> PathBuf {
        self.root.join("environments")
    }

    pub fn settings_path(&self) -> PathBuf {
        self.root.join(SETTINGS_FILE)
    }

    /// `path` relative to the root when it is inside it (with `/`), else as given.
    pub fn relative(&self, path: &Path) -> String {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        };
        let rel = abs
            .strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .or_else(|_| {
                let canon_root = self
                    .root
                    .canonicalize()
                    .unwrap_or_else(|_| self.root.clone());
                abs.canonicalize()
                    .unwrap_or(abs.clone())
                    .strip_prefix(&canon_root)
                    .map(Path::to_path_buf)
            })
            .unwrap_or(abs);
        rel.to_string_lossy().replace('\\', "/")
    }
}

/// The nearest folder from `start` upwards that looks like a project, else `start`.
pub fn find_root(start: &Path) -> PathBuf {
    for dir in start.ancestors() {
        if is_project_root(dir) {
            return dir.to_path_buf();
        }
    }
    start.to_path_buf()
}

fn is_project_root(dir: &Path) -> bool {
    dir.join(SETTINGS_FILE).is_file()
        || dir.join("pipelines").is_dir()
        || dir.join(".mockops").is_dir()
}

/// What a value alone cannot tell (the rest is checked as it is read, in [`checked`]).
fn validate_settings(settings: &Settings, file: &Path) -> Result<(), ProjectError> {
    for spec in &settings.specs {
        if spec.path.trim().is_empty() {
            return Err(ProjectError::Invalid {
                file: file.to_path_buf(),
                message: "a spec entry has an empty `path`".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_in_settings_is_located_with_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            "workspace: w\nlimits:\n  max_event_dept: 3\n",
        )
        .unwrap();
        let err = Project::at(dir.path().to_path_buf(), None, dir.path()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("mockops.yaml:3:3"), "{text}");
        assert!(text.contains("did you mean `max_event_depth`"), "{text}");
    }

    #[test]
    fn defaults_and_root_discovery() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pipelines")).unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let root = find_root(&dir.path().join("a/b"));
        assert_eq!(root, dir.path());
        let p = Project::at(root, None, dir.path()).unwrap();
        assert_eq!(p.environments(), vec!["dev", "test", "prod"]);
        assert_eq!(p.settings.limits.max_event_depth, 8);
        assert_eq!(
            p.state,
            Location::File(dir.path().join(".mockops/state.db"))
        );
    }
}
