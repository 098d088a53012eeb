//! Output formats: turn one delivered push into the bytes for stdout. Printers only format into a
//! buffer; writing and flushing is the engine's job. [`Output`] is what the engine hands each push
//! it decided to show: a [`Printer`] is one, `watch`'s fleet another.

mod file;
mod json;
mod pretty;
mod sink;

pub use file::{OutputFile, stdout_syncer};
pub use sink::{Reopener, Sink, Syncer, stdout_reader_gone};

use super::alarm::Raised;
use super::delivery::Delivery;
use super::push::Push;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One colored, readable line per push.
    Pretty,
    /// One JSON object per line, exactly as the service sent it.
    Ndjson,
    /// Indented JSON.
    Json,
    /// Payload bytes as received, plus a newline.
    Raw,
}

/// Where a subscription's lines go, and whether a durable session syncs them before it
/// acknowledges their pushes (when they go to a regular file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destination {
    /// `--output PATH`; `None`: stdout.
    pub file: Option<std::path::PathBuf>,
    /// False with `--no-sync`: the power-loss promise given up for speed.
    pub sync: bool,
}

impl Default for Destination {
    fn default() -> Self {
        Destination { file: None, sync: true }
    }
}

/// How pushes are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputConfig {
    pub format: Format,
    /// ndjson/json: wrap each push with what MQTT said about it.
    pub envelope: bool,
    /// ANSI colors on stdout (pretty and json formats).
    pub color: bool,
}

/// Where the engine hands each push it decided to show, as ripgrep's searcher hands matches to a
/// `Sink`: a [`Printer`] formats it into the engine's line buffer; `watch`'s fleet keeps what it
/// needs and writes nothing.
pub trait Output: Send {
    /// What this output reads of a push. Asked once, when the engine is made, so that a printer
    /// takes the same branches per push as if the engine named it.
    fn reads(&self) -> Reads;

    /// Takes one push that passed the filters and the dedupe, decrypted, before the engine's
    /// `handle` returns (so before the MQTT session acknowledges it): appends its line, ending in a
    /// newline, to `line`, or keeps what it needs and appends nothing. Must not block for long.
    /// `topic`: the delivery's, checked; `alarms`: what the rules found, when [`Reads::alarms`].
    fn take(&mut self, line: &mut Vec<u8>, delivery: &Delivery, topic: &str, push: &Push, alarms: &[Raised]);
}

/// What an [`Output`] reads of a push, so the engine does only the work it needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// The payload as received (`raw`): not decoded when nothing selects by content, never
    /// decrypted, and passed through when it cannot be decoded.
    pub payload_only: bool,
    /// A one-line plain push may leave as its own bytes (`ndjson` without the envelope): the
    /// engine's fast path, which builds no `Value`.
    pub verbatim: bool,
    /// The push's alarms, found by the engine's rules.
    pub alarms: bool,
    /// The line shows the arrival time when `createdTime` is missing or unreadable (`pretty`), so
    /// `-v` says why.
    pub created_time: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Printer {
    config: OutputConfig,
}

impl Printer {
    pub fn new(config: OutputConfig) -> Self {
        Self { config }
    }

    /// True when a one-line payload that is a plain push is printed exactly as it came.
    fn prints_verbatim(&self) -> bool {
        self.config.format == Format::Ndjson && !self.config.envelope
    }

    /// True when the printer shows a push's alarms (red in `pretty`, a field of the envelope), so
    /// the engine must find them.
    fn shows_alarms(&self) -> bool {
        self.config.format == Format::Pretty || (self.config.envelope && self.config.format != Format::Raw)
    }

    /// Appends the push, formatted and ending in a newline, to `out`. `topic`: the delivery's, checked;
    /// `alarms`: what the rules found in it (`crate::pipeline::alarm`).
    pub fn write_push(&self, out: &mut Vec<u8>, delivery: &Delivery, topic: &str, push: &Push, alarms: &[Raised]) {
        match self.config.format {
            Format::Raw => write_raw(out, delivery),
            Format::Pretty => pretty::write_line(out, push, delivery.received_at, self.config.color, alarms),
            Format::Ndjson | Format::Json => json::write_push(out, delivery, topic, push, alarms, &self.config),
        }
    }
}

impl Output for Printer {
    fn reads(&self) -> Reads {
        Reads {
            payload_only: self.config.format == Format::Raw,
            verbatim: self.prints_verbatim(),
            alarms: self.shows_alarms(),
            created_time: self.config.format == Format::Pretty,
        }
    }

    fn take(&mut self, line: &mut Vec<u8>, delivery: &Delivery, topic: &str, push: &Push, alarms: &[Raised]) {
        self.write_push(line, delivery, topic, push, alarms);
    }
}

/// A one-line payload as one NDJSON line: its bytes (without surrounding blanks), then a newline.
pub fn write_verbatim_line(out: &mut Vec<u8>, payload: &[u8]) {
    out.extend_from_slice(payload.trim_ascii());
    out.push(b'\n');
}

/// True when the payload has no line break, so its bytes can be one NDJSON line.
pub fn is_one_line(payload: &[u8]) -> bool {
    !payload.iter().any(|&b| b == b'\n' || b == b'\r')
}

/// The payload bytes exactly as received, then a newline.
pub fn write_raw(out: &mut Vec<u8>, delivery: &Delivery) {
    out.extend_from_slice(delivery.payload);
    out.push(b'\n');
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::pipeline::Qos;
    use std::time::{Duration, UNIX_EPOCH};

    pub const SAMPLE: &str = r#"{"appId":"123456","sn":"0117C9A1B2C3D4E5","type":"text","deviceType":"temp_humi","createdTime":1764094329123,"msgId":"m-1","data":{"temperature":23.50,"humidity":41,"battery":87}}"#;

    pub fn delivery(payload: &[u8]) -> Delivery<'_> {
        Delivery {
            topic: b"users/123456/devices",
            qos: Qos::AtLeastOnce,
            retained: false,
            payload,
            received_at: UNIX_EPOCH + Duration::from_millis(1_764_094_330_456),
        }
    }

    pub fn render(format: Format, envelope: bool, color: bool, payload: &str) -> String {
        let printer = Printer::new(OutputConfig { format, envelope, color });
        let push = Push::parse(payload.as_bytes()).expect("test payload is a push");
        let alarms = push.data().map(|data| crate::pipeline::alarm::Rules::defaults().check(data)).unwrap_or_default();
        let mut out = Vec::new();
        printer.write_push(&mut out, &delivery(payload.as_bytes()), "users/123456/devices", &push, &alarms);
        String::from_utf8(out).expect("printers write UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn raw_is_the_payload_and_a_newline() {
        assert_eq!(render(Format::Raw, false, true, SAMPLE), format!("{SAMPLE}\n"));
    }
}
