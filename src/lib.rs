//! sensoro-sub as a library: the pieces the binary is made of, public so that integration tests,
//! benchmarks, the fuzz targets and the simulator can use the same push model, crypto and printers.
//!
//! The map of these modules, and the rules that keep them apart, is docs/architecture.md.

pub mod cli;
pub mod commands;
pub mod config;
pub mod duration;
pub mod exit;
pub mod mqtt;
pub mod pipeline;
pub mod secret;
pub mod service;
pub mod signals;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod status;
pub mod style;
pub mod visible;
#[cfg(feature = "watch")]
pub mod watch;
