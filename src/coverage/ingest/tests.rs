//! Ingest tests over the real HAR files of `tests/data/realworld/har` and hand-written JSONL.

use super::har::split_url;
use super::*;
use chrono::TimeZone;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn realworld(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/realworld/har"
    ))
    .join(name)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

fn ingest(
    store: &mut Store,
    path: &Path,
    opts: &IngestOptions,
) -> Result<IngestSummary, CoverageError> {
    ingest_file(store, path, opts, &mut |_| {})
}

fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> PathBuf {
    let path = dir.path().join(name);
    let mut file = File::create(&path).unwrap();
    file.write_all(content.as_bytes()).unwrap();
    path
}

/// (method, path, query, status, scenario, persona, ci_run, ts) of every stored exchange, by id.
type Row = (
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

fn rows(store: &Store) -> Vec<Row> {
    let mut stmt = store
        .sqlite()
        .unwrap()
        .prepare("SELECT method, path, query, status, scenario, persona, ci_run, ts FROM exchanges_named ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn every_real_har_file_ingests_completely() {
    for (name, entries) in [
        ("optic-books-capture.har", 10),
        ("petstore.swagger.io.har", 9),
        ("mitmproxy-firefox.har", 14),
        ("mitmproxy-with-bom.har", 1),
    ] {
        let mut store = Store::open_in_memory().unwrap();
        let mut updates = Vec::new();
        let summary = ingest_file(
            &mut store,
            &realworld(name),
            &IngestOptions::new(now()),
            &mut |p| updates.push(p),
        )
        .unwrap();
        assert_eq!(summary.read, entries, "{name}");
        assert_eq!(summary.ingested, entries, "{name}: {:?}", summary.rejected);
        assert!(summary.rejected.is_empty(), "{name}");
        let last = updates.last().unwrap();
        assert_eq!(
            last.bytes_read, last.bytes_total,
            "{name}: progress reaches the end"
        );
        assert_eq!(last.entries, entries);
    }
}

#[test]
fn har_fields_are_read_from_a_real_capture() {
    let mut store = Store::open_in_memory().unwrap();
    ingest(
        &mut store,
        &realworld("petstore.swagger.io.har"),
        &IngestOptions::new(now()),
    )
    .unwrap();
    let all = rows(&store);
    let find = all.iter().find(|r| r.1 == "/v2/pet/findByStatus").unwrap();
    assert_eq!(find.2.as_deref(), Some("status=available"));
    assert_eq!(find.3, 200);
    assert_eq!(
        find.7,
        Utc.with_ymd_and_hms(2022, 5, 11, 11, 47, 48)
            .unwrap()
            .timestamp_millis()
            + 679
    );
    assert!(all
        .iter()
        .any(|r| r.0 == "POST" && r.1 == "/v2/store/order"));
    assert_eq!(all[0].1, "/", "the bare host is the root path");
    // The base64 JSON body of the Optic capture is decoded to text.
    let mut store = Store::open_in_memory().unwrap();
    ingest(
        &mut store,
        &realworld("optic-books-capture.har"),
        &IngestOptions::new(now()),
    )
    .unwrap();
    let body: String = store
        .sqlite()
        .unwrap()
        .query_row(
            "SELECT response_body FROM exchanges_named JOIN exchange_bodies ON exchange_id = id WHERE method='GET' AND path='/books'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.starts_with("{\"data\":["), "{body}");
}

#[test]
fn reingesting_adds_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let path = realworld("optic-books-capture.har");
    let first = ingest(&mut store, &path, &IngestOptions::new(now())).unwrap();
    assert_eq!((first.ingested, first.duplicates), (10, 0));
    let second = ingest(&mut store, &path, &IngestOptions::new(now())).unwrap();
    assert_eq!((second.ingested, second.duplicates), (0, 10));
    assert!(!second.nothing_ingested(), "duplicates are not a failure");
    assert_eq!(store.exchange_count(None).unwrap(), 10);
    let mut total = first.clone();
    total.accumulate(second);
    assert_eq!(
        (total.files, total.read, total.ingested, total.duplicates),
        (2, 20, 10, 10)
    );
}

const HAR_HEAD: &str = r#"{"log": {"version": "1.2", "creator": {"name": "t"}, "entries": ["#;

fn har_entry(method: &str, url: &str, headers: &str) -> String {
    format!(
        r#"{{"startedDateTime": "2026-03-09T10:00:00Z", "time": 5, "request": {{"method": "{method}", "url": "{url}", "headers": [{headers}]}}, "response": {{"status": 200, "content": {{"text": "{{}}"}}}}}}"#
    )
}

#[test]
fn har_headers_then_flags_then_ci_environment() {
    let dir = tempfile::tempdir().unwrap();
    let entries = [
        har_entry(
            "GET",
            "http://x/a",
            r#"{"name": "X-Mockops-Scenario", "value": "happy"}, {"name": "x-mockops-persona", "value": "admin"}, {"name": "x-mockops-ci-run", "value": "run-7"}"#,
        ),
        har_entry("GET", "http://x/b", ""),
    ];
    let path = write(
        &dir,
        "t.har",
        &format!("{HAR_HEAD}{}]}}}}", entries.join(",")),
    );
    let mut opts = IngestOptions::new(now());
    opts.scenario = Some("flag-scenario".into());
    opts.env = HashMap::from([("GITHUB_RUN_ID".to_string(), "gh-1".to_string())]);
    let mut store = Store::open_in_memory().unwrap();
    ingest(&mut store, &path, &opts).unwrap();
    let all = rows(&store);
    assert_eq!(
        (
            all[0].4.as_deref(),
            all[0].5.as_deref(),
            all[0].6.as_deref()
        ),
        (Some("happy"), Some("admin"), Some("run-7"))
    );
    assert_eq!(
        (
            all[1].4.as_deref(),
            all[1].5.as_deref(),
            all[1].6.as_deref()
        ),
        (Some("flag-scenario"), None, Some("gh-1"))
    );
    // A --ci-run flag beats the environment.
    let mut store = Store::open_in_memory().unwrap();
    opts.ci_run = Some("flag-run".into());
    ingest(&mut store, &path, &opts).unwrap();
    let all = rows(&store);
    assert_eq!(
        all[0].6.as_deref(),
        Some("run-7"),
        "the entry beats the flag"
    );
    assert_eq!(all[1].6.as_deref(), Some("flag-run"));
}

#[test]
fn har_entries_without_method_or_url_are_rejected_and_the_rest_kept() {
    let dir = tempfile::tempdir().unwrap();
    let entries = [
        har_entry("GET", "http://x/a", ""),
        r#"{"request": {"url": "http://x/b"}}"#.to_string(),
        r#"{"request": {"method": "GET", "url": "/c"}, "response": {"status": 200}}"#.to_string(),
        r#"{"startedDateTime": "yesterday", "request": {"method": "GET", "url": "/d"}}"#
            .to_string(),
        "42".to_string(),
        r#"{"request": {"method": "GET", "url": "not a url"}}"#.to_string(),
        r#"{"request": {"method": "GET", "url": "/e"}, "response": {"status": "x"}}"#.to_string(),
        r#"{"request": {"method": "GET", "url": "/f"}}"#.to_string(),
        r#"{"request": {"method": "GET", "url": "/g"}, "response": {"status": 0}}"#.to_string(),
    ];
    let path = write(
        &dir,
        "t.har",
        &format!("{HAR_HEAD}{}]}}}}", entries.join(",")),
    );
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &path, &IngestOptions::new(now())).unwrap();
    assert_eq!((summary.read, summary.ingested), (9, 2));
    let rejected: Vec<(u64, &str)> = summary
        .rejected
        .iter()
        .map(|r| (r.entry, r.reason.as_str()))
        .collect();
    assert_eq!(rejected.len(), 7);
    // No response (none at all, or status 0): the request got no answer.
    for (at, entry) in [(5, 8), (6, 9)] {
        assert_eq!(
            rejected[at],
            (entry, "no response (status 0): the request got no answer")
        );
    }
    assert_eq!(rejected[3], (6, "request.url `not a url` is not a URL"));
    assert_eq!(
        rejected[4],
        (7, "response.status \"x\" is not an HTTP status")
    );
    assert_eq!(rejected[0], (2, "entry has no request.method"));
    assert_eq!(rejected[1].0, 4);
    assert!(
        rejected[1].1.contains("startedDateTime") && rejected[1].1.contains("yesterday"),
        "{}",
        rejected[1].1
    );
    assert_eq!(rejected[2], (5, "entry is a number, not an object"));
    assert!(summary
        .rejected
        .iter()
        .all(|r| r.file == path.display().to_string()));
    // No startedDateTime: kept, at `now`.
    let c = rows(&store).into_iter().find(|r| r.1 == "/c").unwrap();
    assert_eq!((c.3, c.7), (200, now().timestamp_millis()));
}

#[test]
fn a_har_that_is_not_json_fails_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "broken.har",
        "{\n  \"log\": {\n    \"entries\": [ oops",
    );
    let mut store = Store::open_in_memory().unwrap();
    match ingest(&mut store, &path, &IngestOptions::new(now())) {
        Err(CoverageError::Parse {
            line,
            column,
            message,
            ..
        }) => {
            assert_eq!((line, column), (3, 18), "{message}");
            assert!(message.contains("not a valid HAR"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let path = write(&dir, "other.har", r#"{"log": {"pages": []}}"#);
    let err = ingest(&mut store, &path, &IngestOptions::new(now()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("other.har") && err.contains("log.entries"),
        "{err}"
    );
}

#[test]
fn a_truncated_har_keeps_the_entries_before_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let content = format!(
        "{HAR_HEAD}{},{},{{\"request\": ",
        har_entry("GET", "/a", ""),
        har_entry("GET", "/b", "")
    );
    let path = write(&dir, "cut.har", &content);
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &path, &IngestOptions::new(now())).unwrap();
    assert_eq!(summary.ingested, 2);
    assert_eq!(summary.rejected.len(), 1);
    assert_eq!(summary.rejected[0].entry, 3);
    assert!(
        summary.rejected[0].reason.contains("rest of the file"),
        "{}",
        summary.rejected[0].reason
    );
}

#[test]
fn jsonl_good_and_bad_lines_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"method": "get", "path": "/pets/1", "status": 200, "timestamp": "2026-03-09T08:00:00+01:00", "scenario": "happy", "extra": [1, 2]}"#,
        "",
        "[1, 2]",
        r#"{"method": "GET", "path": "/pets/2"}"#,
        r#"{"method": "GET", "path": "/pets/3", "status": 200, "timestamp": "last week"}"#,
        r#"{"method": "GET", "path": "/pets/4?limit=2", "status": 404, "timestamp": 1773057600000, "response_body": {"error": "gone"}}"#,
        r#"{"method": "GET", "path": "/pets/5", "status": 200,"#,
        r#"{"method": "GET", "path": "/pets/6", "status": "201", "response_body": "plain text", "persona": null}"#,
        r#"{"method": "GET", "path": "/pets/7", "status": 200, "service": 5}"#,
        r#"{"method": "GET", "path": "/pets/8", "status": 200, "duration_ms": -5}"#,
    ];
    let path = write(&dir, "traffic.jsonl", &lines.join("\n"));
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &path, &IngestOptions::new(now())).unwrap();
    assert_eq!((summary.read, summary.ingested), (9, 3));
    let rejected: Vec<u64> = summary.rejected.iter().map(|r| r.entry).collect();
    assert_eq!(rejected, vec![3, 4, 5, 7, 9, 10]);
    assert_eq!(
        summary.rejected[5].reason,
        "duration_ms -5 is not a duration (milliseconds, 0 or more)"
    );
    let reasons: Vec<&str> = summary.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons[0], "line is an array, not a JSON object");
    assert_eq!(reasons[1], "missing required field(s): status");
    assert!(
        reasons[2].contains("\"last week\"") && reasons[2].contains("epoch milliseconds"),
        "{}",
        reasons[2]
    );
    assert!(reasons[3].contains("column"), "{}", reasons[3]);
    assert!(
        reasons[4].contains("invalid type") && reasons[4].contains("column"),
        "{}",
        reasons[4]
    );

    let all = rows(&store);
    assert_eq!(all[0].0, "GET");
    assert_eq!(
        all[0].7,
        Utc.with_ymd_and_hms(2026, 3, 9, 7, 0, 0)
            .unwrap()
            .timestamp_millis()
    );
    assert_eq!(
        (all[1].1.as_str(), all[1].2.as_deref()),
        ("/pets/4", Some("limit=2"))
    );
    assert_eq!(all[1].7, 1_773_057_600_000, "epoch milliseconds");
    assert_eq!(all[2].3, 201);
    let bodies: Vec<Option<String>> = store
        .sqlite()
        .unwrap()
        .prepare("SELECT response_body FROM exchanges LEFT JOIN exchange_bodies ON exchange_id = id ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        bodies,
        vec![
            None,
            Some(r#"{"error":"gone"}"#.to_string()),
            Some("plain text".to_string())
        ]
    );
}

#[test]
fn a_jsonl_file_with_nothing_good_ingests_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "bad.jsonl", "not json\n{\"method\": \"GET\"}\n");
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &path, &IngestOptions::new(now())).unwrap();
    assert!(summary.nothing_ingested());
    assert_eq!(
        summary.rejected[0].reason,
        "line is not valid JSON, not a JSON object"
    );
    assert_eq!(
        summary.rejected[1].reason,
        "missing required field(s): path, status"
    );
}

#[test]
fn jsonl_lines_of_both_shapes_mix_and_status_0_is_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"method": "GET", "path": "/a", "status": 200, "answered_by_gateway": false}"#,
        r#"{"request": {"protocol": "Http", "method": "GET", "path": "/b", "headers": "{}"}, "response": {"status_code": 201}}"#,
        r#"{"method": "GET", "path": "/c", "status": 0}"#,
        r#"{"method": "GET", "path": "/d", "status": 504, "answered_by_gateway": true}"#,
        // A line of ours keeps its shape even with a `request` key among its fields.
        r#"{"method": "GET", "path": "/e", "status": 200, "request": {"x": 1}}"#,
    ];
    let path = write(&dir, "mixed.jsonl", &(lines.join("\n") + "\n"));
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &path, &IngestOptions::new(now())).unwrap();
    assert_eq!((summary.read, summary.ingested), (5, 4));
    assert_eq!(
        (
            summary.rejected[0].entry,
            summary.rejected[0].reason.as_str()
        ),
        (
            3,
            "status 0: no response was recorded (the request got no answer)"
        )
    );
    let stored: Vec<(String, i64)> = rows(&store).into_iter().map(|r| (r.1, r.3)).collect();
    assert_eq!(
        stored,
        [
            ("/a".to_string(), 200),
            ("/b".to_string(), 201),
            ("/d".to_string(), 504),
            ("/e".to_string(), 200)
        ]
    );
    let by_gateway: Vec<String> = store
        .sqlite()
        .unwrap()
        .prepare("SELECT path FROM exchanges_named WHERE answered_by_gateway = 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(by_gateway, ["/d"]);
}

#[test]
fn format_is_guessed_from_extension_then_content() {
    let dir = tempfile::tempdir().unwrap();
    let har = write(
        &dir,
        "capture.json",
        &format!("\u{feff}  {HAR_HEAD}{}]}}}}", har_entry("GET", "/a", "")),
    );
    let jsonl = write(
        &dir,
        "traffic.log",
        "{\"method\": \"GET\", \"path\": \"/a\", \"status\": 200}\n",
    );
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(
        ingest(&mut store, &har, &IngestOptions::new(now()))
            .unwrap()
            .ingested,
        1
    );
    assert_eq!(
        ingest(&mut store, &jsonl, &IngestOptions::new(now()))
            .unwrap()
            .ingested,
        1
    );
    let mut forced = IngestOptions::new(now());
    forced.input_format = Some(InputFormat::Jsonl);
    let summary = ingest(&mut store, &har, &forced).unwrap();
    assert_eq!(
        summary.ingested, 0,
        "a HAR read as JSON Lines is one bad line: {summary:?}"
    );
}

#[test]
fn a_missing_file_names_itself() {
    let mut store = Store::open_in_memory().unwrap();
    let err = ingest(
        &mut store,
        Path::new("/nonexistent/x.har"),
        &IngestOptions::new(now()),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("/nonexistent/x.har:"), "{err}");
}

#[test]
fn urls_split_into_path_and_query() {
    assert_eq!(
        split_url("https://h:8080/v1/pets?limit=2#top"),
        ("/v1/pets".into(), Some("limit=2".into()))
    );
    assert_eq!(split_url("http://h"), ("/".into(), None));
    assert_eq!(split_url("http://h?x=1"), ("/".into(), Some("x=1".into())));
    assert_eq!(split_url("/a/b?"), ("/a/b".into(), None));
}

/// The writer thread failing mid-file (here a trigger stands in for a full disk): the
/// error is returned, what was inserted before it stays, the state file is left without
/// an open transaction, and ingesting the file again completes it without doubles.
#[test]
fn a_failing_write_keeps_what_was_stored_and_a_retry_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..(BATCH_SIZE + 2_000))
        .map(|i| {
            let status = if i == BATCH_SIZE + 500 { 599 } else { 200 };
            format!(
                r#"{{"method": "GET", "path": "/items/{i}", "status": {status}, "timestamp": {}}}"#,
                1_773_057_600_000u64 + i as u64
            )
        })
        .collect();
    let path = write(&dir, "traffic.jsonl", &lines.join("\n"));
    let mut store = Store::open(&dir.path().join("state.db")).unwrap();
    store.fail_inserts_of_status(599, "ABORT");
    let opts = IngestOptions::new(now());
    let failed = ingest(&mut store, &path, &opts).err().unwrap().to_string();
    assert!(failed.contains("disk on fire"), "{failed}");
    assert!(
        store.sqlite().unwrap().is_autocommit(),
        "a transaction was left open"
    );
    let kept = store.exchange_count(None).unwrap();
    assert!(
        (BATCH_SIZE as u64..(BATCH_SIZE + 500) as u64 + 1).contains(&kept),
        "kept {kept}"
    );

    store.stop_failing_inserts();
    let again = ingest(&mut store, &path, &opts).unwrap();
    assert_eq!(
        again.ingested + again.duplicates,
        (BATCH_SIZE + 2_000) as u64
    );
    assert_eq!(again.duplicates, kept);
    assert_eq!(
        store.exchange_count(None).unwrap(),
        (BATCH_SIZE + 2_000) as u64
    );
}

/// SQLite rolling the whole transaction back on its own (RAISE(ROLLBACK) stands in for an
/// I/O error): nothing of it stays, the writer forgets the name ids it handed out, and a
/// retry stores every exchange under its own route.
#[test]
fn a_rolled_back_ingest_leaves_no_stale_names_behind() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..3)
        .map(|i| {
            let status = if i == 1 { 599 } else { 200 };
            format!(
                r#"{{"method": "GET", "path": "/items/{i}", "status": {status}, "timestamp": {}, "scenario": "s{i}"}}"#,
                1_773_057_600_000u64 + i as u64
            )
        })
        .collect();
    let path = write(&dir, "traffic.jsonl", &lines.join("\n"));
    let mut store = Store::open(&dir.path().join("state.db")).unwrap();
    store.fail_inserts_of_status(599, "ROLLBACK");
    let opts = IngestOptions::new(now());
    assert!(ingest(&mut store, &path, &opts).is_err());
    assert!(
        store.sqlite().unwrap().is_autocommit(),
        "a transaction was left open"
    );
    assert_eq!(store.exchange_count(None).unwrap(), 0);

    store.stop_failing_inserts();
    let again = ingest(&mut store, &path, &opts).unwrap();
    assert_eq!(again.ingested, 3);
    let stored: Vec<(String, Option<String>)> =
        rows(&store).into_iter().map(|row| (row.1, row.4)).collect();
    assert_eq!(
        stored,
        [
            ("/items/0".to_string(), Some("s0".to_string())),
            ("/items/1".to_string(), Some("s1".to_string())),
            ("/items/2".to_string(), Some("s2".to_string())),
        ]
    );
}
