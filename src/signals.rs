//! The process's signals, taken by the command that runs a session: a handler is process-wide, so
//! the session (library code) only hears of them through its [`Stopper`].
//!
//! ctrlc takes SIGINT; SIGTERM and SIGHUP come through signal-hook, because SIGHUP is the session's
//! to judge: it opens `--output` anew (logrotate) when there is a file to reopen, and ends the run
//! (a terminal gone) when there is not.

use crate::exit::{Exit, Failure};
use crate::mqtt::Stopper;

/// Hands SIGINT and SIGTERM (stop) and SIGHUP (hang up) to the session for the rest of the
/// process. Once per process: ctrlc takes one handler.
pub fn forward_to(session: Stopper) -> Result<(), Failure> {
    let setup = |why: String| Failure::new(Exit::Internal, why);
    let on_interrupt = session.clone();
    // ctrlc calls this on its own thread, not in the signal handler: it may wait for room in the
    // session's channel, so a Ctrl-C is never lost to a full one.
    ctrlc::set_handler(move || on_interrupt.stop())
        .map_err(|e| setup(format!("cannot install the Ctrl-C handler: {e}")))?;
    forward_term_and_hup(session).map_err(|e| setup(format!("cannot install the SIGTERM/SIGHUP handler: {e}")))
}

/// SIGTERM and SIGHUP, read on a thread of their own, which may wait for room in the channel: none
/// is lost. The thread ends with the process.
fn forward_term_and_hup(session: Stopper) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        for signal in signals.forever() {
            if signal == SIGHUP { session.hang_up() } else { session.stop() }
        }
    })?;
    Ok(())
}
