//! sensoro-sub as a crate: the push pipeline (push model, readings, alarms, safe mode, dedupe, the
//! engine and its printers) and the small pieces it stands on (status lines, styling, the rule for
//! text from outside on a terminal, the service's rules, secrets) are public, for the benchmarks,
//! the fuzz targets and the integration tests. Everything else (flags, config, the MQTT session,
//! signals, commands, `watch`, the simulator) is private and reached only through [`main`], which
//! `src/main.rs` runs: so an item nothing uses is a warning.
//!
//! The map of these modules, and the rules that keep them apart, is docs/architecture.md.

pub mod pipeline;
pub mod secret;
pub mod service;
pub mod status;
pub mod style;
pub mod visible;

mod app;
mod cli;
mod commands;
mod config;
mod duration;
mod exit;
mod mqtt;
mod signals;
#[cfg(feature = "simulator")]
mod simulator;
#[cfg(feature = "watch")]
mod watch;

pub use app::{ExitNow, main};
