//! sensoro-sub's library: the push pipeline (push model, readings, alarms, safe mode, dedupe, the
//! engine and its printers) and the small pieces it stands on (status lines, styling, the rule for
//! text from outside on a terminal, the service's rules, secrets). It knows neither the flags nor
//! the MQTT library. The binary's own modules (flags, config, the MQTT session, signals, commands,
//! `watch`, the simulator) are private to it, so an item nothing uses is a warning. What this crate
//! exports is what the binary, the benchmarks, the fuzz targets and the integration tests use.
//!
//! The map of these modules, and the rules that keep them apart, is docs/architecture.md.

pub mod pipeline;
pub mod secret;
pub mod service;
pub mod status;
pub mod style;
pub mod visible;
