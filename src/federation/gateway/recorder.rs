//! Recording exchanges off the request path: requests append to a bounded buffer that a
//! background thread drains [`FLUSH_EVERY`] after the first exchange arrives (sooner once
//! [`FLUSH_AT`] wait) and hands to the [`ExchangeSink`] as one batch — one transaction.
//!
//! A request only takes an uncontended lock to append: it wakes the writer thread only
//! for the first exchange after an idle spell and when the buffer reaches [`FLUSH_AT`],
//! not per exchange (a channel that woke the receiver for every send cost the serving
//! thread a futex call per request). With no traffic the writer sleeps without a timer.
//!
//! When the buffer is full the writer is behind: the request's answer then waits for room
//! (back-pressure: the clients slow down to the rate the state file takes), at most
//! [`ServeOptions::record_hold`](super::ServeOptions::record_hold), and only then is the
//! exchange dropped. Both are counted ([`RecorderStatus`]), never silent.

use crate::exchange::Exchange;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use hyper::Method;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Where recorded exchanges go (`federation serve` stores them in the state file).
pub trait ExchangeSink: Send + Sync + 'static {
    /// Stores a batch, in one transaction where the sink has them. An error loses the
    /// batch; the recorder counts its exchanges as dropped ([`RecorderStatus::dropped`]).
    fn record(&self, batch: Vec<crate::exchange::Exchange>) -> Result<(), SinkError>;
}

/// Why a sink could not store a batch.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// How long an exchange may wait before it is handed to the sink.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// A buffer this long is handed over at once.
const FLUSH_AT: usize = 4096;

/// A service as exchanges name it, shared by all of its exchanges.
pub(crate) struct ServiceLabel {
    pub(crate) name: String,
    pub(crate) workspace_id: String,
}

/// What the request path hands over: cheap to build (one copy of each body that is kept,
/// the service shared) and turned into an [`Exchange`] on the recorder thread. Bodies are
/// copied rather than shared: a `Bytes` of hyper's would pin its whole read buffer for
/// as long as the exchange waits.
pub(crate) struct Recorded {
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) method: Method,
    /// The path the upstream received; `None` when nothing was forwarded (the gateway's).
    pub(crate) path: Option<String>,
    pub(crate) gateway_path: String,
    pub(crate) query: Option<String>,
    pub(crate) status: u16,
    pub(crate) service: Option<Arc<ServiceLabel>>,
    pub(crate) reality_level: Option<&'static str>,
    pub(crate) scenario: Option<String>,
    pub(crate) persona: Option<String>,
    pub(crate) ci_run: Option<String>,
    pub(crate) duration_ms: f64,
    /// Bodies up to the cap (see [`Recorded::body`]).
    pub(crate) request_body: Option<Vec<u8>>,
    pub(crate) response_body: Option<Vec<u8>>,
    /// The gateway answered itself (see [`Exchange::answered_by_gateway`]).
    pub(crate) answered_by_gateway: bool,
}

impl Recorded {
    /// A body as recorded: kept when it is not empty and at most `cap` bytes.
    pub(crate) fn body(body: &Bytes, cap: usize) -> Option<Vec<u8>> {
        (!body.is_empty() && body.len() <= cap).then(|| body.to_vec())
    }

    /// The exchange; bodies that are not UTF-8 are left out.
    fn into_exchange(self) -> Exchange {
        let text = |body: Option<Vec<u8>>| body.and_then(|b| String::from_utf8(b).ok());
        Exchange {
            timestamp: self.timestamp,
            method: self.method.to_string(),
            path: self.path.unwrap_or_else(|| self.gateway_path.clone()),
            query: self.query,
            status: self.status,
            service: self.service.as_ref().map(|s| s.name.clone()),
            workspace_id: self.service.as_ref().map(|s| s.workspace_id.clone()),
            reality_level: self.reality_level.map(str::to_string),
            scenario: self.scenario,
            persona: self.persona,
            ci_run: self.ci_run,
            duration_ms: Some(self.duration_ms),
            request_body: text(self.request_body),
            response_body: text(self.response_body),
            source: "gateway".to_string(),
            gateway_path: Some(self.gateway_path),
            answered_by_gateway: self.answered_by_gateway,
        }
    }
}

/// The recorder's counters since the gateway started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecorderStatus {
    /// Exchanges the requests handed over.
    pub received: u64,
    /// Exchanges the sink stored.
    pub recorded: u64,
    /// Exchanges in the buffer or being written now.
    pub waiting: u64,
    /// Answers that waited for room in a full buffer (back-pressure) before they left.
    pub held: u64,
    /// Exchanges not recorded: no room within the hold limit, handed over after shutdown
    /// began, or refused by the sink (a state file that cannot be written).
    pub dropped: u64,
}

struct Buffer {
    exchanges: Vec<Recorded>,
    closed: bool,
}

#[derive(Default)]
struct Counters {
    received: AtomicU64,
    recorded: AtomicU64,
    held: AtomicU64,
    dropped: AtomicU64,
}

/// What the request path and the writer thread share.
struct Shared {
    buffer: Mutex<Buffer>,
    /// Wakes the writer.
    wake: Condvar,
    /// Wakes requests waiting for room, each time the writer takes a batch.
    room: Notify,
    capacity: usize,
    flush_every: Duration,
    counters: Counters,
    /// Batches the writer took, to show that an idle recorder sleeps.
    #[cfg(test)]
    batches_taken: AtomicU64,
}

/// Where an exchange handed to [`Shared::push`] went.
enum Pushed {
    Buffered,
    /// No room: the caller keeps the exchange.
    Full,
    Closed,
}

pub(crate) struct Recorder {
    shared: Arc<Shared>,
    /// The longest an answer waits for room before its exchange is dropped.
    hold: Duration,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Recorder {
    /// Starts the writer thread; `capacity` exchanges may wait in the buffer (0 drops
    /// them all, for tests); an answer waits at most `hold` for room in a full one.
    pub(crate) fn start(
        sink: Arc<dyn ExchangeSink>,
        capacity: usize,
        hold: Duration,
    ) -> std::io::Result<Arc<Recorder>> {
        Self::start_flushing_every(sink, capacity, hold, FLUSH_EVERY)
    }

    fn start_flushing_every(
        sink: Arc<dyn ExchangeSink>,
        capacity: usize,
        hold: Duration,
        flush_every: Duration,
    ) -> std::io::Result<Arc<Recorder>> {
        let shared = Arc::new(Shared {
            buffer: Mutex::new(Buffer {
                exchanges: Vec::new(),
                closed: false,
            }),
            wake: Condvar::new(),
            room: Notify::new(),
            // 0: nothing may wait, every exchange is dropped (and counted).
            capacity,
            flush_every,
            counters: Counters::default(),
            #[cfg(test)]
            batches_taken: AtomicU64::new(0),
        });
        let writer = shared.clone();
        let thread = std::thread::Builder::new()
            .name("mockops-recorder".into())
            .spawn(move || write_batches(&writer, sink.as_ref()))?;
        Ok(Arc::new(Recorder {
            shared,
            hold,
            thread: Mutex::new(Some(thread)),
        }))
    }

    /// Queues an exchange without waiting on the disk while there is room; in a full
    /// buffer, waits for room (at most the hold limit), then drops it. Either way counted.
    pub(crate) async fn record(&self, exchange: Recorded) {
        let counters = &self.shared.counters;
        counters.received.fetch_add(1, Ordering::Relaxed);
        let mut exchange = Some(exchange);
        match self.shared.push(&mut exchange) {
            Pushed::Buffered => return,
            Pushed::Full if self.shared.capacity > 0 => {}
            Pushed::Full | Pushed::Closed => {
                counters.dropped.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
        counters.held.fetch_add(1, Ordering::Relaxed);
        let deadline = tokio::time::Instant::now() + self.hold;
        loop {
            // Registered before trying again, so that a batch taken in between wakes it.
            let room = self.shared.room.notified();
            tokio::pin!(room);
            room.as_mut().enable();
            match self.shared.push(&mut exchange) {
                Pushed::Buffered => return,
                Pushed::Closed => break,
                Pushed::Full => {}
            }
            if tokio::time::timeout_at(deadline, room).await.is_err() {
                break;
            }
        }
        counters.dropped.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn status(&self) -> RecorderStatus {
        let c = &self.shared.counters;
        // Read in the order they grow, so that `waiting` never goes below zero.
        let recorded = c.recorded.load(Ordering::Acquire);
        let dropped = c.dropped.load(Ordering::Acquire);
        let held = c.held.load(Ordering::Acquire);
        let received = c.received.load(Ordering::Acquire);
        RecorderStatus {
            received,
            recorded,
            waiting: received.saturating_sub(recorded + dropped),
            held,
            dropped,
        }
    }

    /// Stops taking exchanges and waits until everything buffered was handed to the sink.
    pub(crate) fn finish(&self) {
        self.shared.close();
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// A recorder dropped without [`Recorder::finish`] (a gateway that failed to start) closes
/// the buffer, and its writer thread hands over what waited and ends by itself.
impl Drop for Recorder {
    fn drop(&mut self) {
        self.shared.close();
    }
}

impl Shared {
    /// Appends unless the buffer is full or closed. The writer is woken by the first
    /// exchange after it went idle and by a buffer reaching [`FLUSH_AT`], not per exchange.
    /// Takes the exchange out of `exchange` only when it is buffered.
    fn push(&self, exchange: &mut Option<Recorded>) -> Pushed {
        let Ok(mut buffer) = self.buffer.lock() else {
            return Pushed::Closed;
        };
        if buffer.closed {
            return Pushed::Closed;
        }
        if buffer.exchanges.len() >= self.capacity {
            return Pushed::Full;
        }
        let Some(exchange) = exchange.take() else {
            return Pushed::Buffered;
        };
        buffer.exchanges.push(exchange);
        let waiting = buffer.exchanges.len();
        if waiting == 1 || waiting == FLUSH_AT.min(self.capacity) {
            self.wake.notify_one();
        }
        Pushed::Buffered
    }

    fn close(&self) {
        if let Ok(mut buffer) = self.buffer.lock() {
            buffer.closed = true;
        }
        self.wake.notify_one();
        // Requests waiting for room find the buffer closed.
        self.room.notify_waiters();
    }

    /// Sleeps while nothing waits (no timer: an idle gateway's recorder does not wake),
    /// then until the buffer is long enough, closed, or [`Self::flush_every`] has passed
    /// since the writer saw the first exchange (a spurious wake-up waits on); then swaps
    /// the buffer with `spare` (an empty vector that kept its capacity, so the request path
    /// does not grow a fresh one every cycle). Returns the batch and whether the recorder
    /// is closed.
    fn take_batch(&self, mut spare: Vec<Recorded>) -> Option<(Vec<Recorded>, bool)> {
        let mut buffer = self.buffer.lock().ok()?;
        while !buffer.closed && buffer.exchanges.is_empty() {
            buffer = self.wake.wait(buffer).ok()?;
        }
        let deadline = Instant::now() + self.flush_every;
        while !buffer.closed && buffer.exchanges.len() < FLUSH_AT.min(self.capacity) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            buffer = self.wake.wait_timeout(buffer, left).ok()?.0;
        }
        std::mem::swap(&mut buffer.exchanges, &mut spare);
        let closed = buffer.closed;
        drop(buffer);
        self.room.notify_waiters();
        #[cfg(test)]
        self.batches_taken.fetch_add(1, Ordering::Relaxed);
        Some((spare, closed))
    }
}

/// The writer thread: runs until the recorder is closed and its buffer handed over. Each
/// batch goes to the sink whole, as one transaction.
fn write_batches(shared: &Shared, sink: &dyn ExchangeSink) {
    lower_priority();
    let mut spare = Vec::new();
    let counters = &shared.counters;
    loop {
        let Some(taken) = shared.take_batch(spare) else {
            return;
        };
        let (mut batch, closed) = taken;
        let count = batch.len() as u64;
        if count > 0 {
            let exchanges: Vec<Exchange> = batch.drain(..).map(Recorded::into_exchange).collect();
            match sink.record(exchanges) {
                Ok(()) => counters.recorded.fetch_add(count, Ordering::Release),
                Err(_) => counters.dropped.fetch_add(count, Ordering::Release),
            };
        }
        spare = batch;
        if closed {
            return;
        }
    }
}

/// Recording is background work: where cores are few, the thread answering requests
/// should win the CPU over the one writing the state file (nice 10, this thread only).
/// (Linux `SCHED_IDLE` would yield more, but an unprivileged thread cannot leave it
/// again, and an idle-priority writer starved while it holds SQLite's write lock would
/// stall every other writer of the state file.)
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take no pointers; on Linux a thread id names just
    // this thread, so only the recorder's priority changes. Failure changes nothing.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid);
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn recorded(path: &str, body: &'static [u8]) -> Recorded {
        Recorded {
            timestamp: DateTime::<Utc>::default(),
            method: Method::GET,
            path: None,
            gateway_path: path.to_string(),
            query: None,
            status: 200,
            service: Some(Arc::new(ServiceLabel {
                name: "pets".into(),
                workspace_id: "w".into(),
            })),
            reality_level: Some("mock_v3"),
            scenario: None,
            persona: None,
            ci_run: None,
            duration_ms: 1.0,
            request_body: None,
            response_body: Recorded::body(&Bytes::from_static(body), 8),
            answered_by_gateway: path == "/a/1",
        }
    }

    /// Hands batches over; the first one waits until the test lets it go.
    struct GatedSink {
        entered: Mutex<Option<mpsc::Sender<()>>>,
        release: Mutex<mpsc::Receiver<()>>,
        got: Mutex<Vec<Exchange>>,
    }

    impl GatedSink {
        /// A sink whose batches all go straight through.
        fn open() -> Arc<GatedSink> {
            let (_, release_rx) = mpsc::channel();
            Arc::new(GatedSink {
                entered: Mutex::new(None),
                release: Mutex::new(release_rx),
                got: Mutex::new(Vec::new()),
            })
        }
    }

    impl ExchangeSink for GatedSink {
        fn record(&self, batch: Vec<Exchange>) -> Result<(), SinkError> {
            if let Some(entered) = self.entered.lock().unwrap().take() {
                entered.send(()).unwrap();
                self.release.lock().unwrap().recv().unwrap();
            }
            self.got.lock().unwrap().extend(batch);
            Ok(())
        }
    }

    /// Runs `record` to its end on a runtime of its own (as a request would).
    fn record(recorder: &Recorder, exchange: Recorded) {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(recorder.record(exchange));
    }

    #[test]
    fn a_full_buffer_holds_the_answer_then_drops_and_counts_and_finish_hands_over_the_rest() {
        let (entered_tx, entered) = mpsc::channel();
        let (release, release_rx) = mpsc::channel();
        let sink = Arc::new(GatedSink {
            entered: Mutex::new(Some(entered_tx)),
            release: Mutex::new(release_rx),
            got: Mutex::new(Vec::new()),
        });
        // Flushing only when full or finished, so the test decides when batches go.
        let recorder = Recorder::start_flushing_every(
            sink.clone(),
            3,
            Duration::from_millis(50),
            Duration::from_secs(3600),
        )
        .unwrap();
        for i in 0..3 {
            record(&recorder, recorded(&format!("/a/{i}"), b"{}"));
        }
        // The third filled the buffer and woke the writer, now stuck in the sink.
        entered.recv().unwrap();
        for i in 3..6 {
            record(&recorder, recorded(&format!("/a/{i}"), b"0123456789"));
        }
        let before = recorder.status();
        assert_eq!((before.received, before.waiting, before.held), (6, 6, 0));
        // No room, and the writer stays stuck: the answer is held 50 ms, then let go.
        record(&recorder, recorded("/a/dropped", b"{}"));
        let full = recorder.status();
        assert_eq!((full.held, full.dropped, full.waiting), (1, 1, 6));
        release.send(()).unwrap();
        recorder.finish();
        record(&recorder, recorded("/a/after-finish", b"{}"));
        let after = recorder.status();
        assert_eq!(
            after,
            RecorderStatus {
                received: 8,
                recorded: 6,
                waiting: 0,
                held: 1,
                dropped: 2
            }
        );
        let got = sink.got.lock().unwrap();
        let paths: Vec<&str> = got.iter().map(|x| x.path.as_str()).collect();
        assert_eq!(paths, ["/a/0", "/a/1", "/a/2", "/a/3", "/a/4", "/a/5"]);
        assert_eq!(got[0].response_body.as_deref(), Some("{}"));
        assert_eq!(got[3].response_body, None, "over the 8-byte body cap");
        assert_eq!(got[0].service.as_deref(), Some("pets"));
        assert_eq!(got[0].gateway_path.as_deref(), Some("/a/0"));
        assert_eq!(got[0].source, "gateway");
        let by_gateway: Vec<bool> = got.iter().map(|x| x.answered_by_gateway).collect();
        assert_eq!(by_gateway, [false, true, false, false, false, false]);
    }

    #[test]
    fn an_idle_recorder_sleeps_until_an_exchange_arrives() {
        let sink = GatedSink::open();
        let recorder = Recorder::start_flushing_every(
            sink.clone(),
            8,
            Duration::ZERO,
            Duration::from_millis(5),
        )
        .unwrap();
        let taken = || recorder.shared.batches_taken.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(taken(), 0, "the writer woke without traffic");
        record(&recorder, recorded("/a/1", b"{}"));
        let waited = Instant::now();
        while sink.got.lock().unwrap().is_empty() {
            assert!(
                waited.elapsed() < Duration::from_secs(5),
                "never handed over"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(taken(), 1, "one exchange, one batch, then asleep again");
        recorder.finish();
        assert_eq!(sink.got.lock().unwrap().len(), 1);
    }

    /// A gateway that fails after starting its recorder drops it without `finish`: the
    /// writer thread must end (and let go of the sink and its state file) by itself.
    #[test]
    fn a_recorder_dropped_without_finish_ends_its_thread() {
        let sink = GatedSink::open();
        let recorder = Recorder::start_flushing_every(
            sink.clone(),
            8,
            Duration::ZERO,
            Duration::from_secs(3600),
        )
        .unwrap();
        assert_eq!(Arc::strong_count(&sink), 2, "the writer holds the sink");
        drop(recorder);
        let waited = Instant::now();
        while Arc::strong_count(&sink) > 1 {
            assert!(
                waited.elapsed() < Duration::from_secs(5),
                "the writer thread still runs"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
