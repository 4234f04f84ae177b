//! `coverage ingest`: streams a HAR or JSON Lines file (ours, or MockForge's recorded
//! exchanges) into the exchange table.
//!
//! Files are read through a buffered reader, never whole: exchanges are parsed here and
//! inserted in batches on a writer thread through one [`ExchangeWriter`] (which commits
//! every 250,000 rows or 2 s, as one commit per batch rewrote the index pages a hundred
//! times); progress is reported after each batch. A bad entry is recorded as rejected
//! (file, 1-based entry or line number, reason) and skipped.
//! Scenario, persona and CI run come from the entry, else the flags, else (CI run only)
//! the CI's environment variables ([`ci_env`]), whose branch, job and workflow are
//! recorded with the run (`Store::record_ci_run`).

pub mod ci_env;
mod har;
mod jsonl;
mod mockforge;

use super::model::{IngestOptions, IngestSummary, InputFormat, Progress, RejectedEntry};
use super::CoverageError;
use crate::exchange::Exchange;
use crate::store::exchanges::{ExchangeWriter, InsertCounts, Keyed};
use crate::store::{Store, StoreError};
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, Utc};
use std::cell::Cell;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

/// Exchanges per transaction.
const BATCH_SIZE: usize = 10_000;

/// Ingests one file; the summary counts this file only (see [`IngestSummary::accumulate`]).
///
/// Fails only when the file cannot be read at all (missing, not JSON, no `log.entries`);
/// bad entries are listed in `rejected` and the rest is kept.
pub fn ingest_file(
    store: &mut Store,
    path: &Path,
    opts: &IngestOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary, CoverageError> {
    let io_error = |source| CoverageError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    let bytes_total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bytes_read = Rc::new(Cell::new(0u64));
    let counting = CountingReader {
        inner: file,
        count: Rc::clone(&bytes_read),
    };
    let mut reader = BufReader::with_capacity(256 * 1024, counting);
    skip_bom(&mut reader).map_err(io_error)?;
    let format = match opts.input_format {
        Some(format) => format,
        None => guess_format(path, &mut reader).map_err(io_error)?,
    };
    // Parsing (here) and inserting (on a writer thread) overlap: each is about half of
    // the work. One batch waits in the channel while the next is parsed.
    let writer = store.exchange_writer()?;
    let summary = std::thread::scope(|scope| {
        let (to_writer, batches) = sync_channel::<Vec<Keyed>>(1);
        let (results, from_writer) = channel();
        let writing = scope.spawn(move || write_batches(writer, batches, results));
        let mut sink = Sink {
            to_writer: Some(to_writer),
            from_writer,
            opts,
            ci_run_from_env: ci_env::ci_run_from_env(&opts.env),
            batch: Vec::with_capacity(BATCH_SIZE),
            summary: IngestSummary {
                files: 1,
                ..IngestSummary::default()
            },
            file: path.display().to_string(),
            progress,
            bytes_read,
            bytes_total,
        };
        let read = match format {
            InputFormat::Har => har::read(&mut reader, path, &mut sink),
            InputFormat::Jsonl => jsonl::read(&mut reader, path, &mut sink, false),
            InputFormat::MockforgeJsonl => jsonl::read(&mut reader, path, &mut sink, true),
        };
        let read = read.and_then(|()| Ok(sink.flush()?));
        // Closing the channel lets the writer commit and end.
        sink.to_writer = None;
        let committed = writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let written = sink.collect_results();
        read?;
        written?;
        committed?;
        sink.report_progress();
        Ok::<_, CoverageError>(sink.summary)
    })?;
    record_ci_run(store, opts, &summary)?;
    Ok(summary)
}

/// Records the CI run this ingest attributes exchanges to (`--ci-run`, else the CI's own
/// id) with the branch, job and workflow of the environment, once something was stored
/// or found stored. Exchanges that name their own CI run get no context from here.
fn record_ci_run(
    store: &Store,
    opts: &IngestOptions,
    summary: &IngestSummary,
) -> Result<(), StoreError> {
    if summary.nothing_ingested() {
        return Ok(());
    }
    match ci_env::ci_context(&opts.env, opts.ci_run.as_deref()) {
        Some(run) => store.record_ci_run(&run, opts.now.timestamp_millis()),
        None => Ok(()),
    }
}

/// The writer thread: inserts each batch as it comes, reports its counts, commits at the end.
fn write_batches(
    mut writer: ExchangeWriter<'_>,
    batches: Receiver<Vec<Keyed>>,
    results: Sender<(Result<InsertCounts, StoreError>, Vec<Keyed>)>,
) -> Result<(), StoreError> {
    for batch in batches {
        let inserted = writer.insert(&batch);
        let failed = inserted.is_err();
        // The batch goes back too: freeing it is the parsing side's work.
        let _ = results.send((inserted, batch));
        if failed {
            // Dropping the writer keeps what was inserted before the error.
            return Ok(());
        }
    }
    writer.commit()
}

/// Where parsed entries go: batched into the store, counted and reported.
pub(super) struct Sink<'a> {
    to_writer: Option<SyncSender<Vec<Keyed>>>,
    from_writer: Receiver<(Result<InsertCounts, StoreError>, Vec<Keyed>)>,
    opts: &'a IngestOptions,
    ci_run_from_env: Option<String>,
    batch: Vec<Exchange>,
    summary: IngestSummary,
    file: String,
    progress: &'a mut dyn FnMut(Progress),
    bytes_read: Rc<Cell<u64>>,
    bytes_total: u64,
}

impl Sink<'_> {
    /// One more entry or non-blank line was read.
    fn count_read(&mut self) {
        self.summary.read += 1;
    }

    /// Keeps an exchange, filling scenario, persona and CI run from the flags and environment.
    fn accept(&mut self, mut exchange: Exchange) -> Result<(), StoreError> {
        if exchange.scenario.is_none() {
            exchange.scenario.clone_from(&self.opts.scenario);
        }
        if exchange.persona.is_none() {
            exchange.persona.clone_from(&self.opts.persona);
        }
        if exchange.ci_run.is_none() {
            exchange.ci_run = self
                .opts
                .ci_run
                .clone()
                .or_else(|| self.ci_run_from_env.clone());
        }
        self.batch.push(exchange);
        if self.batch.len() >= BATCH_SIZE {
            self.flush()?;
            self.report_progress();
        }
        Ok(())
    }

    fn reject(&mut self, entry: u64, reason: impl Into<String>) {
        self.summary.rejected.push(RejectedEntry {
            file: self.file.clone(),
            entry,
            reason: reason.into(),
        });
    }

    fn now(&self) -> DateTime<Utc> {
        self.opts.now
    }

    /// Hands the batch to the writer thread (waiting while it is one batch behind).
    fn flush(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        // Keys are computed here, on the parsing side, not on the writer thread.
        let mut batch: Vec<Keyed> = self.batch.drain(..).map(Keyed::new).collect();
        // In time order, the inserts into the (ts, fingerprint) index walk it forward
        // instead of jumping around it: captures are rarely sorted.
        batch.sort_by_key(|x| x.exchange.timestamp);
        let sent = match &self.to_writer {
            Some(to_writer) => to_writer.send(batch).is_ok(),
            None => false,
        };
        if !sent {
            // The writer stopped on an error: it is waiting in the results.
            self.to_writer = None;
            return self.collect_results();
        }
        while let Ok(result) = self.from_writer.try_recv() {
            self.count(result)?;
        }
        Ok(())
    }

    /// Every result not yet counted (blocks until the writer is done once the channel is
    /// closed); the first error, if any.
    fn collect_results(&mut self) -> Result<(), StoreError> {
        let mut first_error = None;
        while let Ok(result) = self.from_writer.recv() {
            if let Err(e) = self.count(result) {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    fn count(
        &mut self,
        (result, batch): (Result<InsertCounts, StoreError>, Vec<Keyed>),
    ) -> Result<(), StoreError> {
        drop(batch);
        let counts = result?;
        self.summary.ingested += counts.inserted;
        self.summary.duplicates += counts.duplicates;
        Ok(())
    }

    fn report_progress(&mut self) {
        let update = Progress {
            file: self.file.clone(),
            bytes_read: self.bytes_read.get(),
            bytes_total: self.bytes_total,
            entries: self.summary.read,
        };
        (self.progress)(update);
    }
}

/// Counts the bytes read from a file, for progress.
struct CountingReader<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

fn skip_bom(reader: &mut impl BufRead) -> std::io::Result<()> {
    let head = reader.fill_buf()?;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        reader.consume(3);
    }
    Ok(())
}

/// `.har` → HAR; `.jsonl`, `.ndjson`, `.jsonlines` → JSON Lines; otherwise the content
/// decides: an object whose first key is `"log"` is a HAR, anything else JSON Lines
/// (where MockForge's recorded exchanges are recognised line by line).
fn guess_format(path: &Path, reader: &mut impl BufRead) -> std::io::Result<InputFormat> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "har" => return Ok(InputFormat::Har),
        "jsonl" | "ndjson" | "jsonlines" => return Ok(InputFormat::Jsonl),
        _ => {}
    }
    let head = reader.fill_buf()?;
    let mut rest = head.iter().skip_while(|b| b.is_ascii_whitespace());
    if rest.next() != Some(&b'{') {
        return Ok(InputFormat::Jsonl);
    }
    let after: Vec<u8> = rest
        .skip_while(|b| b.is_ascii_whitespace())
        .take(5)
        .copied()
        .collect();
    if after == b"\"log\"" {
        Ok(InputFormat::Har)
    } else {
        Ok(InputFormat::Jsonl)
    }
}

/// Reads a timestamp: RFC 3339 (a date-time without offset is taken as UTC) or epoch
/// milliseconds (a number or a string of digits).
pub(super) fn parse_timestamp(value: &serde_json::Value) -> Result<DateTime<Utc>, String> {
    match value {
        serde_json::Value::Number(n) => {
            let ms = n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.round() as i64)
            });
            ms.and_then(DateTime::from_timestamp_millis)
                .ok_or_else(|| format!("timestamp {n} is out of range for epoch milliseconds"))
        }
        serde_json::Value::String(text) => parse_timestamp_text(text),
        other => Err(format!(
            "timestamp must be an RFC 3339 string or epoch milliseconds, not {}",
            json_kind(other)
        )),
    }
}

fn parse_timestamp_text(text: &str) -> Result<DateTime<Utc>, String> {
    let trimmed = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(at.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, format) {
            return Ok(naive.and_utc());
        }
    }
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(at) = trimmed
            .parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_millis)
        {
            return Ok(at);
        }
    }
    Err(format!(
        "timestamp {text:?} is neither RFC 3339 (2026-03-10T12:00:00Z) nor epoch milliseconds"
    ))
}

/// A recorded body's text: as it is, or decoded when its encoding is `base64` (kept only
/// when that is UTF-8 text); an empty body is none.
pub(super) fn body_text(text: &str, encoding: Option<&str>) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    if !encoding.is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
        return Some(text.to_string());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim().as_bytes())
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// "a string", "an array", … for messages.
pub(super) fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
pub(crate) mod tests;
