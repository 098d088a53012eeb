//! Hostile-input checks shared by the unit tests (proptest) and the cargo-fuzz targets in `fuzz/`:
//! whatever arrives, the engine must not panic and must account for the push exactly once.
//! Compiled only for tests and fuzzing (`--cfg fuzzing`).

use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde_json::Value;

use super::output::{Format, OutputConfig, Printer};
use super::push::{Filter, Push};
use super::safe_mode::{AppKey, SafeMode};
use super::topic::Subscription;
use super::{Delivery, Engine, EngineOptions, Handled, Qos, Release};
use crate::status::{Status, StatusConfig, Verbosity};
use crate::visible::{acts_on_terminal, escape_json_text, visible, visible_bytes};

/// The AppID the hostile engine decrypts for, and its AppKey.
pub const APP_ID: &str = "foobar";
pub fn app_key() -> AppKey {
    AppKey::parse(&"C".repeat(43)).expect("43 base64 characters")
}

/// An engine with every stage switched on: safe mode, a filter, de-duplication, colors; writing to
/// memory. Json gets the envelope too.
pub fn engine(format: Format) -> Engine {
    let printer = Printer::new(OutputConfig { format, envelope: format == Format::Json, color: true });
    let status = Status::new(StatusConfig { verbosity: Verbosity::Quiet, color: false });
    let filter = Filter::new(vec!["a".into(), "0117C9A1B2C3D4E5".into()], vec![]);
    let safe_mode = SafeMode::new(Some(APP_ID.into()), Some(app_key()));
    let options = EngineOptions { filter, safe_mode, dedupe_window: 100, ..EngineOptions::default() };
    Engine::new(options, Box::new(printer), Box::new(Vec::new()), status)
}

/// Feeds one payload and checks it had exactly one fate: printed, filtered, duplicate or reported.
pub fn survives(engine: &mut Engine, payload: &[u8]) {
    survives_on(engine, b"users/foobar/devices", payload);
}

/// [`survives`] for a delivery on any topic.
fn survives_on(engine: &mut Engine, topic: &[u8], payload: &[u8]) -> Handled {
    let delivery =
        Delivery { topic, qos: Qos::AtLeastOnce, retained: false, payload, received_at: SystemTime::UNIX_EPOCH };
    let before = engine.progress().stats();
    let handled = engine.handle(&delivery, Release::Now).expect("a Vec never fails to write");
    let after = engine.progress().stats();
    assert_eq!(engine.progress().contained_panics(), 0, "handling panicked");
    assert_eq!(after.received, before.received + 1);
    let accounted = (after.printed - before.printed)
        + (after.filtered - before.filtered)
        + (after.undecodable - before.undecodable)
        + (after.duplicates - before.duplicates);
    // Exactly one fate, except in raw, which prints an undecodable payload and reports it too.
    let raw_undecodable = handled == Handled::Undecodable && after.printed > before.printed;
    assert_eq!(accounted, if raw_undecodable { 2 } else { 1 }, "{handled:?}");
    handled
}

/// A push on any topic, to an engine subscribed to `users/foobar/devices`: exactly one fate, and
/// one whose topic is not exactly that (not UTF-8, a NUL, another topic) is never printed.
pub fn topic_survives(format: Format, topic: &[u8], payload: &[u8]) {
    let out = Shared::default();
    let printer = Printer::new(OutputConfig { format, envelope: format == Format::Json, color: false });
    let status = Status::new(StatusConfig { verbosity: Verbosity::Quiet, color: false });
    let options = EngineOptions { subscription: Subscription::to("users/foobar/devices"), ..EngineOptions::default() };
    let mut engine = Engine::new(options, Box::new(printer), Box::new(out.clone()), status);
    let handled = survives_on(&mut engine, topic, payload);
    if topic != b"users/foobar/devices" {
        assert_eq!(handled, Handled::Undecodable, "a topic that is not ours");
        assert!(out.0.lock().unwrap().is_empty(), "nothing printed for a topic that is not ours");
    }
}

/// The sanitizer's promise, whatever the bytes: what [`visible`] and [`visible_bytes`] give a
/// terminal holds no character it would act on; JSON text escaped for a terminal is the same value
/// and holds no DEL, C1 or bidi character; and `pretty` (which a terminal shows) writes none of
/// them, nor any C0 but its line's end, whatever the push holds.
pub fn shows_safely(bytes: &[u8]) {
    assert!(!visible_bytes(bytes).chars().any(acts_on_terminal), "{bytes:?}");
    if let Ok(text) = std::str::from_utf8(bytes) {
        assert!(!visible(text).chars().any(acts_on_terminal), "{text:?}");
    }
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        let text = serde_json::to_vec(&value).expect("a parsed value serialises");
        let escaped = escape_json_text(&text);
        let shown = std::str::from_utf8(&escaped).expect("serde_json writes UTF-8");
        assert!(!shown.chars().any(|c| c >= '\x7f' && acts_on_terminal(c)), "{shown:?}");
        assert_eq!(serde_json::from_slice::<Value>(&escaped).ok(), Some(value), "{shown:?}");
    }
    if let Ok(push) = Push::parse(bytes) {
        let printer = Printer::new(OutputConfig { format: Format::Pretty, envelope: false, color: false });
        let delivery = Delivery {
            topic: b"t",
            qos: Qos::AtMostOnce,
            retained: false,
            payload: bytes,
            received_at: SystemTime::UNIX_EPOCH,
        };
        let alarms = push.data().map(|data| crate::pipeline::alarm::Rules::defaults().check(data)).unwrap_or_default();
        let mut line = Vec::new();
        printer.write_push(&mut line, &delivery, "t", &push, &alarms);
        let line = String::from_utf8(line).expect("pretty writes UTF-8");
        let body = line.strip_suffix('\n').expect("one line");
        assert!(!body.chars().any(acts_on_terminal), "{body:?}");
    }
}

/// A Write that can be read back (`.0`), shared with the engine writing to it.
#[derive(Clone, Default)]
pub struct Shared(pub Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The formats a fuzz input's first byte chooses from.
pub const FORMATS: [Format; 4] = [Format::Ndjson, Format::Json, Format::Pretty, Format::Raw];
