//! ANSI styling written straight into the output, so coloring a field costs no allocation.

use std::fmt::Display;
use std::io::{self, Write};

use colored::Color;

#[derive(Clone, Copy, Debug)]
pub struct Style {
    fg: Option<Color>,
    bold: bool,
    dim: bool,
}

impl Style {
    pub const fn fg(color: Color) -> Style {
        Style { fg: Some(color), bold: false, dim: false }
    }

    pub const fn dim() -> Style {
        Style { fg: None, bold: false, dim: true }
    }

    pub const fn plain_bold() -> Style {
        Style { fg: None, bold: true, dim: false }
    }

    pub const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    /// The escape sequence that starts this style.
    pub fn open<W: ?Sized + Write>(self, w: &mut W) -> io::Result<()> {
        w.write_all(b"\x1b[")?;
        let mut separator = "";
        let fg = self.fg.map(|c| c.to_fg_str());
        for code in [self.bold.then_some("1"), self.dim.then_some("2"), fg.as_deref()].into_iter().flatten() {
            write!(w, "{separator}{code}")?;
            separator = ";";
        }
        w.write_all(b"m")
    }

    pub fn close<W: ?Sized + Write>(w: &mut W) -> io::Result<()> {
        w.write_all(b"\x1b[0m")
    }

    /// Appends `text` in this style when `enabled`, plain otherwise.
    pub fn write(self, out: &mut Vec<u8>, enabled: bool, text: impl Display) {
        // Writing into a Vec cannot fail.
        if enabled {
            let _ = self.open(out);
        }
        let _ = write!(out, "{text}");
        if enabled {
            let _ = Self::close(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_codes_only_when_enabled() {
        let mut out = Vec::new();
        Style::fg(Color::Cyan).bold().write(&mut out, true, "sn");
        assert_eq!(out, b"\x1b[1;36msn\x1b[0m");
        out.clear();
        Style::dim().write(&mut out, false, 42);
        assert_eq!(out, b"42");
    }
}
