//! The SENSORO push: one JSON object per MQTT message, in the webhook's format (docs/service.md, "Push format").
//! Unknown fields are kept as they are: the vendor adds device types over time.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};

/// A push that parsed as a JSON object. Field order is kept (serde_json's `preserve_order`), and so are
/// numbers exactly as written (`arbitrary_precision`).
#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    pub fields: Map<String, Value>,
    /// True once the fields differ from the payload bytes (a decrypted safe-mode push).
    rewritten: bool,
}

/// Why a payload is not a push; reported on stderr with the payload, never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    pub reason: String,
}

/// How deep a push may nest objects and arrays (the outer object counts), on every path, so a push
/// decodes or not whatever the format (docs/output.md). Below serde_json's own limit (127), which
/// its skipping of unread fields does not apply.
pub const MAX_NESTING: usize = 100;

impl Push {
    pub fn parse(payload: &[u8]) -> Result<Push, Undecodable> {
        if payload.is_empty() {
            return Err(Undecodable { reason: "empty payload".into() });
        }
        if nests_deeper_than(payload, MAX_NESTING) {
            return Err(Undecodable { reason: format!("nested deeper than {MAX_NESTING} levels") });
        }
        match serde_json::from_slice::<Value>(payload) {
            Ok(Value::Object(fields)) => Ok(Push { fields, rewritten: false }),
            Ok(other) => Err(Undecodable { reason: format!("JSON {}, not an object", kind_of(&other)) }),
            Err(e) => Err(Undecodable { reason: format!("not JSON: {e}") }),
        }
    }

    fn str_field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    /// `sn` when it is a string (the service's form); see [`Push::sn_text`] for any other type.
    pub fn sn(&self) -> Option<&str> {
        self.str_field("sn")
    }

    /// `sn` whatever its JSON type: a string as it is, a number as written (`123456`, as the
    /// vendor's demo data has it), anything else as its JSON text. `None` when absent or `null`.
    pub fn sn_text(&self) -> Option<Cow<'_, str>> {
        match self.fields.get("sn")? {
            Value::Null => None,
            Value::String(text) => Some(Cow::Borrowed(text)),
            other => Some(Cow::Owned(other.to_string())),
        }
    }

    pub fn device_type(&self) -> Option<&str> {
        self.str_field("deviceType")
    }

    /// The service's unique id of this push, used to drop redeliveries.
    pub fn msg_id(&self) -> Option<&str> {
        self.str_field("msgId")
    }

    /// The message type; "text" is an ordinary sensor message.
    pub fn kind(&self) -> Option<&str> {
        self.str_field("type")
    }

    /// `createdTime` as Unix epoch milliseconds (a number, or a string of digits).
    pub fn created_ms(&self) -> Option<i64> {
        match self.fields.get("createdTime")? {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// When the reading was taken, from `createdTime` in any of the forms the platform uses
    /// ([`created_time`]).
    pub fn created(&self) -> Created {
        match self.fields.get("createdTime") {
            None | Some(Value::Null) => Created::Missing,
            Some(value) => created_time(value),
        }
    }

    /// The sensor readings of a plain-mode push.
    pub fn data(&self) -> Option<&Map<String, Value>> {
        self.fields.get("data").and_then(Value::as_object)
    }

    /// True for a safe-mode push: `encryptData` in place of `data`.
    pub fn is_encrypted(&self) -> bool {
        self.fields.contains_key("encryptData")
    }

    pub fn app_id(&self) -> Option<&str> {
        self.str_field("appId")
    }

    /// Puts the decrypted readings where `encryptData` was, keeping every other field and the order.
    pub fn replace_encrypted(&mut self, data: Map<String, Value>) {
        let mut data = Some(data);
        self.fields = std::mem::take(&mut self.fields)
            .into_iter()
            .map(|(key, value)| {
                if key == "encryptData"
                    && let Some(data) = data.take()
                {
                    ("data".to_owned(), Value::Object(data))
                } else {
                    (key, value)
                }
            })
            .collect();
        self.rewritten = true;
    }

    /// False once the fields no longer match the payload bytes, which then cannot be printed verbatim.
    pub fn is_verbatim(&self) -> bool {
        !self.rewritten
    }
}

/// What a push's `createdTime` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Created {
    At(DateTime<Utc>),
    /// No `createdTime` (or `null`).
    Missing,
    /// There, but not a time we can read; the reason, for `-v`.
    Unreadable(String),
}

/// Epoch numbers below this are seconds, above it milliseconds: 10^11 s is the year 5138, and
/// 10^11 ms is March 1973, before any SENSORO device.
const SECONDS_BELOW: f64 = 1e11;

/// The service's own clock for times written without a zone: Asia/Shanghai, UTC+8. China has kept
/// no daylight saving time since 1991, so a fixed offset is exact for every push (no tz database).
pub const SERVICE_OFFSET_SECONDS: i32 = 8 * 3600;

/// Reads a `createdTime`: epoch seconds or milliseconds (a number, or a string of one), RFC 3339
/// (`2025-11-25T10:12:09Z`, `…+08:00`), or `YYYY-MM-DD HH:MM:SS` (also with a `T` or fractional
/// seconds) in service time, Asia/Shanghai.
pub fn created_time(value: &Value) -> Created {
    let unreadable = |why: String| Created::Unreadable(why);
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(epoch) => {
                from_epoch(epoch).map_or_else(|| unreadable(format!("{n} is outside the calendar")), Created::At)
            }
            None => unreadable(format!("{n} is not a number we can read")),
        },
        Value::String(text) => {
            let text = text.trim();
            if text.is_empty() {
                return unreadable("it is an empty string".into());
            }
            if let Ok(epoch) = text.parse::<f64>() {
                return from_epoch(epoch)
                    .map_or_else(|| unreadable(format!("{text:?} is outside the calendar")), Created::At);
            }
            if let Ok(time) = DateTime::parse_from_rfc3339(text) {
                return Created::At(time.with_timezone(&Utc));
            }
            let service = FixedOffset::east_opt(SERVICE_OFFSET_SECONDS).expect("UTC+8 is an offset");
            ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
                .and_then(|naive| naive.and_local_timezone(service).single())
                .map_or_else(
                    || {
                        unreadable(format!(
                            "{text:?} is not epoch seconds or milliseconds, RFC 3339, or YYYY-MM-DD HH:MM:SS"
                        ))
                    },
                    |time| Created::At(time.with_timezone(&Utc)),
                )
        }
        other => unreadable(format!("it is a JSON {}, not a time", kind_of(other))),
    }
}

fn from_epoch(epoch: f64) -> Option<DateTime<Utc>> {
    if !epoch.is_finite() || epoch < 0.0 {
        return None;
    }
    let ms = if epoch < SECONDS_BELOW { epoch * 1000.0 } else { epoch };
    // `as` saturates: a value beyond i64 becomes i64::MAX, which chrono then refuses.
    DateTime::<Utc>::from_timestamp_millis(ms.round() as i64)
}

/// The few fields the NDJSON fast path needs, read while the rest of the push is validated and
/// skipped without building it (no `Value`, no allocation for borrowed strings).
#[derive(Debug, Deserialize)]
pub struct Outline<'a> {
    #[serde(borrow, default)]
    pub sn: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "deviceType")]
    pub device_type: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "msgId")]
    pub msg_id: Option<Cow<'a, str>>,
    #[serde(default, rename = "encryptData")]
    encrypt_data: Presence,
}

/// Whether a field was there at all (even as `null`).
#[derive(Debug, Default)]
struct Presence(bool);

impl<'de> Deserialize<'de> for Presence {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| Presence(true))
    }
}

impl<'a> Outline<'a> {
    /// Reads a plain push that can be printed as it is. `None` sends the payload down the full
    /// parse: not an object, invalid UTF-8, a duplicate or odd-typed `sn`/`deviceType`, or a
    /// safe-mode push.
    pub fn read(payload: &'a [u8]) -> Option<Outline<'a>> {
        // serde would also read a struct from a JSON array; a push is an object.
        if payload.trim_ascii_start().first() != Some(&b'{') {
            return None;
        }
        // Skipped strings are not checked for UTF-8 by serde_json; the payload as a whole is here.
        std::str::from_utf8(payload).ok()?;
        // Skipped values are not held to serde_json's nesting limit; the full parse says why.
        if nests_deeper_than(payload, MAX_NESTING) {
            return None;
        }
        let outline: Outline = serde_json::from_slice(payload).ok()?;
        (!outline.encrypt_data.0).then_some(outline)
    }
}

/// True when JSON text opens more than `limit` objects and arrays inside one another. Brackets
/// inside strings do not count; the text need not be valid JSON (the parser judges that).
pub fn nests_deeper_than(json: &[u8], limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Client-side filters: a push passes when it matches one of the serial numbers (if any are given)
/// and one of the device types (if any are given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Lower-cased: serial numbers are hex and users type them in either case.
    sns: Vec<String>,
    /// Lower-cased as well: `--device-type SMOKE` means `smoke`, as `--sn` ignores case.
    device_types: Vec<String>,
}

impl Filter {
    pub fn new(sns: Vec<String>, device_types: Vec<String>) -> Self {
        let lower = |items: Vec<String>| items.iter().map(|s| s.trim().to_lowercase()).collect();
        Self { sns: lower(sns), device_types: lower(device_types) }
    }

    pub fn is_empty(&self) -> bool {
        self.sns.is_empty() && self.device_types.is_empty()
    }

    pub fn matches(&self, push: &Push) -> bool {
        self.matches_fields(push.sn_text().as_deref(), push.device_type())
    }

    pub fn matches_fields(&self, sn: Option<&str>, device_type: Option<&str>) -> bool {
        let sn_ok =
            self.sns.is_empty() || sn.is_some_and(|sn| self.sns.iter().any(|want| sn.eq_ignore_ascii_case(want)));
        let type_ok = self.device_types.is_empty()
            || device_type.is_some_and(|t| self.device_types.iter().any(|want| t.eq_ignore_ascii_case(want)));
        sn_ok && type_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"appId":"123456","sn":"0117C9A1B2C3D4E5","type":"text","deviceType":"temp_humi","createdTime":1764094329123,"msgId":"m-1","data":{"temperature":23.50,"humidity":41,"battery":87}}"#;

    #[test]
    fn parses_the_service_shape_keeping_order_and_number_text() {
        let push = Push::parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(push.sn(), Some("0117C9A1B2C3D4E5"));
        assert_eq!(push.device_type(), Some("temp_humi"));
        assert_eq!(push.created_ms(), Some(1_764_094_329_123));
        let keys: Vec<&str> = push.fields.keys().map(String::as_str).collect();
        assert_eq!(keys, ["appId", "sn", "type", "deviceType", "createdTime", "msgId", "data"]);
        assert_eq!(serde_json::to_string(&push.data().unwrap()["temperature"]).unwrap(), "23.50");
    }

    #[test]
    fn reports_why_a_payload_is_not_a_push() {
        assert_eq!(Push::parse(b"").unwrap_err().reason, "empty payload");
        assert_eq!(Push::parse(b"[1,2]").unwrap_err().reason, "JSON array, not an object");
        assert!(Push::parse(b"hello").unwrap_err().reason.starts_with("not JSON: "));
        assert!(Push::parse(b"{\"sn\":\"\xff\"}").is_err());
        let deep = "[".repeat(10_000);
        assert!(Push::parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn decrypted_data_takes_the_place_of_encrypt_data() {
        let mut push = Push::parse(br#"{"appId":"1","sn":"A","encryptData":"xyz","msgId":"m"}"#).unwrap();
        assert!(push.is_encrypted() && push.is_verbatim());
        let data: Map<String, Value> = serde_json::from_str(r#"{"t":1}"#).unwrap();
        push.replace_encrypted(data);
        assert_eq!(
            serde_json::to_string(&push.fields).unwrap(),
            r#"{"appId":"1","sn":"A","data":{"t":1},"msgId":"m"}"#
        );
        assert!(!push.is_encrypted() && !push.is_verbatim());
    }

    #[test]
    fn one_nesting_limit_for_every_path() {
        for levels in [MAX_NESTING - 2, MAX_NESTING - 1, MAX_NESTING, MAX_NESTING + 1, MAX_NESTING + 2] {
            let payload =
                format!(r#"{{"sn":"A","s":"[[{{","data":{}}}"#, "[".repeat(levels - 1) + &"]".repeat(levels - 1));
            let full = Push::parse(payload.as_bytes());
            let fast = Outline::read(payload.as_bytes());
            assert_eq!(full.is_ok(), fast.is_some(), "{levels} levels: {full:?}");
            assert_eq!(full.is_ok(), levels <= MAX_NESTING, "{levels} levels");
            // serde_json's own limit is never the one that decides.
            assert!(serde_json::from_str::<Value>(&payload).is_ok(), "{levels}");
        }
        assert!(Push::parse(&b"[".repeat(200)).unwrap_err().reason.contains("nested deeper than 100"));
    }

    #[test]
    fn the_outline_takes_plain_objects_only() {
        let outline = Outline::read(SAMPLE.as_bytes()).expect("a plain push");
        assert_eq!(outline.sn.as_deref(), Some("0117C9A1B2C3D4E5"));
        assert_eq!(outline.device_type.as_deref(), Some("temp_humi"));
        let escaped = Outline::read(br#"{"sn":"A\u0042"}"#).unwrap();
        assert_eq!(escaped.sn.as_deref(), Some("AB"));
        for not_plain in [
            &b"[]"[..],
            b"[\"a\"]",
            b"{\"sn\":1}",
            b"{\"sn\":\"a\",\"sn\":\"b\"}",
            b"{\"x\":\"\xff\"}",
            b"{\"encryptData\":null}",
            b"{\"encryptData\":\"abc\"}",
            b"{} x",
            b"not json",
        ] {
            assert!(Outline::read(not_plain).is_none(), "{:?}", String::from_utf8_lossy(not_plain));
        }
    }

    #[test]
    fn created_time_accepts_strings_of_digits() {
        let push = Push::parse(br#"{"createdTime":"1700000000000"}"#).unwrap();
        assert_eq!(push.created_ms(), Some(1_700_000_000_000));
        assert_eq!(Push::parse(br#"{"createdTime":"soon"}"#).unwrap().created_ms(), None);
    }

    #[test]
    fn sn_is_shown_whatever_its_type() {
        let sn = |payload: &str| Push::parse(payload.as_bytes()).unwrap().sn_text().map(Cow::into_owned);
        assert_eq!(sn(r#"{"sn":"0117C9"}"#).as_deref(), Some("0117C9"));
        assert_eq!(sn(r#"{"sn":123456}"#).as_deref(), Some("123456"));
        assert_eq!(sn(r#"{"sn":1.50}"#).as_deref(), Some("1.50"), "numbers as written");
        assert_eq!(sn(r#"{"sn":true}"#).as_deref(), Some("true"));
        assert_eq!(sn(r#"{"sn":null}"#), None);
        assert_eq!(sn(r#"{}"#), None);
        let numeric = Push::parse(br#"{"sn":123456}"#).unwrap();
        assert!(Filter::new(vec!["123456".into()], vec![]).matches(&numeric));
    }

    #[test]
    fn created_time_in_every_form_the_platform_uses() {
        let at = |text: &str| match created_time(&serde_json::from_str(text).unwrap()) {
            Created::At(time) => time.to_rfc3339(),
            other => format!("{other:?}"),
        };
        let expected = "2025-11-25T18:12:09+00:00";
        assert_eq!(at("1764094329"), expected, "epoch seconds");
        assert_eq!(at("1764094329000"), expected, "epoch milliseconds");
        assert_eq!(at("1764094329000.0"), expected);
        assert_eq!(at(r#""1764094329""#), expected, "seconds as a string");
        assert_eq!(at(r#"" 1764094329000 ""#), expected, "milliseconds as a string");
        assert_eq!(at(r#""2025-11-25T18:12:09Z""#), expected, "RFC 3339");
        assert_eq!(at(r#""2025-11-26T02:12:09+08:00""#), expected);
        assert_eq!(at(r#""2025-11-26 02:12:09""#), expected, "service time is UTC+8");
        assert_eq!(at(r#""2025-11-26T02:12:09""#), expected);
        assert_eq!(at(r#""2025-11-26 02:12:09.000""#), expected);
        for (text, why) in [
            (r#""""#, "empty string"),
            (r#""soon""#, "is not epoch seconds"),
            (r#""2025-13-40 99:00:00""#, "is not epoch"),
            ("9223372036854775807", "outside the calendar"),
            ("-5", "outside the calendar"),
            ("1e300", "outside the calendar"),
            (r#""-9223372036854775808""#, "outside the calendar"),
            ("true", "JSON boolean"),
            ("[1]", "JSON array"),
        ] {
            match created_time(&serde_json::from_str(text).unwrap()) {
                Created::Unreadable(reason) => assert!(reason.contains(why), "{text}: {reason}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(Push::parse(br#"{"createdTime":null}"#).unwrap().created(), Created::Missing);
        assert_eq!(Push::parse(br#"{}"#).unwrap().created(), Created::Missing);
    }

    #[test]
    fn filters_combine_sn_or_sn_and_type() {
        let push = Push::parse(SAMPLE.as_bytes()).unwrap();
        assert!(Filter::default().matches(&push));
        assert!(Filter::new(vec!["0117c9a1b2c3d4e5".into()], vec![]).matches(&push));
        assert!(Filter::new(vec!["other".into(), "0117C9A1B2C3D4E5".into()], vec!["temp_humi".into()]).matches(&push));
        assert!(!Filter::new(vec!["0117C9A1B2C3D4E5".into()], vec!["smoke".into()]).matches(&push));
        assert!(!Filter::new(vec![], vec!["smoke".into()]).matches(&push));
        assert!(Filter::new(vec![], vec!["TEMP_HUMI".into()]).matches(&push), "deviceType ignores case, as sn does");
        let no_sn = Push::parse(br#"{"deviceType":"smoke"}"#).unwrap();
        assert!(!Filter::new(vec!["x".into()], vec![]).matches(&no_sn));
    }
}
