//! A parsed-federation cache. YAML with locations is the slow part of every federation
//! command (about 25 ms for 1,000 services), so each file's parsed model and its
//! validation findings are kept as JSON under `.mockops/cache/federations/`, one entry per
//! file. An entry is used only while the file's size, modification and change times and
//! inode (what `make` and cargo trust, plus the ctime no tool can set back) and the
//! mockops version are those it was made from; otherwise the file is parsed again.
//!
//! File times tick in coarse steps (a few milliseconds), so a file changed twice within one
//! step, keeping its size, would keep its stamp: as git does with "racy" index entries, no
//! entry is written for a file changed less than [`SETTLE`] ago.

use super::model::Federation;
use super::validate::{validate, Diagnostic};
use super::FederationError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A federation file, parsed, with what [`validate`] (not strict) found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    pub federation: Federation,
    pub diagnostics: Vec<Diagnostic>,
}

/// How long a file must have stayed unchanged before its entry is written.
pub const SETTLE: Duration = Duration::from_secs(2);

/// The version of what an entry holds: raised whenever reading a file changes what it
/// yields (2: MockForge's level spellings and `config` URLs), so no entry made by an
/// earlier reading is trusted, even by a build with the same version number.
const FORMAT: u32 = 2;

/// Loads and validates `path` through the cache in `cache_dir` (created on demand).
/// Failing to read or write the cache is never an error: the file is parsed as usual.
pub fn load_checked(path: &Path, cache_dir: &Path) -> Result<Checked, FederationError> {
    load_checked_settled(path, cache_dir, SETTLE)
}

fn load_checked_settled(
    path: &Path,
    cache_dir: &Path,
    settle: Duration,
) -> Result<Checked, FederationError> {
    let entry = entry_path(path, cache_dir);
    let before = stamp(path).map(|(stamp, _)| stamp);
    if let Some(stamp) = &before {
        if let Some(checked) = read_entry(&entry, stamp) {
            return Ok(checked);
        }
    }
    let federation = super::reading::load_file(path)?;
    let diagnostics = validate(&federation, false);
    let checked = Checked {
        federation,
        diagnostics,
    };
    // Only when the file did not change while it was read, and not just now.
    if let (Some(before), Some((after, changed))) = (before, stamp(path)) {
        let settled = changed.elapsed().is_ok_and(|age| age >= settle);
        if before == after && settled {
            write_entry(&entry, &after, &checked);
        }
    }
    Ok(checked)
}

/// What an entry must match (the mockops version and the file's metadata), and when the
/// file last changed.
fn stamp(path: &Path) -> Option<(String, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?;
    let since_epoch = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let m = since_epoch(modified);
    #[cfg(unix)]
    let (more, changed) = {
        use std::os::unix::fs::MetadataExt;
        let ctime = UNIX_EPOCH
            + Duration::new(
                u64::try_from(meta.ctime()).unwrap_or(0),
                u32::try_from(meta.ctime_nsec()).unwrap_or(0),
            );
        (
            format!(
                " {}.{:09} {}:{}",
                meta.ctime(),
                meta.ctime_nsec(),
                meta.dev(),
                meta.ino()
            ),
            ctime.max(modified),
        )
    };
    #[cfg(not(unix))]
    let (more, changed) = (String::new(), modified);
    let stamp = format!(
        "mockops {} format {FORMAT} {} {}.{:09}{more}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        m.as_secs(),
        m.subsec_nanos()
    );
    Some((stamp, changed))
}

/// One entry per source file, named after its absolute path.
fn entry_path(path: &Path, cache_dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let key = Sha256::digest(absolute.to_string_lossy().as_bytes());
    cache_dir
        .join("federations")
        .join(format!("{}.json", &hex::encode(key)[..32]))
}

/// An entry is the stamp on the first line, then the [`Checked`] as JSON.
fn read_entry(entry: &Path, stamp: &str) -> Option<Checked> {
    let content = std::fs::read(entry).ok()?;
    let newline = content.iter().position(|&b| b == b'\n')?;
    if &content[..newline] != stamp.as_bytes() {
        return None;
    }
    serde_json::from_slice(&content[newline + 1..]).ok()
}

fn write_entry(entry: &Path, stamp: &str, checked: &Checked) {
    let Some(dir) = entry.parent() else { return };
    let Ok(json) = serde_json::to_vec(checked) else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // Written beside the entry, then renamed over it: a reader never sees half an entry.
    let Ok(mut file) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    use std::io::Write;
    let written = file
        .write_all(stamp.as_bytes())
        .and_then(|_| file.write_all(b"\n"))
        .and_then(|_| file.write_all(&json));
    if written.is_ok() {
        let _ = file.persist(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name: shop\nservices:\n  - name: auth\n    workspace_id: w\n    base_path: /auth\n    \
                        reality_level: blended\n    mock_url: http://127.0.0.1:1/\n    upstream_url: http://127.0.0.1:2/\n    \
                        config: { blend: ratio, ratio: 0.25, latency_ms: [1, 5], seed: 18446744073709551615, extra: {a: [1]} }\n    \
                        dependencies: []\n";

    /// A folder with `shop.yaml` (TEXT) and the path of a cache beside it.
    fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("shop.yaml");
        std::fs::write(&file, TEXT).unwrap();
        let cache = dir.path().join("cache");
        (dir, file, cache)
    }

    #[test]
    fn a_cached_load_equals_a_fresh_parse_and_follows_edits() {
        let (_dir, file, cache) = fixture();
        let fresh = crate::federation::load_file(&file).unwrap();
        assert_eq!(load_checked(&file, &cache).unwrap().federation, fresh);
        assert!(
            !cache.join("federations").exists(),
            "a file changed just now is not cached"
        );
        let first = load_checked_settled(&file, &cache, Duration::ZERO).unwrap();
        assert_eq!(first.federation, fresh);
        assert_eq!(first.diagnostics, validate(&fresh, false));
        let entries: Vec<_> = std::fs::read_dir(cache.join("federations"))
            .unwrap()
            .collect();
        assert_eq!(entries.len(), 1, "one entry per file");
        let second = load_checked_settled(&file, &cache, Duration::ZERO).unwrap();
        assert_eq!(
            second, first,
            "the entry reads back as the same model and findings"
        );

        std::fs::write(&file, TEXT.replace("/auth", "/login")).unwrap();
        let edited = load_checked_settled(&file, &cache, Duration::ZERO)
            .unwrap()
            .federation;
        assert_eq!(edited.services[0].base_path, "/login");
        assert_eq!(
            std::fs::read_dir(cache.join("federations"))
                .unwrap()
                .count(),
            1,
            "the edit replaced the entry"
        );
    }

    #[test]
    fn an_entry_of_an_earlier_format_is_not_trusted() {
        let (_dir, file, cache) = fixture();
        load_checked_settled(&file, &cache, Duration::ZERO).unwrap();
        let entry = entry_path(&file, &cache);
        let (current, _) = stamp(&file).unwrap();
        assert!(current.contains(&format!(" format {FORMAT} ")), "{current}");
        let mut stale = load_checked(&file, &cache).unwrap();
        stale.federation.name = "read by an earlier mockops".into();
        let old_stamp = current.replace(&format!(" format {FORMAT} "), " format 1 ");
        write_entry(&entry, &old_stamp, &stale);
        assert_eq!(load_checked(&file, &cache).unwrap().federation.name, "shop");
        write_entry(&entry, &current, &stale);
        assert_eq!(
            load_checked(&file, &cache).unwrap().federation.name,
            "read by an earlier mockops",
            "an entry of this format is trusted"
        );
    }

    #[test]
    fn a_broken_entry_or_file_is_handled() {
        let (dir, file, cache) = fixture();
        load_checked_settled(&file, &cache, Duration::ZERO).unwrap();
        let entry = entry_path(&file, &cache);
        let mut damaged = std::fs::read(&entry).unwrap();
        damaged.truncate(damaged.len() / 2);
        std::fs::write(&entry, damaged).unwrap();
        assert_eq!(
            load_checked_settled(&file, &cache, Duration::ZERO)
                .unwrap()
                .federation,
            crate::federation::load_file(&file).unwrap()
        );

        std::fs::write(&file, "name: shop\nservices: [\n").unwrap();
        let err = load_checked_settled(&file, &cache, Duration::ZERO)
            .unwrap_err()
            .to_string();
        assert!(err.contains("shop.yaml:"), "{err}");
        let unwritable = dir.path().join("not-a-dir");
        std::fs::write(&unwritable, "").unwrap();
        std::fs::write(&file, TEXT).unwrap();
        assert!(load_checked_settled(&file, &unwritable, Duration::ZERO).is_ok());
    }
}
