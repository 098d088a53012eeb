//! The process's surroundings that decide defaults: is stdout a terminal, are colors unwanted.

use std::io::IsTerminal;

use crate::cli::ColorArg;

/// Facts about the process's surroundings that decide defaults; passed in so tests can vary them.
#[derive(Clone, Copy, Debug)]
pub struct Terminal {
    pub stdout_is_tty: bool,
    pub stderr_is_tty: bool,
    /// NO_COLOR set to a non-empty value, or TERM=dumb.
    pub colors_unwanted: bool,
}

impl Terminal {
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        Self {
            stdout_is_tty: std::io::stdout().is_terminal(),
            stderr_is_tty: std::io::stderr().is_terminal(),
            colors_unwanted: no_color || dumb,
        }
    }

    /// Whether to color stderr when there is no `--color` to go by (errors before flags are read).
    pub fn stderr_auto_color(&self) -> bool {
        self.color(ColorArg::Auto, self.stderr_is_tty)
    }

    /// Whether to color stdout for this `--color` choice.
    pub fn stdout_color(&self, choice: ColorArg) -> bool {
        self.color(choice, self.stdout_is_tty)
    }

    /// Whether to color stderr for this `--color` choice.
    pub fn stderr_color(&self, choice: ColorArg) -> bool {
        self.color(choice, self.stderr_is_tty)
    }

    pub(crate) fn color(&self, choice: ColorArg, is_tty: bool) -> bool {
        match choice {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => is_tty && !self.colors_unwanted,
        }
    }
}
