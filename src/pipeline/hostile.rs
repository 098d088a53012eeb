//! Hostile-input checks shared by the unit tests (proptest) and the cargo-fuzz targets in `fuzz/`:
//! whatever arrives, the engine must not panic and must account for the push exactly once.
//! Compiled only for tests and fuzzing (`--cfg fuzzing`).

use std::time::SystemTime;

use super::output::{Format, OutputConfig, Printer};
use super::push::Filter;
use super::safe_mode::{AppKey, SafeMode};
use super::{Delivery, Engine, Handled, Qos, Release};
use crate::status::{Status, StatusConfig, Verbosity};

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
    Engine::new(printer, filter, safe_mode, None, status, Box::new(Vec::new())).dedupe(100)
}

/// Feeds one payload and checks it had exactly one fate: printed, filtered, duplicate or reported.
pub fn survives(engine: &mut Engine, payload: &[u8]) {
    let delivery = Delivery {
        topic: b"users/foobar/devices",
        qos: Qos::AtLeastOnce,
        retained: false,
        payload,
        received_at: SystemTime::UNIX_EPOCH,
    };
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
}

/// The formats a fuzz input's first byte chooses from.
pub const FORMATS: [Format; 4] = [Format::Ndjson, Format::Json, Format::Pretty, Format::Raw];
