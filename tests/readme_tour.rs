//! The README's tour cannot rot: its console blocks are what the commands print in a fresh
//! copy of `examples/tour/`. This test runs every `$ ` command of the Tour section's
//! `console` blocks, in order, in such a copy, and fails when a block differs from the
//! fresh output (ids, times and durations normalised; tables compared without their
//! padding). Regenerate the blocks with:
//!
//!     MOCKOPS_UPDATE_TOUR=1 cargo test --test readme_tour
//!
//! A command may name an id that an earlier block printed (`pipeline logs 01a2…`): the id
//! is replaced by the id at the same place of the fresh output.

use regex::Regex;
use std::path::{Path, PathBuf};

/// One `$ command` of a console block and the output shown under it.
#[derive(Debug, Clone)]
struct Shown {
    command: String,
    output: String,
}

/// A console block: where it is in the README (line range of its content) and its commands.
#[derive(Debug)]
struct Block {
    /// Index of the line after the opening fence, and of the closing fence.
    content: (usize, usize),
    commands: Vec<Shown>,
}

fn readme_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The console blocks of the `## Tour` section.
fn tour_blocks(lines: &[&str]) -> Vec<Block> {
    let start = lines
        .iter()
        .position(|l| *l == "## Tour")
        .expect("the README has a `## Tour` section");
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("## "))
        .map_or(lines.len(), |i| start + 1 + i);
    let mut blocks = Vec::new();
    let mut i = start;
    while i < end {
        if lines[i].trim_end() == "```console" {
            let open = i + 1;
            let close = lines[open..end]
                .iter()
                .position(|l| l.trim_end() == "```")
                .map(|j| open + j)
                .expect("a console block is closed");
            let mut commands: Vec<Shown> = Vec::new();
            for line in &lines[open..close] {
                if let Some(command) = line.strip_prefix("$ ") {
                    commands.push(Shown {
                        command: command.to_string(),
                        output: String::new(),
                    });
                } else if let Some(last) = commands.last_mut() {
                    last.output.push_str(line);
                    last.output.push('\n');
                }
            }
            assert!(
                !commands.is_empty(),
                "README line {open}: a console block without a `$ ` command"
            );
            blocks.push(Block {
                content: (open, close),
                commands,
            });
            i = close;
        }
        i += 1;
    }
    blocks
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

const UUID: &str = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/// What varies from run to run, replaced by a placeholder; table padding removed.
fn normalise(text: &str, project: &Path) -> String {
    let rules = [
        (UUID.to_string(), "<id>"),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})".to_string(),
            "<time>",
        ),
        (r"\b\d+\.\d{3}s\b".to_string(), "<duration>"),
        (r"\b\d+(\.\d+)? ?ms\b".to_string(), "<duration>"),
    ];
    let mut text = text.replace(&project.display().to_string(), "<project>");
    for (pattern, placeholder) in rules {
        text = Regex::new(&pattern)
            .unwrap()
            .replace_all(&text, placeholder)
            .into_owned();
    }
    // Column widths follow the values' lengths: compare the cells, not the padding.
    let padding = Regex::new(r"[─═]+| {2,}").unwrap();
    text.lines()
        .map(|l| padding.replace_all(l.trim_end(), " ").into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn uuids(text: &str) -> Vec<String> {
    Regex::new(UUID)
        .unwrap()
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect()
}

/// Runs one README command in the project the way a shell would (pipes allowed), stderr
/// into the same stream as stdout, with only a deterministic environment.
fn run(command: &str, project: &Path, bin_dir: &Path) -> String {
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} 2>&1"))
        .current_dir(project)
        .env_clear()
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run sh");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_readme_tour_is_what_the_commands_print() {
    let update = std::env::var_os("MOCKOPS_UPDATE_TOUR").is_some_and(|v| v == "1");
    let readme = std::fs::read_to_string(readme_path()).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let blocks = tour_blocks(&lines);
    assert!(
        blocks.len() >= 5,
        "the tour has {} console blocks",
        blocks.len()
    );

    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("tour");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tour"),
        &project,
    );
    let bin = assert_cmd::cargo::cargo_bin("mockops");
    let bin_dir = bin.parent().unwrap().to_path_buf();
    let token = Regex::new(r"\b[0-9a-f]{8}-[0-9a-f]{4}[0-9a-f-]*\b").unwrap();

    // Ids the README shows, and the ids at the same places of the fresh output, in the
    // order they were shown (a prefix names the first id shown with it: ids made in the
    // same millisecond share their first 12 digits).
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut fresh_blocks: Vec<Vec<Shown>> = Vec::new();
    let mut failures = Vec::new();
    for block in &blocks {
        let mut fresh = Vec::new();
        for shown in &block.commands {
            if !shown.command.starts_with("mockops ") {
                failures.push(format!(
                    "README line {}: `$ {}`: the tour runs mockops commands only",
                    block.content.0, shown.command
                ));
                fresh.push(shown.clone());
                continue;
            }
            // An id an earlier block showed becomes the fresh id at its place.
            let mut unknown = None;
            let command = token
                .replace_all(&shown.command, |m: &regex::Captures<'_>| {
                    let given = &m[0];
                    match ids.iter().find(|(old, _)| old.starts_with(given)) {
                        Some((_, new)) => new[..given.len().min(new.len())].to_string(),
                        None => {
                            unknown = Some(given.to_string());
                            given.to_string()
                        }
                    }
                })
                .into_owned();
            if let Some(id) = unknown {
                panic!(
                    "`$ {}`: no earlier block of the tour shows an id starting with {id}",
                    shown.command
                );
            }
            let output = run(&command, &project, &bin_dir);
            let shown_ids = uuids(&shown.output);
            for (old, new) in shown_ids.into_iter().zip(uuids(&output)) {
                if !ids.iter().any(|(known, _)| *known == old) {
                    ids.push((old, new));
                }
            }
            assert!(
                !output.contains(&tmp.path().display().to_string()),
                "`$ {command}` prints a path of the temp folder; the tour shows relative paths only:\n{output}"
            );
            let (want, got) = (
                normalise(&shown.output, &project),
                normalise(&output, &project),
            );
            if want != got {
                failures.push(format!(
                    "README line {}: `$ {}`\n--- the README shows\n{want}\n--- a fresh run prints\n{got}",
                    block.content.0, shown.command
                ));
            }
            fresh.push(Shown { command, output });
        }
        fresh_blocks.push(fresh);
    }

    if update && failures.is_empty() {
        eprintln!("README.md: the tour is current; nothing rewritten");
        return;
    }
    if update {
        // Every block is rewritten, so that the ids commands name stay those shown.
        let mut out: Vec<String> = Vec::new();
        let mut next = 0;
        for (block, fresh) in blocks.iter().zip(&fresh_blocks) {
            out.extend(lines[next..block.content.0].iter().map(|l| l.to_string()));
            for shown in fresh {
                out.push(format!("$ {}", shown.command));
                out.extend(shown.output.lines().map(|l| l.trim_end().to_string()));
            }
            next = block.content.1;
        }
        out.extend(lines[next..].iter().map(|l| l.to_string()));
        let mut text = out.join("\n");
        if readme.ends_with('\n') {
            text.push('\n');
        }
        std::fs::write(readme_path(), text).unwrap();
        eprintln!(
            "README.md: {} tour block(s) regenerated ({} had changed):\n\n{}",
            blocks.len(),
            failures.len(),
            failures.join("\n\n")
        );
        return;
    }
    assert!(
        failures.is_empty(),
        "{} block(s) of the README's tour differ from a fresh run (regenerate with \
         `MOCKOPS_UPDATE_TOUR=1 cargo test --test readme_tour` and review the diff):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn normalising_keeps_what_matters() {
    let p = Path::new("/tmp/x");
    assert_eq!(
        normalise(
            "run 01a214bd-62be-749b-b23f-9490755b4b5d at 2026-11-25T22:04:45.630Z took 0.006s in /tmp/x/a",
            p
        ),
        "run <id> at <time> took <duration> in <project>/a"
    );
    // Padding and rules of tables do not count; their cells do.
    assert_eq!(
        normalise("│ a   ┆ b │\n├────┤", p),
        normalise("│ a ┆ b │\n├──┤", p)
    );
    assert_ne!(normalise("│ a ┆ b │", p), normalise("│ a ┆ c │", p));
    assert_ne!(normalise("12 ingested", p), normalise("13 ingested", p));
}
