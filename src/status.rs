//! Status on stderr: connection progress, warnings, errors and the exit summary. stdout is for data only.

use std::fmt::Display;
use std::io::Write;

use colored::Color;

use crate::style::Style;

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
        if let Some((label, style)) = label {
            style.write(&mut line, self.config.color, label);
        }
        let _ = write!(line, "{message}");
        line.push(b'\n');
        emit(&line);
    }
}

/// `sensoro-sub: error: ...` on stderr; usable before a [`Status`] exists (bad flags).
pub fn error_line(color: bool, message: impl Display) {
    let mut line = Vec::with_capacity(128);
    Style::dim().write(&mut line, color, PREFIX);
    Style::fg(Color::Red).bold().write(&mut line, color, "error: ");
    let _ = write!(line, "{message}");
    line.push(b'\n');
    emit(&line);
}

/// One write per line, so status lines from different threads never interleave mid-line.
fn emit(line: &[u8]) {
    // Nowhere to report a failing stderr; the run itself goes on.
    let _ = std::io::stderr().lock().write_all(line);
}
