//! `pretty`: one readable line per push, for a person watching a fleet scroll by.
//!
//! ```text
//! 2026-11-25 18:12:09  0117C9A1B2C3D4E5  temp_humi     temperature=23.50°C  humidity=41%  battery=87%
//! ```

use std::time::SystemTime;

use chrono::{DateTime, Local, Utc};
use colored::Color;
use serde_json::{Map, Value};

use crate::pipeline::alarm::Raised;
use crate::pipeline::push::{Created, Push};
use crate::pipeline::reading;
use crate::style::Style;
use crate::visible::visible;

/// Columns wide enough for SENSORO's 16-hex-digit serial numbers and common device types.
const SN_WIDTH: usize = 16;
const TYPE_WIDTH: usize = 12;
const GAP: &str = "  ";

const TIME_STYLE: Style = Style::dim();
const SN_STYLE: Style = Style::fg(Color::Cyan);
const TYPE_STYLE: Style = Style::fg(Color::Yellow);
const KIND_STYLE: Style = Style::fg(Color::Magenta);
const KEY_STYLE: Style = Style::dim();
const VALUE_STYLE: Style = Style::plain_bold();
const NOTE_STYLE: Style = Style::fg(Color::Yellow);
const ALARM_STYLE: Style = Style::fg(Color::Red).bold();

/// Marks a time that is the arrival time, because the push's `createdTime` is missing, empty or
/// unreadable (`-v` says why): a line must not pass a reading taken long ago off as taken now.
pub const RECEIVED_MARK: &str = "~";

pub fn write_line(out: &mut Vec<u8>, push: &Push, received_at: SystemTime, color: bool, alarms: &[Raised]) {
    // A createdTime outside chrono's calendar (found by fuzzing) falls back to the time of receipt.
    let (time, mark) = match push.created() {
        Created::At(time) => (time, ""),
        Created::Missing | Created::Unreadable(_) => (DateTime::<Utc>::from(received_at), RECEIVED_MARK),
    };
    let local: DateTime<Local> = time.with_timezone(&Local);
    TIME_STYLE.write(out, color, format_args!("{mark}{}", local.format("%Y-%m-%d %H:%M:%S")));
    out.extend_from_slice(GAP.as_bytes());
    // Every field from the push is made visible: a terminal must never act on a device's bytes.
    let sn = push.sn_text();
    SN_STYLE.write(out, color, format_args!("{:<SN_WIDTH$}", visible(sn.as_deref().unwrap_or("-"))));
    out.extend_from_slice(GAP.as_bytes());
    TYPE_STYLE.write(out, color, format_args!("{:<TYPE_WIDTH$}", visible(push.device_type().unwrap_or("-"))));
    if let Some(kind) = push.kind().filter(|k| *k != "text") {
        out.extend_from_slice(GAP.as_bytes());
        KIND_STYLE.write(out, color, format_args!("[{}]", visible(kind)));
    }
    match push.data() {
        Some(data) if !data.is_empty() => write_readings(out, data, color, alarms),
        Some(_) => {
            out.extend_from_slice(GAP.as_bytes());
            NOTE_STYLE.write(out, color, "(no readings)");
        }
        None if push.is_encrypted() => {
            out.extend_from_slice(GAP.as_bytes());
            NOTE_STYLE.write(out, color, "(encrypted: safe-mode push)");
        }
        None => {
            out.extend_from_slice(GAP.as_bytes());
            NOTE_STYLE.write(out, color, "(no data)");
        }
    }
    out.push(b'\n');
}

fn write_readings(out: &mut Vec<u8>, data: &Map<String, Value>, color: bool, alarms: &[Raised]) {
    reading::visit(data, |path, leaf, value| {
        out.extend_from_slice(GAP.as_bytes());
        KEY_STYLE.write(out, color, format_args!("{}=", visible(path)));
        // A reading that means trouble is red, as in `watch`: the same rules decided (`alarm`).
        let style = if alarms.iter().any(|a| a.reading == path) { ALARM_STYLE } else { VALUE_STYLE };
        if color {
            let _ = style.open(out);
        }
        reading::write_value(out, value);
        out.extend_from_slice(reading::unit_for(leaf, value).as_bytes());
        if color {
            let _ = Style::close(out);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::test_support::*;

    fn line(payload: &str) -> String {
        render(Format::Pretty, false, false, payload)
    }

    #[test]
    fn shows_sn_type_and_readings_with_units() {
        let text = line(SAMPLE);
        let (time, rest) = text.split_at(19);
        assert!(time.starts_with("2025-11-2"), "{text}");
        assert_eq!(rest, "  0117C9A1B2C3D4E5  temp_humi     temperature=23.50°C  humidity=41%  battery=87%\n");
    }

    #[test]
    fn flattens_objects_and_joins_simple_arrays() {
        let text = line(
            r#"{"sn":"A","deviceType":"magnetic","data":{"magnetic":{"x":1,"y":-2,"z":{"raw":3}},"lonlat":[116.39,39.91],"light":120.5}}"#,
        );
        assert!(
            text.ends_with("magnetic.x=1  magnetic.y=-2  magnetic.z.raw=3  lonlat=116.39,39.91  light=120.5 lux\n"),
            "{text}"
        );
    }

    #[test]
    fn quotes_strings_that_need_it_and_marks_odd_pushes() {
        let text =
            line(r#"{"sn":"A","type":"alarm","data":{"customer":"0aff","note":"two words","leak":true,"x":null}}"#);
        assert!(text.contains("[alarm]  customer=0aff  note=\"two words\"  leak=true  x=null\n"), "{text}");
        assert!(line(r#"{"sn":"A","encryptData":"abc"}"#).ends_with("(encrypted: safe-mode push)\n"));
        assert!(line(r#"{"sn":"A"}"#).ends_with("(no data)\n"));
    }

    #[test]
    fn colors_fields_when_asked() {
        let text = render(Format::Pretty, false, true, SAMPLE);
        assert!(text.contains("\x1b[36m0117C9A1B2C3D4E5\x1b[0m"), "{text:?}");
        assert!(text.contains("\x1b[2mtemperature=\x1b[0m\x1b[1m23.50°C\x1b[0m"), "{text:?}");
    }

    #[test]
    fn alarm_readings_are_red_and_others_are_not() {
        let text = render(
            Format::Pretty,
            false,
            true,
            r#"{"sn":"A","data":{"leak":true,"smoke":2,"battery":12,"temperature":80,"humidity":90}}"#,
        );
        for alarm in [
            "leak=\x1b[0m\x1b[1;31mtrue",
            "smoke=\x1b[0m\x1b[1;31m2",
            "battery=\x1b[0m\x1b[1;31m12%",
            "temperature=\x1b[0m\x1b[1;31m80°C",
        ] {
            assert!(text.contains(alarm), "{alarm}: {text:?}");
        }
        assert!(text.contains("humidity=\x1b[0m\x1b[1m90%"), "{text:?}");
        let calm = render(
            Format::Pretty,
            false,
            true,
            r#"{"sn":"A","data":{"leak":false,"smoke":0,"battery":20,"temperature":50}}"#,
        );
        assert!(!calm.contains("31m"), "{calm:?}");
    }

    #[test]
    fn a_numeric_sn_is_shown_and_a_missing_or_unreadable_time_is_marked() {
        let text = line(r#"{"sn":123456,"createdTime":"2025-11-26 02:12:09","data":{"leak":false}}"#);
        let expected = chrono::DateTime::parse_from_rfc3339("2025-11-25T18:12:09Z")
            .unwrap()
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        assert_eq!(text, format!("{expected}  123456            -             leak=false\n"));
        let received =
            chrono::DateTime::<chrono::Local>::from(delivery(b"").received_at).format("%Y-%m-%d %H:%M:%S").to_string();
        for created in [r#","createdTime":"""#, r#","createdTime":"soon""#, ""] {
            let text = line(&format!(r#"{{"sn":"A"{created},"data":{{}}}}"#));
            assert!(text.starts_with(&format!("~{received}  A ")), "{created}: {text}");
        }
    }

    #[test]
    fn time_comes_from_created_time_in_local_time() {
        let text = line(r#"{"sn":"A","createdTime":0,"data":{}}"#);
        let expected =
            chrono::DateTime::<chrono::Local>::from(std::time::UNIX_EPOCH).format("%Y-%m-%d %H:%M:%S").to_string();
        assert!(text.starts_with(&expected), "{text}");
        assert!(text.ends_with("(no readings)\n"));
    }
}
