//! `ndjson` and `json`: the push as the service sent it, optionally inside an envelope.

use std::io;
use std::time::SystemTime;

use chrono::{DateTime, SecondsFormat, Utc};
use colored::Color;
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::{Map, Value};

use super::{Format, OutputConfig, is_one_line, write_verbatim_line};
use crate::pipeline::alarm::Raised;
use crate::pipeline::delivery::Delivery;
use crate::pipeline::push::Push;
use crate::style::Style;

/// `--envelope`: what MQTT said about the push, beside the push itself. Field order is the contract.
#[derive(Serialize)]
struct Envelope<'a> {
    topic: &'a str,
    qos: u8,
    retained: bool,
    received_at: String,
    push: &'a Map<String, Value>,
    /// What the alarm rules found, in the order of the readings: `[]` for none.
    alarms: &'a [Raised],
}

pub fn write_push(
    out: &mut Vec<u8>,
    delivery: &Delivery,
    topic: &str,
    push: &Push,
    alarms: &[Raised],
    config: &OutputConfig,
) {
    let envelope = config.envelope.then(|| Envelope {
        topic,
        qos: delivery.qos.level(),
        retained: delivery.retained,
        received_at: rfc3339(delivery.received_at),
        push: &push.fields,
        alarms,
    });
    let start = out.len();
    let result = match (config.format, &envelope) {
        // The bytes as sent, when they already are one line: nothing re-serialised, nothing added.
        (Format::Ndjson, None) if push.is_verbatim() && is_one_line(delivery.payload) => {
            write_verbatim_line(out, delivery.payload);
            return;
        }
        (Format::Ndjson, None) => serde_json::to_writer(&mut *out, &push.fields),
        (Format::Ndjson, Some(envelope)) => serde_json::to_writer(&mut *out, envelope),
        (_, None) => write_indented(out, &push.fields, config.color),
        (_, Some(envelope)) => write_indented(out, envelope, config.color),
    };
    // Serialising a parsed `Value` into a `Vec` has no failure path; keep the line intact regardless.
    debug_assert!(result.is_ok(), "serialising a parsed push cannot fail");
    if config.format == Format::Json {
        // Indented JSON is for a person, often on a terminal: C1 and bidi characters leave as `\uXXXX`
        // (the same JSON value). NDJSON is data and stays as the service sent it.
        crate::visible::escape_json_tail(out, start);
    }
    out.push(b'\n');
}

fn rfc3339(time: SystemTime) -> String {
    DateTime::<Utc>::from(time).to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn write_indented<T: Serialize>(out: &mut Vec<u8>, value: &T, color: bool) -> serde_json::Result<()> {
    if color {
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, ColorFormatter::default());
        value.serialize(&mut ser)
    } else {
        serde_json::to_writer_pretty(&mut *out, value)
    }
}

/// serde_json's pretty layout with ANSI colors: keys blue, strings green, numbers cyan, literals yellow.
#[derive(Default)]
struct ColorFormatter {
    layout: PrettyFormatter<'static>,
    in_key: bool,
}

macro_rules! colored_scalar {
    ($name:ident, $ty:ty, $color:expr) => {
        fn $name<W: ?Sized + io::Write>(&mut self, w: &mut W, value: $ty) -> io::Result<()> {
            Style::fg($color).open(w)?;
            PrettyFormatter::$name(&mut self.layout, w, value)?;
            Style::close(w)
        }
    };
}

impl Formatter for ColorFormatter {
    fn write_null<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        Style::fg(Color::Yellow).open(w)?;
        w.write_all(b"null")?;
        Style::close(w)
    }

    colored_scalar!(write_bool, bool, Color::Yellow);
    colored_scalar!(write_i64, i64, Color::Cyan);
    colored_scalar!(write_u64, u64, Color::Cyan);
    colored_scalar!(write_f64, f64, Color::Cyan);
    colored_scalar!(write_number_str, &str, Color::Cyan);

    fn begin_string<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        let style = if self.in_key { Style::fg(Color::Blue).bold() } else { Style::fg(Color::Green) };
        style.open(w)?;
        w.write_all(b"\"")
    }

    fn end_string<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b"\"")?;
        Style::close(w)
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.layout.begin_array(w)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.layout.end_array(w)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.layout.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.layout.end_array_value(w)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.layout.begin_object(w)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.layout.end_object(w)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.in_key = true;
        self.layout.begin_object_key(w, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_key = false;
        self.layout.end_object_key(w)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.layout.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.layout.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn ndjson_is_the_payload_verbatim() {
        assert_eq!(render(Format::Ndjson, false, false, SAMPLE), format!("{SAMPLE}\n"));
    }

    #[test]
    fn ndjson_compacts_a_multi_line_payload_keeping_order() {
        let multi = "{\n  \"sn\": \"A1\",\n  \"appId\": \"1\",\n  \"data\": {\"t\": 1.50}\n}";
        assert_eq!(
            render(Format::Ndjson, false, false, multi),
            "{\"sn\":\"A1\",\"appId\":\"1\",\"data\":{\"t\":1.50}}\n"
        );
    }

    #[test]
    fn envelope_wraps_the_push_with_mqtt_facts_in_order() {
        let line = render(Format::Ndjson, true, false, SAMPLE);
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
        let expected = format!(
            "{{\"topic\":\"users/123456/devices\",\"qos\":1,\"retained\":false,\"received_at\":\"2025-11-25T18:12:10.456Z\",\"push\":{SAMPLE},\"alarms\":[]}}\n"
        );
        assert_eq!(line, expected);
    }

    #[test]
    fn envelope_lists_the_alarms_the_rules_found() {
        let push = r#"{"sn":"A","data":{"temperature":59.3,"leak":true,"battery":87}}"#;
        let line = render(Format::Ndjson, true, false, push);
        let alarms: Value = serde_json::from_str::<Value>(&line).unwrap()["alarms"].clone();
        assert_eq!(
            alarms,
            serde_json::json!([
                {"reading": "temperature", "value": 59.3, "rule": "temperature>50"},
                {"reading": "leak", "value": true, "rule": "leak"},
            ])
        );
    }

    #[test]
    fn json_is_indented_and_equal_to_the_payload() {
        let text = render(Format::Json, false, false, SAMPLE);
        assert!(text.starts_with("{\n  \"appId\": \"123456\",\n  \"sn\""), "{text}");
        let reparsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reparsed, serde_json::from_str::<Value>(SAMPLE).unwrap());
    }

    #[test]
    fn colored_json_differs_only_by_ansi_codes() {
        let colored = render(Format::Json, true, true, SAMPLE);
        assert!(colored.contains("\x1b[1;34m\"appId\"\x1b[0m"), "{colored:?}");
        assert!(colored.contains("\x1b[36m23.50\x1b[0m"), "{colored:?}");
        let stripped = strip_ansi(&colored);
        assert_eq!(stripped, render(Format::Json, true, false, SAMPLE));
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
