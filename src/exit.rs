//! The exit codes of `sensoro-sub`, one place for the contract that scripts, cron and systemd rely on.

use std::fmt;
use std::io;

/// Every way a run can end. The numbers are documented in `--help` and the README; never renumber.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Normal end: `--count` or `--duration` reached, Ctrl-C / SIGTERM, or stdout closed by the reader.
    Success = 0,
    /// A bug or an unexpected system failure (e.g. stdout not writable for a reason other than a closed pipe).
    Internal = 1,
    /// Bad flags or configuration: nothing was attempted.
    Usage = 2,
    /// The broker could not be reached, or the connection was lost for good.
    Unreachable = 3,
    /// The broker refused us: CONNACK 4/5 (credentials or clientId) or a refused subscription; or
    /// another client took our clientId over twice in a row.
    Refused = 4,
    /// `--timeout` elapsed without a push.
    Timeout = 5,
    /// `--exit-on-alarm`: a push with an alarm was printed, and the run ended after it.
    Alarm = 6,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

/// Text for `--help` and the README: keep it in step with [`Exit`].
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  normal end (--count or --duration reached, Ctrl-C/SIGTERM, stdout closed)
  1  internal error
  2  usage or configuration error (bad flag, invalid clientId, QoS 2, missing AppID/AppSecret)
  3  broker unreachable, TLS certificate refused, or connection lost for good (see --give-up-after)
  4  refused by the broker (wrong AppID/AppSecret, clientId rule, subscription denied),
     or the clientId taken over twice in a row by another client
  5  --timeout elapsed with no push
  6  --exit-on-alarm: a push with an alarm was printed (it is the last line)";

/// An error that knows which exit code it maps to. Its message is one line that says what to do.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self { exit, message: message.into() }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// stdout's reader went away (`| head`). Every command then ends quietly with exit 0, as ripgrep
/// and bat do: the reader has what it wanted.
#[derive(Debug, Clone, Copy)]
pub struct StdoutClosed;

impl fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the reader of stdout went away")
    }
}

impl std::error::Error for StdoutClosed {}

/// A failed write to stdout: a closed reader is [`StdoutClosed`], anything else an internal failure.
pub fn stdout_error(error: io::Error) -> anyhow::Error {
    match error.kind() {
        io::ErrorKind::BrokenPipe => StdoutClosed.into(),
        _ => Failure::new(Exit::Internal, format!("cannot write to stdout: {error}")).into(),
    }
}

/// The exit code for any error that reached `main`: a [`Failure`] says its own, a closed stdout is a
/// normal end, anything else is internal.
pub fn exit_for(err: &anyhow::Error) -> Exit {
    if is_stdout_closed(err) {
        return Exit::Success;
    }
    err.downcast_ref::<Failure>().map_or(Exit::Internal, |f| f.exit)
}

/// True for the errors that end a run quietly: nothing to report, the reader is gone.
pub fn is_stdout_closed(err: &anyhow::Error) -> bool {
    err.downcast_ref::<StdoutClosed>().is_some()
}
