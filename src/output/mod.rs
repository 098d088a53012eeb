//! Output formats: turn one delivered push into the bytes for stdout. Printers only format into a
//! buffer; writing and flushing is the engine's job.

mod json;
mod pretty;
mod sink;
mod style;

pub use sink::Sink;
pub use style::Style;

use std::time::SystemTime;

use crate::cli::FormatArg;
use crate::config::OutputConfig;
use crate::push::Push;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pretty,
    Ndjson,
    Json,
    Raw,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Pretty => Format::Pretty,
            FormatArg::Ndjson => Format::Ndjson,
            FormatArg::Json => Format::Json,
            FormatArg::Raw => Format::Raw,
        }
    }
}

/// One MQTT message as it arrived, with what MQTT says about it.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    pub topic: &'a str,
    pub qos: i32,
    pub retained: bool,
    pub dup: bool,
    pub payload: &'a [u8],
    pub received_at: SystemTime,
    /// The next push has already arrived whole: a QoS 0 line may wait to leave with its line.
    pub next_ready: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Printer {
    config: OutputConfig,
}

impl Printer {
    pub fn new(config: OutputConfig) -> Self {
        Self { config }
    }

    pub fn format(&self) -> Format {
        self.config.format
    }

    /// True when a one-line payload that is a plain push is printed exactly as it came.
    pub fn prints_verbatim(&self) -> bool {
        self.config.format == Format::Ndjson && !self.config.envelope
    }

    /// Appends the push, formatted and ending in a newline, to `out`.
    pub fn write_push(&self, out: &mut Vec<u8>, delivery: &Delivery, push: &Push) {
        match self.config.format {
            Format::Raw => write_raw(out, delivery),
            Format::Pretty => pretty::write_line(out, push, delivery.received_at, self.config.color),
            Format::Ndjson | Format::Json => json::write_push(out, delivery, push, &self.config),
        }
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
    use std::time::{Duration, UNIX_EPOCH};

    pub const SAMPLE: &str = r#"{"appId":"123456","sn":"0117C9A1B2C3D4E5","type":"text","deviceType":"temp_humi","createdTime":1764094329123,"msgId":"m-1","data":{"temperature":23.50,"humidity":41,"battery":87}}"#;

    pub fn delivery(payload: &[u8]) -> Delivery<'_> {
        Delivery {
            topic: "users/123456/devices",
            qos: 1,
            retained: false,
            dup: true,
            payload,
            received_at: UNIX_EPOCH + Duration::from_millis(1_764_094_330_456),
            next_ready: false,
        }
    }

    pub fn render(format: Format, envelope: bool, color: bool, payload: &str) -> String {
        let printer = Printer::new(OutputConfig { format, envelope, color });
        let push = Push::parse(payload.as_bytes()).expect("test payload is a push");
        let mut out = Vec::new();
        printer.write_push(&mut out, &delivery(payload.as_bytes()), &push);
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
