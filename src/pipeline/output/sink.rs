//! Where printed lines go, and when they leave the process.
//!
//! A line is written through at once ([`crate::pipeline::Release::Now`]), with every line held
//! before it, when the caller will acknowledge its push right after. A line whose push nobody
//! acknowledges, while the next push is known to have arrived, may wait and leave with the next one
//! ([`crate::pipeline::Release::WithNext`]): one `write` per burst instead of one per push. Each `write` to a pipe wakes the reader, which on a busy
//! machine then takes the CPU from us; batching a drain is what lets it keep up with mosquitto_sub.
//! A line waits only while a push is known to be next in line, so nothing is held for long.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Held-back bytes beyond this are written at once, whatever comes next.
const PENDING_LIMIT: usize = 64 * 1024;

pub struct Sink {
    inner: Mutex<Inner>,
    /// `write` calls made on `out`, for `-v`'s summary.
    writes: AtomicU64,
    /// Syncs made (see [`Sink::flush_and_sync`]), for `-v`'s summary.
    syncs: AtomicU64,
}

/// Makes what was written to the output durable: `fdatasync` of a regular file. A durable session
/// calls it (through [`Sink::flush_and_sync`]) before it acknowledges the lines' pushes.
pub type Syncer = Box<dyn FnMut() -> io::Result<()> + Send>;

/// Opens the output anew (`--output` after logrotate renamed it, on SIGHUP).
pub type Reopener = Box<dyn FnMut() -> io::Result<()> + Send>;

struct Inner {
    out: Box<dyn Write + Send>,
    pending: Vec<u8>,
    sync: Option<Syncer>,
    reopen: Option<Reopener>,
    /// Bytes were written since the last sync: a push that printed nothing (filtered, a duplicate)
    /// costs no `fdatasync`.
    unsynced: bool,
}

impl Sink {
    pub fn new(out: Box<dyn Write + Send>) -> Sink {
        Sink {
            inner: Mutex::new(Inner { out, pending: Vec::new(), sync: None, reopen: None, unsynced: false }),
            writes: AtomicU64::new(0),
            syncs: AtomicU64::new(0),
        }
    }

    /// From now on [`Sink::flush_and_sync`] also calls `sync`.
    pub fn set_syncer(&self, sync: Syncer) {
        self.lock().sync = Some(sync);
    }

    pub fn set_reopener(&self, reopen: Reopener) {
        self.lock().reopen = Some(reopen);
    }

    /// Writes what is held back and opens the output anew; `Ok(false)` when it cannot be reopened
    /// (stdout). Lines held back go to the old file, which is synced before it is left.
    pub fn reopen(&self) -> io::Result<bool> {
        let mut inner = self.lock();
        self.write_locked(&mut inner, &[], false)?;
        match inner.reopen.as_mut() {
            Some(reopen) => reopen().map(|()| true),
            None => Ok(false),
        }
    }

    /// Writes `bytes` after what is held back, and flushes; or, when `may_wait`, holds them back too.
    pub fn write(&self, bytes: &[u8], may_wait: bool) -> io::Result<()> {
        let mut inner = self.lock();
        self.write_locked(&mut inner, bytes, may_wait)
    }

    fn write_locked(&self, inner: &mut Inner, bytes: &[u8], may_wait: bool) -> io::Result<()> {
        if may_wait && inner.pending.len() + bytes.len() <= PENDING_LIMIT {
            inner.pending.extend_from_slice(bytes);
            return Ok(());
        }
        if inner.pending.is_empty() {
            if bytes.is_empty() {
                return Ok(());
            }
            inner.out.write_all(bytes)?;
        } else {
            let Inner { out, pending, .. } = inner;
            pending.extend_from_slice(bytes);
            let written = out.write_all(pending);
            pending.clear();
            if pending.capacity() > PENDING_LIMIT * 2 {
                *pending = Vec::new();
            }
            written?;
        }
        self.writes.fetch_add(1, Ordering::Relaxed);
        inner.unsynced = true;
        inner.out.flush()
    }

    /// Writes whatever is held back.
    pub fn flush(&self) -> io::Result<()> {
        self.write(&[], false)
    }

    /// Writes whatever is held back, then makes everything written so far durable, when a syncer
    /// is set (a regular file). What comes before a durable session's acknowledgements.
    pub fn flush_and_sync(&self) -> io::Result<()> {
        let mut inner = self.lock();
        self.write_locked(&mut inner, &[], false)?;
        let Inner { sync, unsynced, .. } = &mut *inner;
        if let Some(sync) = sync.as_mut().filter(|_| *unsynced) {
            sync()?;
            *unsynced = false;
            self.syncs.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }

    pub fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while writing leaves bytes, not broken invariants: carry on with them.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// True when stdout is a pipe or socket whose reading end has closed (poll reports POLLERR/POLLHUP),
/// so a run that is waiting for pushes can end now rather than at its next write.
#[cfg(unix)]
pub fn stdout_reader_gone() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::os::fd::AsFd;
    let stdout = io::stdout();
    let mut fds = [PollFd::from_borrowed_fd(stdout.as_fd(), PollFlags::empty())];
    let ready = poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 0 })).unwrap_or(0);
    ready > 0 && fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP)
}

/// Elsewhere a closed reader is noticed at the next write.
#[cfg(not(unix))]
pub fn stdout_reader_gone() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<Vec<u8>>>>);

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn held_lines_leave_in_order_with_the_next_line_that_may_not_wait() {
        let recorder = Recorder::default();
        let sink = Sink::new(Box::new(recorder.clone()));
        sink.write(b"a\n", true).unwrap();
        sink.write(b"b\n", true).unwrap();
        assert!(recorder.0.lock().unwrap().is_empty(), "held back");
        sink.write(b"c\n", false).unwrap();
        sink.write(b"d\n", false).unwrap();
        assert_eq!(*recorder.0.lock().unwrap(), [b"a\nb\nc\n".to_vec(), b"d\n".to_vec()]);
        assert_eq!(sink.writes(), 2);
    }

    #[test]
    fn flush_writes_what_is_held_and_nothing_when_nothing_is() {
        let recorder = Recorder::default();
        let sink = Sink::new(Box::new(recorder.clone()));
        sink.flush().unwrap();
        sink.write(b"a\n", true).unwrap();
        sink.flush().unwrap();
        sink.flush().unwrap();
        assert_eq!(*recorder.0.lock().unwrap(), [b"a\n".to_vec()]);
        assert_eq!(sink.writes(), 1);
    }

    #[test]
    fn sync_follows_the_write_of_what_was_held() {
        let recorder = Recorder::default();
        let sink = Sink::new(Box::new(recorder.clone()));
        sink.flush_and_sync().unwrap();
        assert_eq!(sink.syncs(), 0, "no syncer, no sync");
        let seen = Arc::clone(&recorder.0);
        sink.set_syncer(Box::new(move || {
            seen.lock().unwrap().push(b"<sync>".to_vec());
            Ok(())
        }));
        sink.write(b"a\n", true).unwrap();
        sink.write(b"b\n", true).unwrap();
        sink.flush_and_sync().unwrap();
        assert_eq!(*recorder.0.lock().unwrap(), [b"a\nb\n".to_vec(), b"<sync>".to_vec()]);
        assert_eq!((sink.writes(), sink.syncs()), (1, 1));
        sink.flush_and_sync().unwrap();
        assert_eq!(sink.syncs(), 1, "nothing written since: no sync");
    }

    #[test]
    fn never_holds_more_than_the_limit() {
        let recorder = Recorder::default();
        let sink = Sink::new(Box::new(recorder.clone()));
        let line = vec![b'x'; 1000];
        for _ in 0..200 {
            sink.write(&line, true).unwrap();
        }
        let held = 200 * 1000 - recorder.0.lock().unwrap().iter().map(Vec::len).sum::<usize>();
        assert!(held <= PENDING_LIMIT, "{held}");
        assert!(sink.writes() >= 3);
    }
}
