//! Status on stderr: connection progress, warnings, errors and the exit summary. stdout is for data only.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError, mpsc};
use std::thread;
use std::time::Duration;

use colored::Color;

use crate::style::Style;
use crate::visible::visible;

const PREFIX: &str = "sensoro-sub: ";

/// How much status to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusConfig {
    pub verbosity: Verbosity,
    /// ANSI colors on stderr.
    pub color: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Status {
    config: StatusConfig,
}

impl Status {
    pub fn new(config: StatusConfig) -> Self {
        Self { config }
    }

    pub fn verbosity(&self) -> Verbosity {
        self.config.verbosity
    }

    /// Progress a user watching the terminal wants: connected, subscribed, reconnecting, the summary.
    pub fn info(&self, message: impl Display) {
        if self.config.verbosity >= Verbosity::Normal {
            self.line(None, message);
        }
    }

    /// Details for `-v`.
    pub fn detail(&self, message: impl Display) {
        if self.config.verbosity >= Verbosity::Verbose {
            self.line(None, message);
        }
    }

    /// Something the user must know even with `-q` (an undecodable push, a downgraded QoS).
    pub fn warn(&self, message: impl Display) {
        self.line(Some(("warning: ", Style::fg(Color::Yellow).bold())), message);
    }

    pub fn error(&self, message: impl Display) {
        error_line(self.config.color, message);
    }

    fn line(&self, label: Option<(&str, Style)>, message: impl Display) {
        let mut line = Vec::with_capacity(128);
        Style::dim().write(&mut line, self.config.color, PREFIX);
        let label = label.map_or("", |(label, style)| {
            style.write(&mut line, self.config.color, label);
            label
        });
        let message = visible_message(message);
        line.extend_from_slice(message.as_bytes());
        line.push(b'\n');
        emit(line, label, message);
    }
}

/// `sensoro-sub: error: ...` on stderr; usable before a [`Status`] exists (bad flags).
pub fn error_line(color: bool, message: impl Display) {
    let mut line = Vec::with_capacity(128);
    Style::dim().write(&mut line, color, PREFIX);
    Style::fg(Color::Red).bold().write(&mut line, color, ERROR_LABEL);
    let message = visible_message(message);
    line.extend_from_slice(message.as_bytes());
    line.push(b'\n');
    emit(line, ERROR_LABEL, message);
}

/// A status line is one line, and text from outside in it (a topic, a file name, a reason quoting
/// a push) never reaches the terminal raw: the whole message goes through [`visible`].
fn visible_message(message: impl Display) -> String {
    let text = message.to_string();
    match visible(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => escaped,
    }
}

const ERROR_LABEL: &str = "error: ";

/// One write per line, so status lines from different threads never interleave mid-line; or, while
/// a full-screen view holds stderr's lines, into [`HELD`].
fn emit(line: Vec<u8>, label: &str, message: String) {
    let mut held = lock_held();
    if let Some(held) = held.as_mut() {
        if held.lines.len() == HELD_LIMIT {
            held.lines.pop_front();
            held.dropped += 1;
        }
        held.lines.push_back(HeldLine { text: format!("{label}{message}"), bytes: line });
        return;
    }
    drop(held);
    write_stderr(line);
}

/// Once a run is ending, how long a status line may wait for stderr ([`bound_writes`]).
static WRITE_LIMIT: Mutex<Option<Duration>> = Mutex::new(None);
/// A bounded write did not finish in time: stderr's reader is gone or stalled; later lines are dropped.
static GAVE_UP: AtomicBool = AtomicBool::new(false);

/// From now on a status line waits at most `limit` for stderr, and once one could not be written in
/// time the rest are dropped. For the end of a run: a reader that stopped reading (`2>&1 | less`
/// not scrolled) must not keep the process alive after SIGTERM; the exit code still says what
/// happened.
pub fn bound_writes(limit: Duration) {
    *WRITE_LIMIT.lock().unwrap_or_else(PoisonError::into_inner) = Some(limit);
}

/// Writes whole lines to stderr: at once, or once [`bound_writes`] was called, from a thread of
/// its own that this one waits for only so long. Nowhere to report a failing stderr; the run goes on.
fn write_stderr(bytes: Vec<u8>) {
    let limit = *WRITE_LIMIT.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(limit) = limit else {
        let _ = std::io::stderr().lock().write_all(&bytes);
        return;
    };
    if GAVE_UP.load(Ordering::SeqCst) {
        return;
    }
    let (done, written) = mpsc::sync_channel(1);
    let writer = thread::Builder::new().name("stderr".into()).spawn(move || {
        let _ = std::io::stderr().lock().write_all(&bytes);
        let _ = done.send(());
    });
    // A thread that is still blocked when the process ends is ended with it.
    if writer.is_err() || written.recv_timeout(limit).is_err() {
        GAVE_UP.store(true, Ordering::SeqCst);
    }
}

/// A full-screen view owns the terminal: a line written to stderr meanwhile would tear its picture.
/// Between [`hold`] and [`release`] status lines are kept here (the latest few hundred), the view
/// shows the newest, and [`release`] writes them all once the terminal is restored.
static HELD: Mutex<Option<Held>> = Mutex::new(None);
const HELD_LIMIT: usize = 500;

struct Held {
    lines: VecDeque<HeldLine>,
    /// Lines pushed out by newer ones.
    dropped: u64,
}

struct HeldLine {
    /// Without prefix or colors, for the view.
    text: String,
    /// As it would have been written.
    bytes: Vec<u8>,
}

fn lock_held() -> MutexGuard<'static, Option<Held>> {
    // A panic while holding the lock leaves whole lines behind: go on with them.
    HELD.lock().unwrap_or_else(PoisonError::into_inner)
}

/// From now on status lines are held instead of written (see [`HELD`]).
pub fn hold() {
    lock_held().get_or_insert_with(|| Held { lines: VecDeque::new(), dropped: 0 });
}

/// The newest held line, plain (e.g. `warning: ...`), for a view's status line.
pub fn newest_held() -> Option<String> {
    lock_held().as_ref().and_then(|held| held.lines.back()).map(|line| line.text.clone())
}

/// Stops holding, and writes what was held to stderr, in order.
pub fn release() {
    let held = lock_held().take();
    write_held(held);
}

/// [`release`] from a panic hook, which may run on the very thread that holds the lock: then the
/// lines stay held rather than the hook deadlocking.
pub fn release_in_panic() {
    let held = match HELD.try_lock() {
        Ok(mut held) => held.take(),
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner().take(),
        Err(TryLockError::WouldBlock) => return,
    };
    write_held(held);
}

fn write_held(held: Option<Held>) {
    let Some(held) = held else { return };
    let mut bytes = Vec::new();
    if held.dropped > 0 {
        let _ = writeln!(bytes, "{PREFIX}({} earlier status lines not kept)", held.dropped);
    }
    for line in held.lines {
        bytes.extend_from_slice(&line.bytes);
    }
    write_stderr(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_lines_wait_for_release_and_the_newest_is_readable() {
        // Other tests may emit lines meanwhile (HELD is global): look for ours, bound the rest.
        let status = Status::new(StatusConfig { verbosity: Verbosity::Normal, color: true });
        hold();
        status.info("connected, held-test");
        status.warn("careful, held-test");
        let texts = || lock_held().as_ref().unwrap().lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
        assert!(texts().contains(&"warning: careful, held-test".to_owned()), "{:?}", texts());
        assert!(newest_held().is_some());
        for n in 0..HELD_LIMIT {
            status.info(n);
        }
        assert!(lock_held().as_ref().unwrap().dropped >= 2);
        assert_eq!(texts().len(), HELD_LIMIT);
        release();
        assert!(lock_held().is_none(), "released");
    }
}
