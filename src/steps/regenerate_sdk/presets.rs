//! Generator presets: the command lines of openapi-typescript, openapi-generator,
//! datamodel-codegen and oapi-codegen, and where their executables are found.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use crate::steps::process::Program;
use crate::steps::{json_kind, StepFailure};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Preset generators: name, executables looked up (first found wins), install hint.
pub const PRESETS: &[(&str, &[&str], &str)] = &[
    (
        "openapi-typescript",
        &["openapi-typescript"],
        "npm i -D openapi-typescript",
    ),
    (
        "openapi-generator",
        &["openapi-generator-cli", "openapi-generator"],
        "npm i -D @openapitools/openapi-generator-cli (it needs Java)",
    ),
    (
        "datamodel-codegen",
        &["datamodel-codegen"],
        "pip install datamodel-code-generator",
    ),
    (
        "oapi-codegen",
        &["oapi-codegen"],
        "go install github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@latest",
    ),
];

/// One generator invocation.
pub struct GeneratorRun {
    pub label: String,
    pub program: Program,
    pub output_dir: PathBuf,
    pub install_hint: Option<&'static str>,
}

pub fn preset(
    name: &str,
) -> Option<&'static (&'static str, &'static [&'static str], &'static str)> {
    PRESETS.iter().find(|p| p.0 == name)
}

pub fn text(config: &Map<String, Value>, keys: &[&str]) -> Result<Option<String>, StepFailure> {
    for key in keys {
        match config.get(*key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if !s.trim().is_empty() => {
                return Ok(Some(s.trim().to_string()))
            }
            Some(Value::String(_)) => {}
            Some(other) => {
                return Err(StepFailure::fatal(format!(
                    "config `{key}` must be a string, got {}",
                    json_kind(other)
                )))
            }
        }
    }
    Ok(None)
}

pub fn strings(config: &Map<String, Value>, key: &str) -> Vec<String> {
    match config.get(key) {
        Some(Value::String(s)) => s
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The command lines to run.
pub fn plan_runs(
    project_root: &Path,
    config: &Map<String, Value>,
    spec: &Path,
    output: &Path,
) -> Result<Vec<GeneratorRun>, StepFailure> {
    let mut languages = strings(config, "languages");
    if let Some(language) = text(config, &["language"])? {
        languages.insert(0, language);
    }
    for language in &mut languages {
        *language = canonical_language(language).to_string();
    }
    languages.dedup();
    let generator = match text(config, &["generator"])? {
        Some(g) => g,
        None if config.contains_key("command") => "command".to_string(),
        None if !languages.is_empty() => "openapi-generator".to_string(),
        None => return Err(StepFailure::fatal("config `generator` is required")),
    };
    let extra = strings(config, "args");
    if generator == "command" {
        let program = match config.get("command") {
            Some(Value::String(s)) => Program::Shell(s.clone()),
            Some(Value::Array(items)) if !items.is_empty() => Program::Argv(
                items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect(),
            ),
            _ => {
                return Err(StepFailure::fatal(
                    "generator `command` needs config `command` (a string or argv list)",
                ))
            }
        };
        return Ok(vec![GeneratorRun {
            label: "command".into(),
            program,
            output_dir: output.to_path_buf(),
            install_hint: None,
        }]);
    }
    let (name, executables, hint) = preset(&generator).ok_or_else(|| {
        StepFailure::fatal(format!(
            "config `generator`: unknown generator `{generator}` (expected command, {})",
            PRESETS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
        ))
    })?;
    let executable = find_executable(project_root, executables).ok_or_else(|| {
        StepFailure::fatal(format!(
            "generator `{name}` is not installed (no {} found); install it: {hint}",
            executables.join(" or ")
        ))
    })?;
    let targets: Vec<(Option<String>, PathBuf)> = match languages.as_slice() {
        [] => vec![(None, output.to_path_buf())],
        [one] => vec![(Some(one.clone()), output.to_path_buf())],
        many => many
            .iter()
            .map(|l| (Some(l.clone()), output.join(l)))
            .collect(),
    };
    let spec_text = spec.display().to_string();
    let mut runs = Vec::new();
    for (language, dir) in targets {
        let out = |file: &str| dir.join(file).display().to_string();
        let mut argv = vec![executable.display().to_string()];
        match *name {
            "openapi-typescript" => {
                argv.extend([spec_text.clone(), "-o".into(), out("schema.d.ts")])
            }
            "openapi-generator" => {
                let language = language
                    .clone()
                    .ok_or_else(|| StepFailure::fatal("generator `openapi-generator` needs config `language` (e.g. typescript-fetch)"))?;
                argv.extend([
                    "generate".into(),
                    "-i".into(),
                    spec_text.clone(),
                    "-g".into(),
                    language,
                    "-o".into(),
                    dir.display().to_string(),
                ]);
            }
            "datamodel-codegen" => argv.extend([
                "--input".into(),
                spec_text.clone(),
                "--input-file-type".into(),
                "openapi".into(),
                "--output".into(),
                out("models.py"),
            ]),
            _ => {
                let package = text(config, &["package"])?.unwrap_or_else(|| go_package(&dir));
                argv.extend([
                    "-generate".into(),
                    "types,client".into(),
                    "-package".into(),
                    package,
                    "-o".into(),
                    out("api.gen.go"),
                ]);
                argv.extend(extra.iter().cloned());
                argv.push(spec_text.clone());
                runs.push(GeneratorRun {
                    label: name.to_string(),
                    program: Program::Argv(argv),
                    output_dir: dir,
                    install_hint: Some(hint),
                });
                continue;
            }
        }
        argv.extend(extra.iter().cloned());
        let label = language.map_or_else(|| name.to_string(), |l| format!("{name} ({l})"));
        runs.push(GeneratorRun {
            label,
            program: Program::Argv(argv),
            output_dir: dir,
            install_hint: Some(hint),
        });
    }
    Ok(runs)
}

/// MockForge's short language names as it maps them (`ts` → `typescript`, `js` →
/// `javascript`, `rs` → `rust`); any other name as it is.
pub fn canonical_language(name: &str) -> &str {
    match name {
        "ts" => "typescript",
        "js" => "javascript",
        "rs" => "rust",
        other => other,
    }
}

/// The first of `names` in the project's `node_modules/.bin`, then on `PATH`.
fn find_executable(project_root: &Path, names: &[&str]) -> Option<PathBuf> {
    let path_dirs = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    names.iter().find_map(|name| {
        std::iter::once(project_root.join("node_modules/.bin"))
            .chain(path_dirs.iter().cloned())
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A Go package name from the output folder's last segment.
fn go_package(dir: &Path) -> String {
    let raw = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let cleaned: String = raw.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if cleaned.is_empty() || cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        "api".to_string()
    } else {
        cleaned
    }
}
