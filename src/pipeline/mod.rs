//! The push pipeline: decode, decrypt (safe mode), filter, drop redeliveries, format and write.
//!
//! It knows neither MQTT's library nor the command line: it takes [`Delivery`]s from any source (the
//! MQTT session, `decode`'s files, the fuzz targets) and settings built by the config layer.

pub mod alarm;
pub mod dedupe;
pub mod delivery;
pub mod engine;
#[cfg(any(test, fuzzing))]
pub mod hostile;
pub mod output;
pub mod push;
pub mod reading;
pub mod safe_mode;
pub mod topic;
pub mod vocabulary;

pub use delivery::{Delivery, Qos};
pub use engine::{Engine, EngineOptions, Handled, Progress, Release, Stats};
pub use output::Output;
