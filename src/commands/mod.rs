//! The subcommands that are more than a call into one module: each takes resolved settings from the
//! config layer and returns an exit code; none ends the process.

pub mod check;
pub mod decode;
pub mod session;
pub mod subscribe;

use std::io::Write;

use crate::exit::stdout_error;

/// Writes `bytes` to stdout and flushes. A closed reader is [`crate::exit::StdoutClosed`].
pub fn print(bytes: &[u8]) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes).and_then(|()| stdout.flush()).map_err(stdout_error)
}
