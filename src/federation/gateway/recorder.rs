//! Recording exchanges off the request path: a bounded channel feeds a background thread
//! that hands batches to the [`ExchangeSink`]. A full channel drops (and counts) rather
//! than blocking a response.

use super::ExchangeSink;
use crate::exchange::Exchange;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const BATCH_MAX: usize = 512;
const BATCH_WAIT: Duration = Duration::from_millis(200);

pub(crate) struct Recorder {
    sender: RwLock<Option<SyncSender<Exchange>>>,
    dropped: AtomicU64,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Recorder {
    /// Starts the writer thread; `capacity` exchanges may wait in the channel.
    pub(crate) fn start(
        sink: Arc<dyn ExchangeSink>,
        capacity: usize,
    ) -> std::io::Result<Arc<Recorder>> {
        let (sender, receiver) = sync_channel(capacity.max(1));
        let thread = std::thread::Builder::new()
            .name("mockops-recorder".into())
            .spawn(move || {
                lower_priority();
                write_batches(&receiver, sink.as_ref())
            })?;
        Ok(Arc::new(Recorder {
            sender: RwLock::new(Some(sender)),
            dropped: AtomicU64::new(0),
            thread: Mutex::new(Some(thread)),
        }))
    }

    /// Queues an exchange without waiting.
    pub(crate) fn record(&self, exchange: Exchange) {
        let guard = match self.sender.read() {
            Ok(guard) => guard,
            Err(_) => return,
        };
        let Some(sender) = guard.as_ref() else {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        };
        match sender.try_send(exchange) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Closes the channel and waits until everything queued was handed to the sink.
    pub(crate) fn finish(&self) {
        if let Ok(mut guard) = self.sender.write() {
            guard.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// Recording is background work: where cores are few, the thread answering requests
/// should win the CPU over the one writing the state file (nice 10, this thread only).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take no pointers; on Linux a thread id names just
    // this thread, so only the recorder's priority changes. Failure changes nothing.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid);
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

fn write_batches(receiver: &Receiver<Exchange>, sink: &dyn ExchangeSink) {
    let mut batch = Vec::with_capacity(BATCH_MAX);
    loop {
        // Wait for the first exchange of a batch, then gather for at most BATCH_WAIT.
        match receiver.recv() {
            Ok(exchange) => batch.push(exchange),
            Err(_) => return,
        }
        let deadline = Instant::now() + BATCH_WAIT;
        let mut closed = false;
        while batch.len() < BATCH_MAX {
            let left = deadline.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(left) {
                Ok(exchange) => batch.push(exchange),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    closed = true;
                    break;
                }
            }
        }
        sink.record(std::mem::replace(&mut batch, Vec::with_capacity(BATCH_MAX)));
        if closed {
            return;
        }
    }
}
