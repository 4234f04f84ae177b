//! Recording exchanges off the request path: requests append to a bounded buffer that a
//! background thread drains every [`FLUSH_EVERY`] (sooner once [`FLUSH_AT`] wait) and hands
//! to the [`ExchangeSink`] as one batch. A full buffer drops (and counts) rather than
//! blocking a response.
//!
//! A request only takes an uncontended lock to append: it wakes the writer thread only
//! when the buffer reaches [`FLUSH_AT`], not per exchange (a channel that woke the
//! receiver for every send cost the serving thread a futex call per request). The writer
//! runs as an idle-priority thread until it falls behind (see [`Priority`]), so that its
//! bursts of SQLite work do not delay requests on a machine with few cores.

use super::ExchangeSink;
use crate::exchange::Exchange;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use hyper::Method;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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
        }
    }
}

struct Buffer {
    exchanges: Vec<Recorded>,
    closed: bool,
}

pub(crate) struct Recorder {
    buffer: Mutex<Buffer>,
    wake: Condvar,
    capacity: usize,
    flush_every: Duration,
    dropped: AtomicU64,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Recorder {
    /// Starts the writer thread; `capacity` exchanges may wait in the buffer.
    pub(crate) fn start(
        sink: Arc<dyn ExchangeSink>,
        capacity: usize,
    ) -> std::io::Result<Arc<Recorder>> {
        Self::start_flushing_every(sink, capacity, FLUSH_EVERY)
    }

    fn start_flushing_every(
        sink: Arc<dyn ExchangeSink>,
        capacity: usize,
        flush_every: Duration,
    ) -> std::io::Result<Arc<Recorder>> {
        let recorder = Arc::new(Recorder {
            buffer: Mutex::new(Buffer {
                exchanges: Vec::new(),
                closed: false,
            }),
            wake: Condvar::new(),
            capacity: capacity.max(1),
            flush_every,
            dropped: AtomicU64::new(0),
            thread: Mutex::new(None),
        });
        let writer = recorder.clone();
        let thread = std::thread::Builder::new()
            .name("mockops-recorder".into())
            .spawn(move || writer.write_batches(sink.as_ref()))?;
        if let Ok(mut slot) = recorder.thread.lock() {
            *slot = Some(thread);
        }
        Ok(recorder)
    }

    /// Queues an exchange without waiting on the disk.
    pub(crate) fn record(&self, exchange: Recorded) {
        let Ok(mut buffer) = self.buffer.lock() else {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        };
        if buffer.closed || buffer.exchanges.len() >= self.capacity {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        buffer.exchanges.push(exchange);
        if buffer.exchanges.len() == FLUSH_AT.min(self.capacity) {
            self.wake.notify_one();
        }
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Stops taking exchanges and waits until everything buffered was handed to the sink.
    pub(crate) fn finish(&self) {
        if let Ok(mut buffer) = self.buffer.lock() {
            buffer.closed = true;
        }
        self.wake.notify_one();
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }

    /// The writer thread: every [`FLUSH_EVERY`], or when woken, takes the whole buffer.
    fn write_batches(&self, sink: &dyn ExchangeSink) {
        let mut priority = Priority::Idle;
        set_priority(priority);
        loop {
            let Ok(mut buffer) = self.buffer.lock() else {
                return;
            };
            // Until the buffer is long enough, closed, or the flush time has come
            // (a spurious wake-up waits on).
            let deadline = Instant::now() + self.flush_every;
            while !buffer.closed && buffer.exchanges.len() < FLUSH_AT.min(self.capacity) {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                buffer = match self.wake.wait_timeout(buffer, left) {
                    Ok((buffer, _)) => buffer,
                    Err(_) => return,
                };
            }
            let closed = buffer.closed;
            let batch = std::mem::take(&mut buffer.exchanges);
            drop(buffer);
            let next = priority.for_backlog(batch.len(), self.capacity);
            if next != priority {
                priority = next;
                set_priority(priority);
            }
            if !batch.is_empty() {
                sink.record(batch.into_iter().map(Recorded::into_exchange).collect());
            }
            if closed {
                return;
            }
        }
    }
}

/// How the writer thread competes for the CPU.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Priority {
    /// Runs only on a CPU nothing else wants (Linux `SCHED_IDLE`): keeping up costs the
    /// requests nothing while there is idle time.
    Idle,
    /// Falling behind: an ordinary thread at nice 10, so the buffer drains instead of
    /// dropping exchanges when every core is busy.
    Background,
}

impl Priority {
    /// The priority for a backlog of `waiting` exchanges, with hysteresis.
    fn for_backlog(self, waiting: usize, capacity: usize) -> Priority {
        match self {
            Priority::Idle if waiting >= capacity / 8 => Priority::Background,
            Priority::Background if waiting < capacity / 32 => Priority::Idle,
            same => same,
        }
    }
}

/// Applies `priority` to the calling thread only.
fn set_priority(priority: Priority) {
    #[cfg(target_os = "linux")]
    // SAFETY: sched_setscheduler reads one sched_param that lives across the call; pid 0
    // and a thread id from gettid name just this thread, so only the recorder's
    // scheduling changes. Failure (a kernel or sandbox refusing) changes nothing.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        let policy = match priority {
            Priority::Idle => libc::SCHED_IDLE,
            Priority::Background => libc::SCHED_OTHER,
        };
        let _ = libc::sched_setscheduler(0, policy, &param);
        if priority == Priority::Background {
            let tid = libc::syscall(libc::SYS_gettid);
            let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = priority;
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
        }
    }

    /// Hands batches over; the first one waits until the test lets it go.
    struct GatedSink {
        entered: Mutex<Option<mpsc::Sender<()>>>,
        release: Mutex<mpsc::Receiver<()>>,
        got: Mutex<Vec<Exchange>>,
    }

    impl ExchangeSink for GatedSink {
        fn record(&self, batch: Vec<Exchange>) {
            if let Some(entered) = self.entered.lock().unwrap().take() {
                entered.send(()).unwrap();
                self.release.lock().unwrap().recv().unwrap();
            }
            self.got.lock().unwrap().extend(batch);
        }
    }

    #[test]
    fn a_full_buffer_drops_and_counts_and_finish_hands_over_the_rest() {
        let (entered_tx, entered) = mpsc::channel();
        let (release, release_rx) = mpsc::channel();
        let sink = Arc::new(GatedSink {
            entered: Mutex::new(Some(entered_tx)),
            release: Mutex::new(release_rx),
            got: Mutex::new(Vec::new()),
        });
        // Flushing only when full or finished, so the test decides when batches go.
        let recorder =
            Recorder::start_flushing_every(sink.clone(), 3, Duration::from_secs(3600)).unwrap();
        for i in 0..3 {
            recorder.record(recorded(&format!("/a/{i}"), b"{}"));
        }
        // The third filled the buffer and woke the writer, now stuck in the sink.
        entered.recv().unwrap();
        for i in 3..6 {
            recorder.record(recorded(&format!("/a/{i}"), b"0123456789"));
        }
        recorder.record(recorded("/a/dropped", b"{}"));
        assert_eq!(recorder.dropped(), 1);
        release.send(()).unwrap();
        recorder.finish();
        recorder.record(recorded("/a/after-finish", b"{}"));
        assert_eq!(recorder.dropped(), 2);
        let got = sink.got.lock().unwrap();
        let paths: Vec<&str> = got.iter().map(|x| x.path.as_str()).collect();
        assert_eq!(paths, ["/a/0", "/a/1", "/a/2", "/a/3", "/a/4", "/a/5"]);
        assert_eq!(got[0].response_body.as_deref(), Some("{}"));
        assert_eq!(got[3].response_body, None, "over the 8-byte body cap");
        assert_eq!(got[0].service.as_deref(), Some("pets"));
        assert_eq!(got[0].gateway_path.as_deref(), Some("/a/0"));
        assert_eq!(got[0].source, "gateway");
    }

    #[test]
    fn the_writer_yields_until_it_falls_behind() {
        let capacity = 16 * 1024;
        let idle = Priority::Idle;
        assert_eq!(idle.for_backlog(100, capacity), Priority::Idle);
        let behind = idle.for_backlog(capacity / 8, capacity);
        assert_eq!(behind, Priority::Background);
        // Hysteresis: it stays ahead of the requests until the backlog is small again.
        assert_eq!(
            behind.for_backlog(capacity / 16, capacity),
            Priority::Background
        );
        assert_eq!(behind.for_backlog(100, capacity), Priority::Idle);
    }
}
