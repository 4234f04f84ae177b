//! The repository stands on its own: no tracked file names an absolute path of some machine
//! (`/home/…`, `/root/…`, `/work/…`, `/Users/…`, `/tmp/<folder>`, `C:\Users\…`), a file
//! outside the repository (a folder beside the clone reached with `..`, the product
//! contract the repository does not hold, or its section numbers `§4`), or tells a diary instead of the state of
//! things ("session 4", "in session 2"). A clone on another machine, read by another
//! person, finds nothing that points at where or in which sitting it was written.
//!
//! The files are those git tracks (`git ls-files`); a checkout without git is walked
//! instead. A few legitimate uses (a test's own fake paths) are allowed by file and text.

use regex::Regex;
use std::path::{Path, PathBuf};

/// (file, text): occurrences that are not machine paths but test data about paths.
const ALLOWED: &[(&str, &str)] = &[
    // This file names the patterns it looks for.
    ("tests/repository_hygiene.rs", ""),
    // A made-up project path the tour's normaliser replaces, in its own unit test.
    ("tests/readme_tour.rs", "/tmp/x"),
    // A made-up state path with URI characters, to test their escaping.
    ("src/store/mod.rs", "/tmp/a"),
    // A made-up file outside a made-up repository, to test that it stays absolute.
    ("src/ci_formats/mod.rs", "/tmp/o.yaml"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The tracked files, relative to the root.
fn tracked_files(root: &Path) -> Vec<String> {
    let out = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output();
    match out {
        Ok(out) if out.status.success() && root.join(".git").exists() => out
            .stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
        // A source tree without git (a packaged crate): every file but build output.
        _ => {
            let mut files = Vec::new();
            walk(root, root, &mut files);
            files
        }
    }
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == ".mockops" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            walk(root, &path, files);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// What a machine path or an outside reference looks like. A path must start a word
/// (`https://www.iso.org/iso/home/…` is part of a URL, not a home folder).
fn patterns() -> Vec<(Regex, &'static str)> {
    vec![
        (
            Regex::new(r"(^|[^A-Za-z0-9_.~/:-])/(home|root|work|Users)/[A-Za-z0-9_.-]").unwrap(),
            "an absolute path of a machine",
        ),
        (
            Regex::new(r"(^|[^A-Za-z0-9_.~/:-])/tmp/[A-Za-z0-9_.-]").unwrap(),
            "a folder under /tmp of a machine",
        ),
        (
            Regex::new(r"(?i)\b[A-Z]:(\\\\?|/)Users(\\\\?|/)").unwrap(),
            "a Windows user folder",
        ),
        (
            Regex::new(r"\.\./shared\b").unwrap(),
            "a file outside the repository",
        ),
        (
            // The repository holds no SPEC.md; a reference to one points outside it.
            Regex::new(r"\bSPEC\.md\b").unwrap(),
            "a reference to a contract outside the repository",
        ),
        (
            // "§4": a section of a contract the repository does not hold.
            Regex::new(r"§ ?[0-9]").unwrap(),
            "a section of a contract outside the repository",
        ),
        (
            // "session 4", "sessions 3 and 4": when something was done, not what is.
            Regex::new(r"(?i)\bsessions? [0-9]+\b").unwrap(),
            "a diary of work sessions",
        ),
    ]
}

fn allowed(file: &str, line: &str) -> bool {
    ALLOWED
        .iter()
        .any(|(f, text)| *f == file && (text.is_empty() || line.contains(text)))
}

/// Every finding of `text` (the content of `file`), as `file:line: what: the line`.
fn findings(file: &str, text: &str) -> Vec<String> {
    let patterns = patterns();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for (re, what) in &patterns {
            if re.is_match(line) && !allowed(file, line) {
                let shown: String = line.trim().chars().take(160).collect();
                out.push(format!("{file}:{}: {what}: {shown}", n + 1));
            }
        }
    }
    out
}

#[test]
fn no_tracked_file_names_a_machine_path_or_a_file_outside_the_repository() {
    let root = root();
    let files = tracked_files(&root);
    assert!(
        files.iter().any(|f| f == "Cargo.toml"),
        "the file list is the repository's"
    );
    let mut found = Vec::new();
    for file in &files {
        let Ok(bytes) = std::fs::read(root.join(file)) else {
            continue; // deleted in the work tree
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue; // binary
        };
        found.extend(findings(file, &text));
    }
    assert!(
        found.is_empty(),
        "{} place(s) name a machine path or a file outside the repository \
         (use relative paths, the system's temp folder, or add a justified entry to \
         ALLOWED in tests/repository_hygiene.rs):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_patterns_find_what_they_are_for_and_spare_urls() {
    let hits = |line: &str| findings("x.md", line).len();
    // Built from parts, so that this file names no folder outside the repository itself.
    let sibling_contract = format!("the contract is `{}/{}/SPEC.md`", "..", "shared");
    for bad in [
        "see /home/alice/mockops/README.md",
        "`/work/shared/SPEC.md`",
        "cd /root/project",
        "default \"/tmp/coverage-scale\"",
        "C:\\Users\\bob\\mockops",
        "C:/Users/bob",
        sibling_contract.as_str(),
        "/Users/carol/src",
        "see SPEC.md §5",
        "8.4 ms (session 4)",
        "sessions 3 and 4: 22–32 %",
        "the report (§6 JSON keys)",
    ] {
        assert!(hits(bad) >= 1, "{bad}");
    }
    for fine in [
        "https://www.iso.org/iso/home/standards/currency_codes.htm",
        "a temp folder (`mktemp -d`)",
        "std::env::temp_dir()",
        "/tmp alone is no folder",
        "routes /users/{id} and /orders",
        "src/home/x.rs",
        "file:///tmp",
        "a session cookie",
        "the session's token",
        "docs/conventions.md",
    ] {
        assert_eq!(hits(fine), 0, "{fine}");
    }
}
